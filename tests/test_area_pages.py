"""The area pages (issue 15): a page per PCT at site/areas/<ODS code>.html and "Find your area".

Built from a real `scr run` (the session's ``story_run``, as `make story` does): a page for every PCT, each linked
from the areas list; each figure on a page equals the figure computed from its FOI row, with the
illustrative mark beside exactly the illustrative ones; notebook 04 run by papermill for an area says
what its page says; the pages in Chromium (headline first, no overflow, axe, offline, the filter box);
the follow-up example builds its area pages; a file with no illustrative values has no "illustrative"
word on any area page. Escaping and determinism on a crafted areas.json.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest
from bs4 import BeautifulSoup

from conftest import SCREENS, XSS, axe_version, axe_violations, describe_violations
from scr_lib import paths, site, words
from scr_lib.findings import load_params
from scr_lib.findings.arithmetic import refusal
from scr_lib.inputs import foi
from scr_lib.inputs.foi import illustrative_mask
from scr_lib.runner.run import KERNEL
from scr_lib.site import area_pages

FIGURES = ["rollout_begun", "practices_invited", "practices_declined", "practices_signed_up",
           "spend_to_date_gbp", "spend_expected_gbp", "records_uploaded", "records_viewed"]
DORSET = "5QM"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def reference_codes() -> list[str]:
    with open(paths.PCT_REFERENCE, newline="", encoding="utf-8") as handle:
        return [row["ods_code"] for row in csv.DictReader(handle)]


PCTS = len(reference_codes())  # every PCT of the reference table has a page


def sample_codes() -> dict[str, str]:
    """One complete area, one answered but left out of the share, one that did not answer, and Dorset."""
    frame = refusal.mark_complete(foi.load_returns(paths.FOI_2010).frame)
    answered = set(frame["ods_code"])
    return {
        "complete": next(c for c, ok in zip(frame["ods_code"], frame["complete"]) if ok and c != DORSET),
        "left out": next(c for c, ok in zip(frame["ods_code"], frame["complete"]) if not ok),
        "no answer": next(c for c in reference_codes() if c not in answered),
        "dorset": DORSET,
    }


SAMPLE = sample_codes()


# --- (a) a page for every PCT, each linked from the list ---------------------------------------------------

@pytest.mark.slow
def test_a_page_for_every_pct_each_linked_from_the_areas_list(story_run):
    folder = story_run / "site" / "areas"
    codes = reference_codes()
    assert codes and len(set(codes)) == len(codes)
    assert sorted(p.stem for p in folder.glob("*.html") if p.stem != "index") == sorted(codes)
    listed = [a["href"] for a in soup(folder / "index.html").select("ul.area-list a")]
    assert sorted(listed) == sorted(f"{c}.html" for c in codes)
    with open(paths.PCT_REFERENCE, newline="", encoding="utf-8") as handle:  # A to Z by place name
        by_place = sorted(csv.DictReader(handle), key=lambda row: (row["name"].casefold(), row["ods_code"]))
    assert listed == [f"{row['ods_code']}.html" for row in by_place]


@pytest.mark.slow
def test_the_index_and_the_area_finding_link_to_find_your_area(story_run):
    for name, href in (("index.html", "areas/index.html"), ("04-your-area.html", "areas/index.html")):
        links = [a for a in soup(story_run / "site" / name).select("a") if a.get("href") == href]
        assert any("Find your area" in text(a) for a in links), name


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(SAMPLE))
def test_an_area_page_has_its_title_its_links_and_a_headline_first(story_run, kind):
    code = SAMPLE[kind]
    page = soup(story_run / "site" / "areas" / f"{code}.html")
    data = json.loads((story_run / "areas.json").read_text(encoding="utf-8"))
    area = next(a for a in data["areas"] if a["ods_code"] == code)
    assert page.title.string.startswith(area["display_name"])
    lead = page.select_one("main section.story-lead")
    assert lead is not None and lead.select_one(".story-headline") is not None
    hrefs = {a["href"] for a in page.select("a[href]")}
    assert {"index.html", "../index.html", "../01-refusal-share.html", "../02-spend.html"} <= hrefs
    assert page.select_one('link[rel="stylesheet"]')["href"] == "../assets/site.css"


# --- (b) each figure equals the one computed from its FOI row -------------------------------------

def _shown(value, column: str) -> str:
    if column == "rollout_begun":
        return "yes" if value else "no"
    if column.endswith("_gbp"):
        return words.pounds(value) if value else "nothing"
    return words.count(value)


def _cells(page: BeautifulSoup) -> dict[str, tuple[str, bool]]:
    """The area table: row label -> (this area's value without its mark, whether it carries the mark)."""
    table = page.select_one(".area-figures table")
    out = {}
    for row in table.select("tbody tr"):
        cell = row.select("td")[0]
        marked = cell.select_one("span.illustrative-mark") is not None
        for mark in cell.select("span.illustrative-mark"):
            mark.extract()
        out[text(row.select_one("th"))] = (text(cell), marked)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(SAMPLE))
def test_each_figure_on_an_area_page_is_the_one_computed_from_its_foi_row(story_run, kind):
    code = SAMPLE[kind]
    page = soup(story_run / "site" / "areas" / f"{code}.html")
    frame = refusal.mark_complete(foi.load_returns(paths.FOI_2010).frame)
    row = frame[frame["ods_code"] == code]
    if row.empty:
        assert page.select_one(".area-figures table") is None
        assert "did not answer" in text(page.select_one(".story-headline"))
        assert page.select_one("section.area-national") is not None
        return
    given = [c for c in FIGURES if not pd.isna(row.iloc[0][c])]
    if given and all(illustrative_mask(row, c).iloc[0] for c in given):  # generated: no figure shown as its own
        assert page.select_one(".area-figures table") is None and page.select_one(".area-standing") is None
        assert "Pulse published no figures for" in text(page.select_one(".story-headline"))
        return
    cells = _cells(page)
    record = row.iloc[0]
    for column in FIGURES:  # a generated figure of a named area is never printed as its own
        label = area_pages.LABELS[column]
        value = record[column]
        generated = bool(illustrative_mask(row, column).iloc[0])
        expected = "not given" if pd.isna(value) else area_pages.NOT_PUBLISHED if generated else _shown(value, column)
        assert cells[label] == (expected, False), (code, column)
    share_label = area_pages.LABELS["share_declined"]
    if record["complete"]:
        share = record["practices_declined"] / record["practices_invited"]
        generated = bool(illustrative_mask(row, "practices_invited").iloc[0] or
                         illustrative_mask(row, "practices_declined").iloc[0])
        assert cells[share_label] == (area_pages.NOT_PUBLISHED if generated else words.percent(share), False), code
    else:
        assert cells[share_label][0] == "left out", code
        assert record["excluded_because"] in text(page.select_one("section.area-missing"))


# --- (c) the notebook and the page agree ---------------------------------------------------------

def _normal(words_text: str) -> str:
    words_text = words_text.replace("**", "").replace("(illustrative)", "illustrative")
    return " ".join(words_text.split())


@pytest.mark.slow
@pytest.mark.parametrize("code", [SAMPLE["left out"], SAMPLE["no answer"], DORSET])
def test_notebook_04_says_what_the_area_page_says(story_run, tmp_path, code):
    papermill.execute_notebook(str(paths.NOTEBOOKS / "04-your-area.ipynb"), str(tmp_path / "run.ipynb"),
                               kernel_name=KERNEL, parameters={"pct": code}, cwd=str(paths.NOTEBOOKS),
                               progress_bar=False)
    executed = nbformat.read(tmp_path / "run.ipynb", as_version=4)
    cell = next(c for c in executed.cells if c.cell_type == "code" and "area_words.describe" in c.source)
    said = _normal(cell.outputs[0]["data"]["text/markdown"])
    page = soup(story_run / "site" / "areas" / f"{code}.html")
    shown = _normal(" ".join(p.get_text() for p in page.select(".area-words p, p.story-headline")))
    assert shown == said


# --- Escaping and determinism ---------------------------------------------------------------------

@pytest.mark.slow
def test_a_name_with_markup_stays_text_and_two_renders_are_byte_identical(story_run, tmp_path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    data = json.loads((story_run / "areas.json").read_text(encoding="utf-8"))
    data["areas"][0]["display_name"] = XSS
    data["areas"][0]["search_names"].append(XSS)
    data["areas"][0]["paragraphs"][0].insert(0, XSS)
    (run_dir / "areas.json").write_text(json.dumps(data), encoding="utf-8")
    params = load_params(paths.DEFAULT_PARAMS)
    first = {p.name: p.read_bytes() for p in (site.render(run_dir, params) / "areas").iterdir()}
    second = {p.name: p.read_bytes() for p in (site.render(run_dir, params) / "areas").iterdir()}
    assert first == second
    code = data["areas"][0]["ods_code"]
    for name in (f"{code}.html", "index.html"):
        page = first[name].decode("utf-8")
        assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page, name


@pytest.mark.slow
def test_an_area_page_with_all_it_loads_is_at_most_100_kb(story_run):
    folder = story_run / "site" / "areas"
    for code in SAMPLE.values():
        page = folder / f"{code}.html"
        loaded = [tag.get("href") or tag.get("src") for tag in soup(page).select("link[href], script[src], img[src]")]
        size = page.stat().st_size + sum((folder / name).stat().st_size for name in loaded)
        assert "../assets/site.css" in loaded and size <= 100_000, (code, size)


# --- (e) the follow-up example, (f) a file with no illustrative value -----------------------------

@pytest.mark.slow
def test_the_follow_up_example_builds_its_area_pages(followup_run):
    folder = followup_run / "site" / "areas"
    assert sorted(p.stem for p in folder.glob("*.html") if p.stem != "index") == sorted(reference_codes())
    dorset = soup(folder / f"{DORSET}.html")
    assert dorset.select_one(".story-headline") is not None


@pytest.mark.slow
def test_no_illustrative_word_on_any_area_page_of_a_file_without_illustrative_values(own_run):
    pages = sorted((own_run / "site" / "areas").glob("*.html"))
    assert len(pages) == PCTS + 1  # each PCT's page and the list
    said = [p.name for p in pages if re.search("illustrative", p.read_text(encoding="utf-8"), re.IGNORECASE)]
    assert said == []


# --- (d) in the browser ----------------------------------------------------------------------------

BROWSER_PAGES = ["index", *SAMPLE.values()]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("stem", BROWSER_PAGES)
def test_area_pages_in_the_browser(open_page, areas_url, stem, screen):
    from test_browser import HEADLINE, OVERFLOW

    v = open_page(f"{areas_url}areas/{stem}.html", areas_url, screen)
    box = v.page.evaluate(HEADLINE, SCREENS[screen]["viewport"]["height"])
    assert box is not None and box["visible"] and box["text"], f"{v.name}: no visible .story-headline"
    assert box["top"] >= 0 and box["bottom"] <= box["viewport"], f"{v.name}: headline at {box}"
    found = v.page.evaluate(OVERFLOW, SCREENS[screen]["viewport"]["width"])
    assert found["document"] <= found["screen"] and not found["wide"] and not found["scrolls"], f"{v.name}: {found}"
    violations = [f for f in axe_violations(v.page) if f["impact"] in ("serious", "critical")]
    assert not violations, f"{v.name}: axe-core {axe_version()} reports\n{describe_violations(violations)}"
    v.page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    assert not v.outside and not v.errors and not v.dialogs, (v.outside, v.errors, v.dialogs)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("stem", BROWSER_PAGES)
def test_nothing_overflows_on_a_360px_phone(open_page, areas_url, stem):
    from test_browser import OVERFLOW

    v = open_page(f"{areas_url}areas/{stem}.html", areas_url, "phone", viewport={"width": 360, "height": 740})
    found = v.page.evaluate(OVERFLOW, 360)
    assert found["document"] <= found["screen"] and not found["wide"] and not found["scrolls"], f"{v.name}: {found}"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("screen", ["phone"])
def test_the_filter_box_narrows_the_list_as_you_type(open_page, areas_url, screen):
    v = open_page(f"{areas_url}areas/index.html", areas_url, screen)
    shown = "() => [...document.querySelectorAll('ul.area-list li')].filter(li => li.checkVisibility()).length"
    assert v.page.evaluate(shown) == PCTS
    box = v.page.get_by_role("searchbox", name=re.compile("filter", re.IGNORECASE))
    box.fill("Dorset")
    names = v.page.evaluate("() => [...document.querySelectorAll('ul.area-list li')]"
                            ".filter(li => li.checkVisibility()).map(li => li.innerText)")
    assert names and len(names) < PCTS and all("dorset" in n.lower() for n in names), names
    assert any("NHS Dorset" in n for n in names)
    box.fill("5qm")
    assert v.page.evaluate(shown) == 1
    box.fill("")
    assert v.page.evaluate(shown) == PCTS


@pytest.mark.browser
@pytest.mark.slow
def test_without_javascript_the_full_list_shows_and_the_box_is_hidden(open_page, areas_url):
    v = open_page(f"{areas_url}areas/index.html", areas_url, "phone", java_script_enabled=False)
    shown = v.page.evaluate("() => [...document.querySelectorAll('ul.area-list li')]"
                            ".filter(li => li.checkVisibility()).length")
    assert shown == PCTS
    assert v.page.evaluate("() => [...document.querySelectorAll('input')].every(i => !i.checkVisibility())")
