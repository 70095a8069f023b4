"""Numbers in words and figures, as a story prints them.

Every function takes a number and returns text; none of them round silently:
the number of decimal places is always an argument with a stated default.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen", "twenty"]


def round_half_up(value: float, decimals: int = 0) -> float:
    """Round as a reader expects (0.5 goes up), to ``decimals`` places; negative ``decimals`` round to tens, hundreds...

    Uses the shortest decimal text of the float, so 0.285 rounds to 0.29.
    """
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP) if decimals >= 0 else \
        (Decimal(repr(float(value))) / quantum).quantize(Decimal(1), rounding=ROUND_HALF_UP) * quantum
    return float(rounded)


def number_words(n: int) -> str:
    """0-20 in words ('six'); larger whole numbers in figures with thousands separators."""
    n = int(n)
    return _SMALL[n] if 0 <= n <= 20 else f"{n:,}"


def count(n) -> str:
    """A whole number with thousands separators: 1732 -> '1,732'."""
    return f"{int(n):,}"


def percent(fraction: float, decimals: int = 1) -> str:
    """A fraction as a percentage: 0.16513 -> '16.5%'."""
    return f"{round_half_up(fraction * 100, decimals):.{decimals}f}%"


def pounds(amount: float, decimals: int = 0) -> str:
    """An amount in pounds: 190000 -> '£190,000'; 7.5e6 with ``millions`` see :func:`pounds_millions`."""
    return f"£{round_half_up(amount, decimals):,.{decimals}f}"


def pounds_millions(amount: float, decimals: int = 1) -> str:
    """An amount in pounds as millions: 7500000 -> '£7.5 million'."""
    return f"£{round_half_up(amount / 1e6, decimals):,.{decimals}f} million"


def one_in(share: float) -> int:
    """The nearest "one in N" to ``share`` (0 < share <= 1): 0.165 -> 6.

    Nearest means the N whose 1/N is closest to the share; on an exact tie
    the smaller N (the larger fraction) wins. Raises ``ValueError`` for a
    share of zero or below, or above one.
    """
    if not 0 < share <= 1:
        raise ValueError(f"'one in N' needs a share above 0 and at most 1, got {share!r}")
    low = max(1, math.floor(1 / share))
    candidates = [low, low + 1]
    return min(candidates, key=lambda n: (abs(1 / n - share), n))


def decimal(value: float, decimals: int = 1) -> str:
    """A number to at most ``decimals`` places, without a trailing ".0" (the house style: "25", not
    "25.0"; "3.5"): 25.0 -> '25', 25.04 -> '25', 3.46 -> '3.5', 1234.5 -> '1,234.5'."""
    rounded = round_half_up(value, decimals)
    text = f"{rounded:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(amount: float) -> str:
    """An amount as a newspaper writes it: under £1 in pence ('33p'), under £10 to the penny ('£1.19'),
    otherwise to the pound ('£190,000')."""
    if abs(amount) < 1:
        return f"{int(round_half_up(amount * 100, 0))}p"
    if abs(amount) < 10:
        return pounds(amount, 2)
    return pounds(amount)


def about(value: float, nearest: int = 100) -> str:
    """A projection, rounded and said so: 337481.8 -> 'about 337,500'."""
    return f"about {count(round_half_up(value, -len(str(nearest)) + 1))}"


def times(ratio: float) -> str:
    """How many times as large: 3.0 -> 'three times', 8.2 -> '8.2 times', 2.04 -> 'twice'."""
    shown = decimal(ratio, 1)
    if shown == "2":
        return "twice"
    if shown.isdigit() and int(shown) <= 20:
        return f"{number_words(int(shown))} times"
    return f"{shown} times"


def ordinal(n: int, joint: bool = False) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th', 23 -> '23rd'; ``joint`` (a tie) -> 'joint 8th'."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{'joint ' if joint else ''}{n}{suffix}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 figure holds' style agreement: the count and the noun that agrees with it ('1 PCT', '2 PCTs')."""
    return f"{count(n)} {one if int(n) == 1 else (many or one + 's')}"
