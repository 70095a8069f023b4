"""Read single values as FOI officers write them.

Each reader takes the text of one cell and returns a number, a boolean, or
``None`` for "not given". Not given is never turned into zero. Anything the
reader does not recognise raises ``ValueError`` with a message saying what was
expected; the loader turns that into a file:row:column problem.

Recognised words (case and surrounding spaces ignored):

- not given: blank, "n/a", "not known", "not held"; also "na" and "unknown"
  (an extension: FOI officers use both), and the usual FOI phrasings of
  information not held or withheld: "information not held", "data not held",
  "not recorded", "not collected", "not available", "exempt", "withheld",
  "s.12", "section 43" (an exemption: the figure was not given)
- zero: "nil", "none", "0"
- yes: "yes", "y", "true"; no: "no", "n", "false"

Numbers may use commas as thousands separators, correctly grouped ("1,732",
not "1,73" or "1 732"); money may start with "£" and have pence. Everything
else is an error, including a fraction of a practice ("12.5"), a footnote
marker ("38*"), a dash ("-", which may mean nil or not known) and ranges.
Figures beyond any PCT's (a count above :data:`MAX_COUNT`, an amount above
:data:`MAX_GBP`) are refused as out of range, never read as infinity.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

NOT_GIVEN = frozenset({"", "n/a", "na", "not known", "not held", "unknown"})
ZERO_WORDS = frozenset({"nil", "none"})
YES = frozenset({"yes", "y", "true"})
NO = frozenset({"no", "n", "false"})

# "Not given" as FOI officers write it: information not held, not recorded, or withheld under an exemption.
_NOT_HELD = re.compile(
    r"^((the )?(information|info|data|figures?)( is| are)? )?not (held|recorded|collected|available|known)\b.*"
    r"|^(exempt|withheld)\b.*"
    r"|^(s\.? ?|section )\d+\b.*$")
# Text that may mean the same but is not read as it: it gets a hint.
_HOLDING = re.compile(r"\b(held|hold|exempt\w*|section|s\.\d+|recorded|available|withheld)\b")
# No PCT had a billion of anything (England had about 52 million people in 2010), nor spent £10 billion
# (a whole PCT's yearly budget was at most about £2 billion).
MAX_COUNT = 1_000_000_000
MAX_GBP = 10_000_000_000
_MAX_DIGITS = 30  # longer numbers are refused before they are converted

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_FOOTNOTE = re.compile(r"^[£+-]?[\d,.]*\d\s*(\*+|[†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]+|\(\w\)|\[\w+\])$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4})( [\d:]+)?$")
_DASHES = frozenset({"-", "–", "—", "--"})


def _clean(text) -> str:
    if text is None:
        return ""
    return str(text).strip()


def is_not_given(text) -> bool:
    """True when the cell says the figure was not given (blank, "n/a", "not known", "not held", "exempt", ...)."""
    low = " ".join(_clean(text).lower().split())
    return low in NOT_GIVEN or bool(_NOT_HELD.match(low))


# A cell that points at another PCT's figure instead of giving its own: a joint answer.
_JOINT = re.compile(r"\b(see|as|included|incl\.?|shown|counted|given|reported) (above|below|with|in|under)\b"
                    r"|\bjoint(ly)?\b|\bcombined\b|\bshared\b|\btogether with\b|\bditto\b|^(\"|'')$", re.I)
JOINT_FIX = ("a figure given jointly for several PCTs cannot be split without a decision: give this PCT its own "
             "figure (split as the answer says), or leave it out: write 'not known' and put the joint figure in "
             "the notes column")


def _hint(text: str) -> str:
    """A reason to add to an error, for the mistakes FOI answers commonly make."""
    if _JOINT.search(text):
        return f" ({JOINT_FIX})"
    if _FOOTNOTE.match(text):
        return " (a footnote marker is not read: put the note in the notes column)"
    if text in _DASHES:
        return " (a dash may mean nil or not known: write 'nil' or 'not known')"
    if "Â" in text or "â€" in text:
        return " (the text looks mis-encoded: save the file again as UTF-8)"
    if _DATE.match(text):
        return " (a date: the spreadsheet may have turned the figure into one)"
    if text.startswith("#"):
        return " (a spreadsheet error value)"
    if _HOLDING.search(text.lower()):
        return (" (if the PCT did not give the figure, write 'not held' or 'not known'; "
                "put any explanation in the notes column)")
    return ""


def _number(text: str, what: str, shown: str | None = None) -> Decimal:
    plain = text.replace("\u00a0", " ").strip()
    if not _NUMBER.match(plain):
        shown = text if shown is None else shown
        raise ValueError(f"expected {what}, found {shown!r}{_hint(shown)}")
    if len(re.sub(r"\D", "", plain)) > _MAX_DIGITS:
        raise ValueError(f"out of range: a number of {len(re.sub(r'[^0-9]', '', plain)):,} digits, "
                         "more than any PCT's figure")
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
    if text.isascii() and text.isdigit() and len(text) < 10:  # the common case, read at once
        return int(text)
    low = text.lower()
    if is_not_given(low):
        return None
    if low in ZERO_WORDS:
        return 0
    value = _number(text, "a whole number, 'nil' or 'not known'")
    if value != value.to_integral_value():
        raise ValueError(f"expected a whole number, found {text!r}")
    if abs(value) > MAX_COUNT:
        raise ValueError(f"count out of range: {_short(text)} is more than {MAX_COUNT:,}, more than any PCT had")
    return int(value)


def _short(text: str) -> str:
    """A long cell shortened for a message: its start, its end and how many digits it has."""
    return repr(text) if len(text) <= 30 else f"'{text[:12]}...{text[-6:]}' ({len(text):,} characters)"


def read_money(text, scale: int = 1) -> float | None:
    """An amount in pounds sterling: "£190,000", "190000", "£61,250.50" -> float pounds.

    Returns ``None`` when not given and 0.0 for "nil"/"none". A leading "£"
    and thousands separators are allowed; at most two decimal places (pence).
    ``scale`` is the unit of the column (1000 for a header in £000s or £k,
    1,000,000 for £m): the figure is multiplied by it exactly, and must then
    be whole pence. An amount above :data:`MAX_GBP` is out of range.
    Anything else raises ``ValueError``.
    """
    text = _clean(text)
    if scale == 1 and text.isascii() and text.isdigit() and len(text) < 10:  # the common case, read at once
        return float(text)
    low = text.lower()
    if is_not_given(low):
        return None
    if low in ZERO_WORDS:
        return 0.0
    sign, body = "", text
    if body[:1] in ("+", "-"):
        sign, body = body[0], body[1:].lstrip()
    body = body.removeprefix("£").strip()
    if body[:1] in ("+", "-") and not sign:  # "£-500"
        sign, body = body[0], body[1:].lstrip()
    what = "an amount in pounds such as '£190,000', 'nil' or 'not known'"
    if not body[:1].isdigit():
        raise ValueError(f"expected {what}, found {text!r}{_hint(text)}")
    value = _number(sign + body, what, shown=text) * scale
    if value != value.to_integral_value() and value.normalize().as_tuple().exponent < -2:
        raise ValueError(f"expected pounds and pence (at most 2 decimal places), found {text!r}")
    if abs(value) > MAX_GBP:
        raise ValueError(f"amount out of range: {_short(text)} is more than £{MAX_GBP:,}, more than any PCT's "
                         "whole budget")
    return float(value)


def read_yes_no(text) -> bool | None:
    """yes/no/y/n/true/false in any case -> True/False; not given -> ``None``."""
    text = _clean(text)
    low = text.lower()
    if is_not_given(low):
        return None
    if low in YES:
        return True
    if low in NO:
        return False
    raise ValueError(f"expected yes or no (or y/n, true/false), found {text!r}{_hint(text)}")
