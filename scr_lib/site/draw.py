"""Charts on a page: each notebook chart (a Vega-Lite spec) compiled once at build time, with its static SVG,
and the cache that keeps compiled charts between runs.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import vl_convert

from .markup import write_text

VEGALITE = "application/vnd.vegalite.v5+json"
VL_VERSION = "5.20"  # Altair 5.5.0 writes Vega-Lite 5.20 specs


@dataclass
class Chart:
    """One chart on a page: its element id, Vega spec (compiled from the notebook's Vega-Lite), static SVG."""

    anchor: str
    spec: dict
    svg_name: str
    svg: str
    width: int
    height: int



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
            write_text(self.folder / name, text)
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


def compile_chart(spec: dict, stem: str, number: int, cache: ChartCache | None = None) -> Chart:
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



def chart_title(spec: dict) -> str:
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text or "Chart")




@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """The Vega + Vega-Lite + Vega-Embed runtime as one classic script (sets window.vegaEmbed)."""
    return vl_convert.javascript_bundle(vl_version=VL_VERSION)

