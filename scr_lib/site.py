"""Render the story pages: a static site that works offline, from a run's executed notebooks.

``render(run_dir, params)`` writes ``run_dir/site/``::

    index.html              headline findings (computed from results.json), each linking to its page
    NN-name.html            one page per executed notebook: narrative, charts, tables; code hidden
    assets/vega.js          the Vega, Vega-Lite and Vega-Embed runtime (one local copy, from vl-convert);
                            charts are compiled from Vega-Lite to Vega at build time, so pages only run Vega
    assets/site.js          draws every chart with it; assets/site.css is the one stylesheet
    charts/NN-name-K.svg    each chart as a static SVG: the fallback image and a download
    tables/NAME.csv         the tables behind the charts, as the notebooks published them

Every page carries its provenance (sources; an "illustrative data" banner
wherever any illustrative value is used), a short methodology, the claims
table, CSV downloads and the run's parameters. Pages make no request outside
the site folder: no CDN, MathJax, require.js or web fonts.

Safety: nothing from a notebook's outputs reaches a page as markup unchecked.
Markdown outputs are rendered with raw HTML escaped and with links shown as
text, never as links (outputs carry text from FOI files: a column header
written as ``[phish](https://evil.example/login)`` must not become one;
:mod:`scr_lib.report` also escapes such text where it is made); HTML
outputs (pandas tables) are cleaned by nh3 (the Ammonia sanitiser) to an
allow-list of table and text markup, with no links, and all text escaped;
chart specs are embedded as JSON with ``<``, ``>`` and ``&`` escaped; page
text goes through Jinja with autoescaping.

Determinism: the same run gives byte-identical files. Nothing written
depends on the clock, the temporary run folder or random ids (papermill's
injected cell is given a fixed id and its paths are shown relative to the
project).
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import mistune
import nbformat
import nh3
import pandas as pd
import papermill
import vl_convert
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from . import claims, foi, paths, report, words
from .findings import FINDINGS, KNOBS, Finding
from .results import value as results_value

VEGALITE = "application/vnd.vegalite.v5+json"
VL_VERSION = "5.20"  # Altair 5.5.0 writes Vega-Lite 5.20 specs
HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
ASSETS = HERE / "assets"
STORY_TITLE = "The Summary Care Record, re-examined from the data"
REFERENCE_CREDIT = ("ONS names and codes lists. Contains National Statistics data © Crown copyright and "
                    "database right (Open Government Licence).")

# ----------------------------------------------------------------------------------------------
# Text from notebooks: markdown with raw HTML escaped, HTML through an allow-list.


def slug(text: str) -> str:
    """An id for a heading: lower case, runs of anything but letters and digits become '-'."""
    return re.sub(r"[^a-z0-9]+", "-", html.unescape(re.sub(r"<[^>]+>", "", text)).lower()).strip("-") or "section"


class _Renderer(mistune.HTMLRenderer):
    """Mistune's HTML renderer with raw HTML escaped, heading ids, no images from elsewhere, and
    (``links=False``) links shown as the text they were written as."""

    def __init__(self, ids: set[str], attachments: dict | None = None, links: bool = True):
        super().__init__(escape=True)
        self.ids = ids
        self.attachments = attachments or {}
        self.links = links

    def link(self, text: str, url: str, title: str | None = None) -> str:
        if self.links:
            return super().link(text, url, title)
        shown = html.escape(url)
        return shown if text in (url, shown) else f"[{text}]({shown})"

    def heading(self, text: str, level: int, **attrs) -> str:
        base = slug(text)
        anchor, n = base, 2
        while anchor in self.ids:
            anchor, n = f"{base}-{n}", n + 1
        self.ids.add(anchor)
        return f'<h{level} id="{anchor}">{text}</h{level}>\n'

    def image(self, text: str, url: str, title: str | None = None) -> str:
        # Only images carried inside the notebook are shown; a URL would be a request outside the site.
        if url.startswith("attachment:"):
            bundle = self.attachments.get(url[len("attachment:"):], {})
            for mime in ("image/png", "image/jpeg", "image/gif"):
                if mime in bundle:
                    data = "".join(bundle[mime]) if isinstance(bundle[mime], list) else bundle[mime]
                    return f'<img src="data:{mime};base64,{html.escape(data)}" alt="{html.escape(text)}">'
        return f'<span class="image-omitted">[image not included: {html.escape(text or url)}]</span>'


def markdown_html(text: str, ids: set[str] | None = None, attachments: dict | None = None,
                  links: bool = True) -> str:
    """Render Markdown ``text`` to HTML; any raw HTML in it is shown as text, never as markup.

    ``ids`` collects heading ids already used on the page (a heading gets ``-2``,
    ``-3``... when its id is taken). Images are kept only when attached to the cell.
    With ``links=False`` (notebook outputs, which carry text from files) a link is
    shown as the text it was written as, ``[text](url)``, and is not a link.
    """
    renderer = _Renderer(set() if ids is None else ids, attachments, links)
    return mistune.create_markdown(renderer=renderer, plugins=["table", "strikethrough"])(text)


ALLOWED_TAGS = {"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
                "div", "span", "p", "br", "hr", "b", "i", "strong", "em", "code", "pre", "small",
                "sub", "sup", "ul", "ol", "li", "abbr", "blockquote", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_ATTRS = {"class", "colspan", "rowspan", "title"}
DROPPED_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg",
                        "math", "textarea", "select", "title", "head", "audio", "video", "canvas"}
NUMBER_CELL = re.compile(r"<td>(\s*[-+−]?[£$€]?[\d,]*\.?\d+%?\s*)</td>")


def sanitise_html(text: str) -> str:
    """Keep only table and text markup from an HTML output (nh3, the Ammonia sanitiser); every text is escaped.

    Scripts, styles, event handlers, inline styles, images and links are
    removed (a link's text is kept, as text; script and style contents are
    dropped). Comments are dropped. Table cells holding just a number get
    ``class="num"`` (right-aligned).
    """
    cleaned = nh3.clean(text, tags=ALLOWED_TAGS, clean_content_tags=DROPPED_WITH_CONTENT,
                        attributes={"*": ALLOWED_ATTRS}, strip_comments=True, link_rel=None)
    return NUMBER_CELL.sub(r'<td class="num">\1</td>', cleaned)


def json_for_script(value) -> str:
    """``value`` as JSON that is safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


# ----------------------------------------------------------------------------------------------
# Pages


@dataclass
class Chart:
    """One chart on a page: its element id, Vega spec (compiled from the notebook's Vega-Lite), static SVG."""

    anchor: str
    spec: dict
    svg_name: str
    svg: str
    width: int
    height: int


@dataclass
class Download:
    name: str
    href: str
    rows: int
    size: str


@dataclass
class Illustrative:
    """How much of the FOI file a page uses is illustrative."""

    file: str
    values: int
    total: int
    whole_rows: int


@dataclass
class Page:
    stem: str
    href: str
    title: str
    findings: list[Finding]
    body: Markup = Markup("")
    charts: list[Chart] = field(default_factory=list)
    downloads: list[Download] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    illustrative: Illustrative | None = None
    articles: list[dict] = field(default_factory=list)
    data_sources: list[dict] = field(default_factory=list)
    parameters: list[dict] = field(default_factory=list)
    headline: str | None = None

    @property
    def held(self) -> int:
        return sum(1 for c in self.claims if c["verdict"] == "holds")

    @property
    def checked(self) -> int:
        return sum(1 for c in self.claims if c["verdict"] in ("holds", "does not hold"))


_FORMATTER = HtmlFormatter(cssclass="highlight", nowrap=False)
_LEXER = PythonLexer()
CODE_CSS = _FORMATTER.get_style_defs(".highlight")

OUTPUT_ORDER = (VEGALITE, "text/markdown", "text/html", "image/svg+xml", "image/png", "image/jpeg", "text/plain")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _first_heading(nb) -> str | None:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, re.MULTILINE)
            if match:
                return match.group(1).strip()
    return None


def _injected_source(declared: list[str], params) -> str:
    lines = [f"# Parameters given by `scr run` from {report.shown_path(params.path)}"]
    for name in declared:
        if name == "output_dir":
            lines.append("output_dir = ...  # the run's own folder (results.json, tables/)")
        elif name in params.values:
            lines.append(f"{name} = {_shown_value(name, params.values[name])!r}")
    return "\n".join(lines)


def _shown_value(name: str, value):
    knob = KNOBS.get(name)
    if value is not None and knob is not None and knob.is_path:
        return report.shown_path(value)
    return value


def _chart(spec: dict, stem: str, number: int) -> Chart:
    """Compile a Vega-Lite spec to Vega here, once, so the browser only runs it; draw its static SVG."""
    spec = vl_convert.vegalite_to_vega(spec, vl_version=VL_VERSION)
    # The compiled spec names Vega 5's schema; the bundled runtime is Vega 6, which draws it the same
    # but warns in the console about the version. The schema URL is only a label, so it is dropped.
    spec.pop("$schema", None)
    svg = vl_convert.vega_to_svg(spec)
    size = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    width, height = (round(float(size.group(1))), round(float(size.group(2)))) if size else (600, 400)
    return Chart(f"chart-{number}", spec, f"{stem}-{number}.svg", svg, width, height)


def _output_html(output, stem: str, charts: list[Chart], ids: set[str]) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        return f'<pre class="stream stream-{html.escape(output.get("name", ""))}">{html.escape(output.get("text", ""))}</pre>'
    if kind == "error":
        trace = ANSI.sub("", "\n".join(output.get("traceback", [])))
        return f'<pre class="error">{html.escape(trace)}</pre>'
    data = output.get("data", {})
    mime = next((m for m in OUTPUT_ORDER if m in data), None)
    value = data.get(mime)
    if isinstance(value, list):
        value = "".join(value)
    if mime == VEGALITE:
        chart = _chart(value, stem, len(charts) + 1)
        while chart.anchor in ids:  # a heading took the id first
            chart.anchor += "-chart"
        ids.add(chart.anchor)
        charts.append(chart)
        return (f'<figure class="chart" id="{chart.anchor}" data-state="static">'
                f'<div class="chart-live"></div>'
                f'<img class="chart-static" src="charts/{chart.svg_name}" width="{chart.width}" '
                f'height="{chart.height}" alt="{html.escape(_chart_title(value))} (static image)">'
                f'<script type="application/json" class="chart-spec">{json_for_script(chart.spec)}</script>'
                f'<figcaption><a href="charts/{chart.svg_name}" download>Download this chart (SVG)</a>'
                f'</figcaption></figure>')
    if mime == "text/markdown":
        return f'<div class="output-markdown">{markdown_html(value, ids, links=False)}</div>'
    if mime == "text/html":
        return f'<div class="output-html">{sanitise_html(value)}</div>'
    if mime == "image/svg+xml":
        encoded = base64.b64encode(value.encode("utf-8")).decode("ascii")
        return f'<img class="output-image" src="data:image/svg+xml;base64,{encoded}" alt="">'
    if mime in ("image/png", "image/jpeg"):
        return f'<img class="output-image" src="data:{mime};base64,{html.escape(value.strip())}" alt="">'
    if mime == "text/plain":
        return f'<pre class="output-text">{html.escape(value)}</pre>'
    return ""


def _chart_title(spec: dict) -> str:
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text or "Chart")


# Element ids the templates use; a notebook heading with the same slug gets a suffix instead.
RESERVED_IDS = {"story", "show-code", "findings-heading", "about-heading", "about-sources", "about-methodology",
                "about-claims", "about-downloads", "about-parameters"}


def notebook_body(nb, stem: str, params, declared: list[str]) -> tuple[Markup, list[Chart]]:
    """The page body for an executed notebook: markdown cells, outputs, and each cell's code (hidden)."""
    ids: set[str] = set(RESERVED_IDS)
    charts: list[Chart] = []
    parts = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "remove-cell" in tags:
            continue
        if cell.cell_type == "markdown":
            parts.append(f'<div class="cell cell-markdown">'
                         f'{markdown_html(cell.source, ids, cell.get("attachments"))}</div>')
        elif cell.cell_type == "code":
            source = _injected_source(declared, params) if "injected-parameters" in tags else cell.source
            block = ['<div class="cell cell-code">']
            if source.strip() and "remove-input" not in tags:
                label = ("parameters given by scr run" if "injected-parameters" in tags
                         else "default parameters" if "parameters" in tags else "code")
                block.append(f'<div class="cell-input" data-label="{label}">{highlight(source, _LEXER, _FORMATTER)}</div>')
            if "remove-output" not in tags:
                for output in cell.get("outputs", []):
                    block.append(_output_html(output, stem, charts, ids))
            block.append("</div>")
            parts.append("".join(block))
    return Markup("\n".join(parts)), charts


def _findings(run_dir: Path, stem: str) -> tuple[list[Finding], list[str]]:
    """The findings a notebook reports (those owning a key of its results), and the tables it published."""
    path = run_dir / f"{stem}.results.json"
    if not path.is_file():
        return [], []
    body = json.loads(path.read_text(encoding="utf-8"))
    keys = body.get("results", {})
    return [f for f in FINDINGS if any(f.owns(key) for key in keys)], list(body.get("tables", []))


def _claims_rows(results: dict, findings: list[Finding]) -> list[dict]:
    rows = []
    for finding in (f.id for f in findings):
        checked = claims.check_all(results, finding, context=True)
        if checked.empty:
            continue
        table = report.claims_table(checked)
        for (_, row), claim_id in zip(table.iterrows(), checked["claim_id"]):
            rows.append({"finding": finding, "claim_id": claim_id, "claim": row["claim"],
                         "published": row["as published"], "this_run": row["this run"],
                         "verdict": row["verdict"]})
    return rows


def _size(n_bytes: int) -> str:
    return f"{words.round_half_up(n_bytes / 1024, 1):,.1f} KB"


def _downloads(run_dir: Path, site: Path, tables: list[str]) -> list[Download]:
    out = []
    for name in tables:
        source = run_dir / "tables" / f"{name}.csv"
        if not source.is_file():
            continue
        target = site / "tables" / source.name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
        rows = len(pd.read_csv(source))
        out.append(Download(name, f"tables/{source.name}", rows, _size(source.stat().st_size)))
    return out


@lru_cache(maxsize=1)
def _articles() -> dict[str, dict]:
    table = pd.read_csv(paths.ARTICLES, dtype=str, keep_default_na=False)
    return {row["article_id"]: row for row in table.to_dict("records")}


def _article_rows(findings: list[Finding]) -> list[dict]:
    ids = []
    for finding in findings:
        for article_id in claims.load_claims(finding.id)["article_id"]:
            if article_id not in ids:
                ids.append(article_id)
    known = _articles()
    return [known[a] for a in ids if a in known]


def _finding_sources(findings: list[Finding]) -> list[dict]:
    """The data files the findings declare, with the publications a CSV cites (``source``, ``citation`` columns)."""
    out, seen = [], set()
    for source in (s for f in findings for s in f.sources):
        if source.path in seen or not source.path.is_file():
            continue
        seen.add(source.path)
        frame = pd.read_csv(source.path, dtype=str, keep_default_na=False)
        cited = []
        for row in frame.to_dict("records"):
            text = ". ".join(row[c].strip().rstrip(".") for c in ("source", "citation") if row.get(c, "").strip())
            if text and text + "." not in cited:
                cited.append(text + ".")
        out.append({"path": report.shown_path(source.path), "what": source.what, "cited": cited})
    return out


def _data_sources(declared: list[str], findings: list[Finding], params, returns) -> list[dict]:
    out = []
    if "foi_returns" in declared and returns is not None:
        out.append({"path": report.shown_path(params.values["foi_returns"]),
                    "what": f"FOI returns: {len(returns.frame):,} answers, one row per PCT", "cited": []})
        out.append({"path": report.shown_path(paths.PCT_REFERENCE), "what": "PCT names and codes, 2010",
                    "cited": [REFERENCE_CREDIT]})
    if findings:
        out.append({"path": report.shown_path(paths.CLAIMS),
                    "what": "the figures the articles printed, each with its quote", "cited": []})
    out.extend(_finding_sources(findings))
    return out


def _parameters(names: list[str], params) -> list[dict]:
    rows = [{"name": "params file", "value": report.shown_path(params.path), "meaning": "the run's parameters"}]
    for name in names:
        if name == "output_dir" or name not in params.values:
            continue
        value = _shown_value(name, params.values[name])
        shown = "blank" if value is None or value == "" else str(value)  # the meaning says what blank does
        rows.append({"name": name, "value": shown, "meaning": KNOBS[name].meaning if name in KNOBS else ""})
    return rows


def _illustrative(returns, params) -> Illustrative | None:
    if returns is None:
        return None
    n = report.illustrative_count(returns.frame)
    if not n:
        return None
    frame = returns.frame
    return Illustrative(report.shown_path(params.values["foi_returns"]), n, len(frame) * len(foi.VALUE_COLUMNS),
                        int(frame["illustrative"].eq("*").sum()))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True)
    env.filters["count"] = lambda n: f"{int(n):,}"
    return env


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """The Vega + Vega-Lite + Vega-Embed runtime as one classic script (sets window.vegaEmbed)."""
    return vl_convert.javascript_bundle(vl_version=VL_VERSION)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _write_assets(site: Path) -> None:
    _write(site / "assets" / "vega.js", vega_bundle())
    _write(site / "assets" / "site.js", (ASSETS / "site.js").read_text(encoding="utf-8"))
    _write(site / "assets" / "site.css", (ASSETS / "site.css").read_text(encoding="utf-8")
           + "\n/* Code highlighting (Pygments) */\n" + CODE_CSS + "\n")


def build_page(run_dir: Path, notebook: Path, params, results: dict, returns, site: Path) -> Page:
    """Read one executed notebook and gather everything its page shows (also copies its CSVs)."""
    nb = nbformat.read(notebook, as_version=4)
    stem = notebook.stem
    declared = list(papermill.inspect_notebook(str(notebook)).keys())
    findings, tables = _findings(run_dir, stem)
    uses_foi = "foi_returns" in declared
    body, charts = notebook_body(nb, stem, params, declared)
    page = Page(stem=stem, href=f"{stem}.html", title=_first_heading(nb) or stem, findings=findings,
                body=body, charts=charts)
    page.downloads = _downloads(run_dir, site, tables)
    page.claims = [{**row, "page_title": page.title, "page_href": page.href} for row in _claims_rows(results, findings)]
    page.illustrative = _illustrative(returns if uses_foi else None, params)
    page.articles = _article_rows(findings)
    page.data_sources = _data_sources(declared, findings, params, returns)
    page.parameters = _parameters(declared, params)
    figures = {key: results_value(results, key, None) for key in results}
    headlines = []
    for finding in findings:
        line = finding.headline_for(figures, params.values)
        if line and uses_foi and page.illustrative:  # never state a generated figure as a fact
            line += " (Computed from a file with illustrative values: see the banner.)"
        headlines.append(line)
    page.headline = " ".join(h for h in headlines if h) or None
    return page


def render(run_dir: Path, params) -> Path:
    """Write ``run_dir/site/`` from ``run_dir/notebooks/*.ipynb``, ``results.json`` and ``tables/``.

    Replaces any ``site/`` already in ``run_dir``. Returns the site folder.
    """
    run_dir = Path(run_dir)
    site = run_dir / "site"
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    results_path = run_dir / "results.json"
    results = json.loads(results_path.read_text(encoding="utf-8")) if results_path.is_file() else {}
    notebooks = sorted((run_dir / "notebooks").glob("*.ipynb"))
    declared_anywhere = {n for nb in notebooks for n in papermill.inspect_notebook(str(nb))}
    returns = foi.load_returns(params.values["foi_returns"], sheet=params.values.get("foi_sheet")) \
        if "foi_returns" in declared_anywhere else None

    pages = [build_page(run_dir, nb, params, results, returns, site) for nb in notebooks]
    env = _environment()
    common = {"story_title": STORY_TITLE, "pages": pages, "run_name": params.name}
    for page in pages:
        for chart in page.charts:
            _write(site / "charts" / chart.svg_name, chart.svg)
        _write(site / page.href, env.get_template("notebook.html.j2").render(page=page, **common))

    findings = [f for page in pages for f in page.findings]
    index = Page(stem="index", href="index.html", title=STORY_TITLE, findings=findings)
    index.claims = [row for page in pages for row in page.claims]
    index.downloads = [d for page in pages for d in page.downloads]
    index.illustrative = next((p.illustrative for p in pages if p.illustrative), None)
    index.articles = _article_rows(findings)
    index.data_sources = _data_sources(sorted(declared_anywhere), findings, params, returns)
    index.parameters = _parameters(list(KNOBS), params)
    _write(site / "index.html", env.get_template("index.html.j2").render(page=index, **common))
    _write_assets(site)
    return site
