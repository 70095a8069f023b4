"""Page weight and time to first chart of the story pages, in headless Chromium, against their targets.

    python benchmarks/site_benchmark.py [--site DIR] [--runs N]     (make bench-site)

Without --site, builds the bundled story first (`scr run params/pulse_2010.yaml` into a temporary
folder). Each page is served from 127.0.0.1 and loaded --runs times in a fresh browser context (cold:
nothing cached) and once more in the same context (warm: the shared assets cached). Prints, per page:

- weight: the bytes of every file the page loaded (from the site folder on disk; the charts are inline
  SVG in the page), and gzip-compressed (what a web server with compression would send);
- times (median of the cold runs, ms from navigation start): first contentful paint, DOMContentLoaded,
  first chart interactive (the performance mark "scr-first-chart" set by assets/site.js); and the warm
  first-chart time.

Then each finding page against the targets of issue 25: weight with everything it loads at most
100 KB (1 KB = 1,024 bytes) uncompressed, first chart at most 100 ms (median of cold runs), each
"met" or "MISSED". Share images, chart PNG and SVG files, embed pages and CSV downloads are not loaded
by a page and do not count (the table lists them apart). Figures only: nothing is asserted (timings depend on the machine; the browser
tests check behaviour, never time).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

ROOT = Path(__file__).resolve().parents[1]
WEIGHT_TARGET = 100 * 1024  # bytes: a finding page with everything it loads, uncompressed (issue 25)
FIRST_CHART_TARGET = 100.0  # ms from navigation start to the first interactive chart, median of cold runs
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]

TIMINGS = """() => {
    const mark = name => { const m = performance.getEntriesByName(name)[0]; return m ? m.startTime : null; };
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    return {fcp: paint ? paint.startTime : null, dcl: nav ? nav.domContentLoadedEventEnd : null,
            first_chart: mark('scr-first-chart'),
            charts: document.querySelectorAll('figure.chart').length};
}"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def build_site(folder: Path) -> Path:
    out = folder / "pulse_2010"
    print(f"building the bundled story into {out} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "scr_lib.cli", "run", str(ROOT / "params" / "pulse_2010.yaml"),
                    "--out", str(out)], check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out / "site"


def gzipped(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))


def load(context, url: str, site: Path) -> tuple[dict, list[Path]]:
    files: list[Path] = []
    page = context.new_page()
    page.on("requestfinished", lambda r: files.append(site / unquote(urlparse(r.url).path).lstrip("/")))
    page.goto(url, wait_until="load")
    if page.locator("figure.chart").count():
        page.wait_for_selector("html[data-charts]", state="attached", timeout=30_000)
    timings = page.evaluate(TIMINGS)
    page.close()
    return timings, files


def kb(n: float) -> str:
    return f"{n / 1024:,.1f} KB"


def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ms(values) -> str:
    value = median(values)
    return f"{value:,.0f} ms" if value is not None else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site folder (default: build the bundled story)")
    parser.add_argument("--runs", type=int, default=5, help="cold loads per page (default 5)")
    args = parser.parse_args()
    if args.site:
        measure(args.site.resolve(), args.runs)
    else:
        with tempfile.TemporaryDirectory(prefix="scr-bench-") as folder:
            measure(build_site(Path(folder)), args.runs)


def measure(site: Path, runs: int) -> None:
    pages = ["index.html"] + sorted(p.name for p in site.glob("*.html") if p.name != "index.html")

    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for name in pages:
                cold, warm = [], []
                for _ in range(runs):
                    context = browser.new_context(viewport={"width": 1100, "height": 900})
                    timings, files = load(context, base + name, site)
                    cold.append(timings)
                    warm.append(load(context, base + name, site)[0])  # same context: assets cached
                    context.close()
                loaded = sorted({f for f in files if f.is_file()})
                rows.append({"page": name, "files": len(loaded), "raw": sum(f.stat().st_size for f in loaded),
                             "gzip": sum(gzipped(f) for f in loaded), "html": (site / name).stat().st_size,
                             "charts": cold[0]["charts"], "fcp": ms(t["fcp"] for t in cold),
                             "dcl": ms(t["dcl"] for t in cold), "first": ms(t["first_chart"] for t in cold),
                             "first_ms": median(t["first_chart"] for t in cold),
                             "warm": ms(t["first_chart"] for t in warm)})
            browser.close()
    finally:
        server.shutdown()

    load_average = os.getloadavg()[0]
    print(f"site: {site}")
    print(f"machine: {os.cpu_count()} CPUs, load average {load_average:.1f} at the end (times grow with load)")
    print(f"whole site on disk: {kb(sum(p.stat().st_size for p in site.rglob('*') if p.is_file()))}")
    extras = {folder: sum(p.stat().st_size for p in (site / folder).rglob("*") if p.is_file())
              for folder in ("share", "charts", "embed", "tables") if (site / folder).is_dir()}
    print("not loaded by the pages (not counted): " + ", ".join(f"{k}/ {kb(v)}" for k, v in extras.items()))
    print(f"cold loads per page: {runs} (median shown); times in ms from navigation start\n")
    header = ["page", "html", "files", "page weight", "gzipped", "charts", "FCP", "DOMContentLoaded",
              "first chart", "first chart (warm)"]
    table = [[r["page"], kb(r["html"]), str(r["files"]), kb(r["raw"]), kb(r["gzip"]), str(r["charts"]),
              r["fcp"], r["dcl"], r["first"], r["warm"]] for r in rows]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(header)]
    for line in [header, ["-" * w for w in widths]] + table:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(line, widths))))

    print("\ntargets (finding pages):")
    for r in rows:
        if r["page"] == "index.html":
            continue
        weight = "met" if r["raw"] <= WEIGHT_TARGET else "MISSED"
        first = r["first_ms"]
        if not r["charts"]:  # a finding that declares no chart (the area comparison): nothing to time
            print(f"  {r['page']}: weight {kb(r['raw'])} (target at most {kb(WEIGHT_TARGET)}): {weight}; "
                  "no chart on this page")
            continue
        timing = "MISSED (no chart became interactive)" if first is None else \
            "met" if first <= FIRST_CHART_TARGET else "MISSED"
        print(f"  {r['page']}: weight {kb(r['raw'])} (target at most {kb(WEIGHT_TARGET)}): {weight}; "
              f"first chart {r['first']} (target at most {FIRST_CHART_TARGET:,.0f} ms): {timing}")

if __name__ == "__main__":
    main()
