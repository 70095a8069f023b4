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
:mod:`scr_lib.story.report` also escapes such text where it is made); HTML
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
import hashlib
import html
import json
import re
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import mistune
import nh3
import vl_convert
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from .. import paths, words
from ..findings import FINDINGS, KNOBS, Finding
from ..verdict import Verdict

VEGALITE = "application/vnd.vegalite.v5+json"
VL_VERSION = "5.20"  # Altair 5.5.0 writes Vega-Lite 5.20 specs
TEMPLATES = paths.SITE_TEMPLATES
ASSETS = paths.SITE_ASSETS
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
    sources: list[dict] = field(default_factory=list)  # the data files its findings declare
    uses_foi: bool = False

    @property
    def held(self) -> int:
        return sum(1 for c in self.claims if Verdict(c["verdict"]) is Verdict.HOLDS)

    @property
    def checked(self) -> int:
        return sum(1 for c in self.claims if Verdict(c["verdict"]).checked)


_FORMATTER = HtmlFormatter(cssclass="highlight", nowrap=False)
_LEXER = PythonLexer()
CODE_CSS = _FORMATTER.get_style_defs(".highlight")

OUTPUT_ORDER = (VEGALITE, "text/markdown", "text/html", "image/svg+xml", "image/png", "image/jpeg", "text/plain")
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def _joined(value):
    return "".join(value) if isinstance(value, list) else value


def read_notebook(path: Path) -> dict:
    """An executed notebook (nbformat 4, as `scr run` wrote it) as plain JSON, with each multi-line text
    (cell sources, stream text, text outputs) joined into one string, as nbformat reads them.

    Read without nbformat: its schema validator imports a grammar that takes seconds to build, and the
    notebook was written by nbformat in this run."""
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        cell["source"] = _joined(cell.get("source", ""))
        for output in cell.get("outputs", []):
            if "text" in output:
                output["text"] = _joined(output["text"])
            for mime, value in output.get("data", {}).items():
                output["data"][mime] = _joined(value)
    return nb


def _first_heading(nb) -> str | None:
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            match = re.search(r"^#\s+(.+)$", cell["source"], re.MULTILINE)
            if match:
                return match.group(1).strip()
    return None


def _injected_source(declared: list[str], params) -> str:
    lines = [f"# Parameters given by `scr run` from {paths.display(params.path, paths.PROJ_ROOT)}"]
    for name in declared:
        if name == "output_dir":
            lines.append("output_dir = ...  # the run's own folder (results.json, tables/)")
        elif name == "foi_checked":
            lines.append("foi_checked = ...  # the FOI file as scr run read and validated it, before any notebook ran")
        elif name in params.values:
            lines.append(f"{name} = {_shown_value(name, params.values[name])!r}")
    return "\n".join(lines)


def _shown_value(name: str, value):
    knob = KNOBS.get(name)
    if value is not None and knob is not None and knob.is_path:
        return paths.display(value, paths.PROJ_ROOT)
    return value


class ChartCache:
    """Compiled charts (Vega spec and SVG, by a hash of the Vega-Lite spec) kept in a run's ``.cache/site``.

    Compiling a chart is most of a render's time; a re-render after a prose-only
    edit finds every chart in ``previous`` (the last run's cache folder) and
    compiles none. Only what this render uses is written to ``folder``, so
    the cache never grows beyond one run's charts. The runtime bundle is kept
    the same way, by the versions that make it.
    """

    def __init__(self, folder: Path, previous: Path | None = None):
        self.folder, self.previous = Path(folder), Path(previous) if previous else None
        self.used: set[str] = set()

    def _find(self, name: str) -> Path | None:
        for folder in (self.folder, self.previous):
            if folder is not None and (folder / name).is_file():
                return folder / name
        return None

    def text(self, name: str, make) -> str:
        """The text cached under ``name``, or ``make()``'s; kept in this render's folder either way."""
        found = self._find(name)
        text = found.read_text(encoding="utf-8") if found else make()
        if found != self.folder / name:
            _write(self.folder / name, text)
        self.used.add(name)
        return text

    def prune(self) -> None:
        """Remove what this render did not use."""
        for path in self.folder.glob("*") if self.folder.is_dir() else []:
            if path.name not in self.used:
                path.unlink()


def _compile(spec: dict) -> str:
    """A Vega-Lite spec compiled to Vega and drawn as SVG, as JSON text {"spec", "svg"}."""
    compiled = vl_convert.vegalite_to_vega(spec, vl_version=VL_VERSION)
    # The compiled spec names Vega 5's schema; the bundled runtime is Vega 6, which draws it the same
    # but warns in the console about the version. The schema URL is only a label, so it is dropped.
    compiled.pop("$schema", None)
    return json.dumps({"spec": compiled, "svg": vl_convert.vega_to_svg(compiled)}, sort_keys=True)


def _chart(spec: dict, stem: str, number: int, cache: ChartCache | None = None) -> Chart:
    """Compile a Vega-Lite spec to Vega here, once, so the browser only runs it; draw its static SVG
    (both from ``cache`` when it holds this very spec, compiled by this very vl-convert)."""
    key = hashlib.sha256(json.dumps([vl_convert.__version__, VL_VERSION, spec], sort_keys=True)
                         .encode("utf-8")).hexdigest()
    text = cache.text(f"chart-{key}.json", lambda: _compile(spec)) if cache else _compile(spec)
    made = json.loads(text)
    svg = made["svg"]
    size = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    width, height = (round(float(size.group(1))), round(float(size.group(2)))) if size else (600, 400)
    return Chart(f"chart-{number}", made["spec"], f"{stem}-{number}.svg", svg, width, height)


def _output_html(output, stem: str, charts: list[Chart], ids: set[str], cache: ChartCache | None = None) -> str:
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
        chart = _chart(value, stem, len(charts) + 1, cache)
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


def notebook_body(nb, stem: str, params, declared: list[str],
                  cache: ChartCache | None = None) -> tuple[Markup, list[Chart]]:
    """The page body for an executed notebook: markdown cells, outputs, and each cell's code (hidden)."""
    ids: set[str] = set(RESERVED_IDS)
    charts: list[Chart] = []
    parts = []
    for cell in nb["cells"]:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "remove-cell" in tags:
            continue
        if cell["cell_type"] == "markdown":
            parts.append(f'<div class="cell cell-markdown">'
                         f'{markdown_html(cell["source"], ids, cell.get("attachments"))}</div>')
        elif cell["cell_type"] == "code":
            source = _injected_source(declared, params) if "injected-parameters" in tags else cell["source"]
            block = ['<div class="cell cell-code">']
            if source.strip() and "remove-input" not in tags:
                label = ("parameters given by scr run" if "injected-parameters" in tags
                         else "default parameters" if "parameters" in tags else "code")
                block.append(f'<div class="cell-input" data-label="{label}">{highlight(source, _LEXER, _FORMATTER)}</div>')
            if "remove-output" not in tags:
                for output in cell.get("outputs", []):
                    block.append(_output_html(output, stem, charts, ids, cache))
            block.append("</div>")
            parts.append("".join(block))
    return Markup("\n".join(parts)), charts


def _handover(run_dir: Path, stem: str) -> tuple[list[Finding], list[str], dict]:
    """The findings a notebook reports, the tables it published, and what it handed over for its page
    (``Results.save``'s ``"page"``: headlines, claims, articles, sources, table rows)."""
    path = run_dir / f"{stem}.results.json"
    if not path.is_file():
        return [], [], {}
    body = json.loads(path.read_text(encoding="utf-8"))
    page = body.get("page", {})
    ids = page.get("findings", [])
    return [f for f in FINDINGS if f.id in ids], list(body.get("tables", [])), page


def _size(n_bytes: int) -> str:
    return f"{words.round_half_up(n_bytes / 1024, 1):,.1f} KB"


def _downloads(run_dir: Path, site: Path, tables: list[str], rows: dict) -> list[Download]:
    out = []
    for name in tables:
        source = run_dir / "tables" / f"{name}.csv"
        if not source.is_file():
            continue
        target = site / "tables" / source.name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
        out.append(Download(name, f"tables/{source.name}", rows.get(name, 0), _size(source.stat().st_size)))
    return out


def _unique(rows: list[dict], key) -> list[dict]:
    seen, out = set(), []
    for row in rows:
        if key(row) not in seen:
            seen.add(key(row))
            out.append(row)
    return out


def _data_sources(uses_foi: bool, foi_summary: dict | None, declared_sources: list[dict],
                  has_claims: bool) -> list[dict]:
    out = []
    if uses_foi and foi_summary is not None:
        out.append({"path": foi_summary["path"],
                    "what": f"FOI returns: {foi_summary['rows']:,} answers, one row per PCT", "cited": []})
        out.append({"path": paths.display(paths.PCT_REFERENCE, paths.PROJ_ROOT),
                    "what": "PCT names and codes, 2010",
                    "cited": [REFERENCE_CREDIT]})
    if has_claims:
        out.append({"path": paths.display(paths.CLAIMS, paths.PROJ_ROOT),
                    "what": "the figures the articles printed, each with its quote", "cited": []})
    out.extend(_unique(declared_sources, lambda s: s["path"]))
    return out


def _parameters(names: list[str], params) -> list[dict]:
    rows = [{"name": "params file", "value": paths.display(params.path, paths.PROJ_ROOT),
             "meaning": "the run's parameters"}]
    for name in names:
        if name == "output_dir" or name not in params.values:
            continue
        value = _shown_value(name, params.values[name])
        shown = "blank" if value is None or value == "" else str(value)  # the meaning says what blank does
        rows.append({"name": name, "value": shown, "meaning": KNOBS[name].meaning if name in KNOBS else ""})
    return rows


def _illustrative(foi_summary: dict | None) -> Illustrative | None:
    if not foi_summary or not foi_summary["illustrative_values"]:
        return None
    return Illustrative(foi_summary["path"], foi_summary["illustrative_values"], foi_summary["values"],
                        foi_summary["whole_rows"])


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


def _write_assets(site: Path, cache: ChartCache | None = None) -> None:
    bundle = cache.text(f"vega-{vl_convert.__version__}-{VL_VERSION}.js", vega_bundle) if cache else vega_bundle()
    _write(site / "assets" / "vega.js", bundle)
    _write(site / "assets" / "site.js", (ASSETS / "site.js").read_text(encoding="utf-8"))
    _write(site / "assets" / "site.css", (ASSETS / "site.css").read_text(encoding="utf-8")
           + "\n/* Code highlighting (Pygments) */\n" + CODE_CSS + "\n")


def _run_inputs(run_dir: Path) -> dict:
    """``inputs.json`` of a run folder (written by ``scr run``): each notebook's declared parameters and the
    FOI file's summary; empty when absent."""
    path = run_dir / "inputs.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def build_page(run_dir: Path, notebook: Path, params, inputs: dict, site: Path,
               cache: ChartCache | None = None) -> Page:
    """Read one executed notebook and what it handed over, and gather everything its page shows (also
    copies its CSVs)."""
    nb = read_notebook(notebook)
    stem = notebook.stem
    declared = list(inputs.get("notebooks", {}).get(stem, []))
    findings, tables, handed = _handover(run_dir, stem)
    uses_foi = "foi_returns" in declared
    body, charts = notebook_body(nb, stem, params, declared, cache)
    title = _first_heading(nb) or (findings[0].title if findings else stem)
    page = Page(stem=stem, href=f"{stem}.html", title=title, findings=findings,
                body=body, charts=charts)
    page.downloads = _downloads(run_dir, site, tables, handed.get("table_rows", {}))
    page.claims = [{**row, "page_title": page.title, "page_href": page.href} for row in handed.get("claims", [])]
    page.illustrative = _illustrative(inputs.get("foi_returns") if uses_foi else None)
    page.articles = list(handed.get("articles", []))
    page.sources = list(handed.get("sources", []))
    page.uses_foi = uses_foi
    page.data_sources = _data_sources(uses_foi, inputs.get("foi_returns"), page.sources, bool(findings))
    page.parameters = _parameters(declared, params)
    headlines = []
    for finding in findings:
        line = handed.get("headlines", {}).get(finding.id)
        if line and uses_foi and page.illustrative:  # never state a generated figure as a fact
            line += " (Computed from a file with illustrative values: see the banner.)"
        headlines.append(line)
    page.headline = " ".join(h for h in headlines if h) or None
    return page


def render(run_dir: Path, params, previous: Path | None = None) -> Path:
    """Write ``run_dir/site/`` from the run folder alone: ``notebooks/*.ipynb``, each notebook's
    ``*.results.json`` (what it handed over for its page), ``inputs.json`` and ``tables/``.

    Reads no data file and checks no claim: the notebooks did that. Replaces
    any ``site/`` already in ``run_dir``. Compiled charts are kept in
    ``run_dir/.cache/site`` and taken from ``previous`` (an earlier run's
    ``.cache``) when their spec is unchanged. Returns the site folder.
    """
    run_dir = Path(run_dir)
    site = run_dir / "site"
    if site.exists():
        shutil.rmtree(site)
    site.mkdir(parents=True)
    inputs = _run_inputs(run_dir)
    notebooks = sorted((run_dir / "notebooks").glob("*.ipynb"))
    cache = ChartCache(run_dir / ".cache" / "site", Path(previous) / "site" if previous else None)

    pages = [build_page(run_dir, nb, params, inputs, site, cache) for nb in notebooks]
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
    index.articles = _unique([a for page in pages for a in page.articles], lambda a: a["article_id"])
    index.data_sources = _data_sources(any(p.uses_foi for p in pages), inputs.get("foi_returns"),
                                       [s for page in pages for s in page.sources], bool(findings))
    index.parameters = _parameters(list(KNOBS), params)
    _write(site / "index.html", env.get_template("index.html.j2").render(page=index, **common))
    _write_assets(site, cache)
    cache.prune()  # only what this render used is kept
    return site
