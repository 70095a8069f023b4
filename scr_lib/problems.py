"""Problems found in input files, and the error that carries them.

A problem names the file, the row as a spreadsheet numbers it (the header row
of a plain CSV is row 1), the column as the file's header names it, and what
was expected. Loaders collect every problem before raising, so a journalist
sees them all at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import paths


@dataclass(frozen=True, order=True)
class Problem:
    """One defect in an input file.

    ``row`` is 1-based as in a spreadsheet; 0 means the file as a whole.
    ``column`` is the header text as written in the file ('' for the whole row).
    """

    file: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.message}"


class InputError(ValueError):
    """Raised when an input file has one or more problems.

    ``problems`` lists them all, in file order; ``str()`` prints one a line.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.row))
        super().__init__("\n".join(str(p) for p in self.problems))


display_path = paths.display  # the name the readers of inputs use: see :func:`scr_lib.paths.display`
