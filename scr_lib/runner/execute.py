"""Execute notebooks with nbclient, a few at a time, each in a kernel of its own; or reuse earlier outputs.

Each notebook runs in a fresh ``python3`` kernel whose working folder is the
notebooks folder, with its parameters in a cell tagged ``injected-parameters``
after the cell tagged ``parameters`` (papermill's convention). At most
``jobs`` notebooks run at once (notebooks do not read each other's outputs).
Every kernel has exited, and so has written all it will, before
:func:`execute_all` returns.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .plan import KERNEL, RunError, Step, cell_text

INJECTED = "injected-parameters"


def cores() -> int:
    """The cores this process may use (its CPU affinity where the system reports one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def parameterized(raw: bytes, parameters: dict):
    """The notebook ``raw`` with a cell tagged ``injected-parameters`` after its ``parameters`` cell (or first)."""
    import nbformat

    nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    lines = "".join(f"{name} = {value!r}\n" for name, value in parameters.items())
    cell = nbformat.v4.new_code_cell("# Parameters\n" + lines, metadata={"tags": [INJECTED]})
    at = next((i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), 0)
    nb.cells.insert(at, cell)
    nb.metadata["papermill"] = {"parameters": parameters}
    return nb


def _cell_failure(name: str, nb, err) -> str:
    """'<notebook> failed in cell N (`first line`): Error: message'."""
    failing = next((c for c in nb.cells if c.cell_type == "code"
                    and any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
    where = "a cell"
    if failing is not None:
        first = next((line for line in failing.source.splitlines() if line.strip()), "")
        where = f"cell {failing.execution_count} (`{first[:60]}`)"
    return f"{name} failed in {where}: {err.ename}: {err.evalue}"


async def _execute(step: Step, part: Path, cwd: Path, clients: list) -> None:
    """Execute ``step``'s notebook into ``part`` (its output_dir); raise :class:`RunError` naming the cell."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = parameterized(step.raw, {**step.given, "output_dir": str(part)})
    client = NotebookClient(nb, kernel_name=KERNEL, timeout=None, startup_timeout=120, record_timing=False,
                            resources={"metadata": {"path": str(cwd)}})
    clients.append(client)
    (part / "notebooks").mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as log:  # the kernel's own messages: shown only if it dies
        try:
            await client.async_execute(stderr=log)
        except CellExecutionError as err:
            raise RunError(_cell_failure(step.name, nb, err)) from None
        except (RuntimeError, OSError, TimeoutError) as err:  # a kernel that died, never started or answered
            log.seek(0)
            last = "".join(f"\n    {line}" for line in log.read().decode("utf-8", "replace").splitlines()[-5:])
            raise RunError(f"{step.name}: the kernel failed: {type(err).__name__}: {err}{last}") from None
    nbformat.write(nb, part / "notebooks" / step.name)


async def _all(steps: list[Step], parts: Path, cwd: Path, jobs: int, echo, clients: list, stop: list) -> None:
    slots = asyncio.Semaphore(jobs)

    async def one(step: Step):
        async with slots:
            if stop:  # Ctrl-C: start nothing more
                return
            echo(f"  running    {step.name}")
            started = asyncio.get_running_loop().time()
            try:
                await _execute(step, parts / step.part, cwd, clients)
            except RunError as err:
                step.error = str(err)
                if not stop:
                    echo(f"  FAILED     {err}")  # the message starts with the notebook's name
                return
            echo(f"  done       {step.name} ({asyncio.get_running_loop().time() - started:.1f} s)")

    await asyncio.gather(*(one(s) for s in steps))


async def _stop(clients: list) -> None:
    await asyncio.gather(*(c.km.shutdown_kernel(now=True) for c in clients if c.km is not None),
                         return_exceptions=True)


def execute_all(steps: list[Step], parts: Path, cwd: Path, jobs: int, echo) -> None:
    """Execute ``steps`` into ``parts/<part>``, ``jobs`` at a time; a failure is noted on its step.

    The event loop runs in a worker thread, which this function joins before
    it returns: there nbclient sets no signal handler of its own, so Ctrl-C
    (or SIGTERM, see :mod:`scr_lib.cli`) reaches the caller as
    KeyboardInterrupt, raised again once every kernel has been stopped.
    """
    clients: list = []
    stop: list = []
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(lambda loop, context: None)  # a library's stray task error: not the user's
    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(loop.run_until_complete, _all(steps, parts, cwd, jobs, echo, clients, stop))
        try:
            future.result()
        except KeyboardInterrupt:
            stop.append(True)
            asyncio.run_coroutine_threadsafe(_stop(clients), loop)
            future.exception()  # each notebook ends as its kernel dies
            raise
    loop.close()


def reuse_outputs(source: dict, executed: dict) -> dict | None:
    """``source``'s cells with each code cell's outputs from ``executed`` (an earlier execution of the
    same code) and its injected-parameters cell in place; None if the code cells do not line up."""
    if (source.get("nbformat"), source.get("nbformat_minor", 0)) < (4, 5):
        return None  # cells without ids: let an execution upgrade the notebook
    ran = [c for c in executed.get("cells", []) if c.get("cell_type") == "code"]
    injected = next((i for i, c in enumerate(ran) if INJECTED in c.get("metadata", {}).get("tags", [])), None)
    cell_of_injected = ran.pop(injected) if injected is not None else None
    code = [c for c in source.get("cells", []) if c.get("cell_type") == "code"]
    if len(code) != len(ran) or any(cell_text(a) != cell_text(b) for a, b in zip(code, ran)):
        return None
    cells, index = ([cell_of_injected] if injected == 0 else []), 0
    for cell in source["cells"]:
        cell = dict(cell)
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = ran[index].get("outputs", []), ran[index].get("execution_count")
            index += 1
        cells.append(cell)
        if cell.get("cell_type") == "code" and injected and index == injected:
            cells.append(cell_of_injected)
    metadata = {**source.get("metadata", {}), **{k: v for k, v in executed.get("metadata", {}).items()
                                                 if k in ("papermill", "language_info")}}
    return {**executed, "cells": cells, "metadata": metadata}


def reprose(step: Step, part: Path) -> bool:
    """Build ``part`` from the cached part: the notebook's new cells with its cached outputs.
    Returns False, building nothing, when the code cells do not line up."""
    executed = json.loads((step.cached / "notebooks" / step.name).read_text(encoding="utf-8"))
    merged = reuse_outputs(json.loads(step.raw), executed)
    if merged is None:
        return False
    shutil.copytree(step.cached, part)
    text = json.dumps(merged, indent=1, sort_keys=True, ensure_ascii=False) + "\n"  # as nbformat writes
    (part / "notebooks" / step.name).write_text(text, encoding="utf-8")
    return True
