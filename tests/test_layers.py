"""The library's layers (docs/architecture.md): no module imports a module of a layer above its own.

A module's layer is its folder: ``scr_lib/inputs/foi.py`` is of the inputs layer. The modules at the
top of ``scr_lib`` are the foundation, except ``cli`` (the commands). Every import counts, those inside
functions too (a lazy import is still a dependency). A module of the foundation may be imported from
anywhere; the foundation imports only itself. The tools that make the bundled data live outside the
package, in ``tools/``, and nothing in ``scr_lib`` imports them.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

from scr_lib import paths

LIBRARY = paths.PROJ_ROOT / "scr_lib"
TOOLS = paths.PROJ_ROOT / "tools"

# Lower layers first. A module may import its own layer and any layer below it.
LAYERS = ["foundation", "inputs", "findings", "story", "site", "runner", "commands", "tools"]
FOLDERS = {"inputs", "findings", "story", "site", "runner"}  # scr_lib/<layer>/
TOP = {"paths": "foundation", "precision": "foundation", "words": "foundation", "verdict": "foundation",
       "charts": "foundation", "problems": "foundation", "interrupts": "foundation",
       "cli": "commands"}  # scr_lib/<module>.py
RANK = {layer: rank for rank, layer in enumerate(LAYERS)}


def layer_of(path: Path) -> str:
    """The layer of a module of scr_lib: its folder ('inputs' for scr_lib/inputs/foi.py), or TOP's entry."""
    parts = path.relative_to(LIBRARY).parts
    return parts[0] if len(parts) > 1 else TOP.get(path.stem, f"no layer: {path.stem}")


def _name_layer(name: str) -> str | None:
    """The layer of scr_lib.<name>: a folder's, or a top-level module's; None for anything else."""
    return name if name in FOLDERS else TOP.get(name)


@functools.cache  # each module parsed once for the tests below (about 0.3 s)
def imported(path: Path) -> frozenset[str]:
    """The layers of the scr_lib modules that ``path`` imports, anywhere in the file ('tools' for tools/)."""
    package = ["scr_lib", *path.relative_to(LIBRARY).parts[:-1]]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                full = alias.name.split(".")
                if full[0] == "tools":
                    found.add("tools")
                elif full[0] == "scr_lib" and len(full) > 1:
                    found.add(_name_layer(full[1]))
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            full = base + (node.module.split(".") if node.module else [])
            if full[:1] == ["tools"]:
                found.add("tools")
            elif full[:1] != ["scr_lib"]:
                continue
            elif len(full) > 1:
                found.add(_name_layer(full[1]))
            else:  # from scr_lib import x, y / from .. import x
                found.update(_name_layer(alias.name) for alias in node.names)
    return frozenset(found - {None})


MODULES = sorted(p for p in LIBRARY.rglob("*.py") if p != LIBRARY / "__init__.py")


def test_every_module_has_a_layer():
    assert sorted({layer_of(p) for p in MODULES} - set(LAYERS)) == []


def test_every_folder_of_the_package_is_a_layer():
    folders = {p.name for p in LIBRARY.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == FOLDERS


def test_no_module_imports_a_layer_above_its_own():
    wrong = []
    for path in MODULES:
        own = RANK[layer_of(path)]
        above = sorted(layer for layer in imported(path) if RANK[layer] > own)
        if above:
            wrong.append(f"{path.relative_to(LIBRARY)} ({LAYERS[own]}) imports from {above}, a layer above")
    assert MODULES and wrong == []


def test_the_runtime_never_imports_the_data_tools():
    assert sorted(TOOLS.glob("*.py")), "tools/ holds the data tools"
    for path in MODULES:
        assert "tools" not in imported(path), path


def test_the_doc_lists_the_layers_in_order():
    text = (paths.PROJ_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    positions = [text.find(f"**{name}**") for name in LAYERS]
    assert -1 not in positions and positions == sorted(positions)
    for module in TOP:
        assert f"`{module}`" in text, module
    for folder in [*FOLDERS, "tools"]:
        assert f"`{folder}/`" in text, folder
