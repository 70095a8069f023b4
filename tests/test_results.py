import json

import numpy as np
import pandas as pd
import pytest

from scr_lib.story.results import Results, merge, value


def test_add_returns_the_value_and_stores_plain_numbers(tmp_path):
    results = Results("01-x")
    assert results.add("a.count", np.int64(3), "things", "Count") == 3
    results.add("a.share", np.float64(0.25), "fraction", "Share")
    path = results.save(tmp_path)
    saved = json.loads(path.read_text())["results"]
    assert saved["a.count"] == {"value": 3, "unit": "things", "label": "Count", "notebook": "01-x"}
    assert isinstance(saved["a.share"]["value"], float)


@pytest.mark.parametrize("bad", [None, float("nan")])
def test_missing_values_are_refused(bad):
    with pytest.raises(ValueError, match="has no value"):
        Results("n").add("k", bad, "u", "l")


def test_a_key_recorded_twice_is_refused():
    results = Results("n")
    results.add("k", 1, "u", "l")
    with pytest.raises(ValueError, match="twice"):
        results.add("k", 2, "u", "l")


def test_save_with_no_output_dir_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    results = Results("n")
    results.table("t", pd.DataFrame({"a": [1]}))
    assert results.save("") is None
    assert list(tmp_path.iterdir()) == []


def test_tables_are_written_as_csv_and_merge_combines_notebooks(tmp_path):
    first, second = Results("01-a"), Results("02-b")
    first.add("a.x", 1, "u", "l")
    first.table("t", pd.DataFrame({"name": ["<b>x</b>"], "n": [2]}))
    second.add("b.y", 2.5, "u", "l")
    first.save(tmp_path)
    second.save(tmp_path)
    assert (tmp_path / "tables" / "t.csv").read_text() == "name,n\n<b>x</b>,2\n"
    merged = merge(tmp_path)
    assert list(merged) == ["a.x", "b.y"]
    assert value(merged, "b.y") == 2.5 and value({"k": 4}, "k") == 4


def test_merge_refuses_a_key_from_two_notebooks(tmp_path):
    for name in ("01-a", "02-b"):
        results = Results(name)
        results.add("same.key", 1, "u", "l")
        results.save(tmp_path)
    with pytest.raises(ValueError, match="two notebooks"):
        merge(tmp_path)


def test_sentences_from_illustrative_values_say_so():
    from scr_lib.story import report

    assert report.say_computed(0, "Spent £5.").data == "Spent £5."
    assert report.say_computed(3, "Spent £5.").data == "Spent £5." + report.ILLUSTRATIVE_QUALIFIER


def test_value_with_a_default_for_missing_keys():
    assert value({}, "absent", None) is None
    assert value({"k": {"value": 3}}, "k", None) == 3
    with pytest.raises(KeyError):
        value({}, "absent")


@pytest.mark.parametrize("illustrative", [True, False])
def test_a_result_resting_on_illustrative_values_is_marked_so(tmp_path, illustrative):
    from scr_lib.story.results import is_illustrative, load

    results = Results("00-test")
    results.add("t.largest", 0.5, "fraction", "largest", illustrative=illustrative)
    results.save(tmp_path)
    saved = json.loads((tmp_path / "00-test.results.json").read_text())["results"]
    assert is_illustrative(saved, "t.largest") is illustrative
    assert ("illustrative" in saved["t.largest"]) is illustrative
    assert is_illustrative(saved, "t.missing") is False


def test_results_for_a_finding_are_named_after_its_notebook_and_keep_to_its_prefix():
    from scr_lib import findings

    finding = findings.by_id("spend")
    results = Results.for_finding(finding)
    assert results.notebook == finding.notebook
    results.add("spend.x", 1, "u", "l")
    with pytest.raises(ValueError, match=r"'refusal.x' does not start with 'spend.'"):
        results.add("refusal.x", 1, "u", "l")
    assert Results.for_finding("spend").notebook == finding.notebook
    with pytest.raises(KeyError, match="no finding 'spending'"):
        Results.for_finding("spending")


# --- Tables as a reader sees them (issue 14) ----------------------------------------------------

def test_a_published_table_hands_its_declared_columns_to_the_page(tmp_path):
    from scr_lib.findings import refusal
    from scr_lib.findings.columns import Table
    from scr_lib.story import tables

    results = Results.for_finding("refusal")
    left_out = results.table("refusal_left_out", pd.DataFrame({"reason": ["had not begun the rollout"], "pcts": [40]}))
    results.table("refusal_claims", pd.DataFrame({"claim": ["c"], "as published": ["1"], "this run": ["1"],
                                                  "verdict": ["holds"]}))
    results.table("refusal_mine", pd.DataFrame({"n": [1.0]}))
    assert list(left_out.columns) == ["reason", "pcts"]  # the frame, for the notebook's own arithmetic
    handed = json.loads(results.save(tmp_path).read_text())["page"]["tables"]
    assert Table.from_json(handed["refusal_left_out"]) == refusal.FINDING.table("refusal_left_out")
    assert Table.from_json(handed["refusal_claims"]).columns == tables.CLAIMS.columns
    assert handed["refusal_mine"]["columns"][0]["unit"] == "count"  # undeclared: inferred, still readable


def test_show_displays_the_publication_table_of_a_recorded_or_given_frame():
    from scr_lib.story import tables

    results = Results.for_finding("refusal")
    frame = pd.DataFrame({"reason": ["had not begun the rollout"], "pcts": [40]})
    declared = results.declaration("refusal_left_out", frame)
    assert results.show("refusal_left_out", frame)._repr_html_() == tables.html(frame, declared)
    assert "refusal_left_out" not in results.tables  # shown, not published
    results.table("refusal_left_out", frame)
    assert results.show("refusal_left_out")._repr_html_() == tables.html(frame, declared)


def test_the_results_table_shows_labels_and_figures_never_keys():
    results = Results.for_finding("refusal")
    results.add("refusal.practices_invited", 1732, "practices", "Practices invited")
    results.add("refusal.share", 0.16513, "fraction", "Share that declined", illustrative=True)
    results.add("refusal.one_in", 6, "one in N", "Nearest 'one in N'")
    results.add("refusal.torbay_rollout_begun", 0, "rollout begun (1 yes, 0 no)", "Torbay: rollout begun")
    results.add("refusal.spend_gbp", 190000.0, "GBP", "Spend")
    text = results.frame()._repr_html_()
    assert "refusal." not in text and "True" not in text and "fraction" not in text
    for shown in ("1,732 practices", "16.5% <span class=\"illustrative-mark\">illustrative</span>", "one in 6",
                  "<td class=\"num\">no</td>", "£190,000"):
        assert shown in text
    assert "1,732" not in results.frame(["refusal.share"])._repr_html_()
