import pandas as pd
import pytest

from scr_lib.findings.arithmetic import refusal
from scr_lib.inputs import foi


def frame(*rows):
    """Rows of (rollout_begun, invited, declined) as the loader types them."""
    df = pd.DataFrame(rows, columns=["rollout_begun", "practices_invited", "practices_declined"])
    return df.astype({"rollout_begun": "boolean", "practices_invited": "Int64", "practices_declined": "Int64"})


def test_complete_rule_keeps_begun_with_both_figures():
    marked = refusal.mark_complete(frame((True, 10, 2), (True, 0, 0)))
    assert marked["complete"].tolist() == [True, True]
    assert marked["excluded_because"].tolist() == ["", ""]


@pytest.mark.parametrize("row, reason", [
    ((False, 10, 2), "had not begun the rollout"),
    ((None, 10, 2), "did not say whether the rollout had begun"),
    ((True, None, 2), "did not give the number of practices invited"),
    ((True, 10, None), "did not give the number of practices that declined"),
    ((True, None, None), "did not give the number of practices invited"),
    ((False, None, None), "had not begun the rollout"),
])
def test_complete_rule_names_the_first_reason(row, reason):
    marked = refusal.mark_complete(frame(row))
    assert not marked["complete"].iloc[0]
    assert marked["excluded_because"].iloc[0] == reason


def test_mark_complete_does_not_change_its_input():
    original = frame((True, 10, 2), (False, None, None))
    before = original.copy()
    refusal.mark_complete(original)
    pd.testing.assert_frame_equal(original, before)


def test_totals_and_exclusions_count_only_complete_areas():
    marked = refusal.mark_complete(frame((True, 10, 2), (True, 30, 5), (False, 50, 40), (True, 7, None)))
    assert refusal.totals(marked) == {"areas_answered": 4, "areas_complete": 2,
                                      "practices_invited": 40, "practices_declined": 7}
    assert refusal.exclusions(marked).to_dict("records") == [
        {"reason": "had not begun the rollout", "pcts": 1},
        {"reason": "did not give the number of practices that declined", "pcts": 1}]


def test_refusal_share():
    assert refusal.refusal_share(286, 1732) == 286 / 1732
    assert refusal.refusal_share(0, 5) == 0


@pytest.mark.parametrize("declined, invited", [(1, 0), (0, 0), (6, 5), (-1, 5)])
def test_refusal_share_rejects_impossible_counts(declined, invited):
    with pytest.raises(ValueError):
        refusal.refusal_share(declined, invited)


def test_named_areas_and_by_pct_from_a_loaded_file(foi_file):
    path = foi_file([
        {"pct": "NHS North Lancashire", "rollout_begun": "yes", "practices_invited": "38",
         "practices_declined": "20", "practices_signed_up": "1", "illustrative": "practices_declined"},
        {"pct": "Leeds PCT", "rollout_begun": "yes", "practices_invited": "10", "practices_declined": "1"},
        {"pct": "NHS Buckinghamshire", "rollout_begun": "no"},
    ])
    returns = foi.load_returns(path)
    named = {key: value for key, value, _, _ in refusal.named_areas(returns.frame)}
    assert named == {"refusal.north_lancashire_practices_invited": 38,
                     "refusal.north_lancashire_practices_declined": 20,
                     "refusal.north_lancashire_practices_signed_up": 1,
                     "refusal.north_lancashire_practices_not_agreed": 37}
    table = refusal.by_pct(refusal.mark_complete(returns.frame))
    assert table["ods_code"].tolist() == ["5NF", "5N1"]  # highest share first
    assert table["illustrative"].tolist() == [True, False]
    assert table["share_declined"].round(4).tolist() == [round(20 / 38, 4), 0.1]


def test_areas_at_or_above_and_largest_share_count_complete_areas_only():
    by_area = pd.DataFrame({"share_declined": [0.5, 0.72, 0.49, float("nan")]})
    assert refusal.areas_at_or_above(by_area, 0.5) == 2
    assert refusal.largest_share(by_area) == 0.72
    assert refusal.largest_share(by_area.iloc[3:]) is None


def test_named_rollout_gives_each_named_area_that_answered_yes_or_no():
    returns = pd.DataFrame({"ods_code": ["5QD", "TAL", "5NF", "5A4"],
                            "pct_name": ["Buckinghamshire", "Torbay", "North Lancashire", "Havering"],
                            "rollout_begun": pd.array([False, pd.NA, True, True], dtype="boolean")})
    assert refusal.named_rollout(returns) == [
        ("refusal.buckinghamshire_rollout_begun", 0, "rollout begun (1 yes, 0 no)", "Buckinghamshire: rollout begun"),
        ("refusal.north_lancashire_rollout_begun", 1, "rollout begun (1 yes, 0 no)", "North Lancashire: rollout begun"),
    ]


@pytest.mark.parametrize("counts, share, n, said", [
    ({"areas_complete": 2, "practices_invited": 90, "practices_declined": 0}, 0.0, None,
     "none of the **90** invited practices declined: **0%**"),
    ({"areas_complete": 0, "practices_invited": 0, "practices_declined": 0}, None, None,
     "No area had begun the rollout and given complete figures"),
    ({"areas_complete": 1, "practices_invited": 0, "practices_declined": 0}, None, None,
     "The one complete area invited no practices"),
    ({"areas_complete": 1, "practices_invited": 12, "practices_declined": 3}, 0.25, 4, "about **one in four**"),
])
def test_overall_says_every_case_in_words_and_never_fails(counts, share, n, said):
    found = refusal.overall(counts)
    assert (found["share"], found["one_in"]) == (share, n) and said in found["sentence"]


# --- Charts name areas as their pages do, and never a real PCT beside a generated value (issue 22) ----

def _chart_rows(table):
    spec = refusal.chart_by_pct(table, 0.2).to_dict()
    return next(iter(spec["datasets"].values()))


def test_the_refusal_chart_names_no_pct_whose_figures_were_generated():
    table = pd.DataFrame({"ods_code": ["5N9", "5QM", "5NF"], "pct_name": ["Lincolnshire Teaching", "Dorset",
                                                                           "North Lancashire Teaching"],
                          "practices_invited": [10, 20, 38], "practices_declined": [5, 4, 5],
                          "share_declined": [0.5, 0.2, 5 / 38], "illustrative": [False, True, True]})
    names = [r["pct_name"] for r in _chart_rows(table)]
    assert names == ["NHS Lincolnshire", "Area 1, illustrative", "Area 2, illustrative"]
    text = str(refusal.chart_by_pct(table, 0.2).to_dict())
    assert "Dorset" not in text and "Lancashire" not in text


def test_the_left_out_sentence_gives_every_reason_itself():
    left_out = pd.DataFrame({"reason": ["had not begun the rollout", "did not give the number of practices invited"],
                             "pcts": [40, 15]})
    text = refusal.left_out_words({"areas_answered": 91, "areas_complete": 36}, left_out)
    assert text.endswith("55 are left out: 40 PCTs had not begun the rollout and 15 did not give the number of "
                         "practices invited.")
    none = refusal.left_out_words({"areas_answered": 9, "areas_complete": 9}, left_out.iloc[0:0])
    assert none.endswith("none is left out.") and ":" not in none


def test_named_areas_mark_their_generated_values():
    frame = pd.DataFrame({"ods_code": ["5QM"], "pct_name": ["Dorset"], "rollout_begun": [True],
                          "practices_invited": [55], "practices_declined": [24], "practices_signed_up": [23],
                          "illustrative": ["practices_declined;practices_invited"]})
    assert refusal.named_illustrative(frame) == {"refusal.dorset_practices_declined", "refusal.dorset_practices_invited",
                                                 "refusal.dorset_practices_not_agreed"}
