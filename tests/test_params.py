"""Params files: defaults, and errors that name the key and its line."""

import pytest

from scr_lib import paths
from scr_lib.findings import KNOBS, load_params
from scr_lib.problems import InputError


@pytest.fixture
def params_file(tmp_path):
    """``params_file(text)`` writes a params file beside a small FOI file (foi.csv) and returns its path."""
    (tmp_path / "foi.csv").write_text("pct,rollout_begun,practices_invited,practices_declined\n", encoding="utf-8")

    def make(text):
        path = tmp_path / "run.yaml"
        path.write_text(text, encoding="utf-8")
        return path
    return make


def problems(path):
    with pytest.raises(InputError) as err:
        load_params(path)
    return [(p.row, p.column, p.message) for p in err.value.problems]


def test_the_bundled_params_files_load():
    for path in sorted(paths.PARAMS.glob("*.yaml")):
        params = load_params(path)
        assert params.name == path.stem
        assert set(params.values) == set(KNOBS)


def test_defaults_fill_in_and_paths_are_taken_from_the_params_files_folder(params_file, tmp_path):
    params = load_params(params_file("name: mine\nfoi_returns: foi.csv\n"))
    assert params.values["foi_returns"] == str(tmp_path / "foi.csv")
    assert params.values["foi_sheet"] == "" and params.values["ooh_views_per_week"] is None


def test_null_means_the_default(params_file):
    assert load_params(params_file("name: mine\nfoi_returns: foi.csv\nfoi_sheet: null\n")).values["foi_sheet"] == ""


@pytest.mark.parametrize("text, row, key, fragment", [
    ("name: mine\nfoi_returns: foi.csv\nfoi_retruns: x.csv\n", 3, "foi_retruns",
     "unknown key 'foi_retruns'; did you mean 'foi_returns'?"),
    ("name: mine\n", 0, "foi_returns", "missing required key 'foi_returns'"),
    ("foi_returns: foi.csv\n", 0, "name", "missing required key 'name'"),
    ("name: mine\nfoi_returns: nowhere.csv\n", 2, "foi_returns", "'foi_returns' points at 'nowhere.csv', which does "
                                                               "not exist"),
    ("name: mine\nfoi_returns: .\n", 2, "foi_returns", "which is a folder"),
    ("name: mine\nfoi_returns: foi.csv\n\nooh_views_per_week: lots\n", 4, "ooh_views_per_week",
     "expected int or float for 'ooh_views_per_week', found 'lots'"),
    ("name: mine\nfoi_returns: foi.csv\nooh_records_created: 13.5\n", 3, "ooh_records_created", "expected int"),
    ("name: mine\nfoi_returns: foi.csv\nooh_records_created: true\n", 3, "ooh_records_created", "found True"),
    ("name: mine\nfoi_returns: foi.csv\nfoi_sheet: 3\n", 3, "foi_sheet", "expected str"),
    ("name: 2011\nfoi_returns: foi.csv\n", 1, "name", "expected str for 'name'"),
    ("name: ../elsewhere\nfoi_returns: foi.csv\n", 1, "name", "expected a plain folder name"),
    ("name: mine\nfoi_returns: foi.csv\nname: yours\n", 3, "name", "'name' is given twice (also line 1)"),
])
def test_each_bad_key_is_named_with_its_line(params_file, text, row, key, fragment):
    found = problems(params_file(text))
    assert len(found) == 1, found
    assert found[0][:2] == (row, key)
    assert fragment in found[0][2]


def test_every_bad_key_is_reported_at_once(params_file):
    found = problems(params_file("name: mine\nfoi_returns: gone.csv\nextra: 1\nooh_views_per_week: x\n"))
    assert [(row, key) for row, key, _ in found] == [(2, "foi_returns"), (3, "extra"), (4, "ooh_views_per_week")]


@pytest.mark.parametrize("text, row, fragment", [
    ("name: [unclosed\n", 2, "not valid YAML"),
    ("- name\n- foi_returns\n", 1, "expected a mapping"),
    ("", 1, "expected a mapping"),
])
def test_a_file_that_is_not_a_mapping_is_refused(params_file, text, row, fragment):
    found = problems(params_file(text))
    assert len(found) == 1 and found[0][0] == row and fragment in found[0][2]


def test_a_missing_params_file_is_a_problem(tmp_path):
    assert problems(tmp_path / "none.yaml") == [(0, "", "no such params file")]


def test_the_problem_prints_as_file_row_key(params_file):
    with pytest.raises(InputError) as err:
        load_params(params_file("name: mine\nfoi_returns: foi.csv\nfoi_retruns: x\n"))
    assert str(err.value).split(":", 1)[1].startswith("3:foi_retruns: unknown key")


def test_every_knob_is_documented():
    text = (paths.PROJ_ROOT / "docs" / "rerunning.md").read_text(encoding="utf-8")
    assert all(f"`{key}`" in text for key in KNOBS)


# --- Hostile and careless params files (issue 12) -----------------------------------------------

def laughs(levels: int = 9) -> str:
    """A 'billion laughs' params file: each anchor repeats the one before nine times (9**levels items)."""
    lines = ["name: mine", "foi_returns: foi.csv", "foi_sheet:", '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", '
                                                                '"lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("text, row, fragment", [
    (laughs(), 4, "anchors and aliases"),
    ("name: mine\nfoi_returns: foi.csv\nfoi_sheet: &s Returns\nname: *s\n", 3, "anchors and aliases"),
    ("name: mine\nfoi_returns: foi.csv\nfoi_sheet: " + "[" * 5000 + "]" * 5000 + "\n", 3, "nested"),
    ("name: mine\nfoi_returns: foi.csv\nfoi_sheet: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", 3, "nested"),
    ("name: mine\n# " + "x" * 70_000 + "\n", 0, "too large"),
], ids=["billion-laughs", "alias", "deep-list", "deep-map", "huge"])
def test_a_params_file_that_could_exhaust_memory_or_time_is_refused(params_file, text, row, fragment):
    found = problems(params_file(text))
    assert len(found) == 1, found
    assert found[0][0] == row and fragment in found[0][2]


@pytest.mark.parametrize("key, value", [
    ("ooh_records_created", "0"), ("ooh_records_created", "-5"),
    ("ooh_views_per_week", "0"), ("ooh_views_per_week", "-1800"), ("ooh_views_per_week", ".nan"),
    ("ooh_views_per_week", ".inf"), ("ooh_calls_per_1000_per_week", "0.0"),
    ("ooh_calls_per_1000_per_week", "-.inf"), ("ooh_calls_per_1000_per_week", ".NaN"),
])
def test_a_figure_that_must_be_positive_is_refused_naming_the_key_and_line(params_file, key, value):
    found = problems(params_file(f"name: mine\nfoi_returns: foi.csv\n\n{key}: {value}\n"))
    assert len(found) == 1, found
    assert found[0][:2] == (4, key)
    assert "above 0" in found[0][2]


def test_positive_figures_are_accepted(params_file):
    params = load_params(params_file("name: mine\nfoi_returns: foi.csv\nooh_views_per_week: 0.5\n"
                                     "ooh_records_created: 1\nooh_calls_per_1000_per_week: 25\n"))
    assert params.values["ooh_views_per_week"] == 0.5


@pytest.mark.parametrize("name, fragment", [
    ("x" * 250, "at most"),
    ("a" * 101, "at most"),
    ('"a/b"', "plain folder name"),
    ('"a\\u0000b"', "plain folder name"),
    ('".hidden"', "plain folder name"),
])
def test_a_name_that_cannot_be_a_folder_name_is_refused(params_file, name, fragment):
    found = problems(params_file(f"name: {name}\nfoi_returns: foi.csv\n"))
    assert len(found) == 1 and found[0][:2] == (1, "name") and fragment in found[0][2], found


def test_a_long_value_is_shown_shortened_in_the_message(params_file):
    found = problems(params_file("name: mine\nfoi_returns: foi.csv\nooh_views_per_week: " + "x" * 5000 + "\n"))
    assert len(found[0][2]) < 300


@pytest.mark.parametrize("make", [
    lambda p: p.mkdir(),
    lambda p: p.write_bytes(b"\xff\xfe n\x00a\x00"),
], ids=["a-folder", "not-utf8"])
def test_a_params_path_that_is_not_a_readable_text_file_is_a_problem(tmp_path, make):
    path = tmp_path / "p.yaml"
    make(path)
    found = problems(path)
    assert len(found) == 1 and found[0][0] == 0


def test_the_docs_state_the_params_limits_the_code_applies():
    from scr_lib.inputs import params

    text = " ".join((paths.PROJ_ROOT / "docs" / "rerunning.md").read_text(encoding="utf-8").split())
    assert f"longer than {params.MAX_NAME} characters" in text
    assert f"over {params.MAX_BYTES // 1024} KB" in text and f"nested more than {params.MAX_DEPTH} deep" in text


@pytest.mark.parametrize("line, kept", [("published: 2026-12-07", "2026-12-07"), ('published: "2026-12-07"', "2026-12-07"),
                                        ("published: null", None)])
def test_a_dateline_date_is_kept_as_its_iso_text(params_file, line, kept):
    assert load_params(params_file(f"name: t\nfoi_returns: foi.csv\n{line}\n")).values["published"] == kept


@pytest.mark.parametrize("line, fragment", [("updated: 7 December 2026", "expected a date such as 2026-12-07"),
                                            ('published: "2026-02-30"', "expected a date such as 2026-12-07"),
                                            ("site_url: example.org", "expected an address starting https://")])
def test_a_dateline_value_that_is_not_a_date_or_address_is_refused(params_file, line, fragment):
    found = problems(params_file(f"name: t\nfoi_returns: foi.csv\n{line}\n"))
    assert len(found) == 1 and found[0][0] == 3 and fragment in found[0][2], found


def test_a_date_yaml_cannot_build_is_a_problem_not_a_crash(params_file):
    found = problems(params_file("name: t\nfoi_returns: foi.csv\npublished: 2026-02-30\n"))
    assert len(found) == 1 and "write dates as 2026-12-07" in found[0][2]


# --- Round 3 (issue 23): any value gives a message at its line, never a traceback ----------------------------

@pytest.mark.parametrize("key", ["ooh_records_created", "ooh_views_per_week", "name", "foi_sheet", "foi_returns",
                                 "no_such_key"])
@pytest.mark.parametrize("value", ["9" * 400, "-" + "9" * 400, "9" * 5000, "1e400", "0x" + "f" * 400,
                                   "[" + ", ".join(["9" * 400] * 3) + "]", "{" + "9" * 400 + ": 1}"],
                         ids=["400-digits", "negative-400-digits", "5000-digits", "1e400", "hex-400", "list",
                              "mapping"])
def test_any_value_gives_a_problem_at_its_line_and_never_an_exception(params_file, key, value):
    text = f"name: mine\nfoi_returns: foi.csv\n{key}: {value}\n" if key not in ("name", "foi_returns") else \
        ("name: mine\n" if key == "foi_returns" else "foi_returns: foi.csv\n") + f"{key}: {value}\n"
    try:
        load_params(params_file(text))
    except InputError as err:
        found = [(p.row, p.column, p.message) for p in err.problems]
        line = text.splitlines().index(f"{key}: {value}") + 1
        assert len(found) == 1 and found[0][:2] == (line, key), found
        assert len(found[0][2]) < 400
        return
    assert key in ("foi_sheet", "name") and value == "1e400"  # a sheet or run named "1e400" is a name like any other


def test_a_figure_too_large_for_any_run_is_refused(params_file):
    found = problems(params_file("name: mine\nfoi_returns: foi.csv\nooh_views_per_week: " + "9" * 400 + "\n"))
    assert found[0][:2] == (3, "ooh_views_per_week") and "a number of 400 digits" in found[0][2]


def test_a_windows_path_with_backslashes_is_read_as_the_same_path(params_file, tmp_path):
    (tmp_path / "data" / "2011").mkdir(parents=True)
    (tmp_path / "data" / "2011" / "returns.csv").write_text("x\n", encoding="utf-8")
    params = load_params(params_file("name: mine\nfoi_returns: data\\2011\\returns.csv\n"))
    assert params.values["foi_returns"] == str(tmp_path / "data" / "2011" / "returns.csv")


def test_a_windows_path_that_leads_nowhere_says_to_use_slashes(params_file):
    found = problems(params_file("name: mine\nfoi_returns: C:\\Users\\me\\returns.csv\n"))
    assert found[0][:2] == (2, "foi_returns") and "write it relative to the params file, with '/'" in found[0][2]


def test_a_sheet_named_for_a_csv_is_reported_at_the_params_line(params_file):
    found = problems(params_file("name: mine\nfoi_returns: foi.csv\n\nfoi_sheet: Returns\n"))
    assert found == [(4, "foi_sheet", "'foi_sheet' names a sheet ('Returns'), but foi_returns is a CSV file, which "
                                      "has no sheets: delete the foi_sheet line")]


def test_a_sheet_that_the_workbook_lacks_is_reported_at_the_params_line(params_file, tmp_path):
    (tmp_path / "book.xlsx").write_bytes((paths.PROJ_ROOT / "tests" / "corpus" / "good" / "returns.xlsx").read_bytes())
    found = problems(params_file("name: mine\nfoi_returns: book.xlsx\nfoi_sheet: Returns 2011\n"))
    assert found[0][:2] == (3, "foi_sheet") and "the sheets are: 'Returns'" in found[0][2]


def test_the_docs_state_the_figure_limits_the_code_applies():
    from scr_lib.inputs import params

    text = " ".join((paths.PROJ_ROOT / "docs" / "rerunning.md").read_text(encoding="utf-8").split())
    assert f"above {params.MAX_FIGURE:,}" in text and f"more than {params.MAX_DIGITS} digits" in text
