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


def summary(returns: foi.FOIReturns, shown: str) -> dict:
    """What the story pages say of validated returns: the file as ``shown``, its rows, and how many of its
    values (of ``values``; and ``whole_rows``, rows marked '*') are illustrative, and ``refs``, its first and
    last FOI reference (:func:`foi_refs`)."""
    frame = returns.frame
    marked = sum(int(foi.illustrative_mask(frame, c).sum()) for c in foi.VALUE_COLUMNS)
    return {"path": shown, "rows": len(frame), "illustrative_values": marked,
            "values": len(frame) * len(foi.VALUE_COLUMNS), "whole_rows": int(frame["illustrative"].eq("*").sum()),
            "refs": foi_refs(frame)}


def foi_refs(frame) -> list[str]:
    """The first and last FOI reference of the returns (sorted), for the pages' source line; none when a
    reference is missing or illustrative (a generated reference is never shown as an FOI answer's)."""
    if "foi_ref" not in frame.columns or frame.empty:
        return []
    refs = frame["foi_ref"]
    if refs.isna().any() or refs.astype(str).str.strip().eq("").any() or foi.illustrative_mask(frame, "foi_ref").any():
        return []
    ordered = sorted(refs.astype(str).str.strip())
    return [ordered[0], ordered[-1]]
