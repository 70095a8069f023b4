"""Finding 3, declared: how often out-of-hours care views a record (arithmetic: :mod:`scr_lib.findings.arithmetic.ooh`).

Light to import (no pandas): the run reads the params schema from here on its no-op path.
"""

from __future__ import annotations

from .. import paths, words
from ..inputs.params import Knob
from .columns import Column, Table
from .finding import Finding, KeyFigure, Source
from .measure import RECORDS, Measure

KNOBS = {
    "ooh_records_created": Knob((int,), None, "Summary Care Records created nationally; "
                                "blank (null): the April 2012 article's figure", positive=True),
    "ooh_views_per_week": Knob((int, float), None, "record views a week; blank (null): the article's figure",
                               positive=True),
    "ooh_calls_per_1000_per_week": Knob((int, float), None, "out-of-hours calls per 1,000 people a week; "
                                        "blank (null): the rate implied by the article's own table", positive=True),
}

PER_WEEK = Column("rate_per_1000_per_week", "Calls per 1,000 people a week", "rate", decimals=2)
TABLES = (
    Table("ooh_rate_readings", "Two readings of the call rate behind the article's table", (
        Column("reading", "Reading of the rate", row_header=True),
        Column("calls_per_1000_per_week", "Calls per 1,000 people a week", "rate", decimals=6),
        Column("projected_calls_per_week", "Projected calls a week", "count"),
        Column("printed", "Printed figure"),
        Column("precision", "Printed to"),
        Column("rounded", "Projection at that precision", "count"),
        Column("holds", "Gives the printed figure", "yes/no"))),
    Table("ooh_rates", "Published out-of-hours call rates", (
        Column("label", "Rate", row_header=True),
        Column("citation", "Source"),
        Column("setting", "Setting"),
        Column("period", "Period"),
        Column("counted", "What was counted"),
        Column("rate_per_1000_per_year", "Calls per 1,000 people a year", "rate", decimals=0),
        Column("rate_basis", "The rate is"))),
    Table("ooh_sensitivity", "The share of calls with a record viewed, at each call rate", (
        Column("label", "Call rate", row_header=True),
        Column("citation", "Source"),
        Column("period", "Period", missing="not applicable"),
        Column("rate_per_1000_per_year", "Calls per 1,000 people a year", "rate", decimals=0),
        PER_WEEK,
        Column("projected_calls_per_week", "Projected calls a week", "count"),
        Column("access_rate", "Share of calls with a record viewed", "share", decimals=2),
        Column("rate_multiple", "This run's rate ÷ this rate", "rate", decimals=2))),
)


def headline(figures, params) -> str:
    """The index sentence: records, views, the call rate (whose) and the access rate, then the range of
    access rates at the GP out-of-hours call rates measured before the article."""
    from .arithmetic import ooh

    whose = ("this run's call rate" if params.get("ooh_calls_per_1000_per_week") is not None
             else "the call rate Pulse's table implies")
    text = (f"With {words.count(figures['ooh.records_created'])} records created and "
            f"{words.count(figures['ooh.views_per_week'])} views a week, at {whose} "
            f"({words.decimal(figures['ooh.calls_per_1000_per_week'], 1)} calls per 1,000 people a week) "
            f"records are viewed in {words.percent(figures['ooh.access_rate'], 2)} of out-of-hours calls.")
    rates = ooh.load_rates()
    month = ooh.article()["date"]
    before = rates[rates["scope"].eq("gp") & rates["period_end"].astype(str).lt(month)]
    shares = sorted(v for slug in before["slug"] if (v := figures.get(ooh.result_key(slug))) is not None)
    if shares:
        text += (f" At the GP out-of-hours call rates {_when(before, month)} the share would be "
                 f"{ooh.percent_range(shares[0], shares[-1])}.")
    return text


def _when(rates, month: str) -> str:
    """How the rates measured before the article (YYYY-MM) came out, from their citations' years: "published
    before the article", or, when one was published after it, "measured before the article (published in
    2000 and 2014)"."""
    import re

    years = sorted({int(m.group(0)) for c in rates["citation"].astype(str)
                    if (m := re.search(r"\b(19|20)\d\d\b", c)) is not None})
    if years and years[-1] < int(month[:4]):
        return "published before the article"
    shown = " and ".join(str(y) for y in years) if len(years) < 3 else \
        ", ".join(str(y) for y in years[:-1]) + f" and {years[-1]}"
    return f"measured before the article (published in {shown})" if years else "measured before the article"


def news(now, then, then_label) -> str | None:
    """The H1: "Care records are viewed in 0.53% of out-of-hours calls", and with an earlier run whose
    share differs, "up from 0.4% in 2010"."""
    from .finding import since, value

    share = value(now, "ooh.access_rate")
    if share is None:
        return None
    before = value(then, "ooh.access_rate")  # compared at 6 places: float noise is no change
    return (f"Care records are viewed in {words.percent(share, 2)} of out-of-hours calls"
            + since(round(share, 6), None if before is None else round(before, 6), lambda v: words.percent(v, 2),
                    then_label))


_CALLS = ("calls", "call", "contacts", "out-of-hours calls", "cases")
_VIEWS = ("views", "view", "accesses", "viewings", "record views", "care record views", "lookups", "look-ups")


def _rate(value: float) -> str:
    return f"{words.round_half_up(value, 1):,.1f}"


MEASURES = (
    Measure("records_created", "count", ("created", "uploaded", "risen to", "have a record", "had a record",
                                         "now have", "exist"),
            False, words.count, "Summary Care Records created", RECORDS, "{value} records created",
            result="ooh.records_created"),
    Measure("views_per_week", "count", ("viewed", "views", "accessed", "looked at", "opened", "used"), False,
            words.count, "record views a week", _VIEWS + RECORDS, "{value} record views a week",
            result="ooh.views_per_week", per="week"),
    Measure("calls_per_1000_per_week", "rate", ("per 1,000", "per thousand", "for every 1,000", "calls"), False,
            _rate, "out-of-hours calls per 1,000 people a week", _CALLS, "{value} calls per 1,000 people a week",
            result="ooh.calls_per_1000_per_week", per="week",
            needs=("per 1,000", "per thousand", "for every 1,000")),
    Measure("calls_per_1000_per_year", "rate", ("per 1,000", "per thousand", "for every 1,000", "calls"), False,
            lambda v: f"{words.round_half_up(v, 0):,.0f}", "out-of-hours calls per 1,000 people a year", _CALLS,
            "{value} calls per 1,000 people a year", result="ooh.calls_per_1000_per_year", per="year",
            needs=("per 1,000", "per thousand", "for every 1,000")),
    Measure("projected_calls_per_week", "count", ("calls", "out-of-hours", "make", "projected", "expected"), False,
            words.count, "projected out-of-hours calls a week", _CALLS, "{value} out-of-hours calls a week",
            result="ooh.projected_calls_per_week", per="week"),
    Measure("access_rate", "share", ("of calls", "calls", "out-of-hours", "accessed", "viewed", "consulted",
                                     "looked at", "opened"),
            False, lambda v: words.percent(v, 2), "share of out-of-hours calls in which a record is viewed", _CALLS,
            "records are viewed in {value} of out-of-hours calls", result="ooh.access_rate"),
)

FINDING = Finding(
    id="ooh", notebook="03-out-of-hours", title="How often out-of-hours care views a record",
    headline=headline, news=news, knobs=KNOBS, charts=("ooh_sensitivity",), tables=TABLES,
    sources=(Source(paths.OOH_RATES, "published out-of-hours call rates"),),
    key_figures=("ooh.records_created", "ooh.views_per_week", "ooh.access_rate", "ooh.calls_per_1000_per_week"),
    figures=(KeyFigure("ooh.access_rate", "Out-of-hours calls in which a record is viewed",
                       lambda v: words.percent(v, 2)),
             KeyFigure("ooh.views_per_week", "Record views a week", words.count),
             KeyFigure("ooh.records_created", "Records created", words.count),
             KeyFigure("ooh.calls_per_1000_per_week", "Calls per 1,000 people a week (assumed)",
                       lambda v: words.decimal(v, 1))),
    measures=MEASURES,
)
