"""Charts on a page: each notebook chart (a Vega-Lite spec) drawn once at build time as inline SVG, with
its tooltips, and the cache that keeps drawn charts between runs.

A chart is drawn three times by vl-convert (no chart runtime reaches the page):

- narrow: for a phone, at most :data:`NARROW` px wide (a 360 px screen less the page margins): the
  plot is made narrower until everything fits, long axis and legend labels wrap onto two lines,
  long axis titles and text labels wrap, the legend is one column;
- wide: the spec's own size, for screens of 50rem and more (the page's CSS shows one of the two);
- download: the wide drawing with its title; :func:`write_files` adds the source line and credit under
  it and writes ``charts/NAME.svg`` and ``charts/NAME.png`` (twice the size, the title also as text).

Illustrative marks are hatched with an outline (:func:`_hatched`), and no chart text is under 12 px
(:func:`_house_spec`). The inline drawings leave out what the stylesheet gives (default attributes,
empty paths) and the marks' ``<title>``; the wide drawing's marks carry empty ``data-tip`` when they repeat
the narrow drawing's (site.js copies them across), and a long tooltip part that many marks share is
written once, in the figure's ``data-tip-parts`` (:func:`_tip_parts`; site.js puts it back). Each figure also carries the chart in words
(:mod:`scr_lib.site.chart_words`, its ``aria-describedby``), the code that embeds it
(:func:`embed_code`) and links to its files and its figures as a table.

On the page the title and subtitle are HTML text in the ``<figcaption>`` (they wrap on a phone), not
part of the drawing. Each data mark that has a tooltip carries ``data-tip`` (plain text: its fields as
"title: value", the first one's title left out when it names the mark, " · " between; a missing value
is "not given"); in the download it also has a ``<title>`` with the same text.
``assets/site.js`` shows ``data-tip`` on hover, tap and keyboard focus.

Sizes are CSS px. Drawing is pure: the same spec gives the same bytes.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import html
import json
import math
import re
import textwrap
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import vl_convert

from .. import charts as house
from . import chart_words
from .markup import write_text

VEGALITE = "application/vnd.vegalite.v5+json"
VL_VERSION = "5.20"  # Altair 5.5.0 writes Vega-Lite 5.20 specs
NARROW = 320  # px: the widest a phone drawing may be (360 px screen, 1rem margin each side, and some)
DRAWING = 3  # bump when the drawing code changes, so cached drawings are made again
TIP = "\u2063"  # (invisible separator) starts a mark description that is its tooltip text
AXIS_LABEL_CHARS, LEGEND_LABEL_CHARS, TITLE_CHARS, TEXT_MARK_CHARS = 20, 32, 38, 24
WRAPPED_STEP = 28  # px a band needs for a two-line label (labels wrap onto two lines at most)
LABEL_LINE = 13  # px between the lines of a wrapped label (12 px text)
NOT_GIVEN = "not given"


@dataclass
class Chart:
    """One chart on a page: its element id, Vega-Lite spec, title and subtitle lines (text), the download
    (``svg``, named ``svg_name``) and the two inline drawings (SVG text) with the download's size in px."""

    anchor: str
    spec: dict
    svg_name: str
    svg: str
    width: int
    height: int
    title: str = ""
    subtitle: list[str] = field(default_factory=list)
    narrow: str = ""
    wide: str = ""
    summary: str = ""  # the chart in words (scr_lib/site/chart_words.py)
    columns: list[str] = field(default_factory=list)  # its figures as a table: header texts,
    rows: list[list[str]] = field(default_factory=list)  # and each row's cell texts

    @property
    def name(self) -> str:
        """The chart's file name without extension: ``charts/NAME.svg``, ``charts/NAME.png``,
        ``embed/NAME.html`` (the standalone page) and ``embed/NAME-figures.html`` (its figures as a table)."""
        return self.svg_name.rsplit(".", 1)[0]


class ChartCache:
    """Drawn charts (by a hash of the Vega-Lite spec, vl-convert's version and :data:`DRAWING`) kept in a
    run's ``.cache/site``, with the render's other costly makings: share cards (by a hash of the card's SVG)
    and compiled templates (:class:`scr_lib.site.TemplateCache`).

    Drawing a chart is most of a render's time; a re-render after a prose-only
    edit finds every chart in ``previous`` (the last run's cache folder) and
    draws none. Only what this render uses is written to ``folder``, so
    the cache never grows beyond one run's charts.
    """

    def __init__(self, folder: Path, previous: Path | None = None):
        self.folder, self.previous = Path(folder), Path(previous) if previous else None
        self.used: set[str] = set()

    def _find(self, name: str) -> Path | None:
        for folder in (self.folder, self.previous):
            if folder is not None and (folder / name).is_file():
                return folder / name
        return None

    def get(self, name: str) -> str | None:
        """The text cached under ``name`` (kept in this render's folder), or None when there is none."""
        found = self._find(name)
        if found is None:
            return None
        text = found.read_text(encoding="utf-8")
        if found != self.folder / name:
            write_text(self.folder / name, text)
        self.used.add(name)
        return text

    def put(self, name: str, text: str) -> str:
        """Keep ``text`` under ``name`` in this render's folder (replacing what was there); returns it."""
        write_text(self.folder / name, text)
        self.used.add(name)
        return text

    def text(self, name: str, make) -> str:
        """The text cached under ``name``, or ``make()``'s; kept in this render's folder either way."""
        text = self.get(name)
        return self.put(name, make()) if text is None else text

    def prune(self) -> None:
        """Remove what this render did not use."""
        for path in self.folder.glob("*") if self.folder.is_dir() else []:
            if path.name not in self.used:
                path.unlink()


# ----------------------------------------------------------------------------------------------
# Spec changes before drawing

COMPOSED = ("layer", "hconcat", "vconcat", "concat")


def _views(spec: dict):
    """The spec and every view in it (layers, concatenated and faceted views), at any depth."""
    yield spec
    for key in COMPOSED:
        for view in spec.get(key, []):
            if isinstance(view, dict):
                yield from _views(view)
    if isinstance(spec.get("spec"), dict):
        yield from _views(spec["spec"])


def _plots(spec: dict):
    """The views that take a width: single or layered views, inside any concatenation or facet."""
    if "mark" in spec or "layer" in spec:
        yield spec
        return
    for key in ("hconcat", "vconcat", "concat"):
        for view in spec.get(key, []):
            if isinstance(view, dict):
                yield from _plots(view)
    if isinstance(spec.get("spec"), dict):
        yield from _plots(spec["spec"])


def _listed(value) -> list:
    if value is None or value is True or value is False:
        return []
    return value if isinstance(value, list) else [value]


def _quoted(text: str) -> str:
    return json.dumps(str(text), ensure_ascii=False)


def _tip_expression(tooltips: list[dict]) -> str | None:
    """A Vega expression giving a mark's tooltip text from its datum, or None when a field is computed
    in the encoding (aggregated, binned) and so is not in the datum."""
    parts = []
    for i, tip in enumerate(tooltips):
        if not isinstance(tip, dict) or "field" not in tip or any(k in tip for k in ("aggregate", "bin", "timeUnit")):
            return None
        value = f"datum[{_quoted(tip['field'])}]"
        kind = tip.get("type", "nominal")
        if kind == "quantitative":
            shown = f"format({value}, {_quoted(tip.get('format', ',.12~r'))})"
        elif kind == "temporal":
            shown = f"timeFormat({value}, {_quoted(tip.get('format', '%-d %B %Y'))})"
        else:
            shown = f"'' + {value}"
        shown = f"(isValid({value}) && {value} !== '' ? {shown} : {_quoted(NOT_GIVEN)})"
        label = tip.get("title", tip["field"])
        named = i == 0 and kind in ("nominal", "ordinal")  # the mark's name: shown alone
        parts.append(shown if named else f"{_quoted(f'{label}: ')} + {shown}")
    return f" + {_quoted(' · ')} + ".join(parts) if parts else None


def _with_tips(spec: dict) -> dict:
    """``spec`` with each view that has a tooltip describing its marks by their tooltip text (marked with
    :data:`TIP`), so the drawing carries it; the spec's title removed."""
    spec = copy.deepcopy(spec)
    for number, view in enumerate(_views(spec)):
        encoding = view.get("encoding")
        if not isinstance(encoding, dict) or "tooltip" not in encoding:
            continue
        expression = _tip_expression(_listed(encoding["tooltip"]))
        if expression is None:
            continue
        name = f"scr_tip_{number}"
        view["transform"] = list(view.get("transform", [])) + [
            {"calculate": f"{_quoted(TIP)} + {expression}", "as": name}]
        encoding["description"] = {"field": name, "type": "nominal"}
    return spec


def _wrapped(text, width: int, most: int = 2):
    """``text`` as a list of lines of about ``width`` characters (words kept whole; wider where that would
    take more than ``most`` lines, so a label fits its band), or itself if one line."""
    lines = textwrap.wrap(str(text), width, break_long_words=False)
    while len(lines) > most:
        width += 2
        lines = textwrap.wrap(str(text), width, break_long_words=False)
    return lines if len(lines) > 1 else text


def _label_lookup(values, width: int, name: str = "datum.label") -> str | None:
    """A Vega expression giving each long value of ``values`` as wrapped lines (the rest as they are)."""
    table = {str(v): _wrapped(v, width) for v in values if isinstance(v, str) and len(v) > width}
    table = {k: v for k, v in table.items() if isinstance(v, list)}
    return f"({json.dumps(table, sort_keys=True, ensure_ascii=False)})[{name}] || {name}" if table else None


def _field_values(spec: dict, view: dict, name: str) -> list:
    data = view.get("data") or spec.get("data") or {}
    if "values" in data:
        rows = data["values"]
    else:
        rows = spec.get("datasets", {}).get(data.get("name"), [])
    return [row.get(name) for row in rows if isinstance(row, dict)]


def _narrow_spec(spec: dict, plot_width: int) -> dict:
    """``spec`` (with tips, no title) for a phone: ``plot_width`` px of plot, labels and titles wrapped,
    the legend in one column, axis labels that would overlap left out."""
    spec = copy.deepcopy(spec)
    if "hconcat" in spec:  # side by side does not fit a phone: one above the other
        spec["vconcat"] = spec.pop("hconcat")
    if "concat" in spec or "facet" in spec:
        spec["columns"] = 1
    for view in _plots(spec):
        view["width"] = plot_width
    spec["autosize"] = {"type": "pad"}
    config = spec.setdefault("config", {})
    config["legend"] = {**config.get("legend", {}), "direction": "vertical", "columns": 1, "labelLimit": 280,
                        "titleLimit": 280}
    config["axisX"] = {**config.get("axisX", {}), "labelOverlap": "greedy", "labelFlush": True}
    wraps = False
    for view in _views(spec):
        encoding = view.get("encoding")
        if not isinstance(encoding, dict):
            continue
        for channel, enc in encoding.items():
            if not isinstance(enc, dict):
                continue
            if channel in ("x", "y") and isinstance(enc.get("title"), str) and len(enc["title"]) > TITLE_CHARS:
                enc["title"] = _wrapped(enc["title"], TITLE_CHARS)
            if "field" not in enc or enc.get("type") not in ("nominal", "ordinal"):
                continue
            values = (enc.get("scale") or {}).get("domain") or _field_values(spec, view, enc["field"])
            if channel in ("x", "y", "color") and isinstance(values, list):
                part = "legend" if channel == "color" else "axis"
                expression = _label_lookup(values, LEGEND_LABEL_CHARS if part == "legend" else AXIS_LABEL_CHARS)
                if expression and enc.get(part, {}) is not None:
                    enc[part] = {**enc.get(part, {}), "labelExpr": expression, "labelLineHeight": LABEL_LINE}
                    wraps = wraps or part == "axis"
            if channel == "text":
                expression = _label_lookup(_field_values(spec, view, enc["field"]), TEXT_MARK_CHARS,
                                           f"datum[{_quoted(enc['field'])}]")
                if expression:
                    view["transform"] = list(view.get("transform", [])) + [
                        {"calculate": expression, "as": enc["field"]}]
    if wraps and isinstance(spec.get("height"), dict) and "step" in spec["height"]:
        spec["height"] = {**spec["height"], "step": max(spec["height"]["step"], WRAPPED_STEP)}
    return spec


def _size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg\b[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    return (float(match.group(1)), float(match.group(2))) if match else (600.0, 400.0)


def _draw_narrow(tipped: dict) -> str:
    """The phone drawing: the plot narrowed (at most six tries) until the whole drawing fits :data:`NARROW`.
    Labels beside the marks narrow less than the plot does, so each try takes off half again the overflow."""
    plot = NARROW
    for _ in range(6):
        svg = vl_convert.vegalite_to_svg(_narrow_spec(tipped, plot), vl_version=VL_VERSION)
        width = _size(svg)[0]
        if width <= NARROW or plot <= 80:
            break
        plot = max(80, plot - math.ceil((width - NARROW) * 1.5) - 2)
    return svg


FONT_SIZES = {"axis": ("labelFontSize", "titleFontSize"), "legend": ("labelFontSize", "titleFontSize"),
              "title": ("subtitleFontSize",), "text": ("fontSize",)}


def _house_spec(spec: dict) -> dict:
    """``spec`` with no chart text under :data:`scr_lib.charts.MIN_FONT_PX` (a run folder from an older
    version, or a notebook's own size, is drawn at the house minimum)."""
    spec = copy.deepcopy(spec)
    config = spec.setdefault("config", {})
    for part, keys in FONT_SIZES.items():
        config[part] = dict(config.get(part, {}))
        for key in keys:
            size = config[part].get(key)
            config[part][key] = max(house.MIN_FONT_PX, size if isinstance(size, (int, float)) else 0)
    for kind in ("point", "circle", "square"):  # Vega draws these at 0.7 opacity: paler than their colour
        config[kind] = {"opacity": 1, **config.get(kind, {})}
    for view in _views(spec):
        mark = view.get("mark")
        if isinstance(mark, dict) and isinstance(mark.get("fontSize"), (int, float)):
            mark["fontSize"] = max(house.MIN_FONT_PX, mark["fontSize"])
    return spec


def _draw(spec: dict) -> str:
    """The three drawings of a Vega-Lite spec, as JSON text {"download", "narrow", "wide"}."""
    tipped = _with_tips(_house_spec(spec))
    untitled = {k: v for k, v in tipped.items() if k != "title"}
    return json.dumps({"download": vl_convert.vegalite_to_svg(tipped, vl_version=VL_VERSION),
                       "narrow": _draw_narrow(untitled),
                       "wide": vl_convert.vegalite_to_svg(untitled, vl_version=VL_VERSION)}, sort_keys=True)


# ----------------------------------------------------------------------------------------------
# SVG after drawing

_TIP_TAG = re.compile(r'<([a-z]+)\b([^>]*?)\saria-label="' + TIP + r'([^"]*)"([^>]*?)(/?)>')


def _tipped_marks(svg: str) -> str:
    """Each mark described by its tooltip (:func:`_with_tips`) given ``data-tip`` and a ``<title>``."""
    def mark(match: re.Match) -> str:
        tag, before, text, after, closed = match.groups()
        text = html.escape(html.unescape(text), quote=True)
        start = f'<{tag}{before} data-tip="{text}"{after}>'  # the <title> is its accessible name
        return start + f"<title>{text}</title>" + (f"</{tag}>" if closed else "")
    return _TIP_TAG.sub(mark, svg)


_GEOMETRY = re.compile(r'\s(?:d|transform|x|y|x1|x2|y1|y2|width|height|cx|cy|r|viewBox)="[^"]*"')
_LONG_NUMBER = re.compile(r"(-?\d+\.\d)\d+")


def _rounded(svg: str) -> str:
    """Coordinates to 1/10 px (Vega writes up to 17 digits): a third of the bytes, the same picture."""
    return _GEOMETRY.sub(lambda m: _LONG_NUMBER.sub(r"\1", m.group(0)), svg)


# Illustrative marks: hatched, with an outline, never a pale fill (issue 25). The legacy grey is that of
# run folders made before the palette changed.
ILLUSTRATIVE_FILLS = (house.ILLUSTRATIVE_COLOUR, "#b9c4cc")
HATCH_ID = "scr-h"
_ILLUSTRATIVE_TAG = re.compile(r'<(path|rect|circle)\b([^>]*?)\sfill="(?:' + "|".join(ILLUSTRATIVE_FILLS)
                               + r')"([^>]*?)(/?)>')
_STROKES = re.compile(r'\s(?:stroke|stroke-width|class)="[^"]*"')
HATCH = (f'<defs><pattern id="{HATCH_ID}" width="5" height="5" patternUnits="userSpaceOnUse" '
         f'patternTransform="rotate(45)"><line class="scr-hatch" x1="1" y1="0" x2="1" y2="5" '
         f'stroke="{house.ILLUSTRATIVE_COLOUR}" stroke-width="2"/></pattern></defs>')


def _hatched(svg: str) -> str:
    """Each illustrative mark (and its legend symbol) drawn hatched in :data:`scr_lib.charts.ILLUSTRATIVE_COLOUR`
    with an outline of it: at least 3:1 against the background, told apart from the other marks by its
    pattern as well as its colour. ``class="scr-ill"`` lets the page's dark style recolour it."""
    def mark(match: re.Match) -> str:
        tag, before, after, closed = match.groups()
        rest = _STROKES.sub("", before + after)
        return (f'<{tag}{rest} fill="url(#{HATCH_ID})" stroke="{house.ILLUSTRATIVE_COLOUR}" stroke-width="1.5" '
                f'class="scr-ill"{closed}>')
    hatched, count = _ILLUSTRATIVE_TAG.subn(mark, svg)
    return re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + HATCH, hatched, count=1) if count else svg


# What the page's stylesheet gives every inline drawing (site.css, ".chart svg"), or SVG's defaults:
# left out of the inline drawings to keep pages light (issue 25: at most 100 KB with all they load).
_DEFAULTS = re.compile(r' (?:opacity="1"|stroke-width="1"|font-family="Helvetica, Arial, sans-serif"'
                       r'|aria-roledescription="[a-z]+ mark container")(?=[ />])')  # (Vega's word for a group)
_EMPTY_PATHS = re.compile(r'<path class="(?:background|foreground)" aria-hidden="true" '
                          r'd="(?:M0,0h0v0h0Z|)" pointer-events="none"(?: display="none")?/>')


# Text at the house size in the page's ink (site.css: ".chart svg text", with "text:not([fill])"), a move by
# nothing, the stroke every line of a group shares (given once, by the group: the lines inherit it), and
# pointer-events="none" on backgrounds, axes and legends (site.css gives it).
_TEXT_TAG = re.compile(r"<text\b[^>]*>")
_TEXT_DEFAULTS = re.compile(rf' (?:font-size="{house.MIN_FONT_PX}px"|fill="#000")(?=[ />])')
_UNPOINTED = re.compile(r'(<[a-z]+ class="(?:background|[^"]* role-(?:axis|legend)[^"]*)"[^>]*?) pointer-events="none"')
_IDENTITY = re.compile(r' transform="translate\(0,0\)"(?=[ />])')
_RULE_GROUP = re.compile(r'(<g class="mark-rule [^"]*"[^>]*)>((?:<line [^>]*/>)+)</g>')
_TEXT_GROUP = re.compile(r'(<g class="mark-text [^"]*"[^>]*)>((?:<text [^>]*>(?:(?!</?text\b).)*</text>)+)</g>')


def _hoisted(match: re.Match, name: str, tag: str) -> str:
    """A group of ``tag`` elements with the value of attribute ``name`` (an inherited property) that they all
    share given once, by the group."""
    start, children = match.groups()
    attribute = re.compile(rf' {name}="([^"]*)"')
    values = attribute.findall(children)
    if len(values) != children.count(f"<{tag} ") or len(set(values)) != 1:
        return match.group(0)
    return f'{start} {name}="{values[0]}">' + attribute.sub("", children) + "</g>"


def _shared_properties(svg: str) -> str:
    """The stroke every line of a rule group shares, and the text-anchor every text of a text group shares,
    given once by the group (the children inherit it)."""
    svg = _RULE_GROUP.sub(lambda m: _hoisted(m, "stroke", "line"), svg)
    return _TEXT_GROUP.sub(lambda m: _hoisted(m, "text-anchor", "text"), svg)


_MARK_TITLE = re.compile(r'(<[a-z]+\b[^>]*\sdata-tip="[^"]*"[^>]*>)<title>[^<]*</title>')
_TIP_VALUE = re.compile(r'\sdata-tip="([^"]*)"')


def _compact(svg: str) -> str:
    """An inline drawing without what the page does not need: the attributes the stylesheet or SVG's
    defaults give, empty paths, and each mark's ``<title>`` and role (a mark is read by its ``data-tip``,
    which site.js shows and its role="status" tooltip announces; the chart's words describe the whole)."""
    svg = _MARK_TITLE.sub(r"\1", _EMPTY_PATHS.sub("", _DEFAULTS.sub("", svg)))
    svg = svg.replace(f' stroke="{house.ILLUSTRATIVE_COLOUR}" stroke-width="1.5" class="scr-ill"', ' class="scr-ill"')
    svg = _UNPOINTED.sub(r"\1", svg)
    svg = _shared_properties(_TEXT_TAG.sub(lambda m: _TEXT_DEFAULTS.sub("", m.group(0)), _IDENTITY.sub("", svg)))
    return re.sub(r'<[a-z]+\b[^>]*\sdata-tip="[^>]*>',
                  lambda m: re.sub(r'\s(?:role="graphics-symbol"|aria-roledescription="[^"]*")', "", m.group(0)), svg)


def _shared_tips(narrow: str, wide: str) -> str:
    """The wide drawing with each mark's ``data-tip`` left empty when its marks carry the very tips of the
    narrow drawing, in the same order (the usual case: one spec, drawn at two widths): site.js copies
    them across on load. Otherwise the wide drawing as it is."""
    if _TIP_VALUE.findall(narrow) != _TIP_VALUE.findall(wide):
        return wide
    return _TIP_VALUE.sub(' data-tip=""', wide)


def _own_ids(svg: str, prefix: str) -> str:
    """The SVG's ids (clip paths, gradients) prefixed, so two drawings on one page never share one."""
    ids = set(re.findall(r'\sid="([^"]+)"', svg))
    for name in sorted(ids, key=len, reverse=True):
        svg = (svg.replace(f'id="{name}"', f'id="{prefix}{name}"').replace(f"url(#{name})", f"url(#{prefix}{name})")
               .replace(f'href="#{name}"', f'href="#{prefix}{name}"'))
    return svg


def _title_lines(spec: dict) -> tuple[str, list[str]]:
    title = spec.get("title", "")
    text, subtitle = (title.get("text", ""), title.get("subtitle", [])) if isinstance(title, dict) else (title, [])
    text = " ".join(text) if isinstance(text, list) else str(text or "")
    return text, [str(s) for s in _listed(subtitle)]


def compile_chart(spec: dict, stem: str, number: int, cache: ChartCache | None = None) -> Chart:
    """Draw a Vega-Lite spec here, once, for a phone, a desktop and the download (from ``cache`` when it
    holds this very spec, drawn by this very vl-convert)."""
    key = hashlib.sha256(json.dumps([vl_convert.__version__, VL_VERSION, DRAWING, spec], sort_keys=True)
                         .encode("utf-8")).hexdigest()
    text = cache.text(f"chart-{key}.json", lambda: _draw(spec)) if cache else _draw(spec)
    made = json.loads(text)
    width, height = _size(made["download"])
    title, subtitle = _title_lines(spec)
    drawn = {name: _hatched(_rounded(_tipped_marks(svg))) for name, svg in made.items()}
    words = chart_words.chart_text(spec)
    return Chart(f"chart-{number}", spec, f"{stem}-{number}.svg", drawn["download"],
                 round(width), round(height), title, subtitle, _compact(drawn["narrow"]),
                 _shared_tips(drawn["narrow"], _compact(drawn["wide"])),
                 words.summary, words.columns, words.rows)


def chart_title(spec: dict) -> str:
    return _title_lines(spec)[0] or "Chart"


def _inline(svg: str, prefix: str) -> str:
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return _own_ids(svg, prefix)


EMBED_PADDING = 320  # px an embed page adds to its drawing: title, subtitle, words, source, credit and link


def embed_code(chart: Chart, site_url: str = "") -> str:
    """The "Embed this chart" snippet: an iframe of the chart's embed page, with a title attribute, at
    the address ``site_url`` gives (else the page's address relative to the site folder)."""
    src = f"{site_url.rstrip('/')}/embed/{chart.name}.html" if site_url else f"embed/{chart.name}.html"
    title = html.escape(chart.title or chart_title(chart.spec), quote=True)
    return (f'<iframe src="{html.escape(src, quote=True)}" title="{title}" width="100%" '
            f'height="{embed_height(chart)}" style="border:0" loading="lazy"></iframe>')


def embed_height(chart: Chart) -> int:
    """The iframe's height in px: the taller of the two drawings (the frame's width picks one), and the
    title, words, source and link around it."""
    return round(max(_size(chart.narrow)[1], _size(chart.wide)[1])) + EMBED_PADDING


TIP_SEPARATOR = " · "
PART_MIN_CHARS, PART_MIN_MARKS = 16, 4  # a tooltip part this long, in this many marks' tips, is given once


def _tip_parts(drawings: list[str]) -> tuple[list[str], list[str]]:
    """``drawings`` with each long part of a mark's ``data-tip`` (the text between " · ") that many marks
    share written once, in a list, and ``{N}`` (its place in the list) in each tip: site.js puts the parts
    back on load (the figure's ``data-tip-parts``). The list is empty, and the drawings as they are, when a
    tip already holds a brace or no part repeats."""
    tips = [html.unescape(tip) for svg in drawings for tip in _TIP_VALUE.findall(svg)]
    if any("{" in tip or "}" in tip for tip in tips):
        return drawings, []
    counts: dict[str, int] = {}
    for tip in tips:
        for part in tip.split(TIP_SEPARATOR):
            counts[part] = counts.get(part, 0) + 1
    parts = sorted(p for p, n in counts.items() if len(p) >= PART_MIN_CHARS and n >= PART_MIN_MARKS)
    if not parts:
        return drawings, []
    number = {part: i for i, part in enumerate(parts)}

    def tip(match: re.Match) -> str:
        split = html.unescape(match.group(1)).split(TIP_SEPARATOR)
        text = TIP_SEPARATOR.join(f"{{{number[p]}}}" if p in number else p for p in split)
        return f' data-tip="{html.escape(text, quote=True)}"'
    return [_TIP_VALUE.sub(tip, svg) for svg in drawings], parts


def figure_html(chart: Chart, site_url: str = "", embed: bool = False) -> str:
    """The chart's ``<figure>``: title and subtitle as text, the phone and desktop drawings inline, the
    chart in words (its ``aria-describedby``), then, on a page (not ``embed``), the snippet that embeds it
    and the links to its PNG and SVG files and its figures as a table. ``assets/site.js`` adds the
    tooltips; without it the drawings and ``<title>`` remain. Links are relative to the site folder."""
    caption = [f'<p class="chart-title">{html.escape(chart.title)}</p>'] if chart.title else []
    caption += [f'<p class="chart-subtitle">{html.escape(line)}</p>' for line in chart.subtitle]
    summary_id = f"{chart.anchor}-summary"
    (narrow, wide), tip_parts = _tip_parts([chart.narrow, chart.wide])
    shared = (f' data-tip-parts="{html.escape(json.dumps(tip_parts, ensure_ascii=False), quote=True)}"'
              if tip_parts else "")
    parts = [f'<figure class="chart" id="{chart.anchor}" aria-describedby="{summary_id}"{shared}>'
             f'<figcaption>{"".join(caption) or html.escape(chart_title(chart.spec))}</figcaption>'
             f'<div class="chart-view chart-narrow">{_inline(narrow, chart.anchor + "-n-")}</div>'
             f'<div class="chart-view chart-wide">{_inline(wide, chart.anchor + "-w-")}</div>'
             f'<p class="chart-summary" id="{summary_id}">{html.escape(chart.summary)}</p>']
    root = "../" if embed else ""
    table = f'<a href="{root}embed/{chart.name}-figures.html">The figures as a table</a>' if chart.rows else ""
    if not embed:
        parts.append(f'<details class="chart-embed"><summary>Embed this chart</summary>'
                     f'<label for="{chart.anchor}-embed">Copy this code into your page:</label>'
                     f'<textarea id="{chart.anchor}-embed" readonly rows="3">{html.escape(embed_code(chart, site_url))}'
                     f'</textarea></details>')
    parts.append(f'<p class="chart-download">Download this chart: <a href="{root}charts/{chart.name}.png" download>'
                 f'PNG</a> · <a href="{root}charts/{chart.svg_name}" download>SVG</a>'
                 + (f" · {table}" if table else "") + "</p></figure>")
    return "".join(parts)


# ----------------------------------------------------------------------------------------------
# The chart files: SVG and PNG with the title, source and credit inside

FILE_FONT = "Helvetica, Arial, sans-serif"
FILE_LINE = 17  # px between the lines under the drawing
PNG_SCALE = 2


def file_svg(chart: Chart, source: str, credit: str) -> str:
    """The chart as a reader downloads it: the drawing with its title and subtitle (drawn light, as
    printed), and under it the source line and the credit, wrapped to the drawing's width."""
    width, height = chart.width, chart.height
    chars = max(40, int((width - 20) / 6.6))  # 12 px Helvetica: about 6.6 px a character
    lines = textwrap.wrap(source, chars) + textwrap.wrap(credit, chars)
    total = height + 12 + FILE_LINE * len(lines)
    inner = re.sub(r"^<\?xml[^>]*>\s*", "", chart.svg)
    text = "".join(f'<text x="10" y="{height + 6 + FILE_LINE * (i + 1)}" font-family="{FILE_FONT}" font-size="12" '
                   f'fill="#444">{html.escape(line)}</text>' for i, line in enumerate(lines))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" '
            f'height="{total}" viewBox="0 0 {width} {total}"><title>{html.escape(chart.title or chart_title(chart.spec))}'
            f'</title><rect width="{width}" height="{total}" fill="white"/>{inner}{text}</svg>')


def write_files(site: Path, chart: Chart, source: str, credit: str, cache: ChartCache | None = None) -> None:
    """Write ``charts/NAME.svg`` and ``charts/NAME.png`` (twice the size, for print and slides), each
    with its title, source and credit drawn in (see :func:`file_svg`); the PNG from ``cache`` when
    its SVG is unchanged."""
    svg = file_svg(chart, source, credit)
    write_text(site / "charts" / chart.svg_name, svg)
    key = hashlib.sha256(json.dumps([vl_convert.__version__, PNG_SCALE, svg]).encode("utf-8")).hexdigest()
    make = lambda: base64.b64encode(vl_convert.svg_to_png(svg, scale=PNG_SCALE)).decode("ascii")  # noqa: E731
    png = base64.b64decode(cache.text(f"png-{key}.b64", make) if cache else make())
    (site / "charts").mkdir(parents=True, exist_ok=True)
    (site / "charts" / f"{chart.name}.png").write_bytes(titled_png(png, chart.title or chart_title(chart.spec)))


def titled_png(png: bytes, title: str) -> bytes:
    """``png`` with its title also as text (an ``iTXt`` chunk "Title", UTF-8, after the header chunk), as
    image viewers and search show it; the picture is unchanged."""
    data = b"Title\x00\x00\x00\x00\x00" + title.encode("utf-8")
    chunk = len(data).to_bytes(4, "big") + b"iTXt" + data + zlib.crc32(b"iTXt" + data).to_bytes(4, "big")
    end_of_header = 8 + 4 + 4 + 13 + 4  # signature, IHDR length, type, data and CRC
    return png[:end_of_header] + chunk + png[end_of_header:]
