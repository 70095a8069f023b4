"""Render the story pages from a run's executed notebooks.

One HTML page per notebook (code hidden) and an ``index.html`` linking them.
Charts are drawn as static SVG by vl-convert, so pages need no network.
"""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
import vl_convert
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

VEGALITE = "application/vnd.vegalite.v5+json"


class StaticCharts(Preprocessor):
    """Give every Vega-Lite output an SVG rendering drawn by vl-convert (no browser, no network)."""

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if VEGALITE in data:
                data["image/svg+xml"] = vl_convert.vegalite_to_svg(data[VEGALITE], vl_version="5.20")
                del data[VEGALITE]
        return cell, resources


def _exporter() -> HTMLExporter:
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    exporter.register_preprocessor(StaticCharts, enabled=True)
    return exporter


def render(run_dir: Path, params) -> Path:
    """Write ``run_dir/site/``: one page per executed notebook and an index. Returns the site folder."""
    site = run_dir / "site"
    site.mkdir(parents=True, exist_ok=True)
    exporter = _exporter()
    links = []
    for notebook in sorted((run_dir / "notebooks").glob("*.ipynb")):
        body, _ = exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
        page = site / f"{notebook.stem}.html"
        page.write_text(body, encoding="utf-8")
        links.append(f'<li><a href="{html.escape(page.name)}">{html.escape(notebook.stem)}</a></li>')
    (site / "index.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>Summary Care Record investigation</title>"
        f"<h1>Summary Care Record investigation: {html.escape(params.name)}</h1><ul>{''.join(links)}</ul>\n",
        encoding="utf-8")
    return site
