"""The FOI returns as `scr run` validated them before any notebook ran, or else read and validated here.

`scr run` reads and validates the FOI file once, up front (it refuses a bad
file before any kernel starts), and saves what it read with :func:`save` in
its own cache folder. It gives that file's path to each notebook that
declares a ``foi_checked`` parameter, so no notebook parses the raw file
again. A notebook run on its own (JupyterLab, papermill, nbval) leaves
``foi_checked`` empty and reads the raw file.

The saved file is a pickle of :class:`scr_lib.inputs.foi.FOIReturns`, written and
read by the same run (never a file from elsewhere).
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

from . import foi


def save(returns: foi.FOIReturns, path: Path) -> Path:
    """Write ``returns`` (validated) to ``path`` for the run's notebooks; returns ``path``.

    The file they came from is saved as an absolute path: the notebooks' kernels run in another folder,
    where a path relative to this one would name a file that is not there."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    returns = dataclasses.replace(returns, file=str(Path(returns.file).resolve()))
    with open(path, "wb") as handle:
        pickle.dump(returns, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return path


def foi_returns(path: str | Path, sheet: str | None = None, checked: str | Path = "") -> foi.FOIReturns:
    """The FOI returns: those `scr run` validated (``checked``, a file :func:`save` wrote) when given, else
    the file at ``path`` (worksheet ``sheet``; '' or None: the first), read and validated by
    :func:`scr_lib.inputs.foi.load_returns`."""
    if checked:
        with open(checked, "rb") as handle:
            return pickle.load(handle)
    return foi.load_returns(path, sheet=sheet or None)
