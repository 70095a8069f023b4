"""``scr run``: plan what must run, execute it, publish the run folder (drawn in docs/architecture.md).

Heavy libraries (nbclient, pandas, the site renderer) are imported only when a
notebook runs or the pages are built: a run with nothing to do takes a
fraction of a second.
"""

from __future__ import annotations

import errno
import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..findings import load_params
from . import execute, publish
from .execute import cores
from .plan import KERNEL, Project, RunError, Step, choose, notebooks, path_digest, plan, shared_inputs
from .publish import MARK, UsageError

__all__ = ["KERNEL", "MARK", "Project", "Run", "RunError", "UsageError", "cores", "notebooks", "run"]
PARTS = Path(".cache", "parts")


@dataclass(frozen=True)
class Run:
    """Where a finished run's files are, and which notebooks it executed or reused."""

    out_dir: Path
    results_path: Path
    site_dir: Path
    notebooks: list
    executed: tuple = ()
    reused: tuple = ()
    up_to_date: bool = False


def default_out_dir(params) -> Path:
    return paths.BUILD / params.name


def run(params_path: str | Path, out_dir: str | Path | None = None, echo=print, *, force: bool = False,
        jobs: int | None = None, project: Project | None = None) -> Run:
    """Execute the notebooks with ``params_path`` into ``out_dir`` (default ``build/<name>/``); see
    docs/architecture.md. Notebooks whose inputs are unchanged since the last run into ``out_dir`` are
    reused (``force``: none is); at most ``jobs`` run at once (default and ceiling: the cores).

    Raises :class:`RunError` naming the notebook that failed, what could not be written, or the file
    edited by hand since the last run; :class:`UsageError` if ``out_dir`` is not the run's to write or
    another run holds it. Any failure, Ctrl-C included, leaves the previous output as it was.
    """
    project = project or Project()
    params = load_params(params_path)
    try:
        out = Path(out_dir).absolute() if out_dir else default_out_dir(params)
        out = out.parent.resolve() / out.name  # the folder's own link is not followed
        publish.check_out_dir(out, params, project)
        with publish.lock(out):
            publish.recover(out)
            publish.refuse_foreign(out, params)
            return _locked(project, params, out, echo, force, max(1, min(jobs or cores(), cores())))
    except (UsageError, RunError):
        raise
    except OSError as err:  # a name too long, a folder that cannot be made or locked
        raise UsageError(f"cannot write the run into {out_dir or params.name}: {err.strerror or err}"
                         + (f" ({err.filename})" if err.filename else "") + "; choose another folder") from None


def _locked(project: Project, params, out: Path, echo, force: bool, jobs: int) -> Run:
    saved = publish.read_record(out) or {}
    problem = None if force else publish.edited(out, saved)
    if problem:
        raise RunError(f"{problem}: run `scr run {paths.display(params.path)} --out {publish.shown(out)} --force` "
                       "to rebuild the folder (the edit is lost)")
    steps, run_key, shared = plan(project, params.values)
    if saved.get("run_key") == run_key and not force:
        echo(f"up to date: {len(steps)} notebooks unchanged since the last run into {publish.shown(out)} "
             "(--force runs them again)")
        return _finished(out, steps, (), tuple(s.name for s in steps), up_to_date=True)
    foi = _check_foi(params, steps, shared, saved.get("foi", {}))  # refuse bad data before any kernel starts
    if force:
        for step in steps:
            step.why = "--force"
    else:
        choose(steps, saved, out / PARTS)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.run-", dir=out.parent))
    try:
        _build(work, steps, project, params, out, echo, jobs, foi["summary"])
        publish.record(work, {"run_key": run_key, "foi": foi, "parts": {
            s.name: {"part": s.part, "notebook_key": s.notebook_key, "execution_key": s.execution_key,
                     "inputs": s.inputs} for s in steps}})
        publish.swap(work, out)
    except OSError as err:
        shutil.rmtree(work, ignore_errors=True)
        raise RunError(_write_failure(err, out)) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return _finished(out, steps, tuple(s.name for s in steps if s.action == "execute"),
                     tuple(s.name for s in steps if s.action != "execute"))


def _build(work: Path, steps: list[Step], project: Project, params, out: Path, echo, jobs: int,
           foi_summary: dict) -> None:
    """Fill ``work``: each notebook's part in its cache (reused, reprosed or executed), then the run folder
    from the parts, ``inputs.json``, ``results.json`` and the story pages."""
    from .. import site
    from ..story import results

    (work / PARTS).mkdir(parents=True)
    for step in steps:
        if step.action == "reuse":
            shutil.copytree(step.cached, work / PARTS / step.part)
        elif step.action == "reprose" and not execute.reprose(step, work / PARTS / step.part):
            step.action, step.why = "execute", "its code cells do not line up with the cached copy"
    _announce(steps, jobs, echo)
    execute.execute_all([s for s in steps if s.action == "execute"], work / PARTS, project.notebooks, jobs, echo)
    if any(s.error for s in steps):
        raise RunError("\n".join(s.error for s in steps if s.error))
    _refuse_moved_inputs(project, params, steps)
    _assemble(work, steps)
    write_inputs(work, {s.source.stem: s.declared for s in steps}, foi_summary)
    merged = results.merge(work)
    (work / "results.json").write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
    echo("rendering story pages")
    site.render(work, params, previous=out / ".cache" if out.is_dir() else None)


def _check_foi(params, steps: list[Step], shared: dict, before: dict) -> dict:
    """Read and validate the FOI file (raises :class:`~scr_lib.problems.InputError`) unless the last run
    checked these very bytes with this very library (``before``); refuse a sheet a notebook could not be
    told. Returns ``{"key", "summary"}``, the summary being what the pages say of the file."""
    from .plan import key

    values = params.values
    check = key({"file": path_digest(values["foi_returns"]), "sheet": values.get("foi_sheet"),
                 "library": shared["library"], "shown": paths.display(values["foi_returns"], paths.PROJ_ROOT)})
    if before.get("key") != check:
        from ..inputs import foi

        returns = foi.load_returns(values["foi_returns"], values.get("foi_sheet") or None)
        before = {"key": check, "summary": foi_summary_of(returns, params), "sheet": returns.sheet_position}
    if before["sheet"]:  # a notebook that cannot be told the sheet would read the first one
        for step in (s for s in steps if "foi_returns" in s.given and "foi_sheet" not in s.given):
            raise RunError(f"{step.name} reads foi_returns but takes no foi_sheet parameter, so it would read "
                           f"the first visible sheet, not {values['foi_sheet']!r}")
    return before


def foi_summary_of(returns, params) -> dict:
    """What the story pages say of a validated FOI file: its path as shown, rows, and how many of its
    values (of ``values``, and whole rows) are illustrative."""
    from ..inputs import foi
    from ..story import report

    frame = returns.frame
    return {"path": paths.display(params.values["foi_returns"], paths.PROJ_ROOT), "rows": len(frame),
            "illustrative_values": report.illustrative_count(frame), "values": len(frame) * len(foi.VALUE_COLUMNS),
            "whole_rows": int(frame["illustrative"].eq("*").sum())}


def write_inputs(work: Path, declared: dict, foi: dict | None) -> None:
    """Write ``inputs.json``: each notebook's declared parameters (by stem, in order) and the FOI file's
    summary; the pages read it, not the inputs."""
    body = {"notebooks": declared, "foi_returns": foi}
    (Path(work) / "inputs.json").write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _announce(steps: list[Step], jobs: int, echo) -> None:
    todo = sum(s.action == "execute" for s in steps)
    echo(f"{len(steps)} notebooks: {todo} to execute" + (f", {min(jobs, todo)} at a time" if todo else "")
         + f"; {len(steps) - todo} reused")
    for step in steps:
        label = {"reuse": "unchanged", "reprose": "reused", "execute": "to run"}[step.action]
        echo(f"  {label:<10} {step.name}" + ("" if step.action == "reuse" else f": {step.why}"))


def _refuse_moved_inputs(project: Project, params, steps: list[Step]) -> None:
    """Raise :class:`RunError` if the library, ``data/`` or a file a param names changed while notebooks
    ran: what they computed may mix old and new inputs, and must be neither published nor cached."""
    ran = [s for s in steps if s.action == "execute"]
    now = shared_inputs(project, params.values) if ran else {}
    moved = {name for s in ran for name in ("library", "data") if s.inputs[name] != now[name]}
    moved |= {f"the file {k!r} points at" for s in ran for k, h in s.inputs["files"].items()
              if path_digest(s.given[k]) != h}
    if moved:
        raise RunError(f"{' and '.join(sorted(moved))} changed while the notebooks ran; nothing was published: "
                       "run again")


def _assemble(work: Path, steps: list[Step]) -> None:
    """Copy every part's files into the run folder; two notebooks may not write the same file."""
    owner: dict[str, str] = {}
    for step in steps:
        part = work / PARTS / step.part
        for path in sorted(p for p in part.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            rel = path.relative_to(part)
            if rel in owner:
                raise RunError(f"{step.name} and {owner[rel]} both write {rel}")
            owner[rel] = step.name
            (work / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, work / rel)


def _write_failure(err: OSError, out: Path) -> str:
    """A one-line message for an OSError met while building or publishing a run."""
    where = f" ({err.filename})" if err.filename else ""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"no space left on the disk while writing the run{where}; nothing was published and the "
                f"previous output in {publish.shown(out)} is as it was: free some space and run again")
    return (f"could not write the run: {err.strerror or err}{where}; nothing was published and the previous "
            f"output in {publish.shown(out)} is as it was")


def _finished(out: Path, steps: list[Step], executed: tuple, reused: tuple, up_to_date: bool = False) -> Run:
    return Run(out, out / "results.json", out / "site", [out / "notebooks" / s.name for s in steps],
               executed, reused, up_to_date)
