"""Shared fixtures: small FOI files written from inline rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

FOI_HEADER = ["pct", "rollout_begun", "practices_invited", "practices_declined", "practices_signed_up",
              "spend_to_date_gbp", "spend_expected_gbp", "records_uploaded", "records_viewed",
              "foi_ref", "notes", "illustrative"]


def write_foi(path: Path, rows: list[dict], header: list[str] = FOI_HEADER) -> Path:
    """Write FOI rows (dicts of text; missing keys are blank) as a UTF-8 CSV and return the path."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, restval="", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def foi_file(tmp_path):
    """A factory: ``foi_file(rows, name='foi.csv')`` writes a small FOI CSV in tmp_path."""
    def make(rows, name="foi.csv", header=FOI_HEADER):
        return write_foi(tmp_path / name, rows, header)
    return make


@pytest.fixture(scope="session")
def story_run(tmp_path_factory):
    """One real `scr run params/pulse_2010.yaml` into a temporary folder, shared by the session's tests."""
    import subprocess
    import sys

    from scr_lib import paths

    out = tmp_path_factory.mktemp("story") / "pulse_2010"
    done = subprocess.run([sys.executable, "-m", "scr_lib.cli", "run", str(paths.DEFAULT_PARAMS), "--out", str(out)],
                          capture_output=True, text=True, cwd=paths.PROJ_ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return out
