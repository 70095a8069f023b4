"""The FOI returns as scr run validated them, handed to the notebooks instead of the raw file."""

from pathlib import Path

import pandas as pd

from conftest import CRAFTED_FOI_ROWS, write_foi
from scr_lib.inputs import checked, foi


def test_saved_returns_come_back_as_read(tmp_path):
    path = write_foi(tmp_path / "foi.csv", CRAFTED_FOI_ROWS)
    read = foi.load_returns(path)
    saved = checked.save(read, tmp_path / "cache" / "foi-checked.pickle")
    again = checked.foi_returns(tmp_path / "elsewhere.csv", "", saved)  # the raw path is not read
    assert Path(again.file).resolve() == Path(read.file).resolve() and again.header == read.header
    pd.testing.assert_frame_equal(again.frame, read.frame)


def test_without_a_checked_file_the_raw_file_is_read(tmp_path):
    path = write_foi(tmp_path / "foi.csv", CRAFTED_FOI_ROWS)
    pd.testing.assert_frame_equal(checked.foi_returns(path, "", "").frame, foi.load_returns(path).frame)


def test_saved_returns_name_the_file_the_notebook_was_given_wherever_its_kernel_runs(tmp_path, monkeypatch):
    """`scr run` reads the file from the project folder; a notebook's kernel runs in notebooks/, where a
    path relative to the project would name a file that is not there (issue 14: 'notebooks/data/...')."""
    write_foi(tmp_path / "foi.csv", CRAFTED_FOI_ROWS)
    monkeypatch.chdir(tmp_path)
    saved = checked.save(foi.load_returns("foi.csv"), tmp_path / "cache" / "checked.pickle")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    returns = checked.foi_returns(tmp_path / "foi.csv", "", saved)
    assert Path(returns.file).resolve() == (tmp_path / "foi.csv").resolve()
