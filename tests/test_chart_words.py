"""A chart in words and as a table, computed from the figures it draws (scr_lib/site/chart_words.py)."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from scr_lib import charts
from scr_lib.site import chart_words


def _bars(shares, illustrative=None, line=None):
    names = [f"Area {i}" for i in range(len(shares))]
    frame = pd.DataFrame({"pct": names, "share": shares,
                          "source": charts.source_label(pd.Series(illustrative or [False] * len(shares)))})
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("share:Q", title="Share that declined", axis=alt.Axis(format="%")), y="pct:N",
        tooltip=[alt.Tooltip("pct:N", title="PCT"), alt.Tooltip("share:Q", title="Share", format=".1%"),
                 alt.Tooltip("source:N", title=charts.SOURCE_TITLE)])
    if line is None:
        return bars.properties(title="Shares").to_dict(), frame
    rule = alt.Chart(pd.DataFrame({"overall": [line]})).mark_rule().encode(
        x="overall:Q", tooltip=[alt.Tooltip("overall:Q", title="All areas", format=".1%")])
    return (bars + rule).properties(title="Shares").to_dict(), frame


@pytest.mark.parametrize("shares", [[0.1, 0.5, 0.3], [0.9, 0.05, 0.2, 0.4]])
def test_largest_smallest_and_count_come_from_the_figures(shares):
    spec, frame = _bars(shares)
    words = chart_words.chart_text(spec)
    top, bottom = frame.loc[frame.share.idxmax()], frame.loc[frame.share.idxmin()]
    assert words.summary.startswith(f"Shares: {len(shares)} PCTs")
    assert f"Largest: {top.pct}, {top.share * 100:.1f}%." in words.summary
    assert f"Smallest: {bottom.pct}, {bottom.share * 100:.1f}%." in words.summary
    assert "illustrative" not in words.summary  # nothing is
    assert words.columns == ["PCT", "Share", charts.SOURCE_TITLE]
    assert [row[0] for row in words.rows] == list(frame.pct)


@pytest.mark.parametrize("line", [0.2, 0.45])
def test_the_summary_says_where_the_reference_line_falls(line):
    shares = [0.1, 0.5, 0.3, 0.4]
    spec, _ = _bars(shares, line=line)
    above, below = sum(s > line for s in shares), sum(s < line for s in shares)
    assert (f"The line marks all areas, {line * 100:.1f}%: {above} of the {len(shares)} are above it and "
            f"{below} below.") in chart_words.chart_text(spec).summary


def test_an_illustrative_extreme_is_marked_as_such():
    spec, _ = _bars([0.1, 0.5, 0.3], illustrative=[False, True, False])
    summary = chart_words.chart_text(spec).summary
    assert "Area 1, 50.0% (illustrative" in summary and "Area 0, 10.0%." in summary


def test_missing_values_are_left_out_and_counted():
    spec, _ = _bars([0.1, None, 0.3])
    words = chart_words.chart_text(spec)
    assert "2 PCTs" in words.summary and "(1 more with no figure)" in words.summary
    assert words.rows[1][1] == chart_words.NOT_GIVEN


def test_a_chart_without_named_marks_has_only_its_title():
    spec = alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_line().encode(x="x:Q").properties(title="A line").to_dict()
    assert chart_words.chart_text(spec) == chart_words.ChartText("A line.")


@pytest.mark.parametrize("value, spec, shown", [(0.1234, ".1%", "12.3%"), (0.5, "%", "50%"), (1234.5, ",.0f", "1,234"),
                                                (2.071, ".2f", "2.07"), (1234567.0, None, "1,234,567"), (None, ".1%", "not given")])
def test_d3_formats_as_vega_shows_them(value, spec, shown):
    assert chart_words.d3_format(value, spec) == shown
