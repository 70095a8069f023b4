"""Resolving PCT names as FOI answers write them to 2010 ODS codes; unknown or ambiguous names name the alternatives."""

import pytest

from scr_lib.inputs import reference


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


# ---------------------------------------------------------------------------------------------
# Close names never become another PCT: a compass word or qualifier is never changed by a fuzzy match.

@pytest.mark.parametrize("text", [
    "NHS Eastern Cheshire", "North Gloucestershire", "NorthWest Essex", "SouthEast Lincolnshire",
    "South Lincolnshire", "West Lancashire", "North Birmingham", "Nottingham County", "Leicester County",
    "East Gloucestershire", "Portsmouth County Teaching", "South Lancashire Teaching", "West Herefordshire",
    "North East Hertfordshire", "NorthEast Birmingham",
])
def test_a_name_that_changes_a_compass_word_or_qualifier_is_an_error_not_another_pct(text):
    with pytest.raises(reference.UnknownPCT) as err:
        reference.resolve(text)
    assert err.value.candidates and all(c in str(err.value) for c in err.value.candidates)


@pytest.mark.parametrize("text, code", [
    ("SouthEast Essex", "5P1"), ("NorthEast Lincolnshire", "TAN"), ("SouthEast Essex PCT", "5P1"), ("NHS South-East Essex", "5P1"), ("NorthEast Lincolnshire Care Trust", "TAN"),
    ("Northeast Lincolnshire", "TAN"), ("North-East Essex", "5PW"), ("Bath & NorthEast Somerset", "5FL"),
    ("NHS Southwest Essex", "5PY"),
])
def test_joined_compass_words_are_read_as_two_words(text, code):
    assert reference.resolve(text).ods_code == code


def _compass_swaps(name: str) -> set[str]:
    """Every name made by turning one compass word of ``name`` into another (joined forms too)."""
    words = ["North East", "North West", "South East", "South West", "NorthEast", "SouthWest", "North", "South",
             "East", "West", "Eastern", "Western", "Northern", "Southern", "Central", "Mid"]
    out = set()
    for old in words:
        for at in [i for i in range(len(name)) if name.startswith(old, i)]:
            before, after = name[:at], name[at + len(old):]
            if (before and before[-1].isalpha()) or (after and after[0].isalpha()):
                continue  # part of a longer word ('Westminster')
            out |= {before + new + after for new in words if new != old}
    for new in ("North", "South", "East", "West", "Central"):  # a compass word added
        out.add(f"{new} {name}")
    return out - {name}


def _same_place(text: str, code: str) -> bool:
    """True when ``text`` names exactly that PCT: the words of its normalised name or an alias, in any order."""
    row = reference.load_pcts().set_index("ods_code").loc[code]
    names = [row["name"], *filter(None, row["aliases"].split(";"))]
    return sorted(reference.normalise(text).split()) in [sorted(reference.normalise(n).split()) for n in names]


SWAPS = sorted({(swap, code) for code, name in reference.load_pcts()[["ods_code", "name"]].itertuples(index=False)
                for swap in _compass_swaps(name)})


def test_there_are_hundreds_of_compass_swaps_of_real_names():
    assert len(SWAPS) >= 500


def test_no_compass_word_swap_of_a_real_name_resolves_to_a_different_pct():
    wrong, pcts = [], reference.PCTs.read()
    for text, _ in SWAPS:
        try:
            got = reference.resolve(text, pcts).ods_code
        except reference.UnknownPCT:
            continue
        if not _same_place(text, got):
            wrong.append(f"{text!r} -> {reference.pct_name(got, pcts)}")
    assert wrong == []


def _forms(name: str) -> set[str]:
    """The forms FOI officers write a PCT's name in."""
    base = name.removesuffix(" National Health Service").removesuffix(" Teaching")
    forms = {f"NHS {base}", f"{base} PCT", f"{base} Primary Care Trust", f"{base} Teaching PCT",
             f"{base} Care Trust", f"NHS {base} PCT", f"{base.upper()} PCT", f"{base.lower()}", f"the {base} PCT"}
    forms |= {f.replace(" and ", " & ") for f in forms} | {f.replace(" and ", " And ") for f in forms}
    return forms


FORMS = sorted({(form, code) for code, name in reference.load_pcts()[["ods_code", "name"]].itertuples(index=False)
                for form in _forms(name)})


def test_every_form_foi_officers_write_resolves_for_every_pct_but_the_two_hertfordshires():
    wrong, pcts = [], reference.PCTs.read()
    for text, code in FORMS:
        try:
            got = reference.resolve(text, pcts).ods_code
        except reference.UnknownPCT as err:
            got = str(err)
        if got != code:
            wrong.append(f"{text!r}: {got}")
    assert len(FORMS) >= 152 * 9 and wrong == []


@pytest.mark.parametrize("text", ["NHS Hertfordshire", "Hertfordshire PCT", "Hertfordshire Primary Care Trust"])
def test_hertfordshire_in_any_form_lists_both_pcts(text):
    with pytest.raises(reference.UnknownPCT) as err:
        reference.resolve(text)
    assert err.value.candidates == ["East and North Hertfordshire (5P3)", "West Hertfordshire (5P4)"]


def test_load_pcts_hands_out_a_copy_so_no_caller_can_change_the_cached_table():
    first = reference.load_pcts()
    name = first.loc[0, "name"]
    first.loc[0, "name"] = "changed by a caller"
    del first["note"]
    again = reference.load_pcts()
    assert again.loc[0, "name"] == name and "note" in again.columns
