"""Charts drawn at build time (scr_lib/site/draw.py): what a phone and a desktop show, tooltips a reader can
read, and the cache of drawings between runs. Every notebook chart's fit, title and tooltips are checked in
tests/test_site.py; here, the cases those charts do not reach."""

from __future__ import annotations

import re

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
