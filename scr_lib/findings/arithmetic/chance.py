"""How far chance alone could move an area's share of invited practices that declined (issue 24).

Two standard tools, as national statistics publishers use them (Public Health England's Fingertips profiles show
95% and 99.8% limits and flag small numbers):

* :func:`wilson` -- the Wilson score interval for one area's share (Wilson, 1927; recommended over the simple
  "plus or minus 1.96 standard errors" by Newcombe, *Statistics in Medicine* 17:857-872, 1998, because it stays
  inside 0-100% and behaves with small counts).
* :func:`funnel_limits` -- funnel-plot control limits around the national share for an area that invited ``n``
  practices: the normal approximation to the binomial, ``p0 +/- z * sqrt(p0 (1 - p0) / n)``, cut to 0-1, as set out
  by Spiegelhalter, "Funnel plots for comparing institutional performance", *Statistics in Medicine*
  24:1185-1202 (2005). ``z`` is 1.96 for the 95% limits and 3.09 for the 99.8% limits. The approximation is rough
  with few practices: hence :data:`SMALL_NUMBERS`.

:func:`verdict` says where an area stands against those limits. Units: counts are practices; shares and limits are
fractions (0-1), rounded to 12 significant digits (:mod:`scr_lib.precision`). Missing values: an area with no
practices invited (or a missing count) has no interval, no limits and no verdict (``None``).
"""

from __future__ import annotations

import math
from statistics import NormalDist

from ...precision import round_number

LEVELS = (0.95, 0.998)
"""The funnel plot's two limits: 95% (about 1 in 20 areas outside by chance alone) and 99.8% (1 in 500)."""

SMALL_NUMBERS = 20
"""Areas that invited fewer practices than this carry "small numbers": their share can swing widely by chance."""

ABOVE, BELOW, WITHIN = "above", "below", "within"
FAR_ABOVE, FAR_BELOW = "far above", "far below"
VERDICTS = (FAR_ABOVE, ABOVE, WITHIN, BELOW, FAR_BELOW)
""":func:`verdict`'s answers: outside the 99.8% limit ("far"), outside only the 95% one, or within both."""


def z_value(level: float) -> float:
    """The two-sided standard normal quantile for a confidence ``level`` (0.95 gives 1.95996...)."""
    if not 0 < level < 1:
        raise ValueError(f"a confidence level is between 0 and 1, not {level!r}")
    return NormalDist().inv_cdf(0.5 + level / 2)


def _counts(declined, invited) -> tuple[int, int] | None:
    if declined is None or invited is None or _missing(declined) or _missing(invited) or invited <= 0:
        return None
    if not 0 <= declined <= invited:
        raise ValueError(f"declined ({declined}) must be between 0 and invited ({invited})")
    return int(declined), int(invited)


def _missing(value) -> bool:
    try:
        return math.isnan(value)
    except TypeError:
        return False


def wilson(declined, invited, level: float = 0.95) -> tuple[float, float] | None:
    """The Wilson score interval (low, high) for the share ``declined / invited``, as fractions 0-1.

    ``None`` when ``invited`` is zero or either count is missing. Raises ``ValueError`` when ``declined`` is
    not between 0 and ``invited``.
    """
    counts = _counts(declined, invited)
    if counts is None:
        return None
    k, n = counts
    z = z_value(level)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return round_number(max(0.0, centre - half)), round_number(min(1.0, centre + half))


def funnel_limits(share: float, invited, level: float) -> tuple[float, float] | None:
    """The funnel plot's (lower, upper) limits at ``level`` around the national ``share`` for an area that
    invited ``invited`` practices (Spiegelhalter 2005's normal approximation, cut to 0-1). ``None`` when
    ``invited`` is zero or missing, or ``share`` is missing."""
    if share is None or _missing(share) or invited is None or _missing(invited) or invited <= 0:
        return None
    if not 0 <= share <= 1:
        raise ValueError(f"a share is between 0 and 1, not {share!r}")
    spread = z_value(level) * math.sqrt(share * (1 - share) / invited)
    return round_number(max(0.0, share - spread)), round_number(min(1.0, share + spread))


def verdict(declined, invited, share: float) -> str | None:
    """Where an area's share stands against the funnel limits around the national ``share``: one of
    :data:`VERDICTS` ("far above"/"far below": outside the 99.8% limit; "above"/"below": outside the 95% limit
    only; "within"). An area exactly on a limit is within it. ``None`` when there is no share or no limit."""
    counts = _counts(declined, invited)
    if counts is None or share is None or _missing(share):
        return None
    k, n = counts
    own = round_number(k / n)
    wide, narrow = funnel_limits(share, n, max(LEVELS)), funnel_limits(share, n, min(LEVELS))
    if own > wide[1]:
        return FAR_ABOVE
    if own < wide[0]:
        return FAR_BELOW
    if own > narrow[1]:
        return ABOVE
    if own < narrow[0]:
        return BELOW
    return WITHIN


def small_numbers(invited) -> bool:
    """True when an area invited fewer than :data:`SMALL_NUMBERS` practices (but some); False when missing."""
    return invited is not None and not _missing(invited) and 0 < invited < SMALL_NUMBERS


def funnel_curve(share: float, largest: int, points: int = 30) -> list[dict]:
    """The funnel's limits for drawing: rows of ``invited`` (whole numbers from 1 to ``largest``, always the ends,
    at most ``points`` of them, spaced evenly on a log scale: closest where the limits bend most, so a line through
    them looks smooth) and ``lower_95``, ``upper_95``, ``lower_998``, ``upper_998``. Only the drawn curve is
    sampled: an area's own limits come from :func:`funnel_limits` at its own size. Empty when ``share`` is missing
    or ``largest`` is below 1."""
    if share is None or _missing(share) or largest < 1:
        return []
    steps = max(1, points - 1)
    sizes = sorted({1, largest, *(round(largest ** (i / steps)) for i in range(steps + 1))})
    rows = []
    for n in sizes:
        low95, high95 = funnel_limits(share, n, 0.95)
        low998, high998 = funnel_limits(share, n, 0.998)
        rows.append({"invited": n, "lower_95": low95, "upper_95": high95, "lower_998": low998, "upper_998": high998})
    return rows
