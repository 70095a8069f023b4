"""Round numbers where they are made, so that what reaches a committed output is the same on every CPU.

NumPy and the C library promise no bit-for-bit equality across machines: the
last bits of ``np.geomspace``, of a division or of a sum can differ between
CPU families (for example 90.81089453575419 on one, 90.81089453575414 on
another). nbval compares committed notebook outputs exactly, so a float that
reaches a chart dataset, a table, printed text or a results file is rounded
at its source to a precision far above float noise and far below anything a
reader sees:

- :data:`SIGNIFICANT_DIGITS` (12) for every value a notebook records or
  tabulates: a count of 13,499,272 keeps all its digits, a share keeps
  twelve, and float noise (the 16th or 17th digit) is gone;
- :data:`GEOMETRY_DIGITS` (6) for points made only to draw a chart (a
  curve's x positions and the y values computed from them): a millionth of
  the axis is far below a pixel.

``tests/test_precision.py`` scans every committed notebook and fails on any
float with more significant digits than :data:`SIGNIFICANT_DIGITS`.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np
import pandas as pd

SIGNIFICANT_DIGITS = 12
GEOMETRY_DIGITS = 6


def round_number(value: float, digits: int = SIGNIFICANT_DIGITS) -> float:
    """``value`` rounded to ``digits`` significant digits (decimal, half-even, via its shortest text).

    Missing values (NaN, ``pd.NA``, None) and infinities are returned unchanged;
    so are integers (ints are exact).
    Rounding through the decimal text (``format(value, '.12g')``) gives the same
    result on every machine, unlike ``round(value * 10**k) / 10**k``.
    """
    if isinstance(value, (bool, np.bool_)) or isinstance(value, (int, np.integer)) or pd.isna(value):
        return value
    number = float(value)
    if not math.isfinite(number) or number == 0:
        return number
    return float(format(number, f".{digits}g"))


def round_significant(values, digits: int = SIGNIFICANT_DIGITS):
    """Round a number, a Series or every float column of a DataFrame to ``digits`` significant digits.

    Returns a new object (the input is not changed); non-float columns and
    missing values (NaN) pass through as they are. Raises ``TypeError`` for
    anything else.
    """
    if isinstance(values, pd.DataFrame):
        floats = [c for c in values.columns if pd.api.types.is_float_dtype(values[c])]
        return values.assign(**{c: round_significant(values[c], digits) for c in floats})
    if isinstance(values, pd.Series):
        if not pd.api.types.is_float_dtype(values):
            return values.copy()
        return values.map(lambda v: round_number(v, digits)).astype(values.dtype)
    if isinstance(values, np.ndarray):
        return np.array([round_number(v, digits) for v in values.ravel()], dtype=float).reshape(values.shape)
    if isinstance(values, Real):
        return round_number(values, digits)
    raise TypeError(f"cannot round {type(values).__name__}; give a number, a Series, a DataFrame or an array")


def significant_digits(value: float) -> int:
    """How many significant digits the shortest text of ``value`` carries (``repr(0.1 + 0.2)``: 17).

    Trailing zeros of a whole number do not count (``1800.0``: 2); NaN and
    infinities count 0.
    """
    number = float(value)
    if not math.isfinite(number) or number == 0:
        return 0
    mantissa = repr(abs(number)).lower().split("e")[0]
    digits = mantissa.replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) if "." not in mantissa or mantissa.endswith(".0") else len(digits)
