"""Execute every notebook with a params file, collect the results, render the site: atomically.

The run is built in a temporary folder beside the output folder and moved
into place only when every step has succeeded, so a failed run publishes
nothing and leaves the previous output as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import papermill

from . import foi, paths, results, site
from .params import Params, load_params

KERNEL = "python3"  # ipykernel's own spec: the interpreter that runs `scr`


class RunError(RuntimeError):
    """A notebook failed; the message names it and the error it raised."""


@dataclass(frozen=True)
class Run:
    """Where a finished run's files are."""

    out_dir: Path
    results_path: Path
    site_dir: Path
    notebooks: list


def notebooks() -> list[Path]:
    """The story's notebooks, in order: ``notebooks/NN-*.ipynb``."""
    return sorted(paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def notebook_parameters(notebook: Path) -> list[str]:
    """Names of the parameters a notebook's ``parameters`` cell declares."""
    return list(papermill.inspect_notebook(str(notebook)).keys())


def execute(notebook: Path, params: Params, work: Path) -> Path:
    """Run one notebook with the knobs it declares; its outputs go to ``work``. Returns the executed copy."""
    declared = notebook_parameters(notebook)
    given = {k: v for k, v in params.values.items() if k in declared}
    given["output_dir"] = str(work)
    target = work / "notebooks" / notebook.name
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        papermill.execute_notebook(str(notebook), str(target), parameters=given, kernel_name=KERNEL,
                                   cwd=str(paths.NOTEBOOKS), progress_bar=False, log_output=False)
    except papermill.PapermillExecutionError as err:
        raise RunError(f"{notebook.name} failed in cell {err.exec_count}: {err.ename}: {err.evalue}") from None
    return target


def default_out_dir(params: Params) -> Path:
    return paths.BUILD / params.name


def run(params_path: str | Path, out_dir: str | Path | None = None, echo=print) -> Run:
    """Execute all notebooks with ``params_path`` into ``out_dir`` (default ``build/<name>/``).

    Writes ``notebooks/`` (executed copies), ``results.json`` and ``site/``.
    On any failure the temporary folder is removed and ``out_dir`` is untouched.
    """
    params = load_params(params_path)
    foi.load_returns(params.values["foi_returns"])  # refuse invalid data before anything is written
    out = Path(out_dir) if out_dir else default_out_dir(params)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        executed = []
        for notebook in notebooks():
            echo(f"running {notebook.name}")
            executed.append(execute(notebook, params, work))
        merged = results.merge(work)
        (work / "results.json").write_text(json.dumps(merged, indent=2) + "\n", encoding="utf-8")
        site.render(work, params)
        _swap_into_place(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Run(out, out / "results.json", out / "site", [out / "notebooks" / p.name for p in executed])


def _swap_into_place(work: Path, out: Path) -> None:
    """Replace ``out`` with ``work`` so that a reader sees the old run or the new one, never a mix."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    work.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
