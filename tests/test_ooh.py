"""Tests for scr_lib.findings.arithmetic.ooh: unit conversions, the implied call rate, rounding checks, published rates, the notebook."""

from __future__ import annotations

import json
import math
import re

import nbformat
import pandas as pd
import pytest
import yaml

from scr_lib import charts, paths
from scr_lib.findings.arithmetic import ooh
from scr_lib.story import claims
from scr_lib import findings
from scr_lib.findings import KNOBS
from scr_lib.problems import InputError

NOTEBOOK = paths.NOTEBOOKS / "03-out-of-hours.ipynb"
# The article's figures, read from data/pulse_2010/claims.csv (recorded once there, never retyped here)
_CLAIMS = claims.load_claims().set_index("claim_id")
RECORDS = int(_CLAIMS.loc["ooh-records-table", "value"])
CALLS_TABLE, CALLS_TEXT = (int(_CLAIMS.loc[c, "value"]) for c in ("ooh-calls-table", "ooh-calls-text"))
VIEWS = int(_CLAIMS.loc["ooh-views-table", "value"])
PRINTED = [(CALLS_TABLE, int(_CLAIMS.loc["ooh-calls-table", "decimals"])),
           (CALLS_TEXT, int(_CLAIMS.loc["ooh-calls-text", "decimals"]))]
# Pulse's implied rate, to the one decimal place shared/FACTS.md gives it: derived, not typed
IMPLIED = round(CALLS_TABLE / RECORDS * 1000, 1)


# --- conversions ---------------------------------------------------------------------------------------

def test_a_year_is_an_average_year_of_weeks():
    assert ooh.WEEKS_PER_YEAR == pytest.approx(52.1786, abs=1e-4)


@pytest.mark.parametrize("per_year, per_week", [(159, 3.0472), (168, 3.2197), (1304.4643, 25.0), (0, 0)])
def test_per_week_and_back(per_year, per_week):
    assert ooh.per_week(per_year) == pytest.approx(per_week, abs=1e-4)
    assert ooh.per_year(ooh.per_week(per_year)) == pytest.approx(per_year)


def test_conversions_keep_missing_values_missing_and_leave_input_alone():
    rates = pd.Series([159.0, None])
    weekly = ooh.per_week(rates)
    assert weekly.iloc[0] == pytest.approx(3.0472, abs=1e-4) and math.isnan(weekly.iloc[1])
    assert rates.tolist()[0] == 159.0 and math.isnan(rates.iloc[1])


def test_per_1000():
    assert ooh.per_1000(CALLS_TABLE, RECORDS) == pytest.approx(25.00135, abs=1e-5)
    assert ooh.per_1000(5, 1000) == 5


@pytest.mark.parametrize("people", [0, -10])
def test_per_1000_needs_people(people):
    with pytest.raises(ValueError, match="more than zero people"):
        ooh.per_1000(5, people)


def test_projected_calls_and_access_rate_reproduce_the_article():
    calls = ooh.projected_calls(RECORDS, 25.0)
    assert calls == pytest.approx(337_481.8)
    assert ooh.access_rate(VIEWS, calls) == pytest.approx(0.0053336, abs=1e-7)


@pytest.mark.parametrize("views, calls, message", [
    (-1, 100, "views a week"), (None, 100, "views a week"), (True, 100, "views a week"),
    (1, 0, "above 0"), (1, float("nan"), "calls a week"), (1, "100", "calls a week"),
])
def test_access_rate_refuses_impossible_inputs(views, calls, message):
    with pytest.raises(ValueError, match=message):
        ooh.access_rate(views, calls)


@pytest.mark.parametrize("people, rate", [(-1, 25.0), (RECORDS, -0.1), (None, 25.0)])
def test_projected_calls_refuses_impossible_inputs(people, rate):
    with pytest.raises(ValueError):
        ooh.projected_calls(people, rate)


# --- the implied rate and the rounding checks ---------------------------------------------------------

@pytest.mark.parametrize("value, printed, decimals, holds", [
    (337_481.8, CALLS_TABLE, -2, True),
    (337_481.8, CALLS_TEXT, -3, True),
    (337_500.0, CALLS_TABLE, -2, True),
    (337_500.0, CALLS_TEXT, -3, False),   # half-up: 337,500 is 338,000 to the nearest thousand
    (0.0053336 * 100, 0.53, 2, True),
    (0.0053336 * 100, 0.5, 1, True),
    (0.536, 0.53, 2, False),
])
def test_reproduces_rounds_half_up_at_the_printed_precision(value, printed, decimals, holds):
    assert ooh.reproduces(value, printed, decimals) is holds


def test_implied_rate_is_the_simplest_rate_that_fits_every_printed_figure():
    assert ooh.implied_rate(RECORDS, PRINTED) == IMPLIED
    assert ooh.implied_rate(RECORDS, [(CALLS_TABLE, -2)]) == IMPLIED


def test_implied_rate_keeps_decimals_when_the_figures_need_them():
    # 1,234 calls to the nearest unit from 100,000 people: 12.34 per 1,000, no coarser rate fits.
    assert ooh.implied_rate(100_000, [(1_234, 0)]) == 12.34


@pytest.mark.parametrize("printed, message", [
    ([(CALLS_TABLE, -2), (300_000, -3)], "no call rate"),
    ([], "no printed calls figure"),
])
def test_implied_rate_refuses_contradictions(printed, message):
    with pytest.raises(ValueError, match=message):
        ooh.implied_rate(RECORDS, printed)


def test_rate_choices_show_why_the_unrounded_rate_is_not_used():
    printed = pd.DataFrame({"printed": ["337,500", "337,000"], "value": [CALLS_TABLE, CALLS_TEXT],
                            "decimals": [-2, -3]})
    choices = ooh.rate_choices(RECORDS, printed)
    holds = choices.set_index(["reading", "printed"])["holds"]
    assert holds[("unrounded rate", "337,500")] and not holds[("unrounded rate", "337,000")]
    chosen = choices[choices.reading == "rate at the precision the figures support"]
    assert chosen.holds.all() and (chosen.calls_per_1000_per_week == IMPLIED).all()
    assert "337,000 (to the nearest thousand) is not (that gives 338,000)" in ooh.explain_choice(choices)


@pytest.mark.parametrize("decimals, text", [(-2, "the nearest hundred"), (-3, "the nearest thousand"),
                                            (0, "a whole number"), (2, "two decimal places"),
                                            (-4, "the nearest 10,000")])
def test_precision_words(decimals, text):
    assert ooh.precision_words(decimals) == text


# --- parameters -------------------------------------------------------------------------------------

def test_blank_parameters_resolve_to_the_article():
    inputs = ooh.resolve_inputs()
    assert (inputs.records_created, inputs.views_per_week, inputs.calls_per_1000_per_week) == (RECORDS, VIEWS, IMPLIED)
    assert inputs.rate_is_assumed and set(inputs.origin.values()) == {"the article"}


def test_later_records_keep_the_articles_rate():
    inputs = ooh.resolve_inputs(records_created=23_000_000)
    assert inputs.calls_per_1000_per_week == IMPLIED and inputs.rate_is_assumed
    assert inputs.origin["records_created"] == "the params file"


def test_a_given_rate_replaces_the_assumption():
    inputs = ooh.resolve_inputs(calls_per_1000_per_week=3.2)
    assert inputs.calls_per_1000_per_week == 3.2 and not inputs.rate_is_assumed


@pytest.mark.parametrize("kwargs, name", [
    ({"records_created": 0}, "ooh_records_created"),
    ({"records_created": -5}, "ooh_records_created"),
    ({"records_created": 1.5}, "ooh_records_created"),
    ({"records_created": True}, "ooh_records_created"),
    ({"views_per_week": -1}, "ooh_views_per_week"),
    ({"views_per_week": "many"}, "ooh_views_per_week"),
    ({"calls_per_1000_per_week": 0}, "ooh_calls_per_1000_per_week"),
])
def test_bad_parameters_are_named(kwargs, name):
    with pytest.raises(ValueError, match=name):
        ooh.resolve_inputs(**kwargs)


def test_the_notebook_knobs_are_registered_and_in_the_params_file():
    params_file = yaml.safe_load(paths.DEFAULT_PARAMS.read_text(encoding="utf-8"))
    assert set(findings.by_id("ooh").knobs) == {"ooh_records_created", "ooh_views_per_week", "ooh_calls_per_1000_per_week"}
    for knob in findings.by_id("ooh").knobs:
        assert knob in KNOBS and knob in params_file and params_file[knob] is None


# --- published rates ---------------------------------------------------------------------------------

def test_bundled_rates_load():
    rates = ooh.load_rates()
    assert rates.slug.tolist() == ["salisbury_2000", "nao_2007_08", "nao_2013_14", "brogan_1998"]
    assert rates.set_index("slug").rate_per_1000_per_year.to_dict() == {
        "salisbury_2000": 159.0, "nao_2007_08": 168.0, "nao_2013_14": 108.0, "brogan_1998": 438.0}
    assert rates.events.iloc[0] == 899_657 and pd.isna(rates.population.iloc[0])
    assert rates.citation.ne("").all() and rates.source.ne("").all()


GOOD_ROW = {"slug": "x_2000", "label": "X", "scope": "gp", "source": "S", "citation": "C", "url": "",
            "setting": "E", "period": "a year", "period_end": "2000-03", "events": "1,000", "events_unit": "calls",
            "population": "", "rate_per_1000_per_year": "150", "rate_basis": "published", "notes": ""}


def _write(tmp_path, rows, columns=None):
    frame = pd.DataFrame(rows, columns=columns or list(GOOD_ROW))
    path = tmp_path / "rates.csv"
    frame.to_csv(path, index=False)
    return path


def test_a_good_inline_file_loads(tmp_path):
    rates = ooh.load_rates(_write(tmp_path, [GOOD_ROW]))
    assert rates.loc[0, "events"] == 1000 and rates.loc[0, "rate_per_1000_per_year"] == 150.0
    assert rates.loc[0, "source_row"] == 2


@pytest.mark.parametrize("change, column, message", [
    ({"slug": "Bad Slug"}, "slug", "lower case"),
    ({"scope": "hospital"}, "scope", "expected one of gp, all_services"),
    ({"rate_per_1000_per_year": "-3"}, "rate_per_1000_per_year", "above zero"),
    ({"rate_per_1000_per_year": "lots"}, "rate_per_1000_per_year", "above zero"),
    ({"rate_per_1000_per_year": ""}, "rate_per_1000_per_year", "expected a value"),
    ({"period_end": "March 2000"}, "period_end", "YYYY-MM"),
    ({"events": "1.5"}, "events", "whole number"),
    ({"population": "0"}, "population", "above zero"),
    ({"rate_basis": "guessed"}, "rate_basis", "published, as reported"),
    ({"citation": ""}, "citation", "expected a value"),
])
def test_bad_rates_name_file_row_and_column(tmp_path, change, column, message):
    path = _write(tmp_path, [GOOD_ROW, {**GOOD_ROW, "slug": "y_2001", **change}])
    with pytest.raises(InputError) as err:
        ooh.load_rates(path)
    (problem,) = err.value.problems
    assert (problem.file.endswith("rates.csv"), problem.row, problem.column) == (True, 3, column)
    assert message in problem.message


def test_repeated_slug_and_missing_column(tmp_path):
    with pytest.raises(InputError, match="already used on row 2"):
        ooh.load_rates(_write(tmp_path, [GOOD_ROW, GOOD_ROW]))
    columns = [c for c in GOOD_ROW if c != "scope"]
    with pytest.raises(InputError, match="missing column 'scope'"):
        ooh.load_rates(_write(tmp_path, [{k: GOOD_ROW[k] for k in columns}], columns))


# --- sensitivity -------------------------------------------------------------------------------------

def _rates():
    return pd.DataFrame({"slug": ["low", "high", "later"], "label": ["Low", "High", "Later"],
                         "scope": ["gp", "all_services", "gp"], "citation": ["a", "b", "c"],
                         "period": ["p", "q", "r"], "period_end": ["2000-03", "1995-04", "2014-03"],
                         "rate_per_1000_per_year": [159.0, 438.0, 108.0]})


def test_sensitivity_puts_the_run_first_and_does_not_change_its_input():
    rates = _rates()
    before = rates.copy()
    table = ooh.sensitivity(rates, ooh.Inputs(RECORDS, VIEWS, 25.0, {"calls_per_1000_per_week": "the article"}))
    pd.testing.assert_frame_equal(rates, before)
    assert table.slug.tolist() == [ooh.ASSUMED_SLUG, "high", "low", "later"]
    assert table.kind.iloc[0] == ooh.ASSUMED_KIND
    assert table.access_rate.iloc[0] == pytest.approx(VIEWS / 337_481.8)
    low = table.set_index("slug").loc["low"]
    assert low.projected_calls_per_week == pytest.approx(RECORDS * 159 / ooh.WEEKS_PER_YEAR / 1000)
    assert low.access_rate == pytest.approx(0.04376, abs=1e-5)
    assert low.rate_multiple == pytest.approx(25.0 * ooh.WEEKS_PER_YEAR / 159)


def test_sensitivity_labels_a_rate_from_the_params_file():
    table = ooh.sensitivity(_rates(), ooh.Inputs(RECORDS, VIEWS, 3.2, {"calls_per_1000_per_week": "the params file"}))
    assert table.kind.iloc[0] == ooh.PARAMS_KIND and table.rate_per_1000_per_week.iloc[0] == 3.2


def test_measured_before_keeps_gp_rates_ended_before_the_month():
    table = ooh.sensitivity(_rates(), ooh.resolve_inputs())
    assert table[ooh.measured_before(table, "2012-04")].slug.tolist() == ["low"]
    assert table[ooh.measured_before(table, "2012-04", scope="all_services")].slug.tolist() == ["high"]


@pytest.mark.parametrize("low, high, decimals, text", [
    (0.0414, 0.0438, 1, "4.1% to 4.4%"), (0.0414, 0.0438, 0, "4%"), (0.0438, 0.0414, 1, "4.1% to 4.4%"),
])
def test_percent_range(low, high, decimals, text):
    assert ooh.percent_range(low, high, decimals) == text


def test_count_range():
    assert ooh.count_range(43_463.8, 41_135.4) == "41,000 to 43,000"
    assert ooh.count_range(41_135.4, 41_400) == "41,000"


def test_the_page_says_about_four_per_cent_not_half_a_per_cent():
    inputs = ooh.resolve_inputs()
    text = ooh.sensitivity_words(ooh.sensitivity(ooh.load_rates(), inputs), inputs, ooh.article().date)
    assert "**159 to 168** calls per 1,000 people a year" in text
    assert "**about 4%, not 0.5%**" in text
    assert "about eight times these rates" in text


def test_chart_marks_the_assumption_and_every_published_rate():
    charts.use_house_style()  # as a notebook's setup cell does (report.setup)
    inputs = ooh.resolve_inputs()
    table = ooh.sensitivity(ooh.load_rates(), inputs)
    spec = ooh.chart_access_rate(table, inputs).to_dict()
    marked = {row["slug"] for name, rows in spec["datasets"].items() for row in rows if "slug" in row}
    assert marked == set(table.slug)
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "point")
    assert points["encoding"]["color"]["scale"]["domain"] == [ooh.ASSUMED_KIND, ooh.PUBLISHED_KIND]
    assert len(spec["layer"]) >= 3  # curve, dots, labels
    assert spec["config"] == charts.scr_theme()["config"]  # the house theme, no configure_* on top
    assert spec["title"]["text"] and spec["title"]["subtitle"]


def test_label_places_avoid_crowding():
    rates = pd.Series([1304.0, 438.0, 168.0, 159.0, 108.0])
    assert ooh._label_places(rates) == ["left", "above", "below", "above", "above"]


# --- the notebook ------------------------------------------------------------------------------------

def test_notebook_parameters_and_cell_ids():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    params_cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    names = re.findall(r"^(\w+) = ", params_cell.source, flags=re.M)
    assert names == ["ooh_records_created", "ooh_views_per_week", "ooh_calls_per_1000_per_week", "output_dir"]
    assert [c.id for c in nb.cells] == [f"cell-{i:02d}" for i in range(len(nb.cells))]


@pytest.mark.slow
def test_notebook_follows_the_params_file(tmp_path):
    """A later national figure and an explicit call rate go through papermill into results.json."""
    import papermill

    from scr_lib.runner.run import KERNEL

    later = {"ooh_records_created": 23_000_000, "ooh_views_per_week": 2_000, "ooh_calls_per_1000_per_week": 3.2}
    papermill.execute_notebook(str(NOTEBOOK), str(tmp_path / "run.ipynb"), kernel_name=KERNEL,
                               parameters={**later, "output_dir": str(tmp_path)}, cwd=str(paths.NOTEBOOKS),
                               progress_bar=False)
    results = json.loads((tmp_path / "03-out-of-hours.results.json").read_text())["results"]
    value = {k: v["value"] for k, v in results.items()}
    assert value["ooh.records_created"] == 23_000_000 and value["ooh.views_per_week"] == 2_000
    assert value["ooh.calls_per_1000_per_week"] == 3.2
    assert value["ooh.projected_calls_per_week"] == pytest.approx(73_600)
    assert value["ooh.access_rate"] == pytest.approx(2_000 / 73_600)
    salisbury = 2_000 / (23_000_000 * 159 / ooh.WEEKS_PER_YEAR / 1000)
    assert value["ooh.access_rate_at_salisbury_2000"] == pytest.approx(salisbury)
    assert {f"ooh.access_rate_at_{s}" for s in ("nao_2007_08", "nao_2013_14", "brogan_1998")} <= set(value)
    claims = pd.read_csv(tmp_path / "tables" / "ooh_claims.csv")
    verdict = dict(zip(claims["as published"], claims["verdict"]))
    assert verdict["13,499,272"] == "does not hold" and verdict["less than 1%"] == "does not hold"


def test_the_headline_dates_the_rates_by_their_sources_years_not_their_periods():
    """The NAO's 2007-08 rate was measured before the April 2012 article but published in 2014: the headline
    must not call every rate 'published before the article' (issue 22)."""
    import re

    from scr_lib import findings

    rates = ooh.load_rates()
    month = ooh.article()["date"]
    before = rates[rates["scope"].eq("gp") & rates["period_end"].astype(str).lt(month)]
    figures = {"ooh.records_created": 13499272, "ooh.views_per_week": 1800, "ooh.access_rate": 0.0053,
               "ooh.calls_per_1000_per_week": 25.0, **{ooh.result_key(s): 0.04 for s in before["slug"]}}
    line = findings.by_id("ooh").headline_for(figures, {})
    years = {int(re.search(r"\b(19|20)\d\d\b", c).group(0)) for c in before["citation"]}
    published_after = [y for y in years if y >= int(month[:4])]
    assert published_after  # the data has such a rate: this test tells something
    assert "published before the article" not in line
    assert all(str(y) in line for y in years)
