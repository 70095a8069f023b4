"""The publishing pack (issue 25) in headless Chromium: share cards, chart files, embed pages, chart
contrast in light and dark modes, axe with every <details> open, print, and the dateline.

Two real runs: the bundled one (``story_run``: no byline, dates or corrections, links relative) and a
dated one (``dated_run``: the bundled data with byline, published and updated dates, a corrections note and
a site_url), so each conditional part is checked shown and not shown. Pages are served from 127.0.0.1;
any request outside the site folder is refused and recorded.
"""

from __future__ import annotations

import html as html_module
import re
import struct
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from conftest import SCREENS, axe_violations, describe_violations, new_context, scr_run
from test_browser import serve
from scr_lib import charts, findings, paths
from scr_lib.runner import run

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FINDING_PAGES = [nb.stem for nb in run.notebooks()]
CHART_PAGES = [stem for stem in FINDING_PAGES if findings.by_notebook(stem).charts]
DATELINE = {"byline": "Jane Doe, data reporter", "published": "2026-12-07", "updated": "2026-12-09",
            "corrections": "An earlier version misnamed a PCT.", "site_url": "https://example.org/scr"}


@pytest.fixture(scope="module")
def dated_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dated")
    params = folder / "dated.yaml"
    lines = [f"name: dated", f"foi_returns: {paths.FOI_2010}"] + [f'{k}: "{v}"' for k, v in DATELINE.items()]
    params.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return scr_run(params, folder / "run")


@pytest.fixture(scope="module")
def sites(story_run, dated_run):
    """{"plain": (url, folder), "dated": (url, folder)}: both sites served."""
    served = {}
    for name, run_dir in (("plain", story_run), ("dated", dated_run)):
        url, server = serve(run_dir / "site")
        served[name] = (url, run_dir / "site", server)
    yield {k: (u, f) for k, (u, f, _) in served.items()}
    for _, _, server in served.values():
        server.shutdown()


@pytest.fixture
def page_at(browser):
    """``page_at(url, allowed, width=1280, scheme="light", media=None)``: a loaded page; requests outside
    ``allowed`` are refused and listed in ``page.outside``; console errors in ``page.errors``."""
    contexts = []

    def load(url: str, allowed: str, width: int = 1280, scheme: str = "light", media: str | None = None):
        screen = "phone" if width < 800 else "desktop"
        context = new_context(browser, screen, viewport={"width": width, "height": 844}, color_scheme=scheme)
        contexts.append(context)
        page = context.new_page()
        page.outside, page.errors = [], []

        def route(r):
            if r.request.url.startswith(allowed) or r.request.url.startswith("data:"):
                r.continue_()
            else:
                page.outside.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        if media:
            page.emulate_media(media=media)
        page.goto(url, wait_until="load")
        if page.locator("figure.chart").count():
            page.wait_for_selector('html[data-charts="done"]', state="attached", timeout=10_000)
        return page

    yield load
    for context in contexts:
        context.close()


def one_area(site: Path) -> str:
    return sorted(p.name for p in (site / "areas").glob("*.html") if p.name != "index.html")[0]


def page_types(site: Path) -> list[str]:
    """One of each kind of page: the index, every finding, an area, the areas list, an embed page and a
    figures page."""
    embeds = sorted(p.name for p in (site / "embed").glob("*.html"))
    embed = next(e for e in embeds if not e.endswith("-figures.html"))
    figures = next(e for e in embeds if e.endswith("-figures.html"))
    return (["index.html"] + [f"{s}.html" for s in FINDING_PAGES]
            + [f"areas/{one_area(site)}", "areas/index.html", f"embed/{embed}", f"embed/{figures}"])


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def png_text(data: bytes) -> dict[str, str]:
    """The PNG's iTXt and tEXt chunks: keyword -> text."""
    out, at = {}, 8
    while at < len(data):
        length = int.from_bytes(data[at:at + 4], "big")
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        if kind == b"iTXt":
            keyword, rest = body.split(b"\x00", 1)
            out[keyword.decode()] = rest[2:].split(b"\x00", 2)[2].decode("utf-8")
        elif kind == b"tEXt":
            keyword, text = body.split(b"\x00", 1)
            out[keyword.decode()] = text.decode("latin-1")
        at += 12 + length
    return out


def local_file(site: Path, page_url: str, link: str) -> Path:
    return site / urlparse(urljoin(page_url, link)).path.lstrip("/")


# -- Share card ---------------------------------------------------------------------------------------

META = """() => Object.fromEntries([...document.querySelectorAll('meta[property], meta[name]')]
    .map(m => [m.getAttribute('property') || m.getAttribute('name'), m.getAttribute('content')]))"""


@pytest.mark.parametrize("which", ["plain", "dated"])
def test_every_page_has_a_description_and_a_share_card_whose_image_is_a_1200x630_png(page_at, sites, which):
    url, site = sites[which]
    for name in page_types(site):
        page = page_at(url + name, url)
        meta = page.evaluate(META)
        for key in ("description", "og:title", "og:description", "og:image", "og:type", "twitter:card"):
            assert meta.get(key), f"{name}: no {key} meta tag"
        assert meta["twitter:card"] == "summary_large_image"
        image = meta["og:image"]
        if which == "dated":  # absolute links under site_url; the file is the same path in the site
            assert image.startswith(DATELINE["site_url"] + "/"), f"{name}: og:image {image}"
            image_file = site / image[len(DATELINE["site_url"]) + 1:]
            assert meta.get("og:url", "").startswith(DATELINE["site_url"] + "/") or name.startswith("areas/"), name
        else:
            assert not re.match(r"https?:", image), f"{name}: og:image {image} is not relative"
            assert "og:url" not in meta, f"{name}: og:url without a site_url"
            image_file = local_file(site, page.url, image)
        assert image_file.is_file(), f"{name}: share image {image} missing"
        assert png_size(image_file.read_bytes()) == (1200, 630), f"{name}: {image_file.name}"


# -- Chart files --------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", CHART_PAGES)
def test_each_chart_downloads_as_png_and_svg_holding_its_title_source_and_credit(page_at, sites, stem):
    url, site = sites["dated"]
    page = page_at(f"{url}{stem}.html", url)
    figures = page.locator("figure.chart")
    assert figures.count() > 0
    for i in range(figures.count()):
        figure = figures.nth(i)
        title = figure.locator(".chart-title").inner_text()
        links = {a.inner_text(): a.get_attribute("href") for a in figure.locator(".chart-download a").all()}
        svg_file, png_file = local_file(site, page.url, links["SVG"]), local_file(site, page.url, links["PNG"])
        svg = svg_file.read_text(encoding="utf-8")
        assert html_module.escape(title, quote=False) in svg, f"{svg_file.name}: no title"
        assert "Source: " in svg and f"Chart: {html_module.escape(DATELINE['byline'])}" in svg, svg_file.name
        width = int(re.search(r'<svg[^>]*\swidth="(\d+)"', svg).group(1))
        png = png_file.read_bytes()
        assert png_size(png)[0] == 2 * width, f"{png_file.name}: not drawn at twice the SVG's size"
        assert png_text(png).get("Title") == title


def test_a_run_without_a_byline_credits_the_story(sites):
    _, site = sites["plain"]
    for svg in (site / "charts").glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert "Chart: The Summary Care Record" in text and "Jane Doe" not in text, svg.name


# -- Embed pages --------------------------------------------------------------------------------------

NO_SIDEWAYS = """() => ({scroll: document.documentElement.scrollWidth, width: document.documentElement.clientWidth,
    nav: document.querySelectorAll('nav, header').length,
    charts: [...document.querySelectorAll('figure.chart .chart-view')].filter(v => v.getClientRects().length).length,
    link: [...document.querySelectorAll('a[target="_top"]')].map(a => a.getAttribute('href'))})"""


@pytest.mark.parametrize("width", [390, 600])
def test_embed_pages_stand_alone_without_sideways_scroll(page_at, sites, width):
    url, site = sites["plain"]
    embeds = sorted(p for p in (site / "embed").glob("*.html") if not p.name.endswith("-figures.html"))
    assert embeds, "no embed page"
    for embed in embeds:
        page = page_at(f"{url}embed/{embed.name}", url, width=width)
        seen = page.evaluate(NO_SIDEWAYS)
        assert seen["scroll"] <= seen["width"], f"{embed.name} at {width} px scrolls sideways: {seen}"
        assert seen["nav"] == 0, f"{embed.name}: has navigation"
        assert seen["charts"] == 1, f"{embed.name}: {seen['charts']} drawings shown"
        assert seen["link"] and (site / "embed" / seen["link"][0]).resolve().is_file(), embed.name
        assert page.locator(".chart-title").is_visible() and page.locator(".embed-credit").inner_text().startswith("Source:")
        assert not page.outside and not page.errors, f"{embed.name}: {page.outside} {page.errors}"
        serious = axe_violations(page, ("serious", "critical"))
        assert not serious, f"{embed.name} at {width} px:\n{describe_violations(serious)}"


@pytest.mark.parametrize("stem", CHART_PAGES)
def test_each_chart_offers_its_embed_code_and_its_figures(page_at, sites, stem):
    url, site = sites["dated"]
    page = page_at(f"{url}{stem}.html", url)
    for figure in page.locator("figure.chart").all():
        code = figure.locator("details.chart-embed textarea").input_value()
        frame = re.fullmatch(r'<iframe src="([^"]+)" title="([^"]+)"[^>]*></iframe>', code)
        assert frame, code
        assert frame.group(1).startswith(DATELINE["site_url"] + "/embed/")
        assert (site / frame.group(1)[len(DATELINE["site_url"]) + 1:]).is_file()
        described = figure.get_attribute("aria-describedby")
        summary = page.locator(f"#{described}").inner_text()
        assert summary.startswith(figure.locator(".chart-title").inner_text()), summary
        table = figure.locator(".chart-download a", has_text="table")
        table.click()
        page.wait_for_load_state("load")
        assert page.locator("table.chart-figures tbody tr").count() > 0
        page.go_back()


# -- Contrast of chart marks, light and dark ---------------------------------------------------------

MARK_COLOURS = """() => {
    const rgb = s => { const m = (s || '').match(/rgba?\\(([^)]+)\\)/); return m ? m[1].split(',').map(Number) : null; };
    const bg = rgb(getComputedStyle(document.body).backgroundColor);
    const marks = [];
    document.querySelectorAll('figure.chart .chart-view').forEach(view => {
        if (!view.getClientRects().length) return;
        const els = view.querySelectorAll('[data-tip], .role-legend-symbol path, g.role-mark > path, '
            + 'g.role-mark > line, g.role-mark > rect, g.role-mark > circle');
        els.forEach(el => {
            if (el.closest('.role-axis, defs') || el.getAttribute('class') === 'background') return;
            const style = getComputedStyle(el);
            if (style.display === 'none' || style.visibility === 'hidden') return;
            const opacity = Number(style.opacity) * Number(style.fillOpacity || 1);
            marks.push({what: (el.getAttribute('data-tip') || el.parentNode.getAttribute('class') || el.tagName).slice(0, 60),
                        fill: style.fill.startsWith('url') ? null : rgb(style.fill),
                        fillOpacity: opacity, stroke: style.stroke === 'none' ? null : rgb(style.stroke),
                        strokeWidth: parseFloat(style.strokeWidth) || 0,
                        strokeOpacity: Number(style.opacity) * Number(style.strokeOpacity || 1)});
        });
    });
    const texts = [...document.querySelectorAll('figure.chart .chart-view svg text')]
        .filter(t => t.getClientRects().length && t.textContent.trim())
        .map(t => ({what: t.textContent.trim().slice(0, 60), fill: rgb(getComputedStyle(t).fill),
                    size: parseFloat(getComputedStyle(t).fontSize)}));
    return {bg, marks, texts};
}"""


def luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(colour, alpha: float, background):
    """``colour`` at ``alpha`` (and its own alpha, if rgba) painted over ``background``."""
    alpha *= colour[3] if len(colour) > 3 else 1
    return [alpha * c + (1 - alpha) * b for c, b in zip(colour[:3], background[:3])]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_every_chart_mark_reaches_3_to_1_against_the_background(page_at, sites, scheme, width):
    url, site = sites["plain"]
    embeds = sorted(f"embed/{p.name}" for p in (site / "embed").glob("*.html") if not p.name.endswith("-figures.html"))
    for name in [f"{s}.html" for s in CHART_PAGES] + embeds[:1]:
        page = page_at(url + name, url, width=width, scheme=scheme)
        found = page.evaluate(MARK_COLOURS)
        background = found["bg"]
        assert found["marks"], f"{name}: no chart marks found"
        weak = []
        for mark in found["marks"]:
            ratios = []
            if mark["fill"] and mark["fillOpacity"] > 0 and (mark["fill"][3] if len(mark["fill"]) > 3 else 1) > 0:
                ratios.append(contrast(over(mark["fill"], mark["fillOpacity"], background), background))
            if mark["stroke"] and mark["strokeWidth"] > 0:
                ratios.append(contrast(over(mark["stroke"], mark["strokeOpacity"], background), background))
            if not ratios or max(ratios) < 3:
                weak.append(f"{mark['what']}: {', '.join(f'{r:.2f}:1' for r in ratios) or 'no colour'}")
        assert not weak, f"{name}, {scheme}, {width} px: marks under 3:1:\n" + "\n".join(weak[:10])
        # and the chart's text: at least 12 px, and 4.5:1 as any text
        faint = [f"{t['what']}: {t['size']} px, {contrast(t['fill'], background):.2f}:1" for t in found["texts"]
                 if t["size"] < charts.MIN_FONT_PX or contrast(t["fill"], background) < 4.5]
        assert found["texts"] and not faint, f"{name}, {scheme}, {width} px: chart text\n" + "\n".join(faint[:10])
        if scheme == "dark":
            assert luminance(background) < 0.05, f"{name}: dark mode left a light background {background}"


def test_illustrative_marks_are_hatched_not_pale(sites):
    """Illustrative bars carry the hatch pattern and an outline (never a pale fill)."""
    _, site = sites["plain"]
    page = (site / "01-refusal-share.html").read_text(encoding="utf-8")
    assert 'class="scr-ill"' in page and "scr-hatch" in page
    assert "#b9c4cc" not in page and f'fill="{charts.ILLUSTRATIVE_COLOUR}"' not in page


# -- axe with everything open ------------------------------------------------------------------------

OPEN_ALL = "() => document.querySelectorAll('details').forEach(d => d.open = true)"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_nothing_serious_with_every_details_open(page_at, sites, scheme, width):
    url, site = sites["dated"]
    problems = []
    for name in page_types(site):
        page = page_at(url + name, url, width=width, scheme=scheme)
        page.evaluate(OPEN_ALL)
        serious = axe_violations(page, ("serious", "critical"))
        if serious:
            problems.append(f"{name}:\n{describe_violations(serious)}")
        page.context.close()
    assert not problems, f"{scheme}, {width} px:\n" + "\n".join(problems)


# -- Print -------------------------------------------------------------------------------------------

PRINTED = """() => {
    const shown = el => el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const top = sel => { const el = document.querySelector(sel); return shown(el) ? el.getBoundingClientRect().top + scrollY : null; };
    return {h1: top('h1'), date: top('.dates time'), figures: top('.key-figures'), chart: top('figure.chart'),
            nav: shown(document.querySelector('nav')),
            buttons: [...document.querySelectorAll('.chart-download, details.chart-embed, details.code, .skip-link')]
                .filter(shown).length,
            dateText: (document.querySelector('.dates') || {}).innerText || ''};
}"""
PAGE_HEIGHT = 1123 - 2 * 76  # px: an A4 sheet at 96 px an inch, less Chromium's default margins


@pytest.mark.parametrize("which", ["finding", "area"])
def test_a_printout_leads_with_the_headline_date_figures_and_chart_and_hides_navigation(page_at, sites, which):
    url, site = sites["dated"]
    name = f"{CHART_PAGES[0]}.html" if which == "finding" else f"areas/{one_area(site)}"
    page = page_at(url + name, url, width=718, media="print")
    printed = page.evaluate(PRINTED)
    assert printed["nav"] is False and printed["buttons"] == 0, printed
    assert printed["h1"] is not None and printed["h1"] < PAGE_HEIGHT, printed
    assert printed["date"] is not None and printed["date"] < PAGE_HEIGHT, printed
    assert "7 December 2026" in printed["dateText"]
    if which == "finding":
        assert printed["figures"] is not None and printed["figures"] < PAGE_HEIGHT, printed
        assert printed["chart"] is not None and printed["chart"] < PAGE_HEIGHT, f"chart starts on a later sheet: {printed}"


# -- The dateline, shown and not --------------------------------------------------------------------

DATES = """() => ({byline: (document.querySelector('.byline') || {}).innerText || null,
    times: [...document.querySelectorAll('.dateline .dates span:not(.data-date) time')].map(t => [t.getAttribute('datetime'), t.innerText]),
    correction: (document.querySelector('.corrections') || {}).innerText || null})"""


@pytest.mark.parametrize("which", ["plain", "dated"])
def test_each_page_shows_its_byline_dates_and_correction_only_when_given(page_at, sites, which):
    url, site = sites[which]
    for name in page_types(site)[:-2]:  # the embed and figures pages carry the credit instead
        seen = page_at(url + name, url).evaluate(DATES)
        if which == "plain":
            assert seen == {"byline": None, "times": [], "correction": None}, name
        else:
            assert seen["byline"] == f"By {DATELINE['byline']}", name
            assert seen["times"] == [["2026-12-07", "7 December 2026"], ["2026-12-09", "9 December 2026"]], name
            assert DATELINE["corrections"] in seen["correction"], name


def test_a_journalists_own_data_gets_no_word_or_mark_of_illustrative_values(own_run):
    """Nothing marked illustrative: no hatched mark, no chart words about generated values, and every
    page still has its share image."""
    site = own_run / "site"
    for stem in CHART_PAGES:
        text = (site / f"{stem}.html").read_text(encoding="utf-8")
        summaries = re.findall(r'<p class="chart-summary" id="[^"]+">([^<]*)</p>', text)
        assert summaries and not any("illustrative" in s for s in summaries), summaries
        assert 'class="scr-ill"' not in text and "Grey bars" not in text
        assert png_size((site / "share" / f"{stem}.png").read_bytes()) == (1200, 630)


# -- Weight -------------------------------------------------------------------------------------------

WEIGHT_LIMIT = 100 * 1024  # bytes: a finding page with everything it loads (issue 25; make bench-site prints it)


@pytest.mark.parametrize("stem", FINDING_PAGES)
def test_a_finding_page_with_all_it_loads_is_at_most_100_kb(browser, sites, stem):
    url, site = sites["plain"]
    context = new_context(browser, "desktop")
    try:
        page = context.new_page()
        loaded = []
        page.on("requestfinished", lambda r: loaded.append(urlparse(r.url).path.lstrip("/")))
        page.goto(f"{url}{stem}.html", wait_until="load")
        files = sorted({site / path for path in loaded})
        weight = sum(f.stat().st_size for f in files)
        assert weight <= WEIGHT_LIMIT, f"{stem}: {weight:,} bytes in {[f.name for f in files]}"
    finally:
        context.close()
