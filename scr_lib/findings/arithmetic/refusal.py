"""Finding 1: the share of invited practices that declined the Summary Care Record.

Pulse counted only areas that "have begun the rollout and provided complete
figures". :func:`mark_complete` states that rule as code: a PCT is kept when
``rollout_begun`` is yes and both ``practices_invited`` and
``practices_declined`` are given. Every other PCT is kept in the frame with a
reason, so the notebook can show what was left out and why.
"""

from __future__ import annotations

import pandas as pd

from ...precision import round_number
from ...words import one_in  # noqa: F401  (moved to words; the notebooks call refusal.one_in)

REASONS = {
    "rollout_begun_no": "had not begun the rollout",
    "rollout_begun_missing": "did not say whether the rollout had begun",
    "invited_missing": "did not give the number of practices invited",
    "declined_missing": "did not give the number of practices that declined",
}


def mark_complete(returns: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``returns`` with ``complete`` (bool) and ``excluded_because`` (text, '' when complete).

    Missing values: a missing ``rollout_begun``, ``practices_invited`` or
    ``practices_declined`` excludes the row; the first reason that applies is
    given. Zero invited is a figure, not a missing one.
    """
    out = returns.copy()
    begun = out["rollout_begun"]
    reason = pd.Series("", index=out.index, dtype="object")
    reason = reason.mask(out["practices_declined"].isna(), REASONS["declined_missing"])
    reason = reason.mask(out["practices_invited"].isna(), REASONS["invited_missing"])
    reason = reason.mask(begun.eq(False).fillna(False).astype(bool), REASONS["rollout_begun_no"])
    reason = reason.mask(begun.isna(), REASONS["rollout_begun_missing"])
    out["complete"] = reason.eq("")
    out["excluded_because"] = reason.astype(str)
    return out


def exclusions(marked: pd.DataFrame) -> pd.DataFrame:
    """How many rows each reason excluded: columns ``reason``, ``pcts``; reasons with none are left out."""
    counts = marked.loc[~marked["complete"], "excluded_because"].value_counts()
    order = [r for r in REASONS.values() if r in counts.index]
    return pd.DataFrame({"reason": order, "pcts": [int(counts[r]) for r in order]})


def left_out_words(counts: dict, left_out: pd.DataFrame) -> str:
    """The areas counted and those left out, with every reason in the sentence itself (never a colon
    followed by a table a reader may not see): "Of the 91 PCTs that answered, 36 had begun the rollout and
    gave complete figures; 55 are left out: 40 had not begun the rollout, ...". Markdown."""
    from ...words import plural

    text = (f"Of the **{counts['areas_answered']:,}** PCTs that answered, **{counts['areas_complete']:,}** had "
            "begun the rollout and gave complete figures")
    total = int(left_out["pcts"].sum()) if len(left_out) else 0
    if not total:
        return text + "; none is left out."
    reasons = [f"{plural(n, 'PCT')} {reason}" if i == 0 else f"{n:,} {reason}"
               for i, (reason, n) in enumerate(zip(left_out["reason"], left_out["pcts"]))]
    listed = reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + f" and {reasons[-1]}"
    return f"{text}; {total:,} {'is' if total == 1 else 'are'} left out: {listed}."


def refusal_share(declined: int, invited: int) -> float:
    """Declined as a fraction of invited (0-1). Raises ``ValueError`` when nothing was invited."""
    if invited <= 0:
        raise ValueError(f"no practices invited ({invited}): the refusal share is undefined")
    if not 0 <= declined <= invited:
        raise ValueError(f"declined ({declined}) must be between 0 and invited ({invited})")
    return declined / invited


def totals(marked: pd.DataFrame) -> dict:
    """Practices invited and declined in the complete areas, and the areas counted (all ints)."""
    complete = marked[marked["complete"]]
    return {
        "areas_answered": int(len(marked)),
        "areas_complete": int(len(complete)),
        "practices_invited": int(complete["practices_invited"].sum()),
        "practices_declined": int(complete["practices_declined"].sum()),
    }


def overall(counts: dict) -> dict:
    """The share that declined across the complete areas, its "one in N", and a sentence saying it.

    ``counts`` is :func:`totals`. ``share`` (0-1, to 12 significant digits:
    it reaches committed outputs) is ``None`` when no area is
    complete or the complete areas invited no practices; ``one_in`` is ``None``
    when the share is ``None`` or zero (no "one in N" describes nobody). The
    ``sentence`` (Markdown) says each of those cases in words, never fails.
    """
    from ... import precision, words

    areas, invited, declined = counts["areas_complete"], counts["practices_invited"], counts["practices_declined"]
    share = precision.round_number(refusal_share(declined, invited)) if areas and invited > 0 else None
    n = one_in(share) if share else None
    if not areas:
        sentence = ("No area had begun the rollout and given complete figures, so there is no share that declined "
                    "to give.")
    elif share is None:
        which = "The one complete area" if areas == 1 else f"The {words.count(areas)} complete areas"
        sentence = f"{which} invited no practices, so there is no share that declined to give."
    elif n is None:
        sentence = f"In the complete areas, none of the **{invited:,}** invited practices declined: **0%**."
    else:
        sentence = (f"In the complete areas, **{declined:,}** of **{invited:,}** invited practices declined: "
                    f"**{words.percent(share)}**, or about **one in {words.number_words(n)}**.")
    return {"share": share, "one_in": n, "sentence": sentence}


def named_areas(returns: pd.DataFrame) -> list[tuple[str, int, str, str]]:
    """Figures for the areas Pulse named that are in ``returns``, as (result key, value, unit, label).

    For each named area: practices invited, declined and signed up where given,
    and "not agreed" (invited minus signed up) where both are given. Missing
    values give no entry.
    """
    from ...inputs.reference import NAMED_AREAS

    out = []
    for row in returns[returns["ods_code"].isin(NAMED_AREAS)].to_dict("records"):
        slug = NAMED_AREAS[row["ods_code"]]
        figures = {c: row[c] for c in ("practices_invited", "practices_declined", "practices_signed_up")}
        if not pd.isna(figures["practices_invited"]) and not pd.isna(figures["practices_signed_up"]):
            figures["practices_not_agreed"] = figures["practices_invited"] - figures["practices_signed_up"]
        for column, value in figures.items():
            if not pd.isna(value):
                label = f"{row['pct_name']}: {column.replace('_', ' ')}"
                out.append((f"refusal.{slug}_{column}", int(value), "practices", label))
    return out


def named_illustrative(returns: pd.DataFrame) -> set[str]:
    """The result keys of :func:`named_areas` whose value rests on an illustrative value (the "not agreed"
    figure when invited or signed up is)."""
    from ...inputs.foi import illustrative_mask
    from ...inputs.reference import NAMED_AREAS

    named = returns[returns["ods_code"].isin(NAMED_AREAS)]
    out = set()
    for column in ("practices_invited", "practices_declined", "practices_signed_up"):
        for code in named.loc[illustrative_mask(named, column), "ods_code"]:
            out.add(f"refusal.{NAMED_AREAS[code]}_{column}")
            if column != "practices_declined":
                out.add(f"refusal.{NAMED_AREAS[code]}_practices_not_agreed")
    return out


def by_pct(marked: pd.DataFrame) -> pd.DataFrame:
    """One row per complete area: name, invited, declined, share (0-1), and whether any value is illustrative.

    Sorted by share, highest first, then by name.
    """
    from ...inputs.foi import illustrative_mask

    complete = marked[marked["complete"]]
    illustrative = (illustrative_mask(complete, "practices_invited") | illustrative_mask(complete, "practices_declined"))
    table = pd.DataFrame({
        "ods_code": complete["ods_code"],
        "pct_name": complete["pct_name"],
        "practices_invited": complete["practices_invited"].astype(int),
        "practices_declined": complete["practices_declined"].astype(int),
        "illustrative": illustrative.astype(bool),
    })
    invited = table["practices_invited"].where(table["practices_invited"] > 0)
    table["share_declined"] = (table["practices_declined"] / invited).astype(float)
    return table.sort_values(["share_declined", "pct_name"], ascending=[False, True]).reset_index(drop=True)


def chart_by_pct(table: pd.DataFrame, overall_share: float):
    """Bar chart of the share declined in each complete area, with the overall share as a rule.

    Each bar is named as the area's page names it ("NHS Lincolnshire"); a bar whose figures are illustrative is
    "Area N, illustrative", never a real PCT's name (:func:`scr_lib.findings.arithmetic.chart_names`).

    ``overall_share`` ``None`` (no practices invited) draws no rule. Bars whose figures are illustrative are grey and say so in the tooltip and legend.
    """
    import altair as alt

    from ... import charts, words

    declined = [charts.NOT_GIVEN if pd.isna(d) or pd.isna(i) else
                f"{words.count(d)} of {words.count(i)}" + ("" if pd.isna(s) else f" ({words.percent(s)})")
                for d, i, s in zip(table["practices_declined"], table["practices_invited"], table["share_declined"])]
    from . import chart_names

    data = table.assign(source=charts.source_label(table["illustrative"]),
                        declined_text=pd.Series(declined, index=table.index, dtype=object),
                        pct_name=chart_names(table["ods_code"] if "ods_code" in table else table["pct_name"],
                                             table["illustrative"]))
    any_illustrative = bool(table["illustrative"].any())
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("share_declined:Q", title="Share of invited practices that declined", axis=alt.Axis(format="%")),
        y=alt.Y("pct_name:N", sort=None, title=None),
        color=charts.source_colour(data["source"]),
        tooltip=[alt.Tooltip("pct_name:N", title="PCT"),
                 alt.Tooltip("declined_text:N", title="Invited practices that declined"),
                 alt.Tooltip("source:N", title=charts.SOURCE_TITLE)],
    )
    rule = alt.Chart(pd.DataFrame({"overall": [overall_share]})).mark_rule(color="#c0392b", strokeDash=[4, 3]).encode(
        x="overall:Q", tooltip=[alt.Tooltip("overall:Q", title="All complete areas", format=".1%")])
    return (bars + rule if overall_share is not None else bars).properties(
        height=alt.Step(14),
        title=charts.title("Share of invited practices that declined, by PCT",
                           "Areas that had begun the rollout and gave complete figures"
                           + ("; dashed line: all of them" if overall_share is not None else ""),
                           any_illustrative),
    )


def areas_at_or_above(by_area: pd.DataFrame, share: float) -> int:
    """How many complete areas in ``by_area`` (from :func:`by_pct`) had ``share_declined`` at or above ``share``.

    Areas that invited no practices have no share (NaN) and are not counted.
    """
    return int(by_area["share_declined"].ge(share).sum())


def largest_share(by_area: pd.DataFrame) -> float | None:
    """The highest ``share_declined`` of any complete area (0-1), to 12 significant digits; None if there is none."""
    top = by_area["share_declined"].max()
    return None if pd.isna(top) else round_number(float(top))


def named_rollout(returns: pd.DataFrame) -> list[tuple[str, int, str, str]]:
    """Whether each area Pulse named had begun the rollout, as (result key, 1 yes / 0 no, unit, label).

    Areas not in ``returns``, or that did not say, give no entry.
    """
    from ...inputs.reference import NAMED_AREAS

    out = []
    for row in returns[returns["ods_code"].isin(NAMED_AREAS)].to_dict("records"):
        if pd.isna(row["rollout_begun"]):
            continue
        out.append((f"refusal.{NAMED_AREAS[row['ods_code']]}_rollout_begun", int(bool(row["rollout_begun"])),
                    "rollout begun (1 yes, 0 no)", f"{row['pct_name']}: rollout begun"))
    return out
