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
from . import refusal, spend

FIGURES = ["rollout_begun", "practices_invited", "practices_declined", "practices_signed_up",
           "spend_to_date_gbp", "spend_expected_gbp", "records_uploaded", "records_viewed"]
NOT_ANSWERED = "did not answer (no row in the returns)"


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
        illustrative_figures=_listed(marked, FIGURES, illustrative_mask),
        cost_excluded_because=spend.cost_reason(marked),
    )
    shares = refusal.by_pct(marked)[["ods_code", "share_declined"]]
    shares = shares.assign(refusal_rank=shares["share_declined"].rank(method="min", ascending=False).astype("Int64"))
    costs = spend.cost_per_record(marked)[["ods_code", "cost_per_record_gbp"]]
    keep = ["ods_code", *FIGURES, "complete", "excluded_because", "spend_status", "cost_excluded_because",
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
    out = round_significant(out.rename(columns={"illustrative_figures": "illustrative"}))
    return out[["ods_code", "name", "display_name", "search_names", "answered", *FIGURES, "complete", "excluded_because", "share_declined",
                "refusal_rank", "complete_areas", "spend_status", "cost_per_record_gbp", "cost_excluded_because",
                "not_given", "illustrative"]]


def national(returns: pd.DataFrame) -> dict:
    """The national figures an area is set against: the refusal share over the complete areas (with its
    counts and "one in N"), and the median spend to date and median cost per uploaded record (£) over the
    PCTs that gave them, floats to 12 significant digits. A figure no PCT allows is ``None``.

    ``illustrative`` lists what rests on illustrative values: ``refusal_rank`` (any complete area's counts
    are illustrative: every rank then is), ``median_to_date_gbp``, ``median_cost_per_record_gbp``. The
    share itself is a total, which the bundled file's generated values are constrained to match.
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
            "illustrative": [name for name, flag in flags.items() if flag]}

def rows(table: pd.DataFrame) -> list[dict]:
    """:func:`compare`'s table as one plain dict per PCT: numbers as Python ints and floats, missing values
    ``None`` (what :func:`scr_lib.story.area_words.describe` and JSON take)."""
    plain = table.astype(object).where(table.notna(), None)
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in row.items()} for row in plain.to_dict("records")]
