"""The five speed and size figures of the area pages (issue 15), each against its target.

    python benchmarks/areas_benchmark.py [--repeat N] [--check]      (or: make bench-areas)

Measured on a copy of the project in a temporary folder (notebooks/, data/, params/, scr_lib/), with
PYTHONPATH set so that `scr` and its kernels import the copy's scr_lib, as benchmarks/bench.py does:
the edits the benchmark makes never touch the real project.

  (1) a cold `scr run params/pulse_2010.yaml --force` of everything into an empty folder
  (2) what the area notebook and its pages add to a cold run: (1) minus the same cold run on a second
      copy without notebooks/04-your-area.ipynb (the two runs in turn first; a difference of two timings,
      so the noise of both: with few rounds it can even come out below zero)
  (3) the re-run after one area's row changes in the FOI file: practices_declined of the first complete
      row (in the copy's CSV) goes down by one, or back up on the next round, so the file stays valid
  (4) a re-run with nothing changed (a no-op)
  (5) the weight of one area page, site/areas/5QM.html, with the stylesheets, scripts and images it
      loads, uncompressed (1 KB = 1,024 bytes); "not built" when the run made no area pages

One untimed run comes first (the first run of a session reads the libraries from disk, which no timed
run should pay for). Each of (1)-(4) is timed N times (default 2) and the median shown, with the fastest
and slowest. The machine's cores and load average are printed with them: other work on the machine slows
every figure.
Figures only, nothing asserted; with --check the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

from bench import machine, timed  # benchmarks/bench.py, beside this script: one way to time and describe

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COPIED = ("notebooks", "data", "params", "scr_lib")
AREA_NOTEBOOK = "04-your-area.ipynb"
AREA_PAGE = "areas/5QM.html"  # NHS Dorset, the area notebook's default
FOI = Path("data/foi_2010/foi_returns_2010.csv")
PARAMS = Path("params/pulse_2010.yaml")
KB = 1024
# (label, target, strict): seconds, except (5) in bytes; strict means "under", else "at most"
TARGETS = {
    "1": ("(1) cold `scr run --force`, everything", 60.0, False),
    "2": (f"(2) what {AREA_NOTEBOOK} and its pages add to (1)", 15.0, False),
    "3": ("(3) re-run after one area's FOI row changed", 10.0, False),
    "4": ("(4) no-op re-run", 0.3, True),
    "5": (f"(5) {AREA_PAGE} with everything it loads", 100 * KB, False),
}


def copy_project(into: Path, without: tuple = ()) -> Path:
    """Copy what a run reads into ``into``, leaving out the notebooks named in ``without``."""
    for name in COPIED:
        shutil.copytree(ROOT / name, into / name,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", *without))
    return into


def change_one_area(project: Path, env: dict, round_no: int) -> str:
    """Change practices_declined of the first complete row with at least one decline (down by one on even
    rounds, back up on odd ones), found with the copy's own validation; returns what changed."""
    finder = ("import sys\nfrom scr_lib.inputs import foi\nfrom scr_lib.findings.arithmetic import refusal\n"
              f"marked = refusal.mark_complete(foi.load_returns({str(project / FOI)!r}).frame)\n"
              "row = marked[marked['complete'] & (marked['practices_declined'] >= 1)].iloc[0]\n"
              "print(int(row['source_row']), row['pct'])")
    done = subprocess.run([sys.executable, "-c", finder], cwd=project, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"could not find a complete row to change:\n{done.stderr[-2000:]}")
    line, pct = done.stdout.split(maxsplit=1)
    text = (project / FOI).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    header, row = rows[0], rows[int(line) - 1]  # source_row counts the header as line 1
    column = header.index("practices_declined")
    before = int(row[column])
    row[column] = str(before - 1 if round_no % 2 == 0 else before + 1)
    written = io.StringIO()
    csv.writer(written, lineterminator="\n").writerows(rows)
    (project / FOI).write_text(written.getvalue(), encoding="utf-8")
    return f"{pct.strip()}: practices_declined {before} -> {row[column]}"


class _Loads(HTMLParser):
    """The local files a page loads: stylesheets, scripts, images, icons."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and {"stylesheet", "icon", "preload"} & set((attrs.get("rel") or "").split()):
            self.found.append(attrs.get("href") or "")
        elif tag in ("script", "img", "source", "embed") and attrs.get("src"):
            self.found.append(attrs["src"])


def page_weight(page: Path) -> tuple[int, list[str]] | None:
    """Bytes of ``page`` and of every local file it loads (each counted once), and their names; None if
    there is no such page."""
    if not page.is_file():
        return None
    parser = _Loads()
    parser.feed(page.read_text(encoding="utf-8"))
    total, names, seen = page.stat().st_size, [page.name], set()
    for ref in parser.found:
        parts = urlparse(ref)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # data: URIs are part of the page; a remote file would be a failure of its own
        loaded = (page.parent / unquote(parts.path)).resolve()
        if loaded in seen or not loaded.is_file():
            continue
        seen.add(loaded)
        total += loaded.stat().st_size
        names.append(os.path.relpath(loaded, page.parent))
    return total, names


def one_round(project: Path, bare: Path, scratch: Path, env: dict, env_bare: dict, round_no: int) -> dict:
    scr = [str(BIN / "scr")] if (BIN / "scr").exists() else [sys.executable, "-m", "scr_lib.cli"]
    out, out_bare = scratch / "out" / "pulse_2010", scratch / "out-bare" / "pulse_2010"
    for folder in (out, out_bare):
        shutil.rmtree(folder, ignore_errors=True)
    run = [*scr, "run", str(project / PARAMS), "--out", str(out)]
    figures = {}
    cold_bare = [*scr, "run", str(bare / PARAMS), "--out", str(out_bare), "--force"]
    if round_no % 2:  # the two cold runs in turn first, so that neither always runs on a warmer machine
        bare_cold, _ = timed(cold_bare, bare, env_bare)
    figures["1"], _ = timed([*run, "--force"], project, env)
    if not round_no % 2:
        bare_cold, _ = timed(cold_bare, bare, env_bare)
    figures["2"] = figures["1"] - bare_cold
    figures["bare"] = bare_cold
    figures["changed"] = change_one_area(project, env, round_no)
    figures["3"], figures["3_said"] = timed(run, project, env)
    figures["4"], said = timed(run, project, env)
    if "up to date" not in said:
        sys.exit(f"(4) was not a no-op:\n{said}")
    figures["5"] = page_weight(out / "site" / AREA_PAGE)
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="rounds to time (the median is shown)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="scr-bench-areas-") as tmp:
        scratch = Path(tmp)
        project = copy_project(scratch / "project")
        bare = copy_project(scratch / "bare", without=(AREA_NOTEBOOK,))
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(project), os.environ.get("PYTHONPATH")]))}
        env_bare = {**env, "PYTHONPATH": env["PYTHONPATH"].replace(str(project), str(bare), 1)}
        scr = [str(BIN / "scr")] if (BIN / "scr").exists() else [sys.executable, "-m", "scr_lib.cli"]
        # untimed: the first run of a session reads the libraries from disk; no timed run should pay for it
        timed([*scr, "run", str(bare / PARAMS), "--out", str(scratch / "warm-up" / "pulse_2010")], bare, env_bare)
        load_before = os.getloadavg()
        rounds = [one_round(project, bare, scratch, env, env_bare, i) for i in range(max(1, args.repeat))]
        load_after = os.getloadavg()

    print(machine(load_before, load_after))
    print(f"{len(rounds)} round(s), median [fastest-slowest]\n")
    missed = []
    for name in ("1", "2", "3", "4"):
        label, target, strict = TARGETS[name]
        values = [r[name] for r in rounds]
        median = statistics.median(values)
        ok = median < target if strict else median <= target
        missed += [] if ok else [name]
        print(f"{label:<58}{median:7.2f} s  [{min(values):.2f}-{max(values):.2f}]   "
              f"target {'<' if strict else '<='} {target:g} s: {'met' if ok else 'MISSED'}")
    label, target, _ = TARGETS["5"]
    weight = rounds[-1]["5"]
    if weight is None:
        print(f"{label:<58}{'not built':>9}   target <= {target / KB:g} KB: not measured (the run made no area pages)")
    else:
        ok = weight[0] <= target
        missed += [] if ok else ["5"]
        print(f"{label:<58}{weight[0] / KB:7.1f} KB             target <= {target / KB:g} KB: "
              f"{'met' if ok else 'MISSED'}\n    {', '.join(weight[1])}")
    print(f"\n(2) = (1) minus a cold run without {AREA_NOTEBOOK}: "
          + ", ".join(f"{r['1']:.2f} - {r['bare']:.2f}" for r in rounds) + " s")
    print(f"(3) changed {rounds[-1]['changed']}; `scr run` reported:\n"
          + "\n".join("    " + line for line in rounds[-1]["3_said"].splitlines()))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
