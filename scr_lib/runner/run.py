"""Execute the notebooks with a params file, collect the results, render the site: atomically,
re-running only what changed, several notebooks at a time.

The output folder is the run's own: a run writes only into a folder it
created, marked with a ``.scr-run`` file, or into an empty one, and refuses
any other (a folder of someone's files, the project, its inputs, the home
folder); see :func:`check_out_dir`. One run at a time writes into a folder
(a lock file beside it, ``.<name>.lock``, held with ``flock``).

The run is built in a temporary folder beside the output folder
(``.<name>.tmp-*``) and swapped into place only when every step has
succeeded, so a failed or interrupted run publishes nothing and leaves the
previous output as it was (it only adds the notebooks that did succeed to
that output's cache, so they need not run again). On Linux the swap is one
atomic exchange of the two folders; elsewhere it is two renames, and a run
killed between them leaves the previous output in ``.<name>.old-*``. Each
run first recovers what a killed run left: it puts a stranded previous
output back and removes stranded temporary folders.

A notebook is executed again only when something its code can see has
changed (see :mod:`scr_lib.runner.cache`: its code cells, the params it declares and
the files they point at, ``data/``, ``scr_lib/``, the environment). When only
its prose changed, the previous outputs are reused with the new cells. When
nothing at all changed, the run returns at once without writing anything.
``force=True`` executes every notebook. Notebooks that must run are executed
in parallel, at most one per available core (notebooks do not read each
other's outputs, so any order is right).

Heavy libraries (papermill, nbformat, nbclient, pandas, the site renderer)
are imported only when a notebook must run or the site must be rendered, so
that a run with nothing to do takes a fraction of a second.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from . import cache
from ..inputs.params import Params
from ..problems import InputError, Problem
from ..findings import KNOBS, load_params

KERNEL = "python3"  # ipykernel's own spec: the interpreter that runs `scr`
# jsonschema (imported by nbformat here, and by Altair in the kernels) imports rfc3987_syntax if it is
# installed, which builds some thirty Earley parsers as it loads: one to three seconds of each process, only
# to check the "iri" and "iri-reference" string formats, which no schema read in a run uses (nbformat's
# and Vega-Lite's use none). The runner and its kernels import it as missing (jsonschema then leaves those
# two formats unchecked); importing it outside a run is unaffected.
UNUSED_SLOW = ("rfc3987_syntax",)
KERNEL_SETUP = "import sys as _scr_sys; " + "; ".join(
    f"_scr_sys.modules.setdefault({name!r}, None)" for name in UNUSED_SLOW) + "; del _scr_sys"
CHECKED = "foi_checked"  # the notebook parameter that receives the FOI file as validated up front


MARK = ".scr-run"  # in a run folder: this folder is scr run's own, to replace on the next run
MARK_TEXT = ("This folder is written by `scr run`, which replaces everything in it on each run.\n"
             "Delete this file and `scr run` will refuse to write here.\n")


class RunError(RuntimeError):
    """A notebook failed; the message names it and the error it raised."""


class UsageError(RunError):
    """The run was asked to write where it must not, or cannot (the command exits 2)."""


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


@dataclass(frozen=True)
class Project:
    """The folders a run reads: the notebooks (also the kernels' working folder), data and library."""

    notebooks: Path = paths.NOTEBOOKS
    data: Path = paths.DATA
    library: Path = paths.LIBRARY


@dataclass
class _Plan:
    """One notebook's keys and fate in this run."""

    source: Path
    given: dict
    execution_key: str
    notebook_key: str
    part: Path | None = None  # where its part is built in the work folder
    action: str = "execute"  # execute | reuse | reprose
    cached: Path | None = None  # the cached part it reuses
    error: str | None = None
    inputs: dict = field(default_factory=dict)  # what its execution key covers, by kind
    why: str = ""
    raw: bytes = b""  # the notebook file as hashed: what is executed, even if the file changes meanwhile
    declared: list = field(default_factory=list)  # the parameters its parameters cell declares
    extra: dict = field(default_factory=dict)  # parameters of this run only, outside its keys (foi_checked)

    @property
    def name(self) -> str:
        return self.source.name


def notebooks(folder: Path | None = None) -> list[Path]:
    """The story's notebooks, in order: ``notebooks/NN-*.ipynb``."""
    return sorted(Path(folder or paths.NOTEBOOKS).glob("[0-9][0-9]-*.ipynb"))


def cores() -> int:
    """The cores this process may use (its CPU affinity where the system reports one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def check_out_dir(out: Path, params: Params, project: Project | None = None) -> None:
    """Raise :class:`UsageError` if ``out`` is a place a run must never replace; writes nothing.

    Refused: the root folder, the home folder, the project root and any folder
    above either; anything in ``data/``, ``notebooks/``, ``scr_lib/``, ``params/``
    or ``.git/`` (the project's and the run's own); the params file's folder,
    any folder above it, and any folder holding a file a param names; a path
    under a file. Whether an existing folder is the run's own is decided by
    :func:`_refuse_foreign`, once the folder is locked.
    """
    project = project or Project()
    target = Path(out).resolve()
    try:
        home = Path.home().resolve()
    except RuntimeError:  # no home folder known
        home = Path(target.anchor)

    def refuse(why: str):
        raise UsageError(f"refusing to write the run into {out}: {why}; choose a new folder, such as "
                         f"build/{params.name}")

    data = {Path(paths.DATA).resolve(), Path(project.data).resolve()}
    if any(target == d or d in target.parents for d in data):
        refuse("nothing is written under data/")
    if target == Path(target.anchor) or target == home or target in home.parents:
        refuse("it is the root or home folder, or holds it")
    if target == paths.PROJ_ROOT or target in paths.PROJ_ROOT.parents:
        refuse("it holds the project")
    inside = {Path(paths.NOTEBOOKS).resolve(), Path(project.notebooks).resolve(), Path(project.library).resolve(),
              paths.LIBRARY, Path(paths.PARAMS).resolve(), paths.PROJ_ROOT / ".git"}
    for folder in sorted(inside):
        if target == folder or folder in target.parents:
            refuse(f"it is the project's {folder.name}/ folder, or inside it")
    inputs = [params.path] + [Path(params.values[k]) for k, knob in KNOBS.items()
                              if knob.is_path and params.values.get(k)]
    for path in inputs:
        if target == path or target in path.parents:
            refuse(f"it holds an input, {path}, which the run would replace")
    for above in [target, *target.parents]:
        try:
            is_file = above.exists() and not above.is_dir()
        except OSError as err:  # a name too long for the file system, a loop of links...
            raise UsageError(f"cannot write the run into {out}: {err.strerror or err}; choose another folder") \
                from None
        if is_file:
            raise UsageError(f"cannot write the run into {out}: {above} is a file, not a folder; choose another "
                             "folder")


# Folders a run leaves beside its output folder while it works: the temporary run folder and, where the
# swap is two renames, the previous output. Their suffix is mkdtemp's (or, from the first version, a pid).
def _stranded_pattern(out: Path) -> re.Pattern:
    return re.compile(rf"\.{re.escape(out.name)}\.(tmp|old)-[A-Za-z0-9_]+")


def _lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


@contextlib.contextmanager
def _lock(out: Path):
    """Hold the lock on ``out`` (``.<name>.lock`` beside it) for the block; refuse if another run holds it.

    The lock is ``flock`` on that file, released by the system when the
    process ends, even when it is killed. The file is removed on the way out;
    a run that opened it meanwhile notices and takes a fresh one.
    """
    import fcntl

    path = _lock_path(out)
    while True:
        handle = open(path, "a+", encoding="utf-8")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise UsageError(f"another `scr run` is writing into {out}" + (f" (process {holder})" if holder else "")
                             + "; wait for it to finish, or choose another --out folder") from None
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()  # the file was removed by the run that held it: lock the new one
    try:
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        handle.close()


def _take(out: Path) -> contextlib.AbstractContextManager:
    """Create the output folder's parent and lock ``out``; raise :class:`UsageError` if neither can be done."""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        stack = contextlib.ExitStack()
        stack.enter_context(_lock(out))
    except UsageError:
        raise
    except OSError as err:
        raise UsageError(f"cannot write the run into {out}: {err.strerror or err}"
                         + (f" ({err.filename})" if err.filename else "") + "; choose a folder you can write to") \
            from None
    return stack


def _recover(out: Path) -> None:
    """Undo what a killed run left beside ``out`` (call with ``out`` locked).

    A previous output moved aside (``.<name>.old-*``) is put back if ``out``
    is missing (the run was killed between its two renames); every other
    stranded temporary or old folder is removed.
    """
    pattern = _stranded_pattern(out)
    stranded = [p for p in out.parent.iterdir() if pattern.fullmatch(p.name) and p.is_dir() and not p.is_symlink()]
    olds = sorted((p for p in stranded if ".old-" in p.name), key=lambda p: p.stat().st_mtime)
    if not out.exists() and olds:
        olds[-1].rename(out)
    for folder in stranded:
        if folder.exists():
            shutil.rmtree(folder, ignore_errors=True)


def _is_own(out: Path) -> bool:
    """Whether ``out`` is a folder a run may replace: missing, empty, marked, or in the first version's layout.

    The first version (before the ``.scr-run`` mark) left ``.cache/manifest.json``
    listing every file it published; a folder holding that manifest and
    nothing at its top level but the cache and what the manifest lists is one
    it made.
    """
    if not out.exists():
        return True
    entries = {p.name for p in out.iterdir()}
    if not entries or MARK in entries:
        return True
    manifest = cache.load_manifest(out)
    outputs = manifest.get("outputs")
    if not isinstance(outputs, dict) or not outputs:
        return False
    made = {str(name).split("/", 1)[0] for name in outputs} | {cache.CACHE_DIR}
    return entries <= made


def _refuse_foreign(out: Path, params: Params) -> None:
    """Raise :class:`UsageError` unless ``out`` is missing or a folder the run may replace (:func:`_is_own`)."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"cannot write the run into {out}: it is a file, not a folder; choose another folder")
    if not _is_own(out):
        raise UsageError(f"refusing to write the run into {out}: it holds files scr run did not make (it has no "
                         f"{MARK} file), and a run replaces everything in its folder; choose a new or empty folder, "
                         f"such as build/{params.name}")


def default_out_dir(params: Params) -> Path:
    return paths.BUILD / params.name


def _given(declared: list[str] | None, params: Params) -> dict:
    """The params values a notebook receives: those its parameters cell declares (output_dir aside)."""
    if declared is None:
        declared = list(params.values)
    return {k: params.values[k] for k in declared if k in params.values and k != "output_dir"}


def _path_digests(values: dict) -> dict:
    """Hash of what each path param points at."""
    return {k: cache.path_digest(v) for k, v in values.items() if k in KNOBS and KNOBS[k].is_path}


def _data_digest(project: Project, params: Params) -> str:
    """Hash of the data folder, less the files (or folders) that the run's path params point at.

    Every notebook's key covers ``data/`` because notebooks read reference
    files there directly. A file a path param names (the bundled FOI file is
    in ``data/``) reaches a notebook through that parameter, and the key of
    each notebook that declares the parameter covers the file's bytes: so
    changing the FOI file re-runs the notebooks that take ``foi_returns``, not
    every notebook. With no param pointing into ``data/`` this is
    :func:`cache.tree_digest` of the folder.
    """
    data = Path(project.data)
    if not data.is_dir():
        return cache.MISSING
    root = data.resolve()
    named = []
    for name, value in params.values.items():
        if name in KNOBS and KNOBS[name].is_path and value:
            with contextlib.suppress(ValueError, OSError, RuntimeError):
                named.append(Path(value).resolve().relative_to(root).as_posix())
    files = {rel: digest for rel, digest in cache.tree_files(data).items()
             if not any(rel == n or rel.startswith(n.rstrip("/") + "/") for n in named)}
    return cache.key(files)


def _plan(project: Project, params: Params) -> tuple[list[_Plan], dict, str]:
    """Every notebook's keys, the check key of the FOI file, and the run key."""
    shared = {"version": cache.KEY_VERSION, "kernel": KERNEL, "library": cache.tree_digest(project.library),
              "data": _data_digest(project, params), "environment": cache.environment_digest()}
    plans = []
    for source in notebooks(project.notebooks):
        raw = source.read_bytes()
        try:
            nb = json.loads(raw)
        except ValueError as err:
            raise RunError(f"{source.name} is not a notebook file (not valid JSON: {err})") from None
        given = _given(cache.declared_parameters(nb), params)
        inputs = {**shared, "code": cache.key(cache.code_signature(nb)), "params": given,
                  "files": _path_digests(given)}
        execution_key = cache.key({"notebook": source.name, "inputs": inputs})
        notebook_key = cache.key({"execution": execution_key, "file": cache.digest_bytes(raw)})
        plans.append(_Plan(source, given, execution_key, notebook_key, inputs=inputs, raw=raw,
                           declared=cache.declared_parameters(nb) or []))
    run_key = cache.key({"shared": shared, "notebooks": [[p.name, p.notebook_key] for p in plans],
                         "params": params.values, "files": _path_digests(params.values)})
    foi_key = cache.key({"shared": shared, "foi": cache.path_digest(params.values.get("foi_returns")),
                         "sheet": params.values.get("foi_sheet")})
    return plans, {"foi": foi_key}, run_key


_WHAT = {"code": "its code cells", "params": "params", "files": "the files its params point at",
         "library": "scr_lib", "data": "data/", "environment": "the Python environment", "kernel": "the kernel",
         "version": "the cache format"}


def _why(plan: _Plan, before: dict | None) -> str:
    """Which of a notebook's inputs differ from those of its last run ('new' if it has none)."""
    if not before or "inputs" not in before:
        return "not run before"
    old = before["inputs"]
    changed = []
    for name, what in _WHAT.items():
        if old.get(name) == plan.inputs.get(name):
            continue
        if name == "params":
            keys = sorted(k for k in {*old.get(name, {}), *plan.inputs[name]}
                          if old.get(name, {}).get(k, cache.MISSING) != plan.inputs[name].get(k, cache.MISSING))
            what = f"params {', '.join(keys)}"
        changed.append(what)
    return f"{' and '.join(changed) or 'its cached copy'} changed"


def run(params_path: str | Path, out_dir: str | Path | None = None, echo=print, *, force: bool = False,
        jobs: int | None = None, project: Project | None = None, previous: str | Path | None = None) -> Run:
    """Execute the notebooks with ``params_path`` into ``out_dir`` (default ``build/<name>/``).

    Writes ``notebooks/`` (executed copies), each notebook's ``*.results.json``
    and ``tables/``, the merged ``results.json``, the fact base ``facts.csv``, ``site/``, and the cache
    ``.cache/``. Notebooks whose inputs are unchanged since the last run into
    ``out_dir`` are reused; ``force`` executes them all. At most ``jobs``
    notebooks (default and ceiling: the available cores) run at once.
    ``echo`` receives one line per event (which notebook runs, which failed).

    On any failure, Ctrl-C included, the temporary folder is removed and the
    published files in ``out_dir`` are untouched; notebooks that did succeed
    are kept in its cache (if ``out_dir`` already exists) so the next run
    need not execute them again. Raises :class:`RunError` naming every
    notebook that failed, or what could not be written (a full disk: the
    message says so); :class:`UsageError` if ``out_dir`` is not a folder the
    run may write into (:func:`check_out_dir`, :func:`_refuse_foreign`) or
    another run is writing into it.

    ``previous`` (``scr run --previous``) is the earlier run folder the pages compare with, overriding
    the params file's ``previous_run``; either must be a finished run folder other than ``out_dir``
    (:func:`scr_lib.inputs.rounds.check_previous`): else :class:`UsageError` for ``previous``, an
    :class:`InputError` naming the params file for ``previous_run``.
    """
    project = project or Project()
    params = load_params(params_path)
    try:
        out = Path(out_dir).resolve() if out_dir else default_out_dir(params)
    except (OSError, RuntimeError) as err:  # a loop of symbolic links
        raise UsageError(f"cannot write the run into {out_dir}: {err}; choose another folder") from None
    params = _with_previous(params, previous, out)
    check_out_dir(out, params, project)
    with _take(out):
        try:
            _recover(out)
        except OSError as err:
            raise UsageError(f"cannot tidy {out.parent} after an earlier run: {err.strerror or err}"
                             + (f" ({err.filename})" if err.filename else "")) from None
        _refuse_foreign(out, params)
        return _run_locked(project, params, out, echo, force, jobs)


def _with_previous(params: Params, previous: str | Path | None, out: Path) -> Params:
    """``params`` with ``previous_run`` resolved to an absolute folder (``previous`` first), once checked."""
    from ..inputs import rounds
    chosen = rounds.of(params.values, params.path.parent, previous).previous
    try:
        rounds.check_previous(chosen, out, "--previous" if previous not in (None, "") else "previous_run")
    except rounds.RoundError as err:
        if previous not in (None, ""):
            raise UsageError(str(err)) from None
        raise InputError([Problem(paths.display(params.path), 0, "previous_run", str(err))]) from None
    return Params(params.path, {**params.values, "previous_run": str(chosen) if chosen else None})


def _run_locked(project: Project, params: Params, out: Path, echo, force: bool, jobs: int | None) -> Run:
    """:func:`run`, with ``out`` checked and locked."""
    plans, checks, run_key = _plan(project, params)
    manifest = {} if force else cache.load_manifest(out)

    if manifest.get("run_key") == run_key and manifest.get("outputs") == cache.published_files(out):
        echo(f"up to date: {len(plans)} notebooks unchanged since the last run into {paths.display(out)} "
             "(--force runs them again)")
        return _finished(out, plans, executed=(), reused=tuple(p.name for p in plans), up_to_date=True)

    # refuse invalid data before any kernel starts, anything is announced or anything is written
    # (unless the last run checked this very file with this very code): a journalist with a bad
    # file sees only its problems
    foi_summary = manifest.get("foi_summary") if manifest.get("foi_checked") == checks["foi"] else None
    returns = None
    if foi_summary is None:
        returns = _check_foi(params, plans)
        foi_summary = foi_summary_of(returns, params)

    try:
        work = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    except OSError as err:
        raise UsageError(f"cannot write the run into {out}: {err.strerror or err} ({out.parent}); choose a folder "
                         "you can write to") from None
    parts = cache.cache_dir(work) / cache.PARTS_DIR
    try:
        parts.mkdir(parents=True)
        for plan in plans:
            _choose(plan, out, parts, manifest, force)
            if plan.action == "reuse":
                shutil.copytree(plan.cached, plan.part)
            elif plan.action == "reprose" and not _reprose(plan):
                plan.action, plan.why = "execute", "its code cells do not line up with the cached copy"
        _announce(plans, jobs, echo)
        readers = [p for p in plans if p.action == "execute" and CHECKED in p.declared]
        if readers:  # the notebooks take the FOI file as validated above, not the raw file again
            from ..inputs import checked
            saved = checked.save(returns if returns is not None else _check_foi(params, plans),
                                 cache.cache_dir(work) / "foi-checked.pickle")
            for plan in readers:
                plan.extra = {CHECKED: str(saved)}

        def publish():  # the run folder from the parts: also while the last kernels are exiting
            _clear_run_folder(work)
            _refuse_moved_inputs(project, params, plans)
            _assemble(work, plans)
            _write_inputs(work, plans, foi_summary)
            from .. import site
            from ..story import facts, results
            merged = results.merge(work)
            (work / "results.json").write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
            facts.write(work, facts.round_of(params.values))  # the fact base: facts.csv
            echo("rendering story pages")
            site.render(work, params, previous=cache.cache_dir(out))

        _execute_all([p for p in plans if p.action == "execute"], jobs, project, echo, publish)
        failed = [p for p in plans if p.error]
        if failed:
            _refuse_moved_inputs(project, params, plans)  # else keep what succeeded for the next run
            _keep_successes(plans, out)
            raise RunError("\n".join(p.error for p in failed))
        (work / MARK).write_text(MARK_TEXT, encoding="utf-8")
        cache.save_manifest(work, {"run_key": run_key, "foi_checked": checks["foi"], "foi_summary": foi_summary,
                                   "outputs": cache.published_files(work),
                                   "parts": {p.name: p.part.name for p in plans}})
        _swap_into_place(work, out)
    except OSError as err:
        shutil.rmtree(work, ignore_errors=True)
        raise RunError(_write_failure(err, out)) from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return _finished(out, plans, executed=tuple(p.name for p in plans if p.action == "execute"),
                     reused=tuple(p.name for p in plans if p.action != "execute"))


def _check_foi(params: Params, plans: list[_Plan]):
    """Read and validate the FOI file (raises :class:`InputError`), and refuse a sheet a notebook could not
    be told. Returns the :class:`~scr_lib.inputs.foi.FOIReturns`: the one parse of the raw file in a run."""
    from ..inputs import foi
    returns = foi.load_returns(params.values["foi_returns"], params.values.get("foi_sheet") or None)
    if returns.sheet_position:  # a notebook that cannot be told the sheet would read the first one
        for plan in plans:
            if "foi_returns" in plan.given and "foi_sheet" not in plan.given:
                raise RunError(f"{plan.name} reads foi_returns but takes no foi_sheet parameter, so it "
                               f"would read the first visible sheet, not {params.values['foi_sheet']!r}")
    return returns


def foi_summary_of(returns, params: Params) -> dict:
    """What the story pages say of a validated FOI file: its path as shown, rows, and how many of its
    values (of ``values``, and whole rows) are illustrative."""
    from ..inputs import foi
    from ..story import report
    frame = returns.frame
    return {"path": paths.display(params.values["foi_returns"], paths.PROJ_ROOT), "rows": len(frame),
            "illustrative_values": report.illustrative_count(frame), "values": len(frame) * len(foi.VALUE_COLUMNS),
            "whole_rows": int(frame["illustrative"].eq("*").sum()), "refs": _foi_refs(frame)}


def _foi_refs(frame) -> list[str]:
    """The first and last FOI reference of the returns (sorted), for the pages' source line; none when a
    reference is missing or illustrative (a generated reference is never shown as an FOI answer's)."""
    from ..inputs import foi
    if "foi_ref" not in frame.columns or frame.empty:
        return []
    refs = frame["foi_ref"]
    if refs.isna().any() or refs.astype(str).str.strip().eq("").any() or foi.illustrative_mask(frame, "foi_ref").any():
        return []
    ordered = sorted(refs.astype(str).str.strip())
    return [ordered[0], ordered[-1]]


def write_inputs(work: Path, declared: dict, foi: dict | None) -> None:
    """Write ``inputs.json`` into a run folder: each notebook's declared parameters (by notebook name,
    in its parameters cell's order) and the FOI file's summary: the pages read it, not the inputs."""
    body = {"notebooks": declared, "foi_returns": foi}
    (Path(work) / "inputs.json").write_text(json.dumps(body, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _write_inputs(work: Path, plans: list[_Plan], foi: dict | None) -> None:
    declared = {p.source.stem: cache.declared_parameters(json.loads(p.raw)) or [] for p in plans}
    write_inputs(work, declared, foi)


def _finished(out: Path, plans: list[_Plan], **how) -> Run:
    return Run(out, out / "results.json", out / "site", [out / "notebooks" / p.name for p in plans], **how)


def _choose(plan: _Plan, out: Path, parts: Path, manifest: dict, force: bool) -> None:
    """Decide whether a notebook is reused as is, gets new prose on old outputs, or is executed."""
    cached_parts = cache.cache_dir(out) / cache.PARTS_DIR
    plan.part = parts / cache.part_name(plan.name, plan.notebook_key)
    found = None if force else cache.find_part(cached_parts, plan.name, plan.notebook_key, plan.execution_key)
    if found is not None:
        plan.cached, _, exact = found
        plan.action = "reuse" if exact else "reprose"
        plan.why = "unchanged" if exact else "prose changed, code unchanged: outputs reused"
        return
    plan.action = "execute"
    if force:
        plan.why = "--force"
        return
    before = None
    if plan.name in manifest.get("parts", {}):
        try:
            before = json.loads((cached_parts / manifest["parts"][plan.name] / cache.PART_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            before = None
    plan.why = _why(plan, before)


def _announce(plans: list[_Plan], jobs: int | None, echo) -> None:
    todo = sum(p.action == "execute" for p in plans)
    at_once = min(_jobs(jobs), todo) if todo else 0
    echo(f"{len(plans)} notebooks: {todo} to execute" + (f", {at_once} at a time" if todo else "")
         + f"; {len(plans) - todo} reused")
    for plan in plans:
        label = {"reuse": "unchanged", "reprose": "reused", "execute": "to run"}[plan.action]
        echo(f"  {label:<10} {plan.name}" + ("" if plan.action == "reuse" else f": {plan.why}"))


def _jobs(jobs: int | None) -> int:
    return max(1, min(jobs or cores(), cores()))


def _reprose(plan: _Plan) -> bool:
    """Build the part from the cached one: the new notebook's cells with the cached outputs."""
    executed = cache.read_notebook(plan.cached / "notebooks" / plan.name)
    merged = cache.reuse_outputs(json.loads(plan.raw), executed)
    if merged is None:
        return False
    shutil.copytree(plan.cached, plan.part, ignore=shutil.ignore_patterns(cache.PART_FILE))
    cache.write_notebook(merged, plan.part / "notebooks" / plan.name)
    _seal(plan)
    return True


def _seal(plan: _Plan) -> None:
    cache.seal_part(plan.part, {"notebook": plan.name, "notebook_key": plan.notebook_key,
                                "execution_key": plan.execution_key, "inputs": plan.inputs})


def _execute_all(plans: list[_Plan], jobs: int | None, project: Project, echo, then=None) -> None:
    """Execute the notebooks, up to ``jobs`` at once, then call ``then`` if none failed.

    A notebook's failure is noted on its plan, not raised. The first kernels
    are started before anything else; while they boot, this process imports
    the execution libraries. When a notebook's turn comes, the kernel of the
    next notebook in line starts booting, so that it is ready when a slot
    frees (at most ``jobs`` kernels wait so, idle).

    A kernel is shut down gracefully, which takes about a second (it may still
    flush a file its notebook left open). Meanwhile ``then`` already runs, in
    a thread, on the parts as they are; when every kernel has exited, the
    parts are hashed again and, should one have changed, ``then`` runs again.
    """
    if not plans:
        if then is not None:
            then()
        return
    import asyncio

    interrupted: list[bool] = []
    tasks: list = []
    kernels: list[_Kernel] = []

    def on_interrupt():  # Ctrl-C, called in the loop: stop the notebooks and their kernels at once
        interrupted.append(True)
        for kernel in kernels:
            kernel.now = True
        for task in tasks:
            task.cancel()

    async def started(name: str) -> _Kernel:
        kernel = await _Kernel.start(name, project.notebooks)
        kernels.append(kernel)
        kernel.now = bool(interrupted)
        return kernel

    async def everything():
        slots = asyncio.Semaphore(_jobs(jobs))
        first = []
        try:
            for plan in plans[:_jobs(jobs)]:
                first.append(await started(plan.name))
                if interrupted:
                    raise KeyboardInterrupt
            _prepare()
        except BaseException:
            await asyncio.gather(*(kernel.stop() for kernel in first), return_exceptions=True)
            raise
        waiting = {}  # notebook name -> its kernel, started (or starting) before its turn
        for plan, kernel in zip(plans, first):
            waiting[plan.name] = asyncio.get_running_loop().create_future()
            waiting[plan.name].set_result(kernel)
        queue = [p.name for p in plans[len(first):]]  # notebooks whose kernel is not started yet

        def start_next():  # a notebook's turn came: the kernel of the next in line starts booting meanwhile
            if queue and not interrupted:
                name = queue.pop(0)
                waiting[name] = asyncio.ensure_future(started(name))

        warming = asyncio.ensure_future(asyncio.to_thread(_import_site))
        stopping = []  # kernels shutting down after their notebook: the slot is free meanwhile
        finished = []

        async def one(plan: _Plan):
            async with slots:
                echo(f"  running    {plan.name}")
                started_at = time.monotonic()
                plan.part.mkdir(parents=True, exist_ok=True)
                try:
                    booting = waiting.get(plan.name)
                    start_next()
                    # shielded: on Ctrl-C the kernel finishes starting and is stopped with the unused ones
                    kernel = await asyncio.shield(booting) if booting is not None else await started(plan.name)
                    waiting.pop(plan.name, None)
                    await _execute_async(plan.source, plan.part / "notebooks" / plan.name,
                                         {**plan.given, **plan.extra},
                                         plan.part, project.notebooks, kernel=kernel, stopping=stopping,
                                         raw=plan.raw)
                except RunError as err:
                    plan.error = str(err)
                    if not interrupted:
                        echo(f"  FAILED     {err}")  # the message starts with the notebook's name
                    return
                finished.append(plan)
                _seal(plan)
                echo(f"  done       {plan.name} ({time.monotonic() - started_at:.1f} s)")

        tasks.extend(asyncio.ensure_future(one(p)) for p in plans)
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        for booting in waiting.values():  # never used (a notebook failed or Ctrl-C): stop it
            with contextlib.suppress(Exception):
                stopping.append(asyncio.ensure_future((await booting).stop()))
        await asyncio.gather(warming, return_exceptions=True)
        if interrupted:
            await asyncio.gather(*stopping, return_exceptions=True)
            raise KeyboardInterrupt
        errors = [o for o in outcomes if isinstance(o, BaseException)]
        publishing = None
        if then is not None and not errors and not any(p.error for p in plans):
            publishing = asyncio.ensure_future(asyncio.to_thread(then))
        await asyncio.gather(*stopping, return_exceptions=True)
        late = [p for p in finished if cache.seal_part(p.part, {}, write=False)["files"] !=
                json.loads((p.part / cache.PART_FILE).read_text("utf-8"))["files"]]
        for plan in late:  # its kernel wrote more as it exited: seal again and publish again
            echo(f"  {plan.name}: its kernel wrote files as it exited; publishing again")
            _seal(plan)
        if publishing is not None:
            await publishing
            if late:
                await asyncio.to_thread(then)
        if interrupted:  # while the pages were rendered: they are in the temporary folder, which goes
            raise KeyboardInterrupt
        if errors:
            raise errors[0]

    _run_coroutine(everything(), on_interrupt)


def _clear_run_folder(work: Path) -> None:
    """Remove everything from a run folder but its cache."""
    for entry in work.iterdir():
        if entry.name != cache.CACHE_DIR:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def _prepare() -> None:
    """Import what executing a notebook needs (while the first kernels boot), without :data:`UNUSED_SLOW`."""
    with _without(UNUSED_SLOW):
        import nbclient  # noqa: F401
        import nbformat  # noqa: F401
        import papermill.parameterize  # noqa: F401


@contextlib.contextmanager
def _without(names: tuple):
    """Within the block, importing any of ``names`` (not yet imported) fails as if it were not installed;
    afterwards it imports as usual (a module that tried it inside the block keeps what it found)."""
    blocked = [name for name in names if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None
    try:
        yield
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


# the smallest chart: drawn once while the notebooks run, it starts the engine that draws the story pages'
# charts (vl-convert's JavaScript runtime), whose first drawing otherwise takes a second or two longer
WARM_UP_CHART = {"mark": "point", "data": {"values": [{"x": 0}]},
                 "encoding": {"x": {"field": "x", "type": "quantitative"}}}


def _import_site() -> None:
    """Import the site renderer and the results module ahead of need, and start the chart engine by drawing
    :data:`WARM_UP_CHART` (runs in a thread while the notebooks run; errors surface when used)."""
    try:
        import vl_convert

        from .. import site  # noqa: F401
        from ..site import draw
        from ..story import results  # noqa: F401

        vl_convert.vegalite_to_svg(WARM_UP_CHART, vl_version=draw.VL_VERSION)
    except Exception:  # noqa: BLE001 - the import after the notebooks reports it
        pass


def _run_coroutine(coroutine, on_interrupt=None):
    """Run ``coroutine`` to the end in an event loop of its own, in a worker thread.

    The loop runs outside the main thread so that Ctrl-C (SIGINT) always
    reaches this thread as KeyboardInterrupt, never a handler that a library
    installs in the loop (nbclient installs one per notebook, which shuts
    down only that notebook's kernel). On Ctrl-C, ``on_interrupt`` is called
    in the loop, the coroutine is waited for (it shuts its kernels down and
    raises KeyboardInterrupt), and KeyboardInterrupt is raised here. This also
    works when called from a running event loop (a notebook's cell).
    """
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    loops = []

    async def tracked():
        loop = asyncio.get_running_loop()
        loops.append(loop)
        if not os.environ.get("SCR_DEBUG"):  # a library's stray task error is not the user's business
            loop.set_exception_handler(lambda loop, context: None)
        return await coroutine

    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(asyncio.run, tracked())
        interrupted = False
        while True:
            try:
                result = future.result()
                break
            except KeyboardInterrupt:
                if future.done() or on_interrupt is None or not loops:
                    raise  # the coroutine's own, or nothing to tell it (the pool still waits for it)
                interrupted = True
                loops[0].call_soon_threadsafe(on_interrupt)
    if interrupted:
        raise KeyboardInterrupt
    return result


class _Kernel:
    """A started kernel (working folder: the notebooks folder) and the file its own messages go to."""

    def __init__(self, name: str, manager, log):
        self.name, self.manager, self.log = name, manager, log
        self.now = False  # stop it at once (Ctrl-C) rather than let it finish what it writes

    @classmethod
    async def start(cls, name: str, cwd: Path) -> "_Kernel":
        from jupyter_client import AsyncKernelManager

        log = tempfile.TemporaryFile()
        manager = AsyncKernelManager(kernel_name=KERNEL)
        try:  # as nbclient does: no IPython history file on disk
            await manager.start_kernel(cwd=str(cwd), stderr=log,
                                       extra_arguments=["--HistoryManager.hist_file=:memory:",
                                                        f"--IPKernelApp.exec_lines={KERNEL_SETUP}"])
        except Exception as err:
            log.close()
            raise RunError(f"{name}: the kernel {KERNEL!r} did not start: {err}") from None
        return cls(name, manager, log)

    def last_words(self, lines: int = 5) -> str:
        self.log.seek(0)
        tail = self.log.read().decode("utf-8", "replace").strip().splitlines()[-lines:]
        return "".join(f"\n    {line}" for line in tail)

    async def stop(self) -> None:
        """Shut the kernel down gracefully (it may still flush files it wrote)."""
        try:
            if self.manager.has_kernel:
                await self.manager.shutdown_kernel(now=self.now)
        finally:
            self.log.close()


async def _execute_async(source: Path, target: Path, given: dict, output_dir: Path, cwd: Path,
                         kernel: _Kernel | None = None, stopping: list | None = None,
                         raw: bytes | None = None) -> Path:
    """Execute one notebook (``raw``, the file's bytes, or else ``source``) in a fresh kernel into ``target``.

    Parameters go in as papermill puts them: a cell tagged injected-parameters
    after the cell tagged parameters. Raises :class:`RunError` naming the
    failing cell, or with the kernel's last words if it died. The kernel is
    shut down gracefully; with a ``stopping`` list, by a task appended to it
    (the caller awaits it), so that the next notebook need not wait.
    """
    import asyncio

    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    kernel = kernel or await _Kernel.start(source.name, cwd)
    client = None
    try:
        nb = _parameterized(source, {**given, "output_dir": str(output_dir)}, raw)
        client = NotebookClient(nb, km=kernel.manager, kernel_name=KERNEL, timeout=None, startup_timeout=120,
                                record_timing=False)
        try:
            await client.async_execute()
        except CellExecutionError as err:
            raise RunError(_cell_failure(source.name, nb, err)) from None
        except Exception as err:  # a kernel that died or never answered
            raise RunError(f"{source.name}: the kernel failed: {type(err).__name__}: {err}"
                           + kernel.last_words()) from None
    finally:
        if client is not None and client.kc is not None:
            client.kc.stop_channels()
        if stopping is None:
            await kernel.stop()
        else:
            stopping.append(asyncio.ensure_future(kernel.stop()))
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


def _parameterized(source: Path, parameters: dict, raw: bytes | None = None):
    """The notebook (``raw`` if given, else read from ``source``) with papermill's injected-parameters
    cell after its parameters cell; other cells' metadata unchanged."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.reads(raw.decode("utf-8"), as_version=4) if raw else nbformat.read(source, as_version=4)
    nb.metadata.setdefault("papermill", {})
    untagged = [c for c in nb.cells if "tags" not in c.metadata]
    for cell in untagged:  # papermill looks for the parameters cell in every cell's tags
        cell.metadata["tags"] = []
    nb = parameterize_notebook(nb, parameters, kernel_name=KERNEL)
    for cell in untagged:
        if not cell.metadata["tags"]:
            del cell.metadata["tags"]
    return nb


def _cell_failure(name: str, nb, err) -> str:
    """'<notebook> failed in cell N (`first line`): Error: message'."""
    failing = next((c for c in nb.cells if c.cell_type == "code"
                    and any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
    where = "a cell"
    if failing is not None:
        first = next((line for line in failing.source.splitlines() if line.strip()), "")
        where = f"cell {failing.execution_count} (`{first[:60]}`)"
    return f"{name} failed in {where}: {err.ename}: {err.evalue}"


def _refuse_moved_inputs(project: Project, params: Params, plans: list[_Plan]) -> None:
    """Raise :class:`RunError` if the library, the data or a file a param names changed while notebooks ran:
    what they computed may mix old and new inputs, and must not be kept under either's key."""
    ran = [p for p in plans if p.action == "execute"]
    if not ran:
        return
    now = {"library": cache.tree_digest(project.library), "data": _data_digest(project, params)}
    moved = {name for p in ran for name in now if p.inputs[name] != now[name]}
    moved |= {f"the file {k!r} points at" for p in ran for k, digest in _path_digests(p.given).items()
              if p.inputs["files"].get(k) != digest}
    if moved:
        raise RunError(f"{' and '.join(sorted(moved))} changed while the notebooks ran; nothing was "
                       "published or cached: run again")


def _assemble(work: Path, plans: list[_Plan]) -> None:
    """Copy every part's files into the run folder; two notebooks may not write the same file."""
    owner: dict[str, str] = {}
    for plan in plans:
        for rel in sorted(cache.tree_files(plan.part, skip=lambda n: n == "__pycache__")):
            if rel == cache.PART_FILE:
                continue
            if rel in owner:
                raise RunError(f"{plan.name} and {owner[rel]} both write {rel}")
            owner[rel] = plan.name
            target = work / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(plan.part / rel, target)


def _keep_successes(plans: list[_Plan], out: Path) -> None:
    """After a failure, move the parts this run made into the existing output's cache (not published)."""
    if not out.is_dir():
        return
    kept = cache.cache_dir(out) / cache.PARTS_DIR
    for plan in plans:
        if plan.action != "reuse" and not plan.error and plan.part and (plan.part / cache.PART_FILE).exists():
            kept.mkdir(parents=True, exist_ok=True)
            if not (kept / plan.part.name).exists():
                plan.part.rename(kept / plan.part.name)


def _write_failure(err: OSError, out: Path) -> str:
    """A one-line message for an OSError met while building or publishing a run."""
    where = f" ({err.filename})" if err.filename else ""
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return (f"no space left on the disk while writing the run{where}; nothing was published and the "
                f"previous output in {out} is as it was: free some space and run again")
    return (f"could not write the run: {err.strerror or err}{where}; nothing was published and the previous "
            f"output in {out} is as it was")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2`` with ``RENAME_EXCHANGE``).

    Returns False, having changed nothing, where the system or the file
    system cannot do it; raises OSError on any other failure.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (glibc before 2.28)
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap_into_place(work: Path, out: Path) -> None:
    """Replace ``out`` with ``work`` so that a reader sees the old run or the new one, never a mix.

    With no previous output, one rename. Otherwise one atomic exchange where
    the system offers it (``work`` then holds the previous output, which is
    removed), else two renames: ``out`` to ``.<name>.old-*``, ``work`` to
    ``out``. A run killed at any point leaves folders that the next run's
    :func:`_recover` puts back or removes.
    """
    if not out.exists():
        work.rename(out)
        return
    if _exchange(work, out):
        shutil.rmtree(work, ignore_errors=True)
        return
    old = out.with_name(f".{out.name}.old-{work.name.rsplit('.tmp-', 1)[-1]}")
    out.rename(old)
    work.rename(out)
    shutil.rmtree(old, ignore_errors=True)
