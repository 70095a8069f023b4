"""Finding 4, declared: how each area compares (arithmetic: :mod:`scr_lib.findings.arithmetic.areas`; words:
:mod:`scr_lib.story.area_words`).

Its notebook shows one area (the ``pct`` knob); the same pass gives every PCT of the reference table a page.
Light to import (no pandas): the run reads the params schema from here on its no-op path.
"""

from __future__ import annotations

from ..inputs.params import Knob
from ..words import count
from .finding import Finding, KeyFigure, since, value
from .measure import PCTS, Measure

KNOBS = {
    "pct": Knob((str,), "5QM", "the area notebook 04 shows: an ODS code or a PCT name as people write it "
                "(every area gets a page either way)"),
}


def headline(figures, params) -> str:
    """The index sentence: how many PCTs have a page, and how many of them answered."""
    return (f"Each of the {count(figures['areas.pcts'])} PCTs of 2010 has its own page, setting its figures beside "
            f"the national ones; {count(figures['areas.answered'])} of them have a row in this run's FOI returns.")


def news(now, then, then_label) -> str | None:
    """The H1: how many PCTs answered, of how many; with an earlier run, "up from 91 in 2010"."""
    answered, pcts = value(now, "areas.answered"), value(now, "areas.pcts")
    if answered is None or pcts is None:
        return None
    return (f"{count(answered)} of the {count(pcts)} PCTs answered"
            f"{since(answered, value(then, 'areas.answered'), count, then_label)}: find yours")

MEASURES = (
    Measure("pcts", "count", ("england's", "there were", "there are", "existed", "every pct", "all pcts",
                              "all the pcts", "all primary care trusts"),
            False, count, "PCTs and care trusts in England", PCTS, "there were {value} PCTs and care trusts in England",
            result="areas.pcts"),
)

FINDING = Finding(
    id="areas", notebook="04-your-area", title="How your area compares",
    headline=headline, news=news, knobs=KNOBS, key_figures=("areas.pcts", "areas.answered"), claimed=False,
    figures=(KeyFigure("areas.pcts", "PCTs, each with its own page", count),
             KeyFigure("areas.answered", "Have a row in these FOI returns", count),
             KeyFigure("areas.complete", "Gave complete figures on refusals", count)),
    measures=MEASURES,
)
