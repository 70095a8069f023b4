"""Every PCT against the national figures (scr_lib.findings.arithmetic.areas): checked against the findings'
own arithmetic and against the FOI rows, never against typed numbers."""

import pandas as pd
import pytest

from scr_lib import paths
from scr_lib.findings.arithmetic import areas, refusal, spend
from scr_lib.inputs import foi, reference

COLUMNS = ["ods_code", "pct_name", *areas.FIGURES, "illustrative"]
REFERENCE = pd.DataFrame({"ods_code": ["AAA", "BBB", "CCC", "DDD", "ZZZ"],
                          "name": ["Alpha", "Beta", "Gamma", "Delta", "Zeta"]})


def frame(*rows):
    """Rows of (ods_code, begun, invited, declined, signed up, spend, expected, uploaded, viewed, illustrative)."""
    df = pd.DataFrame([(code, f"NHS {code}", *rest) for code, *rest in rows], columns=COLUMNS)
    return df.astype({"rollout_begun": "boolean", "practices_invited": "Int64", "practices_declined": "Int64",
                      "practices_signed_up": "Int64", "spend_to_date_gbp": "Float64",
                      "spend_expected_gbp": "Float64", "records_uploaded": "Int64", "records_viewed": "Int64"})


SAMPLE = frame(
    ("AAA", True, 40, 10, 20, 1000.0, 500.0, 2000, 1, ""),
    ("BBB", True, 20, 10, None, None, None, 0, 0, "practices_declined"),
    ("CCC", False, None, None, None, 0.0, None, None, None, "*"),
    ("DDD", True, 10, 1, 5, 3000.0, None, 1000, 0, ""),
)


@pytest.fixture(scope="module")
def bundled():
    returns = foi.load_returns(paths.PROJ_ROOT / "data/foi_2010/foi_returns_2010.csv").frame
    return returns, areas.compare(returns, reference.load_pcts())


def test_one_row_per_reference_pct_in_its_order_answered_or_not():
    table = areas.compare(SAMPLE, REFERENCE)
    assert table["ods_code"].tolist() == REFERENCE["ods_code"].tolist()
    assert table["answered"].tolist() == [True, True, True, True, False]
    zeta = table.set_index("ods_code").loc["ZZZ"]
    assert zeta["excluded_because"] == areas.NOT_ANSWERED
    assert all(pd.isna(zeta[c]) for c in [*areas.FIGURES, "share_declined", "refusal_rank", "cost_per_record_gbp"])


def test_rank_is_among_complete_areas_highest_share_first():
    table = areas.compare(SAMPLE, REFERENCE).set_index("ods_code")
    # Beta 10/20 = 0.5, Alpha 10/40 = 0.25, Delta 1/10 = 0.1; Gamma had not begun the rollout.
    assert table.loc[["BBB", "AAA", "DDD"], "refusal_rank"].tolist() == [1, 2, 3]
    assert pd.isna(table.loc["CCC", "refusal_rank"])
    assert table.loc["CCC", "excluded_because"] == refusal.REASONS["rollout_begun_no"]
    assert set(table["complete_areas"]) == {3}


def test_ties_share_the_better_rank():
    tied = frame(("AAA", True, 10, 5, None, None, None, None, None, ""),
                 ("BBB", True, 20, 10, None, None, None, None, None, ""),
                 ("CCC", True, 10, 1, None, None, None, None, None, ""))
    table = areas.compare(tied, REFERENCE)
    assert table["refusal_rank"].tolist()[:3] == [1, 1, 3]


def test_missing_figures_are_named_not_zero_and_illustrative_ones_listed():
    table = areas.compare(SAMPLE, REFERENCE).set_index("ods_code")
    assert table.loc["BBB", "not_given"] == "practices_signed_up;spend_to_date_gbp;spend_expected_gbp"
    assert table.loc["BBB", "spend_status"] == spend.NOT_GIVEN
    assert table.loc["BBB", "cost_excluded_because"] == spend.COST_REASONS["spend_missing"]
    assert table.loc["BBB", "illustrative"] == "practices_declined"
    assert table.loc["CCC", "illustrative"] == ";".join([*areas.FIGURES, "foi_ref"])
    assert table.loc["AAA", "not_given"] == "" and table.loc["AAA", "illustrative"] == ""


def test_the_input_is_not_changed():
    before = SAMPLE.copy()
    areas.compare(SAMPLE, REFERENCE)
    areas.national(SAMPLE)
    pd.testing.assert_frame_equal(SAMPLE, before)


def test_every_area_figure_equals_its_row_in_the_file(bundled):
    returns, table = bundled
    rows = returns.set_index("ods_code")
    answered = table[table["answered"]].set_index("ods_code")
    assert sorted(answered.index) == sorted(rows.index)
    for column in areas.FIGURES:
        pd.testing.assert_series_equal(answered[column], rows.loc[answered.index, column], check_names=False,
                                       check_dtype=False)


def test_shares_and_costs_are_the_findings_own(bundled):
    returns, table = bundled
    marked = spend.mark_reported(refusal.mark_complete(returns))
    shares = refusal.by_pct(marked).set_index("ods_code")["share_declined"]
    mine = table.set_index("ods_code").loc[shares.index, "share_declined"]
    assert mine.round(12).tolist() == shares.round(12).tolist()
    ranked = table[table["complete"]].sort_values(["refusal_rank", "name"])
    assert ranked["share_declined"].is_monotonic_decreasing
    costs = spend.cost_per_record(marked).set_index("ods_code")["cost_per_record_gbp"]
    assert table.set_index("ods_code").loc[costs.index, "cost_per_record_gbp"].round(9).tolist() == \
        costs.round(9).tolist()


def test_national_figures_are_the_findings_totals(bundled):
    returns, table = bundled
    national = areas.national(returns)
    counts = refusal.totals(refusal.mark_complete(returns))
    assert {k: national[k] for k in counts} == counts
    assert national["areas_complete"] == int(table["complete"].sum())
    assert national["share"] == refusal.overall(counts)["share"]
    assert national["median_cost_per_record_gbp"] == pytest.approx(table["cost_per_record_gbp"].median())


def test_every_name_an_area_is_shown_or_found_by_resolves_to_that_area():
    table, pcts = areas.names(reference.load_pcts()), reference.PCTs.read()
    assert table["ods_code"].is_unique and len(table) == len(reference.load_pcts())
    for row in table.itertuples(index=False):
        found = row.search_names.split(";")
        assert row.display_name in found and row.ods_code in found and row.name in found
        for name in found:
            try:
                assert reference.resolve(name, pcts).ods_code == row.ods_code, (name, row.ods_code)
            except reference.UnknownPCT as err:  # a name two PCTs share ("Hertfordshire") finds both
                assert any(f"({row.ods_code})" in c for c in err.candidates), (name, err)


def test_names_fall_back_when_the_table_has_no_aliases():
    table = areas.names(REFERENCE)
    assert table["display_name"].tolist() == [f"NHS {n}" for n in REFERENCE["name"]]
