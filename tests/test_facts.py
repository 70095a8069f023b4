"""The fact base: facts.csv in a run folder, FactBase, then-and-now, and how notebooks record facts."""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest

from scr_lib import findings, paths
from scr_lib.findings.measure import Measure, stem
from scr_lib.findings import load_params
from scr_lib.story import facts
from scr_lib.story.facts import Fact, FactBase, FactsError, then_and_now
from scr_lib.story.results import Results
from scr_lib.words import count


def _csv(rows) -> str:
    lines = [",".join(facts.COLUMNS)] + [",".join(str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


SMALL = _csv([("r1", "E", "England", "practices_declined", "count", 286, "false", "refusal"),
              ("r1", "5QM", "NHS Dorset", "practices_declined", "count", 24, "true", "refusal"),
              ("r1", "5QM", "NHS Dorset", "share_declined", "share", 0.436363636364, "true", "refusal")])


def test_a_fact_base_is_looked_up_by_subject_and_measure():
    base = FactBase.parse(SMALL)
    dorset = base.get("5QM", "practices_declined")
    assert dorset == Fact("r1", "5QM", "NHS Dorset", "practices_declined", "count", 24, True, "refusal")
    assert base.get("5QM", "records_viewed") is None
    assert [f.measure for f in base.for_subject("5QM")] == ["practices_declined", "share_declined"]
    assert [f.subject for f in base.for_measure("practices_declined")] == ["E", "5QM"]
    assert len(base) == len(list(base)) == 3 and base.round == "r1"
    assert base.get("E", "practices_declined").national


@pytest.mark.parametrize("row, column", [
    (("r1", "E", "England", "m", "count", "lots", "false", "x"), "value"),
    (("r1", "E", "England", "m", "count", "nan", "false", "x"), "value"),
    (("r1", "E", "England", "m", "count", "3", "maybe", "x"), "illustrative"),
])
def test_an_unreadable_fact_names_its_row_and_column(row, column):
    with pytest.raises(FactsError, match=rf"facts.csv:2: column {column}"):
        FactBase.parse(_csv([row]), "facts.csv")


def test_a_file_that_is_not_a_fact_file_is_refused(tmp_path):
    with pytest.raises(FactsError, match="no readable fact file"):
        FactBase.load(tmp_path)
    (tmp_path / "facts.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(FactsError, match="no column round"):
        FactBase.load(tmp_path)


def test_then_and_now_joins_on_subject_and_measure():
    then = FactBase.parse(SMALL.replace("r1", "r0").replace(",24,", ",20,"))
    now = FactBase.parse(_csv([("r1", "5QM", "NHS Dorset", "practices_declined", "count", 24, "true", "refusal"),
                               ("r1", "5NF", "NHS North Lancashire", "practices_declined", "count", 5, "false",
                                "refusal")]))
    pairs = {(b or a).key: (a and a.value, b and b.value) for a, b in then_and_now(now, then)}
    assert pairs[("5QM", "practices_declined")] == (20, 24)
    assert pairs[("5NF", "practices_declined")] == (None, 5)  # new this round: no zero invented
    assert pairs[("E", "practices_declined")] == (286, None)


def test_the_round_is_the_params_round_else_its_name():
    assert facts.round_of({"round": "2011", "name": "x"}) == "2011"
    assert facts.round_of({"name": "pulse_2010"}) == "pulse_2010"
    assert facts.round_of({}) == "run"


def test_every_measure_is_declared_once_with_words_and_a_unit():
    names = [m.name for f in findings.FINDINGS for m in f.measures]
    assert len(names) == len(set(names)) == len(findings.MEASURES)
    for name, measure in findings.MEASURES.items():
        assert measure.words and findings.measure_owner(name) is not None
        assert measure.of is None or measure.of in findings.MEASURES


@pytest.mark.parametrize("bad, message", [
    (dict(name="Bad Name"), "lower-case id"),
    (dict(unit="text"), "not a number's unit"),
    (dict(words=()), "declares no words"),
    (dict(counts=()), "declare what it counts"),
])
def test_a_measure_that_cannot_be_read_is_refused(bad, message):
    good = dict(name="things", unit="count", words=("counted",), sums=True, show=count, counts=("things",))
    with pytest.raises(ValueError, match=message):
        Measure(**{**good, **bad})


@pytest.mark.parametrize("word, same", [("declined", "declining"), ("refused", "refuses"), ("records", "record"),
                                        ("practices", "practice"), ("uploaded", "upload")])
def test_a_word_and_its_endings_stem_alike(word, same):
    assert stem(word) == stem(same)


def test_a_notebook_records_each_areas_facts_from_one_call_with_their_illustrative_marks():
    results = Results.for_finding("areas")
    table = pd.DataFrame({"ods_code": ["5QM", "5NF", "5A3"], "display_name": ["NHS Dorset", "NHS North Lancashire",
                                                                           "NHS South Gloucestershire"],
                          "practices_invited": [55, 38, None], "practices_declined": [24, 5, None],
                          "practices_signed_up": [23, 1, None], "share_declined": [24 / 55, 5 / 38, None],
                          "refusal_rank": [1, 2, None],
                          "illustrative": ["practices_declined", "", ""]})
    added = results.facts(table)
    got = {(f["subject"], f["measure"]): f for f in results.area_facts}
    assert added == len(got)
    assert not any(s == "5A3" for s, _ in got)  # no figure, no fact: never a zero
    assert got[("5QM", "practices_not_agreed")]["value"] == 55 - 23  # from the measure's formula
    assert got[("5QM", "practices_declined")]["illustrative"] and not got[("5QM", "practices_invited")]["illustrative"]
    assert got[("5QM", "share_declined")]["illustrative"]  # rests on an illustrative count
    assert not got[("5NF", "share_declined")]["illustrative"]
    assert got[("5NF", "refusal_rank")]["illustrative"]  # a rank rests on every area's share
    assert got[("5QM", "share_declined")]["value"] == pytest.approx(24 / 55, rel=1e-11)
    assert got[("5QM", "practices_declined")]["finding"] == "refusal"
    with pytest.raises(ValueError, match="recorded twice"):
        results.facts(table)


def test_englands_facts_come_from_the_result_keys_the_measures_name(tmp_path):
    results = Results.for_finding("refusal")
    results.add("refusal.practices_declined", 286, "practices", "Practices that declined")
    results.add("refusal.areas_half_or_more_declined", 2, "PCTs", "Half or more", illustrative=True)
    results.add("refusal.one_in", 6, "one in N", "one in N")  # no measure names it: no fact
    national = {f["measure"]: f for f in results.national_facts()}
    assert set(national) == {"practices_declined", "pcts_half_or_more_declined"}
    assert national["pcts_half_or_more_declined"]["illustrative"] and national["practices_declined"]["subject"] == "E"


def test_write_merges_the_notebooks_facts_and_refuses_one_fact_from_two(tmp_path):
    one = {"subject": "E", "subject_name": "England", "measure": "practices_declined", "unit": "count",
           "value": 286, "illustrative": False, "finding": "refusal"}
    two = {**one, "subject": "5QM", "subject_name": "NHS Dorset", "value": 0.1 + 0.2, "measure": "share_declined",
           "unit": "share"}
    (tmp_path / "a.results.json").write_text(json.dumps({"results": {}, "facts": [two, one]}), encoding="utf-8")
    path = facts.write(tmp_path, "2010")
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["subject"] for r in rows] == ["E", "5QM"] and {r["round"] for r in rows} == {"2010"}
    assert FactBase.load(tmp_path).get("5QM", "share_declined").value == 0.1 + 0.2
    (tmp_path / "b.results.json").write_text(json.dumps({"results": {}, "facts": [one]}), encoding="utf-8")
    with pytest.raises(FactsError, match="comes from two notebooks"):
        facts.write(tmp_path, "2010")


@pytest.mark.slow
def test_a_run_folder_holds_every_figure_as_a_fact(story_run):
    base = FactBase.load(story_run)
    results = json.loads((story_run / "results.json").read_text(encoding="utf-8"))
    for measure in findings.MEASURES.values():
        if measure.result in results:
            assert base.get("E", measure.name).value == results[measure.result]["value"]
    # the named areas' figures the notebooks record by key are the same as the areas' facts
    from scr_lib.inputs.reference import NAMED_AREAS
    for code, slug in NAMED_AREAS.items():
        for name in ("practices_invited", "practices_declined", "practices_signed_up", "practices_not_agreed"):
            key = f"refusal.{slug}_{name}"
            if key in results:
                assert base.get(code, name).value == results[key]["value"]
    assert {f.round for f in base} == {facts.round_of(load_params(paths.DEFAULT_PARAMS).values)}
    table = pd.read_csv(story_run / "tables" / "spend_by_pct.csv", dtype={"ods_code": str})
    for row in table.dropna(subset=["spend_to_date_gbp"]).itertuples():
        assert base.get(row.ods_code, "spend_to_date_gbp").value == row.spend_to_date_gbp


@pytest.mark.slow
def test_englands_figures_from_generated_values_are_marked_unless_pulse_printed_them(story_run, followup_run):
    """The bundled file's generated values were made to add up to Pulse's totals: on the article's round
    those totals are Pulse's figures, not made up; a total Pulse never printed (what the PCTs spent between
    them) rests on generated values and is marked, as every total of the wholly generated 2011 example is.
    The out-of-hours figures read no FOI file. (Before: every England figure was unmarked, so `scr draft`
    supported a generated total spend as a fact.)"""
    from scr_lib.story import claims

    then, now = FactBase.load(story_run), FactBase.load(followup_run)
    declined, funding = then.get("E", "practices_declined"), then.get("E", "central_funding_gbp")
    assert declined.value == claims.published("refusal.practices_declined") and not declined.illustrative
    assert funding.value == claims.published("spend.central_funding_gbp") and not funding.illustrative
    assert then.get("E", "spend_to_date_gbp").illustrative and then.get("E", "median_spend_to_date_gbp").illustrative
    assert not then.get("E", "access_rate").illustrative
    generated = [f for f in now if f.subject == "E" and f.finding in ("refusal", "spend")]
    assert generated and all(f.illustrative for f in generated), [f for f in generated if not f.illustrative]
