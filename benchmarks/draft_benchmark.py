"""How long `scr draft` takes on a 2,000-word draft, against its target of 1 second (issue 21).

    python benchmarks/draft_benchmark.py [--run RUN_DIR] [--words N] [--repeat N] [--check]   (or: make bench-draft)

The draft is docs/examples/draft_pulse_2010.md (a story with the article's figures, dates and context
figures), its paragraphs repeated until it has at least N words (default 2,000), with a paragraph naming
another area between copies so that the subject changes as it would in a long story. The run is RUN_DIR,
or a fresh `scr run params/pulse_2010.yaml` into a temporary folder (not timed).

Two figures, each the median of the repeats (default 5) with the fastest and slowest:

  (1) `scr draft DRAFT RUN_DIR` as a user runs it: a new process, Python's start and imports included
  (2) the check alone, in this process: reading the fact base and the draft, and checking every number

The machine's cores and load average are printed with them: other work on the machine slows every
figure. Figures only, nothing asserted; with --check the exit status is 1 when (1) misses its target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import machine  # benchmarks/bench.py, beside this script: one way to describe the machine

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "draft_pulse_2010.md"
TARGET = 1.0  # seconds, for (1)


def long_draft(words: int) -> str:
    """The example draft's paragraphs, repeated until the text has at least ``words`` words."""
    text = EXAMPLE.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n\n") if p.strip() and not p.lstrip().startswith("<!--")]
    out, count, turn = [], 0, 0
    while count < words:
        for paragraph in paragraphs:
            out.append(paragraph)
            count += len(paragraph.split())
        turn += 1
        out.append(f"NHS Newcastle, by contrast, said it had written to its practices in round {turn}.")
        count += len(out[-1].split())
    return "\n\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", type=Path, help="a run folder (default: a fresh run of params/pulse_2010.yaml)")
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--check", action="store_true", help="exit 1 when (1) misses its target")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="bench-draft-"))
    run = args.run
    if run is None:
        run = scratch / "run"
        done = subprocess.run([sys.executable, "-m", "scr_lib.cli", "run", str(ROOT / "params" / "pulse_2010.yaml"),
                               "--out", str(run)], cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"the run failed:\n{done.stderr[-3000:]}")
    draft_path = scratch / "long_draft.md"
    draft_path.write_text(long_draft(args.words), encoding="utf-8")
    words = len(draft_path.read_text(encoding="utf-8").split())

    sys.path.insert(0, str(ROOT))
    from scr_lib.story import draft

    load_before = os.getloadavg()
    command = [sys.executable, "-m", "scr_lib.cli", "draft", str(draft_path), str(run)]
    subprocess.run(command, cwd=ROOT, capture_output=True)  # untimed: the first start reads from disk
    whole, alone, report = [], [], None
    for _ in range(args.repeat):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        whole.append(time.perf_counter() - started)
        if done.returncode == 2:
            sys.exit(f"scr draft failed:\n{done.stderr[-3000:]}")
        started = time.perf_counter()
        report = draft.check_draft(draft_path, draft.load_facts(run))
        alone.append(time.perf_counter() - started)
    load_after = os.getloadavg()

    counts = report.counts()
    print(f"draft: {words:,} words, {counts['numbers']:,} figures and {counts['ordinary']:,} ordinary numbers; "
          f"run: {run}")
    for label, times in (("(1) `scr draft` as a user runs it (process start included)", whole),
                         ("(2) the check alone (facts, draft, every number)", alone)):
        line = (f"{label}: median {statistics.median(times):.3f} s (fastest {min(times):.3f}, "
                f"slowest {max(times):.3f}, {len(times)} runs)")
        if times is whole:
            line += f"; target {TARGET:.1f} s: {'met' if statistics.median(times) <= TARGET else 'MISSED'}"
        print(line)
    print(machine(load_before, load_after))
    return 1 if args.check and statistics.median(whole) > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
