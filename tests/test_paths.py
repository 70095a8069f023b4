"""Paths: the one way a path is shown."""

from pathlib import Path

from scr_lib import paths


def test_a_message_shows_a_path_from_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.display(tmp_path / "a" / "b.csv") == str(Path("a") / "b.csv")
    assert paths.display("/elsewhere/b.csv") == "/elsewhere/b.csv"


def test_a_page_shows_a_path_from_the_project_or_only_its_name():
    assert paths.display(paths.CLAIMS, paths.PROJ_ROOT) == "data/pulse_2010/claims.csv"
    assert paths.display("/home/someone/secret/foi.csv", paths.PROJ_ROOT) == "foi.csv"
