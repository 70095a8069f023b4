"""Finding 2: what PCTs spent on the Summary Care Record rollout.

Pulse reported that spending "varied hugely": some PCTs claimed to have spent
nothing, NHS Dorset had spent £190,000 and expected to spend £70,000 more,
and £7.5 million of central funding came on top. This module states how the
FOI returns' spend columns are read into that story.

Units: money in pounds sterling (float, as :func:`scr_lib.inputs.values.read_money`
reads it); records are counts; "cost per record" is pounds per uploaded record.

Missing values: a PCT that gave no spend figure (blank, "n/a", "not known")
is *not* counted as spending nothing. It keeps its row with the status
:data:`NOT_GIVEN`, and is left out of every sum, median and cost per record,
which the notebook says in so many words. "nil" and "none" are figures: zero.
"""

from __future__ import annotations

import pandas as pd

from ...inputs.foi import illustrative_mask
from ...inputs.reference import NAMED_AREAS

SPEND_COLUMNS = ["spend_to_date_gbp", "spend_expected_gbp", "records_uploaded", "records_viewed"]

SPENT = "reported spending on the rollout"
NOTHING = "reported nothing spent"
NOT_GIVEN = "gave no spend figure"
STATUSES = (SPENT, NOTHING, NOT_GIVEN)

COST_REASONS = {
    "spend_missing": "gave no spend figure",
    "uploaded_missing": "gave no number of records uploaded",
    "uploaded_zero": "had uploaded no records (cost per record undefined)",
}

# What each figure of :func:`spread`, :func:`cost_summary`, :func:`area` and :func:`against_central`
# is, as (unit, label) for ``results.json``; :func:`result_rows` uses it.
LABELS = {
    "pcts_answered": ("PCTs", "PCTs that answered"),
    "pcts_reporting": ("PCTs", "PCTs that gave a figure for spend to date (nil included)"),
    "pcts_reporting_zero": ("PCTs", "PCTs that reported nothing spent"),
    "pcts_reporting_spend": ("PCTs", "PCTs that reported spending something"),
    "pcts_not_given": ("PCTs", "PCTs that gave no spend figure (not counted as zero)"),
    "total_to_date_gbp": ("GBP", "Local spend to date, PCTs that gave a figure"),
    "median_to_date_gbp": ("GBP", "Median spend to date, PCTs that gave a figure (nil included)"),
    "median_nonzero_to_date_gbp": ("GBP", "Median spend to date, PCTs that spent something"),
    "smallest_nonzero_to_date_gbp": ("GBP", "Smallest spend to date above nothing"),
    "largest_to_date_gbp": ("GBP", "Largest spend to date"),
    "pcts_reporting_expected": ("PCTs", "PCTs that gave a figure for further expected spend"),
    "total_expected_gbp": ("GBP", "Further local spend expected, PCTs that gave a figure"),
    "total_with_expected_gbp": ("GBP", "Local spend to date plus further expected spend, as given"),
    "pcts_reporting_uploaded": ("PCTs", "PCTs that gave a number of records uploaded"),
    "records_uploaded": ("records", "Records uploaded, PCTs that gave a figure"),
    "records_viewed": ("records", "Records viewed or used, PCTs that gave a figure"),
    "pcts_cost_per_record": ("PCTs", "PCTs with both spend to date and records uploaded (above none)"),
    "median_cost_per_record_gbp": ("GBP per record", "Median spend to date per uploaded record"),
    "pooled_cost_per_record_gbp": ("GBP per record",
                                   "Spend to date per uploaded record, those PCTs taken together"),
    "central_funding_gbp": ("GBP", "Central funding (published figure, an input)"),
    "local_share_of_central": ("fraction", "Local spend to date as a fraction of central funding"),
    "local_with_expected_share_of_central": ("fraction",
                                             "Local spend to date plus expected, as a fraction of central funding"),
    "to_date_gbp": ("GBP", "spend to date"),
    "expected_gbp": ("GBP", "further spend expected"),
    "cost_per_record_gbp": ("GBP per record", "spend to date per uploaded record"),
    "cost_per_record_with_expected_gbp": ("GBP per record",
                                          "spend to date plus expected, per uploaded record"),
}


def _given(series: pd.Series) -> pd.Series:
    return series.notna().astype(bool)


def mark_reported(returns: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``returns`` with ``spend_status``: one of :data:`STATUSES` for ``spend_to_date_gbp``.

    Above zero -> :data:`SPENT`; zero ("nil", "none", "0") -> :data:`NOTHING`;
    missing (blank, "n/a", "not known", ...) -> :data:`NOT_GIVEN`, never nothing.
    """
    out = returns.copy()
    spend = out["spend_to_date_gbp"]
    status = pd.Series(NOT_GIVEN, index=out.index, dtype="object")
    status = status.mask(spend.gt(0).fillna(False).astype(bool), SPENT)
    status = status.mask(spend.eq(0).fillna(False).astype(bool), NOTHING)
    out["spend_status"] = status.astype(str)
    return out


def status_counts(marked: pd.DataFrame) -> pd.DataFrame:
    """PCTs by spend status and whether they had begun the rollout.

    Columns ``spend_status``, ``rollout begun``, ``rollout not begun``,
    ``rollout not stated`` (counts; the last only when some PCT did not say),
    ``pcts``. One row per status in :data:`STATUSES` order, all three always shown.
    """
    begun = marked["rollout_begun"].map({True: "rollout begun", False: "rollout not begun"})
    begun = begun.astype("object").where(marked["rollout_begun"].notna(), "rollout not stated")
    table = pd.crosstab(pd.Categorical(marked["spend_status"], categories=STATUSES),
                        begun.astype(str), dropna=False)
    columns = [c for c in ("rollout begun", "rollout not begun", "rollout not stated")
               if c in table.columns or c != "rollout not stated"]
    table = table.reindex(columns=columns, fill_value=0).astype(int)
    table["pcts"] = table.sum(axis=1)
    table.index.name = "spend_status"
    table.columns.name = None
    return table.reset_index().assign(spend_status=lambda t: t["spend_status"].astype(str))


def _median(series: pd.Series) -> float | None:
    values = series.dropna().astype(float)
    return float(values.median()) if len(values) else None


def _total(series: pd.Series) -> float | None:
    values = series.dropna().astype(float)
    return float(values.sum()) if len(values) else None


def spread(marked: pd.DataFrame) -> dict:
    """How spend to date (and expected spend) spreads across the PCTs that answered.

    Counts are ints; money is float pounds. Sums and medians use only the PCTs
    that gave that figure ("nil" counts as a zero figure, "not given" is left
    out). A figure that cannot be computed (no PCT gave one) is ``None``.
    ``largest_ods_code`` and ``largest_pct_name`` name the PCT with the
    largest spend (the first in file order on a tie), and ``largest_illustrative``
    says whether that value is illustrative.
    """
    spend = marked["spend_to_date_gbp"]
    given = spend.dropna().astype(float)
    nonzero = given[given > 0]
    expected = marked["spend_expected_gbp"]
    total, total_expected = _total(spend), _total(expected)
    uploaded = marked["records_uploaded"]
    largest = given.idxmax() if len(given) else None
    return {
        "pcts_answered": int(len(marked)),
        "pcts_reporting": int(len(given)),
        "pcts_reporting_zero": int((given == 0).sum()),
        "pcts_reporting_spend": int(len(nonzero)),
        "pcts_not_given": int(spend.isna().sum()),
        "total_to_date_gbp": total,
        "median_to_date_gbp": _median(given),
        "median_nonzero_to_date_gbp": _median(nonzero),
        "smallest_nonzero_to_date_gbp": float(nonzero.min()) if len(nonzero) else None,
        "largest_to_date_gbp": float(given.max()) if len(given) else None,
        "largest_ods_code": None if largest is None else str(marked.loc[largest, "ods_code"]),
        "largest_pct_name": None if largest is None else str(marked.loc[largest, "pct_name"]),
        "largest_illustrative": None if largest is None
        else bool(illustrative_mask(marked.loc[[largest]], "spend_to_date_gbp").iloc[0]),
        "pcts_reporting_expected": int(_given(expected).sum()),
        "total_expected_gbp": total_expected,
        "total_with_expected_gbp": None if total is None and total_expected is None
        else (total or 0.0) + (total_expected or 0.0),
        "pcts_reporting_uploaded": int(_given(uploaded).sum()),
        "records_uploaded": int(uploaded.dropna().sum()),
        "records_viewed": int(marked["records_viewed"].dropna().sum()),
    }


def cost_reason(marked: pd.DataFrame) -> pd.Series:
    """Why each PCT has no cost per record: the first of :data:`COST_REASONS` that applies, '' when it has one."""
    reason = pd.Series("", index=marked.index, dtype="object")
    uploaded = marked["records_uploaded"]
    reason = reason.mask(uploaded.eq(0).fillna(False).astype(bool), COST_REASONS["uploaded_zero"])
    reason = reason.mask(uploaded.isna(), COST_REASONS["uploaded_missing"])
    reason = reason.mask(marked["spend_to_date_gbp"].isna(), COST_REASONS["spend_missing"])
    return reason


def cost_per_record(marked: pd.DataFrame) -> pd.DataFrame:
    """Spend to date per uploaded record, where both are given and some records were uploaded.

    One row per such PCT: ``ods_code``, ``pct_name``, ``spend_to_date_gbp``
    (£), ``records_uploaded``, ``cost_per_record_gbp`` (£ per record; 0 for a
    PCT that reported nothing spent) and ``illustrative`` (True when either
    value is illustrative). Sorted by cost, highest first, then by name. PCTs
    left out are counted by :func:`cost_exclusions`.
    """
    keep = marked[cost_reason(marked).eq("")]
    illustrative = illustrative_mask(keep, "spend_to_date_gbp") | illustrative_mask(keep, "records_uploaded")
    table = pd.DataFrame({
        "ods_code": keep["ods_code"].astype(str),
        "pct_name": keep["pct_name"].astype(str),
        "spend_to_date_gbp": keep["spend_to_date_gbp"].astype(float),
        "records_uploaded": keep["records_uploaded"].astype(int),
        "illustrative": illustrative.astype(bool),
    })
    table["cost_per_record_gbp"] = table["spend_to_date_gbp"] / table["records_uploaded"]
    table = table[["ods_code", "pct_name", "spend_to_date_gbp", "records_uploaded", "cost_per_record_gbp",
                   "illustrative"]]
    return table.sort_values(["cost_per_record_gbp", "pct_name"], ascending=[False, True]).reset_index(drop=True)


def cost_exclusions(marked: pd.DataFrame) -> pd.DataFrame:
    """How many PCTs each reason kept out of the cost per record: columns ``reason``, ``pcts``.

    The first reason that applies is counted, in :data:`COST_REASONS` order;
    reasons with no PCT are left out.
    """
    counts = cost_reason(marked).loc[lambda r: r.ne("")].value_counts()
    order = [r for r in COST_REASONS.values() if r in counts.index]
    return pd.DataFrame({"reason": order, "pcts": [int(counts[r]) for r in order]})


def cost_summary(costs: pd.DataFrame) -> dict:
    """From :func:`cost_per_record`'s table: how many PCTs, the median cost and the pooled cost (£ per record).

    The pooled cost is their total spend over their total records; ``None``
    where no PCT has both figures.
    """
    if costs.empty:
        return {"pcts_cost_per_record": 0, "median_cost_per_record_gbp": None, "pooled_cost_per_record_gbp": None}
    return {
        "pcts_cost_per_record": int(len(costs)),
        "median_cost_per_record_gbp": float(costs["cost_per_record_gbp"].median()),
        "pooled_cost_per_record_gbp": float(costs["spend_to_date_gbp"].sum() / costs["records_uploaded"].sum()),
    }


def area(marked: pd.DataFrame, slug: str) -> dict | None:
    """One named area's spend figures, or ``None`` when that PCT is not in the returns.

    ``slug`` is its name in :data:`scr_lib.inputs.reference.NAMED_AREAS` ('dorset').
    Returns ``ods_code``, ``pct_name``, ``to_date_gbp``, ``expected_gbp`` (£),
    ``records_uploaded``, ``records_viewed``, ``cost_per_record_gbp`` (spend
    to date per uploaded record) and ``cost_per_record_with_expected_gbp``
    (to date plus expected, per uploaded record), and ``illustrative``: the
    names of the figures that are illustrative. A figure the PCT did not give
    is ``None``, and so is a cost that needs it or that would divide by no records.
    """
    codes = {s: c for c, s in NAMED_AREAS.items()}
    if slug not in codes:
        raise KeyError(f"no named area {slug!r}; the named areas are: {', '.join(sorted(codes))}")
    rows = marked[marked["ods_code"] == codes[slug]]
    if rows.empty:
        return None
    row = rows.iloc[0]

    def value(column, kind):
        return None if pd.isna(row[column]) else kind(row[column])

    out = {
        "ods_code": codes[slug], "pct_name": str(row["pct_name"]),
        "to_date_gbp": value("spend_to_date_gbp", float), "expected_gbp": value("spend_expected_gbp", float),
        "records_uploaded": value("records_uploaded", int), "records_viewed": value("records_viewed", int),
    }
    uploaded = out["records_uploaded"]
    known = uploaded is not None and uploaded > 0
    out["cost_per_record_gbp"] = out["to_date_gbp"] / uploaded if known and out["to_date_gbp"] is not None else None
    out["cost_per_record_with_expected_gbp"] = (
        (out["to_date_gbp"] + out["expected_gbp"]) / uploaded
        if known and out["to_date_gbp"] is not None and out["expected_gbp"] is not None else None)
    flags = {c: bool(illustrative_mask(rows, c).iloc[0]) for c in SPEND_COLUMNS}
    out["illustrative"] = [c for c, flag in flags.items() if flag]
    return out


AREA_SOURCES = {"to_date_gbp": ("spend_to_date_gbp",), "expected_gbp": ("spend_expected_gbp",),
                "records_uploaded": ("records_uploaded",), "records_viewed": ("records_viewed",),
                "cost_per_record_gbp": ("spend_to_date_gbp", "records_uploaded"),
                "cost_per_record_with_expected_gbp": ("spend_to_date_gbp", "spend_expected_gbp", "records_uploaded")}
"""The FOI columns each of :func:`area`'s figures rests on."""


def area_illustrative(figures: dict | None, prefix: str = "spend.") -> set[str]:
    """The result keys (``prefix`` + name, as :func:`result_rows` makes them) of :func:`area`'s figures that
    rest on an illustrative value; empty for None."""
    if not figures:
        return set()
    marked = set(figures["illustrative"])
    return {f"{prefix}{name}" for name, columns in AREA_SOURCES.items() if marked.intersection(columns)}


def area_lines(figures: dict | None, name: str) -> str:
    """:func:`area`'s figures as a Markdown list: pounds to the pound, costs per record to the penny.

    A figure not given reads "not given"; a cost that cannot be worked out
    says why; a figure drawn from an illustrative value says "illustrative".
    With ``figures`` ``None`` (the area is not in the returns) says so instead.
    """
    from ... import words

    if figures is None:
        return f"{name} is not in these returns, so its figures cannot be reproduced."
    marked = set(figures["illustrative"])

    def note(*columns):
        return " (illustrative)" if marked.intersection(columns) else ""

    def money(key, column):
        found = figures[key]
        return "not given" if found is None else f"**{words.pounds(found)}**{note(column)}"

    def records(key, column):
        found = figures[key]
        return "not given" if found is None else f"**{words.count(found) if found else 'none'}**{note(column)}"

    def cost(key, *columns):
        found = figures[key]
        if found is not None:
            return f"**{words.pounds(found, 2)}**{note(*columns)}"
        if not figures["records_uploaded"]:
            return "cannot be worked out: no records uploaded, or no figure"
        return "cannot be worked out: a spend figure was not given"

    return "\n".join([
        f"{name}'s figures in the returns:", "",
        f"- spent on the rollout so far: {money('to_date_gbp', 'spend_to_date_gbp')}",
        f"- further spend expected: {money('expected_gbp', 'spend_expected_gbp')}",
        f"- records uploaded: {records('records_uploaded', 'records_uploaded')}",
        f"- records used: {records('records_viewed', 'records_viewed')}",
        f"- spend so far per uploaded record: "
        f"{cost('cost_per_record_gbp', 'spend_to_date_gbp', 'records_uploaded')}",
        f"- per uploaded record once the expected spend is added: "
        f"{cost('cost_per_record_with_expected_gbp', 'spend_to_date_gbp', 'spend_expected_gbp', 'records_uploaded')}",
    ])


def against_central(local_gbp: float | None, central_gbp: float) -> float | None:
    """Local spend as a fraction of central funding (both £); ``None`` when local spend is unknown.

    Raises ``ValueError`` when the central funding is not above zero.
    """
    if not central_gbp > 0:
        raise ValueError(f"central funding must be above zero, got {central_gbp!r}")
    return None if local_gbp is None else local_gbp / central_gbp


def result_rows(figures: dict, prefix: str = "spend.", label_prefix: str = "") -> list[tuple]:
    """The figures of :data:`LABELS` in ``figures`` as (result key, value, unit, label), ``None`` left out.

    Keys are ``prefix`` + the figure's name; labels get ``label_prefix``
    (an area's name, say). Other entries (names, codes, flags) are skipped.
    """
    rows = []
    for name, found in figures.items():
        if name in LABELS and found is not None:
            unit, label = LABELS[name]
            rows.append((f"{prefix}{name}", found, unit, f"{label_prefix}{label}"))
    return rows


def by_pct(marked: pd.DataFrame) -> pd.DataFrame:
    """One row per PCT that answered, for the chart and the downloadable table.

    Columns: ``ods_code``, ``pct_name``, ``rollout_begun``, ``spend_status``,
    the four :data:`SPEND_COLUMNS` (missing where not given),
    ``cost_per_record_gbp`` (missing unless both spend and records above none
    are given), ``illustrative`` (True when the spend to date is illustrative)
    and ``illustrative_values`` (';'-separated spend columns whose values are
    illustrative). Sorted by spend to date, highest first, PCTs with no figure
    last, then by name.
    """
    if "spend_status" not in marked.columns:
        marked = mark_reported(marked)
    flags = {c: illustrative_mask(marked, c) for c in SPEND_COLUMNS}
    listed = pd.Series([";".join(c for c in SPEND_COLUMNS if flags[c].loc[i]) for i in marked.index],
                       index=marked.index, dtype="object")
    table = pd.DataFrame({
        "ods_code": marked["ods_code"].astype(str),
        "pct_name": marked["pct_name"].astype(str),
        "rollout_begun": marked["rollout_begun"],
        "spend_status": marked["spend_status"].astype(str),
        **{c: marked[c] for c in SPEND_COLUMNS},
    })
    uploaded = table["records_uploaded"].astype("Float64")
    table["cost_per_record_gbp"] = (table["spend_to_date_gbp"] / uploaded.where(uploaded > 0)).astype("Float64")
    table["illustrative"] = flags["spend_to_date_gbp"].astype(bool)
    table["illustrative_values"] = listed.astype(str)
    return table.sort_values(["spend_to_date_gbp", "pct_name"], ascending=[False, True],
                             na_position="last").reset_index(drop=True)


def chart_by_pct(table: pd.DataFrame, named_published: bool | None = None):
    """Bar chart of spend to date by PCT, largest first, for the PCTs that spent something.

    ``table`` is :func:`by_pct`'s. PCTs that reported nothing spent or gave no
    figure have no bar; the subtitle says how many of each. Bars whose spend
    is illustrative are grey and say so in the legend and tooltip.
    ``named_published`` labels the other bars "Published" (True) or "As
    reported in the FOI file" (False); ``None`` infers it, see
    :func:`scr_lib.charts.source_label`.
    """
    import altair as alt

    from ... import charts, words

    shown = table[table["spend_status"] == SPENT]
    from . import chart_names

    data = pd.DataFrame({
        "pct_name": chart_names(shown["ods_code"] if "ods_code" in shown else shown["pct_name"], shown["illustrative"]),
        "spend_to_date_gbp": shown["spend_to_date_gbp"].astype(float),
        "spend_expected_gbp": shown["spend_expected_gbp"].astype(float),
        "records_uploaded": shown["records_uploaded"].astype(float),
        "source": charts.source_label(shown["illustrative"], named_published),
    })
    data = data.assign(spent_text=charts.shown(data["spend_to_date_gbp"], words.pounds),
                       expected_text=charts.shown(data["spend_expected_gbp"], words.pounds),
                       records_text=charts.shown(data["records_uploaded"], words.count))
    counts = table["spend_status"].value_counts()
    zero, missing = int(counts.get(NOTHING, 0)), int(counts.get(NOT_GIVEN, 0))
    subtitle = [f"The {len(data):,} PCTs that reported spending something, largest first",
                f"No bar: {zero:,} reported nothing spent; {missing:,} gave no figure (not counted as zero)"]
    any_illustrative = bool(shown["illustrative"].any())
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("spend_to_date_gbp:Q", title="Spent on the rollout so far (£)", axis=alt.Axis(format=",.0f")),
        y=alt.Y("pct_name:N", sort=None, title=None),
        color=charts.source_colour(data["source"]),
        tooltip=[alt.Tooltip("pct_name:N", title="PCT"),
                 alt.Tooltip("spent_text:N", title="Spent so far"),
                 alt.Tooltip("expected_text:N", title="Further spend expected"),
                 alt.Tooltip("records_text:N", title="Records uploaded"),
                 alt.Tooltip("source:N", title=charts.SOURCE_TITLE)],
    ).properties(
        height=alt.Step(14),
        title=charts.title("Local spend on the Summary Care Record rollout, by PCT", subtitle, any_illustrative),
    )
