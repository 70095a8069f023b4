import json

import pandas as pd
import papermill
import pytest

from scr_lib import charts, paths
from scr_lib.findings.arithmetic import spend
from scr_lib.inputs import foi
from scr_lib.story import claims
from scr_lib.precision import round_number
from scr_lib.runner.run import KERNEL

COLUMNS = ["ods_code", "pct_name", "rollout_begun", "spend_to_date_gbp", "spend_expected_gbp",
           "records_uploaded", "records_viewed", "illustrative"]


def frame(*rows):
    """Rows of (ods_code, rollout_begun, spend to date, expected, uploaded, viewed, illustrative) as loaded."""
    df = pd.DataFrame([(code, f"PCT {code}", *rest) for code, *rest in rows], columns=COLUMNS)
    return df.astype({"rollout_begun": "boolean", "spend_to_date_gbp": "Float64", "spend_expected_gbp": "Float64",
                      "records_uploaded": "Int64", "records_viewed": "Int64"})


SAMPLE = frame(
    ("AAA", True, 1000.0, 500.0, 2000, 1, ""),
    ("BBB", False, 0.0, None, 0, 0, "*"),
    ("CCC", True, None, 300.0, 5000, 2, ""),
    ("DDD", True, 3000.0, None, 1000, 0, "spend_to_date_gbp"),
    ("EEE", None, 0.0, None, 4000, None, ""),
    ("FFF", True, 6000.0, 1200.0, None, None, "records_uploaded"),
)


@pytest.mark.parametrize("amount, status", [
    (250.0, spend.SPENT), (0.0, spend.NOTHING), (None, spend.NOT_GIVEN)])
def test_mark_reported_tells_nothing_spent_from_no_figure(amount, status):
    marked = spend.mark_reported(frame(("AAA", True, amount, None, None, None, "")))
    assert marked["spend_status"].tolist() == [status]


def test_verbs_do_not_change_their_input():
    before = SAMPLE.copy()
    marked = spend.mark_reported(SAMPLE)
    for verb in (spend.status_counts, spend.spread, spend.cost_per_record, spend.cost_exclusions, spend.by_pct):
        verb(marked)
    pd.testing.assert_frame_equal(SAMPLE, before)
    assert "spend_status" not in SAMPLE.columns


def test_status_counts_shows_every_status_by_rollout():
    table = spend.status_counts(spend.mark_reported(SAMPLE))
    assert table.to_dict("records") == [
        {"spend_status": spend.SPENT, "rollout begun": 3, "rollout not begun": 0, "rollout not stated": 0, "pcts": 3},
        {"spend_status": spend.NOTHING, "rollout begun": 0, "rollout not begun": 1, "rollout not stated": 1,
         "pcts": 2},
        {"spend_status": spend.NOT_GIVEN, "rollout begun": 1, "rollout not begun": 0, "rollout not stated": 0,
         "pcts": 1},
    ]


def test_status_counts_leaves_out_rollout_not_stated_when_every_pct_said():
    table = spend.status_counts(spend.mark_reported(SAMPLE[SAMPLE.rollout_begun.notna()]))
    assert list(table.columns) == ["spend_status", "rollout begun", "rollout not begun", "pcts"]


def test_spread_never_counts_not_given_as_zero():
    got = spend.spread(spend.mark_reported(SAMPLE))
    assert got["pcts_answered"] == 6
    assert got["pcts_reporting"] == 5 and got["pcts_reporting_zero"] == 2 and got["pcts_reporting_spend"] == 3
    assert got["pcts_not_given"] == 1
    assert got["total_to_date_gbp"] == 10_000.0
    assert got["median_to_date_gbp"] == 1000.0  # of 0, 0, 1000, 3000, 6000; the missing one is not a zero
    assert got["median_nonzero_to_date_gbp"] == 3000.0
    assert got["smallest_nonzero_to_date_gbp"] == 1000.0
    assert got["largest_to_date_gbp"] == 6000.0 and got["largest_ods_code"] == "FFF"
    assert got["largest_pct_name"] == "PCT FFF" and got["largest_illustrative"] is False
    assert got["pcts_reporting_expected"] == 3 and got["total_expected_gbp"] == 2000.0
    assert got["total_with_expected_gbp"] == 12_000.0
    assert got["pcts_reporting_uploaded"] == 5 and got["records_uploaded"] == 12_000
    assert got["records_viewed"] == 3


def test_spread_with_no_figures_computes_nothing():
    got = spend.spread(spend.mark_reported(frame(("AAA", True, None, None, None, None, ""))))
    assert got["pcts_reporting"] == 0 and got["pcts_not_given"] == 1
    for name in ("total_to_date_gbp", "median_to_date_gbp", "median_nonzero_to_date_gbp", "largest_to_date_gbp",
                 "largest_ods_code", "largest_pct_name", "largest_illustrative", "total_expected_gbp",
                 "total_with_expected_gbp"):
        assert got[name] is None, name


def test_cost_per_record_needs_both_figures_and_some_records():
    marked = spend.mark_reported(SAMPLE)
    costs = spend.cost_per_record(marked)
    assert costs[["ods_code", "cost_per_record_gbp", "illustrative"]].to_dict("records") == [
        {"ods_code": "DDD", "cost_per_record_gbp": 3.0, "illustrative": True},
        {"ods_code": "AAA", "cost_per_record_gbp": 0.5, "illustrative": False},
        {"ods_code": "EEE", "cost_per_record_gbp": 0.0, "illustrative": False},
    ]
    assert spend.cost_exclusions(marked).to_dict("records") == [
        {"reason": spend.COST_REASONS["spend_missing"], "pcts": 1},
        {"reason": spend.COST_REASONS["uploaded_missing"], "pcts": 1},
        {"reason": spend.COST_REASONS["uploaded_zero"], "pcts": 1},
    ]
    summary = spend.cost_summary(costs)
    assert summary == {"pcts_cost_per_record": 3, "median_cost_per_record_gbp": 0.5,
                       "pooled_cost_per_record_gbp": 4000.0 / 7000}


def test_cost_summary_of_no_pcts_is_empty():
    costs = spend.cost_per_record(spend.mark_reported(frame(("AAA", True, 10.0, None, 0, 0, ""))))
    assert costs.empty
    assert spend.cost_summary(costs) == {"pcts_cost_per_record": 0, "median_cost_per_record_gbp": None,
                                         "pooled_cost_per_record_gbp": None}


def test_area_gives_its_figures_and_costs_per_record():
    marked = spend.mark_reported(frame(("5QM", True, 190_000.0, 70_000.0, 159_580, 0, "foi_ref"),
                                       ("AAA", True, 1.0, 1.0, 1, 1, "")))
    got = spend.area(marked, "dorset")
    assert got["ods_code"] == "5QM"
    assert (got["to_date_gbp"], got["expected_gbp"], got["records_uploaded"], got["records_viewed"]) == \
        (190_000.0, 70_000.0, 159_580, 0)
    assert got["cost_per_record_gbp"] == 190_000 / 159_580
    assert got["cost_per_record_with_expected_gbp"] == 260_000 / 159_580
    assert got["illustrative"] == []


@pytest.mark.parametrize("row, none", [
    (("5QM", True, 190.0, None, 10, None, ""), {"expected_gbp", "records_viewed", "cost_per_record_with_expected_gbp"}),
    (("5QM", True, None, 70.0, 10, 0, ""), {"to_date_gbp", "cost_per_record_gbp",
                                            "cost_per_record_with_expected_gbp"}),
    (("5QM", True, 190.0, 70.0, 0, 0, ""), {"cost_per_record_gbp", "cost_per_record_with_expected_gbp"}),
    (("5QM", True, 190.0, 70.0, None, None, ""), {"records_uploaded", "records_viewed", "cost_per_record_gbp",
                                                  "cost_per_record_with_expected_gbp"}),
])
def test_area_leaves_missing_figures_and_undefined_costs_as_none(row, none):
    got = spend.area(spend.mark_reported(frame(row)), "dorset")
    assert {k for k, v in got.items() if v is None} == none


def test_area_marks_its_illustrative_figures():
    got = spend.area(spend.mark_reported(frame(("5QM", True, 1.0, 2.0, 3, 0, "records_viewed;spend_expected_gbp"))),
                     "dorset")
    assert got["illustrative"] == ["spend_expected_gbp", "records_viewed"]


def test_area_absent_from_the_returns_is_none_and_an_unknown_area_says_which_exist():
    assert spend.area(spend.mark_reported(SAMPLE), "dorset") is None
    with pytest.raises(KeyError, match="dorset"):
        spend.area(spend.mark_reported(SAMPLE), "wessex")


def test_area_lines_give_every_figure_or_say_why_not():
    marked = spend.mark_reported(frame(("5QM", True, 190_000.0, None, 159_580, 0, "records_uploaded")))
    text = spend.area_lines(spend.area(marked, "dorset"), "NHS Dorset")
    assert text.splitlines()[2:] == [
        "- spent on the rollout so far: **£190,000**",
        "- further spend expected: not given",
        "- records uploaded: **159,580** (illustrative)",
        "- records used: **none**",
        "- spend so far per uploaded record: **£1.19** (illustrative)",
        "- per uploaded record once the expected spend is added: cannot be worked out: a spend figure was not given",
    ]
    assert spend.area_lines(None, "NHS Dorset") == "NHS Dorset is not in these returns, so its figures cannot be reproduced."


def test_against_central():
    assert spend.against_central(1_500_000.0, 7_500_000.0) == 0.2
    assert spend.against_central(None, 7_500_000.0) is None


@pytest.mark.parametrize("central", [0, -1.0, float("nan")])
def test_against_central_needs_funding_above_zero(central):
    with pytest.raises(ValueError, match="central funding"):
        spend.against_central(1.0, central)


def test_result_rows_skip_uncomputed_figures_and_non_figures():
    rows = spend.result_rows({"pcts_reporting": 5, "median_to_date_gbp": None, "largest_ods_code": "FFF",
                              "to_date_gbp": 190.0}, prefix="spend.x_", label_prefix="X: ")
    assert rows == [("spend.x_pcts_reporting", 5, "PCTs", "X: " + spend.LABELS["pcts_reporting"][1]),
                    ("spend.x_to_date_gbp", 190.0, "GBP", "X: spend to date")]


def test_by_pct_sorts_largest_first_with_no_figure_last():
    table = spend.by_pct(spend.mark_reported(SAMPLE))
    assert table["ods_code"].tolist() == ["FFF", "DDD", "AAA", "BBB", "EEE", "CCC"]
    assert table["illustrative"].tolist() == [False, True, False, True, False, False]
    assert table["illustrative_values"].tolist() == [
        "records_uploaded", "spend_to_date_gbp", "", ";".join(spend.SPEND_COLUMNS), "", ""]
    costs = table.set_index("ods_code")["cost_per_record_gbp"]
    assert costs["DDD"] == 3.0 and costs["EEE"] == 0.0
    assert costs[["FFF", "BBB", "CCC"]].isna().all()


def test_chart_draws_only_pcts_that_spent_and_counts_the_rest():
    spec = spend.chart_by_pct(spend.by_pct(spend.mark_reported(SAMPLE))).to_dict()
    rows = next(iter(spec["datasets"].values()))
    # codes not in the reference table are shown as given; the illustrative bar names no PCT
    assert [r["pct_name"] for r in rows] == ["FFF", "Area 1, illustrative", "AAA"]
    assert [r["source"] for r in rows] == [charts.PUBLISHED, charts.ILLUSTRATIVE, charts.PUBLISHED]
    subtitle = spec["title"]["subtitle"]
    assert "The 3 PCTs" in subtitle[0] and "2 reported nothing spent; 1 gave no figure" in subtitle[1]
    assert subtitle[-1] == charts.ILLUSTRATIVE_NOTE


def test_chart_without_illustrative_values_says_nothing_about_them():
    plain = frame(("AAA", True, 10.0, None, None, None, ""))
    spec = spend.chart_by_pct(spend.by_pct(spend.mark_reported(plain)), named_published=False).to_dict()
    assert charts.ILLUSTRATIVE_NOTE not in spec["title"]["subtitle"]
    assert spec["encoding"]["color"]["scale"]["domain"] == [charts.REPORTED]


def test_money_as_written_in_an_foi_file_is_read_and_not_given_stays_missing(foi_file):
    path = foi_file([
        {"pct": "NHS Dorset", "rollout_begun": "yes", "spend_to_date_gbp": "£190,000",
         "spend_expected_gbp": "70000", "records_uploaded": "159,580", "records_viewed": "none"},
        {"pct": "Bristol PCT", "rollout_begun": "no", "spend_to_date_gbp": "Nil", "spend_expected_gbp": "n/a"},
        {"pct": "NHS Bolton", "rollout_begun": "yes", "spend_to_date_gbp": "£61,250.50",
         "spend_expected_gbp": "not known"},
        {"pct": "Leeds", "rollout_begun": "yes", "spend_to_date_gbp": "not held"},
    ])
    marked = spend.mark_reported(foi.load_returns(path).frame)
    assert marked["spend_to_date_gbp"].tolist()[:3] == [190_000.0, 0.0, 61_250.5]
    assert marked["spend_to_date_gbp"].isna().tolist() == [False, False, False, True]
    assert marked["spend_expected_gbp"].isna().tolist() == [False, True, True, True]
    assert marked["spend_status"].tolist() == [spend.SPENT, spend.NOTHING, spend.SPENT, spend.NOT_GIVEN]
    got = spend.spread(marked)
    assert got["total_to_date_gbp"] == 251_250.5 and got["pcts_not_given"] == 1


def test_bundled_returns_reproduce_dorset_and_bear_out_the_spend_claims():
    marked = spend.mark_reported(foi.load_returns(paths.FOI_2010).frame)
    dorset = spend.area(marked, "dorset")
    assert dorset["illustrative"] == []
    for name in ("to_date_gbp", "expected_gbp", "records_uploaded", "records_viewed"):
        assert dorset[name] == claims.published(f"spend.dorset_{name}")
    figures = {**spend.spread(marked), "central_funding_gbp": claims.published("spend.central_funding_gbp")}
    results = {key: value for key, value, _, _ in spend.result_rows(figures)}
    results.update({key: value for key, value, _, _ in spend.result_rows(dorset, prefix="spend.dorset_")})
    checked = claims.check_all(results, "spend")
    assert checked.loc[checked.claim_id != "spend-central-funding", "holds"].tolist() == [True] * (len(checked) - 1)
    assert checked.set_index("claim_id").loc["spend-central-funding", "holds"] is None


@pytest.mark.slow
def test_spend_notebook_follows_other_data(tmp_path, foi_file):
    """Three PCTs, no Dorset: totals follow the file, and the Dorset claims are not computed."""
    path = foi_file([
        {"pct": "NHS Bolton", "rollout_begun": "yes", "spend_to_date_gbp": "£40,000",
         "spend_expected_gbp": "£10,000", "records_uploaded": "20,000", "records_viewed": "3"},
        {"pct": "Bristol PCT", "rollout_begun": "no", "spend_to_date_gbp": "nil"},
        {"pct": "Leeds", "rollout_begun": "yes", "spend_to_date_gbp": "not known"},
    ])
    out = tmp_path / "out"
    notebook = paths.NOTEBOOKS / "02-spend.ipynb"
    papermill.execute_notebook(str(notebook), str(tmp_path / "run.ipynb"), kernel_name=KERNEL,
                               parameters={"foi_returns": str(path), "output_dir": str(out)},
                               cwd=str(paths.NOTEBOOKS), progress_bar=False)
    got = {k: v["value"] for k, v in json.loads((out / "02-spend.results.json").read_text())["results"].items()}
    expected = spend.spread(spend.mark_reported(foi.load_returns(path).frame))
    assert got["spend.pcts_reporting"] == expected["pcts_reporting"] == 2
    assert got["spend.pcts_reporting_zero"] == 1 and got["spend.pcts_not_given"] == 1
    assert got["spend.total_to_date_gbp"] == 40_000.0 and got["spend.median_to_date_gbp"] == 20_000.0
    assert got["spend.median_cost_per_record_gbp"] == 2.0
    assert got["spend.local_share_of_central"] == round_number(40_000.0 / claims.published("spend.central_funding_gbp"))
    assert not any(key.startswith("spend.dorset_") for key in got)
    claims_csv = (out / "tables" / "spend_claims.csv").read_text()
    assert "not computed" in claims_csv and "holds" in claims_csv
    by_pct = pd.read_csv(out / "tables" / "spend_by_pct.csv")
    assert by_pct["ods_code"].tolist()[0] == "5HQ"
