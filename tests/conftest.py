"""Shared fixtures: small FOI files written from inline rows."""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import pytest

FOI_HEADER = ["pct", "rollout_begun", "practices_invited", "practices_declined", "practices_signed_up",
              "spend_to_date_gbp", "spend_expected_gbp", "records_uploaded", "records_viewed",
              "foi_ref", "notes", "illustrative"]


def write_foi(path: Path, rows: list[dict], header: list[str] = FOI_HEADER) -> Path:
    """Write FOI rows (dicts of text; missing keys are blank) as a UTF-8 CSV and return the path."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


# Fixtures that make a real `scr run` (a subprocess running every notebook, several seconds each)
REAL_RUNS = {"story_run", "own_run", "crafted_story_run", "story_run_again", "previous_run"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """A test that uses a real run is slow whether or not it says so: `make test-fast` leaves it out."""
    for item in items:
        if REAL_RUNS & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True, scope="session")
def _fast_tests_start_no_kernel():
    """Under `make test-fast` (SCR_TEST_FAST=1) a test that starts a Jupyter kernel fails, naming the fix."""
    if os.environ.get("SCR_TEST_FAST") != "1":
        yield
        return
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    async def refuse(*args, **kwargs):
        raise RuntimeError("this test starts a Jupyter kernel: mark it @pytest.mark.slow (make test-fast runs "
                           "only tests that start no kernel or browser)")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LocalProvisioner, "launch_kernel", refuse)
        yield


# --- Headless Chromium (tests/test_browser.py, tests/test_lab.py) --------------------------------

CHROMIUM = Path(os.environ.get("SCR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 # no name resolves except the local server's address: nothing can reach the network
                 "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; under CI=true the browser tests must run (.ci/run installs chromium)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright. Skips without it, except under CI=true (fails)."""
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                     "(apt-get install chromium) or set SCR_CHROMIUM to run the browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


# Viewports of the acceptance tests (issue 14): a phone held upright, with a touch screen, and a desktop.
SCREENS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}


def new_context(browser, screen: str = "desktop", **options):
    """A new browser context sized as ``screen`` ("phone": 390x844 with touch, "desktop": 1280x800).
    Service workers are blocked; ``options`` go to Playwright's ``browser.new_context`` (e.g.
    ``java_script_enabled=False``). The caller closes it."""
    return browser.new_context(**{**SCREENS[screen], "service_workers": "block", **options})


@pytest.fixture
def browser_context(browser):
    """A factory: ``browser_context("phone")`` or ``browser_context("desktop", **options)`` opens a context
    (see :func:`new_context`); every context it opened is closed after the test."""
    opened = []

    def make(screen: str = "desktop", **options):
        opened.append(new_context(browser, screen, **options))
        return opened[-1]

    yield make
    for context in opened:
        context.close()


# axe-core, installed by `make install` (npm ci in tests/browser/, versions pinned in its package-lock.json)
AXE_JS = Path(__file__).parent / "browser" / "node_modules" / "axe-core" / "axe.min.js"
AXE_IMPACTS = ("minor", "moderate", "serious", "critical")


def axe_violations(page, impacts=AXE_IMPACTS) -> list[dict]:
    """Run axe-core on the page as it is now and return its violations of the given impacts, each a dict:
    ``id``, ``impact``, ``help``, ``targets`` (a CSS selector per failing element) and ``summaries`` (what
    axe says is wrong with each). Skips without axe-core (fails under CI=true).

    axe is read from disk, nothing is fetched. It is evaluated through the DevTools protocol rather than
    added as a ``<script>`` tag: the pages' Content Security Policy (script-src 'self') refuses inline
    scripts, and bypassing it would also hide the CSP errors the other tests look for."""
    if not AXE_JS.exists():
        _unavailable(f"axe-core not found at {AXE_JS}: run `make install` (it runs npm ci in tests/browser; "
                     "needs Node.js and npm: apt-get install nodejs npm)")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    loaded, locked = page.evaluate("axe.version"), axe_version()
    if loaded != locked:
        pytest.fail(f"axe-core {loaded} is installed, package-lock.json pins {locked}: run `make install`")
    found = page.evaluate("""async () => {
        const results = await axe.run(document, {resultTypes: ["violations"]});
        return results.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            targets: v.nodes.map(n => n.target.join(" ")),
            summaries: v.nodes.map(n => n.failureSummary || "")}));
    }""")
    return [v for v in found if v["impact"] in impacts]


def axe_version() -> str:
    """The axe-core version tests/browser/package-lock.json pins."""
    import json

    lock = json.loads((AXE_JS.parents[2] / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/axe-core"]["version"]


def describe_violations(violations: list[dict], most: int = 5) -> str:
    """The violations as lines a reader can act on: id (impact): help, then up to ``most`` targets each."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for target, summary in list(zip(v["targets"], v["summaries"]))[:most]:
            first = summary.splitlines()[1].strip() if len(summary.splitlines()) > 1 else summary
            lines.append(f"    {target}: {first}")
        if len(v["targets"]) > most:
            lines.append(f"    ... and {len(v['targets']) - most} more")
    return "\n".join(lines)


@pytest.fixture
def foi_file(tmp_path):
    """A factory: ``foi_file(rows, name='foi.csv')`` writes a small FOI CSV in tmp_path."""
    def make(rows, name="foi.csv", header=FOI_HEADER):
        return write_foi(tmp_path / name, rows, header)
    return make


@pytest.fixture(scope="session")
def story_run(tmp_path_factory):
    """One real `scr run params/pulse_2010.yaml` into a temporary folder, shared by the session's tests."""
    from scr_lib import paths

    return scr_run(paths.DEFAULT_PARAMS, tmp_path_factory.mktemp("story") / "pulse_2010")


# --- Story pages (tests/test_site.py, tests/test_browser.py) ---------------------------------------

XSS = "<script>alert(1)</script>"
PHISH = "[phish](https://evil.example/login)"  # a column header written as a Markdown link (issue 12)


def scr_run(params_path: Path, out: Path, previous: Path | None = None) -> Path:
    """Run `scr run PARAMS --out OUT [--previous PREVIOUS]` as a user would; fail the test with its stderr if
    it fails."""
    import subprocess
    import sys

    from scr_lib import paths

    if os.environ.get("SCR_TEST_FAST") == "1":
        pytest.fail("this test makes a real `scr run`: mark it @pytest.mark.slow (make test-fast runs only tests "
                    "that start no kernel or browser)")
    more = ["--previous", str(previous)] if previous else []
    done = subprocess.run([sys.executable, "-m", "scr_lib.cli", "run", str(params_path), "--out", str(out), *more],
                          capture_output=True, text=True, cwd=paths.PROJ_ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return out


@pytest.fixture(scope="session")
def followup_run(tmp_path_factory, story_run):
    """The worked example, `scr run params/followup_2011.yaml`, compared with the bundled run (``story_run``,
    in place of its previous_run, build/pulse_2010, which a fresh clone has not made)."""
    from scr_lib import paths

    return scr_run(paths.PARAMS / "followup_2011.yaml", tmp_path_factory.mktemp("followup") / "followup_2011",
                   previous=story_run)


@pytest.fixture(scope="session")
def own_run(tmp_path_factory):
    """A journalist's own run: the bundled returns with the ``illustrative`` column emptied (nothing marked
    illustrative), under a params file of their own (``own.yaml``)."""
    from scr_lib import paths

    folder = tmp_path_factory.mktemp("own")
    with open(paths.FOI_2010, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(folder / "returns.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({**row, "illustrative": "", "notes": ""} for row in rows)
    params = folder / "own.yaml"
    params.write_text(f"name: own\nfoi_returns: {folder / 'returns.csv'}\n", encoding="utf-8")
    return scr_run(params, folder / "run")


@pytest.fixture(scope="session")
def crafted_story_run(tmp_path_factory):
    """A real `scr run` on the bundled FOI file with hostile text added: extra columns whose headers are
    a script tag and a Markdown link (the notebooks list ignored columns) and notes holding markup.
    Everything else as bundled."""
    from scr_lib import paths

    folder = tmp_path_factory.mktemp("crafted")
    with open(paths.FOI_2010, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    notes = header.index("notes")
    for row in body[:3]:
        row[notes] = f'{XSS} <img src=x onerror="alert(2)"> [link](javascript:alert(3))'
    with open(folder / "foi.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header + [XSS, PHISH]] + [row + ["x", "y"] for row in body])
    params = folder / "crafted.yaml"
    params.write_text(f"name: crafted\nfoi_returns: {folder / 'foi.csv'}\n", encoding="utf-8")
    return scr_run(params, folder / "run")


def crafted_run_dir(folder: Path, foi_path: Path, declares_foi: bool = True):
    """A run folder as `scr run` leaves it before rendering, holding one hand-made executed notebook whose
    every output carries hostile text (markdown, a pandas table, raw HTML, a chart, a stream, plain text).
    Returns (run_dir, params). Nothing is executed: rendering it is quick."""
    import json

    import altair as alt
    import nbformat
    import pandas as pd
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

    from scr_lib import charts, paths
    from scr_lib.inputs import checked, foi
    from scr_lib.runner import run
    from scr_lib.findings import load_params
    from scr_lib.story.results import Results, merge

    run_dir = folder / "run"
    (run_dir / "notebooks").mkdir(parents=True)
    (run_dir / "tables").mkdir()
    charts.use_house_style()
    frame = pd.DataFrame({"pct_name": [XSS, "NHS Dorset"], "share": [0.25, 0.5]})
    spec = alt.Chart(frame, title=XSS).mark_bar().encode(x="share:Q", y="pct_name:N",
                                                          tooltip=["pct_name", "share"]).to_dict()
    params_src = 'foi_returns = "data/foi.csv"\noutput_dir = ""' if declares_foi else 'output_dir = ""'
    cells = [
        new_markdown_cell(f"# A crafted page {XSS}\n\nAuthored text <b onmouseover=alert(4)>bold</b>."),
        new_code_cell(params_src, metadata={"tags": ["parameters"]}),
        new_code_cell("say()", outputs=[
            new_output("execute_result", {"text/markdown": f"Columns not used: {XSS} <img src=x onerror=alert(2)>",
                                          "text/plain": "<Markdown>"}, execution_count=1)]),
        new_code_cell("frame", outputs=[
            new_output("execute_result", {"text/html": frame.to_html(), "text/plain": XSS}, execution_count=2)]),
        new_code_cell("styler", outputs=[
            new_output("display_data", {"text/html": f"<table><tr><td onclick='alert(5)'>{XSS}</td></tr></table>"
                                                     f"<style>body{{display:none}}</style>"
                                                     f"<a href='javascript:alert(6)'>x</a>"})]),
        new_code_cell("chart", outputs=[
            new_output("execute_result", {"application/vnd.vegalite.v5+json": spec, "text/plain": "<Chart>"},
                       execution_count=3)]),
        new_code_cell("print()", outputs=[new_output("stream", name="stdout", text=f"{XSS}\n")]),
    ]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                            "language": "python"},
                                             "language_info": {"name": "python"}})
    nbformat.write(nb, run_dir / "notebooks" / "01-crafted.ipynb")
    # what the notebook would have handed over, and what `scr run` writes beside it
    results = Results("01-crafted")
    results.add("refusal.share", 0.25, "fraction", XSS)
    results.table("crafted_table", frame)
    results.save(run_dir)
    (run_dir / "results.json").write_text(json.dumps(merge(run_dir)))
    params = folder / "crafted.yaml"
    params.write_text(f"name: crafted\nfoi_returns: {foi_path}\n", encoding="utf-8")
    params = load_params(params)
    declared = ["foi_returns", "output_dir"] if declares_foi else ["output_dir"]
    shown = paths.display(params.values["foi_returns"], paths.PROJ_ROOT)
    run.write_inputs(run_dir, {"01-crafted": declared}, checked.summary(foi.load_returns(foi_path), shown))
    return run_dir, params


CRAFTED_FOI_ROWS = [
    {"pct": "NHS Dorset", "rollout_begun": "yes", "practices_invited": "10", "practices_declined": "1",
     "notes": XSS, "illustrative": ""},
    {"pct": "NHS Buckinghamshire", "rollout_begun": "no", "notes": "<img src=x onerror=alert(2)>",
     "illustrative": "*"},
]


@pytest.fixture(scope="session")
def crafted_site(tmp_path_factory):
    """The site rendered from :func:`crafted_run_dir` (illustrative FOI rows; the notebook reads the FOI file)."""
    from scr_lib import site

    folder = tmp_path_factory.mktemp("crafted_site")
    run_dir, params = crafted_run_dir(folder, write_foi(folder / "foi.csv", CRAFTED_FOI_ROWS))
    return site.render(run_dir, params)


@pytest.fixture(scope="session")
def drawn(crafted_site):
    """The cache of :func:`crafted_site`'s render (its chart drawings and share cards): a test that renders
    another crafted run for its words passes it as ``previous`` and draws none again (about 0.2 s a render)."""
    return crafted_site.parent / ".cache"


@pytest.fixture(scope="module")
def areas_url(story_run):
    """The bundled run's site served on 127.0.0.1, for the area pages' browser tests."""
    from test_browser import serve

    url, server = serve(story_run / "site")
    yield url
    server.shutdown()


@pytest.fixture
def open_page(browser):
    """Open pages in the browser (test_browser.Visit), each closed after the test."""
    from test_browser import Visit

    opened = []

    def make(url: str, allowed: str, screen: str = "desktop", **options):
        opened.append(Visit(browser, url, allowed, screen, **options))
        return opened[-1]

    yield make
    for v in opened:
        v.close()
