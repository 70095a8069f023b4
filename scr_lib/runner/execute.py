"""Execute notebooks with nbclient, ``jobs`` at a time, each in a fresh kernel in the notebooks folder, its
parameters in a cell tagged ``injected-parameters`` after the one tagged ``parameters`` (papermill's
convention); or reuse earlier outputs. Every kernel has exited when :func:`execute_all` returns."""

from __future__ import annotations

import asyncio
import atexit
import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .. import interrupts
from .plan import KERNEL, RunError, Step, cell_text

INJECTED = "injected-parameters"


def cores() -> int:
    """The cores this process may use (its CPU affinity where the system reports one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def parameterized(raw: bytes, parameters: dict) -> dict:
    """The notebook ``raw`` (as JSON) with an ``injected-parameters`` cell after its ``parameters`` cell, or first."""
    nb = json.loads(raw)
    source = "# Parameters\n" + "".join(f"{name} = {value!r}\n" for name, value in parameters.items())
    at = next((i + 1 for i, c in enumerate(nb["cells"]) if "parameters" in c["metadata"].get("tags", [])), 0)
    nb["cells"].insert(at, {"cell_type": "code", "execution_count": None, "id": INJECTED, "outputs": [],
                            "metadata": {"tags": [INJECTED]}, "source": source})
    nb["metadata"]["papermill"] = {"parameters": parameters}
    return nb


async def _execute(step: Step, part: Path, cwd: Path, clients: list) -> None:
    """Execute ``step``'s notebook into ``part`` (its output_dir); raise :class:`RunError` naming the cell."""
    import nbformat
    from nbclient import NotebookClient, exceptions
    from traitlets.config import Config
    nb = nbformat.reads(json.dumps(parameterized(step.raw, {**step.given, "output_dir": str(part)})), as_version=4)
    (part / "notebooks").mkdir(parents=True, exist_ok=True)  # the notebook writes its results into part
    with tempfile.TemporaryFile() as log, tempfile.TemporaryDirectory(prefix="scr-") as sockets:  # log: shown if the
        # kernel dies. Local sockets, not TCP ports, and 2 s to exit, not 5: see "Kernels" in docs/architecture.md
        local = {"shutdown_wait_time": 2.0, **({"transport": "ipc", "ip": f"{sockets}/k"} if os.name == "posix" else {})}
        client = NotebookClient(nb, kernel_name=KERNEL, timeout=None, startup_timeout=120, record_timing=False,
                                resources={"metadata": {"path": str(cwd)}}, config=Config(KernelManager=local))
        clients.append(client)
        try:
            await client.async_execute(stderr=log)
        except exceptions.CellExecutionError as err:  # '<notebook> failed in cell N (`first line`): Error: message'
            cell = next((c for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))),
                        nbformat.v4.new_code_cell())
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            raise RunError(f"{step.name} failed in cell {cell.execution_count} (`{first[:60]}`): {err.ename}: "
                           f"{err.evalue}") from None
        except (RuntimeError, OSError, TimeoutError) as err:  # a kernel that died, never started or answered
            log.seek(0)
            lines = log.read().decode("utf-8", "replace").splitlines()[-5:]
            raise RunError(f"{step.name}: the kernel failed: {type(err).__name__}: {err}"
                           + "".join(f"\n    {line}" for line in lines)) from None
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


def execute_all(steps: list[Step], parts: Path, cwd: Path, jobs: int, echo) -> None:
    """Execute ``steps`` into ``parts/<part>``, ``jobs`` at a time (a failure is noted on its step), in a worker
    thread's event loop, where nbclient sets no signal handler: Ctrl-C and SIGTERM reach the caller."""
    clients, stop = [], []  # the notebooks' clients; [True] once Ctrl-C came
    loop = asyncio.new_event_loop()
    loop.set_exception_handler(lambda loop, context: None)  # a library's stray task error: not the user's
    with ThreadPoolExecutor(1) as pool:
        try:
            with interrupts.held():  # Ctrl-C waits until the pool has its worker: shutdown() below waits for it
                future = pool.submit(loop.run_until_complete, _all(steps, parts, cwd, jobs, echo, clients, stop))
            future.result()
        except KeyboardInterrupt:
            with interrupts.held():  # a second Ctrl-C waits until everything has stopped
                stop.append(True)  # from now on no notebook starts
                loop.call_soon_threadsafe(lambda: [asyncio.ensure_future(c.km.shutdown_kernel(now=True))
                                                   for c in clients if c.km])
                pool.shutdown()  # each running notebook ends as its kernel dies
                for client in clients:  # nbclient's exit hook, left behind by a kernel stopped as it started
                    atexit.unregister(client._cleanup_kernel)
            raise
    loop.close()


def reprose(step: Step, part: Path) -> bool:
    """Build ``part`` from the cached part: new cells, cached outputs; False if code cells do not line up."""
    executed = json.loads((step.cached / "notebooks" / step.name).read_text(encoding="utf-8"))
    nb = parameterized(step.raw, {})
    code = [(i, c) for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
    ran = [c for c in executed["cells"] if c["cell_type"] == "code"]
    if nb.get("nbformat_minor", 0) < 5 or len(code) != len(ran) or any(
            cell_text(c) != cell_text(r) for (_, c), r in zip(code, ran) if c["id"] != INJECTED):
        return False
    for (i, cell), old in zip(code, ran):
        nb["cells"][i] = old if cell["id"] == INJECTED else {**cell, "outputs": old["outputs"],
                                                              "execution_count": old["execution_count"]}
    nb["metadata"] = {**nb["metadata"], "papermill": executed["metadata"].get("papermill"),
                      "language_info": executed["metadata"].get("language_info")}
    shutil.copytree(step.cached, part)
    text = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"  # as nbformat writes
    (part / "notebooks" / step.name).write_text(text, encoding="utf-8")
    return True
