"""The FOI returns as scr run validated them, handed to the notebooks instead of the raw file."""

import pandas as pd

from conftest import CRAFTED_FOI_ROWS, write_foi
from scr_lib.inputs import checked, foi


def test_saved_returns_come_back_as_read(tmp_path):
    path = write_foi(tmp_path / "foi.csv", CRAFTED_FOI_ROWS)
    read = foi.load_returns(path)
    saved = checked.save(read, tmp_path / "cache" / "foi-checked.pickle")
    again = checked.foi_returns(tmp_path / "elsewhere.csv", "", saved)  # the raw path is not read
    assert again.file == read.file and again.header == read.header
    pd.testing.assert_frame_equal(again.frame, read.frame)


def test_without_a_checked_file_the_raw_file_is_read(tmp_path):
    path = write_foi(tmp_path / "foi.csv", CRAFTED_FOI_ROWS)
    pd.testing.assert_frame_equal(checked.foi_returns(path, "", "").frame, foi.load_returns(path).frame)
