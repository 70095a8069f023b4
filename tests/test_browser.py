"""The story pages in a real browser: headless Chromium, with every request logged and outside ones refused.

Each page is opened from a local HTTP server on 127.0.0.1 (and once from file://, as a reader opening
the folder offline would). The tests assert that every chart shows its marks (SVG drawn at build time)
and a tooltip, that nothing went to the console as an error, that no request left the site
folder, that the code switch works, and that hostile text stays text.

Chromium: Debian's ``chromium`` at /usr/bin/chromium (or $SCR_CHROMIUM). Without it these tests skip,
except under CI=true, where they fail.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import XSS
from scr_lib.runner import run

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["index"] + [nb.stem for nb in run.notebooks()]

# The marks with a tooltip in the drawing each chart shows (SVG drawn at build time); how many in each chart.
COUNT_MARKS = """() => [...document.querySelectorAll('figure.chart')].map(f => {
    const view = [...f.querySelectorAll('.chart-view')].find(v => v.getClientRects().length);
    return {id: f.id, marks: view ? view.querySelectorAll('svg [data-tip]').length : 0};
})"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder: Path):
    """Serve ``folder`` on 127.0.0.1 (a free port); returns (base URL, server)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", server


@pytest.fixture(scope="module")
def story_site_url(story_run):
    url, server = serve(story_run / "site")
    yield url
    server.shutdown()


class Visit:
    """One page load in a fresh context, with every request, console message and dialog recorded.

    Requests outside ``allowed`` (a URL prefix) are refused and recorded in ``outside``.
    """

    def __init__(self, browser, url: str, allowed: str):
        self.requests, self.outside, self.errors, self.warnings, self.dialogs = [], [], [], [], []
        self.context = browser.new_context(viewport={"width": 1100, "height": 900}, service_workers="block")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self._log(request.url, allowed))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.allowed = allowed
        self.page.goto(url, wait_until="load")
        if self.page.locator("figure.chart").count():
            self.page.wait_for_selector("html[data-charts]", state="attached", timeout=20_000)

    def _log(self, url, allowed):
        self.requests.append(url)
        if not (url.startswith(allowed) or url.startswith("data:")):
            self.outside.append(url)

    def _route(self, route):
        if route.request.url.startswith(self.allowed):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.errors.append(message.text)
        elif message.type == "warning":
            self.warnings.append(message.text)

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    opened = []

    def open_page(url: str, allowed: str) -> Visit:
        opened.append(Visit(browser, url, allowed))
        return opened[-1]

    yield open_page
    for v in opened:
        v.close()


def assert_charts_drew(page):
    charts = page.evaluate(COUNT_MARKS)
    for chart in charts:
        assert chart["marks"] > 0, chart
    if charts:
        assert page.evaluate("document.documentElement.dataset.charts") == "done"
    return charts


def tooltips(page, figure_id: str, tries: int = 60, every: bool = False) -> list[str]:
    """Hover the marks of one chart and return the text of the chart tooltip for each that shows one:
    stop at the first unless ``every``."""
    found = []
    marks = page.locator(f"#{figure_id} .chart-view svg [data-tip]")
    for i in range(min(marks.count(), tries)):
        mark = marks.nth(i)
        if not mark.is_visible():
            continue
        mark.scroll_into_view_if_needed()
        box = mark.bounding_box()
        if not box or box["width"] * box["height"] == 0 and max(box["width"], box["height"]) < 2:
            continue
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tooltip = page.locator(".chart-tooltip")
        try:
            tooltip.wait_for(state="visible", timeout=400)
        except Exception:  # playwright's TimeoutError: try the next mark
            continue
        text = tooltip.inner_text().strip()
        if text:
            found.append(text)
            if not every:
                break
    return found


@pytest.mark.parametrize("stem", PAGES)
def test_page_draws_its_charts_offline_with_no_errors(visit, story_site_url, stem):
    v = visit(f"{story_site_url}{stem}.html", allowed=story_site_url)
    assert v.outside == [], "requests outside the site folder"
    assert v.errors == [], "console errors"
    assert v.dialogs == []
    charts = assert_charts_drew(v.page)
    if stem != "index":
        assert charts, f"{stem}.html has no chart"
        assert not any("vega" in url for url in v.requests)  # no chart runtime: the charts are SVG
    for chart in charts:
        assert tooltips(v.page, chart["id"]), f"no tooltip on {stem} {chart['id']}"
    assert v.errors == [], "console errors after hovering"


@pytest.mark.parametrize("stem", [s for s in PAGES if s != "index"])
def test_code_is_hidden_until_the_reader_asks(visit, story_site_url, stem):
    v = visit(f"{story_site_url}{stem}.html", allowed=story_site_url)
    details = v.page.locator("section.story-method details.code").first
    code = details.locator(".highlight")
    assert code.is_hidden()
    details.locator("summary").click()
    assert code.is_visible()
    details.locator("summary").click()
    assert code.is_hidden()


def test_pages_work_from_file_urls(visit, story_run):
    site_dir = (story_run / "site").resolve()
    prefix = site_dir.as_uri() + "/"
    for stem in PAGES:
        v = visit(prefix + f"{stem}.html", allowed=prefix)
        assert v.outside == [] and v.errors == [], stem
        assert_charts_drew(v.page)
        assert all(url.startswith(prefix) for url in v.requests), stem


def test_hostile_text_shows_as_text_and_runs_nothing(visit, crafted_site):
    url, server = serve(crafted_site)
    try:
        v = visit(f"{url}01-crafted.html", allowed=url)
        assert v.dialogs == [] and v.errors == [] and v.outside == []
        assert v.page.get_by_text(XSS, exact=False).count() >= 4
        assert v.page.evaluate("document.querySelectorAll('script:not([src]):not([type=\"application/json\"])')"
                               ".length") == 0
        charts = assert_charts_drew(v.page)
        assert any(XSS in text for text in tooltips(v.page, charts[0]["id"], every=True))
        assert v.dialogs == []
    finally:
        server.shutdown()
