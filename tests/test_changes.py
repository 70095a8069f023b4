"""Then and now: a figure of two rounds told as a change, in the figure's own terms."""

import pytest

from scr_lib import words
from scr_lib.story import changes


def entry(value, unit, illustrative=False):
    return {"value": value, "unit": unit, "label": "x", **({"illustrative": True} if illustrative else {})}


@pytest.mark.parametrize("unit, then, now, told", [
    ("fraction", 286 / 1732, 302 / 1148, "26.3%, up from 16.5% in 2010: a rise of 9.8 percentage points"),
    ("GBP", 190000, 214500, "£214,500, up from £190,000 in 2010: a rise of £24,500, or 13%"),
    ("practices", 286, 250, "250, down from 286 in 2010: a fall of 36, or 13%"),
    ("one in N", 6, 4, "one in four, up from one in six in 2010"),
    ("one in N", 4, 6, "one in six, down from one in four in 2010"),
    ("GBP per record", 1.19, 0.33, "33p, down from £1.19 in 2010: a fall of 86p, or 72%"),
])
def test_a_change_is_told_in_the_figures_own_terms(unit, then, now, told):
    change = changes.change("k", {"k": entry(now, unit)}, {"k": entry(then, unit)}, "2010")
    assert change.sentence() == told


def test_a_figure_that_reads_the_same_is_unchanged():
    change = changes.change("k", {"k": entry(0.16513, "fraction")}, {"k": entry(0.16508, "fraction")}, "2010")
    assert change.direction == "unchanged" and change.difference == ""
    assert change.sentence() == f"{words.percent(0.16513)}, the same as in 2010"


def test_a_figure_either_round_lacks_or_a_yes_no_has_no_change():
    now = {"a": entry(1, "PCTs"), "b": entry(1, "rollout begun (1 yes, 0 no)")}
    then = {"b": entry(0, "rollout begun (1 yes, 0 no)")}
    assert changes.change("a", now, then, "2010") is None
    assert changes.change("b", now, then, "2010") is None
    assert changes.every_change(now, then, "2010") == []


def test_an_illustrative_now_marks_the_change_and_a_generated_then_has_none():
    change = changes.change("k", {"k": entry(3, "PCTs", illustrative=True)}, {"k": entry(2, "PCTs")}, "2010")
    assert change.illustrative and change.now_illustrative and not change.then_illustrative
    assert changes.change("k", {"k": entry(3, "PCTs")}, {"k": entry(2, "PCTs", illustrative=True)}, "2010") is None


def test_national_changes_come_from_both_fact_bases(story_run, followup_run):
    from scr_lib.story import facts

    found = changes.national(followup_run, story_run, "2010", {"refusal", "spend", "ooh", "areas"})
    now, then = facts.FactBase.load(followup_run), facts.FactBase.load(story_run)
    expected = [f.measure for f in now if f.subject == facts.ENGLAND and then.get(f.subject, f.measure)
                and not then.get(f.subject, f.measure).illustrative]
    assert [c.key for c in found] == expected
    assert changes.national(followup_run, None, "2010", {"refusal"}) == []
