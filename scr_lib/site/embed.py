"""Each chart's own pages: ``embed/NAME.html``, the chart alone for another site's iframe, and
``embed/NAME-figures.html``, its figures as a table.

The embed page holds the chart (both drawings, its title, subtitle and words), its source and credit and
a link back to the story (opening in the top window), with the site's stylesheet and tooltips and no
navigation: it is as tall as its content, and the snippet under each chart on its page
(:func:`scr_lib.site.draw.embed_code`) sizes the iframe to the drawing. The figures page is a story page
(the site's frame and navigation) holding the table of :mod:`scr_lib.site.chart_words`.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from markupsafe import Markup

from .draw import Chart, figure_html
from .markup import write_text
from .share import description

FOLDER = "embed"


def write(site: Path, env, common: dict, page, chart: Chart, source: str, credit: str) -> None:
    """Write the chart's embed page and, when it has figures, its figures page (see the module docstring)."""
    card = SimpleNamespace(title=chart.title or page.title, share={
        "description": description(chart.summary), "image": f"share/{page.stem}.png", "alt": page.title,
        "path": f"{FOLDER}/{chart.name}.html"})
    write_text(site / FOLDER / f"{chart.name}.html", env.get_template("embed.html.j2").render(
        figure=Markup(figure_html(chart, embed=True)), chart_title=chart.title or page.title, source=source,
        credit=credit, page=page, card=card, **{**common, "root": "../"}))
    if not chart.rows:
        return
    title = f"The figures behind “{chart.title or page.title}”"
    figures = SimpleNamespace(stem=f"{chart.name}-figures", title=title, headline=None, illustrative=None,
                              share={"description": description(chart.summary), "image": f"share/{page.stem}.png",
                                     "alt": page.title, "path": f"{FOLDER}/{chart.name}-figures.html"})
    write_text(site / FOLDER / f"{chart.name}-figures.html", env.get_template("figures.html.j2").render(
        page=figures, summary=chart.summary, columns=chart.columns, rows=chart.rows, anchor=chart.anchor,
        back=page, **{**common, "root": "../"}))
