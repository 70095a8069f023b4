"""The library's layers (docs/architecture.md): no module imports a module of a layer above its own.

Every import counts, those inside functions too (a lazy import is still a dependency). A module of the
foundation may be imported from anywhere; the foundation imports only itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from scr_lib import paths

LIBRARY = paths.PROJ_ROOT / "scr_lib"

# Lower layers first. A module may import its own layer and any layer below it.
LAYERS: list[tuple[str, set[str]]] = [
    ("foundation", {"paths", "precision", "words", "verdict", "charts", "problems"}),
    ("inputs", {"params", "foi", "reference", "values", "checked", "ledger"}),
    ("findings", {"refusal", "spend", "ooh", "findings"}),
    ("story", {"results", "claims", "report", "numbers", "draft"}),
    ("site", {"site"}),
    ("runner", {"run", "cache"}),
    ("commands", {"cli"}),
    ("tools", {"synth", "examples"}),  # make data; never imported by the runtime
]
RANK = {module: rank for rank, (_, modules) in enumerate(LAYERS) for module in modules}


def module_name(path: Path) -> str:
    """The top-level name of a module of scr_lib: 'foi' for scr_lib/foi.py, 'findings' for scr_lib/findings/x.py."""
    return path.relative_to(LIBRARY).parts[0].removesuffix(".py")


def imported(path: Path) -> set[str]:
    """The scr_lib modules (top-level names) that ``path`` imports, anywhere in the file."""
    package = ["scr_lib", *path.relative_to(LIBRARY).parts[:-1]]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("scr_lib."))
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            full = base + (node.module.split(".") if node.module else [])
            if full[:1] != ["scr_lib"]:
                continue
            if len(full) > 1:
                found.add(full[1])
            else:  # from scr_lib import x, y / from . import x (in scr_lib itself)
                found.update(alias.name for alias in node.names)
    return found


MODULES = sorted(p for p in LIBRARY.rglob("*.py") if p.name != "__init__.py" or p.parent != LIBRARY)


def test_every_module_has_a_layer():
    assert sorted({module_name(p) for p in MODULES} - set(RANK)) == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(LIBRARY)))
def test_no_module_imports_a_layer_above_its_own(path):
    own = RANK[module_name(path)]
    above = sorted(m for m in imported(path) if m in RANK and RANK[m] > own)
    assert above == [], f"{path.relative_to(LIBRARY)} ({LAYERS[own][0]}) imports {above} from a layer above"


def test_the_runtime_never_imports_the_data_tools():
    tools = LAYERS[-1][1]
    for path in MODULES:
        if module_name(path) not in tools:
            assert not imported(path) & tools, path


def test_the_doc_lists_the_layers_in_order():
    text = (paths.PROJ_ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    positions = [text.find(f"**{name}**") for name, _ in LAYERS]
    assert -1 not in positions and positions == sorted(positions)
    for _, modules in LAYERS:
        for module in modules:
            assert f"`{module}`" in text, module
