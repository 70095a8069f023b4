"""Read single values as FOI officers write them.

Each reader takes the text of one cell and returns a number, a boolean, or
``None`` for "not given". Not given is never turned into zero. Anything the
reader does not recognise raises ``ValueError`` with a message saying what was
expected; the loader turns that into a file:row:column problem.

Recognised words (case and surrounding spaces ignored):

- not given: blank, "n/a", "na", "not known", "not held", "unknown"
- zero: "nil", "none", "0"
- yes: "yes", "y", "true"; no: "no", "n", "false"
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

NOT_GIVEN = frozenset({"", "n/a", "na", "not known", "not held", "unknown"})
ZERO_WORDS = frozenset({"nil", "none"})
YES = frozenset({"yes", "y", "true"})
NO = frozenset({"no", "n", "false"})

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def _clean(text) -> str:
    if text is None:
        return ""
    return str(text).strip()


def is_not_given(text) -> bool:
    """True when the cell says the figure was not given (blank, "n/a", "not known", ...)."""
    return _clean(text).lower() in NOT_GIVEN


def _number(text: str, what: str) -> Decimal:
    plain = text.replace("\u00a0", "").replace(" ", "")
    if not _NUMBER.match(plain):
        raise ValueError(f"expected {what}, found {text!r}")
    try:
        return Decimal(plain.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern already guards this
        raise ValueError(f"expected {what}, found {text!r}") from None


def read_count(text) -> int | None:
    """A whole number of things (practices, records): "1,732" -> 1732.

    Returns ``None`` when not given and 0 for "nil"/"none". A fraction, a word
    or a footnote marker ("38*") raises ``ValueError``. Negative numbers are
    read (so that the consistency rules can name them), not rejected here.
    """
    text = _clean(text)
    low = text.lower()
    if low in NOT_GIVEN:
        return None
    if low in ZERO_WORDS:
        return 0
    value = _number(text, "a whole number, 'nil' or 'not known'")
    if value != value.to_integral_value():
        raise ValueError(f"expected a whole number, found {text!r}")
    return int(value)


def read_money(text) -> float | None:
    """An amount in pounds sterling: "£190,000", "190000", "£61,250.50" -> float pounds.

    Returns ``None`` when not given and 0.0 for "nil"/"none". A leading "£"
    and thousands separators are allowed; at most two decimal places (pence).
    Anything else raises ``ValueError``.
    """
    text = _clean(text)
    low = text.lower()
    if low in NOT_GIVEN:
        return None
    if low in ZERO_WORDS:
        return 0.0
    sign, body = "", text
    if body[:1] in "+-":
        sign, body = body[0], body[1:].lstrip()
    body = body.removeprefix("£").strip()
    value = _number(sign + body, "an amount in pounds such as '£190,000', 'nil' or 'not known'")
    if value.as_tuple().exponent < -2:
        raise ValueError(f"expected pounds and pence (at most 2 decimal places), found {text!r}")
    return float(value)


def read_yes_no(text) -> bool | None:
    """yes/no/y/n/true/false in any case -> True/False; not given -> ``None``."""
    text = _clean(text)
    low = text.lower()
    if low in NOT_GIVEN:
        return None
    if low in YES:
        return True
    if low in NO:
        return False
    raise ValueError(f"expected yes or no, found {text!r}")
