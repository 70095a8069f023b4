"""scr draft: every number in a draft found, matched to a result and judged at its printed precision."""

import json
import re

import pandas as pd
import pytest
from click.testing import CliRunner

from scr_lib import paths
from scr_lib.findings.arithmetic import ooh
from scr_lib.story import claims, draft, numbers
from scr_lib.cli import cli
from scr_lib.story.draft import Verdict

CHECKABLE = ("equal", "one_in", "less_than", "at_least", "more_than", "at_most")
EXAMPLES = paths.PROJ_ROOT / "docs" / "examples"


def published_results() -> dict:
    """A run whose every result is the published figure (from claims.csv), as results.json holds them."""
    table = claims.load_claims()
    keys = table.loc[table.check.isin(CHECKABLE + ("input",)), "result_key"].unique()
    values = {key: claims.published(key) for key in keys}
    values["refusal.share"] = values["refusal.practices_declined"] / values["refusal.practices_invited"]
    inputs = ooh.resolve_inputs()  # the calls the article's own table implies, as notebook 03 computes them
    values["ooh.projected_calls_per_week"] = ooh.projected_calls(inputs.records_created, inputs.calls_per_1000_per_week)
    values["ooh.access_rate"] = ooh.access_rate(inputs.views_per_week, values["ooh.projected_calls_per_week"])
    values["refusal.largest_area_share"] = 0.5  # "half or more" (not in the ledger: a vocabulary result)
    return {key: {"value": value} for key, value in values.items()}


def quotes_with_a_number() -> pd.DataFrame:
    table = claims.load_claims()
    has_number = table.quote.map(lambda q: any(not n.is_date for n in numbers.find(q)))
    return table[table.check.isin(CHECKABLE) & has_number]


def run_dir(tmp_path, results) -> str:
    (tmp_path / "results.json").write_text(json.dumps(results), encoding="utf-8")
    return str(tmp_path)


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def by_printed(report) -> dict:
    return {n.printed: n for n in report.numbers}


# ---------------------------------------------------------------------------------------------
# The ledger's own quotes

def test_every_checkable_claim_quoted_in_a_draft_is_supported_with_its_result_key():
    table = quotes_with_a_number()
    report = draft.check_paragraphs(list(table.quote), published_results())
    assert not report.contradicted
    for claim in table.itertuples():
        row = next(n for n in report.numbers if n.sentence == claim.quote
                   and n.matched_by == f"claims.csv: {claim.claim_id}")
        assert (row.verdict, row.result_key) == (Verdict.SUPPORTED, claim.result_key), claim.claim_id


def test_the_claims_without_a_number_are_the_yes_no_rollout_checks():
    """Every checkable claim is covered above, except those whose quote holds no number to check."""
    table = claims.load_claims()
    without = set(table[table.check.isin(CHECKABLE)].claim_id) - set(quotes_with_a_number().claim_id)
    assert without == set(table[table.unit.str.startswith("rollout begun")].claim_id) != set()


# One figure changed in each quote (claim id -> (as printed, changed to)); each must be contradicted.
CHANGES = {
    "refusal-areas-answered": ("91", "92"),
    "refusal-areas-complete": ("36", "35"),
    "refusal-invited": ("1,732", "1,723"),
    "refusal-declined": ("286", "268"),
    "refusal-one-in": ("one in six", "one in five"),
    "refusal-north-lancs-invited": ("38", "39"),
    "refusal-north-lancs-signed": ("one", "two"),
    "refusal-cambs-contacted": ("of 77", "of 78"),
    "refusal-cambs-interested": ("37 of", "36 of"),
    "refusal-peterborough-not-agreed": ("five", "six"),
    "refusal-hammersmith-invited": ("haven't invited any", "have invited 12"),
    "refusal-half-or-more": ("some areas", "at least 5 areas"),
    "spend-some-nothing": ("some PCTs", "at least 3 PCTs"),
    "spend-dorset-to-date": ("£190,000", "£195,000"),
    "spend-dorset-expected": ("£70,000", "£75,000"),
    "spend-dorset-uploaded": ("159,580", "159,581"),
    "spend-dorset-viewed": ("none", "two"),
    "ooh-records-table": ("13,499,272", "13,499,227"),
    "ooh-records-text": ("13.5 million", "13.4 million"),
    "ooh-calls-table": ("337,500", "337,600"),
    "ooh-calls-text": ("337,000", "336,000"),
    "ooh-views-table": ("1,800", "1,900"),
    "ooh-rate-table": ("0.53%", "0.63%"),
    "ooh-rate-text": ("0.5%", "0.6%"),
    "ooh-rate-less-than": ("less than 1%", "less than 0.5%"),
}
# A quote needs its area named to say whose figure it is, as the article's sentence does.
AREA = {"refusal-hammersmith-invited": "NHS Hammersmith and Fulham said: ", "spend-dorset-viewed": "NHS Dorset: "}


def test_the_changes_cover_every_checkable_claim_with_a_number():
    assert set(CHANGES) == set(quotes_with_a_number().claim_id)


@pytest.mark.parametrize("claim_id", sorted(CHANGES))
def test_a_quote_with_one_figure_changed_is_contradicted(claim_id):
    claim = claims.load_claims().set_index("claim_id").loc[claim_id]
    old, new = CHANGES[claim_id]
    assert old in claim.quote
    sentence = AREA.get(claim_id, "") + claim.quote.replace(old, new, 1)
    start = sentence.index(new)
    report = draft.check_paragraphs([sentence], published_results())
    spans = {n.printed: numbers.find(sentence)[i] for i, n in enumerate(report.numbers)}
    changed = [n for n in report.numbers if spans[n.printed].start < start + len(new) and spans[n.printed].end > start]
    assert changed and all(n.verdict is Verdict.CONTRADICTED for n in changed), report.numbers
    assert changed[0].result_key == claim.result_key
    assert changed[0].difference is not None and changed[0].difference != 0
    # every other number in the quote is unaffected
    assert all(n.verdict is not Verdict.CONTRADICTED for n in report.numbers if n not in changed)


# ---------------------------------------------------------------------------------------------
# A draft of every kind of number

MIXED = """# A draft

One in four practices declined, according to FOI answers from 91 PCTs.

In NHS Dorset, 190 practices were invited in March 2010, and the PCT had spent £190,000.

Around 30 sites in England are now using the Summary Care Record, and the weather was fine on 12 days.
"""


def mixed_results() -> dict:
    return {**published_results(), "refusal.dorset_practices_invited": {"value": 55}}


def test_a_mixed_draft_gives_each_number_its_verdict(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text(MIXED, encoding="utf-8")
    report = draft.check_draft(path, mixed_results())
    found = by_printed(report)
    assert found["One in four"].verdict is Verdict.CONTRADICTED
    assert (found["One in four"].result_key, found["One in four"].computed_text) == ("refusal.share", "one in six")
    assert found["91"].verdict is Verdict.SUPPORTED and found["91"].result_key == "refusal.areas_answered"
    assert found["190"].verdict is Verdict.CONTRADICTED and found["190"].difference == 55 - 190
    assert found["£190,000"].verdict is Verdict.SUPPORTED
    assert found["12"].verdict is Verdict.UNCHECKED and "check it by hand" in found["12"].note
    assert found["Around 30"].verdict is Verdict.UNCHECKED
    assert [d.printed for d in report.dates] == ["March 2010"]
    assert report.counts() == {"numbers": 6, "dates": 1, "supported": 2, "contradicted": 2, "unchecked": 2}


def test_scr_draft_prints_a_table_and_the_counts_and_exits_1_when_contradicted(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text(MIXED, encoding="utf-8")
    result = invoke("draft", path, run_dir(tmp_path, mixed_results()))
    assert result.exit_code == 1
    assert re.search(r"contradicted\s+\"One in four\" \(nearest one in N\) in: One in four practices", result.stdout)
    assert "refusal.share = one in six; difference +2" in result.stdout
    assert "Years and dates (listed, not checked):" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == ("6 numbers found: 2 supported, 2 contradicted, "
                                                       "2 unchecked; 1 year or date listed apart.")


def test_scr_draft_json_lists_every_number_and_exits_0_when_nothing_is_contradicted(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("With 286 practices declining, some PCTs had spent nothing.\n", encoding="utf-8")
    result = invoke("draft", path, run_dir(tmp_path, published_results()), "--json")
    assert result.exit_code == 0
    body = json.loads(result.stdout)
    assert body["counts"]["numbers"] == len(body["numbers"]) == 2
    assert [n["verdict"] for n in body["numbers"]] == ["supported", "supported"]
    assert body["numbers"][0]["result_key"] == "refusal.practices_declined"


def test_a_docx_draft_is_read_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("GPs snub the record", level=1)
    document.add_paragraph("In 36 areas which have begun the rollout and provided complete figures, "
                           "1,732 practices have been invited to participate.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Practices that declined"
    table.rows[0].cells[1].text = "with 287 so far declining to take part"
    path = tmp_path / "draft.docx"
    document.save(path)
    result = invoke("draft", path, run_dir(tmp_path, published_results()), "--json")
    body = json.loads(result.stdout)
    verdicts = {n["printed"]: n["verdict"] for n in body["numbers"]}
    assert verdicts == {"36": "supported", "1,732": "supported", "287": "contradicted"}
    assert result.exit_code == 1


@pytest.mark.parametrize("name, content, message", [
    ("draft.docx", b"not a zip", "not a readable .docx file"),
    ("draft.txt", "£190,000".encode("cp1252"), "not UTF-8 text"),
    ("draft.txt", b"286 practices\x00\x01\x02", "a binary file, not text"),
    ("draft.pdf", b"%PDF-1.4\n\xe2\xe3\xcf\xd3\n", "give a .txt, .md or .docx draft"),
    ("draft.odt", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xc4", "give a .txt, .md or .docx draft"),
])
def test_an_unreadable_draft_is_one_line_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke("draft", path, run_dir(tmp_path, published_results()))
    assert result.exit_code == 1 and message in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.output


def test_scr_draft_without_a_run_or_draft_says_so(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("286 declined.", encoding="utf-8")
    no_run = invoke("draft", path, tmp_path)
    assert no_run.exit_code == 1 and "no readable results.json" in no_run.stderr
    no_draft = invoke("draft", tmp_path / "missing.md", tmp_path)
    assert no_draft.exit_code == 2 and "does not exist" in no_draft.stderr


def test_markdown_marks_comments_and_list_numbers_are_not_numbers(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text("<!-- note for 2010 -->\n1. [286 declined](http://example.com/2/3)\n", encoding="utf-8")
    report = draft.check_draft(path, published_results())
    assert [n.printed for n in report.numbers] == ["286"] and report.dates == []


# ---------------------------------------------------------------------------------------------
# Acceptance: the example drafts on real runs of the bundled data and of the follow-up example

def load(run) -> dict:
    return json.loads((run / "results.json").read_text(encoding="utf-8"))


def context_or_input(n) -> bool:
    return n.note.startswith("context: not checkable, because ") or n.note.startswith("an input")


@pytest.mark.slow
@pytest.mark.parametrize("name, run", [("draft_pulse_2010.md", "story_run"), ("draft_followup_2011.md", "followup_run")])
def test_an_example_draft_written_for_its_run_is_supported_but_for_context(name, run, request):
    report = draft.check_draft(EXAMPLES / name, load(request.getfixturevalue(run)))
    assert [n for n in report.numbers if n.verdict is Verdict.CONTRADICTED] == []
    unchecked = [n for n in report.numbers if n.verdict is Verdict.UNCHECKED]
    assert unchecked and all(context_or_input(n) for n in unchecked), unchecked
    context = [n.printed for n in unchecked if n.note.startswith("context")]
    assert context == ["at least £100m", "around 30", "just 20", "60% or more", "around a third"]


def positions(report) -> dict:
    return {(n.paragraph, i): n for i, n in enumerate(report.numbers)}


@pytest.mark.slow
def test_the_bundled_draft_on_the_follow_up_run_contradicts_exactly_the_figures_that_changed(story_run, followup_run):
    """Each figure the follow-up draft changed (one in six -> one in four...) is contradicted; the rest are not."""
    old = draft.check_draft(EXAMPLES / "draft_pulse_2010.md", load(followup_run))
    new = draft.check_draft(EXAMPLES / "draft_followup_2011.md", load(followup_run))
    new_by_place = {}
    for n in new.numbers:
        new_by_place.setdefault(n.paragraph, []).append(n.printed)
    changed = 0
    for n in old.numbers:
        same_paragraph = [m.printed for m in old.numbers if m.paragraph == n.paragraph]
        index = same_paragraph.index(n.printed)
        counterpart = new_by_place.get(n.paragraph, [])
        unchanged = index < len(counterpart) and counterpart[index] == n.printed
        if context_or_input(n):
            assert n.verdict is Verdict.UNCHECKED and unchanged
        elif unchanged:
            assert n.verdict is Verdict.SUPPORTED, n
        else:
            assert n.verdict is Verdict.CONTRADICTED, n
            changed += 1
    assert changed and by_printed(old)["One in six"].computed_text == "one in four"
    result = invoke("draft", EXAMPLES / "draft_pulse_2010.md", followup_run)
    assert result.exit_code == 1


@pytest.mark.slow
def test_the_scr_draft_excerpt_in_the_docs_is_what_it_prints(followup_run):
    text = (paths.PROJ_ROOT / "docs" / "rerunning.md").read_text(encoding="utf-8")
    excerpt = re.search(r"```text\n\$ \.venv/bin/scr draft docs/examples/draft_pulse_2010.md build/followup_2011\n(.*?)```",
                        text, re.S).group(1)
    output = invoke("draft", EXAMPLES / "draft_pulse_2010.md", followup_run).stdout.replace(f"{paths.PROJ_ROOT}/", "")
    for line in excerpt.splitlines():
        if line.strip() and line.strip() != "...":
            assert line in output.splitlines(), line


def test_scr_draft_help_has_an_example_that_names_an_example_draft():
    result = invoke("draft", "--help")
    assert result.exit_code == 0 and "Example" in result.stdout
    example = re.search(r"scr draft (\S+) ", result.stdout).group(1)
    assert (paths.PROJ_ROOT / example).is_file()


# ---------------------------------------------------------------------------------------------
# Newsroom English (review of issue 16)

def rounded_results() -> dict:
    """published_results with every float rounded to 12 significant digits, as a run records them."""
    return {key: {"value": float(f"{item['value']:.12g}") if isinstance(item["value"], float) else item["value"]}
            for key, item in published_results().items()}


@pytest.mark.parametrize("sentence, printed, key", [
    ("13.5m care records had been created.", "13.5m", "ooh.records_created"),
    ("Between 1,700 and 1,800 practices were invited.", "1,700", "refusal.practices_invited"),
    ("Between 1,700 and 1,800 practices were invited.", "1,800", "refusal.practices_invited"),
    ("1\u00a0732 practices were invited.", "1\u00a0732", "refusal.practices_invited"),
    ("13\u2009499\u2009272 care records had been created.", "13\u2009499\u2009272", "ooh.records_created"),
    ("Practices declining reached 16,5%.", "16,5%", "refusal.share"),
    ("Some 16.5\u00a0% of invited practices declined.", "Some 16.5\u00a0%", "refusal.share"),
    ("Practices declining reached 16.51%.", "16.51%", "refusal.share"),
    ("Practices declining reached 17 per cent.", "17 per cent", "refusal.share"),
    ("NHS Dorset had spent £190k.", "£190k", "spend.dorset_to_date_gbp"),
    ("Out-of-hours services see 337.5k calls a week.", "337.5k", "ooh.projected_calls_per_week"),
])
def test_newsroom_forms_of_a_right_figure_are_supported(sentence, printed, key):
    row = by_printed(draft.check_paragraphs([sentence], rounded_results()))[printed]
    assert (row.verdict, row.result_key) == (Verdict.SUPPORTED, key), row


@pytest.mark.parametrize("sentence, printed", [
    ("Between 80 and 90 PCTs answered Freedom of Information requests.", "90"),
    ("Between 300 and 400 practices declined.", "300"),
    ("13.4m care records had been created.", "13.4m"),
    ("Practices declining reached 18,5%.", "18,5%"),
])
def test_newsroom_forms_of_a_wrong_figure_are_contradicted(sentence, printed):
    row = by_printed(draft.check_paragraphs([sentence], rounded_results()))[printed]
    assert row.verdict is Verdict.CONTRADICTED, row


@pytest.mark.parametrize("sentence, printed, note", [
    ("Out-of-hours calls to NHS 111 are rising.", "NHS 111", "a label"),
    ("Under Section 43 of the Act, practices declined.", "Section 43", "a label"),
    ("In all, 286 practices declined.[1]", "[1]", "a label"),
    ("Practices declined: call 020 7946 0000.", "020 7946 0000", "a label"),
    ("Out-of-hours calls come 24/7.", "24/7", "a label"),
    ("Dorset was the 36th PCT where practices declined.", "36th", "an ordinal"),
    ("Ten times as many practices declined in Dorset.", "Ten times", "a multiple"),
    ("Twice as many practices declined.", "Twice", "a multiple"),
    ("Dozens of practices declined.", "Dozens", "a vague quantity"),
    ("Almost all practices declined.", "Almost all", "a vague quantity"),
    ("The H1N1 calls to out-of-hours services.", "H1N1", "digits"),
])
def test_labels_ranks_multiples_and_vague_quantities_are_unchecked_never_judged(sentence, printed, note):
    row = by_printed(draft.check_paragraphs([sentence], rounded_results()))[printed]
    assert row.verdict is Verdict.UNCHECKED and note in row.note, row


def test_a_markdown_sentence_wrapped_across_lines_is_one_sentence_but_list_items_and_table_rows_are_not(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text("NHS Dorset had spent\n£190,000 and expected to spend a further\n£70,000.\n\n"
                    "By 2012 almost exactly 13.5\nmillion care records had been created.\n\n"
                    "- 286 practices declined\n- 91 PCTs answered Freedom of Information requests\n\n"
                    "| Practices | Figure |\n|---|---:|\n| invited | 1,732 |\n| declined | 286 |\n", encoding="utf-8")
    report = draft.check_draft(path, rounded_results())
    rows = [(n.printed, n.verdict, n.result_key) for n in report.numbers]
    assert rows == [("£190,000", Verdict.SUPPORTED, "spend.dorset_to_date_gbp"),
                    ("£70,000", Verdict.SUPPORTED, "spend.dorset_expected_gbp"),
                    ("almost exactly 13.5 million", Verdict.SUPPORTED, "ooh.records_created"),
                    ("286", Verdict.SUPPORTED, "refusal.practices_declined"),
                    ("91", Verdict.SUPPORTED, "refusal.areas_answered"),
                    ("1,732", Verdict.SUPPORTED, "refusal.practices_invited"),
                    ("286", Verdict.SUPPORTED, "refusal.practices_declined")]


def test_a_docx_draft_reads_headers_footers_and_tables_in_document_order(tmp_path):
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "Embargoed: 91 PCTs answered Freedom of Information requests"
    document.sections[0].footer.paragraphs[0].text = "Figures: 286 practices declined"
    document.add_paragraph("In all, 1,732 practices were invited.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Practices that declined"
    table.rows[0].cells[1].text = "287"
    document.add_paragraph("Some 13.5m care records had been created.")
    path = tmp_path / "draft.docx"
    document.save(path)
    report = draft.check_draft(path, rounded_results())
    assert [n.printed for n in report.numbers] == ["91", "1,732", "287", "Some 13.5m", "286"]
    assert by_printed(report)["287"].verdict is Verdict.CONTRADICTED


@pytest.mark.parametrize("content, message", [
    ("[1, 2]", "not a run's results"),
    ("{}", "holds no results"),
    ('"text"', "not a run's results"),
])
def test_a_run_folder_whose_results_are_not_a_runs_is_one_line_and_exit_1(tmp_path, content, message):
    path = tmp_path / "draft.txt"
    path.write_text("286 practices declined.", encoding="utf-8")
    (tmp_path / "results.json").write_text(content, encoding="utf-8")
    result = invoke("draft", path, tmp_path)
    assert result.exit_code == 1 and message in result.stderr and "results.json" in result.stderr, result.output
    assert "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize("value, note", [("abc", "cannot be compared"), (5, "cannot be compared"),
                                         ([1], "cannot be compared"), (True, "cannot be compared"),
                                         (float("nan"), "cannot be compared"), (float("inf"), "cannot be compared"),
                                         (None, "the run has no")])
def test_a_result_that_cannot_be_compared_leaves_the_number_unchecked_without_a_traceback(tmp_path, value, note):
    path = tmp_path / "draft.txt"
    path.write_text("One in six practices declined.", encoding="utf-8")
    results = {**published_results(), "refusal.share": {"value": value}}
    result = invoke("draft", path, run_dir(tmp_path, results), "--json")
    assert result.exit_code == 0, result.output
    (number,) = json.loads(result.stdout)["numbers"]
    assert number["verdict"] == "unchecked" and note in number["note"], number


def test_a_docx_table_is_read_row_by_row_with_its_headings_and_a_merged_cell_once(tmp_path):
    import docx

    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    rows = [["Area", "Practices invited", "Practices declined"], ["NHS Dorset", "55", "12"],
            ["NHS North Lancashire", "38", "5"], ["Total", "", ""]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(3, 1).merge(table.cell(3, 2)).text = "In all, 286 practices declined"
    path = tmp_path / "draft.docx"
    document.save(path)
    results = {**rounded_results(), "refusal.dorset_practices_invited": {"value": 55},
               "refusal.dorset_practices_declined": {"value": 24},
               "refusal.north_lancashire_practices_declined": {"value": 5}}
    report = draft.check_draft(path, results)
    assert [(n.printed, n.verdict, n.result_key) for n in report.numbers] == [
        ("55", Verdict.SUPPORTED, "refusal.dorset_practices_invited"),
        ("12", Verdict.CONTRADICTED, "refusal.dorset_practices_declined"),
        ("38", Verdict.SUPPORTED, "refusal.north_lancashire_practices_invited"),
        ("5", Verdict.SUPPORTED, "refusal.north_lancashire_practices_declined"),
        ("286", Verdict.SUPPORTED, "refusal.practices_declined")]


@pytest.mark.parametrize("sentence, printed, shown", [
    ("Records were viewed in fewer than 1 in 100 out-of-hours calls.", "fewer than 1 in 100", "0.53%"),
    ("More than one in seven practices declined.", "More than one in seven", "16.51%"),
])
def test_a_bound_on_one_in_n_shows_the_computed_share_as_a_percentage(sentence, printed, shown):
    row = by_printed(draft.check_paragraphs([sentence], rounded_results()))[printed]
    assert (row.verdict, row.computed_text) == (Verdict.SUPPORTED, shown), row


@pytest.mark.parametrize("paragraph, printed, key", [
    ("NHS Dorset uploaded 159,580 records. Each record cost £1.19.", "£1.19", "spend.dorset_cost_per_record_gbp"),
    ("In NHS Dorset the records cost £1.19 each.", "£1.19", "spend.dorset_cost_per_record_gbp"),
    ("Just 0.0053 of out-of-hours calls led to a record being viewed.", "Just 0.0053", "ooh.access_rate"),
])
def test_a_cost_per_record_and_a_decimal_share_point_at_their_results(paragraph, printed, key):
    results = {**rounded_results(), "spend.dorset_cost_per_record_gbp": {"value": 1.19062539165}}
    row = by_printed(draft.check_paragraphs([paragraph], results))[printed]
    assert (row.verdict, row.result_key) == (Verdict.SUPPORTED, key), row


def test_markdown_html_superscripts_and_underscore_emphasis_are_read_as_written(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text("In all, 286 practices declined<sup>2</sup> and _1,732_ practices were invited.\n",
                    encoding="utf-8")
    report = draft.check_draft(path, rounded_results())
    assert [(n.printed, n.verdict) for n in report.numbers] == [
        ("286", Verdict.SUPPORTED), ("[2]", Verdict.UNCHECKED), ("1,732", Verdict.SUPPORTED)]


@pytest.mark.parametrize("name, content", [("draft.md", ""), ("draft.txt", "No figures here.\n"),
                                           ("draft.md", "<!-- only a comment -->\n")])
def test_a_draft_without_numbers_says_so_and_exits_0(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    result = invoke("draft", path, run_dir(tmp_path, published_results()))
    assert result.exit_code == 0 and "No numbers found in the draft." in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == ("0 numbers found: 0 supported, 0 contradicted, "
                                                       "0 unchecked; 0 years or dates listed apart.")


@pytest.mark.parametrize("sentence, printed", [
    ("A further 12 practices declined in 2011.", "12"),
    ("Another 12 practices declined.", "12"),
    ("Practices declining rose by 2% on last year.", "2%"),
    ("Declines were up 3% on 2009.", "3%"),
    ("There was a 5% rise in practices declining.", "5%"),
    ("An increase of 40 practices declined.", "40"),
    ("12 more practices declined this year.", "12"),
    ("Spending by PCTs rose by £20,000.", "£20,000"),
    ("Some 14,000 care records are viewed each year.", "Some 14,000"),
])
def test_a_change_or_a_rate_is_not_checked_against_a_total(sentence, printed):
    results = {**rounded_results(), "spend.records_viewed": {"value": 0}, "spend.total_to_date_gbp": {"value": 1406600}}
    row = by_printed(draft.check_paragraphs([sentence], results))[printed]
    assert row.verdict is Verdict.UNCHECKED, row


@pytest.mark.parametrize("sentence, printed, key", [
    ("NHS Dorset expected to spend a further £70,000.", "£70,000", "spend.dorset_expected_gbp"),
    ("NHS Cambridgeshire had signed up 37 practices.", "37", "refusal.cambridgeshire_practices_signed_up"),
    ("Practices declining rose to 286.", "286", "refusal.practices_declined"),
])
def test_a_level_beside_change_words_is_still_checked(sentence, printed, key):
    results = {**rounded_results(), "refusal.cambridgeshire_practices_signed_up": {"value": 37}}
    row = by_printed(draft.check_paragraphs([sentence], results))[printed]
    assert (row.verdict, row.result_key) == (Verdict.SUPPORTED, key), row


def _docx_with_a_text_box_and_a_footnote(path):
    """A .docx whose body has a text box (as Word writes it: a drawing, with a VML copy as fallback) and
    whose footnotes part has one footnote; python-docx writes neither, so the XML is added here."""
    import zipfile

    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph("In all, 1,732 practices were invited.")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    box = ('<w:p xmlns:w="{w}"><w:r><w:t>286 practices declined</w:t></w:r></w:p>').format(w=w)
    paragraph._p.append(parse_xml(
        f'<w:r xmlns:w="{w}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        f'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        f'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback>'
        f'<w:pict><v:shape><v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict>'
        f'</mc:Fallback></mc:AlternateContent></w:r>'))
    document.save(path)
    footnotes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">'
                 f'<w:footnote w:id="1"><w:p><w:r><w:t>Figures from 91 PCTs answering FOI requests.</w:t></w:r>'
                 f'</w:p></w:footnote></w:footnotes>')
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    items["word/footnotes.xml"] = footnotes.encode()
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                     b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
    items["word/_rels/document.xml.rels"] = items["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdFoot" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w") as target:
        for name, data in items.items():
            target.writestr(name, data)


def test_a_docx_text_box_and_footnotes_are_read_once(tmp_path):
    path = tmp_path / "draft.docx"
    _docx_with_a_text_box_and_a_footnote(path)
    report = draft.check_draft(path, rounded_results())
    assert [(n.printed, n.verdict) for n in report.numbers] == [
        ("1,732", Verdict.SUPPORTED), ("286", Verdict.SUPPORTED), ("91", Verdict.SUPPORTED)]


def test_a_docx_reads_tracked_insertions_and_content_controls_but_not_deletions(tmp_path):
    import docx
    from docx.oxml import parse_xml

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = docx.Document()
    paragraph = document.add_paragraph("In all, ")
    paragraph._p.append(parse_xml(f'<w:ins xmlns:w="{w}" w:id="1" w:author="sub"><w:r><w:t>286 practices '
                                  f'declined</w:t></w:r></w:ins>'))
    paragraph._p.append(parse_xml(f'<w:del xmlns:w="{w}" w:id="2" w:author="sub"><w:r><w:delText>, 999 more'
                                  f'</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(f'<w:sdt xmlns:w="{w}"><w:sdtContent><w:r><w:t>, and 91 PCTs answered FOI '
                                  f'requests.</w:t></w:r></w:sdtContent></w:sdt>'))
    path = tmp_path / "draft.docx"
    document.save(path)
    report = draft.check_draft(path, rounded_results())
    assert [(n.printed, n.verdict) for n in report.numbers] == [("286", Verdict.SUPPORTED), ("91", Verdict.SUPPORTED)]
    assert report.numbers[0].sentence == "In all, 286 practices declined, and 91 PCTs answered FOI requests."


@pytest.mark.parametrize("illustrative", [True, False])
def test_a_figure_checked_against_an_illustrative_result_says_it_is_an_illustration(illustrative):
    """On the bundled data the per-area shares are generated: a draft's "72.7%" in the highest area is
    supported by made-up data, and the report must say so beside it (and only then)."""
    results = {"refusal.largest_area_share": {"value": 0.727272727273, "illustrative": True} if illustrative
               else {"value": 0.727272727273}}
    report = draft.check_paragraphs(["In some areas as many as 72.7% of practices declined."], results)
    found = [n for n in report.numbers if n.printed == "72.7%"]
    assert found and found[0].result_key == "refusal.largest_area_share"
    assert found[0].illustrative is illustrative and found[0].as_dict()["illustrative"] is illustrative
    assert ("an illustration, not a finding" in draft.table_text(report)) is illustrative
