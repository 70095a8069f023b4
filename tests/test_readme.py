"""Every figure the README types is published (in claims.csv), computed (checked against a real run's
results), or not a figure at all (a year, a version, a list number), each for a stated reason.

A new number typed into the README's prose fails this test until it is one of these.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from scr_lib import paths, precision, words
from scr_lib.findings.arithmetic import ooh
from scr_lib.inputs import reference, values
from scr_lib.story import claims, results

README = paths.PROJ_ROOT / "README.md"
# a figure as prose prints it: £7.5 million, 1,732, 0.53%, 25.0
FIGURE = re.compile(r"£?\d[\d,]*(?:\.\d+)?(?:%| million)?")


def prose_figures(text: str) -> list[str]:
    """The figures in Markdown prose: code blocks, code spans and link targets are not prose."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`]*`", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return [m.group().rstrip(",.") for m in FIGURE.finditer(text)]


def published() -> set[str]:
    """Every figure as an article printed it, from the claims ledger."""
    return {f for printed in claims.load_claims()["printed"].astype(str) for f in prose_figures(printed)}


# Numbers that are not findings, each with what makes it true (checked where it can be).
NOT_FIGURES = {
    "3.11": "the Python version the project needs",
    "8": "UTF-8, an encoding",
    "1252": "Windows-1252, an encoding",
    "1": "a list number, or the 1 of 1/N",
    "2": "a list number",
    "3": "a list number",
    "03": "a notebook's number",
    "1,000": "the unit 'per 1,000 people'",
    "7": "days in a week",
}


def is_year(figure: str) -> bool:
    return re.fullmatch(r"(19|20)\d\d", figure) is not None


def test_the_constants_the_readme_names_are_the_code_s():
    assert ooh.WEEKS_PER_YEAR == 365.25 / 7
    assert len(reference.load_pcts()) == 152
    assert values.read_money("£190,000") == values.read_money("190000") == 190000
    assert values.read_money("£61,250.50") == 61250.5
    assert (precision.SIGNIFICANT_DIGITS, precision.GEOMETRY_DIGITS) == (12, 6)


FACTUAL = {
    "365.25": "days in a year (ooh.WEEKS_PER_YEAR = 365.25 / 7)",
    "152": "PCTs and care trusts in the reference table",
    "190000": "an example input to values.read_money",
    "£61,250.50": "an example input to values.read_money",
    "12": "significant digits kept in committed outputs (precision.SIGNIFICANT_DIGITS)",
    "6": "significant digits of curve geometry (precision.GEOMETRY_DIGITS)",
}


def computed(run: dict, tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """The README's computed figures, made again from a real run, as the README prints them."""
    rate = results.value(run, "ooh.calls_per_1000_per_week")
    table = tables["ooh_sensitivity"]
    before = table[ooh.measured_before(table, ooh.article().date)]
    low, high = before["access_rate"].min(), before["access_rate"].max()
    return {
        f"{rate:.1f}": "notebook 03's implied call rate, per 1,000 people a week",
        ooh.percent_range(low, high, 0): "the access rate at the GP rates measured before the article ('about 4%')",
    }


@pytest.mark.slow
def test_every_figure_in_the_readme_is_published_computed_or_not_a_figure(story_run):
    run = results.load(story_run / "results.json")
    tables = {"ooh_sensitivity": pd.read_csv(story_run / "tables" / "ooh_sensitivity.csv", keep_default_na=False,
                                             dtype={"period_end": str})}
    made = computed(run, tables)
    known = published() | set(NOT_FIGURES) | set(FACTUAL) | set(made)
    figures = prose_figures(README.read_text(encoding="utf-8"))
    unexplained = [f for f in figures if f not in known and not is_year(f)]
    assert not unexplained, f"README figures that are neither published, computed nor explained: {unexplained}"
    # the computed ones are in the README as the run prints them (a change in the data changes the README)
    for figure, what in made.items():
        assert figure in figures, f"the README should state {what} as {figure!r}"


def test_prose_figures_skips_code_and_links():
    text = "We found 286 of 1,732 (`scr run 2010.yaml`) [see](docs/a1.md)\n```sh\nmake 99\n```\nand £7.5 million."
    assert prose_figures(text) == ["286", "1,732", "£7.5 million"]


def test_a_typed_figure_is_caught():
    """The check above can fail: a figure nobody published or computed is unexplained."""
    known = published() | set(NOT_FIGURES) | set(FACTUAL)
    assert [f for f in prose_figures("About 17.3% of practices declined.") if f not in known] == ["17.3%"]
    assert words.percent(0.173, 1) == "17.3%"
