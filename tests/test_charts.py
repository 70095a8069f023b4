import json

import altair as alt
import pandas as pd

from scr_lib import charts
from scr_lib.findings.arithmetic import refusal


def test_the_house_style_registers_and_enables_the_theme_and_renderer():
    charts.use_house_style()
    assert alt.theme.active == "scr" and alt.renderers.active == "scr"
    assert "scr" in alt.theme.names()


def test_renderer_is_deterministic_json_without_html():
    charts.use_house_style()
    chart = alt.Chart(pd.DataFrame({"a": [1, 2]})).mark_bar().encode(x="a").properties(title="T")
    first, second = chart._repr_mimebundle_(), chart._repr_mimebundle_()
    assert set(first) == {"application/vnd.vegalite.v5+json", "text/plain"}
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)
    assert first["text/plain"] == "<Chart: T>"


def test_source_labels_and_colours_cover_only_what_is_used():
    labels = charts.source_label(pd.Series([True, False, True]))
    assert labels.tolist() == [charts.ILLUSTRATIVE, charts.PUBLISHED, charts.ILLUSTRATIVE]
    # a file with no illustrative values is the journalist's own: its values are reported, not published
    assert charts.source_label(pd.Series([False, False])).tolist() == [charts.REPORTED] * 2
    assert charts.source_label(pd.Series([False]), named_published=True).tolist() == [charts.PUBLISHED]
    colour = charts.source_colour(pd.Series([charts.REPORTED])).to_dict()
    assert colour["scale"]["domain"] == [charts.REPORTED]


def test_illustrative_note_is_in_the_title_only_when_needed():
    assert charts.ILLUSTRATIVE_NOTE in charts.title("T", "s", any_illustrative=True).to_dict()["subtitle"]
    assert charts.ILLUSTRATIVE_NOTE not in charts.title("T", "s", any_illustrative=False).to_dict()["subtitle"]


def test_refusal_chart_marks_illustrative_bars():
    table = pd.DataFrame({"ods_code": ["A", "B"], "pct_name": ["<b>A</b>", "B"], "practices_invited": [10, 20],
                          "practices_declined": [5, 2], "illustrative": [True, False],
                          "share_declined": [0.5, 0.1]})
    spec = refusal.chart_by_pct(table, 7 / 30).to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert {r["source"] for r in rows} == {charts.ILLUSTRATIVE, charts.PUBLISHED}
    assert charts.ILLUSTRATIVE_NOTE in spec["title"]["subtitle"]
