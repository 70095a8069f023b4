"""docs/adding-a-finding.md, followed in a copy of the project: a toy fifth finding reaches the index, the fact
base and `scr draft`.

The toy touches only the places the page lists (its declaration, the list of findings, its notebook, its claims, its
data, the params file and docs/rerunning.md); `scr run` in the copy then renders its page, the index shows its
headline and its claims, the run's facts.csv holds its measure for England and for each area, and `scr draft`
checks a draft's figures of it against those facts.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from scr_lib import findings, paths

DOC = paths.PROJ_ROOT / "docs" / "adding-a-finding.md"

TOY_MODULE = '''"""Finding 4 (a toy), declared: counts the things in data/toy/things.csv, times a factor."""

from __future__ import annotations

from .. import paths
from ..inputs.params import Knob
from ..words import count
from .finding import Finding, Source
from .measure import Measure


def headline(figures, params) -> str:
    """The index sentence: how many things the toy counted."""
    return f"The toy counted {count(figures['toy.total'])} things."


FINDING = Finding(
    id="toy", notebook="05-toy", title="A toy finding", headline=headline, key_figures=("toy.total",),
    knobs={"toy_factor": Knob((int,), 2, "multiplies the toy's count; blank: 2", positive=True)},
    sources=(Source(paths.DATA / "toy" / "things.csv", "the things the toy counts"),),
    charts=("toy_things",),
    measures=(Measure("things_counted", "count", ("counted", "tallied"), False, count, "things counted",
                      ("things", "thing"), "{value} things counted", result="toy.total"),),
)
'''

TOY_SETUP = '''import pandas as pd

from scr_lib import paths
from scr_lib.story import claims, report
from scr_lib.story.results import Results

results = Results.for_finding("toy")'''

TOY_WORK = '''things = results.table("toy_things", pd.read_csv(paths.DATA / "toy" / "things.csv"))
total = results.add("toy.total", int(things["n"].sum()) * toy_factor, "things", "Things counted")
results.facts(things.rename(columns={"n": "things_counted"}))
checked = claims.check_all(results.values, "toy")
report.say(f"The toy counted {total:,} things.")
results.save(output_dir)'''


def steps_listed_in_the_doc() -> list[str]:
    """The doc's numbered steps, by their bold names."""
    return re.findall(r"^\d+\. \*\*(.+?)\*\*", DOC.read_text(encoding="utf-8"), re.MULTILINE)


def test_the_doc_lists_the_places_this_test_touches():
    assert steps_listed_in_the_doc()[:6] == ["Its module", "The list of findings", "Its notebook", "Its claims",
                                             "Its data", "Its knobs in the params files"]


def copy_project(target: Path) -> Path:
    ignore = shutil.ignore_patterns(".venv", ".git", "build", "__pycache__", ".pytest_cache", "*.egg-info")
    for name in ("scr_lib", "notebooks", "data", "params", "docs"):
        shutil.copytree(paths.PROJ_ROOT / name, target / name, ignore=ignore)
    return target


def add_toy(root: Path) -> None:
    # 1. its declaration (the toy needs no arithmetic module of its own)
    (root / "scr_lib" / "findings" / "toy.py").write_text(TOY_MODULE, encoding="utf-8")
    # 2. the list of findings
    registry_py = root / "scr_lib" / "findings" / "__init__.py"
    text = registry_py.read_text(encoding="utf-8")
    text = text.replace("from . import areas, ooh, refusal, spend\n", "from . import areas, ooh, refusal, spend, toy\n")
    text = text.replace("(refusal.FINDING, spend.FINDING, ooh.FINDING, areas.FINDING)", "(refusal.FINDING, spend.FINDING, ooh.FINDING, areas.FINDING, "
                                                                        "toy.FINDING)")
    assert "toy.FINDING" in text and "spend, toy" in text, "scr_lib/findings/__init__.py changed: update this test"
    registry_py.write_text(text, encoding="utf-8")
    # 3. its notebook
    nb = new_notebook(cells=[
        new_markdown_cell("# Finding five: a toy\n\nCounts things."),
        new_code_cell('toy_factor = 2  # multiplies the count\noutput_dir = ""', metadata={"tags": ["parameters"]}),
        new_code_cell(TOY_SETUP),
        new_code_cell(TOY_WORK),
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, root / "notebooks" / "05-toy.ipynb")
    # 4. its claims
    with open(root / "data" / "pulse_2010" / "claims.csv", "a", encoding="utf-8", newline="") as handle:
        handle.write('toy-total,toy,toy.total,pulse-2010-snub,"a toy count of 12 things",12,12,things,1,0,equal,'
                     '"{value:,.0f} things",\n')
    # 5. its data
    (root / "data" / "toy").mkdir()
    (root / "data" / "toy" / "things.csv").write_text("ods_code,pct_name,n\n5QM,Dorset,2\n5PN,Peterborough,4\n",
                                                     encoding="utf-8")
    # 6. its knob in the params file and docs/rerunning.md
    with open(root / "params" / "pulse_2010.yaml", "a", encoding="utf-8") as handle:
        handle.write("# The toy finding (notebook 05).\ntoy_factor: null\n")
    with open(root / "docs" / "rerunning.md", "a", encoding="utf-8") as handle:
        handle.write("\n- `toy_factor`: multiplies the toy's count.\n")


@pytest.mark.slow
def test_a_toy_finding_added_as_the_doc_says_reaches_the_index(tmp_path):
    root = copy_project(tmp_path / "project")
    add_toy(root)
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy's scr_lib, in `scr` and in the kernels
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "scr_lib.cli", "run", str(root / "params" / "pulse_2010.yaml"),
                           "--out", str(out)], capture_output=True, text=True, cwd=root, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    index = (out / "site" / "index.html").read_text(encoding="utf-8")
    assert (out / "site" / "05-toy.html").is_file()
    assert '<a href="05-toy.html">Finding five: a toy</a>' in index
    assert '<p class="story-headline">The toy counted 12 things.</p>' in index
    assert "a toy count of 12 things" in index  # its claim, in the claims table
    page = (out / "site" / "05-toy.html").read_text(encoding="utf-8")
    methods = (out / "site" / "methods.html").read_text(encoding="utf-8")  # paths and params: "How we did it"
    assert 'href="methods.html#05-toy"' in page and "data/toy/things.csv" in methods and "toy_factor" in methods
    # its measure reached the fact base, England's and each area's
    rows = {(r["subject"], r["measure"]): r for r in csv.DictReader((out / "facts.csv").open(encoding="utf-8"))}
    assert rows[("E", "things_counted")]["value"] == "12" and rows[("E", "things_counted")]["finding"] == "toy"
    assert rows[("5QM", "things_counted")]["value"] == "2" and rows[("5PN", "things_counted")]["value"] == "4"
    # and scr draft reads a draft's figures of it by its words
    story = tmp_path / "story.md"
    story.write_text("The toy counted 12 things. NHS Dorset tallied 2 things. NHS Peterborough counted 5 things.\n",
                     encoding="utf-8")
    checked = subprocess.run([sys.executable, "-m", "scr_lib.cli", "draft", str(story), str(out), "--json"],
                             capture_output=True, text=True, cwd=root, env=env)
    verdicts = {(n["subject"], n["printed"]): n["verdict"] for n in json.loads(checked.stdout)["numbers"]}
    assert verdicts == {("E", "12"): "supported", ("5QM", "2"): "supported", ("5PN", "5"): "contradicted"}
    assert checked.returncode == 1
    # the toy was found in the copy, not in this checkout
    assert "toy" not in findings.IDS
