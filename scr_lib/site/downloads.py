"""The CSV downloads of a page: the tables a notebook published, copied into the site."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .. import words


@dataclass
class Download:
    name: str
    href: str
    rows: int
    size: str



def _size(n_bytes: int) -> str:
    return f"{words.round_half_up(n_bytes / 1024, 1):,.1f} KB"


def copy_downloads(run_dir: Path, site: Path, tables: list[str], rows: dict) -> list[Download]:
    out = []
    for name in tables:
        source = run_dir / "tables" / f"{name}.csv"
        if not source.is_file():
            continue
        target = site / "tables" / source.name
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
        out.append(Download(name, f"tables/{source.name}", rows.get(name, 0), _size(source.stat().st_size)))
    return out

