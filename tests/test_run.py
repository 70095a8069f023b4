"""`scr run` re-executes exactly the notebooks whose inputs changed, publishes atomically, and keeps the
guarantees of issue 12 (a foreign folder is refused; Ctrl-C, a kill at any step, a second run and a full
disk leave the previous output as it was) and issue 23 (a folder edited after its run is refused).

The runs here are real (kernels, parameters, the cache, the publishing) on a small project in a temporary
folder: two notebooks, a data folder, a library folder and an FOI file outside the data folder, so that each
kind of input can be changed without touching the real project. Each notebook writes a fresh random token,
so a test can tell an executed notebook from a reused one by its outputs. In-process runs stand in a stub
for the story pages (the real ones are tested in test_site.py); the issue-12 tests run the real command
in a subprocess (:data:`DRIVER`) and stop it for real.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import time
import types
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import write_foi

import scr_lib
from scr_lib import cli
from scr_lib.runner import execute, publish
from scr_lib.runner import run as runner
from scr_lib.problems import InputError

FOI_ROWS = [
    {"pct": "NHS Bolton", "rollout_begun": "yes", "practices_invited": "50", "practices_declined": "10"},
    {"pct": "Bristol PCT", "rollout_begun": "Y", "practices_invited": "40", "practices_declined": "15"},
]

ALPHA = '''import json, uuid
from pathlib import Path
rows = len(Path(foi_returns).read_text().splitlines()) - 1
extra = Path("../data/extra.csv").read_text().splitlines()[1]
token = uuid.uuid4().hex
if output_dir:
    (Path(output_dir) / "tables").mkdir(parents=True, exist_ok=True)
    (Path(output_dir) / "tables" / "alpha.csv").write_text(f"rows\\n{rows}\\n")
    results = {"alpha.rows": {"value": rows, "unit": "rows", "label": "FOI rows", "notebook": "01-alpha"},
               "alpha.token": {"value": token, "unit": "", "label": "token", "notebook": "01-alpha"}}
    (Path(output_dir) / "01-alpha.results.json").write_text(json.dumps({"results": results, "tables": ["alpha"]}))
print(rows, extra, token)'''

BETA = '''import json, os, time, uuid
from pathlib import Path
if os.environ.get("TOY_WAIT"):  # a test stops the run here: it says so, then waits
    Path(os.environ["TOY_WAIT"]).write_text(str(os.getpid()))  # the kernel's process
    time.sleep(60)
token = uuid.uuid4().hex
if output_dir:
    results = {"beta.views": {"value": ooh_views_per_week, "unit": "views", "label": "views", "notebook": "02-beta"},
               "beta.token": {"value": token, "unit": "", "label": "token", "notebook": "02-beta"}}
    (Path(output_dir) / "02-beta.results.json").write_text(json.dumps({"results": results, "tables": []}))
print(ooh_views_per_week, token)'''


def notebook(prose: str, parameters: str, code: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"}})
    nb.cells = [nbformat.v4.new_markdown_cell(prose, id="cell-00"),
                nbformat.v4.new_code_cell(parameters, id="cell-01", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(code, id="cell-02")]
    return nb


class Toy:
    """The small project: ``root/src`` (notebooks, data, lib, foi.csv, params.yaml) and ``root/out/toy``."""

    def __init__(self, root: Path):
        self.root, self.src = root, root / "src"
        self.out = root / "out" / "toy"
        self.params = self.src / "params.yaml"
        self.project = runner.Project(self.src / "notebooks", self.src / "data", self.src / "lib")

    def build(self):
        (self.src / "notebooks").mkdir(parents=True)
        (self.src / "data").mkdir()
        (self.src / "lib").mkdir()
        self.write_nb("01-alpha.ipynb", notebook("# Alpha\n\nCounts the rows of the FOI file.",
                                                 'foi_returns = ""\noutput_dir = ""', ALPHA))
        self.write_nb("02-beta.ipynb", notebook("# Beta\n\nReports the views a week.",
                                                'ooh_views_per_week = None\noutput_dir = ""', BETA))
        (self.src / "data" / "extra.csv").write_text("name\nfirst\n")
        (self.src / "lib" / "helper.py").write_text("def helper():\n    return 'help'\n")
        write_foi(self.src / "foi.csv", FOI_ROWS)
        self.set_params(ooh_views_per_week=1800, ooh_records_created=13000000)

    def set_params(self, **values):
        lines = ["name: toy", "foi_returns: foi.csv"] + [f"{k}: {v}" for k, v in values.items()]
        self.params.write_text("\n".join(lines) + "\n")

    def write_nb(self, name, nb):
        nbformat.write(nb, self.src / "notebooks" / name)

    def edit_cell(self, name, index, change):
        nb = nbformat.read(self.src / "notebooks" / name, as_version=4)
        nb.cells[index].source = change(nb.cells[index].source)
        self.write_nb(name, nb)

    def run(self, **options):
        said = []
        done = runner.run(self.params, self.out, echo=said.append, project=self.project, **options)
        return done, said

    def token(self, stem):
        return json.loads((self.out / f"{stem}.results.json").read_text())["results"][f"{stem[3:]}.token"]["value"]

    def tokens(self):
        return {stem: self.token(stem) for stem in ("01-alpha", "02-beta")}

    def published(self):
        return publish.published_files(self.out)


@pytest.fixture(scope="module")
def site_stub():
    """Stand in for the story pages: list the executed notebooks' prose; count the calls."""
    calls = []

    def render(run_dir, params, previous=None):
        calls.append(run_dir)
        site = Path(run_dir) / "site"
        site.mkdir(parents=True, exist_ok=True)
        prose = []
        for path in sorted((Path(run_dir) / "notebooks").glob("*.ipynb")):
            nb = json.loads(path.read_text())
            prose += ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
        (site / "index.html").write_text("\n".join(prose))
        return site

    stub = types.ModuleType("scr_lib.site")
    stub.render, stub.calls = render, calls
    patch = pytest.MonkeyPatch()
    patch.setitem(sys.modules, "scr_lib.site", stub)
    patch.setattr(scr_lib, "site", stub, raising=False)
    yield stub
    patch.undo()


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, site_stub):
    """One cold run of the small project, kept as a snapshot that each test starts from."""
    toy = Toy(tmp_path_factory.mktemp("toy"))
    toy.build()
    done, said = toy.run()
    assert done.executed == ("01-alpha.ipynb", "02-beta.ipynb"), said
    for name in ("src", "out"):
        shutil.copytree(toy.root / name, toy.root / "snapshot" / name, symlinks=True)
    return toy


@pytest.fixture
def toy(baseline, site_stub):
    """The small project as the cold run left it (same paths, so the cache applies)."""
    for name in ("src", "out"):
        shutil.rmtree(baseline.root / name)
        shutil.copytree(baseline.root / "snapshot" / name, baseline.root / name, symlinks=True)
    site_stub.calls.clear()
    return baseline


@pytest.mark.slow
def test_a_run_with_nothing_changed_writes_nothing(toy, site_stub):
    before = {p: p.stat().st_mtime_ns for p in toy.out.rglob("*")}
    tokens = toy.tokens()
    done, said = toy.run()
    assert done.up_to_date and done.executed == () and done.reused == ("01-alpha.ipynb", "02-beta.ipynb")
    assert said[0].startswith("up to date")
    assert {p: p.stat().st_mtime_ns for p in toy.out.rglob("*")} == before
    assert toy.tokens() == tokens and site_stub.calls == []


def _cell(index, text):
    return lambda toy: toy.edit_cell("01-alpha.ipynb", index, lambda s: s + text)


CHANGES = {
    # the whole data/ tree is an input of every notebook (they read reference files there directly)
    "a data cell under data/": (lambda t: t.src.joinpath("data", "extra.csv").write_text("name\nsecond\n"),
                                ("01-alpha.ipynb", "02-beta.ipynb")),
    "a cell of the file a param points at": (
        lambda t: write_foi(t.src / "foi.csv", [{**FOI_ROWS[0], "practices_declined": "11"}, FOI_ROWS[1]]),
        ("01-alpha.ipynb",)),
    "a params value one notebook declares": (lambda t: t.set_params(ooh_views_per_week=2000,
                                                                    ooh_records_created=13000000),
                                             ("02-beta.ipynb",)),
    "a params value no notebook declares": (lambda t: t.set_params(ooh_views_per_week=1800,
                                                                   ooh_records_created=14000000), ()),
    "a line of the library": (lambda t: t.src.joinpath("lib", "helper.py").write_text("def helper():\n    "
                                                                                      "return 'more help'\n"),
                              ("01-alpha.ipynb", "02-beta.ipynb")),
    "a code cell": (lambda t: t.edit_cell("02-beta.ipynb", 2, lambda s: s + "\nprint('again')"),
                    ("02-beta.ipynb",)),
    "a markdown cell": (_cell(0, "\n\nA sentence added."), ()),
    "the parameters cell's comment": (_cell(1, "  # where results go"), ("01-alpha.ipynb",)),
    "a file nothing reads, outside the inputs": (lambda t: t.src.joinpath("notes.txt").write_text("hello"), ()),
}


@pytest.mark.slow
@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_change_reruns_exactly_the_notebooks_that_depend_on_it(toy, change):
    apply, expected = CHANGES[change]
    tokens = toy.tokens()
    apply(toy)
    done, said = toy.run()
    assert done.executed == expected, said
    assert set(done.reused) == {"01-alpha.ipynb", "02-beta.ipynb"} - set(expected)
    new = toy.tokens()
    for stem in tokens:  # the outputs prove it: a fresh token where it ran, the old one where it did not
        assert (new[stem] != tokens[stem]) == (f"{stem}.ipynb" in expected), stem
    assert toy.run()[0].up_to_date  # and the run after it has nothing to do


@pytest.mark.slow
def test_an_foi_file_under_data_reruns_only_the_notebooks_that_take_it(toy):
    """The bundled FOI file lives in data/: changing it re-runs the notebooks that declare foi_returns (their
    keys cover its bytes), not every notebook; any other file under data/ still re-runs them all."""
    write_foi(toy.src / "data" / "foi.csv", FOI_ROWS)
    toy.params.write_text("name: toy\nfoi_returns: data/foi.csv\nooh_views_per_week: 1800\n"
                          "ooh_records_created: 13000000\n")
    assert toy.run()[0].executed == ("01-alpha.ipynb",)  # its foi_returns param changed
    write_foi(toy.src / "data" / "foi.csv", [{**FOI_ROWS[0], "practices_declined": "11"}, FOI_ROWS[1]])
    done, said = toy.run()
    assert done.executed == ("01-alpha.ipynb",), said
    assert "the files its params point at changed" in "\n".join(said)
    toy.src.joinpath("data", "extra.csv").write_text("name\nsecond\n")
    assert toy.run()[0].executed == ("01-alpha.ipynb", "02-beta.ipynb")


@pytest.mark.slow
def test_changed_prose_reaches_the_executed_copy_and_the_pages_without_executing(toy, site_stub):
    tokens = toy.tokens()
    _cell(0, "\n\nA sentence added.")(toy)
    done, said = toy.run()
    assert done.executed == () and not done.up_to_date
    assert any("prose changed" in line for line in said)
    nb = nbformat.read(toy.out / "notebooks" / "01-alpha.ipynb", as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].source.endswith("A sentence added.")
    assert [c.metadata.get("tags") for c in nb.cells if c.cell_type == "code"][:2] == [["parameters"],
                                                                                       ["injected-parameters"]]
    printed = nb.cells[-1].outputs[0]["text"]
    assert tokens["01-alpha"] in printed and toy.tokens() == tokens
    assert "A sentence added." in (toy.out / "site" / "index.html").read_text() and len(site_stub.calls) == 1


@pytest.mark.slow
def test_a_parameter_is_injected_after_the_parameters_cell(toy):
    nb = nbformat.read(toy.out / "notebooks" / "02-beta.ipynb", as_version=4)
    injected = nb.cells[2]
    assert injected.metadata["tags"] == ["injected-parameters"]
    assert "ooh_views_per_week = 1800" in injected.source and "output_dir = " in injected.source
    assert json.loads((toy.out / "results.json").read_text())["beta.views"]["value"] == 1800


@pytest.mark.slow
def test_force_executes_every_notebook(toy):
    tokens = toy.tokens()
    done, said = toy.run(force=True)
    assert done.executed == ("01-alpha.ipynb", "02-beta.ipynb")
    assert all("--force" in line for line in said if "to run" in line)
    assert all(toy.tokens()[stem] != tokens[stem] for stem in tokens)


@pytest.mark.slow
def test_a_new_notebook_is_the_only_one_executed_and_a_removed_one_leaves_the_run(toy):
    toy.write_nb("03-gamma.ipynb", notebook("# Gamma", 'output_dir = ""', "print('gamma')"))
    assert toy.run()[0].executed == ("03-gamma.ipynb",)
    assert (toy.out / "notebooks" / "03-gamma.ipynb").is_file()
    (toy.src / "notebooks" / "02-beta.ipynb").unlink()
    assert toy.run()[0].executed == () and not (toy.out / "notebooks" / "02-beta.ipynb").exists()
    assert "beta.views" not in json.loads((toy.out / "results.json").read_text())


@pytest.mark.slow
def test_a_failed_notebook_is_named_and_publishes_nothing(toy):
    published = toy.published()
    CHANGES["a cell of the file a param points at"][0](toy)  # 01 must run again, and will succeed
    toy.edit_cell("02-beta.ipynb", 2, lambda s: s + "\nraise ValueError('no views')")
    with pytest.raises(runner.RunError, match=r"02-beta\.ipynb failed in cell \d+ .*ValueError: no views"):
        toy.run()
    assert toy.published() == published and siblings(toy) == ["toy"]


@pytest.mark.slow
def test_an_invalid_foi_file_is_refused_before_any_notebook_code_runs(toy):
    published = toy.published()
    (toy.src / "foi.csv").write_text("pct,practices_invited\nNHS Bolton,lots\n")
    said = []
    with pytest.raises(InputError):
        runner.run(toy.params, toy.out, echo=said.append, project=toy.project)
    assert not any(line.split()[0] in ("running", "done", "FAILED") for line in said)
    assert toy.published() == published


@pytest.mark.slow
@pytest.mark.skipif(execute.cores() < 2, reason="needs two cores to run two notebooks at once")
def test_notebooks_run_in_parallel_up_to_the_jobs_asked(toy):
    _, one_at_a_time = toy.run(force=True, jobs=1)
    events = [line.split()[:2] for line in one_at_a_time if line.split()[0] in ("running", "done")]
    assert events == [["running", "01-alpha.ipynb"], ["done", "01-alpha.ipynb"],
                      ["running", "02-beta.ipynb"], ["done", "02-beta.ipynb"]]
    _, together = toy.run(force=True, jobs=2)
    events = [line.split()[:2] for line in together if line.split()[0] in ("running", "done")]
    assert events[:2] == [["running", "01-alpha.ipynb"], ["running", "02-beta.ipynb"]]
    assert any("2 at a time" in line for line in together)


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="kernels talk over local sockets on POSIX systems only")
def test_kernels_never_lose_their_ports_to_each_other_or_another_program(toy, monkeypatch):
    """A TCP port found free can be taken before the kernel binds it, by a kernel starting beside it or any
    other program, and the kernel dies with "Address already in use" (seen in a full test run). Forced
    here: every kernel is handed the same ports, and another program holds them throughout."""
    import socket

    import jupyter_client.connect as connect
    held = [socket.socket() for _ in range(5)]
    for sock in held:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
    ports = dict(zip(("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"),
                     [sock.getsockname()[1] for sock in held]))
    real = connect.write_connection_file
    monkeypatch.setattr(connect, "write_connection_file", lambda fname=None, **kw: real(fname, **{**kw, **ports}))
    try:
        done, said = toy.run(force=True, jobs=2)
    finally:
        for sock in held:
            sock.close()
    assert done.executed == ("01-alpha.ipynb", "02-beta.ipynb"), said
    assert any("2 at a time" in line for line in said)


def test_the_default_project_is_this_one():
    project = runner.Project()
    assert project.library == Path(scr_lib.__file__).parent
    assert project.notebooks == Path(scr_lib.paths.NOTEBOOKS) and project.data == Path(scr_lib.paths.DATA)


@pytest.mark.parametrize("args, force, jobs, previous", [
    ([], False, None, None), (["--force"], True, None, None), (["--force", "-j", "1"], True, 1, None),
    (["--jobs", "3"], False, 3, None), (["--previous", "build/then"], False, None, Path("build/then"))])
def test_the_command_passes_force_jobs_and_previous(monkeypatch, tmp_path, args, force, jobs, previous):
    seen = {}

    def fake_run(params, out, echo, force, jobs, previous):
        seen.update(force=force, jobs=jobs, previous=previous)
        echo("  running    01-x.ipynb")
        return runner.Run(tmp_path, tmp_path / "results.json", tmp_path / "site", [])

    monkeypatch.setattr(runner, "run", fake_run)
    result = CliRunner().invoke(cli.cli, ["run", "params.yaml", *args])
    assert result.exit_code == 0, result.output
    assert seen == {"force": force, "jobs": jobs, "previous": previous} and "running    01-x.ipynb" in result.output


def test_jobs_must_be_positive():
    result = CliRunner().invoke(cli.cli, ["run", "params.yaml", "--jobs", "0"])
    assert result.exit_code == 2 and "--jobs" in result.output


@pytest.mark.slow
def test_data_that_changes_while_a_notebook_runs_is_not_published(toy):
    published = toy.published()
    toy.edit_cell("02-beta.ipynb", 2, lambda s: s + "\nPath('../data/extra.csv').write_text('name\\nmoved\\n')")
    with pytest.raises(runner.RunError, match="inputs changed while the notebooks ran"):
        toy.run()
    assert toy.published() == published


def test_a_file_that_is_not_a_notebook_is_named(tmp_path, site_stub):
    toy = Toy(tmp_path)
    toy.build()
    (toy.src / "notebooks" / "03-broken.ipynb").write_text("{not json")
    with pytest.raises(runner.RunError, match="03-broken.ipynb is not a notebook file"):
        toy.run()


@pytest.mark.slow
def test_what_a_kernel_writes_as_it_exits_is_published(toy):
    """A file its notebook left open is flushed when the kernel exits, after the last cell."""
    toy.write_nb("03-late.ipynb", notebook("# Late", 'output_dir = ""',
                                           "from pathlib import Path\nleft_open = open(Path(output_dir) / "
                                           "'late.txt', 'w')\nleft_open.write('flushed at exit')"))
    done, said = toy.run()
    assert done.executed == ("03-late.ipynb",)
    assert (toy.out / "late.txt").read_text() == "flushed at exit"
    assert toy.run()[0].up_to_date


@pytest.mark.slow
def test_a_run_can_be_started_from_a_notebook(toy):
    """JupyterLab runs cells inside an event loop; run() then executes the notebooks from a thread."""
    import asyncio
    import threading

    async def from_a_cell():
        return toy.run(force=True)[0]

    # a thread of its own, so the test does not depend on whether pytest's thread already has a loop
    done = {}
    worker = threading.Thread(target=lambda: done.setdefault("run", asyncio.run(from_a_cell())))
    worker.start()
    worker.join()
    assert done["run"].executed == ("01-alpha.ipynb", "02-beta.ipynb")


# --- A folder edited after its run is refused (issue 23) ----------------------------------------------

EDITS = {"results.json": lambda out: out / "results.json",
         "a cache part": lambda out: next((out / ".cache" / "parts").glob("02-beta-*")) / "02-beta.results.json",
         "a table": lambda out: out / "tables" / "alpha.csv"}


@pytest.mark.slow
@pytest.mark.parametrize("what", EDITS)
def test_a_folder_edited_after_its_run_is_refused_by_run_claims_and_draft(toy, what, tmp_path):
    edited = EDITS[what](toy.out)
    edited.write_text(edited.read_text().replace("1", "7") + " ")
    shown = publish.shown(toy.out, str(edited.resolve().relative_to(toy.out.resolve())))
    with pytest.raises(runner.RunError, match=f"^{re.escape(shown)} was changed after the run that wrote it: run `scr "
                                              "run .* --force` to rebuild"):
        toy.run()
    draft = tmp_path / "draft.md"
    draft.write_text("One in four practices declined.\n")
    for args in (["claims", str(toy.out)], ["draft", str(draft), str(toy.out)]):
        result = CliRunner().invoke(cli.cli, args)
        assert result.exit_code == 1 and result.output.count("\n") == 1, result.output
        assert result.output.startswith(f"error: {shown} was changed after the run") and "--force" in result.output
    assert toy.run(force=True)[0].executed == ("01-alpha.ipynb", "02-beta.ipynb")  # what it says to do works
    assert CliRunner().invoke(cli.cli, ["claims", str(toy.out)]).output.count("\n") > 1


@pytest.mark.slow
def test_a_file_added_to_the_folder_is_an_edit_too(toy):
    (toy.out / "tables" / "mine.csv").write_text("a\n1\n")
    with pytest.raises(runner.RunError, match="tables/mine.csv was added after the run"):
        toy.run()


# --- Issue 12: the folder is the run's own; nothing but a finished run is ever published -----------------

def siblings(toy) -> list[str]:
    """What lies beside the output, but the run folder it links to: after a run, only the output itself."""
    return sorted(p.name for p in toy.out.parent.iterdir() if p != toy.out.resolve() or p == toy.out)


# `scr run` as a user runs it (scr_lib.cli.main), in a process of its own, on the small project (its paths
# stand in for the project's before the runner is imported). SCR_TEST_DIE_AT="name:N" kills the process
# (SIGKILL) right after the N-th publishing call of that name; SCR_TEST_ENOSPC makes publishing's record
# meet a full disk.
DRIVER = """import os, shutil, signal, sys
from pathlib import Path
from scr_lib import paths
paths.NOTEBOOKS, paths.DATA, paths.LIBRARY = (Path(sys.argv[1], n) for n in ("notebooks", "data", "lib"))
from scr_lib.runner import execute, publish
die = os.environ.get("SCR_TEST_DIE_AT", ":").split(":")
calls = []
beside = os.path.dirname(sys.argv[-1])  # the output's folder: only calls on paths in it are counted
def counted(name, real):
    def call(*args, **kwargs):
        result = real(*args, **kwargs)
        if any(str(a).startswith(beside + os.sep) for a in args):
            calls.append(name)
            if name == die[0] and calls.count(name) == int(die[1]):
                os.kill(os.getpid(), signal.SIGKILL)
        return result
    return call
for module, name in ((os, "symlink"), (os, "replace"), (os, "rename"), (shutil, "rmtree")):
    setattr(module, name, counted(name, getattr(module, name)))
if os.environ.get("SCR_TEST_ENOSPC"):
    def full(folder, body):
        raise OSError(28, "No space left on device", str(folder / ".scr-run"))
    publish.record = full
from scr_lib import cli
cli.main(sys.argv[2:-1])
"""


def scr(toy, *args, env=None, wait=True):
    """`scr run PARAMS --out OUT [args]` on the small project, as a process: its result, or (wait=False) it."""
    command = [sys.executable, "-c", DRIVER, str(toy.src), "run", str(toy.params), "--out", str(toy.out), *args,
               str(toy.out)]
    start = subprocess.run if wait else subprocess.Popen
    return start(command, cwd=scr_lib.paths.PROJ_ROOT, env={**os.environ, **(env or {})}, text=True,
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_a_folder_with_files_the_run_did_not_make_is_refused_and_kept(toy):
    for kind in ("folder", "link"):
        toy.out.unlink() if toy.out.is_symlink() else shutil.rmtree(toy.out)
        if kind == "folder":
            toy.out.mkdir()
            (toy.out / "thesis.docx").write_text("years of work")
        else:  # a link to someone's folder, beside it
            (toy.out.parent / "mine").mkdir()
            (toy.out.parent / "mine" / "thesis.docx").write_text("years of work")
            toy.out.symlink_to("mine")
        done = scr(toy)
        assert done.returncode == 2 and "did not make" in done.stderr and done.stderr.count("\n") == 1
        assert [p.name for p in toy.out.iterdir()] == ["thesis.docx"]


@pytest.mark.slow
def test_an_empty_folder_and_a_folder_of_the_previous_version_are_taken(toy):
    toy.out.unlink()
    toy.out.mkdir()
    done, _ = toy.run()
    assert done.executed == ("01-alpha.ipynb", "02-beta.ipynb") and toy.out.is_symlink()
    target = toy.out.resolve()
    toy.out.unlink()
    shutil.copytree(target, toy.out)  # a real folder with its mark, as the previous version left it
    (toy.out / publish.MARK).write_text("This folder is written by `scr run`\n")
    assert toy.run()[0].executed == ("01-alpha.ipynb", "02-beta.ipynb") and siblings(toy) == ["toy"]


@pytest.mark.slow
def test_a_second_run_into_the_same_folder_is_refused_while_the_first_holds_it(toy, tmp_path):
    published = toy.published()
    first = scr(toy, "--force", env={"TOY_WAIT": str(tmp_path / "waiting")}, wait=False)
    try:
        _wait_for(tmp_path / "waiting")
        second = scr(toy, "--force")
        assert second.returncode == 2 and "another `scr run` is writing into" in second.stderr
        assert toy.published() == published
    finally:
        first.kill()
        first.wait()


def _wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.parametrize("signal_name, code", [("SIGINT", 130), ("SIGTERM", 143), ("SIGKILL", -9)])
def test_a_run_stopped_while_notebooks_run_publishes_nothing(toy, tmp_path, signal_name, code):
    """Ctrl-C (SIGINT), `kill` (SIGTERM) and `kill -9`, sent while a notebook runs: the previous output is
    as it was; Ctrl-C and `kill` also stop the kernels and leave nothing beside it, and the next run
    removes what `kill -9` left."""
    import signal

    published = toy.published()
    running = scr(toy, "--force", env={"TOY_WAIT": str(tmp_path / "waiting")}, wait=False)
    _wait_for(tmp_path / "waiting")
    running.send_signal(getattr(signal, signal_name))
    _, stderr = running.communicate(timeout=60)
    assert running.returncode == code, stderr
    assert toy.published() == published and publish.edited(toy.out) is None
    if code > 0:
        assert stderr.splitlines()[-1].endswith("nothing was published; any previous output is as it was")
        assert siblings(toy) == ["toy"]
    assert toy.run()[0].up_to_date and siblings(toy) == ["toy"]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc to read a process's signal mask")
def test_a_kernel_blocks_neither_ctrl_c_nor_sigterm(toy, tmp_path):
    """Jupyter interrupts a kernel with SIGINT and asks a stuck one to stop with SIGTERM: a kernel that
    blocked them (as kernels started from a thread that held them did) could only be killed."""
    import signal

    running = scr(toy, "--force", env={"TOY_WAIT": str(tmp_path / "waiting")}, wait=False)
    try:
        _wait_for(tmp_path / "waiting")
        while not (kernel := (tmp_path / "waiting").read_text()):
            time.sleep(0.05)
        status = Path("/proc", kernel, "status").read_text()
        blocked = int(next(line for line in status.splitlines() if line.startswith("SigBlk:")).split()[1], 16)
        assert [s.name for s in (signal.SIGINT, signal.SIGTERM) if blocked >> (s - 1) & 1] == []
    finally:
        running.kill()
        running.communicate()


@pytest.mark.slow
@pytest.mark.parametrize("die_at", ["symlink:1", "replace:1", "rmtree:1"])
def test_a_run_killed_at_any_step_of_publishing_leaves_the_old_run_or_the_new(toy, die_at):
    """SIGKILL right after each publishing step: the output is the old run or the new one, whole and as
    recorded; the next run removes what the killed one left."""
    old = toy.published()
    CHANGES["a params value one notebook declares"][0](toy)
    done = scr(toy, env={"SCR_TEST_DIE_AT": die_at})
    assert done.returncode == -9, done.stderr
    assert publish.edited(toy.out) is None
    assert (toy.published() == old) == (die_at == "symlink:1")
    assert toy.run()[0].up_to_date or die_at == "symlink:1"
    toy.run()
    assert siblings(toy) == ["toy"]


@pytest.mark.slow
def test_a_run_killed_while_moving_a_real_folder_aside_is_put_back(toy):
    """A real folder at the output (an older version's) is moved aside before the link takes its place:
    killed between the two, the next run puts it back first."""
    target = toy.out.resolve()
    toy.out.unlink()
    shutil.copytree(target, toy.out)
    old = toy.published()
    CHANGES["a params value one notebook declares"][0](toy)
    done = scr(toy, env={"SCR_TEST_DIE_AT": "rename:1"})
    assert done.returncode == -9 and not os.path.lexists(toy.out)
    toy.set_params(ooh_views_per_week=1800, ooh_records_created=13000000)  # the values of the old run
    assert toy.run()[0].up_to_date and toy.published() == old and siblings(toy) == ["toy"]


@pytest.mark.slow
def test_a_full_disk_is_a_message_and_publishes_nothing(toy):
    published = toy.published()
    CHANGES["a markdown cell"][0](toy)
    done = scr(toy, env={"SCR_TEST_ENOSPC": "1"})
    assert done.returncode == 1 and done.stderr.splitlines()[-1].startswith("error: no space left on the disk")
    assert toy.published() == published and siblings(toy) == ["toy"]


@pytest.mark.slow
def test_folders_stranded_by_killed_runs_are_removed_by_the_next_run(toy):
    for name in (".toy.run-abcd1234", ".toy.tmp-x_9", ".toy.old-4242"):
        (toy.out.parent / name).mkdir()
        (toy.out.parent / name / "half.json").write_text("{")
    (toy.out.parent / ".toy.link-abcd1234").symlink_to(".toy.run-abcd1234")
    (toy.out.parent / "toy.tmp-keep").mkdir()  # not ours: no leading dot
    toy.run(force=True)
    assert siblings(toy) == ["toy", "toy.tmp-keep"]


def test_ctrl_c_as_the_worker_thread_starts_still_waits_for_it(monkeypatch, tmp_path):
    """A process's Ctrl-C goes to any thread that does not block it (pandas' numerical library starts
    some), and Python then raises it in the main thread wherever that is: inside ``Thread.start``, before the
    pool records its worker, the run returned while the worker went on, and nbclient printed a traceback at
    exit for a kernel stopped as it started (CI, 2026-12-07). The run must still wait for its worker."""
    import asyncio
    import signal
    import threading

    finished = []

    async def notebooks(*args):
        await asyncio.sleep(0.5)
        finished.append(True)

    monkeypatch.setattr(execute, "_all", notebooks)
    bystander = threading.Thread(target=threading.Event().wait, args=(10,), daemon=True)  # takes the signal
    bystander.start()
    start = threading.Thread.start

    def start_then_ctrl_c(thread):
        start(thread)
        signal.pthread_kill(bystander.ident, signal.SIGINT)
        time.sleep(0.2)  # the main thread handles it here, before the pool has recorded its worker

    monkeypatch.setattr(threading.Thread, "start", start_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        execute.execute_all([], tmp_path, tmp_path, 1, print)
    assert finished == [True]


def test_a_second_ctrl_c_while_the_run_stops_waits_until_it_has_stopped(monkeypatch, tmp_path):
    """A second Ctrl-C while the kernels were being stopped cut the stop short: nbclient's exit hook of a
    kernel stopped as it started was left behind and printed a traceback at exit (2 runs in 16 of
    `scr run` with two Ctrl-C as the kernels started)."""
    import asyncio
    import signal
    import threading

    main, finished, hooks = threading.main_thread().ident, [], []
    exit_hooks = types.SimpleNamespace(register=hooks.append, unregister=lambda hook: hooks.remove(hook))
    client = types.SimpleNamespace(km=None, _cleanup_kernel=lambda: None)  # its kernel stopped as it started

    async def notebooks(steps, parts, cwd, jobs, echo, clients, stop):
        clients.append(client)
        exit_hooks.register(client._cleanup_kernel)  # as nbclient does, and leaves behind
        signal.pthread_kill(main, signal.SIGINT)
        await asyncio.sleep(0.3)  # the kernels take a while to stop
        signal.pthread_kill(main, signal.SIGINT)
        await asyncio.sleep(0.3)
        finished.append(True)

    monkeypatch.setattr(execute, "_all", notebooks)
    monkeypatch.setattr(execute, "atexit", exit_hooks)
    with pytest.raises(KeyboardInterrupt):
        execute.execute_all([], tmp_path, tmp_path, 1, print)
    assert finished == [True] and hooks == []


# --- The runner stays small enough to read (issue 20) --------------------------------------------------

def test_the_runner_is_at_most_600_lines_and_no_function_over_50():
    runner_files = sorted(Path(runner.__file__).parent.glob("*.py"))
    assert sum(len(p.read_text(encoding="utf-8").splitlines()) for p in runner_files) <= 600
    long = [f"{p.name}:{node.name} ({node.end_lineno - node.lineno + 1} lines)" for p in runner_files
            for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 50]
    assert long == []


def test_nothing_in_scr_lib_edits_sys_modules_or_calls_c():
    """No module stubs (in the runner or, through its exec_lines, in kernels) and no ctypes."""
    found = [f"{p.relative_to(scr_lib.paths.LIBRARY)}:{n}" for p in Path(scr_lib.paths.LIBRARY).rglob("*.py")
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if "sys.modules" in line or "ctypes" in line]
    assert found == []
