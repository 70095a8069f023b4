"""`scr run` re-executes exactly the notebooks whose inputs changed, in parallel, and atomically.

The runs here are real (kernels, papermill parameters, the cache, the atomic
swap) on a small project in a temporary folder: two notebooks, a data folder,
a library folder and an FOI file outside the data folder, so that each kind
of input can be changed without touching the real project. Each notebook
writes a fresh random token, so a test can tell an executed notebook from a
reused one by its outputs, not only by what the run reports.
The story pages are stood in for by a stub renderer (the real one is tested
with the real notebooks in test_site.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest
from click.testing import CliRunner
from conftest import write_foi

import scr_lib
from scr_lib import cli
from scr_lib.runner import cache
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

BETA = '''import json, uuid
from pathlib import Path
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
        return cache.published_files(self.out)


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
        shutil.copytree(toy.root / name, toy.root / "snapshot" / name)
    return toy


@pytest.fixture
def toy(baseline, site_stub):
    """The small project as the cold run left it (same paths, so the cache applies)."""
    for name in ("src", "out"):
        shutil.rmtree(baseline.root / name)
        shutil.copytree(baseline.root / "snapshot" / name, baseline.root / name)
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
    assert toy.run()[0].up_to_date


@pytest.mark.slow
def test_a_second_run_after_a_change_has_nothing_to_do(toy):
    CHANGES["a params value one notebook declares"][0](toy)
    assert toy.run()[0].executed == ("02-beta.ipynb",)
    assert toy.run()[0].up_to_date


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
def test_a_new_notebook_is_the_only_one_executed(toy):
    toy.write_nb("03-gamma.ipynb", notebook("# Gamma", 'output_dir = ""', "print('gamma')"))
    done, _ = toy.run()
    assert done.executed == ("03-gamma.ipynb",)
    assert (toy.out / "notebooks" / "03-gamma.ipynb").is_file()


@pytest.mark.slow
def test_a_removed_notebook_leaves_the_published_run(toy):
    (toy.src / "notebooks" / "02-beta.ipynb").unlink()
    done, _ = toy.run()
    assert done.executed == () and not (toy.out / "notebooks" / "02-beta.ipynb").exists()
    assert not (toy.out / "02-beta.results.json").exists()
    assert "beta.views" not in json.loads((toy.out / "results.json").read_text())


@pytest.mark.slow
def test_a_failed_run_leaves_the_previous_output_intact(toy):
    published = toy.published()
    CHANGES["a cell of the file a param points at"][0](toy)  # 01 must run again, and will succeed
    toy.edit_cell("02-beta.ipynb", 2, lambda s: s + "\nraise ValueError('no views')")
    with pytest.raises(runner.RunError, match=r"02-beta\.ipynb failed in cell \d+ .*ValueError: no views"):
        toy.run()
    assert toy.published() == published
    assert [p.name for p in toy.out.parent.iterdir()] == ["toy"]  # no temporary folder left behind


@pytest.mark.slow
def test_notebooks_that_succeeded_in_a_failed_run_are_not_executed_again(toy):
    CHANGES["a cell of the file a param points at"][0](toy)
    toy.edit_cell("02-beta.ipynb", 2, lambda s: s + "\nraise ValueError('no views')")
    said = []
    with pytest.raises(runner.RunError):
        runner.run(toy.params, toy.out, echo=said.append, project=toy.project)
    assert any(line.split()[:2] == ["done", "01-alpha.ipynb"] for line in said)
    assert any(line.split()[:3] == ["FAILED", "02-beta.ipynb", "failed"] for line in said)
    toy.edit_cell("02-beta.ipynb", 2, lambda s: s.replace("\nraise ValueError('no views')", ""))
    done, _ = toy.run()
    assert done.executed == ()  # 01 comes from the failed run's cache, 02 from the one before
    assert json.loads((toy.out / "results.json").read_text())["alpha.rows"]["value"] == 2


@pytest.mark.slow
def test_an_invalid_foi_file_is_refused_before_any_notebook_code_runs(toy):
    published = toy.published()
    (toy.src / "foi.csv").write_text("pct,practices_invited\nNHS Bolton,lots\n")
    said = []
    with pytest.raises(InputError):
        runner.run(toy.params, toy.out, echo=said.append, project=toy.project)
    assert not any(line.split()[0] in ("done", "FAILED") for line in said)
    assert toy.published() == published


@pytest.mark.slow
def test_a_damaged_cache_is_not_trusted(toy):
    part = next((toy.out / ".cache" / "parts").glob("02-beta-*"))
    (part / "02-beta.results.json").write_text("{}")
    done, _ = toy.run(force=False)
    # the published files still match, so the run is up to date; the damaged part is not reused later
    assert done.up_to_date
    CHANGES["a params value no notebook declares"][0](toy)
    assert toy.run()[0].executed == ("02-beta.ipynb",)


@pytest.mark.slow
def test_an_edited_published_file_is_put_back_without_executing(toy):
    results = (toy.out / "results.json").read_text()
    (toy.out / "results.json").write_text("{}")
    done, _ = toy.run()
    assert not done.up_to_date and done.executed == ()
    assert (toy.out / "results.json").read_text() == results


@pytest.mark.slow
@pytest.mark.skipif(runner.cores() < 2, reason="needs two cores to run two notebooks at once")
def test_notebooks_run_in_parallel_up_to_the_jobs_asked(toy):
    _, one_at_a_time = toy.run(force=True, jobs=1)
    events = [line.split()[:2] for line in one_at_a_time if line.split()[0] in ("running", "done")]
    assert events == [["running", "01-alpha.ipynb"], ["done", "01-alpha.ipynb"],
                      ["running", "02-beta.ipynb"], ["done", "02-beta.ipynb"]]
    _, together = toy.run(force=True, jobs=2)
    events = [line.split()[:2] for line in together if line.split()[0] in ("running", "done")]
    assert events[:2] == [["running", "01-alpha.ipynb"], ["running", "02-beta.ipynb"]]
    assert any("2 at a time" in line for line in together)


@pytest.mark.parametrize("asked, expected", [(None, "cores"), (1, 1), (10_000, "cores")])
def test_jobs_are_bounded_by_the_cores(asked, expected):
    assert runner._jobs(asked) == (runner.cores() if expected == "cores" else expected)


@pytest.mark.slow
def test_the_no_op_path_imports_no_heavy_library(toy):
    script = (f"import sys\nfrom scr_lib.runner import run\n"
              f"done = run.run({str(toy.params)!r}, {str(toy.out)!r}, echo=lambda m: None, project=run.Project("
              f"{str(toy.project.notebooks)!r}, {str(toy.project.data)!r}, {str(toy.project.library)!r}))\n"
              "assert done.up_to_date\n"
              "print(sorted(m for m in ('pandas', 'nbformat', 'nbclient', 'papermill', 'altair', 'nbconvert')"
              " if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_default_project_is_this_one():
    project = runner.Project()
    assert project.library == Path(scr_lib.__file__).parent
    assert project.notebooks == Path(scr_lib.paths.NOTEBOOKS) and project.data == Path(scr_lib.paths.DATA)


@pytest.mark.parametrize("args, force, jobs", [([], False, None), (["--force"], True, None),
                                               (["--force", "-j", "1"], True, 1), (["--jobs", "3"], False, 3)])
def test_the_command_passes_force_and_jobs(monkeypatch, tmp_path, args, force, jobs):
    seen = {}

    def fake_run(params, out, echo, force, jobs):
        seen.update(force=force, jobs=jobs)
        echo("  running    01-x.ipynb")
        return runner.Run(tmp_path, tmp_path / "results.json", tmp_path / "site", [])

    monkeypatch.setattr(runner, "run", fake_run)
    result = CliRunner().invoke(cli.cli, ["run", "params.yaml", *args])
    assert result.exit_code == 0, result.output
    assert seen == {"force": force, "jobs": jobs} and "running    01-x.ipynb" in result.output


def test_the_command_names_the_notebook_that_failed(monkeypatch):
    def fake_run(params, out, echo, force, jobs):
        echo("  FAILED     02-spend.ipynb failed in cell 3 (`x = 1/0`): ZeroDivisionError: division by zero")
        raise runner.RunError("02-spend.ipynb failed in cell 3 (`x = 1/0`): ZeroDivisionError: division by zero")

    monkeypatch.setattr(runner, "run", fake_run)
    result = CliRunner().invoke(cli.cli, ["run", "params.yaml"])
    assert result.exit_code == 1 and "FAILED     02-spend.ipynb failed in cell 3" in result.output
    assert "error: 02-spend.ipynb failed in cell 3" in result.output


def test_jobs_must_be_positive():
    result = CliRunner().invoke(cli.cli, ["run", "params.yaml", "--jobs", "0"])
    assert result.exit_code == 2 and "--jobs" in result.output


@pytest.mark.slow
def test_data_that_changes_while_a_notebook_runs_is_neither_published_nor_cached(toy):
    published = toy.published()
    toy.edit_cell("02-beta.ipynb", 2, lambda s: s + "\nPath('../data/extra.csv').write_text('name\\nmoved\\n')")
    with pytest.raises(runner.RunError, match="data changed while the notebooks ran"):
        toy.run()
    assert toy.published() == published
    assert not [p for p in (toy.out / ".cache" / "parts").iterdir() if p.name not in
                {json.loads((toy.out / ".cache" / "manifest.json").read_text())["parts"][n] for n in
                 ("01-alpha.ipynb", "02-beta.ipynb")}]


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
    assert any("its kernel wrote files as it exited" in line for line in said)
    assert toy.run()[0].up_to_date


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads a process's start time from /proc")
def test_the_next_notebooks_kernel_boots_while_the_one_before_runs(toy):
    """With one notebook at a time, the second notebook's kernel process is started before the first notebook
    ends (its kernel boots meanwhile), and each notebook still runs in a kernel of its own."""
    # both times in seconds since boot: the kernel process's start (/proc, in clock ticks) and now
    record = ("import os, time\nfrom pathlib import Path\n"
              "ticks = int(Path('/proc/self/stat').read_text().rsplit(')', 1)[1].split()[19])\n"
              "started = ticks / os.sysconf('SC_CLK_TCK')\n"
              "(Path(output_dir) / '{name}.txt').write_text(f'{{started}} {{time.clock_gettime(time.CLOCK_BOOTTIME)}} "
              "{{os.getpid()}}')")
    for name in ("first", "second"):
        toy.write_nb(f"0{3 if name == 'first' else 4}-{name}.ipynb",
                     notebook(f"# {name}", 'output_dir = ""', record.format(name=name)))
    done, said = toy.run(jobs=1)
    assert done.executed == ("03-first.ipynb", "04-second.ipynb"), said
    first_started, first_ended, first_pid = (toy.out / "first.txt").read_text().split()
    second_started, _, second_pid = (toy.out / "second.txt").read_text().split()
    assert first_pid != second_pid
    assert float(second_started) < float(first_ended)


@pytest.mark.slow
def test_the_kernels_skip_the_iri_grammar_that_no_schema_uses(toy):
    """jsonschema, imported by Altair in a notebook, finds rfc3987_syntax missing in a run's kernel (it builds
    some thirty parsers as it loads, seconds per kernel), and its other format checks are all there."""
    toy.write_nb("03-schema.ipynb", notebook("# Schema", 'output_dir = ""',
                                             "import sys, jsonschema\nfrom pathlib import Path\n"
                                             "checks = jsonschema.FormatChecker.checkers\n"
                                             "(Path(output_dir) / 'formats.txt').write_text(repr(["
                                             "sys.modules.get('rfc3987_syntax', 'absent'), 'iri' in checks, "
                                             "'uri' in checks, 'date' in checks]))"))
    done, said = toy.run()
    assert done.executed == ("03-schema.ipynb",), said
    assert (toy.out / "formats.txt").read_text() == "[None, False, True, True]"


def test_a_module_is_missing_only_inside_without(monkeypatch):
    """The runner's own process imports nbformat without rfc3987_syntax; anything imported later is unaffected."""
    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    with runner._without(("colorsys",)):
        with pytest.raises(ImportError):
            import colorsys  # noqa: F401
    import colorsys

    assert colorsys.rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)


def test_the_runner_imports_nbformat_without_the_iri_grammar():
    """In a fresh process: after the runner's imports, jsonschema has no "iri" check (rfc3987_syntax was
    skipped) and rfc3987_syntax itself still imports."""
    script = ("import sys\nfrom scr_lib.runner import run\nrun._prepare()\nimport jsonschema\n"
              "skipped = 'iri' not in jsonschema.FormatChecker.checkers\nimport rfc3987_syntax\n"
              "print(skipped, rfc3987_syntax is not None)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


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


# --- The output folder is the run's own; publishing survives kills, Ctrl-C, a full disk (issue 12) -----

def siblings(toy) -> list[str]:
    """What lies beside the output folder: only the output folder itself, after any finished run."""
    return sorted(p.name for p in toy.out.parent.iterdir())


@pytest.mark.slow
def test_a_run_marks_its_folder_as_its_own(toy):
    assert (toy.out / runner.MARK).is_file()
    assert siblings(toy) == ["toy"]


@pytest.mark.slow
def test_a_folder_with_files_the_run_did_not_make_is_refused_and_kept(toy):
    shutil.rmtree(toy.out)
    toy.out.mkdir()
    (toy.out / "thesis.docx").write_text("years of work")
    with pytest.raises(runner.UsageError, match="did not make"):
        toy.run()
    assert sorted(p.name for p in toy.out.iterdir()) == ["thesis.docx"] and siblings(toy) == ["toy"]


@pytest.mark.slow
def test_an_empty_folder_is_taken_and_marked(toy):
    shutil.rmtree(toy.out)
    toy.out.mkdir()
    done, _ = toy.run()
    assert done.executed == ("01-alpha.ipynb", "02-beta.ipynb") and (toy.out / runner.MARK).is_file()


@pytest.mark.slow
def test_a_folder_of_the_previous_version_is_recognised_by_its_layout_and_marked(toy):
    (toy.out / runner.MARK).unlink()  # as the previous version left it: results.json, site/, .cache/
    done, _ = toy.run()
    assert done.executed == () and not done.up_to_date and (toy.out / runner.MARK).is_file()


@pytest.mark.slow
def test_a_folder_of_the_previous_layout_holding_anything_else_is_refused(toy):
    (toy.out / runner.MARK).unlink()
    (toy.out / "notes.txt").write_text("mine")
    with pytest.raises(runner.UsageError, match="did not make"):
        toy.run()
    assert (toy.out / "notes.txt").read_text() == "mine"


@pytest.mark.slow
def test_a_second_run_into_the_same_folder_is_refused_while_the_first_holds_it(toy):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(toy.out)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(runner.UsageError, match="another `scr run` is writing into"):
            toy.run(force=True)
    finally:
        holder.kill()
        holder.wait()
    assert toy.run(force=True)[0].executed == ("01-alpha.ipynb", "02-beta.ipynb")
    assert siblings(toy) == ["toy"]


HOLD_LOCK = """import sys, time
from pathlib import Path
from scr_lib.runner import run
with run._lock(Path(sys.argv[1])):
    print("holding", flush=True)
    time.sleep(60)
"""


@pytest.mark.slow
def test_folders_stranded_by_killed_runs_are_removed_by_the_next_run(toy):
    for name in (".toy.tmp-abcd1234", ".toy.tmp-x_9", ".toy.old-4242", ".toy.lock"):
        (toy.out.parent / name).mkdir() if ".lock" not in name else (toy.out.parent / name).write_text("")
        (toy.out.parent / name / "half.json").write_text("{") if ".lock" not in name else None
    (toy.out.parent / "toy.tmp-keep").mkdir()  # not ours: no leading dot
    toy.run(force=True)
    assert siblings(toy) == ["toy", "toy.tmp-keep"]


# The swap, killed for real (SIGKILL, no clean-up) after each step: the published folder holds the old
# run or the new one, never a mix, and the next run recovers and leaves nothing behind.
KILL_AT = """import os, shutil, signal, sys
from pathlib import Path
from scr_lib.runner import run
work, out, step, exchange = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "exchange"
steps = [0]
def after(real):
    def step_then_maybe_die(*args, **kwargs):
        result = real(*args, **kwargs)
        steps[0] += 1
        if steps[0] == step:
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    return step_then_maybe_die
run._exchange = after(run._exchange) if exchange else (lambda a, b: False)
os.rename = after(os.rename)
shutil.rmtree = after(shutil.rmtree)
run._swap_into_place(work, out)
print("finished", steps[0])
"""


@pytest.mark.slow
@pytest.mark.parametrize("how, step", [("exchange", 1), ("exchange", 2), ("rename", 1), ("rename", 2),
                                       ("rename", 3)])
def test_publishing_killed_between_any_two_steps_is_recovered_by_the_next_run(toy, how, step):
    old = toy.published()
    work = toy.out.parent / ".toy.tmp-killtest"
    shutil.copytree(toy.out, work)
    (work / "results.json").write_text('{"new": true}')
    new = cache.published_files(work)
    done = subprocess.run([sys.executable, "-c", KILL_AT, str(work), str(toy.out), str(step), how],
                          capture_output=True, text=True, cwd=scr_lib.paths.PROJ_ROOT)
    assert done.returncode == -9 and "finished" not in done.stdout, done.stderr
    if how == "exchange" or step != 1:  # an atomic exchange: a reader sees the old run or the new one
        assert toy.published() in (old, new)
    else:  # two renames, killed between them: the folder is gone until the next run puts it back
        assert not toy.out.exists()
    done, _ = toy.run()
    assert done.executed == () and toy.published() == old  # the new copy was never recorded as published
    assert siblings(toy) == ["toy"]
    assert toy.run()[0].up_to_date


@pytest.mark.slow
def test_a_full_disk_is_a_message_and_publishes_nothing(toy, monkeypatch):
    import errno

    published = toy.published()
    CHANGES["a markdown cell"][0](toy)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(toy.out.parent / ".toy.tmp-x" / "results.json"))

    monkeypatch.setattr(cache, "save_manifest", full)
    with pytest.raises(runner.RunError, match="no space left on the disk"):
        toy.run()
    assert toy.published() == published and siblings(toy) == ["toy"]


@pytest.mark.slow
def test_ctrl_c_during_a_run_publishes_nothing_and_leaves_nothing(toy, monkeypatch):
    published = toy.published()
    CHANGES["a markdown cell"][0](toy)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "_assemble", interrupted)
    with pytest.raises(KeyboardInterrupt):
        toy.run()
    assert toy.published() == published and siblings(toy) == ["toy"]


COUNT_PARSES = """import os
if os.environ.get("SCR_COUNT_PARSES"):
    from scr_lib.inputs import foi

    _read_cells = foi.read_cells

    def _counted(*args, **kwargs):
        with open(os.environ["SCR_COUNT_PARSES"], "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\\n")
        return _read_cells(*args, **kwargs)

    foi.read_cells = _counted
"""


@pytest.mark.slow
def test_a_run_parses_the_raw_foi_file_once(tmp_path):
    """The run validates the FOI file up front and its notebooks reuse that: one parse of the raw file in
    every process of a cold `scr run` together (the run and each kernel, counted by a sitecustomize hook)."""
    from scr_lib import paths

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(COUNT_PARSES, encoding="utf-8")
    log = tmp_path / "parses.log"
    env = {**os.environ, "PYTHONPATH": str(hook), "SCR_COUNT_PARSES": str(log)}
    done = subprocess.run([sys.executable, "-m", "scr_lib.cli", "run", str(paths.DEFAULT_PARAMS), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, cwd=paths.PROJ_ROOT, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1
    assert "foi_checked" in (tmp_path / "out" / "notebooks" / "01-refusal-share.ipynb").read_text(encoding="utf-8")
