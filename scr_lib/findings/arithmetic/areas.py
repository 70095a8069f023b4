"""Every PCT against the national figures: the arithmetic behind "how your area compares" (issue 15).

One vectorised pass over the FOI returns gives a row for each of the 152 PCTs
of the reference table, answered or not, so a page per area needs no notebook
run per area. The figures come from the same functions as the findings
(:mod:`.refusal`, :mod:`.spend`), so an area's share, rank and cost per record
are those the findings count.

Units: practices and records are counts; money is pounds (float); shares are
fractions (0-1); ranks are 1 for the highest share that declined.

Missing values: a PCT with no row in the returns has ``answered`` False and
every figure missing (``NaN``/``<NA>``); a figure a PCT did not give is missing
and named in ``not_given``, never zero. A share, rank or cost that needs a
missing figure is missing too, and ``excluded_because`` /
``cost_excluded_because`` say why.
"""

from __future__ import annotations

import pandas as pd

from ...inputs.foi import illustrative_mask
from ...precision import round_number, round_significant
from . import chance, refusal, spend

FIGURES = ["rollout_begun", "practices_invited", "practices_declined", "practices_signed_up",
           "spend_to_date_gbp", "spend_expected_gbp", "records_uploaded", "records_viewed"]
NOT_ANSWERED = "did not answer (no row in the returns)"

MEASURES = {
    "share_declined": ("practices_invited", "practices_declined"),
    "spend_to_date_gbp": ("spend_to_date_gbp",),
    "spend_expected_gbp": ("spend_expected_gbp",),
    "cost_per_record_gbp": ("spend_to_date_gbp", "records_uploaded"),
    "records_viewed": ("records_viewed",),
}
"""The measures an area is ranked on (1 = highest), each with the FOI figures it rests on."""

SUMS = ("spend_to_date_gbp", "spend_expected_gbp", "records_viewed")
"""The measures whose national figure is the total over the areas that gave them (the share declined's is the
share over the complete areas, :func:`national`; the cost per record's is its median)."""

COMPARABLE = 3
"""How many comparable areas an area page names."""

CHANCE_COLUMNS = ["share_low", "share_high", "limit_95_low", "limit_95_high", "limit_998_low", "limit_998_high",
                  "chance", "small_numbers"]


def _listed(frame: pd.DataFrame, columns: list[str], test) -> pd.Series:
    """For each row, the names of ``columns`` for which ``test(frame, column)`` is True, joined by ';'."""
    flags = pd.DataFrame({c: test(frame, c) for c in columns}, index=frame.index)
    return flags.apply(lambda row: ";".join(c for c in columns if row[c]), axis=1).astype(str) \
        if len(frame) else pd.Series([], dtype=str)


def names(pcts: pd.DataFrame) -> pd.DataFrame:
    """Each PCT's code and reference name, the name a story prints (``display_name``: its first "NHS ..."
    alias, as Pulse wrote them, else "NHS <name>", or the name of a care trust) and the names people look
    it up by (``search_names``, ';'-joined: the display name, the reference name, "<name> PCT" or
    "<name> Care Trust", every alias and the ODS code). Columns the table lacks (``aliases``,
    ``org_type``) count as empty."""
    table = pcts.reset_index(drop=True)
    aliases = table.get("aliases", pd.Series("", index=table.index)).fillna("").astype(str)
    kinds = table.get("org_type", pd.Series("PCT", index=table.index)).fillna("PCT").astype(str)
    display, search = [], []
    for code, name, alias_text, kind in zip(table["ods_code"], table["name"], aliases, kinds):
        listed = [a.strip() for a in alias_text.split(";") if a.strip()]
        nhs = next((a for a in listed if a.startswith("NHS ")), None)
        shown = nhs or (f"{name} {kind}" if kind != "PCT" else f"NHS {name}")
        display.append(shown)
        search.append(";".join(dict.fromkeys([shown, name, f"{name} {kind}", *listed, code])))
    return pd.DataFrame({"ods_code": table["ods_code"], "name": table["name"], "display_name": display,
                         "search_names": search})


def compare(returns: pd.DataFrame, pcts: pd.DataFrame) -> pd.DataFrame:
    """One row per PCT of ``pcts`` (the reference table), in its order, with that PCT's figures and standing.

    ``returns`` is the validated FOI frame (``ods_code``, ``pct_name``, the
    figure columns and ``illustrative``). Columns: ``ods_code``, ``name``
    (the reference name), ``answered``; the figures of :data:`FIGURES` as
    given; ``complete`` and ``excluded_because`` (the refusal finding's rule;
    '' when complete, :data:`NOT_ANSWERED` when no row); ``share_declined``;
    ``refusal_rank`` (1 = highest share among the complete areas, ties share
    the better rank) and ``complete_areas``; ``spend_status``;
    ``cost_per_record_gbp`` and ``cost_excluded_because``; ``not_given`` and
    ``illustrative`` (the figure columns missing, or illustrative, joined by ';'). Floats are rounded to 12
    significant digits (:mod:`scr_lib.precision`), as they reach published outputs.
    """
    marked = spend.mark_reported(refusal.mark_complete(returns))
    marked = marked.assign(
        not_given=_listed(marked, FIGURES, lambda f, c: f[c].isna()),
        illustrative_figures=_listed(marked, [*FIGURES, "foi_ref"], illustrative_mask),
        cost_excluded_because=spend.cost_reason(marked),
    )
    shares = refusal.by_pct(marked)[["ods_code", "share_declined"]]
    shares = shares.assign(refusal_rank=shares["share_declined"].rank(method="min", ascending=False).astype("Int64"))
    costs = spend.cost_per_record(marked)[["ods_code", "cost_per_record_gbp"]]
    if "foi_ref" not in marked:
        marked = marked.assign(foi_ref=None)
    keep = ["ods_code", "foi_ref", *FIGURES, "complete", "excluded_because", "spend_status", "cost_excluded_because",
            "not_given", "illustrative_figures"]
    out = (names(pcts)
           .merge(marked[keep], on="ods_code", how="left", indicator=True)
           .merge(shares, on="ods_code", how="left")
           .merge(costs, on="ods_code", how="left"))
    out["answered"] = out.pop("_merge").eq("both")
    out["complete"] = out["complete"].astype("boolean").fillna(False).astype(bool)
    out["excluded_because"] = out["excluded_because"].where(out["answered"], NOT_ANSWERED).astype(str)
    for column in ("spend_status", "cost_excluded_because", "not_given", "illustrative_figures"):
        out[column] = out[column].where(out["answered"], "").astype(str)
    out["complete_areas"] = int(marked["complete"].sum())
    out = out.rename(columns={"illustrative_figures": "illustrative"})
    out["own_figures"] = out["answered"] & ~_generated(out)
    out["figures_given"] = out["answered"] & out[FIGURES].notna().any(axis=1)
    reference = pcts.reset_index(drop=True)
    for column in ("sha_ods_code", "sha_name"):  # a reference table without SHAs: every area in one
        out[column] = reference.get(column, pd.Series("", index=reference.index)).fillna("").astype(str).to_numpy()
    out = _with_chance(out, refusal.overall(refusal.totals(marked))["share"])
    for measure in MEASURES:
        out[f"{measure}_rank"], out[f"{measure}_joint"], out[f"{measure}_ranked"] = _ranks(out, measure)
    out["comparable"] = comparable(out)
    out = round_significant(out)
    ranks = [f"{m}_{part}" for m in MEASURES for part in ("rank", "joint", "ranked")]
    return out[["ods_code", "name", "display_name", "search_names", "sha_ods_code", "sha_name", "answered",
                "figures_given", "own_figures", *FIGURES, "complete", "excluded_because", "share_declined",
                "refusal_rank", "complete_areas", *CHANCE_COLUMNS, "spend_status", "cost_per_record_gbp",
                "cost_excluded_because", *ranks, "comparable", "foi_ref", "not_given", "illustrative"]]


def _generated(table: pd.DataFrame) -> pd.Series:
    """True for a row every one of whose given figures is illustrative (or marked '*'): its figures were made up,
    not answered, so none is shown as the area's own. A row with no figures at all is not generated."""
    listed = table["illustrative"].fillna("").astype(str).str.split(";")
    given = table[FIGURES].notna()

    def made_up(i):
        names = set(listed.iloc[i])
        shown = [c for c in FIGURES if given.iloc[i][c]]
        return bool(shown) and ("*" in names or all(c in names for c in shown))
    return pd.Series([made_up(i) for i in range(len(table))], index=table.index, dtype=bool)


def _with_chance(table: pd.DataFrame, share) -> pd.DataFrame:
    """``table`` with :data:`CHANCE_COLUMNS`: each complete area's Wilson 95% interval, the funnel limits around the
    national ``share`` for its practices invited, its :func:`chance.verdict` and whether it has small numbers.
    Areas that are not complete, or invited no practices, have them missing (small numbers False)."""
    values = {c: [] for c in CHANCE_COLUMNS}
    for complete, k, n in zip(table["complete"], table["practices_declined"], table["practices_invited"]):
        ok = bool(complete) and not pd.isna(n) and n > 0
        interval = chance.wilson(k, n) if ok else None
        narrow = chance.funnel_limits(share, n, 0.95) if ok else None
        wide = chance.funnel_limits(share, n, 0.998) if ok else None
        for key, pair in (("share", interval), ("limit_95", narrow), ("limit_998", wide)):
            values[f"{key}_low"].append(pair[0] if pair else None)
            values[f"{key}_high"].append(pair[1] if pair else None)
        values["chance"].append(chance.verdict(k, n, share) if ok else None)
        values["small_numbers"].append(bool(ok and chance.small_numbers(n)))
    out = table.copy()
    for column, column_values in values.items():
        dtype = bool if column == "small_numbers" else (object if column == "chance" else float)
        out[column] = pd.Series(column_values, index=table.index, dtype=dtype)
    return out


def _ranks(table: pd.DataFrame, measure: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each area's rank on ``measure`` among the areas that gave it (1 = highest; ties share the better rank),
    whether that rank is shared, and how many areas were ranked. The share declined ranks complete areas only."""
    values = table[measure].where(table["complete"]) if measure == "share_declined" else table[measure]
    values = values.astype(float)
    rank = values.rank(method="min", ascending=False)
    joint = rank.map(rank.value_counts()).gt(1) & rank.notna()
    return rank.astype("Int64"), joint.astype(bool), pd.Series(int(values.notna().sum()), index=table.index)


def comparable(table: pd.DataFrame, how_many: int = COMPARABLE) -> pd.Series:
    """For each area, the ODS codes (';'-joined) of the ``how_many`` areas most like it: other areas with figures
    of their own (``own_figures``), those of the same strategic health authority first, then those nearest in
    the size of their rollout (practices invited; an area that gave no number comes after those that did),
    then by name. '' for an area with no figures of its own."""
    candidates = table[table["own_figures"]]
    invited = candidates["practices_invited"].astype(float)
    out = []
    for code, sha, own, size in zip(table["ods_code"], table["sha_ods_code"], table["own_figures"],
                                    table["practices_invited"].astype(float)):
        if not own:
            out.append("")
            continue
        distance = (invited - size).abs() if not pd.isna(size) else pd.Series(float("inf"), index=candidates.index)
        order = pd.DataFrame({"other_sha": candidates["sha_ods_code"].ne(sha), "distance": distance.fillna(float("inf")),
                              "name": candidates["name"], "code": candidates["ods_code"]})
        order = order[order["code"] != code].sort_values(["other_sha", "distance", "name"])
        out.append(";".join(order["code"].head(how_many)))
    return pd.Series(out, index=table.index, dtype=str)


def national(returns: pd.DataFrame, table: pd.DataFrame | None = None) -> dict:
    """The national figures an area is set against: the refusal share over the complete areas (with its
    counts and "one in N"), and the median spend to date and median cost per uploaded record (£) over the
    PCTs that gave them, floats to 12 significant digits. A figure no PCT allows is ``None``.

    ``illustrative`` lists what rests on illustrative values: ``refusal_rank`` (any complete area's counts
    are illustrative: every rank then is), ``median_to_date_gbp``, ``median_cost_per_record_gbp``. The
    share itself is a total, which the bundled file's generated values are constrained to match.

    With ``table`` (:func:`compare`'s), ``measures`` gives each ranked measure's national figure and medians
    (:func:`medians`).
    """
    marked = spend.mark_reported(refusal.mark_complete(returns))
    counts = refusal.totals(marked)
    share = refusal.overall(counts)
    spread = spend.spread(marked)
    costs = spend.cost_per_record(marked)
    cost = spend.cost_summary(costs)
    spent = marked["spend_to_date_gbp"].notna()
    flags = {
        "refusal_rank": bool(refusal.by_pct(marked)["illustrative"].any()),
        "median_to_date_gbp": bool(illustrative_mask(marked[spent], "spend_to_date_gbp").any()),
        "median_cost_per_record_gbp": bool(costs["illustrative"].any()),
    }
    return {**counts, "share": share["share"], "one_in": share["one_in"],
            "median_to_date_gbp": round_number(spread["median_to_date_gbp"]),
            "median_cost_per_record_gbp": round_number(cost["median_cost_per_record_gbp"]),
            "illustrative": [name for name, flag in flags.items() if flag],
            **({"measures": medians(table)} if table is not None else {})}

def medians(table: pd.DataFrame) -> dict:
    """For each of :data:`MEASURES`, over the areas of :func:`compare`'s ``table`` that gave it: ``median`` (of all
    of them, nil answers included), ``median_nonzero`` (of those above zero: for spend, those that spent anything),
    ``areas`` and ``areas_nonzero`` (how many), ``total`` (for :data:`SUMS`, else ``None``) and ``illustrative`` (whether any value under them is). The share
    declined counts complete areas only. Missing medians are ``None``; floats to 12 significant digits."""
    out = {}
    for measure, sources in MEASURES.items():
        values = table[measure].where(table["complete"]) if measure == "share_declined" else table[measure]
        given = values.dropna().astype(float)
        nonzero = given[given > 0]
        listed = table.loc[given.index, "illustrative"].fillna("").astype(str).str.split(";")
        made_up = listed.map(lambda names: "*" in names or any(s in names for s in sources)).any()
        total = round_number(float(given.sum())) if len(given) and measure in SUMS else None
        out[measure] = {"total": total,
                        "median": round_number(float(given.median())) if len(given) else None,
                        "median_nonzero": round_number(float(nonzero.median())) if len(nonzero) else None,
                        "areas": int(len(given)), "areas_nonzero": int(len(nonzero)), "illustrative": bool(made_up)}
    return out


def rows(table: pd.DataFrame) -> list[dict]:
    """:func:`compare`'s table as one plain dict per PCT: numbers as Python ints and floats, missing values
    ``None`` (what :func:`scr_lib.story.area_words.describe` and JSON take)."""
    plain = table.astype(object).where(table.notna(), None)
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in plain.to_dict("records")]


def funnel_table(by_area: pd.DataFrame, share) -> pd.DataFrame:
    """The funnel plot's points: one row per complete area of ``by_area`` (:func:`refusal.by_pct`) that invited
    any practices, with ``label`` (its name, or "Area N, illustrative" when its counts were generated: no real
    body's name beside a made-up share), ``practices_invited``, ``share_declined``, ``chance``
    (:func:`chance.verdict` against the national ``share``), ``small_numbers`` and ``illustrative``."""
    table = by_area[by_area["practices_invited"] > 0].reset_index(drop=True)
    numbers = iter(range(1, len(table) + 1))
    labels = [f"Area {next(numbers)}, illustrative" if made_up else name
              for name, made_up in zip(table["pct_name"], table["illustrative"])]
    return pd.DataFrame({
        "label": labels,
        "practices_invited": table["practices_invited"].astype(int),
        "practices_declined": table["practices_declined"].astype(int),
        "share_declined": table["share_declined"].astype(float),
        "chance": [chance.verdict(k, n, share) for k, n in zip(table["practices_declined"], table["practices_invited"])],
        "small_numbers": table["practices_invited"].map(chance.small_numbers).astype(bool),
        "illustrative": table["illustrative"].astype(bool),
    })


def funnel_chart(points: pd.DataFrame, share):
    """The funnel plot: each area's share declined against its practices invited (:func:`funnel_table`), with the
    national share and its 95% and 99.8% limits (:func:`chance.funnel_curve`). Points from illustrative values are
    grey and say so. ``share`` ``None``: points only."""
    import altair as alt

    from ... import charts, words

    data = points.assign(source=charts.source_label(points["illustrative"]),
                         declined_text=[f"{words.count(k)} of {words.count(n)} ({words.percent(s)})" for k, n, s in
                                        zip(points["practices_declined"], points["practices_invited"],
                                            points["share_declined"])])
    dots = alt.Chart(data).mark_circle(size=48, opacity=0.85).encode(
        x=alt.X("practices_invited:Q", title="Practices invited"),
        y=alt.Y("share_declined:Q", title="Share that declined", axis=alt.Axis(format="%")),
        color=charts.source_colour(data["source"]).legend(orient="bottom", direction="vertical"),
        tooltip=[alt.Tooltip("label:N", title="Area"),
                 alt.Tooltip("declined_text:N", title="Invited practices that declined"),
                 alt.Tooltip("chance:N", title="Against the range expected by chance"),
                 alt.Tooltip("source:N", title=charts.SOURCE_TITLE)])
    curve = pd.DataFrame(chance.funnel_curve(share, int(points["practices_invited"].max()) if len(points) else 0))
    layers = [dots]
    if share is not None and len(curve):
        long = curve.melt("invited", var_name="limit", value_name="share")
        long["which"] = long["limit"].map(lambda n: "99.8% limits" if n.endswith("998") else "95% limits")
        long["side"] = long["limit"].str.split("_").str[0]
        lines = alt.Chart(long).mark_line(color=charts.GREY_LINE, strokeWidth=1).encode(
            x="invited:Q", y="share:Q", detail="limit:N",
            strokeDash=alt.StrokeDash("which:N", title="Expected by chance", legend=None,
                                      scale=alt.Scale(domain=["95% limits", "99.8% limits"], range=[[4, 3], [1, 0]])))
        rule = alt.Chart(pd.DataFrame({"share": [share]})).mark_rule(color=charts.RED).encode(
            y="share:Q", tooltip=[alt.Tooltip("share:Q", title="All complete areas", format=".1%")])
        layers = [lines, dots, rule]  # the red line drawn last, over the dots
    return alt.layer(*layers).properties(
        height=240, title=charts.title("Share of invited practices that declined, against practices invited",
                                       ["Areas that had begun the rollout and gave complete figures; red line: all of them",
                                        "The funnel: the range chance alone would give an area of that size "
                                        "(dashed: 95% limits; solid: 99.8% limits)"],
                                       bool(points["illustrative"].any())))


def half_or_more(points: pd.DataFrame) -> dict:
    """The areas of :func:`funnel_table` where half or more of invited practices declined: ``areas``, their
    ``invited`` sizes (smallest first), how many had ``small`` numbers and how many stand ``unusual`` (outside the
    99.8% limits), and ``illustrative`` (whether any of their counts was generated)."""
    top = points[points["share_declined"] >= 0.5].sort_values("practices_invited")
    return {"areas": int(len(top)), "invited": [int(n) for n in top["practices_invited"]],
            "small": int(top["small_numbers"].sum()),
            "unusual": int(top["chance"].isin([chance.FAR_ABOVE]).sum()),
            "illustrative": bool(top["illustrative"].any())}
