"""``scr run``: plan what must run, execute it, publish the run folder (drawn in docs/architecture.md).
nbclient, pandas and the site are imported only to run a notebook or build pages: a no-op stays quick."""

from __future__ import annotations

import errno
import json
import shutil
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from .. import paths
from ..findings import load_params
from ..inputs import rounds
from . import execute, publish
from .plan import KERNEL, Project, RunError, Step, choose, key, notebooks, path_digest, plan, tree_files  # noqa: F401
from .publish import MARK, UsageError  # noqa: F401 - KERNEL, MARK, notebooks: for the runner's callers

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


def run(params_path: str | Path, out_dir: str | Path | None = None, echo=print, *, force: bool = False,
        jobs: int | None = None, project: Project | None = None, previous: str | Path | None = None) -> Run:
    """Execute the notebooks with ``params_path`` into ``out_dir`` (default ``build/<name>/``), reusing those
    unchanged since the last run there (``force``: none), ``jobs`` at once (default and ceiling: the cores);
    ``echo`` gets a line per event. Raises :class:`RunError` naming the notebook that failed, what could not
    be written, or a file edited since the last run; :class:`UsageError` if ``out_dir`` is not the run's to
    write or another run holds it; RoundError if ``previous`` (the run to compare with, overriding
    ``previous_run``) is not one. A failure, Ctrl-C included, leaves the previous output as it was."""
    project, params, taken = project or Project(), load_params(params_path), False  # taken: the folder is ours
    try:
        out = Path(out_dir).absolute() if out_dir else paths.BUILD / params.name
        out = out.parent.resolve() / out.name  # the folder's own link is not followed
        params = rounds.with_previous(params, previous, out)  # RoundError: --previous names no earlier run
        publish.check_out_dir(out, params, project)
        with publish.lock(out):
            publish.recover(out)
            publish.refuse_foreign(out, params)
            taken = True
            return _locked(project, params, out, echo, force, max(1, min(jobs or execute.cores(), execute.cores())))
    except (OSError, RuntimeError) as err:  # a name too long, a loop of links, a folder one cannot write to
        if taken:
            raise
        where = f" ({err.filename})" if getattr(err, "filename", None) else ""
        raise UsageError(f"cannot write the run into {out_dir or params.name}: {getattr(err, 'strerror', None) or err}"
                         f"{where}; choose a folder you can write to") from None


def _locked(project: Project, params, out: Path, echo, force: bool, jobs: int) -> Run:
    saved = {} if force else publish.read_record(out) or {}
    if problem := publish.edited(out, saved):
        raise RunError(f"{problem}: run `scr run {paths.display(params.path)} --out {publish.shown(out)} --force` "
                       "to rebuild the folder (the edit is lost)")
    steps, run_key, shared = plan(project, params.values)
    done = Run(out, out / "results.json", out / "site", [out / "notebooks" / s.name for s in steps])
    if saved.get("run_key") == run_key:
        echo(f"up to date: {len(steps)} notebooks unchanged since the last run into {publish.shown(out)} "
             "(--force runs them again)")
        return replace(done, reused=tuple(s.name for s in steps), up_to_date=True)
    foi = _check_foi(params, steps, shared["library"], saved.get("foi", {}))  # before any kernel starts
    choose(steps, saved, out / PARTS, "--force" if force else "not run before")
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.run-", dir=out.parent))
    try:
        _build(work, steps, project, params, out, echo, jobs, foi["summary"])
        publish.record(work, {"run_key": run_key, "foi": foi, "parts": {
            s.name: {"part": s.part, "notebook_key": s.notebook_key, "execution_key": s.execution_key,
                     "inputs": s.inputs} for s in steps}})
        publish.swap(work, out)
    except BaseException as err:
        shutil.rmtree(work, ignore_errors=True)
        if not isinstance(err, OSError):
            raise
        full = err.errno in (errno.ENOSPC, errno.EDQUOT)
        raise RunError(("no space left on the disk while writing the run" if full else "could not write the run: "
                        f"{err.strerror or err}") + (f" ({err.filename})" if err.filename else "") + "; nothing was "
                       f"published and the previous output in {publish.shown(out)} is as it was"
                       + (": free some space and run again" if full else "")) from None
    return replace(done, executed=tuple(s.name for s in steps if s.action == "execute"),
                   reused=tuple(s.name for s in steps if s.action != "execute"))


def _build(work: Path, steps: list[Step], project: Project, params, out: Path, echo, jobs: int,
           foi_summary: dict) -> None:
    """Fill ``work``: each notebook's part in its cache (reused, reprosed or executed), then the run folder
    from the parts, ``inputs.json``, ``results.json`` and the story pages (built once, at the end)."""
    from .. import site
    from ..story import facts, results
    (work / PARTS).mkdir(parents=True)
    for step in steps:
        if step.action == "reuse":
            shutil.copytree(step.cached, work / PARTS / step.part)
        elif step.action == "reprose" and not execute.reprose(step, work / PARTS / step.part):
            step.action, step.why = "execute", "its code cells do not line up with the cached copy"
    todo = [s for s in steps if s.action == "execute"]
    at_once = f", {min(jobs, len(todo))} at a time" if todo else ""
    echo(f"{len(steps)} notebooks: {len(todo)} to execute{at_once}; {len(steps) - len(todo)} reused")
    for step in steps:
        label = {"reuse": "unchanged", "reprose": "reused", "execute": "to run"}[step.action]
        echo(f"  {label:<10} {step.name}" + ("" if step.action == "reuse" else f": {step.why}"))
    execute.execute_all(todo, work / PARTS, project.notebooks, jobs, echo)
    if any(s.error for s in steps):
        raise RunError("\n".join(s.error for s in steps if s.error))
    again = {s.name: s.execution_key for s in plan(project, params.values)[0]} if todo else {}
    if any(again.get(s.name) != s.execution_key for s in todo):  # what they computed may mix old and new
        raise RunError("inputs changed while the notebooks ran; nothing was published: run again")
    _assemble(work, steps)
    write_inputs(work, {s.source.stem: s.declared for s in steps}, foi_summary)
    (work / "results.json").write_text(json.dumps(results.merge(work), indent=2) + "\n", encoding="utf-8")
    facts.write(work, facts.round_of(params.values))  # the fact base: facts.csv
    echo("rendering story pages")
    site.render(work, params, previous=out / ".cache" if out.is_dir() else None)


def _check_foi(params, steps: list[Step], library: str, before: dict) -> dict:
    """Read and validate the FOI file (InputError) unless the last run checked these bytes with this library
    (``before``); refuse a sheet a notebook could not be told. Returns ``{"key", "summary", "sheet"}``."""
    values = params.values
    shown = paths.display(values["foi_returns"], paths.PROJ_ROOT)
    check = key({"file": path_digest(values["foi_returns"]), "sheet": values.get("foi_sheet"),
                 "library": library, "shown": shown})
    if before.get("key") != check:
        from ..inputs import checked
        returns = checked.foi_returns(values["foi_returns"], values.get("foi_sheet"))
        before = {"key": check, "summary": checked.summary(returns, shown), "sheet": returns.sheet_position}
    for step in steps if before["sheet"] else ():  # a notebook not told the sheet would read the first one
        if "foi_returns" in step.given and "foi_sheet" not in step.given:
            raise RunError(f"{step.name} reads foi_returns but takes no foi_sheet parameter, so it would read "
                           f"the first visible sheet, not {values['foi_sheet']!r}")
    return before


def write_inputs(work: Path, declared: dict, foi: dict | None) -> None:
    """Write ``inputs.json``: each notebook's declared parameters and the FOI file's summary (for the pages)."""
    body = {"notebooks": declared, "foi_returns": foi}
    (Path(work) / "inputs.json").write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _assemble(work: Path, steps: list[Step]) -> None:
    """Copy every part's files into the run folder; two notebooks may not write the same file."""
    owner: dict[str, str] = {}
    for part, name in ((work / PARTS / s.part, s.name) for s in steps):
        for rel in tree_files(part, skip=lambda file: file == "__pycache__"):
            if owner.setdefault(rel, name) != name:
                raise RunError(f"{name} and {owner[rel]} both write {rel}")
        shutil.copytree(part, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
