"""The notebooks as documents: parameters mirror the params file, prose types no numbers, and a
papermill run on other data gives results that follow that data."""

import json
import re

import nbformat
import papermill
import pytest

from scr_lib import paths
from scr_lib.findings.arithmetic import refusal
from scr_lib.inputs import foi
from scr_lib.findings import KNOBS, load_params
from scr_lib.runner.run import KERNEL, notebooks

NOTEBOOKS = notebooks()


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "01-refusal-share.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_markdown_cells_type_no_figures(path):
    """Figures in prose come from code; a digit in a markdown cell is a number typed by hand.

    Code spans (file names such as `params/pulse_2010.yaml`) are not prose and are ignored.
    """
    nb = nbformat.read(path, as_version=4)
    prose = [(i, re.sub(r"`[^`]*`", "", c.source)) for i, c in enumerate(nb.cells) if c.cell_type == "markdown"]
    typed = [(i, m.group()) for i, text in prose for m in re.finditer(r"\S*\d\S*", text)]
    assert typed == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_holds_the_parameters_and_mirrors_the_params_file(path):
    nb = nbformat.read(path, as_version=4)
    first_code = next(c for c in nb.cells if c.cell_type == "code")
    assert "parameters" in first_code.metadata.get("tags", [])
    declared = papermill.inspect_notebook(str(path))
    assert "output_dir" in declared
    params = load_params(paths.DEFAULT_PARAMS).values
    for name, spec in declared.items():
        if name == "output_dir":  # given by scr run itself
            continue
        assert name in KNOBS, f"{path.name} parameter {name!r} is not a params key"
        default = eval(spec["default"])  # the cell's literal default
        if KNOBS[name].is_path:
            assert str(paths.project_path(default)) == params[name]
        else:
            assert default == params[name]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebooks_are_executed_with_the_project_kernel(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    executed = [c.execution_count for c in code]
    assert executed == list(range(1, len(code) + 1)), "run `make notebooks` and commit the outputs"
    assert code[-1].outputs, "the last cell shows the results; run `make notebooks`"
    assert nb.metadata.kernelspec.name == "scr"


@pytest.mark.slow
def test_refusal_notebook_follows_other_data(tmp_path, foi_file):
    """Four areas with complete figures: 30 of 120 declined, one in four; the article's claims no longer hold."""
    path = foi_file([
        {"pct": "NHS Bolton", "rollout_begun": "yes", "practices_invited": "50", "practices_declined": "10"},
        {"pct": "Bristol PCT", "rollout_begun": "Y", "practices_invited": "40", "practices_declined": "15"},
        {"pct": "5QM", "rollout_begun": "yes", "practices_invited": "20", "practices_declined": "nil"},
        {"pct": "NHS Isle of Wight", "rollout_begun": "TRUE", "practices_invited": "10", "practices_declined": "5"},
        {"pct": "Torbay Care Trust", "rollout_begun": "no"},
        {"pct": "Leeds", "rollout_begun": "yes", "practices_invited": "12", "practices_declined": "not known"},
    ])
    out = tmp_path / "out"
    papermill.execute_notebook(str(NOTEBOOKS[0]), str(tmp_path / "run.ipynb"), kernel_name=KERNEL,
                               parameters={"foi_returns": str(path), "output_dir": str(out)},
                               cwd=str(paths.NOTEBOOKS), progress_bar=False)
    saved = json.loads((out / "01-refusal-share.results.json").read_text())["results"]
    got = {k: v["value"] for k, v in saved.items()}
    # expectations recomputed from the file, not typed
    totals = refusal.totals(refusal.mark_complete(foi.load_returns(path).frame))
    assert got["refusal.practices_invited"] == totals["practices_invited"] == 120
    assert got["refusal.practices_declined"] == totals["practices_declined"] == 30
    assert got["refusal.areas_complete"] == 4 and got["refusal.areas_answered"] == 6
    assert got["refusal.share"] == 30 / 120 and got["refusal.one_in"] == 4
    claims_csv = (out / "tables" / "refusal_claims.csv").read_text()
    assert "one in four" in claims_csv and "does not hold" in claims_csv
    assert "refusal.dorset_practices_invited" in got


# Edge data that `scr check` passes: the notebooks complete and say what the data shows, in words.
EDGE_DATA = {
    "no_declines": [
        {"pct": "NHS Bolton", "rollout_begun": "yes", "practices_invited": "50", "practices_declined": "0"},
        {"pct": "Bristol PCT", "rollout_begun": "yes", "practices_invited": "40", "practices_declined": "nil"},
    ],
    "no_rollout": [
        {"pct": "NHS Bolton", "rollout_begun": "no", "spend_to_date_gbp": "nil"},
        {"pct": "Bristol PCT", "rollout_begun": "no"},
    ],
    "nothing_invited": [
        {"pct": "NHS Bolton", "rollout_begun": "yes", "practices_invited": "0", "practices_declined": "0"},
    ],
    "one_area": [
        {"pct": "NHS Dorset", "rollout_begun": "yes", "practices_invited": "12", "practices_declined": "3",
         "spend_to_date_gbp": "£1,000", "records_uploaded": "0", "records_viewed": "0"},
    ],
    "nothing_given": [
        {"pct": "NHS Bolton", "rollout_begun": "not known", "practices_invited": "not held",
         "practices_declined": "Information not held", "spend_to_date_gbp": "exempt"},
    ],
}
EDGE_WORDS = {
    "no_declines": "none of the **90** invited practices declined",
    "no_rollout": "no area had begun the rollout and given complete figures",
    "nothing_invited": "invited no practices",
    "one_area": "about **one in four**",
    "nothing_given": "no area had begun the rollout and given complete figures",
}


def _run(notebook, data, tmp_path):
    out = tmp_path / "out"
    papermill.execute_notebook(str(notebook), str(tmp_path / "run.ipynb"), kernel_name=KERNEL,
                               parameters={"foi_returns": str(data), "output_dir": str(out)},
                               cwd=str(paths.NOTEBOOKS), progress_bar=False)
    executed = nbformat.read(tmp_path / "run.ipynb", as_version=4)
    text = "\n".join(str(o.get("data", {}).get("text/markdown", "")) for c in executed.cells if c.cell_type == "code"
                     for o in c.get("outputs", []))
    saved = json.loads(next(out.glob("*.results.json")).read_text())["results"]
    return text, {k: v["value"] for k, v in saved.items()}


@pytest.mark.slow
@pytest.mark.parametrize("case", EDGE_DATA)
def test_the_refusal_notebook_completes_on_edge_data_and_says_so(case, tmp_path, foi_file):
    assert foi.check(foi_file(EDGE_DATA[case])).problems == []
    text, got = _run(NOTEBOOKS[0], foi_file(EDGE_DATA[case]), tmp_path)
    assert EDGE_WORDS[case] in text.lower() if case != "one_area" else EDGE_WORDS[case] in text
    if case == "no_declines":
        assert got["refusal.share"] == 0 and "refusal.one_in" not in got
    if case in ("no_rollout", "nothing_invited", "nothing_given"):
        assert "refusal.share" not in got and "refusal.one_in" not in got


@pytest.mark.slow
@pytest.mark.parametrize("case", ["no_rollout", "one_area", "nothing_given"])
def test_the_spend_notebook_completes_on_edge_data(case, tmp_path, foi_file):
    text, got = _run(NOTEBOOKS[1], foi_file(EDGE_DATA[case]), tmp_path)
    assert got["spend.pcts_answered"] == len(EDGE_DATA[case])
