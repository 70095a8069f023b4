import pandas as pd
import pytest

from scr_lib import findings, paths
from scr_lib.story import claims


def test_every_claim_is_well_formed():
    table = claims.load_claims()
    assert table.claim_id.is_unique
    assert set(table.check) <= set(claims.CHECKS)
    assert set(table.finding) == {f.id for f in findings.FINDINGS if f.claimed}
    articles = pd.read_csv(paths.ARTICLES)
    assert set(table.article_id) <= set(articles.article_id)
    # a quote is a short extract, never more than one sentence
    assert (table.quote.str.len() < 160).all()
    assert not table.quote.str.contains(r"\. [A-Z]").any()


def test_every_quote_is_in_the_article_text_it_cites():
    """The quotes are exact: checked against the stored articles when they are beside the project."""
    seeds = paths.PROJ_ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("the article texts (../shared/seeds) are not beside this clone")
    text = " ".join(p.read_text(encoding="utf-8") for p in seeds.glob("*.txt"))
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u2013", "-")
    missing = [q for q in claims.load_claims().quote if q not in text]
    assert missing == []


def test_published_converts_to_the_results_unit():
    rows = claims.load_claims().set_index("claim_id")
    assert claims.published("refusal.practices_invited") == rows.loc["refusal-invited", "value"]
    # a percentage in the article is a fraction in the results; the most precise claim wins
    assert claims.published("ooh.access_rate") == pytest.approx(rows.loc["ooh-rate-table", "value"] / 100)
    assert rows.loc["ooh-rate-table", "decimals"] > rows.loc["ooh-rate-text", "decimals"]
    assert claims.published("ooh.access_rate", "ooh-rate-text") == pytest.approx(rows.loc["ooh-rate-text", "value"] / 100)
    # 13,499,272 (table) is more precise than "13.5 million" (text), whatever the scale
    assert claims.published("ooh.records_created") == rows.loc["ooh-records-table", "value"]
    with pytest.raises(KeyError, match="no published claim"):
        claims.published("refusal.nope")


def claim(**over):
    base = dict(claim_id="c", finding="f", result_key="k", quote="q", printed="p", value=0.53, unit="percent",
                scale=100, decimals=2, check="equal", wording="{value:.2f}%")
    return pd.Series({**base, **over})


@pytest.mark.parametrize("over, result, holds, wording", [
    ({}, 1800 / 337500, True, "0.53%"),
    ({}, 0.0054, False, "0.54%"),
    ({"value": 0.5, "decimals": 1, "wording": "{value:.1f}%"}, 1800 / 337500, True, "0.5%"),
    ({"check": "less_than", "value": 1, "decimals": 0}, 0.0099, True, "0.99%"),
    ({"check": "less_than", "value": 1, "decimals": 0, "wording": "{value:.0f}%"}, 0.0101, False, "1%"),
    ({"check": "at_least", "value": 1, "scale": 1, "decimals": 0, "wording": "{value:,.0f}"}, 0, False, "0"),
    ({"check": "one_in", "value": 6, "scale": 1, "decimals": 0, "wording": "one in {words}"}, 286 / 1732, True,
     "one in six"),
    ({"check": "one_in", "value": 6, "scale": 1, "decimals": 0, "wording": "one in {words}"}, 0.26, False,
     "one in four"),
    ({"value": 337000, "scale": 1, "decimals": -3, "wording": "{value:,.0f}"}, 337481.8, True, "337,000"),
    ({"value": 337000, "scale": 1, "decimals": -3, "wording": "{value:,.0f}"}, 337500, False, "338,000"),
])
def test_check_compares_at_the_printed_precision(over, result, holds, wording):
    checked = claims.check(claim(**over), result)
    assert checked["holds"] is holds
    assert checked["computed_wording"] == wording


def test_check_of_an_input_or_missing_result_gives_no_verdict():
    assert claims.check(claim(check="input"), 0.0053)["holds"] is None
    missing = claims.check(claim(), None)
    assert missing["holds"] is None and missing["computed_wording"] == "not computed"


def test_check_all_reads_bare_numbers_and_value_objects():
    table = claims.check_all({"refusal.practices_invited": {"value": 1732}, "refusal.practices_declined": 285},
                             "refusal")
    rows = table.set_index("claim_id")
    assert rows.loc["refusal-invited", "holds"] is True or rows.loc["refusal-invited", "holds"] == True  # noqa: E712
    assert rows.loc["refusal-declined", "holds"] == False  # noqa: E712
    assert rows.loc["refusal-declined", "computed_wording"] == "285 declined"
    assert pd.isna(rows.loc["refusal-areas-answered", "computed"])


def test_context_rows_have_a_reason_and_no_result_and_checkable_rows_the_reverse():
    table = claims.load_claims()
    context = table[table.check == "context"]
    assert len(context) > 0 and context.reason.notna().all() and context.result_key.isna().all()
    assert table[table.check != "context"].reason.isna().all()
    assert table[table.check != "context"].result_key.notna().all()


@pytest.mark.parametrize("check, result, holds", [
    ("more_than", 0.0101, True), ("more_than", 0.01, False), ("at_most", 0.01, True), ("at_most", 0.0101, False),
])
def test_more_than_and_at_most_are_bounds(check, result, holds):
    assert claims.check(claim(check=check, value=1, decimals=0), result)["holds"] is holds


def test_a_context_row_is_never_checked_and_says_why():
    checked = claims.check(claim(check="context", result_key=None, reason="it is not in the data"), 0.5)
    assert checked["holds"] is None and checked["computed"] is None
    assert checked["computed_wording"] == "not checkable, because it is not in the data"


def test_a_yes_no_result_is_worded_yes_or_no():
    row = claim(check="equal", value=0, scale=1, decimals=0, wording="rollout begun: {yes_no}")
    assert claims.check(row, 0)["computed_wording"] == "rollout begun: no"
    assert claims.check(row, 1)["computed_wording"] == "rollout begun: yes"


def test_check_all_leaves_context_rows_out_unless_asked():
    without = claims.check_all({}, "ooh")
    with_context = claims.check_all({}, "ooh", context=True)
    assert "context" not in set(without.check)
    assert set(with_context.claim_id) - set(without.claim_id) == set(
        claims.load_claims("ooh").query("check == 'context'").claim_id)
    from scr_lib.story import report
    shown = report.claims_table(with_context)
    assert set(shown.loc[with_context.check.eq("context").to_numpy(), "verdict"]) == {"context"}


@pytest.mark.parametrize("illustrative", [True, False])
def test_claims_table_marks_a_value_computed_from_illustrative_values(illustrative):
    """"Some areas, half or more": on generated per-area figures, the run's value says it is illustrative."""
    from scr_lib.story import report

    claim = claims.load_claims().query("result_key == 'refusal.areas_half_or_more_declined'").iloc[0]
    results = {claim.result_key: {"value": 2, "illustrative": True} if illustrative else {"value": 2}}
    checked = claims.check_all(results, claim.finding)
    row = report.claims_table(checked)[checked["claim_id"].eq(claim.claim_id).to_numpy()].iloc[0]
    assert row["this run"].endswith("(illustrative values)") is illustrative
    assert row["verdict"] == "holds"


def test_a_claim_of_an_undeclared_finding_is_refused_with_its_line(tmp_path, monkeypatch):
    ledger = tmp_path / "claims.csv"
    lines = paths.CLAIMS.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("finding")] = "refusall"
    ledger.write_text("\n".join([lines[0], lines[1], ",".join(row)]) + "\n", encoding="utf-8")
    monkeypatch.setattr(paths, "CLAIMS", ledger)
    with pytest.raises(ValueError, match=r"line 3, column finding: 'refusall' is not a finding"):
        claims.load_claims()


@pytest.mark.parametrize("finding", findings.FINDINGS, ids=findings.IDS)
def test_every_finding_has_claims_and_its_key_figures_are_its_own(finding):
    table = claims.load_claims(finding.id)
    assert table.empty is not finding.claimed  # the articles printed figures about it, or none
    assert table.result_key.dropna().map(finding.owns).all()


def _printed(result_key: str) -> float:
    """The figure the articles printed for ``result_key``, in the result's unit (from the ledger)."""
    return claims.published(result_key)


@pytest.mark.parametrize("key", ["refusal.practices_declined", "refusal.areas_answered", "spend.central_funding_gbp"])
def test_a_figure_the_articles_printed_is_as_published_and_another_value_is_not(key):
    printed = _printed(key)
    assert claims.as_published(key, printed)
    assert not claims.as_published(key, printed * 1.5)  # at the precision printed: "£7.5 million" is 7,450,000 too
    assert not claims.as_published(key, None)


def test_a_share_is_as_published_when_its_one_in_n_is_the_one_printed():
    share = _printed("refusal.practices_declined") / _printed("refusal.practices_invited")
    assert claims.as_published("refusal.share", share)
    assert not claims.as_published("refusal.share", share * 2)


def test_a_bound_or_a_key_with_no_claim_is_never_as_published():
    """'In some areas, half or more refused' bounds the count; it does not print it."""
    bound = claims.load_claims().query("check == 'at_least'").iloc[0]
    assert not claims.as_published(bound.result_key, float(bound.value))
    assert not claims.as_published("spend.total_to_date_gbp", 1.0)


def test_a_total_is_marked_when_it_rests_on_generated_values_unless_pulse_printed_it_on_its_own_round():
    declined = _printed("refusal.practices_declined")
    on_its_round, other_round, received = (claims.marks_totals(True, True), claims.marks_totals(True, False),
                                           claims.marks_totals(False, True))
    assert not on_its_round("refusal.practices_declined", declined)  # Pulse's figure
    assert on_its_round("refusal.practices_declined", declined + 1)  # not Pulse's: made up
    assert on_its_round("spend.total_to_date_gbp", declined)  # Pulse printed no total spend
    assert other_round("refusal.practices_declined", declined)  # on another round, the same number is made up
    assert not received("spend.total_to_date_gbp", declined)  # nothing generated behind it


def test_a_count_other_findings_compute_is_looked_up_under_the_key_it_was_printed_as():
    answered = _printed("refusal.areas_answered")
    marked = claims.marks_totals(True, True)
    for key, printed_as in claims.PRINTED_AS.items():
        assert not marked(key, claims.published(printed_as)), key
        assert marked(key, claims.published(printed_as) + 1), key
    assert "spend.pcts_answered" in claims.PRINTED_AS and not marked("spend.pcts_answered", answered)
