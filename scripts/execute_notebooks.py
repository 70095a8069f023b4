"""Re-execute the committed notebooks in place, with their default parameters.

    python scripts/execute_notebooks.py [NOTEBOOK ...]

nbval checks these committed outputs, so they are written deterministically:
no timing metadata, execution counts from 1, and the project's kernel named
in the metadata (JupyterLab opens them with it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
KERNELSPEC = {"name": "scr", "display_name": "Python 3 (SCR investigation)", "language": "python"}


def execute(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=600, record_timing=False,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    print(f"executed {path.relative_to(ROOT)}")


if __name__ == "__main__":
    targets = [Path(a).resolve() for a in sys.argv[1:]] or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    for target in targets:
        execute(target)
