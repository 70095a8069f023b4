"""Publication tables and downloads (scr_lib/story/tables.py): each unit, missing values, illustrative marks,
escaping, formula neutralising, the BOM and the precision of a download (issue 14)."""

from __future__ import annotations

import csv
from dataclasses import replace
import io
import re

import numpy as np
import pandas as pd
import pytest

from conftest import XSS
from scr_lib.findings.columns import Column, Table
from scr_lib.story import tables

MARK = '<span class="illustrative-mark">illustrative</span>'

AREAS = Table("areas", "Practices that declined, by area", (
    Column("pct_name", "PCT", row_header=True),
    Column("practices_invited", "Practices invited", "count"),
    Column("spend_gbp", "Spend to date", "pounds"),
    Column("share_declined", "Share that declined", "share"),
    Column("rollout_begun", "Rollout begun", "yes/no"),
    Column("notes", "Notes"),
), illustrative="illustrative")

FRAME = pd.DataFrame({
    "pct_name": ["Barnsley", "Dorset", "Torbay"],
    "practices_invited": [1732.0, 38.0, np.nan],  # a float column because one value is missing
    "spend_gbp": [217000.0, 190000.0, np.nan],
    "share_declined": [0.7272727272727273, 0.16513, np.nan],
    "rollout_begun": [True, np.bool_(False), None],
    "notes": ["", "as published", None],  # an empty text is missing too: a CSV cannot tell them apart
    "illustrative": [True, False, False],
})


def cells(text: str) -> list[list[str]]:
    """The text of each body row's cells (tags and the illustrative mark removed)."""
    body = text.split("<tbody>")[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [[re.sub(r"<[^>]+>", "", c.replace(MARK, "")).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
            for r in rows]


# --- One cell at a time -------------------------------------------------------------------------

@pytest.mark.parametrize("value, unit, decimals, shown", [
    (1732, "count", None, "1,732"),
    (38.0, "count", None, "38"),
    (np.int64(13499272), "count", None, "13,499,272"),
    ("86240.0", "count", None, "86,240"),  # as a run's CSV writes a count with gaps
    (190000.0, "pounds", 0, "£190,000"),
    (61250.5, "pounds", 2, "£61,250.50"),
    (2.4176716141, "pounds", 2, "£2.42"),
    (0.16513, "share", 1, "16.5%"),
    (0.00533362095378, "share", 2, "0.53%"),
    (1304.46428571, "rate", 0, "1,304"),
    (25.0013482209, "rate", 6, "25.001348"),
    (True, "yes/no", None, "yes"),
    (np.bool_(False), "yes/no", None, "no"),
    ("True", "yes/no", None, "yes"),
    ("plain words", "text", None, "plain words"),
])
def test_each_unit_is_shown_as_a_reader_expects(value, unit, decimals, shown):
    assert tables.cell(value, Column("x", "X", unit), decimals) == shown


# each form of missing once (a missing value is recognised before its unit is looked at)
@pytest.mark.parametrize("missing, unit", [(None, "count"), (np.nan, "pounds"), (pd.NA, "share"), (pd.NaT, "rate"),
                                           ("", "yes/no"), ("  ", "text")])
def test_a_missing_value_is_shown_in_words(missing, unit):
    assert tables.cell(missing, Column("x", "X", unit), 1) == "not given"
    assert tables.cell(missing, Column("x", "X", unit, missing="not computed"), 1) == "not computed"


@pytest.mark.parametrize("values, unit, decimals", [
    ([190000.0, 217000.0, None], "pounds", 0),
    ([190000.0, 61250.5], "pounds", 2),  # pence in one value: the whole column in pence
    ([0.16513, 0.5], "share", 1),
    ([0.0053, 0.04], "share", 2),  # a share under 1% needs two places
    ([25.0, 8.39], "rate", 1),
])
def test_a_columns_decimals_follow_its_data_unless_declared(values, unit, decimals):
    assert tables.decimals_for(values, Column("x", "X", unit)) == decimals
    assert tables.decimals_for(values, Column("x", "X", unit, decimals=3)) == 3


# --- A whole table, as HTML ---------------------------------------------------------------------

def test_a_table_is_published_without_an_index_with_human_headers_and_words():
    text = tables.html(FRAME, AREAS)
    assert text.startswith('<div class="table-wrap" role="region" tabindex="0" '
                           'aria-label="Practices that declined, by area">')
    assert "<caption>Practices that declined, by area</caption>" in text
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', text)
    assert headers == ["PCT", "Practices invited", "Spend to date", "Share that declined", "Rollout begun", "Notes"]
    assert cells(text) == [
        ["Barnsley", "1,732", "£217,000", "72.7%", "yes", "not given"],
        ["Dorset", "38", "£190,000", "16.5%", "no", "as published"],
        ["Torbay", "not given", "not given", "not given", "not given", "not given"],
    ]
    assert re.findall(r'<th scope="row">(.*?)</th>', text) == ["Barnsley", "Dorset", "Torbay"]
    assert '<td class="num">1,732' in text and '<th scope="col" class="num">Practices invited</th>' in text
    for wrong in ("True", "False", "38.0", "nan", "<th></th>", "illustrative</th>", "pct_name"):
        assert wrong not in text


def test_illustrative_values_are_marked_beside_the_value():
    text = tables.html(FRAME, AREAS)
    barnsley, dorset = text.split("<tbody>")[1].split("</tr>")[:2]
    assert barnsley.count(MARK) == 3  # every number of the row: invited, spend, share (and not the name)
    assert "1,732 " + MARK in barnsley and "Barnsley" + MARK not in barnsley
    assert MARK not in dorset


def test_a_list_of_marked_columns_marks_only_those():
    table = Table("t", "T", (Column("a", "A", "count"), Column("b", "B", "count")), illustrative="which")
    text = tables.html(pd.DataFrame({"a": [1, 2], "b": [3, 4], "which": ["b", ""]}), table)
    first, second = text.split("<tbody>")[1].split("</tr>")[:2]
    assert "3 " + MARK in first and "1 " + MARK not in first and MARK not in second


def test_every_text_is_escaped():
    table = Table("t", XSS, (Column("name", XSS, row_header=True), Column("n", "N", "count")))
    text = tables.html(pd.DataFrame({"name": [XSS, '"quoted" & <b>'], "n": [1, 2]}), table)
    assert "<script" not in text and "<b>" not in text
    assert text.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4  # label, caption, header, cell
    assert "&quot;quoted&quot; &amp; &lt;b&gt;" in text


def test_an_undeclared_column_is_refused_unless_optional():
    table = Table("t", "T", (Column("a", "A", "count"), Column("late", "Late", "count", optional=True)))
    assert "Late" not in tables.html(pd.DataFrame({"a": [1]}), table)
    with pytest.raises(KeyError, match="'b'.*'a'"):
        tables.html(pd.DataFrame({"a": [1]}), Table("t", "T", (Column("b", "B", "count"),)))


def test_a_table_read_back_from_csv_text_is_shown_as_the_frame_is():
    """The site reads the run's CSV (strings) without pandas; the page shows what the notebook showed."""
    handle = io.StringIO(FRAME.to_csv(index=False))
    rows = list(csv.DictReader(handle))
    assert tables.html(rows, AREAS) == tables.html(FRAME, AREAS)


def test_a_shown_table_displays_its_publication_html_in_jupyter():
    shown = tables.show(FRAME, AREAS)
    assert shown._repr_html_() == tables.html(FRAME, AREAS)
    assert "1,732" in repr(shown) and "True" not in repr(shown)


# --- Downloads ----------------------------------------------------------------------------------

def download(frame, table) -> list[list[str]]:
    raw = tables.csv_bytes(frame, table)
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw[3:].decode("utf-8"))))


def test_a_download_starts_with_a_bom_and_has_human_headers_and_unit_precision():
    rows = download(FRAME, AREAS)
    assert rows[0] == ["PCT", "Practices invited", "Spend to date (£)", "Share that declined (%)", "Rollout begun",
                       "Notes", "Illustrative values"]
    assert rows[1] == ["Barnsley", "1732", "217000", "72.7", "yes", "not given", "yes"]
    assert rows[2] == ["Dorset", "38", "190000", "16.5", "no", "as published", "no"]
    assert rows[3][1:5] == ["not given"] * 4


def test_a_download_keeps_pence_when_the_data_has_pence():
    table = Table("t", "T", (Column("gbp", "Spend", "pounds"),))
    assert download(pd.DataFrame({"gbp": [61250.5, 100.0]}), table)[1:] == [["61250.50"], ["100.00"]]


def test_a_download_names_the_marked_columns():
    table = Table("t", "T", (Column("a", "A", "count"), Column("b", "B", "count")), illustrative="which")
    rows = download(pd.DataFrame({"a": [1, 2], "b": [3, 4], "which": ["a;b", ""]}), table)
    assert [r[-1] for r in rows] == ["Illustrative values", "A; B", "none"]


@pytest.mark.parametrize("text", ["=1+1", "+44 20", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")'])
def test_a_text_cell_that_a_spreadsheet_would_run_is_neutralised(text):
    table = Table("t", "T", (Column("name", "Name"), Column("n", "N", "count")))
    rows = download(pd.DataFrame({"name": [text], "n": [-5]}), table)
    assert rows[1] == ["'" + text, "-5"]  # the number stays a number, negative or not


def test_a_negative_number_stays_a_number_in_every_numeric_unit():
    table = Table("t", "T", (Column("c", "C", "count"), Column("p", "P", "pounds"), Column("s", "S", "share"),
                             Column("r", "R", "rate")))
    assert download(pd.DataFrame({"c": [-5], "p": [-190000.0], "s": [-0.1], "r": [-2.25]}), table)[1] == \
        ["-5", "-190000", "-10.0", "-2.3"]


def test_a_table_with_no_declaration_is_still_published_cleanly():
    frame = pd.DataFrame({"pct_name": ["=cmd"], "spend_to_date_gbp": [217000.0], "share": [0.7272727272727273],
                          "begun": [True]})
    table = tables.infer("mine", frame)
    rows = download(frame, table)
    assert rows[0] == ["Pct name", "Spend to date gbp", "Share", "Begun"]
    assert rows[1] == ["'=cmd", "217000", "0.73", "yes"]


@pytest.mark.parametrize("value, unit, shown", [
    (1732, "practices", "1,732 practices"),
    (1, "practices", "1 practice"),
    (1, "calls per 1,000 people a week", "1 call per 1,000 people a week"),
    (1304.46428571, "calls per 1,000 people a year", "1,304.5 calls per 1,000 people a year"),
    (0.16513, "fraction", "16.5%"),
    (0.00533362095378, "fraction", "0.53%"),
    (190000.0, "GBP", "£190,000"),
    (1.19062539165, "GBP per record", "£1.19 per record"),
    (6, "one in N", "one in 6"),
    (0, "rollout begun (1 yes, 0 no)", "no"),
])
def test_a_recorded_result_is_shown_with_its_unit_in_words(value, unit, shown):
    assert tables.figure(value, unit) == shown


@pytest.mark.parametrize("frame, header", [(pd.DataFrame(), []), (pd.DataFrame({"a_b": pd.Series([], dtype=float)}), ["A b"])])
def test_an_empty_undeclared_table_is_published_with_its_headers(frame, header):
    assert [c.header for c in tables.infer("empty", frame).columns] == header
    assert download(frame, tables.infer("empty", frame))[:1] in ([header], [])


@pytest.mark.parametrize("marks, has_column", [(["", ""], False), (["*", ""], True)])
def test_a_download_names_illustrative_values_only_when_it_holds_one(marks, has_column):
    table = Table("t", "T", (Column("pct_name", "PCT", row_header=True), Column("n", "Practices", "count")),
                  illustrative="illustrative")
    frame = pd.DataFrame({"pct_name": ["NHS A", "NHS B"], "n": [1, 2], "illustrative": marks})
    header = tables.csv_bytes(frame, table).decode("utf-8-sig").splitlines()[0]
    assert ("Illustrative" in header) is has_column


SPEND = Table("spend", "Spend, by area", (
    Column("pct_name", "PCT", row_header=True),
    Column("ods_code", "ODS code"),
    Column("spend_gbp", "Spend to date", "pounds"),
    Column("records", "Records uploaded", "count"),
    Column("per_record_gbp", "Per record", "pounds", 2),
), illustrative="illustrative")


def _downloaded(rows, table) -> list[list[str]]:
    data = tables.without_generated_names(rows, table)
    return list(csv.reader(io.StringIO(tables.csv_bytes(data, table).decode("utf-8-sig"))))[1:]


def test_a_download_names_no_real_body_beside_figures_generated_for_it():
    """A row whose every marked-able figure was generated is "Area N, illustrative" with no ODS code; a named
    area's row with figures of its own keeps its name (its generated values marked); the figures are unchanged."""
    rows = [{"pct_name": "Oldham", "ods_code": "5J5", "spend_gbp": 217000, "records": 4000, "per_record_gbp": 54.25,
             "illustrative": "spend_gbp;records"},  # the cost per record is worked out from both: not marked itself
            {"pct_name": "Dorset", "ods_code": "5QM", "spend_gbp": 190000, "records": 159580, "per_record_gbp": 1.19,
             "illustrative": ""},
            {"pct_name": "Torbay", "ods_code": "TAL", "spend_gbp": 2300, "records": 10, "per_record_gbp": 230.0,
             "illustrative": "records"},
            {"pct_name": "Liverpool", "ods_code": "5NL", "spend_gbp": None, "records": None, "per_record_gbp": None,
             "illustrative": "spend_gbp;records"}]  # gave nothing, and that was generated too
    got = _downloaded(rows, SPEND)
    assert [r[:3] for r in got] == [["Area 1, illustrative", "—", "217000"], ["Dorset", "5QM", "190000"],
                                    ["Torbay", "TAL", "2300"], ["Area 2, illustrative", "—", "not given"]]
    assert got[2][-1] == "Records uploaded"  # Torbay's generated value stays marked beside its name
    flagged = [{**r, "illustrative": flag} for r, flag in zip(rows[:2], ("yes", "no"))]
    assert [r[0] for r in _downloaded(flagged, SPEND)] == ["Area 1, illustrative", "Dorset"]


def test_a_table_with_no_generated_row_or_named_already_is_downloaded_as_it_is():
    own = [{"pct_name": "Oldham", "ods_code": "5J5", "spend_gbp": 217000, "records": 4000, "per_record_gbp": 54.25}]
    assert tables.without_generated_names(own, replace(SPEND, illustrative=None)) is own
    named = [{"pct_name": "Area 1, illustrative", "ods_code": "", "spend_gbp": 5, "records": 1, "per_record_gbp": 5.0,
              "illustrative": "yes"}]
    assert tables.without_generated_names(named, SPEND) is named
