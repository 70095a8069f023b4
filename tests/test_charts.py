import json
import math

import altair as alt
import pandas as pd
import pytest

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


# --- What a reader sees in every chart the findings draw: legend and tooltip words -----------------

def _views(spec: dict):
    """Every view of a spec that encodes something (the spec itself, or each of its layers)."""
    if "encoding" in spec:
        yield spec
    for layer in spec.get("layer", []):
        yield from _views(layer)


def _refusal(illustrative: bool):
    table = pd.DataFrame({"ods_code": ["A", "B", "C"], "pct_name": ["NHS Dorset", "Barnsley", "Luton"],
                          "practices_invited": [38, 20, 0], "practices_declined": [12, 2, 0],
                          "illustrative": [illustrative, False, False], "share_declined": [12 / 38, 0.1, None]})
    return refusal.chart_by_pct(table, 14 / 58)


def _spend(illustrative: bool):
    from scr_lib.findings.arithmetic import spend

    table = pd.DataFrame({"pct_name": ["NHS Dorset", "Barnsley"], "spend_status": [spend.SPENT, spend.SPENT],
                          "spend_to_date_gbp": [217000.0, 5000.0], "spend_expected_gbp": [None, 100.0],
                          "records_uploaded": [None, 3.0], "illustrative": [illustrative, False]})
    return spend.chart_by_pct(table)


def _ooh(_illustrative: bool):
    from scr_lib.findings.arithmetic import ooh

    inputs = ooh.resolve_inputs()
    return ooh.chart_access_rate(ooh.sensitivity(ooh.load_rates(), inputs), inputs)


CHARTS = [(_refusal, True), (_refusal, False), (_spend, True), (_spend, False), (_ooh, False)]


@pytest.mark.parametrize("make, illustrative", CHARTS)
def test_no_legend_or_tooltip_is_titled_value(make, illustrative):
    spec = make(illustrative).to_dict()
    for view in _views(spec):
        encoding = view["encoding"]
        color = encoding.get("color", {})
        assert color.get("title", color.get("field")) not in ("Value", "value", "source")
        tooltips = encoding.get("tooltip", [])
        for tip in tooltips if isinstance(tooltips, list) else [tooltips]:
            assert tip.get("title") not in (None, "Value", "value"), tip
            assert "_" not in tip["title"], tip  # words, not a column name


@pytest.mark.parametrize("make, illustrative", CHARTS)
def test_no_tooltip_field_holds_a_missing_value(make, illustrative):
    spec = make(illustrative).to_dict()
    for view in _views(spec):
        tooltips = view["encoding"].get("tooltip", [])
        fields = [t["field"] for t in (tooltips if isinstance(tooltips, list) else [tooltips])]
        rows = spec["datasets"][view.get("data", spec.get("data", {}))["name"]]
        for row in rows:
            for name in fields:
                assert row.get(name) is not None and row[name] == row[name], (name, row)


@pytest.mark.parametrize("make", [_refusal, _spend])
@pytest.mark.parametrize("illustrative", [True, False])
def test_illustrative_bars_are_grey_and_say_so_only_when_there_are_some(make, illustrative):
    spec = make(illustrative).to_dict()
    assert (charts.ILLUSTRATIVE_NOTE in spec["title"]["subtitle"]) is illustrative
    view = next(v for v in _views(spec) if "color" in v["encoding"])
    scale = view["encoding"]["color"]["scale"]
    assert (charts.ILLUSTRATIVE in scale["domain"]) is illustrative
    if illustrative:
        assert scale["range"][scale["domain"].index(charts.ILLUSTRATIVE)] == charts.SOURCE_COLOURS[charts.ILLUSTRATIVE]
    rows = spec["datasets"][view["data"]["name"]] if "data" in view else next(iter(spec["datasets"].values()))
    said = [r for r in rows if any("illustrative" in str(v).lower() for v in r.values())]
    assert len(said) == (1 if illustrative else 0)


def test_a_refusal_tooltip_says_how_many_of_how_many_declined():
    rows = next(iter(_refusal(True).to_dict()["datasets"].values()))
    assert [r["declined_text"] for r in rows] == ["12 of 38 (31.6%)", "2 of 20 (10.0%)", "0 of 0"]


@pytest.mark.parametrize("overall", [0.25, None])
def test_refusal_chart_mentions_the_dashed_line_only_when_it_draws_one(overall):
    table = pd.DataFrame({"ods_code": ["A"], "pct_name": ["A"], "practices_invited": [4],
                          "practices_declined": [1], "illustrative": [False], "share_declined": [0.25]})
    spec = refusal.chart_by_pct(table, overall).to_dict()
    said = any("dashed line" in line for line in spec["title"]["subtitle"])
    drawn = any(layer.get("mark", {}).get("type") == "rule" for layer in spec.get("layer", []))
    assert said is drawn is (overall is not None)


# --- The palette (issue 25): contrast in light and dark modes, and colour-vision deficiencies ---------

# Machado, Oliveira and Fernandes (2009), "A physiologically-based model for simulation of color vision
# deficiency", IEEE TVCG 15(6): the matrices at severity 1.0, applied to linear RGB.
CVD = {"protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
       "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
       "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]]}
# Colours drawn side by side in one chart (a category each): told apart by everyone
PAIRS = [(charts.BLUE, charts.RED), (charts.BLUE, charts.ILLUSTRATIVE_COLOUR), (charts.RED, charts.ILLUSTRATIVE_COLOUR),
         (charts.BLUE, charts.GREY_LINE), (charts.RED, charts.GREY_LINE)]
MIN_DIFFERENCE = 20  # CIE76 ΔE: clearly different at a glance (about 2.3 is "just noticeable")


def _linear(hex_colour: str) -> list[float]:
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    return [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]


def _lab(linear: list[float]) -> tuple[float, float, float]:
    x = (0.4124 * linear[0] + 0.3576 * linear[1] + 0.1805 * linear[2]) / 0.95047
    y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    z = (0.0193 * linear[0] + 0.1192 * linear[1] + 0.9505 * linear[2]) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116  # noqa: E731
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _seen(hex_colour: str, matrix=None) -> tuple[float, float, float]:
    linear = _linear(hex_colour)
    if matrix:
        linear = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear)))) for row in matrix]
    return _lab(linear)


def _contrast(a: str, b: str) -> float:
    lum = lambda h: sum(w * c for w, c in zip((0.2126, 0.7152, 0.0722), _linear(h)))  # noqa: E731
    high, low = sorted((lum(a), lum(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_chart_colour_reaches_3_to_1_against_the_background(mode):
    background = charts.BACKGROUNDS[mode]
    for colour in (charts.BLUE, charts.RED, charts.GREY_LINE, charts.ILLUSTRATIVE_COLOUR):
        shown = colour if mode == "light" else charts.DARK[colour]
        assert _contrast(shown, background) >= 3, f"{shown} on {background}: {_contrast(shown, background):.2f}:1"


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("deficiency", [None, *CVD])
def test_colours_drawn_together_stay_apart_under_colour_vision_deficiencies(mode, deficiency):
    matrix = CVD.get(deficiency)
    for a, b in PAIRS:
        a, b = (a, b) if mode == "light" else (charts.DARK[a], charts.DARK[b])
        difference = math.dist(_seen(a, matrix), _seen(b, matrix))
        assert difference >= MIN_DIFFERENCE, f"{a} and {b} under {deficiency or 'normal vision'}: ΔE {difference:.1f}"


def test_the_house_style_draws_no_chart_text_under_12_px():
    config = charts.scr_theme()["config"]
    sizes = [v for part in config.values() if isinstance(part, dict) for k, v in part.items() if k.endswith("FontSize")
             or k == "fontSize"]
    assert sizes and min(sizes) >= charts.MIN_FONT_PX >= 12
