"""Verdicts (scr_lib/verdict.py): the words a claim's verdict is shown in, alone and counted."""

from __future__ import annotations

import json

import pytest

from scr_lib.verdict import Verdict


def test_a_verdict_is_its_words_in_a_results_file_and_back():
    """results.json and the pages hold the words; reading them back gives the verdict."""
    written = json.dumps({v.name: v for v in Verdict})
    assert json.loads(written) == {v.name: v.value for v in Verdict}
    assert [Verdict(v.value) for v in Verdict] == list(Verdict)
    assert f"{Verdict.DOES_NOT_HOLD}" == "does not hold"


def test_words_that_are_not_a_verdict_are_refused():
    with pytest.raises(ValueError):
        Verdict("Holds")


def test_only_a_claim_the_run_could_compare_counts_as_checked():
    assert {v for v in Verdict if v.checked} == {Verdict.HOLDS, Verdict.DOES_NOT_HOLD}


@pytest.mark.parametrize("verdict, one, several", [
    (Verdict.HOLDS, "1 holds", "3 hold"),
    (Verdict.DOES_NOT_HOLD, "1 does not hold", "3 do not hold"),
])
def test_a_count_of_claims_agrees_with_its_verb(verdict, one, several):
    """As `scr claims` counts them: the verdict itself for one claim, its plural for several."""
    assert f"1 {verdict}" == one and f"3 {verdict.plural}" == several


def test_every_verdict_has_words_for_several_claims_and_no_two_share_them():
    plurals = [v.plural for v in Verdict]
    assert all(plurals) and len(set(plurals)) == len(plurals)
    assert len(set(Verdict)) == len({v.value for v in Verdict})
