"""Finding 3: how often out-of-hours care views a Summary Care Record, and the call rate behind it.

Pulse's April 2012 table divides record views a week by the out-of-hours
calls that the people with a record "would be expected to make" in a week.
That call count rests on a rate the article does not print. This module
turns rates between units, projects calls, works out the access rate, derives
the rate the article's own figures imply, and shows how the access rate moves
under the published out-of-hours call rates (``data/ooh/published_call_rates.csv``).

Units, everywhere in this module:

- a call rate is calls per 1,000 people, a week (``..._per_week``) or a year
  (``..._per_year``); a year is :data:`WEEKS_PER_YEAR` weeks;
- projected calls are calls a week;
- the access rate is a fraction (0-1) of calls, not a percentage.

Missing values: the unit conversions pass NaN through (a missing rate gives
a missing result); everything else refuses a missing or impossible input with
a ``ValueError`` that names it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ... import paths, precision, words
from ...problems import InputError, Problem

WEEKS_PER_YEAR = 365.25 / 7
"""Weeks in an average year (52.18): a rate a year divided by this is a rate a week."""

ASSUMED_SLUG = "pulse_assumption"
ASSUMED_KIND = "Pulse's implied assumption"
PARAMS_KIND = "This run's call rate (params file)"
PUBLISHED_KIND = "Published out-of-hours rate"
KIND_COLOURS = {ASSUMED_KIND: "#c0392b", PARAMS_KIND: "#c0392b", PUBLISHED_KIND: "#1b6ca8"}

SCOPES = {"gp": "calls or cases handled by GP out-of-hours services",
          "all_services": "contacts with every out-of-hours service: GP, A&E, ambulance and community nursing"}
RATE_BASES = ("published", "as reported")


# --- conversions -----------------------------------------------------------------------------------

def per_week(rate_per_year):
    """A rate per year (number or Series) as a rate per week: divided by :data:`WEEKS_PER_YEAR`. NaN stays NaN."""
    return rate_per_year / WEEKS_PER_YEAR


def per_year(rate_per_week):
    """A rate per week (number or Series) as a rate per year: times :data:`WEEKS_PER_YEAR`. NaN stays NaN."""
    return rate_per_week * WEEKS_PER_YEAR


def per_1000(count, people):
    """``count`` per 1,000 ``people`` (numbers or Series). NaN stays NaN; ``people`` of zero or below raises."""
    if np.any(np.asarray(people) <= 0):
        raise ValueError(f"a rate per 1,000 needs more than zero people, got {people!r}")
    return count / people * 1000


def projected_calls(people: float, calls_per_1000_per_week: float) -> float:
    """Out-of-hours calls a week that ``people`` would make at ``calls_per_1000_per_week``.

    Raises ``ValueError`` for a missing or negative input.
    """
    _require(people, "people", minimum=0)
    _require(calls_per_1000_per_week, "calls per 1,000 a week", minimum=0)
    return people * calls_per_1000_per_week / 1000


def access_rate(views_per_week: float, calls_per_week: float) -> float:
    """Record views a week as a fraction (0-1 when views <= calls) of calls a week.

    Assumes, as Pulse did, that every view was in out-of-hours care, so it is
    an upper bound. Raises ``ValueError`` for missing or negative views, or for
    calls of zero or below.
    """
    _require(views_per_week, "views a week", minimum=0)
    _require(calls_per_week, "calls a week", minimum=0, strict=True)
    return views_per_week / calls_per_week


def _require(value, what: str, minimum: float, strict: bool = False) -> None:
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
            or math.isnan(value):
        raise ValueError(f"{what}: expected a number, got {value!r}")
    if value < minimum or (strict and value == minimum):
        raise ValueError(f"{what}: expected a number {'above' if strict else 'at least'} {minimum}, got {value!r}")


# --- the rate behind the article's table ----------------------------------------------------------

def reproduces(value: float, printed: float, decimals: int) -> bool:
    """True when ``value`` rounded half-up to ``decimals`` (negative: tens, hundreds...) equals ``printed``."""
    return words.round_half_up(value, decimals) == printed


def implied_rate(records: float, printed_calls, max_decimals: int = 6) -> float:
    """The call rate (per 1,000 a week) behind the article's projected calls, at the precision the figures support.

    ``printed_calls`` lists each printed figure for the calls a week as
    ``(value, decimals)`` pairs, ``decimals`` being the precision it was
    printed to (-2: nearest hundred; -3: nearest thousand). The unrounded
    rate is the most precise figure / ``records`` x 1,000. A rate known only
    from figures rounded to the nearest hundred is not known to the last
    digit, so the rate returned is the unrounded one rounded to the fewest
    decimal places (0 to ``max_decimals``) at which ``records`` x rate
    reproduces *every* printed figure at its own precision.

    Raises ``ValueError`` if no such rounding exists (the printed figures
    contradict each other) or ``printed_calls`` is empty.
    """
    printed = [(float(v), int(d)) for v, d in printed_calls]
    if not printed:
        raise ValueError("no printed calls figure to derive the rate from")
    _require(records, "records", minimum=0, strict=True)
    finest_value = max(printed, key=lambda p: p[1])[0]
    unrounded = per_1000(finest_value, records)
    for decimals in range(max_decimals + 1):
        rate = words.round_half_up(unrounded, decimals)
        if all(reproduces(projected_calls(records, rate), v, d) for v, d in printed):
            return rate
    shown = ", ".join(f"{v:,.0f} (to {precision_words(d)})" for v, d in printed)
    raise ValueError(f"no call rate with up to {max_decimals} decimal places reproduces every printed figure: {shown}")


def precision_words(decimals: int) -> str:
    """How a figure was rounded, in words.

    -3 -> 'the nearest thousand', 0 -> 'a whole number', 2 -> 'two decimal places'.
    """
    names = {-1: "the nearest ten", -2: "the nearest hundred", -3: "the nearest thousand",
             -6: "the nearest million", 0: "a whole number", 1: "one decimal place"}
    if decimals in names:
        return names[decimals]
    if decimals > 0:
        return f"{words.number_words(decimals)} decimal places"
    return f"the nearest {10 ** -decimals:,}"


def rate_choices(records: float, printed_calls: pd.DataFrame, max_decimals: int = 6) -> pd.DataFrame:
    """Both readings of the article's call rate, checked against every printed calls figure.

    ``printed_calls`` has one row per printed figure: ``printed`` (the text),
    ``value`` and ``decimals``. Returns one row per (reading, printed figure):
    ``reading``, ``calls_per_1000_per_week``, ``projected_calls_per_week``,
    ``printed``, ``precision`` (words), ``rounded`` (the projection at that
    precision) and ``holds`` (bool). The readings are the unrounded rate and
    :func:`implied_rate`.
    """
    pairs = list(zip(printed_calls["value"], printed_calls["decimals"]))
    finest = printed_calls.loc[printed_calls["decimals"].idxmax(), "value"]
    readings = {
        "unrounded rate": per_1000(float(finest), records),
        "rate at the precision the figures support": implied_rate(records, pairs, max_decimals),
    }
    rows = []
    for reading, rate in readings.items():
        calls = projected_calls(records, rate)
        for figure in printed_calls.itertuples(index=False):
            rounded = words.round_half_up(calls, int(figure.decimals))
            rows.append({"reading": reading, "calls_per_1000_per_week": rate, "projected_calls_per_week": calls,
                         "printed": figure.printed, "precision": precision_words(int(figure.decimals)),
                         "rounded": rounded, "holds": rounded == float(figure.value)})
    return precision.round_significant(pd.DataFrame(rows))


def explain_choice(choices: pd.DataFrame) -> str:
    """Say, from :func:`rate_choices`'s output, what each reading of the rate gives and which one this suite uses."""
    parts = []
    for reading, rows in choices.groupby("reading", sort=False):
        first = rows.iloc[0]
        checks = "; ".join(
            f"{r.printed} (to {r.precision}) {'is reproduced' if r.holds else f'is not (that gives {r.rounded:,.0f})'}"
            for r in rows.itertuples(index=False))
        parts.append(f"The {reading}, **{_rate_text(first.calls_per_1000_per_week)}** calls per 1,000 people a week, "
                     f"projects **{first.projected_calls_per_week:,.0f}** calls a week: {checks}.")
    chosen = choices[choices["reading"] == "rate at the precision the figures support"]
    if bool(chosen["holds"].all()):
        parts.append(f"We use **{_rate_text(chosen.iloc[0].calls_per_1000_per_week)}**: the simplest rate "
                     "that reproduces every printed figure at the precision it was printed.")
    return "\n\n".join(parts)


def _rate_text(rate: float) -> str:
    """A rate a week as a page prints it: one decimal place, or as many as it needs (up to six)."""
    for decimals in range(1, 7):
        if words.round_half_up(rate, decimals) == rate:
            return f"{rate:,.{decimals}f}"
    return f"{rate:,.6f}"


ARTICLE_ID = "pulse-2012-ooh"


def article() -> pd.Series:
    """The out-of-hours article's row of ``data/pulse_2010/articles.csv``.

    A Series: publication, title, author, date (YYYY-MM), seed_note; '' where blank.
    """
    table = pd.read_csv(paths.ARTICLES, dtype=str, keep_default_na=False).set_index("article_id")
    return table.loc[ARTICLE_ID]


# --- the run's inputs -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Inputs:
    """The three figures the finding rests on, and where each came from.

    ``records_created`` (records), ``views_per_week`` (views a week) and
    ``calls_per_1000_per_week`` (calls per 1,000 people a week). ``origin``
    maps each name to 'the article' or 'the params file';
    ``rate_is_assumed`` is True when the call rate is the one the article's
    table implies.
    """

    records_created: int
    views_per_week: float
    calls_per_1000_per_week: float
    origin: dict = field(default_factory=dict)

    @property
    def rate_is_assumed(self) -> bool:
        return self.origin.get("calls_per_1000_per_week") == "the article"


def printed_calls() -> pd.DataFrame:
    """The article's printed figures for projected calls a week, from claims.csv.

    Columns: claim_id, printed (the text), value, decimals (the precision it was printed to).
    """
    from ...inputs import ledger

    table = ledger.load_claims("ooh")
    table = table[table["result_key"] == "ooh.projected_calls_per_week"]
    return table[["claim_id", "printed", "value", "decimals"]].reset_index(drop=True)


def resolve_inputs(records_created=None, views_per_week=None, calls_per_1000_per_week=None) -> Inputs:
    """The run's inputs: each parameter as given, or, when ``None``, as the article published it.

    Records and views come from ``ledger.published`` (the claims ledger). A missing call rate is
    the one the article's own table implies (:func:`implied_rate`, from the
    *published* records and calls, whatever ``records_created`` is), so a
    run with a later records figure keeps Pulse's assumption unless it gives
    its own rate. Raises ``ValueError`` naming the parameter for a
    non-number, records of zero or below or not whole, negative views, or a
    call rate of zero or below.
    """
    from ...inputs import ledger

    origin = {}
    if records_created is None:
        records_created, origin["records_created"] = ledger.published("ooh.records_created"), "the article"
    else:
        origin["records_created"] = "the params file"
    if views_per_week is None:
        views_per_week, origin["views_per_week"] = ledger.published("ooh.views_per_week"), "the article"
    else:
        origin["views_per_week"] = "the params file"
    if calls_per_1000_per_week is None:
        printed = printed_calls()
        pairs = list(zip(printed["value"], printed["decimals"]))
        calls_per_1000_per_week = implied_rate(ledger.published("ooh.records_created"), pairs)
        origin["calls_per_1000_per_week"] = "the article"
    else:
        origin["calls_per_1000_per_week"] = "the params file"
    _require(records_created, "ooh_records_created", minimum=0, strict=True)
    if float(records_created) != int(records_created):
        raise ValueError(f"ooh_records_created: expected a whole number of records, got {records_created!r}")
    _require(views_per_week, "ooh_views_per_week", minimum=0)
    _require(calls_per_1000_per_week, "ooh_calls_per_1000_per_week", minimum=0, strict=True)
    return Inputs(int(records_created), float(views_per_week), float(calls_per_1000_per_week), origin)


# --- published call rates ---------------------------------------------------------------------------

_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
RATE_COLUMNS = {
    "slug": "short id, used in result keys (ooh.access_rate_at_<slug>): lower case, digits, '_'",
    "label": "short name for charts",
    "scope": f"what the rate counts: {', '.join(f'{k} ({v})' for k, v in SCOPES.items())}",
    "source": "authors and title",
    "citation": "journal reference or report number",
    "url": "where to read it (optional)",
    "setting": "where the figures were collected",
    "period": "the period the rate covers, as the source gives it",
    "period_end": "the last month of that period (YYYY-MM); an upper bound where the source gives none",
    "events": "the count the rate rests on, where given (optional, whole number)",
    "events_unit": "what ``events`` counts",
    "population": "the population covered, where given (optional, whole number)",
    "rate_per_1000_per_year": "the rate as published: events per 1,000 people a year (above zero)",
    "rate_basis": "'published' (the source prints the rate) or 'as reported' (reported from the source's counts)",
    "notes": "caveats",
}
_REQUIRED_TEXT = ("slug", "label", "scope", "source", "citation", "setting", "period", "period_end",
                  "rate_per_1000_per_year", "rate_basis")


def load_rates(path: str | Path = paths.OOH_RATES) -> pd.DataFrame:
    """Read and check the published call rates (columns: :data:`RATE_COLUMNS`, plus ``source_row``).

    ``events`` and ``population`` are optional whole numbers (missing stays
    missing, as ``<NA>``). Every problem (missing column, blank required
    value, bad number, unknown scope or basis, repeated slug) is collected and
    raised together as :class:`~scr_lib.problems.InputError` naming file, row
    and column.
    """
    from ...inputs import values
    from ...inputs.foi import read_csv_cells

    table = read_csv_cells(Path(path))
    missing = [c for c in RATE_COLUMNS if c not in table.header]
    if missing:
        raise InputError([Problem(table.file, 1, c, f"missing column {c!r}; the header has: {', '.join(table.header)}")
                          for c in missing])
    where = {c: table.header.index(c) for c in RATE_COLUMNS}
    problems, records, seen = [], [], {}
    for row, cells in table.rows:
        if not any(c.strip() for c in cells):
            continue
        rec = {"source_row": row}
        for col, i in where.items():
            rec[col] = cells[i].strip() if i < len(cells) else ""
        for col in _REQUIRED_TEXT:
            if not rec[col]:
                problems.append(Problem(table.file, row, col, f"expected a value ({RATE_COLUMNS[col]})"))
        if rec["slug"] and not _SLUG.match(rec["slug"]):
            problems.append(Problem(table.file, row, "slug", f"expected lower case letters, digits and '_', "
                                                             f"found {rec['slug']!r}"))
        elif rec["slug"] in seen:
            problems.append(Problem(table.file, row, "slug",
                                    f"slug {rec['slug']!r} already used on row {seen[rec['slug']]}"))
        seen.setdefault(rec["slug"], row)
        if rec["scope"] and rec["scope"] not in SCOPES:
            problems.append(Problem(table.file, row, "scope",
                                    f"expected one of {', '.join(SCOPES)}, found {rec['scope']!r}"))
        if rec["rate_basis"] and rec["rate_basis"] not in RATE_BASES:
            problems.append(Problem(table.file, row, "rate_basis",
                                    f"expected one of {', '.join(RATE_BASES)}, found {rec['rate_basis']!r}"))
        if rec["period_end"] and not _MONTH.match(rec["period_end"]):
            problems.append(Problem(table.file, row, "period_end",
                                    f"expected a month as YYYY-MM, found {rec['period_end']!r}"))
        for col in ("events", "population"):
            try:
                rec[col] = values.read_count(rec[col])
            except ValueError as err:
                problems.append(Problem(table.file, row, col, str(err)))
                rec[col] = None
            if rec[col] is not None and rec[col] <= 0:
                problems.append(Problem(table.file, row, col, f"expected a count above zero, found {rec[col]}"))
        rate = rec["rate_per_1000_per_year"]
        try:
            rec["rate_per_1000_per_year"] = float(rate.replace(",", "")) if rate else None
            if rate and not rec["rate_per_1000_per_year"] > 0:
                raise ValueError
        except ValueError:
            problems.append(Problem(table.file, row, "rate_per_1000_per_year",
                                    f"expected a rate above zero (calls per 1,000 a year), found {rate!r}"))
            rec["rate_per_1000_per_year"] = None
        records.append(rec)
    if not records and not problems:
        problems.append(Problem(table.file, 0, "", "no rates: expected one row per published rate"))
    if problems:
        raise InputError(problems)
    frame = pd.DataFrame.from_records(records, columns=["source_row", *RATE_COLUMNS])
    return frame.astype({"events": "Int64", "population": "Int64", "rate_per_1000_per_year": float})


def sensitivity(rates: pd.DataFrame, inputs: Inputs) -> pd.DataFrame:
    """The access rate under the run's call rate and under each published rate.

    One row for the run's rate (slug :data:`ASSUMED_SLUG`; kind
    :data:`ASSUMED_KIND` when it is the article's, :data:`PARAMS_KIND` when
    the params file gave it), then one per row of ``rates``, highest rate first.
    Columns: slug, label, kind, scope, citation, period, period_end,
    rate_per_1000_per_year, rate_per_1000_per_week, projected_calls_per_week,
    access_rate (0-1) and rate_multiple (the run's rate / this rate). A new
    frame; ``rates`` is not changed.
    """
    kind = ASSUMED_KIND if inputs.rate_is_assumed else PARAMS_KIND
    label = "Pulse's implied assumption" if inputs.rate_is_assumed else "This run's rate"
    run_row = pd.DataFrame([{"slug": ASSUMED_SLUG, "label": label, "kind": kind, "scope": "",
                             "citation": "derived from the article's table" if inputs.rate_is_assumed
                             else "the params file", "period": "", "period_end": "",
                             "rate_per_1000_per_year": per_year(inputs.calls_per_1000_per_week)}])
    published = rates.assign(kind=PUBLISHED_KIND).sort_values("rate_per_1000_per_year", ascending=False)
    cols = ["slug", "label", "kind", "scope", "citation", "period", "period_end", "rate_per_1000_per_year"]
    table = pd.concat([run_row, published[cols]], ignore_index=True)
    table["rate_per_1000_per_week"] = per_week(table["rate_per_1000_per_year"])
    table.loc[0, "rate_per_1000_per_week"] = inputs.calls_per_1000_per_week  # exact, not via a year and back
    table["projected_calls_per_week"] = [projected_calls(inputs.records_created, r)
                                         for r in table["rate_per_1000_per_week"]]
    table["access_rate"] = [access_rate(inputs.views_per_week, c) for c in table["projected_calls_per_week"]]
    table["rate_multiple"] = inputs.calls_per_1000_per_week / table["rate_per_1000_per_week"]
    return precision.round_significant(table)


def show_rates(rates: pd.DataFrame) -> pd.DataFrame:
    """The published rates for the reader's table (declared as ``ooh_rates`` in :mod:`scr_lib.findings.ooh`):
    label, citation, setting, period, ``counted`` (the events and what they were, in words), the rate as
    published (calls per 1,000 people a year) and its basis. A new frame; ``rates`` is not changed."""
    counted = [f"{e:,} {u}" if not pd.isna(e) else u for e, u in zip(rates["events"], rates["events_unit"])]
    return pd.DataFrame({
        "label": rates["label"],
        "citation": rates["citation"],
        "setting": rates["setting"],
        "period": rates["period"],
        "counted": counted,
        "rate_per_1000_per_year": rates["rate_per_1000_per_year"],
        "rate_basis": rates["rate_basis"],
    })


def result_key(slug: str) -> str:
    """The results key for the access rate under the published rate ``slug``: 'ooh.access_rate_at_<slug>'."""
    return f"ooh.access_rate_at_{slug}"


def measured_before(table: pd.DataFrame, month: str, scope: str = "gp") -> pd.Series:
    """True for the published rates of ``scope`` whose period ended before ``month`` (YYYY-MM).

    Rows without a ``period_end`` (the run's own rate) are False.
    """
    ended = table["period_end"].fillna("").astype(str)
    return (table["kind"].eq(PUBLISHED_KIND) & table["scope"].eq(scope) & ended.ne("") & (ended < month)).astype(bool)


def percent_range(low: float, high: float, decimals: int = 1) -> str:
    """Two fractions as a range of percentages ('4.1% to 4.4%'); one figure when they round alike ('4%')."""
    low, high = sorted((low, high))
    a, b = words.percent(low, decimals), words.percent(high, decimals)
    return a if a == b else f"{a} to {b}"


def count_range(low: float, high: float, decimals: int = -3) -> str:
    """Two counts as a range rounded to ``decimals`` ('41,000 to 43,000'); one figure when they round alike."""
    low, high = sorted((low, high))
    a, b = (f"{words.round_half_up(x, decimals):,.0f}" for x in (low, high))
    return a if a == b else f"{a} to {b}"


def sensitivity_words(table: pd.DataFrame, inputs: Inputs, month: str) -> str:
    """What the published rates do to the access rate, in words, every figure taken from ``table``.

    ``table`` is :func:`sensitivity`'s output; ``month`` (YYYY-MM) is the
    article's, so the first sentence speaks of the GP out-of-hours rates
    measured before it. Returns Markdown.
    """
    run = table.iloc[0]
    whose = "Pulse's implied rate" if inputs.rate_is_assumed else "This run's rate"
    whose_object = "Pulse's implied rate" if inputs.rate_is_assumed else "this run's rate"
    people = f"{inputs.records_created / 1e6:,.1f} million"
    before = table[measured_before(table, month)]
    others = table[(table["kind"] == PUBLISHED_KIND) & ~measured_before(table, month)]
    parts = []
    if before.empty:
        parts.append(f"No GP out-of-hours rate in the data was measured before {month}.")
    else:
        rates = count_range(before["rate_per_1000_per_year"].min(), before["rate_per_1000_per_year"].max(), 0)
        low, high = before["access_rate"].min(), before["access_rate"].max()
        multiples = (words.round_half_up(before["rate_multiple"].min(), 1),
                     words.round_half_up(before["rate_multiple"].max(), 1))
        times = sorted({int(words.round_half_up(m, 0)) for m in multiples})
        about_times = ("close to these rates" if times == [1] else
                       f"about {' to '.join(words.number_words(t) for t in times)} times these rates")
        run_access = float(run["access_rate"])
        contrast = "" if low <= run_access <= high else f", not {words.percent(run_access, 1)}"
        parts.append(
            f"At the GP out-of-hours rates measured before the article, **{rates}** calls per 1,000 people a year "
            f"({'; '.join(before['label'])}), the **{people}** people with a record would make about "
            f"**{count_range(before['projected_calls_per_week'].min(), before['projected_calls_per_week'].max())}** "
            f"calls a week, and **{inputs.views_per_week:,.0f}** views a week would be "
            f"**{percent_range(low, high)}** of calls: **about {percent_range(low, high, 0)}{contrast}**. "
            f"{whose}, **{run['rate_per_1000_per_year']:,.0f}** calls per 1,000 a year, is {about_times} "
            f"({' to '.join(words.decimal(m, 1) for m in sorted(set(multiples)))} times).")
    for row in others.itertuples(index=False):
        parts.append(f"Under {row.label} ({row.period}; counting {SCOPES[row.scope]}), "
                     f"**{row.rate_per_1000_per_year:,.0f}** a year, the share would be "
                     f"**{words.percent(row.access_rate, 1)}**.")
    published = table[table["kind"] == PUBLISHED_KIND]
    if not published.empty:
        highest = published["rate_per_1000_per_year"].max()
        if highest < run["rate_per_1000_per_year"]:
            parts.append(f"Every published rate in the data is below {whose_object}, which is "
                         f"{words.times(run['rate_per_1000_per_year'] / highest)} even the "
                         f"highest (**{highest:,.0f}** a year).")
        else:
            parts.append(f"Not every published rate in the data is below {whose_object}: the highest is "
                         f"**{highest:,.0f}** a year.")
    return "\n\n".join(parts)


# --- chart --------------------------------------------------------------------------------------------

LABEL_PLACES = {"above": ("left", 9, -8), "below": ("left", 9, 14), "left": ("right", -9, -8)}
"""Where a dot's label goes: (text align, dx, dy) in pixels."""


def _label_places(rates: pd.Series, crowded: float = 1.2) -> list[str]:
    """Each dot's label place: 'left' for the rightmost dot, 'below' for a dot crowded by a lower rate, else 'above'.

    The curve falls as the rate rises, so a crowded dot sits below and right
    of its neighbour, and its label below the dot clears the neighbour's.
    """
    order = rates.sort_values().index
    places = {}
    for i, idx in enumerate(order):
        prev = order[i - 1] if i > 0 else None
        if i == len(order) - 1:
            places[idx] = "left"
        elif prev is not None and rates[idx] / rates[prev] < crowded:
            places[idx] = "below"
        else:
            places[idx] = "above"
    return [places[i] for i in rates.index]


def chart_access_rate(table: pd.DataFrame, inputs: Inputs):
    """Access rate against call rate: the curve views / calls, with the run's rate and each published rate marked.

    The x axis is calls per 1,000 people a year on a log scale; the y axis the
    share of calls in which a record is viewed. ``table`` is
    :func:`sensitivity`'s output. Every value here is published or derived
    from published figures: nothing is illustrative.
    """
    import altair as alt

    from ... import charts

    low = table["rate_per_1000_per_year"].min() * 0.8
    high = table["rate_per_1000_per_year"].max() * 1.25
    # Drawing points only: rounded to GEOMETRY_DIGITS, as their last bits differ between CPUs.
    curve = pd.DataFrame({"rate_per_1000_per_year": np.geomspace(low, high, 60)})
    curve["access_rate"] = [access_rate(inputs.views_per_week,
                                        projected_calls(inputs.records_created, per_week(r)))
                            for r in curve["rate_per_1000_per_year"]]
    curve = precision.round_significant(curve, precision.GEOMETRY_DIGITS)
    low, high = (precision.round_number(v, precision.GEOMETRY_DIGITS) for v in (low, high))
    data = table.assign(access_percent=(table["access_rate"] * 100).round(2),
                        rate_per_year=table["rate_per_1000_per_year"].round(0),
                        rate_per_week=table["rate_per_1000_per_week"].round(2),
                        calls=table["projected_calls_per_week"].round(0),
                        label_text=[f"{lab}: {words.percent(a, 1)}"
                                    for lab, a in zip(table["label"], table["access_rate"])],
                        label_place=_label_places(table["rate_per_1000_per_year"]))
    used = [k for k in KIND_COLOURS if k in set(data["kind"])]
    ticks = [t for t in (50, 100, 200, 500, 1000, 2000, 5000, 10000) if low <= t <= high]
    x = alt.X("rate_per_1000_per_year:Q", title="Out-of-hours calls per 1,000 people a year (log scale)",
              scale=alt.Scale(type="log", domain=[float(low), float(high)], nice=False),
              axis=alt.Axis(values=ticks, format=",.0f"))
    y = alt.Y("access_rate:Q", title="Share of calls in which a record is viewed", axis=alt.Axis(format="%"))
    line = alt.Chart(curve).mark_line(color="#888", strokeWidth=1.5).encode(x=x, y=y)
    points = alt.Chart(data).mark_point(filled=True, size=90).encode(
        x=x, y=y,
        color=alt.Color("kind:N", title=None, sort=used,
                        scale=alt.Scale(domain=used, range=[KIND_COLOURS[k] for k in used])),
        tooltip=[alt.Tooltip("label:N", title="Rate"), alt.Tooltip("citation:N", title="Source"),
                 alt.Tooltip("period:N", title="Period"),
                 alt.Tooltip("rate_per_year:Q", title="Calls per 1,000 people a year", format=",.0f"),
                 alt.Tooltip("rate_per_week:Q", title="Calls per 1,000 people a week", format=",.2f"),
                 alt.Tooltip("calls:Q", title="Projected calls a week", format=",.0f"),
                 alt.Tooltip("access_percent:Q", title="Share of calls with a record viewed (%)", format=".2f")])
    labels = [alt.Chart(data[data["label_place"] == place]).mark_text(align=align, dx=dx, dy=dy, fontSize=11)
              .encode(x=x, y=y, text="label_text:N")
              for place, (align, dx, dy) in LABEL_PLACES.items() if place in set(data["label_place"])]
    subtitle = [f"If every one of {inputs.views_per_week:,.0f} record views a week were in out-of-hours care, "
                f"for {inputs.records_created:,} people with a record",
                "Line: views / projected calls at each call rate; dots: this run's rate and the published rates, "
                "labelled with the share of calls"]
    return alt.layer(line, points, *labels).properties(
        title=charts.title("The lower the call rate, the higher the share of calls with a record viewed", subtitle))
