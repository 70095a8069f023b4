"""The FOI returns a notebook reads: the file its params name, read and validated as `scr run` validated it.

This is the one route by which FOI data reaches a notebook, under `scr run`,
papermill, nbval or JupyterLab alike: the raw file, through
:func:`scr_lib.inputs.foi.load_returns`. (`scr run` also reads it once
before any kernel starts, only to refuse a bad file early.)
"""

from __future__ import annotations

from pathlib import Path

from . import foi


def foi_returns(path: str | Path, sheet: str | None = None) -> foi.FOIReturns:
    """The FOI returns in the file at ``path`` (worksheet ``sheet``; '' or None: the first visible one),
    read and validated by :func:`scr_lib.inputs.foi.load_returns` (which raises on any problem)."""
    return foi.load_returns(path, sheet=sheet or None)
