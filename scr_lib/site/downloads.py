"""The CSV downloads of a page: each table a notebook published, in its publication form.

A run folder's ``tables/NAME.csv`` is the machine-readable table as the notebook
published it (column names, every digit; other code reads it). The site's
``tables/NAME.csv`` is what a reader downloads, made from it and the table's
declared columns (handed over by ``Results.table``), by
:func:`scr_lib.story.tables.csv_bytes`: UTF-8 with a byte-order mark, so Excel
shows "£" as "£"; human headers, with "(£)" or "(%)" where the unit is not in
the cells; counts as whole numbers, pounds as whole pounds (pence where the
data has pence), shares as percentages at the places the page shows them, yes/no in words,
missing values in words ("not given"); illustrative values named in a last
column, and a row whose figures were all generated named "Area N, illustrative", never by the real body
(:func:`scr_lib.story.tables.without_generated_names`); and any text a spreadsheet would run as a formula (beginning =, +, -,
@, a tab or a carriage return) neutralised with an apostrophe. A table with no
declaration (a run folder from an older version) is given one from its values
(:func:`scr_lib.story.tables.infer`). No pandas: the CSV module reads the run's
table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .. import words
from ..findings.columns import Table
from ..story import tables


@dataclass
class Download:
    """One download of a page: the table's ``name`` (its file is ``NAME.csv``), ``href`` from the page,
    the ``caption`` saying what it holds, its ``rows`` and its ``size`` in words ("1.2 KB")."""

    name: str
    href: str
    rows: int
    size: str
    caption: str = ""


def _size(n_bytes: int) -> str:
    return f"{words.round_half_up(n_bytes / 1024, 1):,.1f} KB"


def _read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return tables._Rows(rows, list(reader.fieldnames or []))


def copy_downloads(run_dir: Path, site: Path, names: list[str], rows: dict,
                   declared: dict | None = None) -> list[Download]:
    """Write ``site/tables/NAME.csv`` for each published table ``NAME`` of ``run_dir/tables`` in its publication
    form (see the module docstring), from its declaration in ``declared`` (name -> ``Table.to_json()``,
    the page handover's ``"tables"``). A table missing from ``run_dir`` is skipped. Returns the downloads
    in the order of ``names``; ``rows`` gives each table's row count."""
    declared = declared or {}
    out = []
    for name in names:
        source = run_dir / "tables" / f"{name}.csv"
        if not source.is_file():
            continue
        data = _read(source)
        table = Table.from_json(declared[name]) if name in declared else tables.infer(name, data)
        target = site / "tables" / source.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(tables.csv_bytes(tables.without_generated_names(data, table), table))
        out.append(Download(name, f"tables/{source.name}", rows.get(name, len(data)),
                            _size(target.stat().st_size), table.caption))
    return out
