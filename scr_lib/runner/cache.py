"""Content hashes that decide what a run must redo, and the record of what the last run made.

``scr run`` re-executes a notebook only when something its code can see has
changed. A notebook's *execution key* is a SHA-256 over:

- its code cells (source and cell metadata, in order; prose and stored outputs
  do not count),
- the values of the params it declares in its ``parameters`` cell, and the
  bytes of the files (or folders) the path params among them point at,
- every file of the library (``scr_lib/``) and of the data folder (``data/``),
  because notebooks read reference files there directly; a file that a path
  param of the run points at is left out of the data folder's hash (the
  bundled FOI file is in ``data/``): it reaches a notebook through its
  parameter, whose key covers the file's bytes, so changing it re-runs only
  the notebooks that declare that parameter,
- the kernel and the Python environment (interpreter and installed packages).

Its *notebook key* adds the bytes of the ``.ipynb`` file: when only that
changes (a markdown cell, say), the outputs are reused and only the prose of
the executed copy is replaced. The *run key* covers every notebook key and
every params value: when it matches the last run and the published files are
as that run left them, there is nothing to do.

Keys use content, never timestamps. Files and folders whose name starts with
a dot, and ``__pycache__`` folders, are left out of folder hashes (editor and
interpreter droppings, not inputs). A path that does not exist hashes as
"missing", so creating it changes the key.

The cache lives in the run's output folder, under ``.cache/``:
``manifest.json`` describes the published run, and ``parts/<stem>-<key>/``
holds each notebook's executed copy and what it wrote, with ``part.json``
listing every file's hash so a damaged part is never reused.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import sys
import sysconfig
from pathlib import Path

KEY_VERSION = "1"  # change when what goes into a key changes: every cache goes stale
CACHE_DIR = ".cache"
MANIFEST = "manifest.json"
PARTS_DIR = "parts"
PART_FILE = "part.json"
MISSING = "missing"
INJECTED_TAG = "injected-parameters"  # papermill's tag for the cell it adds


def digest_bytes(data: bytes) -> str:
    """SHA-256 of ``data``, as hex."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: str | Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _skipped(name: str) -> bool:
    return name.startswith(".") or name == "__pycache__"


def tree_files(root: str | Path, skip=_skipped) -> dict[str, str]:
    """Every file under ``root`` (relative POSIX path -> SHA-256), sorted; skipped names pruned."""
    root = Path(root)
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not skip(d))
        for name in sorted(files):
            if not skip(name):
                path = Path(folder, name)
                found[path.relative_to(root).as_posix()] = file_digest(path)
    return dict(sorted(found.items()))


def key(value) -> str:
    """SHA-256 of a JSON-able value (dict keys sorted): the building block of every key."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return digest_bytes(text.encode("utf-8"))


def tree_digest(root: str | Path) -> str:
    """One hash for a folder: its files' relative paths and contents ("missing" if absent)."""
    root = Path(root)
    return key(tree_files(root)) if root.is_dir() else MISSING


def path_digest(path: str | Path | None) -> str:
    """Hash of what a path points at: a file's bytes, a folder's tree, or "missing"."""
    if path is None:
        return MISSING
    path = Path(path)
    if path.is_file():
        return file_digest(path)
    return tree_digest(path)


def environment_digest() -> str:
    """The interpreter and the installed distributions (names and versions, from ``*.dist-info``)."""
    dists = set()
    for where in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
        try:
            dists.update(n for n in os.listdir(where) if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return key({"python": sys.version, "executable": sys.executable, "dists": sorted(dists)})


# --- notebooks as JSON (no nbformat: the no-op path must stay light) ---------------------------

def read_notebook(path: str | Path) -> dict:
    """A notebook file as plain JSON."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def cell_text(cell: dict) -> str:
    """A cell's source as one string (notebook files store it as a string or a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def tags(cell: dict) -> list:
    return list(cell.get("metadata", {}).get("tags", []))


def code_signature(nb: dict) -> list:
    """What execution depends on in a notebook: each code cell's source and metadata, in order."""
    return [[cell_text(c), c.get("metadata", {})] for c in nb.get("cells", []) if c.get("cell_type") == "code"]


def declared_parameters(nb: dict) -> list[str] | None:
    """Names assigned in the first cell tagged ``parameters`` ([] if there is none).

    None when that cell is not valid Python: the caller then assumes every
    param may matter.
    """
    cell = next((c for c in nb.get("cells", []) if "parameters" in tags(c)), None)
    if cell is None:
        return []
    try:
        tree = ast.parse(cell_text(cell))
    except SyntaxError:
        return None
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        for target in targets:
            for name in ast.walk(target):
                if isinstance(name, ast.Name) and name.id not in names:
                    names.append(name.id)
    return names


def reuse_outputs(source: dict, executed: dict) -> dict | None:
    """The executed copy of ``source`` made from an earlier execution of the same code.

    Cells (prose, ids, metadata) come from ``source``; each code cell takes
    its outputs and execution count from the matching cell of ``executed``,
    and papermill's injected-parameters cell is put back where it was.
    Returns None when the code cells do not line up one to one with the same
    source (the notebook must then be executed).
    """
    if (source.get("nbformat"), source.get("nbformat_minor", 0)) < (4, 5):
        return None  # cells without ids: let a real execution upgrade the notebook
    ran, injected, inject_after = [], None, -1
    for cell in executed.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        if INJECTED_TAG in tags(cell):
            injected, inject_after = cell, len(ran) - 1
        else:
            ran.append(cell)
    code = [c for c in source.get("cells", []) if c.get("cell_type") == "code"]
    if len(code) != len(ran) or any(cell_text(a) != cell_text(b) for a, b in zip(code, ran)):
        return None
    cells = [injected] if injected is not None and inject_after < 0 else []
    index = -1
    for cell in source["cells"]:
        cell = dict(cell)
        if cell.get("cell_type") == "code":
            index += 1
            cell["outputs"] = ran[index].get("outputs", [])
            cell["execution_count"] = ran[index].get("execution_count")
        cells.append(cell)
        if cell.get("cell_type") == "code" and index == inject_after and injected is not None:
            cells.append(injected)
    metadata = dict(source.get("metadata", {}))
    for name in ("papermill", "language_info", "widgets"):
        if name in executed.get("metadata", {}):
            metadata[name] = executed["metadata"][name]
    return {"cells": cells, "metadata": metadata, "nbformat": executed.get("nbformat", 4),
            "nbformat_minor": executed.get("nbformat_minor", 5)}


def write_notebook(nb: dict, path: Path) -> None:
    """Write notebook JSON as nbformat does (one-space indent, sorted keys, UTF-8, final newline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")


# --- the cache folder -------------------------------------------------------------------------

def cache_dir(out: Path) -> Path:
    return Path(out) / CACHE_DIR


def load_manifest(out: Path) -> dict:
    """The last run's manifest in ``out`` ({} if none, unreadable or from another cache version)."""
    try:
        manifest = json.loads((cache_dir(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) and manifest.get("version") == KEY_VERSION else {}


def save_manifest(out: Path, manifest: dict) -> None:
    path = cache_dir(out) / MANIFEST
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({**manifest, "version": KEY_VERSION}, indent=1, sort_keys=True) + "\n",
                    encoding="utf-8")


def published_files(out: Path) -> dict[str, str]:
    """Every published file of a run folder (path -> SHA-256); the cache itself is not published."""
    return tree_files(out, skip=lambda name: name == CACHE_DIR) if Path(out).is_dir() else {}


def part_name(notebook: str, notebook_key: str) -> str:
    return f"{Path(notebook).stem}-{notebook_key[:16]}"


def seal_part(part: Path, record: dict, write: bool = True) -> dict:
    """Write ``part.json`` (unless ``write`` is false): ``record`` plus the hash of every file in the part.
    Returns that record."""
    files = {k: v for k, v in tree_files(part, skip=lambda n: n == "__pycache__").items() if k != PART_FILE}
    record = {**record, "files": files}
    if write:
        (part / PART_FILE).write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return record


def _intact(part: Path) -> dict | None:
    """A part's record if every file it lists is there with the same hash, else None."""
    try:
        record = json.loads((part / PART_FILE).read_text(encoding="utf-8"))
        if all(file_digest(part / rel) == digest for rel, digest in record["files"].items()):
            return record
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def find_part(parts: Path, notebook: str, notebook_key: str, execution_key: str) -> tuple[Path, dict, bool] | None:
    """An intact cached part for a notebook: the exact one (same notebook key), or else one whose
    code ran with the same execution key (its outputs can be reused). Returns (folder, record, exact)."""
    exact = parts / part_name(notebook, notebook_key)
    record = _intact(exact) if exact.is_dir() else None
    if record and record.get("notebook_key") == notebook_key:
        return exact, record, True
    stem = Path(notebook).stem
    try:
        candidates = sorted(p for p in parts.iterdir() if p.name.rsplit("-", 1)[0] == stem)
    except OSError:
        return None
    for folder in candidates:
        record = _intact(folder)
        if record and record.get("execution_key") == execution_key and record.get("notebook") == notebook:
            return folder, record, False
    return None
