"""Finding 2, declared: what the rollout cost locally (arithmetic: :mod:`scr_lib.findings.arithmetic.spend`)."""

from __future__ import annotations

from ..words import count, pounds
from .finding import Finding, KeyFigure


DORSET = ("spend.dorset_to_date_gbp", "spend.dorset_expected_gbp", "spend.dorset_records_uploaded",
          "spend.dorset_records_viewed")


def headline(figures, params) -> str:
    """The index sentence: what NHS Dorset had spent and expected to spend, records uploaded and used; when
    the returns lack one of Dorset's figures, how many PCTs gave a spend figure and how many said nothing."""
    if any(figures.get(key) is None for key in DORSET):
        text = (f"Of the {count(figures['spend.pcts_answered'])} PCTs that answered, "
                f"{count(figures.get('spend.pcts_reporting') or 0)} gave a figure for their spend so far")
        if figures.get("spend.pcts_reporting_zero") is not None:
            text += f", {count(figures['spend.pcts_reporting_zero'])} of them nothing"
        return text + "; these returns do not give all of NHS Dorset's figures, the article's worked example."
    viewed = figures["spend.dorset_records_viewed"]
    used = "none had been used" if viewed == 0 else f"{count(viewed)} had been viewed"
    # No count of PCTs here: on the bundled data those counts are illustrative, and a headline
    # states only what the article published or a journalist's own file reports (see the page).
    return (f"NHS Dorset, an early adopter, had spent {pounds(figures['spend.dorset_to_date_gbp'])} and expected "
            f"to spend {pounds(figures['spend.dorset_expected_gbp'])} more; it had uploaded "
            f"{count(figures['spend.dorset_records_uploaded'])} records and {used}.")


FINDING = Finding(
    id="spend", notebook="02-spend", title="What the rollout cost locally",
    headline=headline, charts=("spend_by_pct",),
    key_figures=("spend.pcts_answered",),
    figures=(KeyFigure("spend.dorset_to_date_gbp", "NHS Dorset had spent", pounds),
             KeyFigure("spend.dorset_expected_gbp", "Further spend it expected", pounds),
             KeyFigure("spend.dorset_records_uploaded", "Records it had uploaded", count),
             KeyFigure("spend.dorset_records_viewed", "Records used", count)),
)
