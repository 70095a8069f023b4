"""The FOI returns a notebook reads: the raw file, validated, whoever runs the notebook."""

import pandas as pd
import pytest

from conftest import CRAFTED_FOI_ROWS, write_foi
from scr_lib.inputs import checked, foi
from scr_lib.problems import InputError


def test_the_returns_are_the_raw_file_as_validated(tmp_path):
    path = write_foi(tmp_path / "foi.csv", CRAFTED_FOI_ROWS)
    pd.testing.assert_frame_equal(checked.foi_returns(path, "").frame, foi.load_returns(path).frame)


def test_a_bad_file_is_refused_as_scr_run_refuses_it(tmp_path):
    (tmp_path / "foi.csv").write_text("pct,practices_invited\nNHS Bolton,lots\n")
    with pytest.raises(InputError):
        checked.foi_returns(tmp_path / "foi.csv")
