"""Every path the project uses, in one place.

Relative paths in notebooks and params files are resolved against these
constants, never against the current working directory of a kernel.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJ_ROOT = Path(__file__).resolve().parents[1]
LIBRARY = Path(__file__).resolve().parent  # scr_lib/ itself
SITE_TEMPLATES = LIBRARY / "site" / "templates"
SITE_ASSETS = LIBRARY / "site" / "assets"

DATA = PROJ_ROOT / "data"
REFERENCE_DIR = DATA / "reference"
PCT_REFERENCE = REFERENCE_DIR / "pcts_2010.csv"
PULSE_DIR = DATA / "pulse_2010"
ARTICLES = PULSE_DIR / "articles.csv"
CLAIMS = PULSE_DIR / "claims.csv"
FOI_2010 = DATA / "foi_2010" / "foi_returns_2010.csv"
OOH_RATES = DATA / "ooh" / "published_call_rates.csv"

NOTEBOOKS = PROJ_ROOT / "notebooks"
PARAMS = PROJ_ROOT / "params"
DEFAULT_PARAMS = PARAMS / "pulse_2010.yaml"
BUILD = PROJ_ROOT / "build"


def project_path(path: str | Path) -> Path:
    """Return ``path`` as an absolute path; a relative one is taken from the project root.

    Notebooks use this for their default parameters so that they run the same
    from JupyterLab, papermill or nbval, whatever the kernel's working folder.
    """
    path = Path(path)
    return path if path.is_absolute() else PROJ_ROOT / path


def display(path: str | Path, root: str | Path | None = None) -> str:
    """A path as a person reads it: the one way the suite shows a path.

    For messages (``root`` None): relative to the working folder when inside
    it, else as given. For what is published, pages and notebook outputs
    (``root=PROJ_ROOT``): relative to the project when inside it, else the
    file name only, so that a page never shows a folder of the machine it was made on.
    """
    path = Path(path)
    base = Path.cwd() if root is None else Path(root)
    try:  # lexically: a run folder is a link (build/pulse_2010), shown as such, not as what it points at
        return str(Path(os.path.abspath(path)).relative_to(os.path.abspath(base.resolve())))
    except ValueError:
        return str(path) if root is None else path.name
