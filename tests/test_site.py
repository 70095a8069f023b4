"""The story pages: escaping, provenance, claims, downloads, parameters, determinism, atomic publishing.

Fast tests render hand-made run folders (``conftest.crafted_run_dir``); tests marked ``slow`` use real
`scr run` builds. What a browser makes of the pages is in tests/test_browser.py.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import nbformat
import pandas as pd
import papermill
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import CRAFTED_FOI_ROWS, PHISH, XSS, crafted_run_dir, scr_run, write_foi
from scr_lib import findings, paths, site
from scr_lib.inputs import foi
from scr_lib.runner import run
from scr_lib.site import draw
from scr_lib.story import claims, report
from scr_lib.story.results import value

ALLOWED_SCRIPT_TAGS = {'<script src="assets/site.js">', '<script src="../assets/areas.js" defer>',
                       '<script src="../assets/site.js">'}
ESCAPED_XSS = "&lt;script&gt;alert(1)&lt;/script&gt;"


def foreign_markup(text: str) -> list[str]:
    """Script tags the site did not put there, event-handler attributes, javascript: URLs, style elements."""
    scripts = [t for t in re.findall(r"<script\b[^>]*>", text, re.IGNORECASE) if t not in ALLOWED_SCRIPT_TAGS]
    handlers = re.findall(r"<[a-z][^>]*\son[a-z]+\s*=[^>]*>", text, re.IGNORECASE)
    js_urls = re.findall(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", text, re.IGNORECASE)
    styles = re.findall(r"<style\b", text, re.IGNORECASE)
    return scripts + handlers + js_urls + styles


def html_pages(site_dir: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(site_dir.glob("*.html"))}


def every_html_page(site_dir: Path) -> dict[str, str]:
    """Every page of the site, the area pages in areas/ included, by path relative to the site folder."""
    return {str(p.relative_to(site_dir)): p.read_text(encoding="utf-8") for p in sorted(site_dir.rglob("*.html"))}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- Text from data is escaped ----------------------------------------------------------------------

@pytest.mark.parametrize("text, must_not_contain", [
    (XSS, "<script"),
    ("<img src=x onerror=alert(1)>", "<img"),
    ("a <b onmouseover=alert(1)>b</b> c", "<b "),
    ("<div>block</div>\n\nafter", "<div>"),
    ("[x](javascript:alert(1))", 'href="javascript:'),
    ("![remote](http://example.com/a.png)", "<img"),
])
def test_markdown_shows_raw_html_as_text(text, must_not_contain):
    out = site.markdown_html(text)
    assert must_not_contain not in out


def test_markdown_keeps_ordinary_markdown_and_shows_a_script_as_its_text():
    out = site.markdown_html(f"**bold** and `code` and {XSS}")
    assert "<strong>bold</strong>" in out and "<code>code</code>" in out
    assert ESCAPED_XSS in out


def test_markdown_headings_get_unique_ids():
    ids = set()
    out = site.markdown_html("# Results\n\n## Results\n\n## What's next?", ids)
    assert re.findall(r'id="([^"]+)"', out) == ["results", "results-2", "what-s-next"]
    assert ids == {"results", "results-2", "what-s-next"}


@pytest.mark.parametrize("html_in, gone", [
    (f"<table><tr><td>{XSS}</td></tr></table>", "<script"),
    ("<table><tr><td onclick='alert(1)'>x</td></tr></table>", "onclick"),
    ("<div><style>body{display:none}</style><table></table></div>", "display:none"),
    ("<a href='javascript:alert(1)'>x</a>", "javascript:"),
    ("<img src='http://example.com/x.png'>", "<img"),
    ("<iframe src='http://example.com'></iframe>", "iframe"),
    ("<p>a<!-- hidden --></p>", "hidden"),
    ("<tr style='background:url(http://example.com/x)'><td>1</td></tr>", "url("),
])
def test_sanitise_html_removes_active_content(html_in, gone):
    assert gone not in site.sanitise_html(html_in)


def test_sanitise_html_keeps_a_pandas_table_and_escapes_its_text():
    frame = pd.DataFrame({"pct": [XSS, "NHS Dorset"], "declined": [1, 2]})
    out = site.sanitise_html(frame.to_html())
    assert ESCAPED_XSS in out
    assert "<script" not in out and "<style" not in out
    assert out.count("<tr>") == 3 and '<table class="dataframe">' in out
    assert '<td class="num">2</td>' in out


def test_sanitise_html_keeps_a_publication_table_whole():
    """The table a notebook shows (scr_lib.story.tables) reaches the page as the notebook made it: its
    focusable region, caption, header scopes, numbers' class and illustrative marks."""
    from scr_lib.findings.columns import Column, Table
    from scr_lib.story import tables

    table = Table("t", f"Caption {XSS}", (Column("name", "Name", row_header=True), Column("n", "N", "count")),
                  illustrative="marked")
    made = tables.html(pd.DataFrame({"name": [XSS, "Dorset"], "n": [1732, None], "marked": [True, False]}), table)
    assert site.sanitise_html(made) == made


@pytest.mark.parametrize("attribute, gone", [
    ('role="alert"', "alert"), ('tabindex="5"', "tabindex"), ('aria-label="x" onfocus="alert(1)"', "onfocus"),
    ('style="position:fixed"', "position"),
])
def test_sanitise_html_allows_only_the_region_attributes_a_table_needs(attribute, gone):
    assert gone not in site.sanitise_html(f'<div class="table-wrap" {attribute}><table></table></div>')


def test_json_for_script_cannot_close_its_script_element():
    spec = {"title": f"</script>{XSS}", "data": {"values": [{"a": "x & y <!--"}]}}
    text = site.json_for_script(spec)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == spec


def test_rendered_crafted_run_shows_hostile_text_as_text(crafted_site):
    pages = html_pages(crafted_site)
    assert set(pages) == {"index.html", "01-crafted.html", "methods.html"}
    for name, text in pages.items():
        assert foreign_markup(text) == [], name
    page = pages["01-crafted.html"] + pages["methods.html"]  # the story, and its steps on "How we did it"
    # title, heading, markdown output, table, raw HTML output, stream and the claim label all carry XSS
    assert page.count(ESCAPED_XSS) >= 6
    assert "<b onmouseover" not in page and "&lt;b onmouseover=alert(4)&gt;" in page
    for svg in (crafted_site / "charts").glob("*.svg"):
        assert "<script" not in svg.read_text(encoding="utf-8")
    figure = re.search(r'<figure class="chart" id="(01-crafted-)?chart-1"[^>]*>.*?</figure>', page, re.DOTALL).group(0)
    assert f"<figcaption><p class=\"chart-title\">{ESCAPED_XSS}</p>" in figure  # the title, as text
    assert any(ESCAPED_XSS in tip for tip in re.findall(r'data-tip="([^"]*)"', figure))  # and each name


def test_render_twice_gives_the_same_bytes(tmp_path):
    foi_path = write_foi(tmp_path / "foi.csv", CRAFTED_FOI_ROWS)
    first, params = crafted_run_dir(tmp_path / "a", foi_path)
    second, _ = crafted_run_dir(tmp_path / "b", foi_path)
    assert tree(site.render(first, params)) == tree(site.render(second, params))


# --- Illustrative banner: decided per page --------------------------------------------------------

@pytest.mark.parametrize("declares_foi, marker, banner", [
    (True, "*", True),
    (True, "practices_invited", True),
    (True, "", False),
    (False, "*", False),
])
def test_illustrative_banner_only_where_illustrative_values_are_used(tmp_path, drawn, declares_foi, marker, banner):
    rows = [{**row, "illustrative": marker} for row in CRAFTED_FOI_ROWS]
    run_dir, params = crafted_run_dir(tmp_path, write_foi(tmp_path / "foi.csv", rows), declares_foi)
    pages = html_pages(site.render(run_dir, params, previous=drawn))
    for name in ("01-crafted.html", "index.html"):
        assert ('class="banner banner-illustrative"' in pages[name]) is banner, name
    if banner:
        n = report.illustrative_count(foi.load_returns(params.values["foi_returns"]).frame)
        assert re.search(rf"<strong>Illustrative data.</strong>\s+{n:,} of the", pages["01-crafted.html"])


# --- Headlines ------------------------------------------------------------------------------------

def test_refusal_headline_is_computed_from_the_results():
    results = {"refusal.practices_declined": 10, "refusal.practices_invited": 40, "refusal.share": 0.25,
               "refusal.one_in": 4, "refusal.areas_complete": 3}
    assert findings.by_id("refusal").headline_for(results, {}) == (
        "In the 3 areas that had begun the rollout and gave complete figures, 10 of 40 invited practices declined: "
        "25.0%, about one in four.")


@pytest.mark.parametrize("finding", findings.FINDINGS, ids=findings.IDS)
def test_headline_is_none_when_a_figure_is_missing(finding):
    assert finding.key_figures and finding.headline_for({}, {}) is None


def test_no_site_module_names_a_finding():
    """The site iterates over the registry: it imports no finding's module and types no finding id."""
    import ast

    source = Path(site.__file__).read_text(encoding="utf-8")
    imported = {alias.name.split(".")[-1] for node in ast.walk(ast.parse(source))
                if isinstance(node, (ast.Import, ast.ImportFrom))
                for alias in node.names} | {node.module.split(".")[-1] for node in ast.walk(ast.parse(source))
                                            if isinstance(node, ast.ImportFrom) and node.module}
    assert not imported & set(findings.IDS)
    assert not [f for f in findings.IDS if f'"{f}"' in source or f"'{f}'" in source]


# --- A real build --------------------------------------------------------------------------------

def executed_notebooks(run_dir: Path) -> list[Path]:
    return sorted((run_dir / "notebooks").glob("*.ipynb"))


@pytest.mark.slow
def test_site_has_an_index_and_one_page_per_notebook_linked_from_it(story_run):
    pages = html_pages(story_run / "site")
    stems = [nb.stem for nb in executed_notebooks(story_run)]
    assert sorted(pages) == sorted(["index.html", site.METHODS_HREF] + [f"{s}.html" for s in stems])
    for stem in stems:
        assert f'<h3><a href="{stem}.html">' in pages["index.html"]


@pytest.mark.slow
def foi_readers() -> set[str]:
    """The ids of the findings whose notebooks read the FOI file (declare ``foi_returns``)."""
    return {f.id for f in findings.FINDINGS
            if "foi_returns" in papermill.inspect_notebook(str(paths.NOTEBOOKS / f"{f.notebook}.ipynb"))}


@pytest.mark.slow
@pytest.mark.parametrize("run, generated", [("story_run", False), ("followup_run", True)])
def test_index_headlines_are_the_computed_ones_marked_when_a_figure_was_generated(request, run, generated):
    """The bundled run is of the article's round: its headlines state figures Pulse printed (the totals its
    generated values were made to add up to) or the file received (NHS Dorset's), so none is marked. The
    worked 2011 example's file is wholly generated: every headline computed from it is marked."""
    folder = request.getfixturevalue(run)
    results = json.loads((folder / "results.json").read_text())
    index = html_pages(folder / "site")["index.html"]
    figures = {key: value(results, key, None) for key in results}
    made_up = {key for key, entry in results.items() if isinstance(entry, dict) and entry.get("illustrative")}
    shown = {f.id: h for f in findings.FINDINGS if (h := f.headline_for(figures, {"illustrative": made_up}))}
    assert shown, "no headline could be computed from this run's results.json"
    reads_foi = foi_readers()
    assert reads_foi and reads_foi != {f.id for f in findings.FINDINGS}  # ooh uses no FOI data
    for finding, headline in shown.items():
        ending = site.ILLUSTRATIVE_HEADLINE if generated and finding in reads_foi else ""
        assert f'<p class="story-headline">{report_escape(headline + ending)}</p>' in index


def test_ooh_headline_names_whose_rate_and_uses_gp_rates_measured_before_the_article():
    from scr_lib.findings.arithmetic import ooh

    rates = ooh.load_rates()
    keys = {ooh.result_key(slug): 0.01 * (i + 1) for i, slug in enumerate(rates["slug"])}
    results = {"ooh.records_created": 100, "ooh.views_per_week": 1, "ooh.access_rate": 0.005,
               "ooh.calls_per_1000_per_week": 25.0, **keys}
    before = rates["scope"].eq("gp") & rates["period_end"].astype(str).lt(ooh.article()["date"])
    expected = sorted(keys[ooh.result_key(s)] for s in rates.loc[before, "slug"])
    assert before.any() and len(expected) < len(rates)  # a later or all-services rate is left out
    text = findings.by_id("ooh").headline_for(results, {"ooh_calls_per_1000_per_week": None})
    assert "the call rate Pulse's table implies" in text
    assert text.endswith(f"would be {ooh.percent_range(expected[0], expected[-1])}.")
    assert "this run's call rate" in findings.by_id("ooh").headline_for(results, {"ooh_calls_per_1000_per_week": 20.0})


def report_escape(text: str) -> str:
    from markupsafe import escape
    return str(escape(text))


class References(HTMLParser):
    """Every URL a page names: (tag, attribute, value)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found += [(tag, name, value) for name, value in attrs if name in ("src", "href") and value]


@pytest.mark.slow
def test_pages_use_only_files_inside_the_site(story_run):
    site_dir = story_run / "site"
    pages = every_html_page(site_dir)
    assert "areas/index.html" in pages and "areas/5QM.html" in pages
    for name, text in pages.items():
        folder = (site_dir / name).parent
        parser = References()
        parser.feed(text)
        for tag, attr, target in parser.found:
            if target.startswith("#") or (tag == "a" and re.match(r"(https?|mailto):", target)):
                continue  # an anchor, or a link a reader may follow: the page does not load it
            assert not re.match(r"[a-z][a-z0-9+.-]*:|//", target) or target.startswith("data:image/"), (name, target)
            if not target.startswith("data:"):
                found = (folder / target.split("#")[0]).resolve()
                assert found.is_file() and found.is_relative_to(site_dir.resolve()), (name, target)
        lowered = text.lower()
        for banned in ("mathjax", "require.js", "requirejs", "cdn", "@font-face", "fonts.googleapis", "<iframe"):
            assert banned not in lowered, (name, banned)
    css = (site_dir / "assets" / "site.css").read_text(encoding="utf-8")
    assert "@font-face" not in css and "@import" not in css and "url(" not in css
    # no chart runtime: the charts' tooltips, the areas list's filter box and the stylesheet
    assert {p.name for p in (site_dir / "assets").iterdir()} == {"site.js", "areas.js", "site.css"}


@pytest.mark.slow
def test_no_page_has_duplicate_ids_or_foreign_markup(story_run):
    for name, text in every_html_page(story_run / "site").items():
        ids = re.findall(r'\sid="([^"]+)"', text)
        assert len(ids) == len(set(ids)), name
        assert foreign_markup(text) == [], name


@pytest.mark.slow
def test_every_page_carries_provenance_methodology_claims_downloads_and_parameters(story_run):
    site_dir = story_run / "site"
    results = json.loads((story_run / "results.json").read_text())
    for nb in executed_notebooks(story_run):
        text = (site_dir / f"{nb.stem}.html").read_text(encoding="utf-8")
        claimed = findings.by_notebook(nb.stem).claimed  # the area comparison checks no published figure
        for section in ("about-sources", "about-methodology", "story-claims-heading", "about-downloads"):
            assert (f'id="{section}"' in text) is (claimed or section != "story-claims-heading"), (nb.stem, section)
        body = json.loads((story_run / f"{nb.stem}.results.json").read_text())
        ids = sorted({key.split(".")[0] for key in body["results"]} & {f.id for f in findings.FINDINGS if f.claimed})
        expected = pd.concat([report.claims_table(claims.check_all(results, f, context=True)) for f in ids]) \
            if ids else pd.DataFrame(columns=["claim", "published", "this_run", "verdict"])
        rows = re.findall(r'<tr class="verdict-[^"]*"><td>“(.*?)”</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>',
                          text)
        assert [tuple(r) for r in rows] == [tuple(report_escape(v) for v in r) for r in expected.itertuples(index=False)]
        for table in body["tables"]:
            assert f'<a href="tables/{table}.csv" download>' in text
            assert (site_dir / "tables" / f"{table}.csv").read_bytes().startswith(b"\xef\xbb\xbf")
        declared = papermill.inspect_notebook(str(nb))
        assert "params/pulse_2010.yaml" not in text and f'href="{site.METHODS_HREF}#{nb.stem}"' in text
        if "foi_returns" in declared:
            assert "foi_returns_2010.csv" not in text  # the source is named in words; its path is on the methods page
            assert ("One in six GPs snub care record" in text) is claimed
    methods = (site_dir / site.METHODS_HREF).read_text(encoding="utf-8")
    assert 'id="methods-parameters"' in methods and "<code>params/pulse_2010.yaml</code>" in methods
    assert "<code>data/foi_2010/foi_returns_2010.csv</code>" in methods


@pytest.mark.slow
def test_banner_wherever_the_bundled_illustrative_data_is_used(story_run):
    site_dir = story_run / "site"
    illustrative = report.illustrative_count(foi.load_returns(paths.FOI_2010).frame) > 0
    assert illustrative
    for nb in executed_notebooks(story_run):
        uses_foi = "foi_returns" in papermill.inspect_notebook(str(nb))
        text = (site_dir / f"{nb.stem}.html").read_text(encoding="utf-8")
        assert ('class="banner banner-illustrative"' in text) is uses_foi, nb.stem
    assert 'class="banner banner-illustrative"' in (site_dir / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_nothing_written_depends_on_where_the_run_was_built(story_run):
    for relative, data in tree(story_run / "site").items():
        if relative.endswith(".png"):  # the share images and chart PNGs: pictures, no text
            continue
        text = data.decode("utf-8")
        assert str(paths.PROJ_ROOT) not in text, relative
        assert str(story_run) not in text and ".tmp-" not in text, relative


@pytest.fixture(scope="module")
def story_run_again(tmp_path_factory):
    """A second, independent build of the bundled story (another folder, another process)."""
    return scr_run(paths.DEFAULT_PARAMS, tmp_path_factory.mktemp("story_again") / "pulse_2010")


@pytest.mark.slow
def test_two_builds_of_the_same_inputs_are_byte_identical(story_run, story_run_again):
    first, second = tree(story_run / "site"), tree(story_run_again / "site")
    assert sorted(first) == sorted(second)
    differ = [name for name in first if first[name] != second[name]]
    assert differ == []


@pytest.mark.slow
def test_hostile_text_in_an_foi_file_reaches_the_pages_only_as_text(crafted_story_run):
    pages = html_pages(crafted_story_run / "site")
    for name, text in pages.items():
        assert foreign_markup(text) == [], name
    notebook_pages = [t for n, t in pages.items() if n != "index.html"]
    assert any(ESCAPED_XSS in t for t in notebook_pages), "the crafted column name should be shown, escaped"


# --- Atomic publishing ----------------------------------------------------------------------------

def one_notebook(folder: Path, source: str) -> Path:
    folder.mkdir()
    nb = new_notebook(cells=[new_code_cell('output_dir = ""', metadata={"tags": ["parameters"]}),
                             new_code_cell(source)],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                                "language_info": {"name": "python"}})
    nbformat.write(nb, folder / "01-only.ipynb")
    return folder


@pytest.fixture
def previous_run(story_run, tmp_path):
    """A copy of a finished run in tmp_path/out: the 'previous site' that a failed run must leave alone."""
    out = tmp_path / "out"
    shutil.copytree(story_run, out)
    return out


def half_written_render(run_dir, params, previous=None):
    (run_dir / "site").mkdir(exist_ok=True)
    (run_dir / "site" / "index.html").write_text("half a site", encoding="utf-8")
    raise RuntimeError("render failed")


@pytest.mark.slow
@pytest.mark.parametrize("cell, render, error", [
    ("raise ValueError('boom')", None, run.RunError),
    ("x = 1", half_written_render, RuntimeError),
], ids=["notebook-error", "render-error"])
def test_a_failed_run_leaves_the_previous_site_as_it_was(previous_run, tmp_path, monkeypatch, cell, render, error):
    def published():  # everything but the run's cache, which may keep the parts of notebooks that succeeded
        return {k: v for k, v in tree(previous_run).items() if not k.startswith(".cache/")}

    before = published()
    assert "site/index.html" in before
    project = run.Project(notebooks=one_notebook(tmp_path / "notebooks", cell))
    assert [p.name for p in run.notebooks(project.notebooks)] == ["01-only.ipynb"]
    if render is not None:
        monkeypatch.setattr(site, "render", render)
    with pytest.raises(error):
        run.run(paths.DEFAULT_PARAMS, previous_run, echo=lambda message: None, project=project)
    assert published() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "out"]  # no temporary folder left



# --- Text from a file is text: never a link (issue 12) --------------------------------------------

LINKS = {"inline": PHISH, "auto": "<https://evil.example/auto>", "reference": "[ref][1]\n\n[1]: https://evil.example/r"}


def test_a_link_in_a_notebook_output_is_shown_unlinked(tmp_path, drawn):
    run_dir, params = crafted_run_dir(tmp_path, write_foi(tmp_path / "foi.csv", CRAFTED_FOI_ROWS))
    path = run_dir / "notebooks" / "01-crafted.ipynb"
    nb = nbformat.read(path, as_version=4)
    for kind, text in LINKS.items():  # each link in its own outputs, named by its kind; one render for all
        nb.cells.append(new_code_cell("say()", outputs=[nbformat.v4.new_output(
            "execute_result", {"text/markdown": f"Columns not used by the suite ({kind}): {text}.",
                               "text/plain": "<Markdown>"}, execution_count=9)]))
        nb.cells.append(new_code_cell("frame", outputs=[nbformat.v4.new_output(
            "execute_result", {"text/html": f"<table><tr><td><a href='https://evil.example/t'>{kind}: {text}</a>"
                                            "</td></tr></table>"}, execution_count=10)]))
    nbformat.write(nb, path)
    built = site.render(run_dir, params, previous=drawn)
    page = "".join((built / name).read_text(encoding="utf-8") for name in ("01-crafted.html", site.METHODS_HREF))
    for kind in LINKS:
        assert f"Columns not used by the suite ({kind}):" in page and f"{kind}: " in page  # shown...
    assert "evil.example" in page
    assert not re.search(r"<a\b[^>]*evil\.example", page)  # ...but never as a link


@pytest.mark.slow
def test_a_column_header_written_as_a_link_is_published_as_text(crafted_story_run):
    pages = html_pages(crafted_story_run / "site")
    showing = [name for name, text in pages.items() if "[phish](https://evil.example/login)" in text]
    # the steps of every notebook that reads the FOI file list the columns it ignores, as text, on the methods
    # page ("How we did it"), not on the story pages
    assert showing == [site.METHODS_HREF] and foi_readers(), showing
    methods = pages[site.METHODS_HREF]
    assert all(f'id="{findings.by_id(f).notebook}"' in methods for f in foi_readers())
    for name, text in pages.items():
        assert not re.search(r"<a\b[^>]*evil\.example", text), name


def test_rendering_reads_only_the_run_folder(tmp_path, monkeypatch):
    """The pages come from the run folder alone: with the FOI file gone and no CSV, claims ledger or FOI file
    readable, the same run folder renders the same site."""
    run_dir, params = crafted_run_dir(tmp_path, write_foi(tmp_path / "foi.csv", CRAFTED_FOI_ROWS))
    before = tree(site.render(run_dir, params))
    (tmp_path / "foi.csv").unlink()

    def refuse(*args, **kwargs):
        raise AssertionError("rendering read a data file")

    monkeypatch.setattr(pd, "read_csv", refuse)
    monkeypatch.setattr(claims, "_claims", refuse)
    monkeypatch.setattr(foi, "load_returns", refuse)
    assert tree(site.render(run_dir, params)) == before


def test_the_site_module_imports_no_reader_of_inputs():
    import ast

    source = Path(site.__file__).read_text(encoding="utf-8")
    modules = {node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)} | {
        alias.name for node in ast.walk(ast.parse(source)) if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names}
    assert not modules & {"papermill", "pandas", "foi", "claims", "reference", "values"}


@pytest.mark.slow
def test_each_finding_publishes_the_tables_behind_its_declared_charts(story_run):
    assert all(f.charts for f in findings.FINDINGS if f.claimed)  # the area comparison alone draws none
    for finding in findings.FINDINGS:
        body = json.loads((story_run / f"{finding.notebook}.results.json").read_text(encoding="utf-8"))
        assert set(finding.charts) <= set(body["tables"]), finding.id
        assert body["page"]["findings"] == [finding.id]


def test_a_re_render_takes_unchanged_charts_from_the_last_runs_cache(tmp_path, monkeypatch):
    """A prose-only edit re-renders without compiling a chart, drawing a share card or compiling a template:
    the same spec, card and template source are found in the last run's cache."""
    run_dir, params = crafted_run_dir(tmp_path / "first", write_foi(tmp_path / "foi.csv", CRAFTED_FOI_ROWS))
    before = tree(site.render(run_dir, params))
    again = tmp_path / "again"
    shutil.copytree(run_dir, again, ignore=shutil.ignore_patterns(".cache", "site"))

    def refuse(*args, **kwargs):
        raise AssertionError("a chart, share card or template was made again")

    for name in ("vegalite_to_vega", "vega_to_svg", "vegalite_to_svg", "vegalite_to_scenegraph", "svg_to_png"):
        monkeypatch.setattr(draw.vl_convert, name, refuse)
    monkeypatch.setattr(jinja2.Environment, "compile", refuse)
    assert tree(site.render(again, params, previous=run_dir / ".cache")) == before
    assert sorted(p.name for p in (again / ".cache" / "site").iterdir()) == \
        sorted(p.name for p in (run_dir / ".cache" / "site").iterdir())


def test_a_template_whose_source_changed_is_compiled_again_not_taken_from_the_cache(tmp_path):
    def render(source: str, folder: str, previous: str | None = None) -> str:
        cache = draw.ChartCache(tmp_path / folder, tmp_path / previous if previous else None)
        env = jinja2.Environment(loader=jinja2.DictLoader({"page": source}), bytecode_cache=site.TemplateCache(cache))
        return env.get_template("page").render(word="cached")

    assert render("first {{ word }}", "a") == "first cached"
    assert [p.name.startswith("template-") for p in (tmp_path / "a").iterdir()] == [True]
    assert render("second {{ word }}", "b", previous="a") == "second cached"
    assert render("second {{ word }}", "c", previous="b") == "second cached"


# --- Tables and downloads as a reader gets them (issue 14) -------------------------------------------

class _Tables(HTMLParser):
    """Every table's cells, row by row, as (tag, text) pairs; and the page's text outside code."""

    def __init__(self):
        super().__init__()
        self.tables, self.row, self.cell, self.depth_pre = [], None, None, 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.row = []
            self.tables[-1].append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = [tag, ""]
            self.row.append(self.cell)

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell[1] += data


def page_tables(text: str) -> list[list[list[tuple[str, str]]]]:
    parser = _Tables()
    parser.feed(text)
    return [[[(tag, " ".join(cell.split())) for tag, cell in row] for row in table] for table in parser.tables]


def visible_text(text: str) -> str:
    """The page without its code (highlighted cells, code spans), scripts and tags."""
    text = re.sub(r"<(pre|code|script)\b.*?</\1>", " ", text, flags=re.S)
    return re.sub(r"<[^>]+>", " ", text)


def table_problems(text: str, keys) -> list[str]:
    """What a reader must never see in a page: a results key, True/False in a table cell, a whole number
    written as a float ("38.0"), or an index column (a first column counting 0, 1, 2... or headed by nothing)."""
    problems = [f"results key {k}" for k in keys if k in visible_text(text)]
    for table in page_tables(text):
        cells = [c for row in table for tag, c in row]
        problems += [f"cell {c!r}" for c in cells if c in ("True", "False") or re.fullmatch(r"-?[\d,]+\.0", c)]
        first = [row[0][1] for row in table if row]
        if first and first[0] == "":
            problems.append(f"a column headed by nothing: {first[:3]}")
        if len(first) > 2 and first[1:] == [str(i) for i in range(len(first) - 1)]:
            problems.append(f"an index column: {first[:3]}")
    return problems


def test_table_problems_finds_a_pandas_dump():
    frame = pd.DataFrame({"key": ["refusal.share"], "value": [38.0], "holds": [True]})
    assert len(table_problems(frame.to_html(), ["refusal.share"])) == 4


def test_downloads_are_publication_csvs_that_open_cleanly_in_excel(tmp_path):
    from scr_lib.site import downloads
    from scr_lib.story.results import Results

    results = Results.for_finding("spend")
    results.table("spend_cost_per_record", pd.DataFrame({
        "ods_code": ["5QM", "X1", "5J5"], "pct_name": ["Dorset", "=HYPERLINK(\"http://evil.example\")", "Oldham"],
        "spend_to_date_gbp": [190000.0, 217000.0, 44500.0], "records_uploaded": [159580, 86240, 4500],
        "cost_per_record_gbp": [1.19062539165, 2.5162337662337664, 9.8888], "illustrative": [False, False, True]}))
    results.save(tmp_path / "run")
    handed = json.loads((tmp_path / "run" / "02-spend.results.json").read_text())["page"]
    got = downloads.copy_downloads(tmp_path / "run", tmp_path / "site", ["spend_cost_per_record"],
                                   handed["table_rows"], handed["tables"])
    raw = (tmp_path / "site" / "tables" / "spend_cost_per_record.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw[3:].decode("utf-8").splitlines()
    assert lines == ["PCT,ODS code,Spend to date (£),Records uploaded,Spend to date per record uploaded (£),"
                     "Illustrative values",
                     "Dorset,5QM,190000,159580,1.19,no",
                     "\"'=HYPERLINK(\"\"http://evil.example\"\")\",X1,217000,86240,2.52,no",
                     "\"Area 1, illustrative\",—,44500,4500,9.89,yes"]  # generated: not under Oldham's name
    assert [(d.name, d.caption, d.rows) for d in got] == \
        [("spend_cost_per_record", "Spend to date per record uploaded, by PCT", 3)]


def test_a_download_with_no_declaration_is_still_clean(tmp_path):
    from scr_lib.site import downloads

    (tmp_path / "run" / "tables").mkdir(parents=True)
    (tmp_path / "run" / "tables" / "old.csv").write_text("name,gbp,flag\n@cmd,217000.0,True\n", encoding="utf-8")
    downloads.copy_downloads(tmp_path / "run", tmp_path / "site", ["old"], {}, {})
    raw = (tmp_path / "site" / "tables" / "old.csv").read_bytes()
    assert raw.decode("utf-8-sig").splitlines() == ["Name,Gbp,Flag", "'@cmd,217000,yes"]


@pytest.mark.slow
def test_no_page_shows_a_key_a_boolean_a_float_count_or_an_index(story_run):
    keys = list(json.loads((story_run / "results.json").read_text()))
    for name, text in html_pages(story_run / "site").items():
        assert table_problems(text, keys) == [], name
        for table in re.findall(r"<table\b.*?</table>", text, re.S):
            assert "<caption>" in table or 'class="claims"' in table or 'class="parameters"' in table, name


@pytest.mark.slow
def test_every_download_starts_with_a_bom_and_holds_each_unit_at_its_precision(story_run):
    import csv
    import io

    from scr_lib.findings.columns import Table

    shapes = {"count": r"-?\d+", "pounds": r"-?\d+(\.\d\d)?", "share": r"-?\d+\.\d\d?", "yes/no": r"yes|no"}
    checked = 0
    for handover in sorted(story_run.glob("*.results.json")):
        declared = json.loads(handover.read_text())["page"]["tables"]
        for name, declaration in declared.items():
            raw = (story_run / "site" / "tables" / f"{name}.csv").read_bytes()
            assert raw.startswith(b"\xef\xbb\xbf"), name
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
            table = Table.from_json(declaration)
            assert rows[0][:len(table.columns)] == [c.header + {"pounds": " (£)", "share": " (%)"}.get(c.unit, "")
                                                    for c in table.columns], name
            for i, column in enumerate(table.columns):
                for row in rows[1:]:
                    if column.unit in shapes and row[i] != column.missing:
                        assert re.fullmatch(shapes[column.unit], row[i]), (name, column.header, row[i])
                        checked += 1
            assert not re.search(r"\d\.\d{7,}|\bTrue\b|\bFalse\b", raw.decode("utf-8-sig")), name
    assert checked > 100


# --- Charts: drawn at build time as inline SVG, with their tooltips --------------------------------

def notebook_charts() -> list[dict]:
    """The Vega-Lite spec of every chart in the committed notebooks (read, never written)."""
    specs = []
    for notebook in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        for cell in nbformat.read(notebook, as_version=4).cells:
            for output in cell.get("outputs", []):
                if draw.VEGALITE in output.get("data", {}):
                    specs.append(output["data"][draw.VEGALITE])
    return specs


def svg_size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg\b[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    return float(match.group(1)), float(match.group(2))


NOTEBOOK_CHARTS = notebook_charts()


@pytest.fixture(scope="module")
def notebook_drawings() -> list:
    """Each notebook chart compiled once (vl-convert, about 0.3 s each) for the tests below: chart n is ``nb-n``."""
    return [draw.compile_chart(spec, "nb", n) for n, spec in enumerate(NOTEBOOK_CHARTS, 1)]


@pytest.mark.parametrize("n", range(len(NOTEBOOK_CHARTS)),
                         ids=[s.get("title", {}).get("text", "chart")[:30] for s in NOTEBOOK_CHARTS])
def test_every_notebook_chart_is_drawn_for_a_phone_and_a_desktop_with_its_title_as_text(n, notebook_drawings):
    spec, chart = NOTEBOOK_CHARTS[n], notebook_drawings[n]
    assert svg_size(chart.narrow)[0] <= draw.NARROW
    assert svg_size(chart.wide)[0] > draw.NARROW
    figure = draw.figure_html(chart)
    title = spec["title"]["text"]
    assert f'<p class="chart-title">{html.escape(title)}</p>' in figure
    for line in spec["title"]["subtitle"]:
        assert f'<p class="chart-subtitle">{html.escape(line)}</p>' in figure
        assert line not in chart.narrow and line not in chart.wide  # wraps as page text, not in the drawing
    assert title not in chart.narrow and title not in chart.wide
    assert title in chart.svg  # the download keeps it
    tips = re.findall(r'data-tip="([^"]*)"', figure)
    assert tips, "no mark has a tooltip"
    for tip in tips:
        assert "null" not in tip and "Value" not in tip and "NaN" not in tip and "undefined" not in tip
    assert figure.count("<svg") == 2 and "<script" not in figure and "<img" not in figure


def test_a_tooltip_names_each_field_and_says_not_given_for_a_missing_value():
    import altair as alt

    frame = pd.DataFrame({"pct": ["NHS Dorset", "Barnsley"], "declined": [12, None], "share": [0.316, 0.1]})
    spec = alt.Chart(frame).mark_bar().encode(
        x="share:Q", y="pct:N",
        tooltip=[alt.Tooltip("pct:N", title="PCT"), alt.Tooltip("declined:Q", title="Declined"),
                 alt.Tooltip("share:Q", title="Share", format=".1%")]).to_dict()
    chart = draw.compile_chart(spec, "t", 1)
    for svg in (chart.narrow, chart.svg):  # the wide drawing's marks take the narrow one's tips (site.js)
        assert re.findall(r'data-tip="([^"]*)"', svg) == ["NHS Dorset · Declined: 12 · Share: 31.6%",
                                                          "Barnsley · Declined: not given · Share: 10.0%"]
    assert "<title>Barnsley · Declined: not given · Share: 10.0%</title>" in chart.svg  # the download's hover text


def test_the_two_drawings_of_a_chart_have_ids_of_their_own(notebook_drawings):
    page = "".join(draw.figure_html(chart) for chart in notebook_drawings)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def _side_by_side():
    import altair as alt

    frame = pd.DataFrame({"pct": ["Hammersmith and Fulham", "NHS Dorset"], "declined": [12, 3]})
    bars = alt.Chart(frame).mark_bar().encode(x="declined:Q", y="pct:N", tooltip=["pct", "declined"])
    return alt.hconcat(bars, bars).to_dict()


def _faceted():
    import altair as alt

    frame = pd.DataFrame({"pct": ["Hammersmith and Fulham", "NHS Dorset"], "declined": [12, 3], "year": [1, 2]})
    return alt.Chart(frame).mark_bar().encode(x="declined:Q", y="pct:N", tooltip=["pct", "declined"]).facet(
        facet="year:N", columns=2).to_dict()


@pytest.mark.parametrize("make", [_side_by_side, _faceted])
def test_composed_charts_are_stacked_to_fit_a_phone_and_keep_their_tooltips(make):
    chart = draw.compile_chart(make(), "c", 1)
    assert svg_size(chart.narrow)[0] <= draw.NARROW
    assert "Hammersmith and Fulham · declined: 12" in re.findall(r'data-tip="([^"]*)"', chart.narrow)
