"""Time and peak memory of refusing hostile params files, against the issue's targets; prints the figures.

    python benchmarks/params_limits.py [--check]      (or: make bench-params)

Each file is written to a temporary folder and given, in a fresh process, to
`scr check FILE` and `scr run FILE --out <temporary folder>`, as a user would.
Every one must be refused (exit status 1, one message naming the file and its
line, no traceback) within 5 s and 500 MB of peak resident memory (the whole
process: interpreter and imports included). Files:

  laughs-9    a "billion laughs" value: nine levels of anchors, each repeating the last nine times (9**9 items)
  laughs-30   the same with thirty levels (9**30 items if expanded)
  deep-list   a value of 10,000 nested brackets
  huge        a 50 MB params file (a comment line)

With --check the exit status is 1 when a target is missed or a file is not refused.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCR = [sys.executable, "-m", "scr_lib.cli"]
TARGET_SECONDS = 5.0
TARGET_MB = 500.0


def laughs(levels: int) -> str:
    lines = ["name: laughs", "foi_returns: foi.csv", "foi_sheet:", '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", '
                                                                  '"lol", "lol", "lol", "lol"]']
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


FILES = {
    "laughs-9": lambda: laughs(9),
    "laughs-30": lambda: laughs(30),
    "deep-list": lambda: "name: deep\nfoi_returns: foi.csv\nfoi_sheet: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "huge": None,  # written in chunks by write_huge: the benchmark's own memory would count in a child's peak
}


def write_huge(path: Path, megabytes: int = 50) -> None:
    """A params file of ``megabytes`` MB (one long comment line), written 1 MB at a time."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("name: huge\nfoi_returns: foi.csv\n# ")
        for _ in range(megabytes):
            handle.write("x" * 1_000_000)
        handle.write("\n")


def run_measured(args: list[str]) -> tuple[int, float, float, str]:
    """Run ``args``; return (exit status, seconds, peak resident MB of that process alone, its output).

    The child is reaped with ``wait4``, which reports that one process's own peak memory.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=out)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return child.returncode, seconds, usage.ru_maxrss / 1024, text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    options = parser.parse_args()
    missed = 0
    print(f"target: refused (exit 1, no traceback) within {TARGET_SECONDS:g} s and {TARGET_MB:g} MB peak memory\n")
    print(f"{'file':<11}{'bytes':>12}  {'command':<10}{'exit':>5}{'seconds':>9}{'peak MB':>9}  verdict")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "foi.csv").write_text("pct,rollout_begun,practices_invited,practices_declined\n", encoding="utf-8")
        for name, make in FILES.items():
            path = folder / f"{name}.yaml"
            write_huge(path) if make is None else path.write_text(make(), encoding="utf-8")
            for command in (["check", str(path)], ["run", str(path), "--out", str(folder / "out")]):
                code, seconds, peak, text = run_measured(SCR + command)
                ok = code == 1 and "Traceback" not in text and seconds <= TARGET_SECONDS and peak <= TARGET_MB
                missed += not ok
                print(f"{name:<11}{path.stat().st_size:>12,}  {command[0]:<10}{code:>5}{seconds:>9.2f}{peak:>9.0f}  "
                      f"{'met' if ok else 'MISSED'}")
                if not ok or command[0] == "check":
                    print(f"{'':<13}said: {text.strip().splitlines()[0][:110] if text.strip() else '(nothing)'}")
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
