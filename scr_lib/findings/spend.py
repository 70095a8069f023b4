"""Finding 2, declared: what the rollout cost locally (arithmetic: :mod:`scr_lib.findings.arithmetic.spend`)."""

from __future__ import annotations

from ..words import count, percent, pounds
from . import measure
from .measure import RECORDS, Measure
from .columns import Column, Table
from .finding import Finding, KeyFigure, illustrative, moved, since, value


DORSET = ("spend.dorset_to_date_gbp", "spend.dorset_expected_gbp", "spend.dorset_records_uploaded",
          "spend.dorset_records_viewed")

PCT = Column("pct_name", "PCT", row_header=True)
ODS = Column("ods_code", "ODS code")
TO_DATE = Column("spend_to_date_gbp", "Spend to date", "pounds")
UPLOADED = Column("records_uploaded", "Records uploaded", "count")
COST = Column("cost_per_record_gbp", "Spend to date per record uploaded", "pounds", decimals=2,
              missing="not computed")
PCTS = Column("pcts", "PCTs", "count")

TABLES = (
    Table("spend_status", "PCTs by their spend figure and whether the rollout had begun", (
        Column("spend_status", "Spend figure", row_header=True),
        Column("rollout begun", "Rollout begun", "count"),
        Column("rollout not begun", "Rollout not begun", "count"),
        Column("rollout not stated", "Rollout not stated", "count", optional=True),
        Column("pcts", "All PCTs", "count"))),
    Table("spend_by_pct", "Local spend on the rollout, by PCT", (
        PCT, ODS, Column("rollout_begun", "Rollout begun", "yes/no"), Column("spend_status", "Spend figure"),
        TO_DATE, Column("spend_expected_gbp", "Further spend expected", "pounds"), UPLOADED,
        Column("records_viewed", "Records viewed or used", "count"), COST), illustrative="illustrative_values"),
    Table("spend_cost_per_record", "Spend to date per record uploaded, by PCT",
          (PCT, ODS, TO_DATE, UPLOADED, COST), illustrative="illustrative"),
    Table("spend_left_out", "PCTs left out of the cost per record, and why",
          (Column("reason", "Why the PCT is left out", row_header=True), PCTS)),
)


def headline(figures, params) -> str:
    """The lead sentence: what NHS Dorset had spent and expected to spend, records uploaded and used; when
    the returns lack one of Dorset's figures, or one of them is illustrative (``params["illustrative"]``,
    the result keys that rest on generated values: never beside a real body's name), how many PCTs gave a
    spend figure and how many said nothing."""
    made_up = set(params.get("illustrative") or ())  # result keys resting on generated values
    if any(figures.get(key) is None or key in made_up for key in DORSET):
        text = (f"Of the {count(figures['spend.pcts_answered'])} PCTs that answered, "
                f"{count(figures.get('spend.pcts_reporting') or 0)} gave a figure for their spend so far")
        if figures.get("spend.pcts_reporting_zero") is not None:
            text += f", {count(figures['spend.pcts_reporting_zero'])} of them nothing"
        return text + "."
    viewed = figures["spend.dorset_records_viewed"]
    used = "none had been used" if viewed == 0 else f"{count(viewed)} had been viewed"
    # No count of PCTs here: on the bundled data those counts are illustrative, and a headline
    # states only what the article published or a journalist's own file reports (see the page).
    return (f"NHS Dorset had spent {pounds(figures['spend.dorset_to_date_gbp'])} and expected "
            f"to spend {pounds(figures['spend.dorset_expected_gbp'])} more; it had uploaded "
            f"{count(figures['spend.dorset_records_uploaded'])} records and {used}.")


def news(now, then, then_label) -> str | None:
    """The H1. NHS Dorset's spend, the article's worked example, when the returns give it and it is not
    illustrative (a generated figure never stands beside a real body's name): "NHS Dorset's spend on the
    rollout rose to £214,500, from £190,000 in 2010". Otherwise the median spend of the PCTs that gave a
    figure, which names no PCT."""
    spent = value(now, "spend.dorset_to_date_gbp")
    if spent is not None and not illustrative(now, "spend.dorset_to_date_gbp"):
        before = value(then, "spend.dorset_to_date_gbp")
        if before is not None and not illustrative(then, "spend.dorset_to_date_gbp"):
            way = moved(spent, before)
            if not way:
                return f"NHS Dorset's spend on the rollout stayed at {pounds(spent)}, as in {then_label}"
            verb = "rose" if way == "up" else "fell"
            return f"NHS Dorset's spend on the rollout {verb} to {pounds(spent)}, from {pounds(before)} in {then_label}"
        viewed = value(now, "spend.dorset_records_viewed")
        uploaded = value(now, "spend.dorset_records_uploaded")
        text = f"NHS Dorset spent {pounds(spent)} on the Summary Care Record rollout"
        if viewed == 0 and uploaded and not illustrative(now, "spend.dorset_records_viewed",
                                                         "spend.dorset_records_uploaded"):
            text += f", and none of its {count(uploaded)} uploaded records had been used"
        return text
    median = value(now, "spend.median_nonzero_to_date_gbp")
    if median is None:
        return None
    return (f"PCTs that spent on the rollout spent {pounds(median)} each, the median"
            + since(median, value(then, "spend.median_nonzero_to_date_gbp"), pounds, then_label))


_SPENT = ("spent", "spend", "spending", "cost", "costs", "paid", "invested", "outlay", "bill")
_MEDIAN = ("median", "typical", "middle", "midpoint")
_PER_RECORD = ("per record", "each record", "a record", "for every record", "per uploaded record",
               "per record uploaded", "every record", "per patient record", "each", "apiece", "records cost",
               "record cost", "cost per", "per uploaded")


def _pence(value: float) -> str:
    return pounds(value, 2)


MEASURES = (
    Measure("spend_to_date_gbp", "pounds", _SPENT + ("so far",), True, pounds, "spend to date", (),
            "{value} spent on the rollout so far", result="spend.total_to_date_gbp"),
    Measure("spend_expected_gbp", "pounds", ("further", "expected", "expects", "expecting", "more", "plans to spend",
                                             "another", "still to spend", "set aside", "earmarked",
                                             "will spend", "an extra", "an additional", "planned to spend",
                                             "planning to spend", "intends to spend"),
            True, pounds, "further spend expected", (), "{value} more expected to be spent",
            result="spend.total_expected_gbp"),
    Measure("records_uploaded", "count", ("uploaded", "created", "upload"), True, count, "records uploaded",
            RECORDS, "{value} records uploaded", result="spend.records_uploaded"),
    Measure("records_viewed", "count", ("viewed", "used", "accessed", "opened", "looked at", "consulted"), True,
            count, "records viewed or used", RECORDS, "{value} records viewed or used",
            result="spend.records_viewed"),
    Measure("cost_per_record_gbp", "pounds", _PER_RECORD + _SPENT, False, _pence,
            "spend to date per record uploaded", (), "{value} spent per record uploaded",
            result="spend.pooled_cost_per_record_gbp", rests_on=("spend_to_date_gbp", "records_uploaded"),
            needs=_PER_RECORD),
    Measure("median_spend_to_date_gbp", "pounds", _MEDIAN + _SPENT, False, pounds,
            "median spend to date of the PCTs that gave a figure", (), "the median spend to date was {value}",
            result="spend.median_to_date_gbp", needs=_MEDIAN),
    Measure("median_cost_per_record_gbp", "pounds", _MEDIAN + _PER_RECORD + _SPENT, False,
            _pence, "median spend per record uploaded", (), "the median spend per record uploaded was {value}",
            result="spend.median_cost_per_record_gbp", needs=_MEDIAN),
    Measure("largest_spend_to_date_gbp", "pounds", ("largest", "most", "highest", "biggest", "top") + _SPENT, False,
            pounds, "largest spend to date of any PCT", (), "the largest spend to date was {value}",
            result="spend.largest_to_date_gbp", needs=("largest", "most", "highest", "biggest", "top")),
    Measure("smallest_spend_to_date_gbp", "pounds", ("smallest", "lowest", "least") + _SPENT, False, pounds,
            "smallest spend to date above nothing", (), "the smallest spend above nothing was {value}",
            result="spend.smallest_nonzero_to_date_gbp", needs=("smallest", "lowest", "least")),
    Measure("pcts_spent_nothing", "count", ("spent nothing", "spending nothing", "nothing", "nil", "not a penny",
                                            "zero"),
            False, count, "PCTs that reported spending nothing", measure.PCTS, "{value} PCTs reported spending nothing",
            result="spend.pcts_reporting_zero"),
    Measure("pcts_spent_something", "count", ("reported spending", "spent something", "spent money"), False, count,
            "PCTs that reported spending something", measure.PCTS, "{value} PCTs reported spending something",
            result="spend.pcts_reporting_spend"),
    Measure("pcts_gave_spend", "count", ("gave a figure", "gave figures", "gave a spend figure", "said how much"),
            False, count, "PCTs that gave a figure for their spend", measure.PCTS, "{value} PCTs gave a spend figure",
            result="spend.pcts_reporting"),
    Measure("central_funding_gbp", "pounds", ("central funding", "centrally funded", "central", "connecting for health",
                                              "department of health"),
            False, pounds, "central funding (the published figure the run takes as given)", (),
            "central funding was {value}", result="spend.central_funding_gbp"),
    Measure("local_share_of_central", "share", ("central funding", "of the central", "central"), False, percent,
            "local spend to date as a share of central funding", (),
            "local spend to date was {value} of central funding", result="spend.local_share_of_central",
            needs=("central",)),
)

FINDING = Finding(
    id="spend", notebook="02-spend", title="What the rollout cost locally",
    headline=headline, news=news, charts=("spend_by_pct",), tables=TABLES,
    key_figures=("spend.pcts_answered",),
    figures=(KeyFigure("spend.dorset_to_date_gbp", "NHS Dorset had spent", pounds),
             KeyFigure("spend.dorset_expected_gbp", "Further spend it expected", pounds),
             KeyFigure("spend.dorset_records_uploaded", "Records it had uploaded", count),
             KeyFigure("spend.dorset_records_viewed", "Records used", count)),
    measures=MEASURES,
)
