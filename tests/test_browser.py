"""The story pages in a real browser: the acceptance tests of issue 14, in headless Chromium.

Every page of the bundled site (the index and each finding) is opened from a local HTTP server on
127.0.0.1 at two screens, a phone (390x844, touch) and a desktop (1280x800), with every request logged and
any request outside the site folder refused. At each screen: the headline is in the first viewport, nothing
overflows sideways, axe-core finds no critical or serious violation, a chart mark shows its tooltip when
tapped (phone) or hovered and focused (desktop), no request leaves the site folder and nothing goes to the
console as an error. Then the pages from file:// (as a reader opening the folder offline would), with
JavaScript and without, the code of "How we did it", and hostile text that must stay text.

The selectors are the contract of issue 14 (.story-headline, figure.chart, [data-tip], .chart-tooltip,
details.code, .table-wrap). Chromium: Debian's ``chromium`` at /usr/bin/chromium (or $SCR_CHROMIUM);
axe-core: tests/browser/node_modules (``make install``). Without them these tests skip, except under
CI=true, where they fail.
"""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import SCREENS, XSS, axe_version, axe_violations, describe_violations, new_context
from scr_lib import findings
from scr_lib.runner import run

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAGES = ["index"] + [nb.stem for nb in run.notebooks()]
FINDINGS = PAGES[1:]
SCREEN_NAMES = list(SCREENS)
# The parts of a story page, in reading order (issue 14's contract).
STORY_SECTIONS = ["story-lead", "story-chart", "story-shows", "story-caveats", "story-claims", "story-method"]


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
    """One page load in a fresh context sized as ``screen``, with every request, console message and
    dialog recorded. Requests outside ``allowed`` (a URL prefix) are refused and recorded in ``outside``.
    Waits (at most 10 s) for site.js to mark the charts done when the page has any."""

    def __init__(self, browser, url: str, allowed: str, screen: str = "desktop", **options):
        self.url, self.screen, self.allowed = url, screen, allowed
        self.name = f"{url.rsplit('/', 1)[-1]} at {SCREENS[screen]['viewport']['width']} px"
        self.requests, self.outside, self.errors, self.dialogs = [], [], [], []
        self.context = new_context(browser, screen, **options)
        self.context.set_default_timeout(10_000)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", self._log)
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.goto(url, wait_until="load")
        self.charts_done = None
        if options.get("java_script_enabled", True) and self.page.locator("figure.chart").count():
            try:
                self.page.wait_for_selector('html[data-charts="done"]', state="attached", timeout=10_000)
            except Exception:  # playwright's TimeoutError: the tests that need the charts say so
                self.charts_done = self.page.evaluate("document.documentElement.dataset.charts || null")
            else:
                self.charts_done = "done"

    def _inside(self, url: str) -> bool:
        return url.startswith(self.allowed) or url.startswith("data:")

    def _log(self, request):
        self.requests.append(request.url)
        if not self._inside(request.url) and request.url not in self.outside:
            self.outside.append(request.url)

    def _route(self, route):
        if self._inside(route.request.url):
            route.continue_()
        else:
            if route.request.url not in self.outside:
                self.outside.append(route.request.url)
            route.abort()

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser):
    """A factory: ``visit(url, allowed, screen="desktop", **context options)``; closed after the test."""
    opened = []

    def open_page(url: str, allowed: str, screen: str = "desktop", **options) -> Visit:
        opened.append(Visit(browser, url, allowed, screen, **options))
        return opened[-1]

    yield open_page
    for v in opened:
        v.close()


@pytest.fixture(scope="module")
def loaded(browser, story_site_url):
    """``loaded(stem, screen)``: the page, loaded once per module and shared by the tests that only look
    (headline, overflow, axe, requests, console). Tests that tap or click open their own."""
    cache = {}

    def get(stem: str, screen: str) -> Visit:
        if (stem, screen) not in cache:
            cache[stem, screen] = Visit(browser, f"{story_site_url}{stem}.html", story_site_url, screen)
        page = cache[stem, screen].page
        page.evaluate("window.scrollTo(0, 0)")
        return cache[stem, screen]

    yield get
    for v in cache.values():
        v.close()


def describe(element: dict) -> str:
    return element["what"] + (f" “{element['text']}”" if element.get("text") else "")


# -- The headline is the first thing a reader sees ------------------------------------------------

HEADLINE = """(height) => {
    const el = document.querySelector('.story-headline');
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, height: r.height, viewport: Math.min(window.innerHeight, height),
            visible: el.checkVisibility({visibilityProperty: true}) && r.height > 0,
            text: el.innerText.trim().slice(0, 80)};
}"""


@pytest.mark.parametrize("screen", SCREEN_NAMES)
@pytest.mark.parametrize("stem", PAGES)
def test_headline_is_in_the_first_viewport(loaded, stem, screen):
    v = loaded(stem, screen)
    box = v.page.evaluate(HEADLINE, SCREENS[screen]["viewport"]["height"])
    assert box is not None, f"{v.name}: no .story-headline on the page"
    assert box["visible"] and box["text"], f"{v.name}: .story-headline is empty or hidden ({box})"
    assert box["top"] >= 0 and box["bottom"] <= box["viewport"], (
        f"{v.name}: .story-headline “{box['text']}” spans {box['top']:.0f}-{box['bottom']:.0f} px down the page; "
        f"the first viewport ends at {box['viewport']} px")


# -- Nothing is wider than the screen --------------------------------------------------------------

# Every rendered element whose right edge (clipped by any ancestor that clips) is beyond the screen,
# outermost first, and every element that scrolls sideways except a table's .table-wrap and a code block.
OVERFLOW = """(width) => {
    const screen = Math.min(window.innerWidth, document.documentElement.clientWidth, width);
    const what = el => {
        let s = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');
        const cls = typeof el.className === 'string' ? el.className.trim() : (el.getAttribute('class') || '');
        if (cls) s += '.' + cls.split(/\\s+/).slice(0, 3).join('.');
        const parent = el.closest('figure[id], section[class], article, header, footer, nav, aside');
        if (parent && parent !== el) {
            const p = parent.tagName.toLowerCase() + (parent.id ? '#' + parent.id : '')
                + (parent.classList.length ? '.' + parent.classList[0] : '');
            s += ' in ' + p;
        }
        return s;
    };
    const text = el => (el.innerText || el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
    const beyond = new Set(), wide = [], scrolls = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (!el.checkVisibility({visibilityProperty: true})) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        let right = r.right;
        for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') right = Math.min(right, a.getBoundingClientRect().right);
        }
        if (right > screen + 0.5) {
            beyond.add(el);
            if (!beyond.has(el.parentElement)) wide.push({what: what(el), text: text(el), right: Math.round(right)});
        }
        const style = getComputedStyle(el);
        if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
                && !el.matches('.table-wrap, pre, pre *')) {
            scrolls.push({what: what(el), text: text(el), content: el.scrollWidth, box: el.clientWidth});
        }
    }
    return {screen, document: document.documentElement.scrollWidth, wide, scrolls};
}"""


@pytest.mark.parametrize("screen", SCREEN_NAMES)
@pytest.mark.parametrize("stem", PAGES)
def test_nothing_overflows_horizontally(loaded, stem, screen):
    v = loaded(stem, screen)
    found = v.page.evaluate(OVERFLOW, SCREENS[screen]["viewport"]["width"])
    problems = []
    if found["document"] > found["screen"]:
        problems.append(f"the page is {found['document']} px wide, {found['document'] - found['screen']} px "
                        "wider than the screen")
    problems += [f"{describe(e)} reaches {e['right']} px" for e in found["wide"][:8]]
    problems += [f"{describe(e)} scrolls sideways: {e['content']} px of content in {e['box']} px"
                 for e in found["scrolls"][:8]]
    assert not problems, f"{v.name} (screen {found['screen']} px):\n  " + "\n  ".join(problems)


# -- Accessibility ------------------------------------------------------------------------------------

def all_violations(v: Visit) -> list[dict]:
    """axe-core's violations on the loaded page, all impacts; run once per page and screen."""
    if not hasattr(v, "axe"):
        v.axe = axe_violations(v.page)
    return v.axe


@pytest.mark.parametrize("screen", SCREEN_NAMES)
@pytest.mark.parametrize("stem", PAGES)
def test_axe_finds_no_serious_or_critical_violation(loaded, stem, screen):
    v = loaded(stem, screen)
    violations = [f for f in all_violations(v) if f["impact"] in ("serious", "critical")]
    assert not violations, f"{v.name}: axe-core {axe_version()} reports\n{describe_violations(violations)}"


@pytest.mark.parametrize("screen", SCREEN_NAMES)
@pytest.mark.parametrize("stem", PAGES)
def test_everything_visible_is_inside_a_landmark(loaded, stem, screen):
    """header, nav, main and footer hold all the content (axe's region and landmark rules, any impact)."""
    v = loaded(stem, screen)
    violations = [f for f in all_violations(v) if f["id"] == "region" or f["id"].startswith("landmark-")]
    assert not violations, f"{v.name}: axe-core {axe_version()} reports\n{describe_violations(violations)}"


@pytest.mark.parametrize("stem", ["index", FINDINGS[0]])
def test_skip_link_is_the_first_tab_stop_and_leads_to_the_main_content(visit, story_site_url, stem):
    v = visit(f"{story_site_url}{stem}.html", story_site_url, "desktop")
    v.page.keyboard.press("Tab")
    first = v.page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
        return {tag: a.tagName.toLowerCase(), href: a.getAttribute('href'), text: a.innerText.trim(),
                shown: r.width > 1 && r.height > 1 && r.top >= 0 && r.left >= 0}; }""")
    assert first["tag"] == "a" and first["href"] == "#main", f"{v.name}: the first Tab stop is {first}, not a " \
                                                             "link to #main"
    assert first["shown"], f"{v.name}: the skip link “{first['text']}” is not visible when it has focus"
    v.page.keyboard.press("Enter")
    landed = v.page.evaluate("document.activeElement.closest('main') !== null")
    assert landed, f"{v.name}: following the skip link does not move the focus into <main>"


# -- The page stays in its folder and is quiet ----------------------------------------------------

@pytest.mark.parametrize("screen", SCREEN_NAMES)
@pytest.mark.parametrize("stem", PAGES)
def test_no_request_leaves_the_site_folder_and_no_console_error(loaded, stem, screen):
    v = loaded(stem, screen)
    v.page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")  # anything loaded lazily
    v.page.evaluate("window.scrollTo(0, 0)")
    assert not v.outside, f"{v.name} asked for {len(v.outside)} address(es) outside the site folder: {v.outside}"
    assert not v.errors, f"{v.name} logged console errors: {v.errors}"
    assert not v.dialogs, f"{v.name} opened dialogs: {v.dialogs}"


# -- Tooltips on tap, hover and keyboard focus ----------------------------------------------------

FIRST_TIPS = """() => [...document.querySelectorAll('figure.chart')].map(f => {
    // the drawing this screen shows: the phone and desktop drawings are both in the page, one hidden
    const mark = [...f.querySelectorAll('[data-tip]')].find(m => m.checkVisibility());
    return {id: f.id, tip: mark ? mark.getAttribute('data-tip') : null};
})"""

TOOLTIP = """() => [...document.querySelectorAll('.chart-tooltip')]
    .filter(t => t.checkVisibility({visibilityProperty: true, opacityProperty: true}))
    .map(t => { const r = t.getBoundingClientRect();
                return {text: t.innerText.trim(), role: t.getAttribute('role'), left: r.left, right: r.right}; })"""


def first_marks(v: Visit) -> list[dict]:
    """The first visible ``[data-tip]`` of each chart on the page; fails if a chart has none or the page none."""
    charts = v.page.evaluate(FIRST_TIPS)
    stem = v.url.rsplit("/", 1)[-1]
    if not charts and stem.startswith("index"):
        pytest.skip("the index has no chart")
    if not charts and not findings.by_notebook(stem.removesuffix(".html")).charts:
        pytest.skip(f"{stem} is a finding that declares no chart")
    assert charts, f"{v.name}: no figure.chart on a finding page"
    missing = [c["id"] or "a figure without id" for c in charts if c["tip"] is None]
    assert not missing, f"{v.name}: no mark with data-tip in figure {', '.join(missing)}"
    return charts


def shown_tooltip(v: Visit, chart: dict, how: str) -> None:
    """After ``how`` (tap, hover, focus) on the chart's first mark: one visible .chart-tooltip, role=status,
    whose text is the mark's data-tip, with no "null", no field called "Value", inside the screen."""
    where = f"{v.name}, #{chart['id']}: {how} on its first [data-tip]"
    try:
        v.page.wait_for_function(f"({TOOLTIP})().length > 0", timeout=2_000)
    except Exception:  # playwright's TimeoutError
        pass
    shown = v.page.evaluate(TOOLTIP)
    assert len(shown) == 1, f"{where}: expected one visible .chart-tooltip, found {len(shown)} (data-charts=" \
                            f"{v.charts_done!r})"
    tip, text = shown[0], chart["tip"].strip()
    assert tip["role"] == "status", f"{where}: .chart-tooltip has role={tip['role']!r}, not status"
    assert " ".join(tip["text"].split()) == " ".join(text.split()), \
        f"{where}: tooltip says {tip['text']!r}, data-tip says {text!r}"
    assert not re.search(r"\bnull\b", tip["text"], re.I), f"{where}: tooltip shows null: {tip['text']!r}"
    assert not re.search(r"(^|\n)\s*Value\b", tip["text"]), f"{where}: tooltip has a field called Value: {tip['text']!r}"
    width = SCREENS[v.screen]["viewport"]["width"]
    assert tip["left"] >= 0 and tip["right"] <= width, \
        f"{where}: the tooltip spans {tip['left']:.0f}-{tip['right']:.0f} px, beyond the {width} px screen"


@pytest.mark.parametrize("stem", PAGES)
def test_tooltip_appears_on_tap(visit, story_site_url, stem):
    v = visit(f"{story_site_url}{stem}.html", story_site_url, "phone")
    for chart in first_marks(v):
        mark = v.page.locator(f"#{chart['id']} [data-tip] >> visible=true").first
        mark.scroll_into_view_if_needed()
        try:
            mark.tap(timeout=5_000)
            problem = None
        except Exception as error:  # playwright's TimeoutError: something covers the mark
            covers = [line.strip(" -") for line in str(error).splitlines() if "intercepts" in line]
            problem = f"{str(error).splitlines()[0]} ({covers[-1] if covers else 'nothing covers it'})"
        if problem:
            wide = v.page.evaluate("document.documentElement.scrollWidth")
            hint = f"; the page is {wide} px wide, so the phone zoomed out" if wide > 390 else ""
            pytest.fail(f"{v.name}, #{chart['id']}: its first [data-tip] cannot be tapped: {problem}{hint}")
        shown_tooltip(v, chart, "tap")
    assert not v.outside, f"{v.name}: tapping asked for addresses outside the site folder: {v.outside}"
    assert not v.errors, f"{v.name}: tapping logged console errors: {v.errors}"


@pytest.mark.parametrize("stem", PAGES)
def test_tooltip_appears_on_hover_and_on_keyboard_focus(visit, story_site_url, stem):
    v = visit(f"{story_site_url}{stem}.html", story_site_url, "desktop")
    for chart in first_marks(v):
        mark = v.page.locator(f"#{chart['id']} [data-tip] >> visible=true").first
        mark.hover()
        shown_tooltip(v, chart, "hover")
        v.page.mouse.move(0, 0)
        # The keyboard reaches a chart once (one tab stop, not one per bar); focus shows its first mark.
        v.page.focus(f"#{chart['id']}")
        shown_tooltip(v, chart, "keyboard focus")
        focused = v.page.evaluate("document.activeElement && document.activeElement.id")
        assert focused == chart["id"], f"{v.name}, #{chart['id']}: the chart cannot take keyboard focus (tabindex)"
    assert not v.outside, f"{v.name}: hovering asked for addresses outside the site folder: {v.outside}"
    assert not v.errors, f"{v.name}: hovering or focusing logged console errors: {v.errors}"


# -- Offline, from file://, with and without JavaScript -------------------------------------------

@pytest.mark.parametrize("stem", PAGES)
def test_pages_work_from_file_urls(visit, story_run, stem):
    prefix = (story_run / "site").resolve().as_uri() + "/"
    v = visit(f"{prefix}{stem}.html", prefix, "phone")
    assert not v.outside, f"{v.name} from file://: requests outside the folder: {v.outside}"
    assert not v.errors, f"{v.name} from file://: console errors: {v.errors}"
    if v.page.locator("figure.chart").count():
        assert v.charts_done == "done", f"{v.name} from file://: site.js never set data-charts=done " \
                                        f"(it is {v.charts_done!r})"


# What a reader without JavaScript sees: each chart's inline SVG and its size, each text block that is not
# in a closed <details> and whether it is rendered, and the story sections.
NO_SCRIPT = """() => {
    const shown = el => el.checkVisibility({visibilityProperty: true, opacityProperty: true})
                        && el.getBoundingClientRect().width > 0;
    const charts = [...document.querySelectorAll('figure.chart')].map(f => {
        const svg = f.querySelector('svg');
        const r = svg ? svg.getBoundingClientRect() : null;
        return {id: f.id, svg: !!svg, shown: !!svg && shown(svg), width: r ? r.width : 0, height: r ? r.height : 0,
                marks: svg ? svg.querySelectorAll('[data-tip], rect, circle, path, line').length : 0,
                caption: (f.querySelector('figcaption') || {innerText: ''}).innerText.trim()};
    });
    const blocks = [...document.querySelectorAll(
            'main :is(p, li, h1, h2, h3, h4, dt, dd, th, td, caption, figcaption, summary)')]
        .filter(el => !el.closest('details:not([open]) > :not(summary)') && el.textContent.trim())
        .filter(el => !shown(el))
        .map(el => el.tagName.toLowerCase() + ' “' + el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 60) + '”');
    const sections = Object.fromEntries([...document.querySelectorAll('main section[class]')]
        .map(s => [s.classList[0], shown(s) && s.innerText.trim().length > 0]));
    const headline = document.querySelector('.story-headline');
    return {charts, hidden: blocks, sections,
            headline: headline && shown(headline) ? headline.innerText.trim() : null};
}"""


@pytest.mark.parametrize("stem", PAGES)
def test_page_reads_offline_with_javascript_off(visit, story_run, stem):
    prefix = (story_run / "site").resolve().as_uri() + "/"
    v = visit(f"{prefix}{stem}.html", prefix, "phone", java_script_enabled=False)
    seen = v.page.evaluate(NO_SCRIPT)
    problems = [f"requests outside the folder: {v.outside}"] if v.outside else []
    if not seen["headline"]:
        problems.append("no visible .story-headline")
    if seen["hidden"]:
        problems.append(f"text not shown: {seen['hidden'][:8]}")
    if stem != "index":
        finding = findings.by_notebook(stem)  # a finding without a chart or published figures has no such section
        expected = [name for name in STORY_SECTIONS if (name != "story-chart" or finding.charts)
                    and (name != "story-claims" or finding.claimed)]
        missing = [name for name in expected if not seen["sections"].get(name)]
        if missing:
            problems.append(f"sections missing, hidden or empty: {missing}")
        if finding.charts and not seen["charts"]:
            problems.append("no figure.chart")
    for chart in seen["charts"]:
        if not (chart["svg"] and chart["shown"] and chart["width"] > 0 and chart["height"] > 0):
            problems.append(f"#{chart['id']} shows no inline SVG ({chart})")
        elif not chart["marks"]:
            problems.append(f"#{chart['id']}'s SVG has no marks")
        if not chart["caption"]:
            problems.append(f"#{chart['id']} has no figcaption text")
    assert not problems, f"{v.name}, offline with JavaScript off:\n  " + "\n  ".join(problems)


# -- "How we did it": code hidden until asked -----------------------------------------------------

@pytest.mark.parametrize("stem", FINDINGS)
def test_code_is_hidden_until_the_reader_asks(visit, story_site_url, stem):
    v = visit(f"{story_site_url}methods.html#{stem}", story_site_url, "phone")  # the code is on "How we did it"
    cells = v.page.locator(f"section.story-method[id='{stem}'] details.code")
    assert cells.count() > 0, f"{v.name}: no details.code in section.story-method"
    opened = v.page.evaluate("[...document.querySelectorAll('details.code')].filter(d => d.open).length")
    assert opened == 0, f"{v.name}: {opened} details.code open by default"
    first = cells.first
    code = first.locator(":scope > :not(summary)").first
    assert code.is_hidden(), f"{v.name}: the first code cell shows before it is asked for"
    first.locator("summary").focus()
    v.page.keyboard.press("Enter")
    assert code.is_visible(), f"{v.name}: Enter on the first code cell's summary does not show its code"
    v.page.keyboard.press("Enter")
    assert code.is_hidden(), f"{v.name}: Enter on the summary again does not hide the code"


# -- Hostile text stays text ------------------------------------------------------------------------

def test_hostile_text_shows_as_text_and_runs_nothing(visit, crafted_site):
    url, server = serve(crafted_site)
    try:
        methods = visit(f"{url}methods.html", url, "desktop")  # the notebook's steps: the crafted outputs
        assert methods.dialogs == [] and methods.errors == [] and methods.outside == []
        shown_there = methods.page.get_by_text(XSS, exact=False).count()
        v = visit(f"{url}01-crafted.html", url, "desktop")
        assert v.dialogs == [] and v.errors == [] and v.outside == [], (v.dialogs, v.errors, v.outside)
        assert v.page.get_by_text(XSS, exact=False).count() + shown_there >= 4, "the crafted text is not shown as text"
        assert v.page.evaluate("document.querySelectorAll('script:not([src]):not([type=\"application/json\"])')"
                               ".length") == 0, "an inline script is on the page"
        # the crafted notebook draws its chart in a step of "How we did it": on the methods page
        marks = methods.page.locator("figure.chart [data-tip] >> visible=true")
        tips = [marks.nth(i).get_attribute("data-tip") for i in range(marks.count())]
        hostile = [i for i, tip in enumerate(tips) if XSS in tip]
        assert hostile, f"no chart mark carries the crafted name in its data-tip: {tips}"
        marks.nth(hostile[0]).hover()
        tooltip = methods.page.locator(".chart-tooltip")
        tooltip.wait_for(state="visible", timeout=2_000)
        assert XSS in tooltip.inner_text(), "the tooltip does not show the crafted name as text"
        assert v.dialogs == [] and v.errors == [] and methods.dialogs == [] and methods.errors == []
    finally:
        server.shutdown()
