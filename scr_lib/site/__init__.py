"""Render the story pages: a static site that works offline, from a run's executed notebooks.

``render(run_dir, params)`` writes ``run_dir/site/``::

    index.html              the round's news, dated: each finding's headline (computed from results.json),
                            the article's figures (counted by verdict on the article's own round only)
                            and, with an earlier run, "What changed"
    NN-name.html            one story page per executed notebook: the news first, dated, then the chart,
                            what the data shows, what changed, caveats and the article's figures
    methods.html            "How we did it": the commands, data files, parameters and every notebook's
                            steps, each step's code in a closed details (the only page with machinery)
    round.json              (in the run folder) the round's label and date, for a later run to name it
    assets/site.js          the charts' tooltips (hover, tap, keyboard); assets/site.css is the one stylesheet
    charts/NN-name-K.svg    each chart as an SVG and a PNG (twice the size) download, with its title, source
    charts/NN-name-K.png    and credit drawn in (on the page each chart is inline SVG drawn at build time,
                            see :mod:`scr_lib.site.draw`: no chart runtime)
    embed/NN-name-K.html    each chart alone, for another site's iframe, and its figures as a table
                            (``-figures.html``), see :mod:`scr_lib.site.embed`
    share/STEM.png          each page's share image, 1200 x 630 (the area pages share ``share/areas.png``),
                            see :mod:`scr_lib.site.share`, which also makes the pages' dateline
    tables/NAME.csv         the tables the notebooks published, as a reader downloads them (site/downloads.py:
                            UTF-8 with a BOM, human headers, each unit's precision, formulas neutralised)
    areas/CODE.html         a page per PCT, and areas/index.html, "Find your area" (from the run folder's
                            areas.json, when notebook 04 wrote one: see :mod:`scr_lib.site.area_pages`);
                            assets/areas.js, the list's filter box

A story page leads with the news: its H1 is the finding with its figure (``Finding.news``), dated in
words (the params' ``round`` and ``as_at``, :mod:`scr_lib.inputs.rounds`), the computed headline and the
finding's key figures (``Finding.figures``, from its results); with an earlier run (``previous_run``)
each key figure is told as a change (:mod:`scr_lib.story.changes`) and "What changed" lists every
national measure of both runs' fact bases. Then the chart, what the data shows, caveats and the
article's figures (once, as the notebook handed them over: judged only when the run is of the article's
own round, else shown beside this round's). The notebook's other cells, each cell's code in a closed
``<details class="code">``, are on the methods page, linked from each story page. Cells go to a section
by their tags (:data:`SECTION_TAGS`; ``notebook-only`` cells stay in the
notebook; see docs/adding-a-finding.md). Every sentence that depends on the
data is computed or conditional: the illustrative-data note, generated
values and grey bars appear only where the file has illustrative values.

Every page carries its provenance (sources; an "illustrative data" note
wherever any illustrative value is used), a short methodology, CSV downloads
and the run's parameters. Pages make no request outside the site folder: no
CDN, MathJax, require.js or web fonts.

Safety: nothing from a notebook's outputs reaches a page as markup unchecked.
Markdown outputs are rendered with raw HTML escaped and with links shown as
text, never as links (outputs carry text from FOI files: a column header
written as ``[phish](https://evil.example/login)`` must not become one;
:mod:`scr_lib.story.report` also escapes such text where it is made); HTML
outputs (pandas tables) are cleaned by nh3 (the Ammonia sanitiser) to an
allow-list of table and text markup, with no links, and all text escaped;
charts are SVG drawn by vl-convert, whose text is escaped, with tooltip text
escaped again where it is copied into ``data-tip``; page text goes through
Jinja with autoescaping.

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
from pathlib import Path

import jinja2
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from .. import paths, words
from . import area_pages, embed, share
from ..findings import FINDINGS, KNOBS, Finding
from ..findings.finding import illustrative, read_by
from ..inputs import rounds
from ..story import changes
from ..verdict import Verdict
from .downloads import Download, copy_downloads
from . import draw
from .draw import VEGALITE, Chart, ChartCache, compile_chart, figure_html
from .markup import json_for_script, markdown_html, sanitise_html, slug, write_text

__all__ = ["render", "build_page", "markdown_html", "sanitise_html", "json_for_script", "slug"]
TEMPLATES = paths.SITE_TEMPLATES
ASSETS = paths.SITE_ASSETS
STORY_TITLE = "The Summary Care Record, re-examined from the data"
METHODS_HREF = "methods.html"
ILLUSTRATIVE_HEADLINE = " (Computed from a file with illustrative values: see the note on illustrative data.)"
REFERENCE_CREDIT = ("ONS names and codes lists. Contains National Statistics data © Crown copyright and "
                    "database right (Open Government Licence).")

# ----------------------------------------------------------------------------------------------
# Pages



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
    body: "Body" = None
    charts: list[Chart] = field(default_factory=list)
    downloads: list[Download] = field(default_factory=list)
    claims: list[dict] = field(default_factory=list)
    illustrative: Illustrative | None = None
    articles: list[dict] = field(default_factory=list)
    data_sources: list[dict] = field(default_factory=list)
    parameters: list[dict] = field(default_factory=list)
    headline: str | None = None
    key_figures: list[dict] = field(default_factory=list)  # Finding.figures_from: label, value, illustrative
    sources: list[dict] = field(default_factory=list)  # the data files its findings declare
    uses_foi: bool = False
    foi_file: str | None = None  # the FOI file's name, on a page whose notebook read it
    find_area: str | None = None  # the link to "Find your area", on the index and the area finding's page
    news: str | None = None  # the H1: the finding with its figure, in newspaper style (Finding.news)
    news_illustrative: bool = False  # the H1's figure rests on illustrative values
    changes: list = field(default_factory=list)  # changes.Change of each of its figures both rounds have
    foi_rows: int = 0  # the FOI answers the page's figures come from
    foi_refs: tuple = ()  # the first and last FOI reference, when none is illustrative

    @property
    def heading(self) -> str:
        """The page's H1: its news when it has one, else its title."""
        return self.news or self.title

    @property
    def nav_title(self) -> str:
        """The short name the navigation shows: its finding's title, else the page's."""
        return self.findings[0].title if len(self.findings) == 1 else self.title

    @property
    def verdict_counts(self) -> list[tuple[int, str]]:
        """How many of its claims hold, do not hold and were not computed (always those three, zeros
        included), then the inputs and context, not checked, when there are any: (count, words)."""
        verdicts = [Verdict(c["verdict"]) for c in self.claims]
        counts = [(verdicts.count(v), v.of(verdicts.count(v))) for v in
                  (Verdict.HOLDS, Verdict.DOES_NOT_HOLD, Verdict.NOT_COMPUTED)]
        rest = sum(1 for v in verdicts if v in (Verdict.INPUT, Verdict.CONTEXT))
        return counts + ([(rest, f"{rest:,} not checked (inputs or context)")] if rest else [])


_FORMATTER = HtmlFormatter(cssclass="highlight", nowrap=False)
_LEXER = PythonLexer()
# Code is coloured by five kinds of token only (keywords, strings, comments, numbers, names of functions,
# classes and built-ins): a span for every token (names, operators, punctuation) was a fifth of a page's
# weight (issue 25: at most 100 KB). Colours are site.css's (--code-*), light and dark, each at least 4.5:1.
CODE_KINDS = {"k": "kw", "kn": "kw", "kc": "kw", "kd": "kw", "kr": "kw", "ow": "kw",
              "s": "str", "s1": "str", "s2": "str", "sa": "str", "sd": "str", "si": "str", "se": "str",
              "c": "com", "c1": "com", "ch": "com", "cm": "com", "mi": "num", "mf": "num",
              "nf": "name", "nc": "name", "nd": "name", "nb": "name", "bp": "name"}
_TOKEN = re.compile(r'<span class="([a-z0-9]+)">([^<]*)</span>')
CODE_CSS = "\n".join(", ".join(f".highlight .{cls}" for cls, k in CODE_KINDS.items() if k == kind)
                     + f" {{ color: var(--code-{kind});{' font-style: italic;' if kind == 'com' else ''} }}"
                     for kind in dict.fromkeys(CODE_KINDS.values()))


def _coloured(code_html: str) -> str:
    """Pygments' HTML with a span kept only for the tokens :data:`CODE_KINDS` colours."""
    return _TOKEN.sub(lambda m: m.group(0) if m.group(1) in CODE_KINDS else m.group(2), code_html)

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
        elif name in params.values:
            lines.append(f"{name} = {_shown_value(name, params.values[name])!r}")
    return "\n".join(lines)


def _shown_value(name: str, value):
    knob = KNOBS.get(name)
    if value is not None and knob is not None and (knob.is_path or name == "previous_run"):
        return paths.display(value, paths.PROJ_ROOT)
    return value


def _output_html(output, stem: str, charts: list[Chart], ids: set[str], cache: ChartCache | None = None,
                 site_url: str = "") -> str:
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
        chart = compile_chart(value, stem, len(charts) + 1, cache)
        while chart.anchor in ids:  # a heading took the id first
            chart.anchor += "-chart"
        ids.add(chart.anchor)
        charts.append(chart)
        return figure_html(chart, site_url)
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


RESERVED_IDS = {"story", "findings-heading", "about-heading", "about-sources", "about-methodology",
                "about-claims", "about-downloads", "about-parameters", "story-headline", "story-title", "key-figures-heading",
                "story-shows-heading", "story-caveats-heading", "story-claims-heading", "story-method-heading"}

# Where a notebook cell goes on its story page, by the cell's tags (documented in docs/adding-a-finding.md).
# A cell without one of these tags is part of "How we did it".
SECTION_TAGS = {"page-intro": "intro", "page-chart": "chart", "page-shows": "shows", "page-caveats": "caveats",
                "page-claims": "claims"}
NOTEBOOK_ONLY = {"notebook-only", "remove-cell"}  # text for developers: in the notebook, never on a page
SECTION_TITLES = {"shows": "What the data shows", "caveats": "Caveats", "claims": "Do the article's figures hold?",
                  "method": "How we did it"}
CODE_SUMMARY = {"chart": "the chart above", "shows": "“What the data shows”", "caveats": "“Caveats”",
                "claims": "the claims check", "intro": "the introduction"}
HEADING = re.compile(r"^(#{1,5})(?=\s)", re.MULTILINE)


def _section_of(tags: set[str]) -> str:
    return next((SECTION_TAGS[t] for t in SECTION_TAGS if t in tags), "method")


def _section_markdown(source: str, section: str) -> str:
    """A markdown cell's text as its section shows it. The intro drops the notebook's title (the page's
    heading); a section with its own heading drops a first heading that repeats it; elsewhere a heading goes
    one level down, under the section's."""
    lines = source.lstrip().split("\n")
    first = re.match(r"#{1,6}\s+(.*)", lines[0]) if lines else None
    if first and (section == "intro" or first.group(1).strip().lower() == SECTION_TITLES.get(section, "").lower()):
        source = "\n".join(lines[1:])
    return source if section == "chart" else HEADING.sub(r"\1#", source)


@dataclass
class Body:
    """A story page's parts, from its executed notebook: each section's HTML (see :data:`SECTION_TAGS`)."""

    intro: Markup = Markup("")
    chart: Markup = Markup("")
    shows: Markup = Markup("")
    caveats: Markup = Markup("")
    claims: Markup = Markup("")
    method: Markup = Markup("")


def _code_block(source: str, tags: set[str], section: str) -> str:
    label = ("Parameters given by scr run" if "injected-parameters" in tags
             else "Default parameters" if "parameters" in tags
             else f"Code for {CODE_SUMMARY[section]}" if section != "method" else "Code")
    # the code scrolls sideways inside a focusable, labelled region (keyboard users can scroll it: issue 25)
    return (f'<details class="code"><summary>{html.escape(label)}</summary>'
            f'<div class="code-region" role="region" tabindex="0" aria-label="{html.escape(label, quote=True)}">'
            f'{_coloured(highlight(source, _LEXER, _FORMATTER))}</div></details>')


def notebook_body(nb, stem: str, params, declared: list[str],
                  cache: ChartCache | None = None) -> tuple[Body, list[Chart]]:
    """The story page's parts from an executed notebook: each cell's text and outputs in the section its
    tags name, the rest in "How we did it" with each cell's code in a closed ``<details class="code">``.

    Cells tagged ``notebook-only`` (or ``remove-cell``) are left out. When ``scr run`` injected the
    parameters, the notebook's default parameters cell is left out (the injected values are what ran)."""
    ids: set[str] = set(RESERVED_IDS)
    charts: list[Chart] = []
    parts: dict[str, list[str]] = {name: [] for name in Body.__dataclass_fields__}
    injected = any("injected-parameters" in c.get("metadata", {}).get("tags", []) for c in nb["cells"])
    for cell in nb["cells"]:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & NOTEBOOK_ONLY or ("parameters" in tags and injected):
            continue
        section = _section_of(tags)
        if cell["cell_type"] == "markdown":
            text = markdown_html(_section_markdown(cell["source"], section), ids, cell.get("attachments"))
            parts[section].append(f'<div class="cell-markdown">{text}</div>')
        elif cell["cell_type"] == "code":
            source = _injected_source(declared, params) if "injected-parameters" in tags else cell["source"]
            if source.strip() and "remove-input" not in tags:
                parts["method"].append(_code_block(source, tags, section))
            if "remove-output" not in tags:
                shown = [_output_html(output, stem, charts, ids, cache, params.values.get("site_url") or "")
                         for output in cell.get("outputs", [])]
                if any(shown):
                    parts[section].append(f'<div class="cell-output">{"".join(shown)}</div>')
    return Body(**{name: Markup("\n".join(html_parts)) for name, html_parts in parts.items()}), charts


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


class TemplateCache(jinja2.BytecodeCache):
    """The templates compiled by Jinja, kept in the render's :class:`ChartCache` (jinja checks each against
    its template's source): a re-render after a prose edit compiles none of the site's templates again,
    about 0.1 s of its time."""

    def __init__(self, cache: ChartCache):
        self.cache = cache

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        text = self.cache.get(f"template-{bucket.key}.b64")
        if text is not None:
            bucket.bytecode_from_string(base64.b64decode(text))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        # jinja compiled it: none was cached, or the cached one is of an older source (replaced)
        self.cache.put(f"template-{bucket.key}.b64", base64.b64encode(bucket.bytecode_to_string()).decode("ascii"))


def _environment(cache: ChartCache | None = None) -> jinja2.Environment:
    """One Jinja environment for a render; its compiled templates kept in ``cache`` when one is given."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             keep_trailing_newline=True, bytecode_cache=TemplateCache(cache) if cache else None)
    env.filters["count"] = lambda n: f"{int(n):,}"
    env.filters["long_date"] = share.long_date
    env.filters["share_description"] = share.description
    env.filters["plural"] = words.plural
    env.globals["show"] = changes.show
    return env


_CSS_COMMENT = re.compile(r"/\*.*?\*/\n?", re.DOTALL)
_JS_COMMENT = re.compile(r"^\s*(?://[^\n]*|/\*.*?\*/)\n", re.DOTALL | re.MULTILINE)


def _write_assets(site: Path, cache: ChartCache | None = None, areas: bool = False) -> None:
    """The stylesheet and scripts, without their comments (whole-line ones in scripts): the sources in
    scr_lib/site/assets keep them; the pages load fewer bytes (issue 25's 100 KB)."""
    write_text(site / "assets" / "site.js", _JS_COMMENT.sub("", (ASSETS / "site.js").read_text(encoding="utf-8")))
    if areas:
        write_text(site / "assets" / area_pages.SCRIPT, (ASSETS / area_pages.SCRIPT).read_text(encoding="utf-8"))
    write_text(site / "assets" / "site.css", _CSS_COMMENT.sub("", (ASSETS / "site.css").read_text(encoding="utf-8"))
               + CODE_CSS + "\n")


def _previous_run(params) -> Path | None:
    """The earlier run folder the params name (``previous_run``, relative to the params file), or None."""
    given = params.values.get("previous_run")
    if not given:
        return None
    path = Path(given)
    return path if path.is_absolute() else Path(params.path).parent / path


def _results_of(run_dir: Path, stem: str) -> dict:
    """A notebook's results (key -> entry) from its ``*.results.json``; empty when absent."""
    path = Path(run_dir) / f"{stem}.results.json"
    return json.loads(path.read_text(encoding="utf-8")).get("results", {}) if path.is_file() else {}


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
    results = json.loads((run_dir / f"{stem}.results.json").read_text(encoding="utf-8")).get("results", {}) \
        if (run_dir / f"{stem}.results.json").is_file() else {}
    page = Page(stem=stem, href=f"{stem}.html", title=title, findings=findings,
                body=body, charts=charts)
    page.downloads = copy_downloads(run_dir, site, tables, handed.get("table_rows", {}), handed.get("tables", {}))
    page.claims = [{**row, "page_title": page.title, "page_href": page.href} for row in handed.get("claims", [])]
    page.illustrative = _illustrative(inputs.get("foi_returns") if uses_foi else None)
    page.articles = _unique(list(handed.get("articles", [])), lambda a: a["article_id"])  # one per claim: once each
    page.sources = list(handed.get("sources", []))
    page.uses_foi = uses_foi
    if uses_foi and inputs.get("foi_returns"):
        page.foi_file = Path(inputs["foi_returns"]["path"]).name
    page.data_sources = _data_sources(uses_foi, inputs.get("foi_returns"), page.sources, bool(findings))
    page.parameters = _parameters(declared, params)
    page.key_figures = [figure for finding in findings for figure in finding.figures_from(results)]
    if uses_foi and inputs.get("foi_returns"):
        page.foi_rows = inputs["foi_returns"].get("rows", 0)
        page.foi_refs = tuple(inputs["foi_returns"].get("refs") or ())
    headlines = []
    for finding in findings:
        line = handed.get("headlines", {}).get(finding.id)
        if line and finding.id in handed.get("marked_headlines", ()):  # never state a generated figure as a fact
            line += ILLUSTRATIVE_HEADLINE
        headlines.append(line)
    page.headline = " ".join(h for h in headlines if h) or None
    return page


@dataclass
class Then:
    """The run's round and the earlier round it is compared with: ``now`` (a :class:`rounds.Round`),
    ``figures`` of the earlier run (results.json; empty without one), ``label`` naming it in a sentence
    ("2010"), and ``judged``: whether this run is of the article's own round, the only one on which the
    article's figures get a verdict."""

    now: rounds.Round
    figures: dict
    label: str
    judged: bool
    article: str

    @property
    def compared(self) -> bool:
        return bool(self.figures)

    @property
    def as_at(self) -> str:
        return self.now.as_at.words if self.now.as_at else ""


def then_of(run_dir: Path, params) -> Then:
    """The round of ``run_dir`` (from ``params``) and the earlier run it names, read from that run's folder."""
    now = rounds.of(params.values, Path(params.path).parent)
    figures = changes.load(now.previous)
    earlier = rounds.read(now.previous) if now.previous else None
    label = (earlier.label if earlier and earlier.label else "the earlier round") if figures else ""
    article = rounds.article_round()
    return Then(now, figures, label, bool(now.label) and now.label == article, article)


def _tell(page: Page, then: Then, results: dict, run_dir: Path) -> None:
    """Give ``page`` its H1 (the finding's news, with the change since the earlier round) and, with an
    earlier run, each key figure's change and the changes of all its findings' figures."""
    finding = page.findings[0] if page.findings else None
    if finding is None:
        return
    page.news = finding.news_for(results, then.figures, then.label)
    if page.news:  # marked when a figure it rests on (now or then) is: a figure Pulse printed is not
        now, before = read_by(lambda now, before: finding.news_for(now, before, then.label), results,
                              then.figures or None)
        page.news_illustrative = illustrative(results, *now) or illustrative(then.figures, *before)
    if not then.compared:
        return
    for figure in page.key_figures:
        found = changes.change(figure["key"], results, then.figures, then.label)
        if found is not None:
            figure["change"] = found.words()
            figure["difference"] = found.difference
            figure["illustrative"] = figure["illustrative"] or found.illustrative
    page.changes = changes.national(run_dir, then.now.previous, then.label, {f.id for f in page.findings})


def _prefixed_ids(markup: str, stem: str) -> Markup:
    """``markup`` with each ``id="x"`` made ``id="STEM-x"``, and each link to ``#x`` made ``#STEM-x``."""
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{stem}-{m.group(1)}"', str(markup))
    text = re.sub(r'\bhref="#([^"]+)"', lambda m: f'href="#{stem}-{m.group(1)}"', text)
    text = re.sub(r'url\(#([^)]+)\)', lambda m: f"url(#{stem}-{m.group(1)})", text)
    text = re.sub(r'\b(aria-(?:labelledby|describedby)|for)="([^"]+)"',
                  lambda m: f'{m.group(1)}="' + " ".join(f"{stem}-{i}" for i in m.group(2).split()) + '"', text)
    return Markup(text)


AREAS_CARD = "Find your area: every PCT of 2010, its figures beside the national ones."


def _share_card(site: Path, page: Page, headline: str, cache: ChartCache | None) -> None:
    """Draw the page's share image (``share/STEM.png``) and set ``page.share``, which ``_share_meta.html.j2``
    reads: its description, image, image text and path."""
    figure = page.key_figures[0] if page.key_figures else None
    chart = page.charts[0].svg if page.charts else None
    foot = ("Some values behind this page are illustrative: generated, not FOI answers. See the page."
            if page.illustrative else "")  # the card never shows a generated figure as a fact
    svg = share.card_svg(STORY_TITLE if page.stem != "index" else "", headline if page.stem != "index" else
                         f"{STORY_TITLE}. {headline}", figure, chart, foot)
    image = share.write_card(site, page.stem, svg, cache)
    page.share = {"description": share.description(headline), "image": image, "path": page.href,
                  "alt": share.description(f"{page.title}: {headline}", 400)}


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

    then = then_of(run_dir, params)
    rounds.write(run_dir, then.now)
    pages = [build_page(run_dir, nb, params, inputs, site, cache) for nb in notebooks]
    for page in pages:
        _tell(page, then, _results_of(run_dir, page.stem), run_dir)
        if not then.judged:  # the article's figures are the "then" of a comparison, never a verdict
            page.body.claims = Markup("")
    has_areas = area_pages.read(run_dir) is not None
    if has_areas:
        for page in pages:
            if any(f.id == area_pages.area_words.FINDING_ID for f in page.findings):
                page.find_area = area_pages.LIST_HREF
    env = _environment(cache)
    dateline = share.dateline(params.values)
    common = {"story_title": STORY_TITLE, "pages": pages, "run_name": params.name, "root": "", "then": then,
              "methods_href": METHODS_HREF, "dateline": dateline}
    credit = share.credit(dateline, STORY_TITLE)
    for page in pages:
        source = share.source_line(page)
        for chart in page.charts:
            draw.write_files(site, chart, source, credit, cache)
            embed.write(site, env, common, page, chart, source, credit)
        _share_card(site, page, page.headline or page.title, cache)
        write_text(site / page.href, env.get_template("notebook.html.j2").render(page=page, **common))

    findings = [f for page in pages for f in page.findings]
    index = Page(stem="index", href="index.html", title=STORY_TITLE, findings=findings)
    index.claims = [row for page in pages for row in page.claims]
    index.downloads = [d for page in pages for d in page.downloads]
    index.illustrative = next((p.illustrative for p in pages if p.illustrative), None)
    index.uses_foi = any(p.uses_foi for p in pages)
    index.articles = _unique([a for page in pages for a in page.articles], lambda a: a["article_id"])
    index.data_sources = _data_sources(any(p.uses_foi for p in pages), inputs.get("foi_returns"),
                                       [s for page in pages for s in page.sources], bool(findings))
    index.parameters = _parameters(list(KNOBS), params)
    index.find_area = area_pages.LIST_HREF if has_areas else None
    index.changes = [c for page in pages for c in page.changes]
    index.foi_rows = next((p.foi_rows for p in pages if p.foi_rows), 0)
    index.foi_refs = next((p.foi_refs for p in pages if p.foi_refs), ())
    # the index's card: the round's lead (the first finding's news), never a sentence that holds for one round only
    _share_card(site, index, next((p.news for p in pages if p.news), STORY_TITLE), cache)
    if has_areas:
        share.write_card(site, area_pages.FOLDER, share.card_svg(STORY_TITLE, AREAS_CARD), cache)
    write_text(site / "index.html", env.get_template("index.html.j2").render(page=index, **common))
    for page in pages:  # one methods page holds every notebook's steps: each page's ids get its stem
        page.body.method = _prefixed_ids(page.body.method, page.stem)
    methods = Page(stem="methods", href=METHODS_HREF, title="How we did it", findings=findings)
    methods.data_sources, methods.parameters = index.data_sources, index.parameters
    methods.illustrative, methods.uses_foi = index.illustrative, index.uses_foi
    methods.share = {**index.share, "path": METHODS_HREF}  # the index's card: the methods page draws none
    write_text(site / METHODS_HREF, env.get_template("methods.html.j2").render(
        page=methods, params_file=paths.display(params.path, paths.PROJ_ROOT),
        previous=paths.display(then.now.previous, paths.PROJ_ROOT) if then.now.previous else None, **common))
    area_pages.write(run_dir, site, env, common, pages,
                     {"illustrative": index.illustrative,
                      "data_sources": _data_sources(True, inputs.get("foi_returns"), [], False),
                      "round": params.values.get("round"), "as_at": params.values.get("as_at"),
                      "previous_run": _previous_run(params)}, cache)
    _write_assets(site, cache, areas=has_areas)
    cache.prune()  # only what this render used is kept
    return site
