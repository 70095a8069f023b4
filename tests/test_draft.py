"""scr draft on the fact base: each number read with its subject, measure and relation, then looked up.

The table-driven tests use a small fact base written here (FACTS); the acceptance tests check the drafts
of tests/draft_corpus.py (written from a real run's facts, errors planted) against real runs.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

import draft_corpus
from scr_lib import paths, words
from scr_lib.cli import cli
from scr_lib.story import draft, facts
from scr_lib.story.draft import Verdict
from scr_lib.story.facts import FactBase

EXAMPLES = paths.PROJ_ROOT / "docs" / "examples"

# A small fact base: (subject, name) -> {measure: value}. Shares are computed from the counts.
AREAS = {
    ("E", "England"): {"pcts": 152, "pcts_answered": 91, "pcts_complete": 36, "practices_invited": 1732,
                       "practices_declined": 286, "spend_to_date_gbp": 1406600, "spend_expected_gbp": 844000,
                       "records_uploaded": 785245, "records_viewed": 312, "median_spend_to_date_gbp": 1850,
                       "median_cost_per_record_gbp": 1.19062539165, "cost_per_record_gbp": 1.0564154997,
                       "records_created": 13499272, "views_per_week": 1800, "projected_calls_per_week": 337481.8,
                       "access_rate": 0.00533362095378, "central_funding_gbp": 7500000, "pcts_spent_nothing": 37,
                       "pcts_half_or_more_declined": 2, "largest_spend_to_date_gbp": 217000},
    ("5QM", "NHS Dorset"): {"practices_invited": 55, "practices_declined": 24, "practices_signed_up": 23,
                            "spend_to_date_gbp": 190000, "spend_expected_gbp": 70000, "records_uploaded": 159580,
                            "records_viewed": 0},
    ("5PN", "NHS Peterborough"): {"practices_invited": 39, "practices_declined": 5, "practices_signed_up": 34,
                                  "spend_to_date_gbp": 28000, "spend_expected_gbp": 54500},
    ("5D7", "NHS Newcastle"): {"practices_invited": 53, "practices_declined": 27, "practices_signed_up": 20,
                               "spend_to_date_gbp": 0, "spend_expected_gbp": 22500},
    ("5NF", "NHS North Lancashire"): {"practices_invited": 38, "practices_declined": 5, "practices_signed_up": 1},
    ("5J5", "NHS Oldham"): {"practices_invited": 68, "practices_declined": 8, "spend_to_date_gbp": 217000},
    ("5QD", "NHS Buckinghamshire"): {"practices_invited": 0, "spend_to_date_gbp": 0},
}
ILLUSTRATIVE = {"5J5"}  # Oldham's figures are generated


def _facts() -> list[tuple]:
    rows = []
    for (code, name), values in AREAS.items():
        values = dict(values)
        invited, declined = values.get("practices_invited"), values.get("practices_declined")
        if invited and declined is not None:
            values["share_declined"] = declined / invited
        if invited is not None and values.get("practices_signed_up") is not None:
            values["practices_not_agreed"] = invited - values["practices_signed_up"]
        if values.get("records_uploaded") and values.get("spend_to_date_gbp") is not None and code != "E":
            values["cost_per_record_gbp"] = values["spend_to_date_gbp"] / values["records_uploaded"]
        for measure, value in values.items():
            rows.append(("test", code, name, measure, "share" if "share" in measure or measure == "access_rate"
                         else "pounds" if measure.endswith("gbp") else "count", value,
                         "true" if code in ILLUSTRATIVE else "false", "x"))
    return rows


def fact_base() -> FactBase:
    lines = [",".join(facts.COLUMNS)] + [",".join(str(v) for v in row) for row in _facts()]
    return FactBase.parse("\n".join(lines) + "\n")


BASE = fact_base()


def value(code: str, measure: str):
    return BASE.get(code, measure).value


def check(*paragraphs: str):
    return draft.check_paragraphs(list(paragraphs), BASE)


def row(report, printed: str):
    found = [n for n in report.numbers if n.printed == printed] or [n for n in report.numbers if printed in n.printed]
    assert found, f"no number {printed!r} among {[n.printed for n in report.numbers]}"
    return found[0]


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_run(tmp_path) -> str:
    lines = [",".join(facts.COLUMNS)] + [",".join(str(v) for v in r) for r in _facts()]
    (tmp_path / "facts.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(tmp_path)


# ---------------------------------------------------------------------------------------------
# The false alarms and the missed error of issue 21, each one failed on the checker it replaced


def test_x_of_y_in_the_complete_areas_is_declined_of_invited():
    report = check(f"In the {value('E', 'pcts_complete')} areas, {value('E', 'practices_declined')} of "
                   f"{value('E', 'practices_invited'):,} invited practices declined.")
    assert [(n.verdict, n.measure) for n in report.numbers[1:]] == [
        (Verdict.SUPPORTED, "practices_declined"), (Verdict.SUPPORTED, "practices_invited")]
    assert not report.contradicted


def test_answered_of_englands_pcts_is_two_numbers_of_two_measures():
    report = check(f"Only {value('E', 'pcts_answered')} of England's {value('E', 'pcts')} PCTs answered.")
    assert [(n.verdict, n.measure) for n in report.numbers] == [(Verdict.SUPPORTED, "pcts_answered"),
                                                              (Verdict.SUPPORTED, "pcts")]


@pytest.mark.parametrize("sentence", ["NHS Dorset spent {cost} for every record it uploaded.",
                                      "In NHS Dorset the records cost {cost} each.",
                                      "NHS Dorset uploaded 159,580 records. Each record cost {cost}."])
def test_a_cost_per_record_is_not_compared_with_a_spend(sentence):
    cost = words.pounds(value("5QM", "cost_per_record_gbp"), 2)
    found = row(check(sentence.format(cost=cost)), cost)
    assert (found.verdict, found.measure, found.subject) == (Verdict.SUPPORTED, "cost_per_record_gbp", "5QM")


def test_a_spend_attributed_to_the_wrong_trust_is_contradicted_and_says_whose_it_is():
    dorset = words.pounds(value("5QM", "spend_to_date_gbp"))
    report = check("NHS Dorset was an early adopter.", f"NHS Peterborough said it had spent {dorset} on the rollout.")
    found = row(report, dorset)
    assert (found.verdict, found.subject) == (Verdict.CONTRADICTED, "5PN")
    assert found.elsewhere == f"{dorset} is NHS Dorset's spend to date, not NHS Peterborough's"
    assert words.pounds(value("5PN", "spend_to_date_gbp")) in found.fact_text


def test_a_local_figure_keeps_its_area_across_a_paragraph_and_the_trust():
    uploaded = f"{value('5QM', 'records_uploaded'):,}"
    report = check("NHS Dorset said the scheme was a success.", f"The trust had uploaded {uploaded} records.")
    assert (row(report, uploaded).verdict, row(report, uploaded).subject) == (Verdict.SUPPORTED, "5QM")


def test_a_wrong_local_figure_is_contradicted_against_the_areas_fact_in_words():
    invited, declined = value("5D7", "practices_invited"), value("5D7", "practices_declined")
    report = check(f"NHS Newcastle said {declined + 2} of its {invited} invited practices had declined.")
    found = row(report, str(declined + 2))
    assert found.verdict is Verdict.CONTRADICTED and found.subject == "5D7"
    assert found.fact_text == f"NHS Newcastle: {declined} of its {invited} invited practices declined"
    assert found.difference_text == "2 more than the data" and found.difference == 2
    assert row(report, str(invited)).verdict is Verdict.SUPPORTED


def test_the_message_shows_the_full_value_in_words_never_a_key_or_float_noise(tmp_path):
    path = tmp_path / "draft.txt"
    path.write_text("The PCTs that answered had spent £100 million between them.\n\n"
                    "Records were viewed 1,700 times a week.\n", encoding="utf-8")
    result = invoke("draft", path, write_run(tmp_path))
    total = value("E", "spend_to_date_gbp")
    assert result.exit_code == 1, result.output
    assert f"£{total:,.0f}" in result.stdout  # the fact at full value, not rounded to the draft's "£100 million"
    assert f"£{100_000_000 - total:,.0f} more than the data" in result.stdout
    assert not re.search(r"\d[eE][+-]\d", result.stdout) and "spend.total" not in result.stdout
    assert "refusal." not in result.stdout and "_gbp" not in result.stdout


# ---------------------------------------------------------------------------------------------
# Subjects


@pytest.mark.parametrize("paragraphs, printed, subject", [
    (["NHS Dorset invited {5QM.practices_invited} practices."], "{5QM.practices_invited}", "5QM"),
    (["Dorset PCT invited {5QM.practices_invited} practices."], "{5QM.practices_invited}", "5QM"),
    (["In Peterborough, {5PN.practices_invited} practices were invited."], "{5PN.practices_invited}", "5PN"),
    (["NHS Dorset acted first. It invited {5QM.practices_invited} practices."], "{5QM.practices_invited}", "5QM"),
    (["NHS Dorset acted first.", "Its {5QM.practices_invited} practices were invited."], "{5QM.practices_invited}",
     "5QM"),
    (["NHS Dorset acted first.", "NHS Peterborough followed. The trust invited {5PN.practices_invited} practices."],
     "{5PN.practices_invited}", "5PN"),
    (["NHS Dorset acted first.", "Nationally, {E.practices_invited} practices were invited."],
     "{E.practices_invited}", "E"),
    (["NHS Dorset acted first.", "Across the country {E.practices_declined} practices declined."],
     "{E.practices_declined}", "E"),
    (["NHS Dorset acted first. Nationally most did not. It invited {5QM.practices_invited} practices."],
     "{5QM.practices_invited}", "5QM"),
    (["{E.practices_declined} practices declined."], "{E.practices_declined}", "E"),
    (["NHS Dorset said {5QM.practices_declined} practices declined, against {E.practices_declined} in England."],
     "{E.practices_declined}", "E"),
])
def test_a_numbers_subject_is_named_carried_or_reset(paragraphs, printed, subject):
    fill = lambda text: re.sub(r"\{(\w+)\.(\w+)\}", lambda m: f"{value(m.group(1), m.group(2)):,}", text)  # noqa: E731
    found = row(check(*[fill(p) for p in paragraphs]), fill(printed))
    assert (found.verdict, found.subject) == (Verdict.SUPPORTED, subject), found


def test_a_figure_with_no_area_named_since_an_earlier_paragraph_is_unchecked_when_it_fits_neither():
    report = check("NHS Dorset acted first.", "Some 99 practices declined.")
    found = row(report, "99")
    assert found.verdict is Verdict.UNCHECKED and "not clear" in found.note


# ---------------------------------------------------------------------------------------------
# Measures


@pytest.mark.parametrize("sentence, printed, measure", [
    ("NHS Dorset had {declined} refusals and {signed} practices signed up.", "{signed}", "practices_signed_up"),
    ("In NHS Dorset {declined} practices said no.", "{declined}", "practices_declined"),
    ("In NHS Dorset {declined} surgeries turned the scheme down.", "{declined}", "practices_declined"),
    ("NHS Dorset wrote to {invited} GP practices.", "{invited}", "practices_invited"),
    ("In NHS Dorset, {not_agreed} practices have yet to agree.", "{not_agreed}", "practices_not_agreed"),
    ("NHS Dorset expects to spend a further {expected}.", "{expected}", "spend_expected_gbp"),
    ("The median PCT spent {median}.", "{median}", "median_spend_to_date_gbp"),
    ("Records are viewed in {access} of out-of-hours calls.", "{access}", "access_rate"),
    ("There were {views} views a week.", "{views}", "views_per_week"),
])
def test_a_numbers_measure_is_the_one_whose_words_are_near_it(sentence, printed, measure):
    values = {"declined": value("5QM", "practices_declined"), "signed": value("5QM", "practices_signed_up"),
              "invited": value("5QM", "practices_invited"), "not_agreed": value("5QM", "practices_not_agreed"),
              "expected": words.pounds(value("5QM", "spend_expected_gbp")),
              "median": words.pounds(value("E", "median_spend_to_date_gbp")),
              "access": words.percent(value("E", "access_rate"), 2), "views": f"{value('E', 'views_per_week'):,}"}
    found = row(check(sentence.format(**values)), printed.format(**values))
    assert (found.verdict, found.measure) == (Verdict.SUPPORTED, measure), found


@pytest.mark.parametrize("sentence", [
    "NHS Dorset serves 700,000 patients.",
    "The trust employs 40 press officers.",
    "In the 36 areas, practices were asked to join.",
    "In Scotland, 40% of practices declined.",  # a place the run has no facts about
    "In London, 40% of invited practices refused.",  # a strategic health authority: no facts either
    "A BMA poll found that 40% of GPs had refused to join.",  # another source's figure
    "NHS Dorset's budget is £800 million.",
    "The national programme has cost £235m since 2002.",  # not the PCTs' own spend
    "Not one of NHS Dorset's records has been viewed.",  # "not one" is none
])
def test_a_number_no_fact_speaks_to_is_unchecked_never_contradicted(sentence):
    report = check("NHS Dorset acted first.", sentence)
    assert not report.contradicted, report.numbers


def test_a_number_two_measures_fit_is_supported_by_either_and_unchecked_when_neither_holds():
    right = check(f"Some {value('E', 'records_uploaded'):,} records had been uploaded.")
    assert row(right, f"{value('E', 'records_uploaded'):,}").verdict is Verdict.SUPPORTED
    wrong = check("Some 2,000,000 records had been uploaded.")
    assert row(wrong, "2,000,000").verdict is Verdict.UNCHECKED and "could be" in row(wrong, "2,000,000").note


# ---------------------------------------------------------------------------------------------
# Relations: bounds, shares, ranks, changes, "some areas"


def test_bounds_and_shares_are_checked_as_printed():
    share = value("E", "share_declined")
    report = check(f"More than one in {words.number_words(words.one_in(share) + 1)} invited practices declined, "
                   f"or {words.percent(share)}.")
    assert [n.verdict for n in report.numbers] == [Verdict.SUPPORTED, Verdict.SUPPORTED]
    wrong = check(f"Fewer than {words.percent(share / 2)} of invited practices declined.")
    assert wrong.numbers[0].verdict is Verdict.CONTRADICTED and "is not below" in wrong.numbers[0].difference_text


@pytest.mark.parametrize("sentence, expect", [
    ("NHS Newcastle had the highest share of practices declining of any trust.", Verdict.SUPPORTED),
    ("NHS Newcastle had the second-highest share of practices declining.", Verdict.CONTRADICTED),
    ("NHS Dorset had the second-highest share of practices declining in England.", Verdict.SUPPORTED),
    ("NHS Oldham spent the most of any PCT.", Verdict.SUPPORTED),
    ("NHS Oldham had the lowest share of practices declining of any area.", Verdict.SUPPORTED),
])
def test_ranks_are_computed_from_the_areas_facts(sentence, expect):
    shares = sorted((f for f in BASE.for_measure("share_declined") if f.subject != "E"), key=lambda f: -f.value)
    assert [f.subject for f in shares[:2]] == ["5D7", "5QM"] and shares[-1].subject == "5J5"  # the table's premise
    found = check(sentence).numbers[0]
    assert (found.relation, found.verdict) == ("rank", expect), found


def test_a_rank_of_illustrative_figures_says_so():
    found = check("NHS Oldham spent the most of any PCT.").numbers[0]
    assert found.illustrative


@pytest.mark.parametrize("sentence", ["Refusals rose by 12 on last year.", "A further 12 practices declined.",
                                      "That is 3 more than last year."])
def test_a_change_is_unchecked(sentence):
    assert all(n.verdict is Verdict.UNCHECKED for n in check("NHS Dorset acted first. " + sentence).numbers)


def test_a_figure_said_of_some_areas_holds_when_one_area_has_it():
    top = max(f.value for f in BASE.for_measure("share_declined") if f.subject != "E")
    right = check(f"In some areas as many as {words.percent(top)} of practices refused.")
    wrong = check(f"In some areas as many as {words.percent(min(top + 0.2, 0.99))} of practices refused.")
    assert row(right, words.percent(top)).verdict is Verdict.SUPPORTED
    assert wrong.contradicted


# ---------------------------------------------------------------------------------------------
# Ordinary numbers


@pytest.mark.parametrize("sentence", [
    "Call NHS 111 or dial 999.", "See Section 43 of the Act.", "Ring 020 7946 0000 or 0845 4647.",
    "Dr Jane Smith, 52, has been a GP for 21 years.", "The board meets at 10am on 3 June 2010.",
    "The 58-year-old has practised for three decades.", "The surgery is at 12 High Street.",
    "It took ten minutes, 24/7.", "Figures per 1,000 people are rising.",
])
def test_ordinary_numbers_are_listed_apart_not_checked(sentence):
    report = check("NHS Dorset acted first.", sentence)
    assert report.numbers == [] and report.ordinary, (report.numbers, report.ordinary)


# ---------------------------------------------------------------------------------------------
# Where each number is: text and .docx, and the JSON


def test_text_output_gives_paragraph_and_line(tmp_path):
    path = tmp_path / "draft.md"
    declined = value("5QM", "practices_declined")
    path.write_text(f"# Dorset\n\nNHS Dorset acted first,\nand {declined} practices\ndeclined.\n", encoding="utf-8")
    result = invoke("draft", path, write_run(tmp_path))
    assert result.exit_code == 0, result.output
    assert f'"{declined}" (exact), paragraph 2, line 4:' in result.stdout


def test_json_gives_the_schema_run_round_and_each_numbers_span(tmp_path):
    path = tmp_path / "draft.txt"
    declined = value("5QM", "practices_declined")
    text = f"NHS Dorset said {declined + 1} practices declined.\n\nCall NHS 111.\n"
    path.write_text(text, encoding="utf-8")
    run = write_run(tmp_path)
    result = invoke("draft", path, run, "--json")
    body = json.loads(result.stdout)
    assert result.exit_code == 1
    assert body["schema_version"] == draft.SCHEMA_VERSION and body["round"] == "test" and body["run_folder"]
    (number,) = body["numbers"]
    read = "\n\n".join(p["text"] for p in body["paragraphs"])
    assert read[slice(*number["text_span"])] == str(declined + 1) == number["printed"]
    assert number["verdict"] == "contradicted" and number["subject"] == "5QM" and number["line"] == 1
    assert [o["printed"] for o in body["ordinary"]] == ["NHS 111"]


def test_a_docx_says_which_numbers_are_in_a_heading_table_caption_footnote_and_text_box(tmp_path):
    path = tmp_path / "story.docx"
    declined, invited = value("5QM", "practices_declined"), value("5QM", "practices_invited")
    draft_corpus.write_docx([("heading", f"NHS Dorset: {declined} practices say no"),
                             ("text", "NHS Dorset acted first."),
                             ("table", "Area|Practices invited"), ("table", f"NHS Dorset|{invited}"),
                             ("caption", f"Practices invited in NHS Dorset: {invited}"),
                             ("footnote", f"NHS Dorset: {declined} practices declined.")], path)
    report = draft.check_draft(path, BASE)
    assert [(n.where, n.verdict) for n in report.numbers] == [
        ("heading", Verdict.SUPPORTED), ("table", Verdict.SUPPORTED), ("caption", Verdict.SUPPORTED),
        ("footnote", Verdict.SUPPORTED)]
    assert "(table)" in draft.table_text(report) and "(footnote)" in draft.table_text(report)


def test_a_docx_text_box_is_read_once_and_named(tmp_path):
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph("NHS Dorset acted first.")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    box = f'<w:p xmlns:w="{w}"><w:r><w:t>It invited {value("5QM", "practices_invited")} practices</w:t></w:r></w:p>'
    paragraph._p.append(parse_xml(
        f'<w:r xmlns:w="{w}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        f'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        f'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback>'
        f'<w:pict><v:shape><v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></v:shape></w:pict>'
        f'</mc:Fallback></mc:AlternateContent></w:r>'))
    path = tmp_path / "box.docx"
    document.save(path)
    report = draft.check_draft(path, BASE)
    assert [(n.where, n.verdict) for n in report.numbers] == [("text box", Verdict.SUPPORTED)]


@pytest.mark.parametrize("name, content, message", [
    ("draft.docx", b"not a zip", "not a readable .docx file"),
    ("draft.txt", "£190,000".encode("cp1252"), "not UTF-8 text"),
    ("draft.txt", b"286 practices\x00\x01\x02", "a binary file, not text"),
    ("draft.pdf", b"%PDF-1.4\n\xe2\xe3\xcf\xd3\n", "give a .txt, .md or .docx draft"),
])
def test_a_draft_that_cannot_be_read_is_one_line_and_exit_2(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = invoke("draft", path, write_run(tmp_path))
    assert result.exit_code == 2 and message in result.stderr and str(path) in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content, message", [(None, "no readable fact file"), ("a,b\n1,2\n", "no column round"),
                                              (",".join(facts.COLUMNS) + "\n", "holds no facts")])
def test_a_folder_that_is_not_a_run_is_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "draft.txt"
    path.write_text("286 practices declined.", encoding="utf-8")
    run = tmp_path / "run"
    run.mkdir()
    if content is not None:
        (run / "facts.csv").write_text(content, encoding="utf-8")
    result = invoke("draft", path, run)
    assert result.exit_code == 2 and message in result.stderr, result.output
    assert result.stdout == "" and "Traceback" not in result.output


def test_a_correct_draft_exits_0_and_a_missing_draft_exits_2(tmp_path):
    path = tmp_path / "draft.md"
    path.write_text(f"NHS Dorset invited {value('5QM', 'practices_invited')} practices in March 2010.\n",
                    encoding="utf-8")
    assert invoke("draft", path, write_run(tmp_path)).exit_code == 0
    assert invoke("draft", tmp_path / "missing.md", tmp_path).exit_code == 2


def test_scr_draft_help_has_an_example_that_names_an_example_draft():
    result = invoke("draft", "--help")
    example = re.search(r"scr draft (\S+) ", result.output)
    assert example and (paths.PROJ_ROOT / example.group(1)).is_file()


# ---------------------------------------------------------------------------------------------
# Acceptance: the corpus of drafts, on real runs (the bundled data, and a journalist's own)


def _score(run) -> dict:
    base = draft.load_facts(run)
    results = []
    stories = {**draft_corpus.drafts(base)}
    for name, paragraphs in stories.items():
        text, expected = draft_corpus.render(paragraphs, base)
        path = run.parent / f"{run.name}-{name}.md"
        path.write_text("\n\n".join(text) + "\n", encoding="utf-8")
        report = draft.check_draft(path, base)
        results.append((name, draft_corpus.match(report, expected), report))
    pairs = draft_corpus.docx_story(base)
    text, expected = draft_corpus.render([t for _, t in pairs], base)
    path = run.parent / f"{run.name}-story.docx"
    draft_corpus.write_docx([(w, t) for (w, _), t in zip(pairs, text)], path)
    report = draft.check_draft(path, base)
    results.append(("docx", draft_corpus.match(report, expected), report))
    return {"results": results}


@pytest.mark.slow
@pytest.mark.parametrize("run", ["story_run", "own_run"])
def test_the_corpus_has_no_false_alarm_and_catches_the_planted_errors(run, request):
    scored = _score(request.getfixturevalue(run))
    planted = right = total = caught = 0
    false_alarms = []
    for name, pairs, report in scored["results"]:
        matched = {id(r) for _, r in pairs if r is not None}
        false_alarms += [(name, n.printed, n.fact_text) for n in report.numbers
                         if n.verdict is Verdict.CONTRADICTED and id(n) not in matched]
        for want, got in pairs:
            verdict = draft_corpus.verdict_of(got)
            total += 1
            if want.expect == "contradicted":
                planted += 1
                caught += verdict == "contradicted" and (got.subject, got.measure) == (want.subject, want.measure)
            elif verdict == "contradicted":
                false_alarms.append((name, want.text, got.fact_text))
            right += verdict == want.expect and (want.expect != "contradicted"
                                                 or (got.subject, got.measure) == (want.subject, want.measure))
        if not any(w.expect == "contradicted" for w, _ in pairs):
            assert not report.contradicted, name  # a correct draft: exit 0
    assert false_alarms == []
    assert planted >= 10 and caught >= 0.9 * planted, (caught, planted)
    assert right >= 0.9 * total, (right, total)


@pytest.mark.slow
def test_the_example_draft_is_supported_but_for_its_context_figures(story_run):
    report = draft.check_draft(EXAMPLES / "draft_pulse_2010.md", draft.load_facts(story_run))
    assert not report.contradicted
    unchecked = [n for n in report.numbers if n.verdict is Verdict.UNCHECKED]
    assert unchecked and all(n.note.startswith("context: not checkable") for n in unchecked), unchecked


def _number(checked):
    from scr_lib.story import numbers

    return next(n for n in numbers.find(checked.sentence) if n.text == checked.printed)




@pytest.mark.slow
def test_the_2010_draft_on_the_follow_up_run_contradicts_only_figures_that_changed(story_run, followup_run):
    then, now = draft.load_facts(story_run), draft.load_facts(followup_run)
    report = draft.check_draft(EXAMPLES / "draft_pulse_2010.md", now)
    for n in report.numbers:
        if n.verdict is Verdict.CONTRADICTED and n.relation == "some areas":  # true of some area then, of none now
            assert any(draft._holds(_number(n), f.value, f.unit) for f in then.for_measure(n.measure)
                       if f.subject != "E"), n
        elif n.verdict is Verdict.CONTRADICTED:
            before = then.get(n.subject, n.measure)
            assert before is not None and before.value != n.fact, n
    assert report.contradicted
    follow = draft.check_draft(EXAMPLES / "draft_followup_2011.md", now)
    assert not follow.contradicted, [n for n in follow.numbers if n.verdict is Verdict.CONTRADICTED]


@pytest.mark.slow
def test_the_scr_draft_excerpt_in_the_docs_is_what_it_prints(followup_run):
    text = (paths.PROJ_ROOT / "docs" / "rerunning.md").read_text(encoding="utf-8")
    excerpt = text[text.rindex("$ .venv/bin/scr draft"):].split("```")[0].splitlines()[2:]
    shown = [line for line in excerpt if line.strip() and line.strip() != "..."]
    printed = draft.table_text(draft.check_draft(EXAMPLES / "draft_pulse_2010.md", draft.load_facts(followup_run)))
    assert len(shown) >= 4 and all(line in printed.splitlines() for line in shown), shown


def test_a_markdown_tables_column_headings_say_what_its_numbers_count(tmp_path):
    rows = [(code, BASE.subjects()[code]) for code in ("5QM", "5D7")]
    lines = ["| Area | Invited | Declined |", "|---|---|---|"]
    for code, name in rows:
        wrong = 2 if code == "5D7" else 0  # one planted error
        lines.append(f"| {name} | {value(code, 'practices_invited')} | {value(code, 'practices_declined') + wrong} |")
    lines.append(f"| England | {value('E', 'practices_invited'):,} | {value('E', 'practices_declined')} |")
    path = tmp_path / "table.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = draft.check_draft(path, BASE)
    got = [(n.subject, n.measure, n.verdict) for n in report.numbers]
    assert got == [("5QM", "practices_invited", Verdict.SUPPORTED), ("5QM", "practices_declined", Verdict.SUPPORTED),
                   ("5D7", "practices_invited", Verdict.SUPPORTED), ("5D7", "practices_declined", Verdict.CONTRADICTED),
                   ("E", "practices_invited", Verdict.SUPPORTED), ("E", "practices_declined", Verdict.SUPPORTED)]
    assert {n.where for n in report.numbers} == {"table"} and [n.line for n in report.numbers][::2] == [3, 4, 5]


@pytest.mark.parametrize("paragraphs, printed, subject", [
    (["Torbay Care Trust has put its plans on hold.",
      "The PCTs that gave figures had spent {total} between them."], "{total}", "E"),
    (["NHS Dorset acted first.", "Across those areas, nearly {near} practices had said no."], "nearly {near}", "E"),
])
def test_the_areas_together_are_englands_and_a_hedged_round_number_is_as_precise_as_its_digits(paragraphs, printed,
                                                                                               subject):
    values = {"total": words.pounds(value("E", "spend_to_date_gbp")),
              "near": int(words.round_half_up(value("E", "practices_declined"), -2))}
    found = row(check(*[p.format(**values) for p in paragraphs]), printed.format(**values))
    assert (found.verdict, found.subject) == (Verdict.SUPPORTED, subject), found


# ---------------------------------------------------------------------------------------------
# Issue 24: the sentences of an area's story kit, and a reporter's own versions of them


def _fill(text: str) -> str:
    """``{5QM.spend_to_date_gbp}`` as the fact base's value, written as a story prints it."""
    def shown(m):
        fact = BASE.get(m.group(1), m.group(2))
        return words.pounds(fact.value) if fact.unit == "pounds" else words.percent(fact.value) \
            if fact.unit == "share" else f"{fact.value:,}"
    return re.sub(r"\{(\w+)\.(\w+)\}", shown, text)


@pytest.mark.parametrize("paragraphs, printed", [
    (["One PCT had invited 40 practices, of which 20 declined."], "40"),
    (["One PCT had invited 40 practices, of which 20 declined."], "20"),
    (["NHS Dorset spent {5QM.spend_to_date_gbp}. A neighbouring trust spent £25,000."], "£25,000"),
    (["NHS Dorset spent {5QM.spend_to_date_gbp}. One other trust spent £25,000."], "£25,000"),
    (["NHS Dorset spent {5QM.spend_to_date_gbp}. Another PCT had spent £25,000. It expected to spend £10,000 more."],
     "£10,000"),
    (["Unlike NHS Dorset, a neighbouring trust spent £25,000."], "£25,000"),
    (["NHS Dorset spent {5QM.spend_to_date_gbp}. Its neighbour spent £25,000."], "£25,000"),
])
def test_a_figure_of_an_area_the_draft_does_not_name_is_unchecked_never_englands_or_the_last_named(paragraphs,
                                                                                                  printed):
    found = row(check(*[_fill(p) for p in paragraphs]), printed)
    assert found.verdict is Verdict.UNCHECKED and "does not name" in found.note, found


@pytest.mark.parametrize("paragraphs, printed, subject", [
    (["A neighbouring trust, NHS Peterborough, spent {5PN.spend_to_date_gbp}."], "{5PN.spend_to_date_gbp}", "5PN"),
    (["NHS Dorset invited {5QM.practices_invited} practices. A trust spokesman said it had spent "
      "{5QM.spend_to_date_gbp}."], "{5QM.spend_to_date_gbp}", "5QM"),
    (["One PCT acted first.", "NHS Dorset had spent {5QM.spend_to_date_gbp}."], "{5QM.spend_to_date_gbp}", "5QM"),
    (["One PCT had invited 40 practices, against {E.practices_invited} nationally."], "{E.practices_invited}", "E"),
    (["NHS Dorset's share is high for an area of its size: {5QM.share_declined}."], "{5QM.share_declined}", "5QM"),
])
def test_an_area_named_or_the_nation_still_wins_over_an_unnamed_one(paragraphs, printed, subject):
    found = row(check(*[_fill(p) for p in paragraphs]), _fill(printed))
    assert (found.verdict, found.subject) == (Verdict.SUPPORTED, subject), found


@pytest.mark.parametrize("paragraphs, verdict", [
    (["NHS Newcastle had spent nothing on the rollout."], Verdict.SUPPORTED),
    (["NHS Dorset had spent nothing on the rollout."], Verdict.CONTRADICTED),
    (["NHS Dorset acted first. It was spending nothing."], Verdict.CONTRADICTED),
    (["Thirty-seven PCTs had spent nothing."], Verdict.SUPPORTED),  # true of the areas that spent nothing
    (["Nationally, {E.pcts_spent_nothing} PCTs spent nothing."], Verdict.SUPPORTED),
])
def test_spent_nothing_is_nil_spend_checked_for_one_area_never_against_englands_total(paragraphs, verdict):
    found = row(check(*[_fill(p) for p in paragraphs]), "nothing")
    assert found.verdict is verdict and found.kind == "money", found


@pytest.mark.parametrize("paragraphs, printed, verdict", [
    (["NHS Dorset had spent {5QM.spend_to_date_gbp} and planned to spend an extra {5QM.spend_expected_gbp}."],
     "{5QM.spend_expected_gbp}", Verdict.SUPPORTED),
    (["NHS Dorset had spent {5QM.spend_to_date_gbp} and planned to spend an extra £60,000."], "£60,000",
     Verdict.CONTRADICTED),
    (["NHS Dorset is planning to spend {5QM.spend_expected_gbp}."], "{5QM.spend_expected_gbp}", Verdict.SUPPORTED),
])
def test_an_extra_or_planned_spend_is_the_further_spend_expected(paragraphs, printed, verdict):
    found = row(check(*[_fill(p) for p in paragraphs]), _fill(printed))
    assert (found.verdict, found.measure) == (verdict, "spend_expected_gbp"), found


@pytest.mark.parametrize("second, verdict", [
    ("That compares with {E.share_declined} nationally.", Verdict.SUPPORTED),
    ("The national figure was {E.share_declined}.", Verdict.SUPPORTED),
    ("Across England the rate was {E.share_declined}.", Verdict.SUPPORTED),
    ("The national figure was 12%.", Verdict.UNCHECKED),  # read from the sentence before: never contradicted
])
def test_a_national_share_after_an_areas_declined_of_invited_is_englands_share_declined(second, verdict):
    first = "NHS Dorset: {5QM.practices_declined} of its {5QM.practices_invited} invited practices declined."
    report = check(_fill(first + " " + second))
    found = report.numbers[-1]
    assert (found.verdict, found.subject if verdict is Verdict.SUPPORTED else "E") == (verdict, "E"), found
    assert found.verdict is not Verdict.SUPPORTED or found.measure == "share_declined", found


def test_spent_nothing_said_of_pcts_together_is_never_contradicted_when_no_area_spent_nothing():
    base = FactBase([f for f in BASE if not (f.measure == "spend_to_date_gbp" and f.value == 0)])
    assert not any(f.value == 0 for f in base.for_measure("spend_to_date_gbp"))  # the premise
    found = row(draft.check_paragraphs(["Thirty-seven PCTs had spent nothing."], base), "nothing")
    assert found.verdict is Verdict.UNCHECKED, found


@pytest.mark.parametrize("count, verdict", [("{E.pcts_spent_nothing}", Verdict.SUPPORTED),
                                            ("40", Verdict.CONTRADICTED)])
def test_a_count_of_pcts_that_spent_nothing_keeps_its_words_though_nothing_is_a_number(count, verdict):
    found = row(check(_fill(f"Overall {count} PCTs said they had spent nothing.")), _fill(count))
    assert (found.verdict, found.measure) == (verdict, "pcts_spent_nothing"), found


@pytest.mark.slow
def test_a_national_total_resting_on_generated_values_is_said_to_be_illustrative(story_run):
    """The bundled run's total spend of the PCTs that gave a figure is a sum of generated values that Pulse
    never printed: a draft that states it is told so, not simply supported. Pulse's own total is not."""
    base = draft.load_facts(story_run)
    spent, declined = base.get("E", "spend_to_date_gbp"), base.get("E", "practices_declined")
    report = draft.check_paragraphs([f"Together the PCTs that gave a figure had spent {words.pounds(spent.value)} on "
                                     f"the rollout, and {words.count(declined.value)} practices declined."], base)
    total, pulse = row(report, words.pounds(spent.value)), row(report, words.count(declined.value))
    assert total.verdict is Verdict.SUPPORTED and total.illustrative
    assert pulse.verdict is Verdict.SUPPORTED and not pulse.illustrative
