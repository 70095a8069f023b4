"""Hostile and careless invocations of the real `scr` command, each in its own process.

Every case in ``tests/corpus/invocations.csv`` runs `python -m scr_lib.cli ARGS`
(``{tmp}`` is a folder of prepared files, ``{unwritable}`` a folder the
process cannot write into) and must exit with the status given (1 bad data,
2 bad usage), print the fragment given on standard error, print no Python
traceback, and leave the prepared files as they were. None of them may start
a notebook. A real Ctrl-C during a real run is the last test (slow).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scr_lib import paths

CORPUS = Path(__file__).parent / "corpus"
CASES = list(csv.DictReader(open(CORPUS / "invocations.csv", encoding="utf-8", newline="")))
HOLD_LOCK = """import sys, time
from pathlib import Path
from scr_lib.runner import publish
with publish.lock(Path(sys.argv[1])):
    print("holding", flush=True)
    time.sleep(120)
"""


def laughs() -> str:
    lines = ["name: laughs", "foi_returns: foi.csv", "foi_sheet:", '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", '
                                                                  '"lol", "lol", "lol", "lol"]']
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]
    return "\n".join(lines) + "\n"


def prepare(tmp: Path) -> None:
    """The files the cases name: good and hostile params files, a file, a folder of someone's files."""
    (tmp / "foi.csv").write_bytes((CORPUS / "good" / "returns_canonical.csv").read_bytes())
    good = "name: mine\nfoi_returns: foi.csv\n"
    files = {
        "good.yaml": good,
        "laughs.yaml": laughs(),
        "deep.yaml": good + "foi_sheet: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "ooh_zero.yaml": good + "ooh_views_per_week: 0\n",
        "ooh_negative.yaml": good + "ooh_records_created: -13000000\n",
        "ooh_nan.yaml": good + "ooh_calls_per_1000_per_week: .nan\n",
        "long_name.yaml": f"name: {'x' * 250}\nfoi_returns: foi.csv\n",
        "slash_name.yaml": "name: a/b\nfoi_returns: foi.csv\n",
        "afile": "not a folder\n",
        "digits.yaml": good + "ooh_views_per_week: " + "9" * 400 + "\n",
        "csv_sheet.yaml": good + "foi_sheet: Returns\n",
        "windows.yaml": "name: mine\nfoi_returns: sub\\foi.csv\n",
    }
    (tmp / "sub").mkdir()
    (tmp / "sub" / "foi.csv").write_bytes((CORPUS / "bad" / "utf16_no_bom.csv").read_bytes())
    (tmp / "page.xls").write_bytes((CORPUS / "bad" / "web_page.xls").read_bytes())
    for name, text in files.items():
        (tmp / name).write_text(text, encoding="utf-8")
    (tmp / "binary.yaml").write_bytes(bytes(range(256)) * 4)
    (tmp / "folder").mkdir()
    (tmp / "loop").symlink_to(tmp / "loop")
    for name, data in {"mistyped": b'{"refusal.share": {"value": "x"}}', "binary": b"\xff\xfe{"}.items():
        (tmp / name).mkdir()
        (tmp / name / "results.json").write_bytes(data)
    (tmp / "home").mkdir()
    (tmp / "home" / "letter.txt").write_text("dear", encoding="utf-8")
    (tmp / "Documents").mkdir()
    (tmp / "Documents" / "thesis.docx").write_text("years of work", encoding="utf-8")


def unwritable(tmp: Path) -> Path:
    """A folder this process cannot create anything in (root may write anywhere but in /sys)."""
    if os.geteuid() == 0:
        if not Path("/sys").is_dir():
            pytest.skip("running as root without /sys: no folder is unwritable")
        return Path("/sys")
    folder = tmp / "locked"
    folder.mkdir(exist_ok=True)
    folder.chmod(0o555)
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


def scr(*args, env=None, cwd=paths.PROJ_ROOT, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scr_lib.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120, **options)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    prepare(tmp)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp / "held")], stdout=subprocess.PIPE,
                              text=True, cwd=paths.PROJ_ROOT)
    assert holder.stdout.readline().strip() == "holding"
    yield tmp
    holder.kill()
    holder.wait()


@pytest.mark.slow  # a subprocess each: about a second of Python start-up
@pytest.mark.parametrize("case", CASES, ids=[c["case"] for c in CASES])
def test_a_hostile_invocation_gets_a_message_and_the_right_exit_status(prepared, case):
    args = case["args"].format(tmp=prepared, unwritable=unwritable(prepared) if "{unwritable}" in case["args"]
                               else "").split()
    before = snapshot(prepared)
    env = {**os.environ, "HOME": str(prepared / "home")}
    done = scr(*args, env=env)
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert done.returncode == int(case["exit"]), done.stderr
    assert case["says"] in done.stderr + done.stdout, done.stderr  # `scr check` reports on standard output
    assert "running" not in done.stderr  # refused before any notebook started
    assert snapshot(prepared) == before


def kernels_of(pid: int) -> list[int]:
    """Processes started by ``pid`` as kernels (jupyter_client gives each JPY_PARENT_PID)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"JPY_PARENT_PID={pid}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc to find the kernels")
@pytest.mark.parametrize("wait, sig, status, word, again", [
    (0.0, signal.SIGINT, 130, "interrupted", False), (0.0, signal.SIGINT, 130, "interrupted", True),
    (1.5, signal.SIGINT, 130, "interrupted", False), (1.5, signal.SIGTERM, 143, "terminated", False)],
    ids=["ctrl-c-as-kernels-start", "ctrl-c-twice-as-kernels-start", "ctrl-c-while-notebooks-run",
         "sigterm-while-notebooks-run"])
def test_ctrl_c_during_a_real_run_stops_everything_and_publishes_nothing(tmp_path, wait, sig, status, word, again):
    out = tmp_path / "story"
    child = subprocess.Popen([sys.executable, "-m", "scr_lib.cli", "run", str(paths.DEFAULT_PARAMS), "--out", str(out)],
                             stderr=subprocess.PIPE, text=True, cwd=paths.PROJ_ROOT, start_new_session=True)
    said = []
    for line in child.stderr:
        said.append(line)
        if "running" in line:
            break
    time.sleep(wait)
    os.killpg(child.pid, sig)  # as a terminal's Ctrl-C does: to the whole foreground group
    if again:  # an impatient second Ctrl-C, while the run stops
        time.sleep(0.1)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, sig)
    said.append(child.stderr.read())
    child.wait(timeout=60)
    stderr = "".join(said)
    assert child.returncode == status, stderr
    assert "Traceback" not in stderr and "FAILED" not in stderr
    assert stderr.rstrip().splitlines()[-1] == f"{word}: nothing was published; any previous output is as it was"
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no output, no temporary folder, no lock
    deadline = time.monotonic() + 10
    while kernels_of(child.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert kernels_of(child.pid) == []
