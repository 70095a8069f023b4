"""Charts drawn at build time (scr_lib/site/draw.py): what a phone and a desktop show, tooltips a reader can
read, and the cache of drawings between runs. Every notebook chart's fit, title and tooltips are checked in
tests/test_site.py; here, the cases those charts do not reach."""

from __future__ import annotations

import html
import re
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from scr_lib.site import draw

LONG = "Hammersmith and Fulham Primary Care Trust"
FRAME = pd.DataFrame({"pct": [LONG, "NHS Dorset"], "declined": [12, 3],
                      "asked": pd.to_datetime(["2010-04-01", "2010-11-30"])})


@pytest.fixture(scope="module")
def drawn() -> draw.Chart:
    spec = alt.Chart(FRAME).mark_bar().encode(
        x="declined:Q", y="pct:N", tooltip=["pct:N", alt.Tooltip("asked:T", title="Asked"), "declined:Q"])
    return draw.compile_chart(spec.to_dict(), "t", 1)


def test_a_long_name_wraps_onto_lines_on_a_phone_with_no_word_cut(drawn):
    [label] = [t for t in re.findall(r"<text[^>]*>(.*?)</text>", drawn.narrow) if "<tspan" in t]
    lines = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", label)
    assert 1 < len(lines) <= 2 and " ".join(lines) == LONG  # two lines at most, so it fits its band


def test_a_tooltip_gives_a_date_as_a_newspaper_writes_it(drawn):
    # the phone drawing carries the tips; the wide one copies them on load (draw.py keeps each page light)
    assert re.findall(r'data-tip="([^"]*)"', drawn.narrow) == [f"{LONG} · Asked: 1 April 2010 · declined: 12",
                                                             "NHS Dorset · Asked: 30 November 2010 · declined: 3"]


def test_coordinates_are_kept_to_a_hundredth_of_a_pixel(drawn):
    for svg in (drawn.narrow, drawn.wide, drawn.svg):
        assert not re.search(r'\s(?:d|transform|x|y|width|height)="[^"]*\d\.\d{3}', svg)


def test_a_tooltip_the_chart_computes_is_left_out_rather_than_guessed_and_an_untitled_chart_is_named():
    """A summed figure is not in the data the marks carry: no data-tip at all beats a wrong one."""
    spec = alt.Chart(FRAME).mark_bar().encode(x="sum(declined):Q", y="pct:N", tooltip=["pct:N", "sum(declined):Q"])
    chart = draw.compile_chart(spec.to_dict(), "t", 2)
    figure = draw.figure_html(chart)
    assert "data-tip" not in figure
    assert "<figcaption>Chart</figcaption>" in figure


# --- The cache of drawings ----------------------------------------------------------------------

def test_a_drawing_is_made_once_and_found_again_in_the_last_runs_cache(tmp_path):
    made = []

    def make(text):
        return lambda: made.append(text) or text

    last = draw.ChartCache(tmp_path / "last")
    assert last.text("a.json", make("drawing a")) == "drawing a"
    assert last.text("a.json", make("drawn again")) == "drawing a"  # found, not drawn again
    now = draw.ChartCache(tmp_path / "now", previous=tmp_path / "last")
    assert now.text("a.json", make("drawn again")) == "drawing a"
    assert now.text("b.json", make("drawing b")) == "drawing b"
    assert made == ["drawing a", "drawing b"]
    # this run's folder holds what it used; the last run's is left as it was
    assert sorted(p.name for p in (tmp_path / "now").iterdir()) == ["a.json", "b.json"]
    assert sorted(p.name for p in (tmp_path / "last").iterdir()) == ["a.json"]


def test_pruning_keeps_only_what_this_render_used(tmp_path):
    old = draw.ChartCache(tmp_path / "cache")
    old.text("gone.json", lambda: "x")
    old.text("kept.json", lambda: "y")
    again = draw.ChartCache(tmp_path / "cache")
    again.text("kept.json", lambda: "not drawn")
    again.prune()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["kept.json"]
    draw.ChartCache(tmp_path / "never made").prune()  # nothing drawn, nothing to remove: no error


# --- What the inline drawings leave to the page (issue 25: a finding page and all it loads within 100 KB) ----

def test_a_tooltip_part_many_marks_share_is_written_once_and_each_tip_reads_the_same_when_put_back():
    source = "Where the value comes from: Illustrative (generated, not an FOI answer)"
    frame = pd.DataFrame({"pct": [f"Area {i}" for i in range(draw.PART_MIN_MARKS + 1)], "declined": range(5),
                          "source": source.split(": ")[1]})
    spec = alt.Chart(frame).mark_bar().encode(x="declined:Q", y="pct:N", tooltip=[
        "pct:N", "declined:Q", alt.Tooltip("source:N", title=source.split(": ")[0])]).to_dict()
    chart = draw.compile_chart(spec, "t", 3)
    whole = [html.unescape(t) for t in re.findall(r'data-tip="([^"]*)"', chart.narrow)]
    (narrow, _), parts = draw._tip_parts([chart.narrow, chart.wide])
    assert parts == [source] and source not in narrow
    tips = [html.unescape(t) for t in re.findall(r'data-tip="([^"]*)"', narrow)]
    assert [re.sub(r"\{(\d+)\}", lambda m: parts[int(m.group(1))], t) for t in tips] == whole  # what site.js does
    figure = draw.figure_html(chart)
    assert figure.count(source) == 1 and "data-tip-parts=" in figure
    # a tip that already holds a brace is left whole: no part could be told from the text
    braced = [chart.narrow.replace("Area 1", "Area {0}"), chart.wide]
    assert draw._tip_parts(braced) == (braced, [])


def test_an_inline_drawing_leaves_house_text_size_ink_and_shared_strokes_to_the_stylesheet(drawn):
    for svg in (drawn.narrow, drawn.wide):
        assert 'font-size="12px"' not in svg and 'fill="#000"' not in svg
        assert 'transform="translate(0,0)"' not in svg and "pointer-events" not in svg
        assert not re.search(r'<g class="mark-rule[^>]*>(?:<line [^>]*/>)*<line [^>]*stroke="', svg)
    css = (Path(draw.__file__).parent / "assets" / "site.css").read_text(encoding="utf-8")
    assert f"text:not([font-size]) {{ font-size: {draw.house.MIN_FONT_PX}px; }}" in css
    assert "text:not([fill]) { fill: var(--text); }" in css or ".chart svg text:not([fill])" in css
    assert "font-size" in drawn.svg  # the download keeps them: it has no stylesheet
