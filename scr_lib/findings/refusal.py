"""Finding 1, declared: the share of invited practices that declined (arithmetic: :mod:`scr_lib.findings.arithmetic.refusal`)."""

from __future__ import annotations

from ..words import count, number_words, percent
from .columns import Column, Table
from .finding import Finding, KeyFigure, value

PCT = Column("pct_name", "PCT", row_header=True)
ODS = Column("ods_code", "ODS code")
INVITED = Column("practices_invited", "Practices invited", "count")
DECLINED = Column("practices_declined", "Practices that declined", "count")

TABLES = (
    Table("refusal_left_out", "PCTs left out of the share, and why",
          (Column("reason", "Why the PCT is left out", row_header=True), Column("pcts", "PCTs", "count"))),
    Table("refusal_by_pct", "Practices that declined, by complete area",
          (PCT, ODS, INVITED, DECLINED, Column("share_declined", "Share that declined", "share",
                                               missing="not computed (no practice invited)")),
          illustrative="illustrative"),
)


def headline(figures, params) -> str:
    """The index sentence: practices that declined in the complete areas, as a count, share and "one in N"."""
    return (f"In the {count(figures['refusal.areas_complete'])} areas that had begun the rollout and gave "
            f"complete figures, {count(figures['refusal.practices_declined'])} of "
            f"{count(figures['refusal.practices_invited'])} invited practices declined: "
            f"{percent(figures['refusal.share'])}, about one in {number_words(figures['refusal.one_in'])}.")


def news(now, then, then_label) -> str | None:
    """The H1: "One in four invited practices refused the Summary Care Record", and with an earlier run,
    "up from one in six in 2010" (or "as in 2010" when the "one in N" is the same)."""
    n = value(now, "refusal.one_in")
    if n is None:
        return None
    text = f"One in {number_words(n)} invited practices refused the Summary Care Record"
    before = value(then, "refusal.one_in")
    if before is None:
        return text
    if int(before) == int(n):
        return f"{text}, as in {then_label}"
    way = "up" if n < before else "down"  # one in four is more than one in six
    return f"{text}, {way} from one in {number_words(before)} in {then_label}"


FINDING = Finding(
    id="refusal", notebook="01-refusal-share", title="The share of practices that declined",
    headline=headline, news=news, charts=("refusal_by_pct",), tables=TABLES,
    key_figures=("refusal.practices_declined", "refusal.practices_invited", "refusal.share", "refusal.one_in",
                 "refusal.areas_complete"),
    figures=(KeyFigure("refusal.share", "Invited practices that declined", percent),
             KeyFigure("refusal.one_in", "Roughly", lambda n: f"one in {number_words(n)}"),
             KeyFigure("refusal.practices_declined", "Practices that declined", count),
             KeyFigure("refusal.areas_half_or_more_declined", "Areas where half or more declined", count)),
)
