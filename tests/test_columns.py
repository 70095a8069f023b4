"""Table declarations (scr_lib/findings/columns.py): a header and a unit per column, written once, handed to
the pages as JSON."""

from __future__ import annotations

import json

import pytest

from scr_lib.findings import FINDINGS
from scr_lib.findings.columns import NOT_GIVEN, UNITS, Column, Table


def test_an_unknown_unit_is_refused_naming_the_column_and_the_known_units():
    with pytest.raises(ValueError) as err:
        Column("spend", "Spend", "GBP")
    assert "'spend'" in str(err.value) and "'GBP'" in str(err.value)
    assert all(unit in str(err.value) for unit in UNITS)


def test_a_column_declared_twice_is_refused_naming_it():
    with pytest.raises(ValueError, match=r"table 't' declares the column\(s\) \['a'\] twice"):
        Table("t", "T", (Column("a", "A"), Column("b", "B"), Column("a", "Again")))


def test_a_column_defaults_to_text_shown_not_given_when_missing():
    column = Column("notes", "Notes")
    assert (column.unit, column.missing, column.decimals, column.numeric) == ("text", NOT_GIVEN, None, False)


@pytest.mark.parametrize("unit", UNITS)
def test_numbers_are_numeric_words_are_not(unit):
    assert Column("x", "X", unit).numeric is (unit not in ("yes/no", "text"))


def test_a_declaration_survives_the_handover_to_the_pages_as_plain_json():
    table = Table("spend", "Spend by PCT, £", (
        Column("pct_name", "PCT", row_header=True),
        Column("spend", "Spend to date", "pounds", decimals=2, missing="not held"),
        Column("late", "Late figure", "count", optional=True),
    ), illustrative="illustrative")
    handed = json.loads(json.dumps(table.to_json()))
    assert Table.from_json(handed) == table
    assert [c["header"] for c in handed["columns"]] == ["PCT", "Spend to date", "Late figure"]


def test_a_handover_from_before_illustrative_marks_reads_as_unmarked():
    data = Table("t", "T", (Column("a", "A", "count"),)).to_json()
    del data["illustrative"]
    assert Table.from_json(data).illustrative is None


def test_every_findings_declared_table_goes_to_json_and_back():
    declared = [table for finding in FINDINGS for table in finding.tables]
    assert declared
    for table in declared:
        assert Table.from_json(json.loads(json.dumps(table.to_json()))) == table, table.name
