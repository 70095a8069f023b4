"""A run's round: round, as_at and previous_run in params, and `scr run --previous`."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from scr_lib import paths
from scr_lib.cli import cli
from scr_lib.findings import load_params
from scr_lib.inputs import rounds
from scr_lib.problems import InputError


@pytest.mark.parametrize("value, words, iso", [
    ("2011-03-31", "31 March 2011", "2011-03-31"),
    (dt.date(2011, 3, 1), "1 March 2011", "2011-03-01"),
    ("2010-04", "April 2010", "2010-04"),
    (2010, "2010", "2010"),
])
def test_as_at_is_written_as_a_newspaper_writes_a_date(value, words, iso):
    as_at = rounds.AsAt.parse(value)
    assert (as_at.words, as_at.iso) == (words, iso)


@pytest.mark.parametrize("value", ["31/03/2011", "March 2011", "2011-02-30", "2011-13", "soon"])
def test_as_at_that_is_not_an_iso_date_is_refused(value):
    with pytest.raises(rounds.RoundError, match="as_at"):
        rounds.AsAt.parse(value)


def test_a_bad_as_at_in_a_params_file_names_the_file_line_and_key(tmp_path):
    (tmp_path / "foi.csv").write_text("pct\n", encoding="utf-8")
    params = tmp_path / "run.yaml"
    params.write_text("name: mine\nfoi_returns: foi.csv\nround: 2011\nas_at: 31/03/2011\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_params(params)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (4, "as_at")


def test_round_and_as_at_are_read_as_text_whatever_yaml_makes_of_them(tmp_path):
    (tmp_path / "foi.csv").write_text("pct\n", encoding="utf-8")
    params = tmp_path / "run.yaml"
    params.write_text("name: mine\nfoi_returns: foi.csv\nround: 2011\nas_at: 2011-03-31\n", encoding="utf-8")
    values = load_params(params).values
    assert (values["round"], values["as_at"]) == ("2011", "2011-03-31")
    json.dumps(values)  # the run's cache key is made from them


def test_previous_run_is_taken_from_the_params_files_folder_and_the_option_from_the_working_folder(tmp_path):
    values = {"round": "2011", "as_at": "2011-03-31", "previous_run": "../build/then"}
    assert rounds.of(values, tmp_path / "params").previous == (tmp_path / "build" / "then").resolve()
    assert rounds.of(values, tmp_path / "params", previous="elsewhere").previous == \
        (paths.Path.cwd() / "elsewhere").resolve()
    assert rounds.of({}, tmp_path).previous is None


def test_the_bundled_params_declare_their_rounds():
    then = load_params(paths.PARAMS / "pulse_2010.yaml").values
    now = load_params(paths.PARAMS / "followup_2011.yaml").values
    assert then["round"] and then["as_at"] and then["previous_run"] is None
    assert now["round"] != then["round"] and now["as_at"] > then["as_at"]
    assert rounds.of(now, paths.PARAMS).previous == (paths.BUILD / then["name"]).resolve()


@pytest.mark.parametrize("make, why", [
    (lambda tmp: tmp / "missing", "does not exist"),
    (lambda tmp: (tmp / "file.txt").write_text("x") and tmp / "file.txt", "is a file"),
    (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", "not a run folder"),
])
def test_scr_run_refuses_a_previous_that_is_not_a_run_folder_in_one_line(tmp_path, make, why):
    previous = make(tmp_path)
    done = CliRunner().invoke(cli, ["run", str(paths.PARAMS / "pulse_2010.yaml"), "--out", str(tmp_path / "out"),
                                    "--previous", str(previous)])
    assert done.exit_code == 2, done.output
    assert why in done.output and len(done.output.strip().splitlines()) == 1
    assert "Traceback" not in done.output and not (tmp_path / "out").exists()


def test_scr_run_refuses_a_previous_run_in_the_params_file_that_is_missing(tmp_path):
    (tmp_path / "foi.csv").write_text("pct\n", encoding="utf-8")
    params = tmp_path / "run.yaml"
    params.write_text("name: mine\nfoi_returns: foi.csv\nprevious_run: nowhere\n", encoding="utf-8")
    done = CliRunner().invoke(cli, ["run", str(params), "--out", str(tmp_path / "out")])
    assert done.exit_code == 1
    assert "previous_run" in done.output and "does not exist" in done.output
    assert len(done.output.strip().splitlines()) == 1


def test_scr_run_refuses_its_own_output_folder_as_previous(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / rounds.RUN_MARK).write_text("{}")
    done = CliRunner().invoke(cli, ["run", str(paths.PARAMS / "pulse_2010.yaml"), "--out", str(out),
                                    "--previous", str(out)])
    assert done.exit_code == 2 and "own output folder" in done.output
