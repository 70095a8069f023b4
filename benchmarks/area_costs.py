"""What one area page costs, at 152 areas and at the sizes of docs/scaling.md (prints figures only).

    python benchmarks/area_costs.py [--sizes 152,8000,100000] [--render 152]

For each size N: a reference table of N areas and FOI returns with a row for the same share of them as
the bundled file (the bundled 152-row table and returns, copied with each code suffixed, "5QM" ->
"5QM-00041", so that every copy is a distinct area with the bundled figures), then, timed apart:

- compute: ``areas.compare`` + ``areas.national`` + ``areas.rows`` over all N, and
  ``area_words.describe`` for each area (the figures and the words of every page);
- hand-over: ``area_words.handover`` and its JSON (what notebook 04 writes as ``areas.json``), with its size;
- peak memory of the compute and hand-over (tracemalloc, a separate pass: it slows what it traces).

Then the render cost of one page, measured on the first --render areas: the site's own Jinja environment
(``scr_lib.site._environment``, autoescaped) rendering a page that extends the story pages'
``base.html.j2`` with the area's paragraphs (``area_words.as_html``), written to a temporary folder.
This stands in for the area page template (issue 15), which is built on another branch: the figure is
the frame of a story page plus an area's words, not the final page.

Last, what a no-op `scr run` would pay per page: ``publish.published_files`` (the hash of every published file
it compares with the last run's) over --hash files of the stand-in page's size, against ``os.stat`` alone.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

AREA_PAGE = """{% extends "base.html.j2" %}
{% block main %}
<h1>{{ page.title }}</h1>
{{ body }}
{% endblock %}
"""


def scaled(returns, pcts, n: int):
    """The reference table and returns copied until the table has ``n`` areas (codes suffixed per copy)."""
    import pandas as pd

    copies = -(-n // len(pcts))
    tables, answers = [], []
    for i in range(copies):
        suffix = "" if i == 0 else f"-{i:05d}"
        tables.append(pcts.assign(ods_code=pcts["ods_code"] + suffix))
        answers.append(returns.assign(ods_code=returns["ods_code"] + suffix))
    table = pd.concat(tables, ignore_index=True).head(n)
    kept = set(table["ods_code"])
    frame = pd.concat(answers, ignore_index=True)
    return frame[frame["ods_code"].isin(kept)].reset_index(drop=True), table


def compute(frame, table):
    from scr_lib.findings.arithmetic import areas
    from scr_lib.story import area_words

    compared = areas.compare(frame, table)
    national = areas.national(frame)
    every = areas.rows(compared)
    words = [area_words.describe(row, national) for row in every]
    return every, national, words


def measure(frame, table) -> dict:
    from scr_lib.story import area_words

    started = time.perf_counter()
    every, national, _ = compute(frame, table)
    computed = time.perf_counter() - started
    started = time.perf_counter()
    text = json.dumps(area_words.handover(every, national), ensure_ascii=False, sort_keys=True, indent=1)
    handed = time.perf_counter() - started
    tracemalloc.start()
    every, national, _ = compute(frame, table)
    area_words.handover(every, national)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"areas": len(table), "answered": int(frame["ods_code"].nunique()), "compute": computed,
            "handover": handed, "json_bytes": len(text.encode("utf-8")), "peak": peak}


def render_cost(frame, table, count: int) -> dict:
    from markupsafe import Markup

    from scr_lib import site
    from scr_lib.site import Page
    from scr_lib.story import area_words

    every, national, _ = compute(frame, table)
    env = site._environment()
    template = env.from_string(AREA_PAGE)
    nav = [Page(stem=f"0{i}", href=f"0{i}.html", title=f"Finding {i}", findings=[]) for i in range(1, 5)]
    with tempfile.TemporaryDirectory(prefix="scr-area-costs-") as tmp:
        folder = Path(tmp) / "areas"
        folder.mkdir()
        started = time.perf_counter()
        sizes = []
        for row in every[:count]:
            page = Page(stem=f"area-{row['ods_code']}", href=f"areas/{row['ods_code']}.html",
                        title=row["display_name"], findings=[])
            body = area_words.as_html(area_words.describe(row, national))
            html = template.render(page=page, pages=nav, body=Markup(body), story_title=site.STORY_TITLE,
                                   run_name="pulse_2010")
            path = folder / f"{row['ods_code']}.html"
            path.write_text(html, encoding="utf-8")
            sizes.append(path.stat().st_size)
        seconds = time.perf_counter() - started
    return {"pages": len(sizes), "seconds": seconds, "bytes": sum(sizes)}


def hash_cost(count: int, size: int) -> dict:
    """Seconds for ``publish.published_files`` (what a no-op `scr run` does to every published file) over ``count``
    files of ``size`` bytes in one folder, and for the same files' ``os.stat`` alone."""
    from scr_lib.runner import publish

    with tempfile.TemporaryDirectory(prefix="scr-area-hash-") as tmp:
        folder = Path(tmp)
        body = b"x" * size
        for i in range(count):
            (folder / f"{i:06d}.html").write_bytes(body)
        started = time.perf_counter()
        publish.published_files(folder)
        hashed = time.perf_counter() - started
        started = time.perf_counter()
        for entry in os.scandir(folder):
            entry.stat()
        stated = time.perf_counter() - started
    return {"files": count, "hashed": hashed, "stated": stated}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="152,8000,100000", help="numbers of areas, comma-separated")
    parser.add_argument("--render", type=int, default=152, help="pages to render for the per-page render cost")
    parser.add_argument("--hash", type=int, default=8000, help="page-sized files to hash as a no-op run does")
    args = parser.parse_args(argv)

    from scr_lib.inputs import foi, reference
    from scr_lib.paths import DATA

    returns = foi.load_returns(DATA / "foi_2010" / "foi_returns_2010.csv").frame
    pcts = reference.load_pcts()
    print(f"cores: {os.cpu_count()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
          f"Python {sys.version.split()[0]}\n")
    print(f"{'areas':>8} {'answered':>9} {'compute s':>10} {'per area ms':>12} {'hand-over s':>12} "
          f"{'areas.json MB':>14} {'peak MB':>8}")
    compute(returns, pcts)  # imports and first calls, outside the timings
    for n in (int(s) for s in args.sizes.split(",")):
        frame, table = scaled(returns, pcts, n)
        m = measure(frame, table)
        print(f"{m['areas']:>8,} {m['answered']:>9,} {m['compute']:>10.2f} {1000 * m['compute'] / m['areas']:>12.3f} "
              f"{m['handover']:>12.2f} {m['json_bytes'] / 2**20:>14.2f} {m['peak'] / 2**20:>8.1f}")
    r = render_cost(*scaled(returns, pcts, args.render), args.render)
    print(f"\nrender (stand-in page: base.html.j2 + the area's words, site Jinja environment): {r['pages']} pages in "
          f"{r['seconds']:.2f} s, {1000 * r['seconds'] / r['pages']:.2f} ms a page, "
          f"{r['bytes'] / r['pages'] / 1024:.1f} KB a page")
    h = hash_cost(args.hash, max(1, r["bytes"] // r["pages"]))
    print(f"no-op check of the published files (publish.published_files): {h['files']:,} page-sized files hashed in "
          f"{h['hashed']:.2f} s ({1e6 * h['hashed'] / h['files']:.0f} us a file); os.stat alone {h['stated']:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
