"""The command line a journalist uses on new FOI data: `scr check`, `scr run` refusing bad data, `scr claims`."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from scr_lib import paths
from scr_lib.story import claims
from scr_lib.cli import cli
from scr_lib.runner.run import notebooks

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = {m["file"]: m for m in csv.DictReader(open(CORPUS / "manifest.csv", encoding="utf-8", newline=""))}
LINE = re.compile(r"^(?P<file>.+?):(?P<row>\d+):(?P<column>[^:]*): (?P<message>.+)$")
SECOND = paths.PARAMS / "followup_2011.yaml"


@pytest.fixture(autouse=True)
def in_project(monkeypatch):
    """Commands run from the project root, as the docs show them (paths print relative to it)."""
    monkeypatch.chdir(paths.PROJ_ROOT)


def invoke(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def tree_hash(*folders: Path) -> dict[str, str]:
    """Path -> sha256 of every file under ``folders``: the state a run must leave as it was."""
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.rglob("*")) if p.is_file()}


def params_for(tmp_path: Path, foi_path: Path, sheet: str = "") -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(f"name: mine\nfoi_returns: {foi_path}\nfoi_sheet: {json.dumps(sheet)}\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------------
# scr check

def test_check_a_good_file_prints_only_the_summary_and_exits_0():
    result = invoke("check", CORPUS / "good" / "returns_cp1252.csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "tests/corpus/good/returns_cp1252.csv: CSV, Windows-1252; header in row 1; 5 answers in rows 2-6; "
        "13 columns used; no problems"]


# a cell, a header and the whole file: where each file's problem lies is test_foi's (the corpus)
@pytest.mark.parametrize("name", ["count_footnote.csv", "missing_column.csv", "empty.csv"])
def test_check_prints_file_row_column_message_then_the_summary_and_exits_1(name):
    case = MANIFEST[name]
    args = ["check", CORPUS / "bad" / name] + (["--sheet", case["sheet"]] if case["sheet"] else [])
    result = invoke(*args)
    assert result.exit_code == 1
    *problems, summary = result.stdout.splitlines()
    assert len(problems) == 1
    found = LINE.match(problems[0])
    assert found, problems[0]
    assert Path(found["file"]).name == name
    assert (int(found["row"]), found["column"]) == (int(case["row"]), case["column"])
    assert case["message"] in found["message"]
    assert summary.endswith("1 problem") and not LINE.match(summary)


def test_check_reads_a_named_sheet():
    path = CORPUS / "good" / "returns_second_sheet.xlsx"
    assert invoke("check", path).exit_code == 1  # the first sheet is a cover note
    result = invoke("check", path, "--sheet", "Returns")
    assert result.exit_code == 0 and "XLSX, sheet 'Returns'" in result.stdout


def test_check_on_a_params_file_checks_its_foi_file_and_sheet():
    result = invoke("check", SECOND)
    assert result.exit_code == 0
    assert "foi_followup_2011.xlsx: XLSX, sheet 'Returns'; header in row 4" in result.stdout


def test_check_on_a_bad_params_file_names_the_key(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: x\nfoi_returns: gone.csv\n", encoding="utf-8")
    result = invoke("check", path)
    assert result.exit_code == 1 and ":2:foi_returns: 'foi_returns' points at 'gone.csv'" in result.stdout


# ---------------------------------------------------------------------------------------------
# scr run refuses invalid data with the same messages, and writes nothing

@pytest.mark.parametrize("name", ["declined_more_than_invited.csv", "mixed_encodings.csv", "xlsx_unknown_sheet.xlsx",
                                  "xlsx_named_sheet_yes_no.xlsx", "pct_ambiguous.csv"])
def test_run_refuses_invalid_data_with_checks_messages_and_writes_nothing(tmp_path, name):
    case = MANIFEST[name]
    foi_path = CORPUS / "bad" / name
    params = params_for(tmp_path, foi_path, case["sheet"])
    before = tree_hash(CORPUS, paths.DATA) | tree_hash(tmp_path)
    out = tmp_path / "out"
    result = invoke("run", params, "--out", out)
    assert result.exit_code == 1
    checked = invoke("check", params)
    problems = checked.stdout.splitlines()[:-1]  # the same lines as check prints, bar its summary
    # exactly the problems: no notebook is announced or started for data that will be refused
    assert problems and result.stderr.splitlines() == problems
    assert result.stdout == ""
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["params.yaml"]  # no half-written run left behind
    assert tree_hash(CORPUS, paths.DATA) | tree_hash(tmp_path) == before


def test_run_refuses_a_bad_params_file_naming_the_key(tmp_path):
    params = tmp_path / "p.yaml"
    params.write_text("name: mine\nfoi_returns: foi.csv\nooh_views_per_wek: 2\n", encoding="utf-8")
    result = invoke("run", params, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert ":2:foi_returns: 'foi_returns' points at 'foi.csv'" in result.stderr
    assert ":3:ooh_views_per_wek: unknown key 'ooh_views_per_wek'; did you mean 'ooh_views_per_week'?" in result.stderr
    assert not (tmp_path / "out").exists()


def test_run_will_not_write_under_data(tmp_path, monkeypatch):
    """Tried on a stand-in data/ folder, so that a missing guard cannot harm the real one."""
    from scr_lib import paths as project_paths

    data = tmp_path / "data"
    data.mkdir()
    (data / "foi.csv").write_bytes((CORPUS / "good" / "returns_canonical.csv").read_bytes())
    monkeypatch.setattr(project_paths, "DATA", data)
    params = params_for(tmp_path, data / "foi.csv")
    before = tree_hash(tmp_path)
    result = invoke("run", params, "--out", data / "my_run")
    assert result.exit_code == 2
    assert "error: refusing to write the run into" in result.stderr and "nothing is written under data/" in result.stderr
    assert tree_hash(tmp_path) == before and sorted(p.name for p in data.iterdir()) == ["foi.csv"]


def test_run_will_not_replace_the_folder_that_holds_its_inputs(tmp_path):
    (tmp_path / "foi.csv").write_bytes((CORPUS / "good" / "returns_canonical.csv").read_bytes())
    params = params_for(tmp_path, tmp_path / "foi.csv")
    before = tree_hash(tmp_path)
    result = invoke("run", params, "--out", tmp_path)
    assert result.exit_code == 2 and "it holds an input" in result.stderr
    assert tree_hash(tmp_path) == before and sorted(p.name for p in tmp_path.iterdir()) == ["foi.csv", "params.yaml"]


def test_run_refuses_a_named_sheet_that_a_notebook_cannot_be_told(tmp_path, monkeypatch):
    """A notebook that takes foi_returns but not foi_sheet would read the first sheet: refused up front."""
    import nbformat

    from scr_lib.runner import run as runner

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell('foi_returns = ""\noutput_dir = ""')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    (tmp_path / "nb").mkdir()
    nbformat.write(nb, tmp_path / "nb" / "01-stand-in.ipynb")
    from scr_lib.runner import plan

    monkeypatch.setattr(plan, "notebooks", lambda folder=None: [tmp_path / "nb" / "01-stand-in.ipynb"])
    params = params_for(tmp_path, CORPUS / "good" / "returns_second_sheet.xlsx", "Returns")
    result = invoke("run", params, "--out", tmp_path / "out")
    assert result.exit_code == 1 and "01-stand-in.ipynb reads foi_returns but takes no foi_sheet" in result.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------------------------
# scr claims

def fake_run(tmp_path: Path, values: dict) -> Path:
    (tmp_path / "results.json").write_text(json.dumps({k: {"value": v} for k, v in values.items()}), encoding="utf-8")
    return tmp_path


def published_refusal() -> dict:
    keys = ["refusal.practices_invited", "refusal.practices_declined", "refusal.areas_complete",
            "refusal.areas_answered"]
    values = {k: claims.published(k) for k in keys}
    values["refusal.share"] = values["refusal.practices_declined"] / values["refusal.practices_invited"]
    return values


def test_claims_prints_each_claim_as_published_and_in_this_run_in_the_articles_words(tmp_path):
    values = published_refusal()
    values["refusal.share"] = 0.26  # one in four
    result = invoke("claims", fake_run(tmp_path, values))
    assert result.exit_code == 0  # claims moved, and that is not an error
    text = result.stdout
    assert '"one in six has refused to do so"' in text
    assert re.search(r"does not hold\s+\"one in six has refused to do so\"\n\s+as published: one in six; "
                     r"this run: one in four\n", text)
    assert re.search(r"holds\s+\"1,732 practices have been invited to participate\"\n\s+as published: 1,732; "
                     r"this run: 1,732 practices invited", text)
    assert "not computed" in text  # spend and ooh were not in this run
    assert text.rstrip().splitlines()[-1].startswith(f"{len(claims.load_claims())} published figures: ")


def test_claims_exits_0_when_every_claim_holds(tmp_path):
    result = invoke("claims", fake_run(tmp_path, published_refusal()))
    assert result.exit_code == 0 and "does not hold" not in result.stdout
    assert "this run: one in six" in result.stdout


def test_claims_without_a_run_says_so_and_exits_1(tmp_path):
    result = invoke("claims", tmp_path)
    assert result.exit_code == 1 and "no readable results.json" in result.stderr


def test_every_command_has_help_with_an_example():
    for command in ("run", "check", "claims"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "Example:" in result.stdout


# ---------------------------------------------------------------------------------------------
# The second example, end to end: every notebook, run by papermill through `scr run`

@pytest.fixture(scope="module")
def second_run(tmp_path_factory, story_run):
    out = tmp_path_factory.mktemp("second") / "followup_2011"
    before = tree_hash(paths.DATA, paths.PARAMS)
    done = subprocess.run([sys.executable, "-m", "scr_lib.cli", "run", str(SECOND), "--out", str(out),
                           "--previous", str(story_run)],
                          capture_output=True, text=True, cwd=paths.PROJ_ROOT)
    after = tree_hash(paths.DATA, paths.PARAMS)
    return out, done, before, after


@pytest.mark.slow
def test_every_notebook_runs_on_the_second_example(second_run):
    out, done, _, _ = second_run
    assert done.returncode == 0, done.stderr[-3000:]
    executed = sorted(p.name for p in (out / "notebooks").glob("*.ipynb"))
    assert executed == [p.name for p in notebooks()] and executed
    assert (out / "results.json").is_file() and (out / "site" / "index.html").is_file()


@pytest.mark.slow
def test_the_second_example_run_modifies_nothing_under_data_or_params(second_run):
    _, done, before, after = second_run
    assert done.returncode == 0
    assert after == before


@pytest.mark.slow
def test_the_second_example_moves_the_headline_and_claims_shows_it(second_run):
    out, done, _, _ = second_run
    assert done.returncode == 0
    result = invoke("claims", out)
    assert result.exit_code == 0
    assert re.search(r"does not hold\s+\"one in six has refused to do so\"\n\s+as published: one in six; "
                     r"this run: one in four", result.stdout)


@pytest.mark.slow
def test_the_worked_example_in_the_docs_matches_a_real_run(second_run):
    """Every line of the docs' `scr claims` excerpt is in the real output (bar its ... elision)."""
    out, done, _, _ = second_run
    assert done.returncode == 0
    text = (paths.PROJ_ROOT / "docs" / "rerunning.md").read_text(encoding="utf-8")
    excerpt = re.search(r"```text\n\$ \.venv/bin/scr claims build/followup_2011\n(.*?)```", text, re.S).group(1)
    output = invoke("claims", out).stdout.replace(str(out / "results.json"), "build/followup_2011/results.json")
    for line in excerpt.splitlines():
        if line.strip() and line.strip() != "...":
            assert line in output.splitlines(), line


def test_the_worked_example_check_output_in_the_docs_is_what_check_prints():
    text = (paths.PROJ_ROOT / "docs" / "rerunning.md").read_text(encoding="utf-8")
    for command, shown in re.findall(r"```text\n\$ \.venv/bin/(scr check [^\n]+)\n(.*?)```", text, re.S):
        args = command.split()[1:]
        result = invoke(*args)
        assert result.stdout.strip() == shown.strip(), command


# ---------------------------------------------------------------------------------------------
# scr run writes only into a folder of its own (issue 12)

@pytest.fixture
def outside_params(tmp_path):
    """A params file outside the project, naming a good FOI file beside it."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "foi.csv").write_bytes((CORPUS / "good" / "returns_canonical.csv").read_bytes())
    return params_for(folder, folder / "foi.csv")


@pytest.fixture
def nothing_written(monkeypatch):
    """Fail loudly, before anything is written, should a refused folder get past the checks."""
    from scr_lib.runner import run as runner

    def reached(*args, **kwargs):
        raise AssertionError("the run went on to take the folder")

    monkeypatch.setattr(runner.publish, "lock", reached)


FORBIDDEN = {
    "the project root": lambda tmp: paths.PROJ_ROOT,
    "notebooks/": lambda tmp: paths.NOTEBOOKS,
    "a folder under notebooks/": lambda tmp: paths.NOTEBOOKS / "out",
    "scr_lib/": lambda tmp: paths.PROJ_ROOT / "scr_lib",
    "params/": lambda tmp: paths.PARAMS,
    "data/": lambda tmp: paths.DATA,
    ".git": lambda tmp: paths.PROJ_ROOT / ".git",
    "the home folder": lambda tmp: Path.home(),
    "a folder above the home folder": lambda tmp: Path.home().parent,
    "/": lambda tmp: Path("/"),
    "the project's parent": lambda tmp: paths.PROJ_ROOT.parent,
    "the params file's folder": lambda tmp: tmp / "mine",
    "an ancestor of the params file": lambda tmp: tmp,
    ". (the project) with a params file outside it": lambda tmp: Path("."),
}


@pytest.mark.parametrize("where", FORBIDDEN, ids=list(FORBIDDEN))
def test_run_refuses_to_write_over_the_project_home_or_its_inputs(tmp_path, outside_params, nothing_written, where):
    out = FORBIDDEN[where](tmp_path)
    if where == ".git" and not out.is_dir():
        pytest.skip(".git is a file in a git worktree (click refuses a file as --out)")
    before = tree_hash(tmp_path)
    result = invoke("run", outside_params, "--out", out)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: refusing to write the run into"), lines
    assert tree_hash(tmp_path) == before


def documents_with(name):
    def make(tmp):
        (tmp / "Documents").mkdir()
        (tmp / "Documents" / name).write_text("years of work")
    return make


@pytest.mark.parametrize("make, out, fragment", [
    (documents_with("cv.docx"), "Documents", "did not make"),
    (documents_with(".hidden"), "Documents", "did not make"),
    (lambda tmp: (tmp / "afile").write_text("x"), "afile/story", "afile is a file"),
    (lambda tmp: (tmp / "afile").write_text("x"), "afile/deeper/story", "afile is a file"),
], ids=["a-folder-with-files", "a-folder-with-a-dotfile", "under-a-file", "two-under-a-file"])
def test_run_refuses_a_folder_it_did_not_make_and_a_path_under_a_file(tmp_path, outside_params, make, out, fragment):
    make(tmp_path)
    before = tree_hash(tmp_path)
    names = sorted(p.name for p in tmp_path.iterdir())
    result = invoke("run", outside_params, "--out", tmp_path / out)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and fragment in lines[0], lines
    assert tree_hash(tmp_path) == before and sorted(p.name for p in tmp_path.iterdir()) == names


def test_run_refuses_a_folder_it_cannot_write_into(tmp_path, outside_params, monkeypatch):
    import errno
    import os

    real = os.mkdir

    def refused(path, *args, **kwargs):
        if str(path).startswith(str(tmp_path / "locked")):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", refused)
    result = invoke("run", outside_params, "--out", tmp_path / "locked" / "story")
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [f"error: cannot write the run into {tmp_path / 'locked' / 'story'}: "
                                          f"Permission denied ({tmp_path / 'locked'}); choose a folder you can "
                                          "write to"]


def test_ctrl_c_is_a_message_and_exit_130(monkeypatch):
    from scr_lib.runner import run as runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "run", interrupted)
    result = invoke("run", paths.DEFAULT_PARAMS)
    assert result.exit_code == 130
    assert result.stderr.splitlines() == ["interrupted: nothing was published; any previous output is as it was"]


# ---------------------------------------------------------------------------------------------
# The docs show commands that work on a fresh clone (issue 12)

DOCS = [paths.PROJ_ROOT / "README.md", *sorted((paths.PROJ_ROOT / "docs").glob("*.md"))]


def doc_commands(text: str) -> list[str]:
    """Command lines in a Markdown text: every line of ```sh blocks, and ``$ `` lines of ```text blocks."""
    found = []
    for kind, body in re.findall(r"```(\w*)\n(.*?)```", text, re.S):
        for line in body.splitlines():
            line = line.split(" #", 1)[0].strip()
            if kind == "text":
                if not line.startswith("$ "):
                    continue
                line = line[2:]
            if line and not line.startswith("#") and kind in ("sh", "text", "bash", ""):
                found.append(line)
    return found


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", (paths.PROJ_ROOT / "Makefile").read_text(encoding="utf-8"), re.M))


@pytest.mark.parametrize("doc", DOCS, ids=[d.name for d in DOCS])
def test_every_command_the_docs_show_exists_and_runs_from_a_fresh_clone(doc):
    text = doc.read_text(encoding="utf-8")
    commands = doc_commands(text)
    inline = re.findall(r"`((?:make|\.venv/bin/scr) [^`]+)`", text)
    assert commands or inline, f"{doc.name} shows no command"
    for command in commands:
        assert command.split()[0] in ("make", ".venv/bin/scr", "source"), (
            f"{doc.name}: `{command}` would not run on a fresh clone (scr is in .venv/bin/, not on PATH)")
    for command in commands + inline:
        words = command.split()
        if words[0] == "make":
            assert set(words[1:]) <= make_targets(), f"{doc.name}: `{command}` names no Makefile target"
        elif words[0] == ".venv/bin/scr":
            assert words[1] in cli.commands, f"{doc.name}: `{command}` names no scr command"


def test_doc_commands_are_found_in_sh_and_text_blocks():
    text = "```sh\nscr run x  # note\nmake story\n```\n\n```text\n$ .venv/bin/scr check f\noutput line\n```\n"
    assert doc_commands(text) == ["scr run x", "make story", ".venv/bin/scr check f"]
