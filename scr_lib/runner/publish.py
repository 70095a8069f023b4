"""The run folder: whose it is, one run at a time, its record, and publishing it in one atomic step.

A run builds its folder in a new hidden folder beside the output,
``.<name>.run-*``. Publishing is one ``os.replace``: a symbolic link
``<name>`` -> ``.<name>.run-*`` takes the place of the previous one, so a
reader sees the old run or the new one, never a mix, and a run stopped at
any point (Ctrl-C, kill, full disk) leaves the previous output as it was.
The next run removes what a killed run left (:func:`recover`).

The folder's ``.scr-run`` file marks it as the run's own and records the
SHA-256 of every file in it (:func:`record`): a folder edited after its run
is refused by :func:`edited`. A run writes only into a folder it made, or a
new or empty one (:func:`check_out_dir`, :func:`refuse_foreign`), one run
at a time (:func:`lock`).
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
    below = {Path(d).resolve() for d in (paths.DATA, project.data, paths.NOTEBOOKS, project.notebooks,
                                         project.library, paths.LIBRARY, paths.PARAMS, paths.PROJ_ROOT / ".git")}
    inputs = [Path(params.path).resolve()] + [Path(params.values[k]).resolve() for k, knob in KNOBS.items()
                                              if knob.is_path and params.values.get(k)]
    why = ("it is the root or home folder, or holds it" if out in (home, *home.parents) else
           "it holds the project" if out in (paths.PROJ_ROOT, *paths.PROJ_ROOT.parents) else
           next((f"it is the project's {d.name}/ folder, or inside it" for d in sorted(below)
                 if d in (out, *out.parents)), None) or
           next((f"it holds an input, {p}, which the run would replace" for p in inputs
                 if out in (p, *p.parents)), None))
    if why:
        raise UsageError(f"refusing to write the run into {out}: {why}; choose a new folder, such as "
                         f"build/{params.name}")
    for above in (out, *out.parents):
        if above.exists() and not above.is_dir() and not above.is_symlink():
            raise UsageError(f"cannot write the run into {out}: {above} is a file, not a folder; choose another "
                             "folder")


@contextlib.contextmanager
def lock(out: Path):
    """Hold ``.<name>.lock`` beside ``out`` (``flock``, released by the system even when the process is
    killed) for the block; raise :class:`UsageError` if another run holds it."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f".{out.name}.lock", "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            raise UsageError(f"another `scr run` is writing into {out}" + (f" (process {holder})" if holder
                             else "") + "; wait for it to finish, or choose another --out folder") from None
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield


def _stranded(out: Path) -> list[Path]:
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(run|link|old|tmp)-[A-Za-z0-9_]+")
    return [p for p in out.parent.iterdir() if pattern.fullmatch(p.name)]


def recover(out: Path) -> None:
    """With ``out`` locked, undo what a killed run left beside it: put back a previous output moved aside
    (``.<name>.old-*``) if ``out`` is missing; remove every other run, link or old folder but ``out``'s own."""
    stranded = _stranded(out)
    if not os.path.lexists(out):
        olds = sorted((p for p in stranded if ".old-" in p.name), key=lambda p: p.lstat().st_mtime)
        if olds:
            olds[-1].rename(out)
    current = out.resolve() if out.is_symlink() else None
    for path in stranded:
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.exists() and path.resolve() != current:
            shutil.rmtree(path)


def read_record(out: Path) -> dict | None:
    """The record in ``out/.scr-run`` (None if there is none, or it is not one this version wrote)."""
    try:
        record = json.loads((out / MARK).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("version") == KEY_VERSION else None


def refuse_foreign(out: Path, params) -> None:
    """Raise :class:`UsageError` unless ``out`` is missing, empty, or a folder a run made (it has ``.scr-run``;
    a link: to a run folder beside it)."""
    target = out.resolve() if out.is_symlink() else out
    ours = not out.is_symlink() or (target.parent == out.parent and target.name.startswith(f".{out.name}.run-"))
    if not os.path.lexists(out) or (ours and target.is_dir() and ((target / MARK).is_file() or
                                                                  not any(target.iterdir()))):
        return
    raise UsageError(f"refusing to write the run into {out}: it holds files scr run did not make (it has no "
                     f"{MARK} file), and a run replaces everything in its folder; choose a new or empty folder, "
                     f"such as build/{params.name}")


def published_files(folder: Path) -> dict[str, str]:
    """Every file of a run folder (relative path -> SHA-256), but its record."""
    return tree_files(folder, skip=lambda name: name == MARK)


def record(folder: Path, body: dict) -> None:
    """Write ``folder/.scr-run``: ``body`` and the digest of every file in ``folder``."""
    text = json.dumps({"note": NOTE, **body, "version": KEY_VERSION, "files": published_files(folder)},
                      indent=1, sort_keys=True)
    (folder / MARK).write_text(text + "\n", encoding="utf-8")


def edited(folder: Path, saved: dict | None = None) -> str | None:
    """'<file> was changed|removed|added' for the first file that differs from the run's record, else None
    (also for a folder with no record: nothing to compare)."""
    saved = saved if saved is not None else read_record(Path(folder))
    if not saved:
        return None
    now = published_files(folder)
    for name in sorted(set(now) | set(saved["files"])):
        if now.get(name) != saved["files"].get(name):
            how = "added" if name not in saved["files"] else "removed" if name not in now else "changed"
            return f"{shown(folder, name)} was {how} after the run that wrote it"
    return None


def shown(out: Path, name: str = "") -> str:
    """``out`` (or a file ``name`` in it) as :func:`scr_lib.paths.display` shows it, the link not followed."""
    out = Path(out).absolute()
    return str(Path(paths.display(out.parent), out.name, name))


def swap(work: Path, out: Path) -> None:
    """Publish ``work`` as ``out`` in one ``os.replace`` of the link ``out``; remove the run it replaces.

    A real folder at ``out`` (an empty one, or one an older version made) is
    first moved aside to ``.<name>.old-*``: killed then, :func:`recover` puts it back.
    """
    suffix = work.name.rsplit("-", 1)[-1]
    link = out.with_name(f".{out.name}.link-{suffix}")
    os.symlink(work.name, link)
    before = out.resolve() if out.is_symlink() else None
    if out.is_dir() and not out.is_symlink():
        before = out.rename(out.with_name(f".{out.name}.old-{suffix}"))
    os.replace(link, out)
    if before is not None and before != work.resolve():
        shutil.rmtree(before, ignore_errors=True)
