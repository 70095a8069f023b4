"""A page's CSV downloads (scr_lib/site/downloads.py): which tables are copied, in what order, and what a
reader is told of each (rows, size, caption). What a download's cells hold is in tests/test_tables.py."""

from __future__ import annotations

import csv
import re

from scr_lib.findings.columns import Column, Table
from scr_lib.site import downloads

SPEND = Table("spend", "Spend to date, by PCT", (Column("pct", "PCT", row_header=True),
                                                 Column("gbp", "Spend to date", "pounds")))


def run_tables(folder, **tables):
    """A run folder's tables/NAME.csv, each from a list of rows (the first is the header)."""
    (folder / "tables").mkdir(parents=True)
    for name, rows in tables.items():
        with open(folder / "tables" / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
    return folder


def test_each_named_table_is_copied_in_the_order_named_and_a_missing_one_is_skipped(tmp_path):
    run = run_tables(tmp_path / "run", spend=[["pct", "gbp"], ["NHS Dorset", "190000.0"]],
                     other=[["name"], ["x"]])
    got = downloads.copy_downloads(run, tmp_path / "site", ["other", "gone", "spend"], {},
                                   {"spend": SPEND.to_json()})
    assert [(d.name, d.href) for d in got] == [("other", "tables/other.csv"), ("spend", "tables/spend.csv")]
    assert sorted(p.name for p in (tmp_path / "site" / "tables").iterdir()) == ["other.csv", "spend.csv"]


def test_a_download_is_described_by_its_caption_rows_and_size_in_kilobytes(tmp_path):
    rows = [["pct", "gbp"]] + [[f"PCT number {i}", f"{1000 * i}.0"] for i in range(200)]
    run = run_tables(tmp_path / "run", spend=rows)
    [got] = downloads.copy_downloads(run, tmp_path / "site", ["spend"], {}, {"spend": SPEND.to_json()})
    size = (tmp_path / "site" / "tables" / "spend.csv").stat().st_size
    assert got.caption == "Spend to date, by PCT" and got.rows == 200
    assert re.fullmatch(r"\d+\.\d KB", got.size) and abs(float(got.size[:-3]) - size / 1024) <= 0.05


def test_the_row_count_the_notebook_handed_over_is_the_one_shown(tmp_path):
    """The run's table may hold more rows than the page's table counts (a total row, say): the handover wins."""
    run = run_tables(tmp_path / "run", spend=[["pct", "gbp"], ["A", "1"], ["B", "2"], ["Total", "3"]])
    [got] = downloads.copy_downloads(run, tmp_path / "site", ["spend"], {"spend": 2}, {"spend": SPEND.to_json()})
    assert got.rows == 2


def test_a_download_takes_its_headers_and_units_from_the_declaration(tmp_path):
    run = run_tables(tmp_path / "run", spend=[["pct", "gbp"], ["NHS Dorset", "190000.0"]])
    downloads.copy_downloads(run, tmp_path / "site", ["spend"], {}, {"spend": SPEND.to_json()})
    text = (tmp_path / "site" / "tables" / "spend.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines() == ["PCT,Spend to date (£)", "NHS Dorset,190000"]


def test_a_run_table_written_with_a_byte_order_mark_keeps_its_first_header(tmp_path):
    """A table saved by Excel (or by an earlier run) starts with a BOM: its first column is still found."""
    run = tmp_path / "run"
    (run / "tables").mkdir(parents=True)
    (run / "tables" / "spend.csv").write_bytes("\ufeffpct,gbp\nNHS Dorset,190000.0\n".encode("utf-8"))
    downloads.copy_downloads(run, tmp_path / "site", ["spend"], {}, {"spend": SPEND.to_json()})
    lines = (tmp_path / "site" / "tables" / "spend.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("NHS Dorset,190000")

