"""Rounding at the source, and the guard that keeps float noise out of every committed notebook output."""

from __future__ import annotations

import copy
import json
import math
import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from scr_lib import precision
from scr_lib.runner.run import notebooks

LIMIT = precision.SIGNIFICANT_DIGITS
# a decimal number as a notebook prints it: 1,304.464286, 0.165127, 1.5e-05 (a digit before the point)
PRINTED = re.compile(r"(?<![\w.])\d[\d,]*\.\d+(?:[eE][+-]?\d+)?(?![\w.])")


def _floats(data, where):
    """Every float in a JSON value, with the path to it ('datasets/data-…/3/access_rate')."""
    if isinstance(data, float):
        yield where, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _floats(value, f"{where}/{key}")
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _floats(value, f"{where}/{index}")


def noisy_floats(nb) -> list[tuple[int, str, str]]:
    """(cell index, where, value) for each float in ``nb``'s outputs with more than LIMIT significant digits.

    JSON outputs (chart specs and their datasets) are walked value by value;
    text outputs (text/plain, text/html, text/markdown, streams) are searched
    for printed decimal numbers. Images are not read.
    """
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            texts = [("stream", output["text"])] if "text" in output else []
            for mime, data in output.get("data", {}).items():
                if mime.startswith("image/"):
                    continue
                if isinstance(data, (dict, list)):
                    found += [(index, f"{mime}{where}", repr(v)) for where, v in _floats(data, "")
                              if precision.significant_digits(v) > LIMIT]
                else:
                    texts.append((mime, data))
            for mime, text in texts:
                text = "".join(text) if isinstance(text, list) else text
                found += [(index, mime, m.group()) for m in PRINTED.finditer(text)
                          if precision.significant_digits(float(m.group().replace(",", ""))) > LIMIT]
    return found


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_no_float_noise_in_committed_outputs(path):
    """Floats in committed outputs carry at most LIMIT significant digits, so they verify on any CPU."""
    nb = nbformat.read(path, as_version=4)
    noisy = [f"{path.name} cell {cell}: {where}: {value}" for cell, where, value in noisy_floats(nb)]
    assert not noisy, ("floats with more than %d significant digits (round them where they are made, with "
                       "scr_lib.precision; then `make notebooks`):\n" % LIMIT) + "\n".join(noisy[:20])


def _a_chart_output(nb):
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            spec = output.get("data", {}).get("application/vnd.vegalite.v5+json")
            if spec and spec.get("datasets"):
                return index, spec
    raise AssertionError("no committed Vega-Lite chart with a dataset")


def _has_chart(nb) -> bool:
    try:
        return bool(_a_chart_output(nb))
    except AssertionError:
        return False


@pytest.mark.parametrize("noise", [0.1 + 0.2, 90.81089453575419, 1 / 3])
def test_guard_names_notebook_cell_and_value_of_a_noisy_float_in_a_chart_dataset(noise):
    charted = [nb for path in notebooks() if _has_chart(nb := nbformat.read(path, as_version=4))]
    nb = copy.deepcopy(charted[-1])
    index, spec = _a_chart_output(nb)
    name = sorted(spec["datasets"])[0]
    spec["datasets"][name][0]["injected"] = noise
    assert (index, f"application/vnd.vegalite.v5+json/datasets/{name}/0/injected", repr(noise)) in noisy_floats(nb)


def test_guard_finds_a_noisy_float_printed_in_a_table():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/plain": "   share\n0  0.7272727272727273\n1  0.25"}, execution_count=1)])])
    assert noisy_floats(nb) == [(0, "text/plain", "0.7272727272727273")]


def test_guard_passes_rounded_values_and_ignores_images():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output(
        "display_data", data={"application/json": {"a": [0.165127020785, 1800.0, 13499272]},
                              "text/plain": "1,304.464286 and 25.0", "image/png": "iVBORw0KGgo1.23456789012345"})])])
    assert noisy_floats(nb) == []


@pytest.mark.parametrize("value, digits, expected", [
    (0.1 + 0.2, 12, 0.3),
    (90.81089453575419, 12, 90.8108945358),
    (90.81089453575414, 12, 90.8108945358),  # the other CPU's last bits: the same rounded value
    (90.81089453575419, 6, 90.8109),
    (286 / 1732, 12, 0.165127020785),
    (13499272.0, 12, 13499272.0),
    (-0.0051234567890123, 3, -0.00512),
    (0.0, 12, 0.0),
])
def test_round_number(value, digits, expected):
    assert precision.round_number(value, digits) == expected


@pytest.mark.parametrize("value", [7, np.int64(7), True, float("nan"), float("inf"), None, pd.NA])
def test_round_number_leaves_whole_numbers_and_missing_values_alone(value):
    got = precision.round_number(value)
    assert got is value or (isinstance(value, float) and (math.isnan(got) or got == value))


def test_round_significant_rounds_float_columns_only_and_returns_a_new_frame():
    frame = pd.DataFrame({"name": ["a", "b"], "n": [1, 2], "share": [2 / 3, float("nan")],
                          "amount": pd.array([1 / 7, None], dtype="Float64")})
    before = frame.copy()
    got = precision.round_significant(frame, 4)
    assert got["share"].iloc[0] == 0.6667 and math.isnan(got["share"].iloc[1])
    assert got["amount"].iloc[0] == 0.1429 and pd.isna(got["amount"].iloc[1]) and str(got["amount"].dtype) == "Float64"
    assert got["n"].tolist() == [1, 2] and got["name"].tolist() == ["a", "b"]
    pd.testing.assert_frame_equal(frame, before)


def test_round_significant_rounds_arrays_and_series():
    assert precision.round_significant(np.geomspace(1, 1000, 4), 3).tolist() == [1.0, 10.0, 100.0, 1000.0]
    assert precision.round_significant(pd.Series([1 / 3]), 2).tolist() == [0.33]


def test_round_significant_refuses_what_it_cannot_round():
    with pytest.raises(TypeError, match="cannot round str"):
        precision.round_significant("0.5")


@pytest.mark.parametrize("value, digits", [
    (0.1 + 0.2, 17), (0.3, 1), (1800.0, 2), (13499272.0, 8), (0.165127020785, 12),
    (1.5e-05, 2), (1.2345678901234568e+17, 17), (float("nan"), 0), (0.0, 0),
])
def test_significant_digits(value, digits):
    assert precision.significant_digits(value) == digits


def test_results_round_at_the_source(tmp_path):
    from scr_lib.story.results import Results

    results = Results("00-test")
    assert results.add("t.share", 286 / 1732, "fraction", "share") == 0.165127020785
    frame = results.table("t", pd.DataFrame({"share": [2 / 3]}))
    assert frame["share"].tolist() == [0.666666666667]
    results.save(tmp_path)
    saved = json.loads((tmp_path / "00-test.results.json").read_text())
    assert saved["results"]["t.share"]["value"] == 0.165127020785
    assert (tmp_path / "tables" / "t.csv").read_text() == "share\n0.666666666667\n"
