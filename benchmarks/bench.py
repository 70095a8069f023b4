"""Time `scr run` against the loop a typical newsroom Makefile uses, and print the figures.

    python benchmarks/bench.py [--repeat N] [--edit NOTEBOOK] [--check]      (or: make bench)

Everything is measured in this one invocation, on a copy of the project in a
temporary folder (notebooks/, data/, params/, scr_lib/), with PYTHONPATH set
so that `scr` and the kernels import the copy's scr_lib: edits made while the
benchmark runs, and the edit it makes itself, never touch the real project.

  (a) a cold full run: `scr run params/pulse_2010.yaml --force` into an empty folder
  (b) `jupyter nbconvert --to html --execute` on each notebook in turn
  (c) the same `scr run` again with nothing changed (a no-op)
  (d) `scr run` after editing one notebook's markdown (a sentence added to its first markdown cell)
  (e) for comparison, no target: `scr run` after editing a code cell of that notebook (a comment
      added), which executes it again

and the ratios a/b and d/a, against issue 13's targets (a/b at most 0.35, c under
0.2 s, d under 1 s; d/a is shown for comparison). Each step is timed N times (default 3) and the median is
shown, with the fastest and slowest. The machine's core count and load average
(other work on the machine slows every figure) are printed with them.
With --check the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
COPIED = ("notebooks", "data", "params", "scr_lib")
TARGETS = {"c": 0.2, "d": 1.0, "a/b": 0.35}  # issue 13; earlier: c 1 s, a/b 0.6, d/a 0.5


def machine(load_before: tuple, load_after: tuple) -> str:
    """A line naming the cores (all, and those usable by this process) and the load average before and
    after the timed steps: other work on the machine slows every figure."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        usable = os.cpu_count()
    return (f"cores: {os.cpu_count()} (os.cpu_count), {usable} usable by this process; "
            f"load average before {' '.join(f'{x:.2f}' for x in load_before)}, "
            f"after {' '.join(f'{x:.2f}' for x in load_after)}")


def copy_project(into: Path) -> Path:
    """Copy what a run reads into ``into/project``, with scr_lib compiled to bytecode so imports start warm,
    as they do for a user after the first run (even where PYTHONDONTWRITEBYTECODE is set, which would leave
    every timed `scr run` compiling scr_lib from source: about 0.2 s each)."""
    project = into / "project"
    for name in COPIED:
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    compileall.compile_dir(project / "scr_lib", quiet=1)
    return project


def timed(command: list[str], cwd: Path, env: dict) -> tuple[float, str]:
    """Run ``command``; return its wall-clock seconds and its stderr. A failure stops the benchmark."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(command)}\n{done.stderr[-3000:]}")
    return seconds, done.stderr


def add_prose(notebook: Path, round_no: int) -> None:
    """Add a sentence (no digits: the project's rule for prose) to the first markdown cell."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = text + "\n\nEdited for the benchmark" + " again" * round_no + "."
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def add_comment(notebook: Path, round_no: int) -> None:
    """Add a comment line to the last code cell: the notebook must be executed again."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    cell = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
    text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    cell["source"] = "# edited for the benchmark" + " again" * round_no + "\n" + text
    notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def one_round(project: Path, scratch: Path, env: dict, edit: str, round_no: int) -> dict:
    params = project / "params" / "pulse_2010.yaml"
    out = scratch / "out" / "pulse_2010"
    shutil.rmtree(out.parent, ignore_errors=True)  # the run folder is a link to .pulse_2010.run-* beside it
    scr = [str(BIN / "scr")] if (BIN / "scr").exists() else [sys.executable, "-m", "scr_lib.cli"]
    run = [*scr, "run", str(params), "--out", str(out)]
    figures = {}
    figures["a"], _ = timed([*run, "--force"], project, env)
    converted = scratch / "nbconvert"
    started = time.perf_counter()
    for notebook in sorted((project / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--execute", notebook.name,
               "--output-dir", str(converted)], project / "notebooks", env)
    figures["b"] = time.perf_counter() - started
    figures["c"], said = timed(run, project, env)
    if "up to date" not in said:
        sys.exit(f"(c) was not a no-op:\n{said}")
    add_prose(project / "notebooks" / edit, round_no)
    figures["d"], figures["d_said"] = timed(run, project, env)
    add_comment(project / "notebooks" / edit, round_no)
    figures["e"], figures["e_said"] = timed(run, project, env)
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="rounds to time (the median is shown)")
    parser.add_argument("--edit", default=None, help="the notebook whose markdown (d) edits (default: the first)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="scr-bench-") as tmp:
        scratch = Path(tmp)
        project = copy_project(scratch)
        names = sorted(p.name for p in (project / "notebooks").glob("[0-9][0-9]-*.ipynb"))
        edit = args.edit or names[0]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(project), os.environ.get("PYTHONPATH")]))}
        load_before = os.getloadavg()
        rounds = [one_round(project, scratch, env, edit, i) for i in range(max(1, args.repeat))]
        load_after = os.getloadavg()

    def fig(name):
        values = [r[name] for r in rounds]
        return statistics.median(values), min(values), max(values)

    print(machine(load_before, load_after))
    print(f"notebooks: {', '.join(names)}; {len(rounds)} round(s), median [fastest-slowest]\n")
    labels = {"a": "(a) cold `scr run params/pulse_2010.yaml --force`",
              "b": "(b) `jupyter nbconvert --to html --execute`, each notebook",
              "c": "(c) no-op re-run",
              "d": f"(d) re-run after editing {edit}'s markdown",
              "e": f"(e) re-run after editing {edit}'s code"}
    missed = []
    for name, label in labels.items():
        median, low, high = fig(name)
        line = f"{label:<62}{median:7.2f} s  [{low:.2f}-{high:.2f}]"
        if name == "e":
            line += "   (for comparison, no target)"
        if name in TARGETS:
            ok = median < TARGETS[name]
            missed += [] if ok else [name]
            line += f"   target < {TARGETS[name]:g} s: {'met' if ok else 'MISSED'}"
        print(line)
    ratios = {"a/b": fig("a")[0] / fig("b")[0], "d/a": fig("d")[0] / fig("a")[0]}
    for name, value in ratios.items():
        if name not in TARGETS:
            print(f"{name:<62}{value:7.2f}      (for comparison, no target)")
            continue
        ok = value <= TARGETS[name]
        missed += [] if ok else [name]
        print(f"{name:<62}{value:7.2f}      target <= {TARGETS[name]:g}: {'met' if ok else 'MISSED'}")
    for name in ("d", "e"):
        said = rounds[-1][f"{name}_said"].splitlines()
        print(f"\n({name}) as `scr run` reported it:\n" + "\n".join("    " + line for line in said))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
