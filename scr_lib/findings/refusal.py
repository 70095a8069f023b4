"""Finding 1, declared: the share of invited practices that declined (arithmetic: :mod:`scr_lib.findings.arithmetic.refusal`)."""

from __future__ import annotations

from ..words import count, number_words, percent
from .measure import PCTS, PRACTICES, Measure
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
    Table("refusal_funnel", "Each complete area against the range expected by chance",
          (Column("label", "Area", row_header=True), INVITED, DECLINED,
           Column("share_declined", "Share that declined", "share"),
           Column("chance", "Against the range expected by chance"),
           Column("small_numbers", "Fewer than 20 practices invited", "yes/no")),
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


_REFUSED = ("declined", "declining", "refused", "refusing", "refusal", "rejected", "snubbed", "snub", "boycotted",
            "turned down", "turned it down", "opted out", "said no", "saying no", "spurned", "resisted")


def _not_agreed(row) -> int | None:
    """Practices invited that had not signed up (invited minus signed up); None when either is missing."""
    invited, signed = row.get("practices_invited"), row.get("practices_signed_up")
    return None if invited is None or signed is None else int(invited) - int(signed)


MEASURES = (
    Measure("pcts_answered", "count", ("answered", "responded", "replied", "freedom of information", "foi",
                                       "figures obtained", "figures from", "gave figures", "returned figures"),
            False, count, "PCTs that answered", PCTS, "{value} PCTs answered", of="pcts",
            says_of="{value} of the {whole} PCTs answered", result="refusal.areas_answered"),
    Measure("pcts_complete", "count", ("complete figures", "full figures", "begun the rollout",
                                       "begun rolling out", "started the rollout", "complete"),
            False, count, "areas with complete figures", PCTS, "{value} areas gave complete figures",
            result="refusal.areas_complete"),
    Measure("practices_invited", "count", ("invited", "invitation", "asked", "contacted", "approached",
                                           "offered", "written to", "wrote to", "writing to", "invite"),
            True, count, "practices invited", PRACTICES, "{value} practices invited",
            result="refusal.practices_invited"),
    Measure("practices_declined", "count", _REFUSED, True, count, "practices that declined",
            PRACTICES + ("refusals", "refusers", "rejections"),
            "{value} practices declined", of="practices_invited",
            says_of="{value} of its {whole} invited practices declined", result="refusal.practices_declined"),
    Measure("practices_signed_up", "count", ("signed up", "signing up", "agreed", "shown interest",
                                             "showed interest", "joined", "taking part", "took part",
                                             "participating", "on board", "opted in"),
            True, count, "practices signed up", PRACTICES, "{value} practices signed up", of="practices_invited",
            says_of="{value} of its {whole} invited practices signed up"),
    Measure("practices_not_agreed", "count", ("yet to agree", "not agreed", "not yet agreed", "not signed up",
                                              "yet to sign", "not yet signed", "holding out", "still to agree"),
            True, count, "practices invited that had not signed up", PRACTICES,
            "{value} invited practices had not signed up", of="practices_invited",
            says_of="{value} of its {whole} invited practices had not signed up",
            rests_on=("practices_invited", "practices_signed_up"), formula=_not_agreed),
    Measure("share_declined", "share", _REFUSED + ("share", "proportion"), False, percent,
            "share of invited practices that declined", PRACTICES, "{value} of invited practices declined",
            result="refusal.share", rests_on=("practices_invited", "practices_declined")),
    Measure("refusal_rank", "number", ("ranked", "rank"), False, lambda n: f"{int(n):,}",
            "rank by the share that declined (1: the highest)", (), "ranked {value} by the share that declined",
            rests_on=("practices_invited", "practices_declined"), across=True, needs=("ranked", "rank")),
    Measure("pcts_half_or_more_declined", "count", ("half or more", "at least half", "majority", "most of their",
                                                    "most of its", "half of their"),
            False, count, "areas where half or more of invited practices declined", PCTS,
            "in {value} areas half or more of invited practices declined",
            of="pcts_complete", says_of="in {value} of the {whole} complete areas half or more declined",
            result="refusal.areas_half_or_more_declined"),
    Measure("largest_share_declined", "share", ("highest", "largest", "worst", "biggest", "most"), False, percent,
            "highest share that declined in any complete area", PRACTICES,
            "the highest share that declined in any area was {value}", result="refusal.largest_area_share",
            needs=("highest", "largest", "worst", "biggest", "most")),
)

FINDING = Finding(
    id="refusal", notebook="01-refusal-share", title="The share of practices that declined",
    headline=headline, news=news, charts=("refusal_by_pct", "refusal_funnel"), tables=TABLES,
    key_figures=("refusal.practices_declined", "refusal.practices_invited", "refusal.share", "refusal.one_in",
                 "refusal.areas_complete"),
    figures=(KeyFigure("refusal.share", "Invited practices that declined", percent),
             KeyFigure("refusal.one_in", "Roughly", lambda n: f"one in {number_words(n)}"),
             KeyFigure("refusal.practices_declined", "Practices that declined", count),
             KeyFigure("refusal.areas_half_or_more_declined", "Areas where half or more declined", count)),
    measures=MEASURES,
)
