"""How a table's columns are declared: a human header and a unit each, written once.

A finding declares the tables it shows in its :class:`~scr_lib.findings.finding.Finding`
record (``tables``); the claims table, common to every finding, is declared in
:mod:`scr_lib.story.tables`. :mod:`scr_lib.story.tables` formats a table from
its declaration, in the notebook and on the story pages alike, and
``Results.table`` hands each published table's declaration to the pages (as
:meth:`Table.to_json`), which read no pandas.

Units (what a cell holds, and how it is shown):

- ``count``: a whole number of things: "1,732";
- ``pounds``: an amount in pounds sterling: "£190,000", with pence ("£2.42")
  when ``decimals`` is 2 or, undeclared, when any value in the column has pence;
- ``share``: a fraction 0-1 shown as a percentage: "16.5%" (``decimals`` places;
  undeclared, one, or two when some value is under 1%);
- ``rate`` and ``number``: any other number, to ``decimals`` places (default 1);
- ``yes/no``: a true/false value, in words;
- ``text``: words as written;
- ``figure``: a number already written out with its unit (a results table's values).

A missing value is shown as the column's ``missing`` words ("not given" unless declared).
Light to import: no pandas.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

UNITS = ("count", "pounds", "share", "rate", "number", "yes/no", "text", "figure")
NUMERIC_UNITS = frozenset({"count", "pounds", "share", "rate", "number", "figure"})
NOT_GIVEN = "not given"


@dataclass(frozen=True)
class Column:
    """One column: ``name`` in the frame, ``header`` as a reader sees it, ``unit`` (see the module docstring).

    ``decimals``: decimal places, where the unit takes them (None: the unit's default);
    ``missing``: the words shown for a missing value; ``row_header``: the cell names its row
    (a PCT's name: shown as a row header); ``optional``: a frame may lack the column.
    """

    name: str
    header: str
    unit: str = "text"
    decimals: int | None = None
    missing: str = NOT_GIVEN
    row_header: bool = False
    optional: bool = False

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"column {self.name!r}: unknown unit {self.unit!r}; known: {', '.join(UNITS)}")

    @property
    def numeric(self) -> bool:
        """True for a unit that is a number (shown right-aligned)."""
        return self.unit in NUMERIC_UNITS


@dataclass(frozen=True)
class Table:
    """A table's declaration: its ``name`` (``tables/<name>.csv`` when published), a ``caption`` saying what
    it holds, its ``columns`` in the order shown, and ``illustrative``: the frame's column, not shown, that
    marks illustrative values (True marks every number of the row; text lists the marked columns,
    ';'-separated), or None."""

    name: str
    caption: str
    columns: tuple[Column, ...]
    illustrative: str | None = None

    def __post_init__(self):
        names = [c.name for c in self.columns]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"table {self.name!r} declares the column(s) {twice} twice")

    def to_json(self) -> dict:
        """The declaration as plain JSON (the page handover); :meth:`from_json` reads it back."""
        return {"name": self.name, "caption": self.caption, "illustrative": self.illustrative,
                "columns": [asdict(c) for c in self.columns]}

    @classmethod
    def from_json(cls, data: dict) -> "Table":
        return cls(data["name"], data["caption"], tuple(Column(**c) for c in data["columns"]),
                   data.get("illustrative"))
