"""What a run must do: content hashes (never timestamps) decide which notebooks execute.
A notebook's *execution key* is a SHA-256 over what its code can see: its code cells (source and
metadata), the params its ``parameters`` cell declares and the bytes of the files they point at, every
file of ``scr_lib/`` and ``data/`` (less the files a path param names: they count only for notebooks that
declare it), the kernel and the Python environment. Its *notebook key* adds the ``.ipynb`` file's bytes:
if only they changed (prose), the outputs are reused with the new cells. The *run key* covers every
notebook key and params value: if it matches the last run's, there is nothing to do. Names starting with
a dot and ``__pycache__`` are left out."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from .. import paths
from ..findings import KNOBS

KERNEL = "python3"  # ipykernel's own spec: the interpreter that runs `scr`
KEY_VERSION = "2"  # change when what goes into a key changes: every cache goes stale


class RunError(Exception):
    """The run failed: the message names the notebook or file, and what to do."""


def file_digest(path: str | Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def tree_files(root: str | Path, skip=lambda name: name.startswith(".") or name == "__pycache__") -> dict:
    """Every file under ``root`` (relative POSIX path -> SHA-256), sorted; names ``skip`` accepts are pruned."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not skip(d)]
        found.update({Path(folder, n).relative_to(root).as_posix(): file_digest(Path(folder, n))
                      for n in files if not skip(n)})
    return dict(sorted(found.items()))


def key(value) -> str:
    """SHA-256 of a JSON-able value, dict keys sorted: the building block of every key."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def path_digest(path) -> str:
    """What a path points at: a file's bytes, a folder's files, or "missing"."""
    path = Path(path) if path else None
    return "missing" if path is None or not path.exists() else file_digest(path) if path.is_file() else key(
        tree_files(path))


def environment_digest() -> str:
    """The interpreter and the installed distributions (their ``*.dist-info`` folder names)."""
    where = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    dists = sorted(n for w in where if os.path.isdir(w) for n in os.listdir(w) if n.endswith(".dist-info"))
    return key({"python": sys.version, "executable": sys.executable, "dists": dists})


def cell_text(cell: dict) -> str:  # a cell's source is a string, or a list of lines
    return "".join(cell.get("source", ""))


def declared_parameters(nb: dict) -> list[str] | None:
    """Names the first cell tagged ``parameters`` assigns ([] if none; None if it is not valid Python)."""
    cell = next((c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return []
    try:
        tree = ast.parse(cell_text(cell))
    except SyntaxError:
        return None
    targets = [t for n in tree.body for t in (n.targets if isinstance(n, ast.Assign) else
                                               [n.target] if isinstance(n, ast.AnnAssign) else [])]
    return list(dict.fromkeys(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)))


@dataclass(frozen=True)
class Project:
    """The folders a run reads: the notebooks (also the kernels' working folder), data and library."""
    notebooks: Path = paths.NOTEBOOKS
    data: Path = paths.DATA
    library: Path = paths.LIBRARY


@dataclass
class Step:
    """One notebook in this run: what it is given, its keys, and what the run does with it."""
    source: Path
    name: str
    raw: bytes  # the file as hashed: what is executed, even if the file changes meanwhile
    declared: list
    given: dict  # the params values it receives (output_dir aside)
    inputs: dict  # what its execution key covers, by kind
    execution_key: str = ""
    notebook_key: str = ""
    action: str = "execute"  # execute | reuse (same notebook key) | reprose (same execution key)
    cached: Path | None = None  # the part it reuses, in the last run's cache
    part: str = ""  # its folder in a run's cache: ``.cache/parts/<stem>-<notebook key>``
    why: str = ""
    error: str = ""


def notebooks(folder: Path | None = None) -> list[Path]:
    """The story's notebooks, in order: ``notebooks/NN-*.ipynb``."""
    return sorted(Path(folder or paths.NOTEBOOKS).glob("[0-9][0-9]-*.ipynb"))


def shared_inputs(project: Project, values: dict) -> dict:
    """What every notebook's key covers: the library, ``data/`` (less files a path param names), the rest."""
    named = {Path(v).resolve() for k, v in values.items() if k in KNOBS and KNOBS[k].is_path and v}
    data = Path(project.data)
    files = {rel: h for rel, h in tree_files(data).items()
             if named.isdisjoint({(data / rel).resolve(), *(data / rel).resolve().parents})}
    return {"version": KEY_VERSION, "kernel": KERNEL, "library": path_digest(project.library),
            "data": key(files), "environment": environment_digest()}


def plan(project: Project, values: dict) -> tuple[list[Step], str, dict]:
    """Each notebook's :class:`Step` (keys set, action 'execute'), the run key, and :func:`shared_inputs`."""
    shared, steps = shared_inputs(project, values), []
    for source in notebooks(project.notebooks):
        raw = source.read_bytes()
        try:
            nb = json.loads(raw)
        except ValueError as err:
            raise RunError(f"{source.name} is not a notebook file (not valid JSON: {err})") from None
        declared = declared_parameters(nb)
        given = {k: values[k] for k in (list(values) if declared is None else declared)
                 if k in values and k != "output_dir"}
        code = [[cell_text(c), c.get("metadata", {})] for c in nb.get("cells", []) if c.get("cell_type") == "code"]
        files = {k: path_digest(v) for k, v in given.items() if k in KNOBS and KNOBS[k].is_path}
        step = Step(source, source.name, raw, declared or [], given,
                    {**shared, "code": key(code), "params": given, "files": files})
        step.execution_key = key({"notebook": source.name, "inputs": step.inputs})
        step.notebook_key = key({"execution": step.execution_key, "file": hashlib.sha256(raw).hexdigest()})
        step.part = f"{source.stem}-{step.notebook_key[:16]}"
        steps.append(step)
    files = {k: path_digest(v) for k, v in values.items() if k in KNOBS and KNOBS[k].is_path}
    run_key = key({"notebooks": [[s.name, s.notebook_key] for s in steps], "params": values, "files": files})
    return steps, run_key, shared


_WHAT = {"code": "its code cells", "params": "its params", "files": "the files its params point at",
         "library": "scr_lib", "data": "data/", "environment": "Python", "kernel": "the kernel", "version": "the cache"}


def choose(steps: list[Step], record: dict, cache: Path, new: str = "not run before") -> None:
    """Set each step's action from the last run's ``record`` (its cache ``cache``): reuse a part of the same
    notebook key, reprose one of the same execution key, else execute, saying why (``new``: not in the record)."""
    parts = record.get("parts", {})
    for step in steps:
        last = parts.get(step.name)
        if last is None:
            step.why = new
        elif last["notebook_key"] == step.notebook_key:
            step.action, step.cached, step.why = "reuse", cache / last["part"], "unchanged"
        elif last["execution_key"] == step.execution_key:
            step.action, step.cached = "reprose", cache / last["part"]
            step.why = "prose changed, code unchanged: outputs reused"
        else:
            old = last.get("inputs", {})
            changed = [w for k, w in _WHAT.items() if old.get(k) != step.inputs[k]]
            step.why = f"{' and '.join(changed) or 'its inputs'} changed"
