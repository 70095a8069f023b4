"""Text from notebooks made safe for a page (scr_lib/site/markup.py). What hostile text becomes is in
tests/test_site.py (escaping, active content, the JSON of a script element); here: what a reader gets of
ordinary text: heading anchors, pictures, links shown as written, numbers aligned, files written."""

from __future__ import annotations

import json
import re

import pytest

from scr_lib.site import markup


@pytest.mark.parametrize("heading, anchor", [
    ("Results", "results"),
    ("What *the* data **say**", "what-the-data-say"),
    ("Spend & records, 2010/11", "spend-records-2010-11"),
    ("£ — ?", "section"),
])
def test_a_heading_anchor_is_its_words_in_lower_case_joined_by_hyphens(heading, anchor):
    assert re.findall(r'<h2 id="([^"]+)"', markup.markdown_html(f"## {heading}")) == [anchor]


def test_anchors_stay_unique_across_the_cells_of_a_page():
    ids: set[str] = set()
    first = markup.markdown_html("# Method", ids)
    second = markup.markdown_html("## Method\n\n### Method", ids)
    assert re.findall(r'id="([^"]+)"', first + second) == ["method", "method-2", "method-3"]


def test_a_picture_carried_in_the_notebook_is_shown_and_one_from_elsewhere_is_named_not_fetched():
    attachments = {"chart.png": {"image/png": "iVBORw0KGgo="}}
    shown = markup.markdown_html("![The chart](attachment:chart.png)", attachments=attachments)
    assert '<img src="data:image/png;base64,iVBORw0KGgo=" alt="The chart">' in shown
    remote = markup.markdown_html("![A map](https://example.com/map.png)")
    assert "<img" not in remote and "[image not included: A map]" in remote
    missing = markup.markdown_html("![](attachment:gone.png)", attachments=attachments)
    assert "<img" not in missing and "attachment:gone.png" in missing


def test_links_are_links_in_authored_text_and_written_out_in_outputs():
    text = "See [the letter](https://example.org/letter) and <https://example.org/a>."
    assert '<a href="https://example.org/letter">the letter</a>' in markup.markdown_html(text)
    unlinked = markup.markdown_html(text, links=False)
    assert "<a " not in unlinked
    assert "[the letter](https://example.org/letter)" in unlinked and " https://example.org/a." in unlinked


@pytest.mark.parametrize("cell, aligned", [
    ("1,732", True), ("£190,000", True), ("16.5%", True), ("-3", True), ("−0.5", True),
    ("NHS Dorset", False), ("12 practices", False), ("", False),
])
def test_a_cell_holding_just_a_number_is_aligned_right(cell, aligned):
    out = markup.sanitise_html(f"<table><tr><td>{cell}</td></tr></table>")
    assert ('<td class="num">' in out) is aligned, out


def test_a_link_in_an_html_output_keeps_its_text_but_is_no_longer_a_link():
    out = markup.sanitise_html('<p>See <a href="https://example.org">the source</a>.</p>')
    assert out == "<p>See the source.</p>"


def test_json_for_a_script_is_the_same_value_with_line_separators_escaped():
    value = {"b": "line\u2028break\u2029", "a": "£1 – ok"}
    text = markup.json_for_script(value)
    assert json.loads(text) == value
    assert "\u2028" not in text and "\u2029" not in text and "£1 – ok" in text  # readable, not \\u-escaped
    assert text.index('"a"') < text.index('"b"')  # keys sorted: the same value gives the same bytes


def test_a_file_is_written_as_utf8_with_newline_line_ends_making_its_folder(tmp_path):
    path = tmp_path / "site" / "areas" / "page.html"
    markup.write_text(path, "£ line one\nline two\n")
    assert path.read_bytes() == "£ line one\nline two\n".encode("utf-8")
