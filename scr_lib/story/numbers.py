"""Read the numbers a story prints: each one's value, the precision it implies, and any bound.

:func:`find` scans a sentence and returns every number in it, in order, as a
:class:`Number`. It reads:

- figures with separators and decimals ("1,732", "0.53"), percentages ("0.53%",
  "16 per cent"), money ("£190,000", "£7.5 million", "£100m", "£2bn", "£31k") and
  figures with a scale word ("13.5 million");
- number words ("five", "twenty-one", "a dozen", "none"; "spent nothing" is £0; "not one", "not a single", "haven't invited any" and "no"
  before a plural noun of the suite, "no practices", are 0),
  fractions ("half", "a third", "two thirds", "a quarter");
- ratios: "one in six" (one number, checked as the nearest one in N) and
  "37 of 77" (two numbers: the part, and the whole it is ``of``);
- qualifiers that make a bound: "less than", "fewer than", "under", "below"
  (below the value); "more than", "over", "above" (above it); "at least", "or more"
  (not below); "at most", "up to", "or fewer", "or less" (not above); "some"
  before a plural noun of the suite ("some PCTs") is "at least one".
  "About", "around", "almost exactly" and the like are kept in the printed text
  and change nothing: the figure is checked at the precision it was printed.

- newsroom forms: "13.5m", "£1.2m", "190k", "50p" (money in pounds, £0.50), "five
  million", "half a million", "a quarter of a million"; thousands grouped by
  non-breaking or thin spaces ("1\u00a0732"); a decimal comma ("16,5%"); a minus
  sign ("-12", "\u221212"); "3/4", "\u00bd", "1\u00bd million";
- ranges: "between 30 and 40", "30-40", "30\u201340", "15-20%", "£1-2m" are two
  numbers, the first a lower bound ("at least") and the second an upper one
  ("at most"); "from 30 to 40" is two exact numbers (a change, not a range).

Some numbers are found and listed but are not quantities a result can check
(kinds in :data:`UNCHECKABLE`): labels ("NHS 111", "Section 43", a footnote
marker "[1]", "24/7", a phone number), ordinals ("the 36th"), multiples ("ten
times", "twice", "10x"), vague quantities ("dozens", "hundreds", "almost all",
"100,000s"), and any other digits ("H1N1"), kind 'other'. Their value is None
where they have none.

Years (1900-2099 standing alone, "2007-08", "2009/10", "the 1990s") and times of
day ("9am", "09:30", listed as dates) and dates ("1 March 2010",
"March 2010", "2010-03-01", "end of 2011" reads as its year) are found too,
with ``kind`` 'year' or 'date', so that a caller can list them apart.

Precision (``decimals``: places after the point; negative for tens, hundreds,
thousands), by the same rules as :mod:`scr_lib.story.claims`: a figure with a decimal
point is as precise as its digits ("0.53%": two places); a whole number below
1,000 is exact; a whole number of 1,000 or more ending in zeros is rounded to
its last non-zero digit ("337,000": the nearest thousand, "1,800": the nearest
hundred); a scale word counts in its unit ("13.5 million": the nearest 100,000,
"£100m": the nearest £1m). Number words are exact.

Values are in the number's own unit: a percentage in percent (0.53 for
"0.53%"), money in pounds, "one in six" as N (6), a fraction as a fraction
(0.5 for "half"). Nothing is ever dropped: every digit printed is inside a
number returned (a lone "1,000" in "per 1,000" is a count; "H1N1" is 'other').
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

KINDS = ("count", "percent", "money", "one_in", "fraction", "year", "date", "label", "ordinal", "multiple", "vague",
         "other")
# Kinds that are found and listed but never checked: a name ("NHS 111", "Section 43", "[1]", a phone
# number), a rank ("36th"), a multiple ("ten times", "twice"), a vague quantity ("dozens", "almost all"),
# and digits no other form reads ("H1N1").
UNCHECKABLE = ("label", "ordinal", "multiple", "vague", "other")
BOUNDS = ("less_than", "more_than", "at_least", "at_most")

_UNITS = {"zero": 0, "none": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
          "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
_PHRASES = {"a dozen": 12, "half a dozen": 6, "a hundred": 100, "a thousand": 1000}
# Denominators of fractions in words: "a third", "two thirds", "a quarter", "three quarters".
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
                 "fifths": 5, "sixth": 6, "tenth": 10, "tenths": 10}
_SCALES = {"k": 3, "thousand": 3, "m": 6, "million": 6, "mn": 6, "bn": 9, "billion": 9}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
# The plural nouns after which "some" is a number ("some PCTs": at least one).
SOME_NOUNS = ("pcts", "areas", "practices", "gps", "trusts", "sites", "records", "patients", "surgeries")
# The singular nouns after which "no" is 0 ("No PCT has...").
NO_SINGULAR = ("pct", "area", "practice", "gp", "trust", "surgery")

_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_WORDNUM = rf"(?:(?:{'|'.join(_TENS)})[-\s](?:{'|'.join(k for k in _UNITS if _UNITS[k] < 10 and _UNITS[k] > 0)})|{_WORD})"
# Thousands grouped by commas or by non-breaking or thin spaces ("1\u00a0732"; an ordinary space is a word
# break, so "1 732" is two numbers); a decimal comma ("16,5"; a comma before one or two digits).
_GROUP_SPACE = "\u00a0\u2009\u202f"
_FIGURE = (rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{1,3}}(?:[{_GROUP_SPACE}]\d{{3}})+(?:[.,]\d+)?"
           r"|\d+,\d{1,2}(?![\d])|\d+(?:\.\d+)?")
# A minus sign ("-12", "\u221212", "\u201312") before a figure standing alone (not the dash of "30-40").
_SIGN = r"(?:(?<![\w.,\u2212\u2013-])[-\u2212\u2013](?=\d))?"
_SCALE_SUFFIX = r"(?:\s?(?:million|billion|thousand|mn|bn|m|k)\b)"
_AMOUNT = rf"(?:{_FIGURE}|{_WORDNUM}|a)"

_BEFORE = {"less than": "less_than", "fewer than": "less_than", "under": "less_than", "below": "less_than",
           "more than": "more_than", "over": "more_than", "above": "more_than", "at least": "at_least",
           "at most": "at_most", "up to": "at_most", "no more than": "at_most", "no fewer than": "at_least"}
_AFTER = {"or more": "at_least", "or over": "at_least", "or above": "at_least", "or fewer": "at_most",
          "or less": "at_most", "or under": "at_most"}
_HEDGES = ("almost exactly", "approximately", "about", "around", "roughly", "nearly", "almost", "some", "just",
           "only", "exactly")

_VULGAR = "\u00bd\u2153\u2154\u00bc\u00be\u2155\u2156\u2157\u2158\u2159\u215a\u215b\u215c\u215d\u215e"  # ½ ⅓ ⅔ ¼ ¾ ...
_MONTHS = "|".join(MONTHS)
_CAPITAL_MONTHS = "|".join(m.capitalize() for m in MONTHS)  # "April 1" (not "may 5")
_SCALE_WORD = r"(?:million|billion|thousand)"
# Numbers that name something rather than count it: a phone line, a section of an Act, a footnote marker.
_LABEL = (r"\b(?:NHS|section|sections|s\.|article|clause|paragraph|para|part|schedule|regulation|chapter|table|"
          r"figure|fig\.|page|pages|p\.|pp\.|no\.|item|appendix|annex|question|version|band|phase|wave|"
          r"stage|tier|grade|level|step|box|room|ward|bed|route|junction)\s?\d+[a-z]?\b"
          r"|\[\^?\d+\]|[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+"
          r"|\b24/7\b|\b24-7\b"
          r"|(?<![\w.,])(?:\+44\s?\(?0?\)?|0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b"
          r"|(?<![\w.,])0\d{3}\s\d{4}\b|(?<![\w.,])0\d{2,4}\s\d{2,4}\s\d{2,4}\b"  # "0845 4647", "0845 46 47"
          r"|(?:(?<=\bdial )|(?<=\bring )|(?<=\bcall )|(?<=\bphone )|(?<=\btext ))\d{3,5}\b"  # "dial 999"
          r"|\b[A-Z]{2,}-\d+\b"
          r"|(?:https?://|www\.)\S*\d\S*(?<![.,;:!?)])")  # a web address with digits in it
# A year after one of these words is a year even before a counted noun ("in 2010 practices were...");
# otherwise "2000 practices" is a count.
_AFTER_YEAR_WORD = "|".join(rf"(?<=\b{w} )" for w in ("in", "by", "since", "until", "till", "from", "during",
                                                       "before", "after", "to", "of", "and", "for", "early", "late",
                                                       "mid", "spring", "summer", "autumn", "winter"))
# Between the part and the whole of "X of Y": "37 of the 77", "27 of its 53", "91 of England's 152".
_WHOSE = r"(?:(?:the|all|its|their|his|her|our|england[’']s|the\s+country[’']s|the\s+nation[’']s)\s+)"
_PATTERNS = [  # (kind, regex): tried in this order; an earlier match wins over anything overlapping it
    ("label", _LABEL),
    ("date", rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}([./-])\d{{1,2}}\1\d{{2,4}}\b"
             rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s?[-\u2013]\s?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})(?:\s+\d{{4}})?\b"
             rf"|\b\d{{1,2}}(?:st|nd|rd|th)\s+of\s+(?:{_MONTHS})(?:\s+\d{{4}})?\b"
             rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})(?:\s+\d{{4}})?\b"
             rf"|\b(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
             rf"|\b(?:{_MONTHS})\s+\d{{4}}\b"
             rf"|\b(?-i:{_CAPITAL_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?![,.]?\d)"
             r"|\b\d{1,2}(?:[.:]\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b"),  # times of day
    ("year", rf"(?:{_AFTER_YEAR_WORD})(?:19|20)\d{{2}}(?:[-/\u2013]\d{{2}})?\b(?![,.]\d|%| per[ -]?cent)"
             r"|(?<![\d,.£])\b(?:19|20)\d{2}(?:[-/\u2013]\d{2})?\b(?![,.]\d|%| per[ -]?cent)"
             rf"(?!\s+(?:[a-z-]+\s+)?(?:{'|'.join(SOME_NOUNS)}|calls|views)\b)"
             r"|(?<![\d,.£])\b(?:19|20)\d0s\b"),
    ("ordinal", r"\b\d+(?:st|nd|rd|th)\b"),
    ("other", r"\b\d+:\d+\b"),  # "1:6": odds or a ratio, not "one in six"; checked by hand
    ("multiple", rf"\b(?:{_FIGURE}|{_WORDNUM})(?:\s+times\b|-?fold\b|x\b)|\bx(?:{_FIGURE})\b|\b(?:twice|thrice)\b"),
    ("vague", r"\b(?:tens of thousands|hundreds of thousands|dozens|scores|hundreds|thousands|millions|billions)\b"
              r"|\b(?:almost|nearly|virtually|practically)\s+(?:all|every)\b"
              rf"|(?<![\d,.])(?:{_FIGURE})s\b"),
    ("scaled", rf"\b(?:(?:a|one|two|three)\s+quarters?\s+of\s+a|half\s+a|a|{_WORDNUM}(?:\s+and\s+a\s+half)?)"
               rf"\s+{_SCALE_WORD}\b"),
    ("range", rf"\bbetween\s+(?P<a>£?{_SIGN}(?:{_FIGURE}){_SCALE_SUFFIX}?(?:\s?(?:%|per[\s-]?cent\b|pc\b))?)"
              rf"\s+and\s+(?P<b>£?{_SIGN}(?:{_FIGURE}){_SCALE_SUFFIX}?(?:\s?(?:%|per[\s-]?cent\b|pc\b))?)"
              rf"|(?<![\w,.])(?P<c>£?{_SIGN}(?:{_FIGURE}){_SCALE_SUFFIX}?(?:%)?)(?:-|\s?\u2013\s?)"
              rf"(?P<d>£?(?:{_FIGURE}){_SCALE_SUFFIX}?(?:\s?(?:%|per[\s-]?cent\b|pc\b))?)(?![\d,.]*\d)"),
    ("fraction", r"(?<![\d/.,])\b[1-9]/(?:[2-9]|10)\b(?!/\d)"),
    ("mixed", rf"(?<![\w,.])\d+[{_VULGAR}](?:\s{_SCALE_WORD}\b|\s?(?:%|per[\s-]?cent\b|pc\b))?"),  # "2½", "1½ million", "2½%"
    ("fraction", rf"[{_VULGAR}]"),  # "½", "¾"
    ("zero", r"\bnot\s+(?:one|a\s+single(?:\s+one)?)\b(?!\s+in\b)"),  # "not one has been used": none
    ("nil", r"(?:(?<=\bspent\s)|(?<=\bspend\s)|(?<=\bspends\s)|(?<=\bspending\s))nothing\b"),  # "spent nothing": £0
    ("one_in", rf"\b(?:{_FIGURE}|{_WORDNUM}|a)(?:\s+|-)in(?:\s+|-)(?:every\s+)?(?:{_FIGURE}|{_WORDNUM})\b"),
    ("ratio", rf"(?<![\d,.])\b(?:{_FIGURE}|{_WORDNUM})\s+(?:out\s+)?of\s+{_WHOSE}?(?:{_FIGURE}|{_WORDNUM})\b"),
    ("money", rf"(?:£|\bGBP)\s?{_SIGN}(?:{_FIGURE}){_SCALE_SUFFIX}?|(?<![\d,.])\b(?:{_FIGURE})p\b"
              rf"|(?<![\w,.])(?:{_FIGURE})(?:\s{_SCALE_WORD}|\s?(?:mn|bn|m|k))?\s+pounds\b"),
    ("percent", rf"(?<![\w,])(?<!\d\.){_SIGN}(?:{_FIGURE})\s?(?:%|per[\s-]?cent\b|pc\b)"),
    ("fraction", r"\b(?:(?:a|one|two|three|four|nine)[\s-]+(?:half|halves|thirds?|quarters?|fifths?|sixth|tenths?)"
                 r"|half)\b"),
    ("count", rf"(?<![\w,])(?<!\d\.){_SIGN}(?:{_FIGURE})(?:\s{_SCALE_WORD}\b|\s?(?:mn|bn|m|k)\b)?\b"),
    ("count", r"\b(?:half a dozen|a dozen|a hundred|a thousand)\b"),
    ("count", rf"\b{_WORDNUM}\b"),
    ("zero", r"\b(?:haven[’']t|hasn[’']t|have not|has not|didn[’']t|did not|had not|hadn[’']t|not)\s+(?:\w+\s+){0,2}?any\b"),
    ("some", rf"\bsome\s+(?:[a-z-]+\s+)?(?:{'|'.join(SOME_NOUNS)})\b"),
    ("zero", rf"\bno\s+(?:[a-z-]+\s+)?(?:{'|'.join(SOME_NOUNS)}|{'|'.join(NO_SINGULAR)})\b"),
]


@dataclass(frozen=True)
class Number:
    """One number in a sentence.

    ``text``: as printed, with its qualifier ("less than 1%"); ``start``/``end``:
    where ``text`` sits in the sentence; ``kind``: one of :data:`KINDS`;
    ``value``: in its own unit (see the module docstring); ``decimals``: the
    precision it implies; ``bound``: one of :data:`BOUNDS` or None; ``of``: for
    the part of a ratio "37 of 77", the whole (77), else None; ``whole_of``: for
    the whole, the part it goes with (37), else None; ``denominator``: for a
    fraction, its denominator (3 for "two thirds"), else None.
    """

    text: str
    start: int
    end: int
    kind: str
    value: float
    decimals: int = 0
    bound: str | None = None
    of: float | None = None
    whole_of: float | None = None
    denominator: int | None = None

    @property
    def is_date(self) -> bool:
        return self.kind in ("year", "date")

    def precision(self) -> str:
        """The precision in words: 'exact', 'to 2 decimal places', 'to the nearest 1,000', 'nearest one in N', a bound."""
        if self.kind in UNCHECKABLE:
            return "not a quantity"
        if self.bound:
            return {"less_than": "below", "more_than": "above", "at_least": "at least",
                    "at_most": "at most"}[self.bound] + " (a bound)"
        if self.kind == "one_in":
            return "nearest one in N"
        if self.kind == "fraction":
            return "nearest fraction with that denominator"
        if self.is_date:
            return "a date"
        if self.decimals > 0:
            return f"to {self.decimals} decimal place{'s' if self.decimals > 1 else ''}"
        if self.decimals < 0:
            return f"to the nearest {10 ** -self.decimals:,}"
        return "exact"


def word_value(text: str) -> int | None:
    """A whole number in words ('five', 'twenty-one', 'a dozen', 'none') or figures ('1,732'); None if neither."""
    t = " ".join(text.lower().split())
    if t in _PHRASES:
        return _PHRASES[t]
    if t in _UNITS:
        return _UNITS[t]
    if t in _TENS:
        return _TENS[t]
    if re.fullmatch(r"[a-z]+[- ][a-z]+", t):
        tens, unit = re.split(r"[- ]", t)
        if tens in _TENS and unit in _UNITS:
            return _TENS[tens] + _UNITS[unit]
    if t == "a":
        return 1
    if re.fullmatch(_FIGURE, t):
        number = float(t.replace(",", ""))
        return int(number) if number.is_integer() else None
    return None


def _plain(text: str) -> str:
    """A printed figure as Python reads one: grouping removed, a decimal comma as a point, a minus sign as '-'."""
    digits = re.sub(rf"[{_GROUP_SPACE}]", "", text.strip()).replace("\u2212", "-").replace("\u2013", "-")
    if re.fullmatch(r"-?\d+,\d{1,2}", digits):  # a decimal comma: "16,5"
        return digits.replace(",", ".")
    return digits.replace(",", "")


def figure(text: str, scale_word: str | None = None) -> tuple[float, int]:
    """Value and precision of a printed figure ('337,000' -> (337000, -3)); a scale word multiplies it.

    ``scale_word``: 'million', 'm', 'bn', 'k'... or None. Decimals follow the
    rules in the module docstring. Thousands may be grouped by commas or by
    non-breaking or thin spaces; "16,5" (a comma before one or two digits) is a
    decimal comma; a leading '-' or '\u2212' is a minus sign.
    """
    digits = _plain(text)
    number = Decimal(digits)
    power = _SCALES[scale_word.lower()] if scale_word else 0
    if "." in digits:
        decimals = len(digits.split(".")[1]) - power
    elif power:
        decimals = -power
    elif abs(number) >= 1000:
        stripped = digits.rstrip("0")
        decimals = -(len(digits) - len(stripped))
    else:
        decimals = 0
    if power and decimals > 0:
        decimals = 0
    value = float(number.scaleb(power))
    return (int(value) if value.is_integer() else value), decimals


_QUALIFIER_REACH = 40
_QUALIFIERS_LONGEST_FIRST = [(p, re.compile(rf"(?<!\w){re.escape(p)}(?=\s+$)", re.IGNORECASE))
                             for p in sorted([*_BEFORE, *_HEDGES], key=len, reverse=True)]
_SYMBOL_BEFORE = re.compile(r"([<>\u2264\u2265])\s?$")


def _qualifier(sentence: str, start: int, end: int) -> tuple[int, int, str | None]:
    """Widen [start, end) over a bound or hedge before it, or a bound after it; returns the span and bound."""
    offset = max(0, start - _QUALIFIER_REACH)  # a qualifier is a few words: look no further back or on
    bound = None
    symbol = _SYMBOL_BEFORE.search(sentence, offset, start)  # "<1%", "> 300", "\u2265 300"
    if symbol:
        bound = {"<": "less_than", ">": "more_than", "\u2264": "at_most", "\u2265": "at_least"}[symbol.group(1)]
        return symbol.start(), end, bound
    for phrase, pattern in _QUALIFIERS_LONGEST_FIRST:
        match = pattern.search(sentence, offset, start)  # lookbehind sees before offset; '$' is at start
        if match:
            start = match.start()
            bound = _BEFORE.get(phrase)
            break
    after = sentence[end:end + _QUALIFIER_REACH].lower()
    plus = re.match(r"(?:\s+|-)plus\b", after)  # "300-plus", "1.5 million plus"
    if plus:
        return start, end + plus.end(), "at_least"
    for phrase, which in _AFTER.items():
        match = re.match(rf"\s+{re.escape(phrase)}\b", after)
        if match:
            end += match.end()
            bound = which
            break
    return start, end, bound


def _read(kind: str, text: str) -> list[tuple[str, float | None, int, dict]]:
    """(kind, value, decimals, extra) for one matched piece of text; two for a ratio."""
    low = re.sub(r"[ \t\r\n]+", " ", text.lower()).strip()
    if kind == "date":
        return [("date", 0, 0, {})]
    if kind == "year":
        return [("year", int(low[:4]), 0, {})]
    if kind in ("vague", "other"):
        return [(kind, None, 0, {})]
    if kind == "label":
        digits = re.findall(r"\d+", low)
        return [("label", int(digits[0]) if len(digits) == 1 else None, 0, {})]
    if kind == "ordinal":
        return [("ordinal", int(re.match(r"\d+", low).group(0)), 0, {})]
    if kind == "multiple":
        if low in ("twice", "thrice"):
            return [("multiple", 2 if low == "twice" else 3, 0, {})]
        head = re.sub(r"^x|\s*times$|-?fold$|x$", "", low)
        value = word_value(head)
        return [("multiple", value if value is not None else float(_plain(head)), 0, {})]
    if kind == "scaled":
        head, scale = low.rsplit(" ", 1)
        power = _SCALES[scale]
        quarters = re.fullmatch(r"(a|one|two|three) quarters? of a", head)
        if quarters:
            amount, places = Decimal(word_value(quarters.group(1))) / 4, 2
        elif head == "half a":
            amount, places = Decimal("0.5"), 1
        elif head.endswith(" and a half"):
            amount, places = Decimal(word_value(head[:-len(" and a half")])) + Decimal("0.5"), 1
        else:
            amount, places = Decimal(word_value(head)), 0
        value = float(amount.scaleb(power))
        return [("count", int(value) if value.is_integer() else value, places - power, {})]
    if kind == "zero":
        return [("count", 0, 0, {})]
    if kind == "nil":
        return [("money", 0, 0, {})]
    if kind == "some":
        return [("count", 1, 0, {"bound": "at_least"})]
    if kind == "one_in":
        first, rest = re.split(r"(?:\s+|-)in(?:\s+|-)", low, maxsplit=1)
        n = word_value(rest.replace("every ", "").strip())
        ones = word_value(first)
        if n is None:  # "one in 6.5": not a whole N, so not a "one in N"; checked by hand
            return [("other", None, 0, {})]
        if ones and ones != 1 and n:  # "two in five": a share, checked as the nearest fraction in fifths
            return [("fraction", ones / n, 0, {"denominator": n})]
        return [("one_in", n, 0, {})]
    if kind == "ratio":
        part, whole = re.split(rf"\s+(?:out\s+)?of\s+{_WHOSE}?", low, maxsplit=1)
        p, w = _count(part), _count(whole)
        return [("count", p[0], p[1], {"of": w[0]}), ("count", w[0], w[1], {"whole_of": p[0]})]
    if kind == "money":
        pence = re.fullmatch(rf"({_FIGURE})p", low)
        if pence:
            value, _ = figure(pence.group(1))
            return [("money", float(Decimal(_plain(pence.group(1))) / 100), 2, {})]
        low = re.sub(r"^gbp\s?", "£", re.sub(r"\s+pounds$", "", low))
        low = low if low.startswith("£") else f"£{low}"
        match = re.fullmatch(rf"£\s?({_SIGN}(?:{_FIGURE}))\s?(million|billion|thousand|mn|bn|m|k)?", low)
        value, decimals = figure(match.group(1), match.group(2))
        return [("money", value, decimals, {})]
    if kind == "percent":
        digits = re.match(rf"{_SIGN}(?:{_FIGURE})", low).group(0)
        value, decimals = figure(digits)
        return [("percent", value, max(decimals, 0), {})]
    if kind == "mixed":
        whole, part = int(re.match(r"\d+", low).group(0)), unicodedata.numeric(low[len(re.match(r"\d+", low).group(0))])
        percent = re.search(r"(?:%|per[\s-]?cent|pc)$", low)
        scale = low.split()[-1] if " " in low and not percent else None
        denominator = Fraction(part).limit_denominator(10).denominator
        places = {2: 1, 4: 2, 5: 1, 8: 3}.get(denominator, 2)  # "1½ million" as "1.5 million"; thirds as 0.33
        amount = Decimal(str(round(whole + part, places)))
        power = _SCALES[scale] if scale else 0
        value = float(amount.scaleb(power))
        return [("percent" if percent else "count", int(value) if value.is_integer() else value, places - power, {})]
    if kind == "fraction":
        if len(low) == 1 and low in _VULGAR:
            part = Fraction(unicodedata.numeric(low)).limit_denominator(10)
            return [("fraction", float(part), 0, {"denominator": part.denominator})]
        if low == "half":
            return [("fraction", 0.5, 0, {"denominator": 2})]
        if "/" in low:
            top, bottom = (int(x) for x in low.split("/"))
            return [("fraction", top / bottom, 0, {"denominator": bottom})]
        count, denominator = re.split(r"[\s-]+", low)
        n = _DENOMINATORS[denominator]
        return [("fraction", (word_value(count) or 1) / n, 0, {"denominator": n})]
    value, decimals = _count(low)
    return [("count", value, decimals, {})]


def _count(text: str) -> tuple[float, int]:
    words = text.split()
    if words and words[-1] in ("million", "billion", "thousand") and re.fullmatch(rf"{_SIGN}(?:{_FIGURE})", words[0]):
        return figure(words[0], words[-1])
    suffixed = re.fullmatch(rf"({_SIGN}(?:{_FIGURE}))\s?(mn|bn|m|k)", text)
    if suffixed:
        return figure(suffixed.group(1), suffixed.group(2))
    if re.fullmatch(rf"{_SIGN}(?:{_FIGURE})", text):
        return figure(text)
    return word_value(text), 0


def _range(match: re.Match) -> list[tuple[str, float, int, str, int, int]]:
    """The two ends of a range ("between 30 and 40", "30-40", "15-20%", "£1-2m") as (kind, value, decimals,
    bound, start, end): the first end a lower bound, the second an upper one. A unit or scale printed on
    one end only ("15-20%", "£1-2m") applies to both."""
    a, b = ("a", "b") if match.group("a") else ("c", "d")
    ends = [(match.group(g), *match.span(g)) for g in (a, b)]
    texts = [re.sub(r"[ \t\r\n]+", " ", t.lower()) for t, _, _ in ends]
    percent = any(re.search(r"%|per[\s-]?cent|\dpc$", t) for t in texts)
    money = any("£" in t for t in texts)
    scales = [re.search(r"(million|billion|thousand|mn|bn|m|k)\b\s*(?:%|per[\s-]?cent|pc)?$", t) for t in texts]
    out = []
    for i, (t, (text, start, end)) in enumerate(zip(texts, ends)):
        digits = re.search(rf"{_SIGN}(?:{_FIGURE})", t.replace("£", "")).group(0)
        scale = scales[i].group(1) if scales[i] else None
        if scale is None and i == 0 and scales[1] and "," not in digits and abs(float(_plain(digits))) < 1000:
            scale = scales[1].group(1)  # "£1-2m": the first end is £1m
        value, decimals = figure(digits, scale)
        kind = "percent" if percent else "money" if money else "count"
        if kind == "percent":
            decimals = max(decimals, 0)
        out.append((kind, value, decimals, "at_least" if i == 0 else "at_most", start, end))
    return out


_COMPILED = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in _PATTERNS]
_OF = re.compile(r"\s+of\b")


def find(sentence: str) -> list[Number]:
    """Every number in ``sentence``, in the order printed (dates and years included, with their kind).

    A digit that no form above reads (the "1" of "H1N1", the "5" of "5km") is still
    returned, as kind 'other' with no value: nothing printed is skipped.
    """
    taken = bytearray(len(sentence))  # 1 where a number already found is printed
    found: list[Number] = []
    for kind, pattern in _COMPILED:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            text = match.group(0)
            taken[start:end] = b"\x01" * (end - start)
            if kind == "range":
                for k, value, decimals, bound, s, e in _range(match):
                    found.append(Number(sentence[s:e], s, e, k, value, decimals, bound))
                continue
            pieces = _read(kind, text)
            if kind == "ratio":
                part_end = start + re.match(r"\S+", text).end()
                whole_start = start + text.rfind(" ") + 1
                spans = [(start, part_end), (whole_start, end)]
            else:
                spans = [(start, end)]
            for (k, value, decimals, extra), (s, e) in zip(pieces, spans):
                bound = extra.get("bound")
                if k == "count" and decimals > 0 and 0 < value < 1 and _OF.match(sentence, e):
                    k, value, decimals = "percent", float(Decimal(_plain(text)).scaleb(2)), decimals - 2
                if k in ("count", "percent", "money", "one_in", "fraction") and kind != "some":
                    s, e, bound = _qualifier(sentence, s, e) if kind != "ratio" or s == start else (s, e, None)
                found.append(Number(sentence[s:e], s, e, k, value, decimals, bound, extra.get("of"),
                                    extra.get("whole_of"), extra.get("denominator")))
    for match in re.finditer(r"(?<![A-Za-z0-9])[A-Za-z0-9]*\d[A-Za-z0-9]*(?:[.,]\d+)*", sentence):  # digits no form read: listed, never dropped
        start, end = match.span()
        if not any(taken[start:end]):
            found.append(Number(match.group(0), start, end, "other", None))
        else:
            for i in range(start, end):
                if sentence[i].isdigit() and not taken[i]:
                    found.append(Number(sentence[i], i, i + 1, "other", None))
                    taken[i] = 1
    return sorted(found, key=lambda n: n.start)


_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'\u2019\u201d)]))\s+(?=[\"'\u2018\u201c(]?[A-Z0-9£])|\n+")


def sentences(text: str) -> list[str]:
    """Split text into sentences at '.', '!' or '?' followed by a capital, and at line breaks; blanks dropped.

    A full stop inside a figure ("13.5") or before a lower-case word is not a break.
    """
    return [s.strip() for s in _SENTENCE_END.split(text) if s and s.strip()]
