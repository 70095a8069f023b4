"""Resolving PCT names as FOI answers write them to 2010 ODS codes; unknown or ambiguous names name the alternatives."""

import pytest

from scr_lib import reference


@pytest.mark.parametrize("text, code", [
    ("NHS Bolton", "5HQ"),
    ("Bristol PCT", "5QJ"),
    ("NHS Hammersmith & Fulham", "5H1"),
    ("NHS Isle of Wight", "5QT"),
    ("Hammersmith and Fulham PCT", "5H1"),
    ("Bolton Teaching PCT", "5HQ"),
    ("Torbay Care Trust", "TAL"),
    ("NHS North Lancashire", "5NF"),
    ("5QM", "5QM"),
    ("5qm", "5QM"),
    ("E16000001", "5A3"),
    ("  NHS Dorset  ", "5QM"),
    ("NHS Sheffeld", "5N4"),  # a close, unambiguous misspelling
])
def test_names_codes_and_close_matches_resolve(text, code):
    assert reference.resolve(text).ods_code == code


def test_how_a_name_was_resolved_is_recorded():
    assert reference.resolve("5QM").how == "code"
    assert reference.resolve("NHS Bolton").how == "name"
    assert reference.resolve("Bristol PCT").how == "normalised"
    match = reference.resolve("NHS Sheffeld")
    assert match.how == "close" and reference.MATCH_CUTOFF <= match.score < 100


def test_hertfordshire_is_ambiguous_in_2010_and_names_both_pcts():
    with pytest.raises(reference.UnknownPCT) as err:
        reference.resolve("NHS Hertfordshire")
    assert err.value.candidates == ["East and North Hertfordshire (5P3)", "West Hertfordshire (5P4)"]
    assert "ambiguous" in str(err.value)


@pytest.mark.parametrize("text, first", [
    ("NHS Narnia", None),
    ("NHS North Lancs", "North Lancashire Teaching (5NF)"),
    ("Birmingham", "Birmingham East and North (5PG)"),
    ("East Sussex", "East Sussex Downs and Weald (5P7)"),
    ("Bournemouth", "Bournemouth and Poole Teaching (5QN)"),
])
def test_an_unknown_name_lists_the_closest_candidates(text, first):
    with pytest.raises(reference.UnknownPCT) as err:
        reference.resolve(text)
    assert str(err.value).startswith(f"unknown PCT {text!r}; closest: ")
    assert len(err.value.candidates) >= 3
    if first:
        assert first in err.value.candidates[:3]
    assert all(c in str(err.value) for c in err.value.candidates)


def test_names_containing_every_word_come_first():
    with pytest.raises(reference.UnknownPCT) as err:
        reference.resolve("Birmingham")
    assert set(err.value.candidates[:3]) == {"Birmingham East and North (5PG)", "Heart of Birmingham Teaching (5MX)",
                                            "South Birmingham (5M1)"}


@pytest.mark.parametrize("text", ["5ZZ", "5QZ", "E16999999"])
def test_an_unknown_code_says_so(text):
    with pytest.raises(reference.UnknownPCT, match=f"no 2010 PCT has the code '{text}'"):
        reference.resolve(text)


def test_a_near_miss_code_lists_codes_one_character_away_sharing_its_start_first():
    with pytest.raises(reference.UnknownPCT) as err:
        reference.resolve("5QX")
    codes = [c[-4:-1] for c in err.value.candidates]
    assert len(codes) == 5 and all(c.startswith("5Q") for c in codes)
    assert "closest codes: " in str(err.value)


@pytest.mark.parametrize("text", ["", "   "])
def test_a_blank_name_is_refused(text):
    with pytest.raises(reference.UnknownPCT, match="found nothing"):
        reference.resolve(text)


def test_normalise_drops_what_varies_between_writers():
    assert reference.normalise("NHS Hammersmith & Fulham") == "hammersmith and fulham"
    assert reference.normalise("Bolton Teaching PCT") == "bolton"
    assert reference.normalise("Torbay Care Trust") == "torbay"
