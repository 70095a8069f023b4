"""The story pages as a reader meets them: story first, method after, every sentence true for the data.

Two real `scr run` builds: the bundled run (partly illustrative FOI returns, ``params/pulse_2010.yaml``)
and a journalist's own run (the same returns with nothing marked illustrative, under another params
file). Each statement that depends on the data is checked on both: it appears where it is true, beside
the values it is about, and nowhere else. Escaping, downloads and determinism are in tests/test_site.py;
what a browser makes of the pages is in tests/test_browser.py.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from scr_lib import findings, paths, words
from scr_lib.runner import run
from scr_lib.story.results import value
from scr_lib.verdict import Verdict

STEMS = [nb.stem for nb in run.notebooks()]
SECTIONS = ["story-lead", "story-chart", "story-shows", "story-caveats", "story-claims", "story-method"]


def pages(run_dir: Path) -> dict[str, BeautifulSoup]:
    return {p.stem: BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser")
            for p in sorted((run_dir / "site").glob("*.html"))}


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


# own_run (conftest): a journalist's own run, nothing in its file marked illustrative.


# --- Story first ----------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_a_story_page_leads_with_the_story_then_the_method(story_run, stem):
    page = pages(story_run)[stem]
    main = page.find("main")
    order = [s["class"][0] for s in main.find_all("section", recursive=False)
             if s.get("class") and s["class"][0].startswith("story-")]
    finding = findings.by_notebook(stem)
    assert order == [s for s in SECTIONS if (s != "story-chart" or finding.charts)
                     and (s != "story-claims" or finding.claimed)]
    lead = main.select_one("section.story-lead")
    assert lead.select_one("p.story-headline") and text(lead.select_one("p.story-headline"))
    figures = lead.select("dl.key-figures > div.key-figure")
    assert 2 <= len(figures) <= 4
    for figure in figures:
        assert figure.find("dt") and text(figure.find("dt")) and figure.find("dd") and text(figure.find("dd"))
    assert bool(main.select("section.story-chart figure.chart")) is bool(finding.charts)


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_the_claims_check_appears_once_and_no_results_dump(story_run, stem):
    page = pages(story_run)[stem]
    claims = page.select("table.claims")
    keys = re.compile(rf"\b(?:{'|'.join(findings.IDS)})\.[a-z_]+\b")
    for section in page.select("main > section[class^=story-]:not(.story-method)"):  # no results key in the story
        assert not keys.search(text(section)), section["class"]  # (the method's tables are publication tables)
    if not findings.by_notebook(stem).claimed:  # the articles printed nothing about it: no check to show
        assert claims == [] and not page.select("section.story-claims")
        return
    assert len(claims) == 1 and claims[0].find_parent("section", class_="story-claims")
    quotes = [row["claim"] for row in json.loads((story_run / f"{stem}.results.json").read_text())["page"]["claims"]]
    whole = str(page)
    assert quotes and all(whole.count(f"“{q}”") == quotes.count(q) for q in quotes)


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_code_is_in_closed_details_in_how_we_did_it_and_nothing_outside_landmarks(story_run, stem):
    page = pages(story_run)[stem]
    assert not page.select("input#show-code") and "Show the code" not in str(page)
    method = page.select_one("section.story-method")
    assert method.find(["h2"]) and text(method.find("h2")) == "How we did it"
    assert method.select_one(f'a[href="methods.html#{stem}"]')  # the steps are on the methods page
    assert not page.select("details.code, .highlight")  # a story page shows no code
    steps = pages(story_run)["methods"].find("section", id=stem)
    blocks = steps.select("details.code")
    assert blocks and not [b for b in blocks if b.has_attr("open")] and all(b.find("summary") for b in blocks)
    assert not steps.select(".highlight:not(details.code .highlight)")  # all code is inside a details
    for name in (stem, "methods"):
        for child in pages(story_run)[name].find("body").find_all(recursive=False):
            assert child.name in ("header", "nav", "main", "footer"), child.name


DEVELOPER_WORDS = ["scr_lib", "load_returns", "mark_complete", "Every knob", "read_money", "mark_reported",
                   "resolve_inputs", "implied_rate", "ooh.per_week", "results.json", "next cell", "tools.synth",
                   "this notebook"]


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_text_for_developers_stays_in_the_notebook(story_run, stem):
    page = pages(story_run)[stem]
    for block in page.select("details.code"):
        block.decompose()
    shown = text(page.find("main"))
    assert [w for w in DEVELOPER_WORDS if w.lower() in shown.lower()] == []


# --- Key figures ----------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_key_figures_are_the_declared_ones_from_results_with_illustrative_ones_marked(story_run, stem):
    results = json.loads((story_run / f"{stem}.results.json").read_text())["results"]
    declared = [f for finding in findings.FINDINGS if finding.notebook == stem for f in finding.figures]
    assert 2 <= len(declared) <= 4
    shown = pages(story_run)[stem].select("dl.key-figures > div.key-figure")
    assert [text(f.find("dt")) for f in shown] == [f.label for f in declared]
    for figure, node in zip(declared, shown):
        entry = results[figure.key]
        mark = node.find("dd").select("span.illustrative-mark")
        assert text(node.find("dd")).startswith(figure.show(entry["value"]))
        assert bool(mark) is bool(entry.get("illustrative")), figure.key


def test_a_key_figure_missing_from_the_results_is_not_shown():
    finding = findings.by_id("spend")
    assert finding.figures_from({}) == []


# --- Every sentence true for the data -------------------------------------------------------------

def _has(page: BeautifulSoup, pattern: str) -> bool:
    return re.search(pattern, text(page), re.IGNORECASE) is not None


STATEMENTS = {  # statement: the pattern that finds it on a page
    "generated values": r"\bgenerated\b",
    "grey bars": r"\bgrey bars?\b",
    "illustrative mark": None,  # span.illustrative-mark
    "default params file": r"pulse_2010\.yaml",
    "illustrative banner": None,  # aside.banner-illustrative
}


def _statement(page: BeautifulSoup, name: str) -> bool:
    if name == "illustrative mark":
        return bool(page.select("span.illustrative-mark"))
    if name == "illustrative banner":
        return bool(page.select(".banner-illustrative"))
    return _has(page, STATEMENTS[name])


@pytest.mark.slow
@pytest.mark.parametrize("name", STATEMENTS)
def test_no_sentence_about_illustrative_data_or_the_default_params_on_a_run_without_them(own_run, name):
    for stem, page in pages(own_run).items():
        for code in page.select("details.code"):  # the methods page's code may name the machinery
            code.decompose()
        assert not _statement(page, name), (stem, name)


FOI_STEMS = [s for s in STEMS if s.startswith(("01", "02"))]


@pytest.mark.slow
@pytest.mark.parametrize("name, where", [
    ("generated values", FOI_STEMS + ["index"]),
    ("grey bars", FOI_STEMS),
    ("illustrative mark", [STEMS[0]]),
    ("default params file", ["methods"]),
    ("illustrative banner", FOI_STEMS + ["index"]),
])
def test_the_same_sentences_are_there_on_the_bundled_illustrative_run(story_run, name, where):
    found = pages(story_run)
    for stem in where:
        assert _statement(found[stem], name), (stem, name)


@pytest.mark.slow
@pytest.mark.parametrize("run, generated", [("story_run", False), ("followup_run", True)])
def test_a_findings_title_is_marked_only_when_a_figure_it_states_was_generated(request, run, generated):
    """On the bundled run the titles state Pulse's published figures ("one in six") and NHS Dorset's received
    ones: no mark, though the file holds generated values. On the wholly generated 2011 example: marked."""
    found = pages(request.getfixturevalue(run))
    for stem in FOI_STEMS:
        assert bool(found[stem].find("h1").select("span.illustrative-mark")) is generated, stem


@pytest.mark.slow
def test_grey_bars_are_named_beside_their_chart_and_the_mark_beside_its_value(story_run):
    for stem in FOI_STEMS:
        chart = pages(story_run)[stem].select_one("section.story-chart")
        assert _has(chart, r"\bgrey bars?\b"), stem
    for mark in pages(story_run)[STEMS[0]].select("span.illustrative-mark"):
        assert mark.find_parent("dd") or mark.find_parent("td") or mark.find_parent("h1"), mark


@pytest.mark.slow
def test_a_run_without_illustrative_values_says_nothing_of_them_and_names_its_source_in_words(own_run):
    answered = json.loads((own_run / "inputs.json").read_text())["foi_returns"]["rows"]
    for stem in FOI_STEMS:
        page = pages(own_run)[stem]
        assert not _has(page, r"illustrative"), stem
        source = text(page.select_one("section.story-lead .key-figures-source"))
        assert source.startswith(f"From the answers of {answered:,} PCTs to a Freedom of Information request")
        assert "returns.csv" not in text(page.find("main")) and not _has(page, r"own\.yaml"), stem
    assert _has(pages(own_run)["methods"], r"own\.yaml")


# --- Index ----------------------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("fixture", ["story_run", "own_run"])
def test_index_has_a_headline_and_counts_each_verdict_apart(request, fixture):
    run_dir = request.getfixturevalue(fixture)
    index = pages(run_dir)["index"]
    articles = index.select("article.headline")
    assert len(articles) == len(STEMS)
    for stem, article in zip(STEMS, articles):
        assert text(article.select_one(".story-headline"))
        if not findings.by_notebook(stem).claimed:  # no published figure to count
            assert not article.select(".headline-claims"), stem
            continue
        claims = json.loads((run_dir / f"{stem}.results.json").read_text())["page"]["claims"]
        verdicts = [Verdict(c["verdict"]) for c in claims]
        line = text(article.select_one(".headline-claims"))
        if fixture == "own_run":  # a run that names no round is not the article's: no verdict, a comparison
            assert f"printed {len(claims)} figures" in line and "hold" not in line, (stem, line)
            continue
        for verdict in (Verdict.HOLDS, Verdict.DOES_NOT_HOLD, Verdict.NOT_COMPUTED):
            assert verdict.of(verdicts.count(verdict)) in line, (stem, line)


def test_spend_headline_says_what_is_known_without_dorset():
    figures = {"spend.pcts_answered": 12, "spend.pcts_reporting": 9, "spend.pcts_reporting_zero": 2,
               "spend.total_to_date_gbp": 100000.0}
    line = findings.by_id("spend").headline_for(figures, {})
    assert line and "Dorset" not in line and "9" in line and "12" in line


def test_a_finding_with_no_figures_has_no_headline():
    for finding in findings.FINDINGS:
        assert finding.headline_for({}, {}) is None


@pytest.mark.slow
@pytest.mark.parametrize("stem", ["index"] + STEMS)
def test_no_page_is_wider_than_a_360px_screen(browser, story_run, stem):
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto((story_run / "site" / f"{stem}.html").resolve().as_uri())
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.close()
    assert width <= 360


@pytest.mark.slow
@pytest.mark.parametrize("stem", STEMS)
def test_headline_and_key_figures_fill_the_first_phone_screen(browser, story_run, stem):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto((story_run / "site" / f"{stem}.html").resolve().as_uri())
    bottom = page.evaluate("() => document.querySelector('.story-lead dl.key-figures')"
                           ".getBoundingClientRect().bottom")
    page.close()
    assert bottom <= 844


@pytest.mark.slow
def test_the_index_promises_charts_only_for_a_finding_that_draws_them(story_run):
    index = pages(story_run)["index"]
    for stem, article in zip(STEMS, index.select("article.headline")):
        promised = "with its charts" in text(article)
        assert promised is bool(findings.by_notebook(stem).charts), stem


# --- A re-run tells the news of its own round (issue 22) ------------------------------------------

OWN_HEADER = {"pct": "PCT name", "rollout_begun": "Rollout begun", "practices_invited": "No. of practices invited",
              "practices_declined": "Practices that declined", "practices_signed_up": "Practices signed up",
              "spend_to_date_gbp": "Spend to date (£)", "spend_expected_gbp": "Further spend expected (£)",
              "records_uploaded": "Records uploaded", "records_viewed": "Records viewed", "foi_ref": "FOI ref",
              "notes": "Comments"}


@pytest.fixture(scope="module")
def own_round(tmp_path_factory, story_run):
    """A journalist's own 2011 round: the bundled returns under the officer's own column names, nothing
    illustrative, NHS Dorset's spend and views moved, its own FOI references, and a params file that
    names its round and date and points previous_run at the bundled run (relative to the params file)."""
    import os

    from conftest import scr_run

    folder = tmp_path_factory.mktemp("round")
    with open(paths.FOI_2010, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for i, row in enumerate(rows, 1):
        row.update(illustrative="", notes="", foi_ref=f"FOI/2011/{i:03d}")
        if row["pct"] == "NHS Dorset":
            row.update(spend_to_date_gbp="214500", records_viewed="14")
    with open(folder / "answers_2011.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([OWN_HEADER[c] for c in OWN_HEADER])
        writer.writerows([[row[c] for c in OWN_HEADER] for row in rows])
    previous = os.path.relpath(story_run, folder)
    (folder / "round_2011.yaml").write_text(
        f"name: round_2011\nfoi_returns: answers_2011.csv\nround: 2011\nas_at: 2011-06-30\n"
        f"previous_run: {previous}\n", encoding="utf-8")
    return scr_run(folder / "round_2011.yaml", folder / "run")


RE_RUNS = ["followup_run", "own_round"]
SOURCE_FILES = {"followup_run": "foi_followup_2011.xlsx", "own_round": "answers_2011.csv"}
MACHINERY = [".ipynb", ".yaml", "scr run", "papermill", "build/"]


def reader_text(page: BeautifulSoup) -> str:
    """What a reader reads of a page: its body less closed code sections."""
    page = BeautifulSoup(str(page), "html.parser")
    for block in page.select("details"):
        block.decompose()
    return text(page.find("body"))


def _round(run_dir: Path) -> tuple[str, str]:
    from scr_lib.inputs import rounds

    recorded = rounds.read(run_dir)
    return recorded.label, recorded.as_at.words


@pytest.mark.slow
@pytest.mark.parametrize("fixture", RE_RUNS)
def test_a_re_run_leads_each_finding_with_then_and_now_dated(request, fixture, story_run):
    run_dir = request.getfixturevalue(fixture)
    then_label, _ = _round(story_run)
    _, as_at = _round(run_dir)
    found = pages(run_dir)
    for stem in STEMS:
        page = found[stem]
        lead = text(page.find("h1")) + " " + text(page.select_one("#story-headline"))
        assert re.search(rf"\bfrom .* in {then_label}\b|\bas in {then_label}\b", lead), (stem, lead)
        assert as_at in text(page.select_one(".dateline")), stem
    index = found["index"]
    assert then_label in text(index.select_one("p.lead")) and as_at in text(index.select_one(".dateline"))
    assert "rebuilt from the data" not in text(index.select_one(".standfirst"))


@pytest.mark.slow
@pytest.mark.parametrize("fixture", RE_RUNS)
def test_the_area_pages_show_no_machinery_either(request, fixture):
    """Find your area and every area page: the source is named in words, never by its file or a command."""
    run_dir = request.getfixturevalue(fixture)
    found = sorted((run_dir / "site" / "areas").glob("*.html"))
    assert len(found) > 1
    for path in found:
        shown = reader_text(BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser"))
        for word in MACHINERY + [SOURCE_FILES[fixture]]:
            assert word not in shown, (path.name, word)


@pytest.mark.slow
@pytest.mark.parametrize("fixture", RE_RUNS)
def test_a_re_run_never_judges_the_article_and_shows_no_machinery(request, fixture):
    run_dir = request.getfixturevalue(fixture)
    for stem, page in pages(run_dir).items():
        shown = reader_text(page)
        assert "does not hold" not in shown and "early adopter" not in shown, stem
        if stem == "methods":
            continue
        for word in MACHINERY + [SOURCE_FILES[fixture]]:
            assert word not in shown, (stem, word)
    from scr_lib.story import claims as ledger

    central = words.pounds_millions(ledger.published("spend.central_funding_gbp"))
    shows = text(pages(run_dir)["02-spend"].select_one("section.story-shows"))
    assert central not in shows and "not set beside it" in shows  # 2010's funding is not this round's


@pytest.mark.slow
def test_a_journalists_own_round_says_nothing_of_illustrative_values_on_any_page_or_download(own_round):
    for stem, page in pages(own_round).items():
        assert "illustrative" not in reader_text(page).lower(), stem
    for table in (own_round / "site" / "tables").glob("*.csv"):
        assert "illustrative" not in table.read_text(encoding="utf-8-sig").lower(), table.name


@pytest.mark.slow
def test_the_own_round_tells_dorsets_spend_as_a_change_and_names_its_foi_references(own_round, story_run):
    then = json.loads((story_run / "results.json").read_text())["spend.dorset_to_date_gbp"]["value"]
    now = json.loads((own_round / "results.json").read_text())["spend.dorset_to_date_gbp"]["value"]
    heading = text(pages(own_round)["02-spend"].find("h1"))
    assert heading == (f"NHS Dorset's spend on the rollout {'rose' if now > then else 'fell'} to "
                       f"{words.pounds(now)}, from {words.pounds(then)} in {_round(story_run)[0]}")
    source = text(pages(own_round)["01-refusal-share"].select_one(".key-figures-source"))
    assert "the 2011 round" in source and "30 June 2011" in source and "FOI/2011/001 to FOI/2011/" in source


@pytest.mark.slow
def test_what_changed_lists_every_national_measure_both_rounds_have(own_round, story_run):
    from scr_lib.story import facts

    now, then = facts.FactBase.load(own_round), facts.FactBase.load(story_run)
    both = [f for f in now if f.subject == facts.ENGLAND and then.get(f.subject, f.measure)
            and not then.get(f.subject, f.measure).illustrative]  # a generated "then" tells no change
    rows = pages(own_round)["index"].select("table.changes tbody tr")
    assert len(rows) == len(both)


@pytest.mark.slow
def test_the_bundled_run_judges_the_article_and_names_no_earlier_round(story_run):
    index = pages(story_run)["index"]
    assert "rebuilt from the data" in text(index.select_one(".standfirst"))
    assert not index.select("table.changes") and "compared with" not in text(index.select_one(".dateline"))
    assert [th.get_text() for th in index.select("table.claims thead th")][-1] == "Verdict"
    for stem in STEMS:
        assert not re.search(r"\b(up|down) from\b", text(pages(story_run)[stem].find("h1"))), stem


@pytest.mark.slow
def test_the_refusal_chart_on_the_bundled_run_names_no_pct_whose_figures_were_generated(story_run):
    import csv as _csv

    with open(story_run / "tables" / "refusal_by_pct.csv", newline="", encoding="utf-8") as handle:
        rows = list(_csv.DictReader(handle))
    made_up = {r["pct_name"] for r in rows if r["illustrative"] == "True"}
    chart = pages(story_run)["01-refusal-share"].select_one("section.story-chart")
    labels = [t.get_text() for t in chart.select("svg text")]
    assert made_up and not [name for name in made_up if any(name in label for label in labels)]
    assert any("illustrative" in label for label in labels)


def test_one_claim_is_told_in_the_singular():
    from scr_lib import site

    page = site.Page(stem="x", href="x.html", title="x", findings=[],
                     claims=[{"verdict": "holds"}, {"verdict": "does not hold"}, {"verdict": "does not hold"}])
    told = [words for _, words in page.verdict_counts]
    assert told[:2] == ["1 holds", "2 do not hold"]


@pytest.mark.slow
def test_no_download_names_a_pct_beside_figures_generated_for_it(story_run):
    """The by-area downloads of the story pages name a generated row "Area N, illustrative", as the charts do:
    no ODS code of a wholly generated FOI row appears, and the refusal table names no PCT whose counts of
    practices were generated (Dorset's among them). Dorset's spend, which Pulse published, keeps its name."""
    from scr_lib.inputs import foi

    frame = foi.load_returns(paths.FOI_2010).frame
    marks = {r["ods_code"]: set(str(r["illustrative"] or "").split(";")) for r in frame.to_dict("records")}
    generated = {code for code, listed in marks.items() if "*" in listed}
    counts_made_up = {code for code, listed in marks.items() if listed & {"*", "practices_invited", "practices_declined"}}
    assert generated and "5QM" in counts_made_up
    read = {}
    for path in sorted((story_run / "site" / "tables").glob("*_by_pct.csv")) + sorted(
            (story_run / "site" / "tables").glob("*_per_record.csv")):
        read[path.stem] = list(csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines()))
        codes = {row.get("ODS code") for row in read[path.stem]}
        assert not codes & generated, path.name
        assert any(row["PCT"].endswith(", illustrative") for row in read[path.stem]), path.name
    assert not {row["ODS code"] for row in read["refusal_by_pct"]} & counts_made_up
    assert any(row["ODS code"] == "5QM" and row["PCT"] == "Dorset" for row in read["spend_by_pct"])
