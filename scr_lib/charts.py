"""The house chart style, and charts that mark illustrative values.

A reader's words in every chart: the legend of where values come from is titled
:data:`SOURCE_TITLE` (never "Value"), tooltip values are words made by
:func:`shown` (a missing one is :data:`NOT_GIVEN`, never "null"), illustrative
values are grey (hatched on the pages) and labelled :data:`ILLUSTRATIVE`, and :func:`title` adds the
note about grey bars only when some value is illustrative.

:func:`use_house_style` (called by :func:`scr_lib.story.report.setup`, in each
notebook's setup cell) registers and enables the ``scr`` Altair theme and the
``scr`` renderer; importing this module changes nothing. The renderer emits only the Vega-Lite JSON mimetype (which
JupyterLab draws offline, and the story pages draw as SVG at build time, see
:mod:`scr_lib.site.draw`) and a plain-text summary. Altair's default HTML output embeds random
element ids and CDN script tags; this one is byte-for-byte deterministic, so
committed notebook outputs can be verified by nbval without sanitisers.
"""

from __future__ import annotations

# Altair and pandas are imported inside the functions that use them: the story pages (scr_lib.site) need only
# this module's constants, and a re-render after a prose edit is about 0.6 s faster without importing the two.

FONT = "Helvetica, Arial, sans-serif"
PUBLISHED = "Published (Pulse article)"
ILLUSTRATIVE = "Illustrative (generated, not an FOI answer)"
REPORTED = "As reported in the FOI file"
# The palette: every mark at least 3:1 against the page's background, light (white) and dark (#16191c, where
# the pages' stylesheet swaps each colour for its DARK one), and told apart under the common colour-vision
# deficiencies (docs/charts.md says how this was checked; tests/test_charts.py checks it).
BLUE, RED, GREY_LINE, ILLUSTRATIVE_COLOUR = "#1b6ca8", "#c0392b", "#767676", "#6e7a82"
DARK = {BLUE: "#6cb4f0", RED: "#ff8a7a", GREY_LINE: "#9a9a9a", ILLUSTRATIVE_COLOUR: "#9aa5ad"}
BACKGROUNDS = {"light": "#ffffff", "dark": "#16191c"}
SOURCE_COLOURS = {PUBLISHED: BLUE, REPORTED: BLUE, ILLUSTRATIVE: ILLUSTRATIVE_COLOUR}
# On the pages and in the downloads illustrative marks are also hatched, with an outline (scr_lib/site/draw.py):
# "grey bars" is true of both drawings
ILLUSTRATIVE_NOTE = "Grey bars are illustrative: no per-PCT breakdown of the FOI answers is public."
MIN_FONT_PX = 12  # the smallest text in a chart
SOURCE_TITLE = "Where the value comes from"  # the legend and tooltip title of source_label's values
NOT_GIVEN = "not given"  # what a tooltip shows for a missing value


def scr_theme() -> alt.theme.ThemeConfig:
    """The one house style: plain fonts, no chart border, muted grid, left-aligned titles."""
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": 560, "continuousHeight": 320},
            "title": {"anchor": "start", "fontSize": 15, "subtitleFontSize": 12, "subtitleColor": "#555"},
            "axis": {"labelFontSize": MIN_FONT_PX, "titleFontSize": 12, "gridColor": "#e6e6e6",
                     "domainColor": GREY_LINE, "tickColor": GREY_LINE},
            "legend": {"orient": "top", "labelFontSize": MIN_FONT_PX, "titleFontSize": MIN_FONT_PX, "labelLimit": 400},
            "bar": {"color": BLUE},
            "point": {"color": BLUE, "filled": True, "size": 70, "opacity": 1},
            "line": {"color": BLUE},
            "text": {"fontSize": MIN_FONT_PX},
        }
    }


def _render(spec: dict, **_) -> dict:
    title = spec.get("title", {})
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return {
        "application/vnd.vegalite.v5+json": spec,
        "text/plain": f"<Chart: {text}>" if text else "<Chart>",
    }


def use_house_style() -> None:
    """Register and enable the ``scr`` theme and renderer for Altair charts (again: no change)."""
    import altair as alt

    alt.theme.register("scr", enable=True)(scr_theme)
    alt.renderers.register("scr", _render)
    alt.renderers.enable("scr")


def source_label(illustrative: pd.Series, named_published: bool | None = None) -> pd.Series:
    """Label each value Published/Reported or Illustrative from a boolean Series (True = illustrative).

    Values not marked illustrative are "Published" when ``named_published`` is
    True and "As reported in the FOI file" when False. ``None`` (the default)
    infers it: a file with illustrative values is a reconstruction of an
    article, whose other values are the published ones; a file without any is a
    journalist's own FOI answers, reported as received.
    """
    if named_published is None:
        named_published = bool(illustrative.any())
    real = PUBLISHED if named_published else REPORTED
    return illustrative.map({True: ILLUSTRATIVE, False: real}).astype(str)


def source_colour(labels: pd.Series) -> alt.Color:
    """Colour encoding for a ``source`` field holding :func:`source_label` values; legend shows only those used."""
    import altair as alt

    used = [label for label in SOURCE_COLOURS if label in set(labels)]
    return alt.Color("source:N", title=SOURCE_TITLE, sort=used,
                     scale=alt.Scale(domain=used, range=[SOURCE_COLOURS[u] for u in used]))


def shown(values: pd.Series, say) -> pd.Series:
    """Each value as a tooltip shows it: ``say(value)`` (e.g. :func:`scr_lib.words.count`), and
    :data:`NOT_GIVEN` for a missing one (None or NaN), so a tooltip never reads "null"."""
    import pandas as pd

    return pd.Series([NOT_GIVEN if pd.isna(v) else say(v) for v in values], index=values.index, dtype=object)


def title(text: str, subtitle: list[str] | str = (), any_illustrative: bool = False) -> alt.TitleParams:
    """A chart title; adds the illustrative-data note to the subtitle whenever ``any_illustrative``."""
    import altair as alt

    lines = [subtitle] if isinstance(subtitle, str) else list(subtitle)
    if any_illustrative:
        lines.append(ILLUSTRATIVE_NOTE)
    return alt.TitleParams(text=text, subtitle=lines)
