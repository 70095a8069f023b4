"""The charts of the story pages in headless Chromium: drawn as SVG at build time, fitting a 360 px phone,
with tooltips on hover, tap and keyboard, and no chart runtime.

Pages are served from 127.0.0.1; every request is logged and any outside the site folder refused.
"""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from scr_lib import findings
from scr_lib.runner import run

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# The pages of findings that declare a chart (the area comparison draws none).
FINDING_PAGES = [nb.stem for nb in run.notebooks() if findings.by_notebook(nb.stem).charts]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}

# Every element of each chart that reaches past the right edge of the screen, or left of 0.
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('figure.chart, figure.chart *')]
        .filter(e => e.getClientRects().length)
        .map(e => [e.tagName + '.' + (e.getAttribute('class') || ''), e.getBoundingClientRect()])
        .filter(([, r]) => r.right > width + 0.5 || r.left < -0.5)
        .map(([name, r]) => `${name} ${Math.round(r.left)}..${Math.round(r.right)}`);
}"""

VISIBLE_TIPS = """() => [...document.querySelectorAll('figure.chart [data-tip]')]
    .filter(e => e.getClientRects().length).map(e => e.getAttribute('data-tip'))"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site_url(story_run):
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(story_run / "site")))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture
def open_page(browser):
    """``open_page(url, **context options)``: a loaded page in a fresh context; its ``requests`` and
    ``outside`` (refused requests) lists are attributes of the page."""
    contexts = []

    def load(url: str, allowed: str, **options):
        context = browser.new_context(service_workers="block", **options)
        contexts.append(context)
        page = context.new_page()
        page.requests, page.outside, page.errors = [], [], []

        def route(r):
            if r.request.url.startswith(allowed) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                page.outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.goto(url, wait_until="load")
        return page

    yield load
    for context in contexts:
        context.close()


@pytest.mark.parametrize("stem", FINDING_PAGES)
def test_charts_fit_a_360px_phone_with_nothing_clipped(open_page, site_url, stem):
    page = open_page(f"{site_url}{stem}.html", site_url, viewport=PHONE, has_touch=True, is_mobile=True)
    svgs = page.locator("figure.chart .chart-view svg")
    shown = [svgs.nth(i) for i in range(svgs.count()) if svgs.nth(i).is_visible()]
    assert shown, "no chart drawing is shown"
    for svg in shown:
        box = svg.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
        assert float(svg.get_attribute("width")) <= box["width"] + 0.5  # drawn for the phone, not scaled down
    assert page.evaluate(OVERFLOWING) == []


@pytest.mark.parametrize("stem", FINDING_PAGES)
def test_a_tap_on_a_mark_shows_its_tooltip(open_page, site_url, stem):
    page = open_page(f"{site_url}{stem}.html", site_url, viewport=PHONE, has_touch=True, is_mobile=True)
    page.wait_for_selector("html[data-charts='done']", state="attached")
    marks = page.locator("figure.chart [data-tip]")
    mark = next(marks.nth(i) for i in range(marks.count()) if marks.nth(i).is_visible())
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = page.locator(".chart-tooltip[role='status']")
    tooltip.wait_for(state="visible", timeout=2000)
    assert tooltip.inner_text() == mark.get_attribute("data-tip")
    assert page.locator(".chart-tooltip").count() == 1
    tip = tooltip.bounding_box()
    assert tip["x"] >= 0 and tip["x"] + tip["width"] <= PHONE["width"]  # the tooltip fits the screen too
    page.touchscreen.tap(5, 5)  # elsewhere: it goes
    tooltip.wait_for(state="hidden", timeout=2000)
    assert page.errors == []


def test_hovering_a_mark_shows_its_tooltip_and_leaving_hides_it(open_page, site_url):
    page = open_page(f"{site_url}{FINDING_PAGES[0]}.html", site_url, viewport=DESKTOP)
    marks = page.locator("figure.chart .chart-wide [data-tip]")
    mark = marks.nth(marks.count() // 2)
    mark.hover()
    tooltip = page.locator(".chart-tooltip")
    tooltip.wait_for(state="visible", timeout=2000)
    assert tooltip.inner_text() == mark.get_attribute("data-tip")
    page.mouse.move(1, 1)
    tooltip.wait_for(state="hidden", timeout=2000)


def test_the_keyboard_reaches_each_chart_once_and_the_arrow_keys_step_through_its_marks(open_page, site_url):
    page = open_page(f"{site_url}{FINDING_PAGES[0]}.html", site_url, viewport=DESKTOP)
    page.wait_for_selector("html[data-charts='done']", state="attached")
    tips = page.evaluate(VISIBLE_TIPS)
    assert len(tips) > 3
    # one tab stop per chart, not one per mark
    assert page.evaluate("[...document.querySelectorAll('figure.chart')].every(f => f.tabIndex === 0)")
    assert page.evaluate("document.querySelectorAll('figure.chart [tabindex]').length") == 0
    page.focus("figure.chart")
    tooltip = page.locator(".chart-tooltip")
    tooltip.wait_for(state="visible", timeout=2000)
    assert tooltip.inner_text() == tips[0]
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert tooltip.inner_text() == tips[2]
    page.keyboard.press("End")
    assert tooltip.inner_text() == tips[-1]
    page.keyboard.press("Escape")
    tooltip.wait_for(state="hidden", timeout=2000)


@pytest.mark.parametrize("stem", FINDING_PAGES)
def test_no_chart_runtime_and_no_request_outside_the_site(open_page, site_url, stem):
    page = open_page(f"{site_url}{stem}.html", site_url, viewport=DESKTOP)
    page.wait_for_selector("html[data-charts='done']", state="attached")
    assert page.outside == [] and page.errors == []
    assert not any("vega" in url for url in page.requests)
    assert page.evaluate("typeof window.vegaEmbed") == "undefined"
    assert page.evaluate("performance.getEntriesByName('scr-first-chart').length") == 1
    tips = page.evaluate("[...document.querySelectorAll('[data-tip]')].map(e => e.getAttribute('data-tip'))")
    assert tips
    for tip in tips:
        for word in ("null", "Value", "undefined", "NaN"):
            assert word not in tip, tip


def test_without_javascript_the_charts_still_show_with_their_words(open_page, site_url):
    """No script: the drawing shows, and so does the chart in words that describes it (issue 25: the marks'
    own hover titles were dropped for weight; the words and the figures table stand in for them)."""
    page = open_page(f"{site_url}{FINDING_PAGES[0]}.html", site_url, viewport=PHONE, java_script_enabled=False)
    svg = page.locator("figure.chart .chart-narrow svg").first
    assert svg.is_visible() and svg.bounding_box()["height"] > 100
    figure = page.locator("figure.chart").first
    words = page.locator(f"#{figure.get_attribute('aria-describedby')}")
    assert words.is_visible() and words.inner_text().startswith(figure.locator(".chart-title").inner_text())
