"""The claims ledger as written: ``data/pulse_2010/claims.csv``, one row per figure the articles print.

Columns: claim_id, finding, result_key, article_id, quote, printed, value
(in the claim's unit), unit, scale, decimals, check, wording, reason (see
:mod:`scr_lib.story.claims` for what they mean and how a run is checked against
them). ``printed``, ``quote`` and ``reason`` are text; a blank ``reason`` or
``result_key`` is missing (NaN). This module only reads: whether each
``finding`` is a declared one is checked by :func:`scr_lib.story.claims.load_claims`.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from .. import paths

CHECKS = ("equal", "one_in", "less_than", "at_least", "more_than", "at_most", "input", "context")


def read(path: str | Path | None = None) -> pd.DataFrame:
    """The ledger at ``path`` (default :data:`scr_lib.paths.CLAIMS`) as a new table."""
    return pd.read_csv(path or paths.CLAIMS, dtype={"printed": str, "quote": str, "reason": str})


def load_claims(finding: str | None = None) -> pd.DataFrame:
    """The ledger's rows, or those of one ``finding`` id, read anew each call (index 0, 1...)."""
    table = read()
    if finding is not None:
        table = table[table.finding == finding]
    return table.reset_index(drop=True).copy()


def published(result_key: str, claim_id: str | None = None, table: pd.DataFrame | None = None) -> float:
    """The published value behind ``result_key``, in the result's own unit (the claim's value / scale).

    Where several claims share the key, the most precise (most decimals after
    scaling back) is used unless ``claim_id`` names one. ``table``: the ledger
    to look in (default: :func:`load_claims`). Raises ``KeyError`` naming the
    known keys when there is none.
    """
    table = load_claims() if table is None else table
    rows = table[table.result_key == result_key] if claim_id is None else table[table.claim_id == claim_id]
    if rows.empty:
        raise KeyError(f"no published claim for {result_key!r}; known: {', '.join(sorted(table.result_key.dropna()))}")
    places = rows.decimals + rows.scale.map(math.log10)  # decimals in the result's own unit
    row = rows.loc[places.idxmax()]
    return float(row.value) / float(row.scale)
