"""Problems in input files (scr_lib/problems.py): one a line, file:row:column: what was expected, in file order."""

from __future__ import annotations

import pytest

from scr_lib.problems import InputError, Problem


def test_a_problem_reads_as_file_row_column_and_message():
    problem = Problem("foi.csv", 7, "Practices invited", "expected a whole number, found '12.5'")
    assert str(problem) == "foi.csv:7:Practices invited: expected a whole number, found '12.5'"


def test_a_problem_with_the_whole_file_has_row_0_and_no_column():
    assert str(Problem("foi.csv", 0, "", "no such file")) == "foi.csv:0:: no such file"


def test_the_error_lists_every_problem_one_a_line_by_file_then_row():
    found = [Problem("b.csv", 2, "pct", "unknown PCT"), Problem("a.csv", 9, "pct", "unknown PCT"),
             Problem("a.csv", 3, "spend", "expected pounds"), Problem("a.csv", 3, "pct", "blank")]
    err = InputError(found)
    assert [(p.file, p.row) for p in err.problems] == [("a.csv", 3), ("a.csv", 3), ("a.csv", 9), ("b.csv", 2)]
    # within a row, the order the reader found them in (left to right), not the alphabet
    assert [p.column for p in err.problems[:2]] == ["spend", "pct"]
    assert str(err).splitlines() == [str(p) for p in err.problems]


def test_the_error_is_a_value_error_and_does_not_change_the_list_it_was_given():
    found = [Problem("a.csv", 5, "x", "m"), Problem("a.csv", 2, "x", "m")]
    with pytest.raises(ValueError, match=r"^a\.csv:2:x: m\na\.csv:5:x: m$"):
        raise InputError(found)
    assert [p.row for p in found] == [5, 2]


def test_a_problem_cannot_be_changed_once_made():
    problem = Problem("a.csv", 2, "x", "m")
    with pytest.raises(AttributeError):
        problem.row = 3
