"""A run's figures read through one module, so that results and claims need not import each other."""

import ast
from pathlib import Path

import pytest

import scr_lib
from scr_lib.story import figures


def test_a_value_is_read_bare_or_from_its_record_and_a_missing_one_is_an_error_or_the_default():
    run = {"a.bare": 0.25, "a.record": {"value": 3, "illustrative": True}}
    assert figures.value(run, "a.bare") == 0.25 and figures.value(run, "a.record") == 3
    assert figures.value(run, "a.none", None) is None
    with pytest.raises(KeyError):
        figures.value(run, "a.none")
    assert [figures.is_illustrative(run, k) for k in ("a.bare", "a.record", "a.none")] == [False, True, False]


def _imports(module: Path) -> set[str]:
    """The scr_lib modules a module imports, at the top or inside a function (as dotted names)."""
    package = ".".join(module.relative_to(Path(scr_lib.__file__).parent.parent).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[:len(package.split(".")) - node.level + 1]) if node.level else ""
            name = ".".join(filter(None, [base, node.module]))
            # `from . import x` imports the sibling module x, not the package that holds both
            found |= ({name} if node.module else set()) | {f"{name}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {n for n in found if n.startswith("scr_lib.")}


def test_no_module_of_scr_lib_imports_one_that_imports_it():
    root = Path(scr_lib.__file__).parent
    modules = {".".join(p.relative_to(root.parent).with_suffix("").parts).removesuffix(".__init__"): p
               for p in root.rglob("*.py")}
    imports = {name: _imports(path) & set(modules) for name, path in modules.items()}
    loops = sorted(f"{a} <-> {b}" for a in imports for b in imports[a] if a < b and a in imports.get(b, set()))
    assert loops == []
