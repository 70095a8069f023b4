"""The run folder: whose it is, one run at a time, its record, and publishing it in one atomic step.
A run is built in a new hidden folder beside the output, ``.<name>.run-*``; publishing is one
``os.replace`` that puts a link ``<name>`` -> ``.<name>.run-*`` in the place of the last one, so a
reader sees the old run or the new one, never a mix, and a run stopped at any point (Ctrl-C, kill, a
full disk) leaves the previous output as it was; the next run removes what it left (:func:`recover`).
The folder's ``.scr-run`` marks it as the run's own and records every file's SHA-256 (:func:`record`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import shutil
from pathlib import Path

from .. import paths
from ..findings import KNOBS
from .plan import KEY_VERSION, RunError, tree_files

MARK = ".scr-run"
NOTE = "written by `scr run`, which replaces this folder on each run; without this file it refuses to"


class UsageError(RunError):
    """The run was asked to write where it must not, or cannot (the command exits 2)."""


def check_out_dir(out: Path, params, project) -> None:
    """Raise :class:`UsageError` if ``out`` (absolute, its parent resolved) is a place a run must never
    replace: the root or home folder or one above, the project or one above, the project's ``data/``,
    ``notebooks/``, ``scr_lib/``, ``params/``, ``.git/`` or a folder in them, a folder holding the params
    file or a file a param names, a path under a file."""
    home = Path.home().resolve() if "HOME" in os.environ else Path(out.anchor)
    data = {Path(d).resolve() for d in (paths.DATA, project.data)}
    own = {Path(d).resolve() for d in (paths.NOTEBOOKS, project.notebooks, project.library, paths.LIBRARY,
                                       paths.PARAMS, paths.PROJ_ROOT / ".git")}
    inputs = [Path(params.path).resolve()] + [Path(params.values[k]).resolve() for k, knob in KNOBS.items()
                                              if knob.is_path and params.values.get(k)]
    refusals = [(any(d in (out, *out.parents) for d in data), "nothing is written under data/"),
                (out in (home, *home.parents), "it is the root or home folder, or holds it"),
                (out in (paths.PROJ_ROOT, *paths.PROJ_ROOT.parents), "it holds the project")]
    refusals += [(d in (out, *out.parents), f"it is the project's {d.name}/ folder, or inside it") for d in own]
    refusals += [(out in (p, *p.parents), f"it holds an input, {p}, which the run would replace") for p in inputs]
    refusals += [(a.exists() and not a.is_dir(), f"{a} is a file, not a folder") for a in (out, *out.parents)]
    if why := next((reason for refused, reason in refusals if refused), None):
        raise UsageError(f"refusing to write the run into {out}: {why}; choose a new folder, such as "
                         f"build/{params.name}")


@contextlib.contextmanager
def lock(out: Path):
    """Hold ``.<name>.lock`` beside ``out`` (``flock``: the system releases it even when the process is
    killed) for the block, then remove it; raise :class:`UsageError` if another run holds it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f".{out.name}.lock", "a", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(handle.fileno()).st_ino != os.stat(handle.name).st_ino:  # its holder removed it meanwhile
                raise BlockingIOError
        except (BlockingIOError, FileNotFoundError):
            raise UsageError(f"another `scr run` is writing into {out}; wait for it to finish, or choose another "
                             "--out folder") from None
        try:
            yield
        finally:
            os.unlink(handle.name)


def recover(out: Path) -> None:
    """With ``out`` locked, undo what a killed run left beside it: put back a previous output moved aside
    (``.<name>.old-*``) if ``out`` is missing; remove every other run, link or old folder but ``out``'s own."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(run|link|old|tmp)-[A-Za-z0-9_]+")
    stranded = sorted((p for p in out.parent.iterdir() if pattern.fullmatch(p.name)), key=lambda p: p.lstat().st_mtime)
    if (olds := [p for p in stranded if ".old-" in p.name]) and not os.path.lexists(out):
        olds[-1].rename(out)
        stranded.remove(olds[-1])
    for path in stranded:
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.resolve() != out.resolve():  # not the folder ``out`` links to
            shutil.rmtree(path)


def refuse_foreign(out: Path, params) -> None:
    """Raise :class:`UsageError` unless ``out`` is missing, empty, or a folder a run made (it has ``.scr-run``;
    a link: to a run folder beside it)."""
    target = out.resolve()
    ours = not out.is_symlink() or (target.parent == out.parent and target.name.startswith(f".{out.name}.run-"))
    if os.path.lexists(out) and not (ours and target.is_dir() and ((target / MARK).is_file()
                                                                   or not any(target.iterdir()))):
        raise UsageError(f"refusing to write the run into {out}: it holds files scr run did not make (it has no "
                         f"{MARK} file), and a run replaces everything in its folder; choose a new or empty "
                         f"folder, such as build/{params.name}")


def published_files(folder: Path) -> dict[str, str]:
    """Every file of a run folder (relative path -> SHA-256), but its record."""
    return tree_files(folder, skip=lambda name: name == MARK)


def read_record(out: Path) -> dict | None:
    """The record in ``out/.scr-run`` (None if there is none, or it is not one this version wrote)."""
    with contextlib.suppress(OSError, ValueError):
        record = json.loads((out / MARK).read_text(encoding="utf-8"))
        return record if isinstance(record, dict) and record.get("version") == KEY_VERSION else None
    return None


def record(folder: Path, body: dict) -> None:
    """Write ``folder/.scr-run``: ``body`` and the SHA-256 of every file in ``folder``."""
    text = json.dumps({"note": NOTE, **body, "version": KEY_VERSION, "files": published_files(folder)}, indent=1)
    (folder / MARK).write_text(text + "\n", encoding="utf-8")


def edited(folder: Path, saved: dict | None = None) -> str | None:
    """'<file> was changed|removed|added after the run that wrote it' for the first file that differs from
    the run's record (``saved``, else read), or None (also for a folder with no record: nothing to compare)."""
    saved = read_record(Path(folder)) if saved is None else saved
    now, then = (published_files(folder), saved["files"]) if saved else ({}, {})
    for name in sorted(n for n in set(now) | set(then) if now.get(n) != then.get(n)):
        how = "added" if name not in then else "removed" if name not in now else "changed"
        return f"{shown(folder, name)} was {how} after the run that wrote it"


def shown(out: Path, name: str = "") -> str:
    """``out`` (or a file ``name`` in it) as :func:`scr_lib.paths.display` shows it: the link, not its target."""
    return paths.display(Path(out, name))


def swap(work: Path, out: Path) -> None:
    """Publish ``work`` as ``out`` with one ``os.replace`` of the link ``out``; remove the run it replaces.
    A real folder at ``out`` (an empty one, or an older version's) is first moved to ``.<name>.old-*``."""
    suffix = work.name.rsplit("-", 1)[-1]
    os.symlink(work.name, out.with_name(f".{out.name}.link-{suffix}"))
    before = out.resolve() if out.is_symlink() else (
        out.rename(out.with_name(f".{out.name}.old-{suffix}")) if out.is_dir() else None)
    os.replace(out.with_name(f".{out.name}.link-{suffix}"), out)
    if before is not None and before != work.resolve():
        shutil.rmtree(before, ignore_errors=True)
