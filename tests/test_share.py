"""Datelines, share cards and chart credits (scr_lib/site/share.py)."""

from __future__ import annotations

import struct

import pytest
import vl_convert

from scr_lib.site import share


@pytest.mark.parametrize("iso, words", [("2026-12-07", "7 December 2026"), ("2010-03-01", "1 March 2010"),
                                        ("2011-03", "March 2011"), ("2011", "2011"), (None, ""),
                                        ("spring 2010", "spring 2010")])
def test_long_date(iso, words):
    assert share.long_date(iso) == words


def test_a_dateline_takes_what_the_params_give_and_nothing_else():
    assert share.dateline({}) == {"byline": "", "published": None, "updated": None, "as_at": None, "as_at_text": None,
                                  "round": None, "corrections": "", "site_url": ""}
    line = share.dateline({"byline": " Jane Doe ", "published": "2026-12-07", "as_at": "2010-03-31", "round": 2010,
                           "site_url": "https://example.org/x/"})
    assert (line["byline"], line["published"], line["as_at"], line["round"], line["site_url"]) == \
        ("Jane Doe", "2026-12-07", "2010-03-31", "2010", "https://example.org/x")


@pytest.mark.parametrize("byline, published, expected", [("", None, "Chart: Story"), ("Jo", None, "Chart: Jo"),
                                                          ("Jo", "2026-12-07", "Chart: Jo, 7 December 2026")])
def test_credit(byline, published, expected):
    assert share.credit(share.dateline({"byline": byline, "published": published}), "Story") == expected


@pytest.mark.parametrize("chart", [None, '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200" '
                                         'viewBox="0 0 300 200"><rect width="300" height="200" fill="#1b6ca8"/></svg>'])
def test_a_share_card_is_1200_by_630_whatever_the_headline(chart):
    svg = share.card_svg("The story", "word " * 200, {"label": "Declined", "value": "16.5%"}, chart)
    png = vl_convert.svg_to_png(svg)
    assert struct.unpack(">II", png[16:24]) == (share.CARD_WIDTH, share.CARD_HEIGHT)
    assert svg.count("<text") <= 12 and "…" in svg  # a long headline is cut, not run off the card


def test_a_description_is_one_line_cut_at_a_word():
    text = "one two\nthree " * 40
    cut = share.description(text, 50)
    assert len(cut) <= 50 and cut.endswith("…") and "\n" not in cut
    assert share.description("short") == "short"


@pytest.mark.parametrize("as_at, iso, text", [("2011-03-31", "2011-03-31", None), ("2011-03", "2011-03", None),
                                              (2011, "2011", None), ("end of March", None, "end of March"),
                                              ("2011-02-30", None, "2011-02-30")])
def test_the_data_date_is_a_time_element_when_it_is_a_date_month_or_year(as_at, iso, text):
    import datetime

    line = share.dateline({"as_at": as_at})
    assert (line["as_at"], line["as_at_text"]) == (iso, text)
    assert share.dateline({"as_at": datetime.date(2011, 3, 31)})["as_at"] == "2011-03-31"


@pytest.mark.parametrize("values, shown, hidden", [
    ({"round": 2011, "as_at": "2011-03"}, ['Figures from the 2011 round as at <time datetime="2011-03">March 2011</time>'],
     ["Published", "By ", "Correction"]),
    ({"byline": "by Jo", "published": "2026-12-07", "corrections": "A fix."},
     ['<p class="byline">by Jo</p>', 'Published <time datetime="2026-12-07">7 December 2026</time>',
      "<strong>Correction:</strong> A fix."], ["Updated", "Figures"]),
    ({}, [], ["dateline", "Correction"]),
])
def test_the_dateline_shows_what_it_is_given_and_nothing_else(values, shown, hidden):
    from scr_lib import site

    text = site._environment().get_template("_byline.html.j2").render(dateline=share.dateline(values))
    for part in shown:
        assert part in text
    for part in hidden:
        assert part not in text
