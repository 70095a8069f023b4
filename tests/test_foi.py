"""Loading FOI returns as they arrive: formats, encodings, title rows, header names, and every defect
reported at the exact row and column (the corpus in tests/corpus/)."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from scr_lib import paths
from scr_lib.inputs import foi
from tools import examples
from scr_lib.problems import InputError

from conftest import FOI_HEADER, write_foi

CORPUS = Path(__file__).parent / "corpus"
MANIFEST = list(csv.DictReader(open(CORPUS / "manifest.csv", encoding="utf-8", newline="")))
GOOD = sorted((CORPUS / "good").iterdir())
GOOD_SHEETS = {"returns_second_sheet.xlsx": "Returns"}
GOOD_OFFSETS = {"returns_title_rows.xlsx": 3, "returns_two_row_header.xlsx": 1,  # title rows push the header down
                "returns_two_row_header_blank_corner.xlsx": 1, "returns_subheadings_below.csv": 1}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------
# The malformed corpus: one defect each, reported at the exact row and column.

def test_the_corpus_has_at_least_thirty_malformed_files_all_in_the_manifest():
    listed = [m["file"] for m in MANIFEST]
    assert len(listed) == len(set(listed)) >= 30
    assert sorted(listed) == sorted(p.name for p in (CORPUS / "bad").iterdir())


@pytest.mark.parametrize("case", MANIFEST, ids=lambda m: m["file"])
def test_each_malformed_file_gives_one_problem_at_the_exact_row_and_column(case):
    path = CORPUS / "bad" / case["file"]
    with pytest.raises(InputError) as err:
        foi.load_returns(path, sheet=case["sheet"] or None)
    assert len(err.value.problems) == 1, str(err.value)
    problem = err.value.problems[0]
    assert Path(problem.file).name == case["file"]
    assert (problem.row, problem.column) == (int(case["row"]), case["column"])
    assert case["message"] in problem.message


def test_every_problem_in_a_file_is_reported_at_once(foi_file):
    path = foi_file([
        {"pct": "NHS Bolton", "rollout_begun": "maybe", "practices_invited": "12.5", "practices_declined": "3"},
        {"pct": "NHS Narnia", "rollout_begun": "yes", "practices_invited": "10", "practices_declined": "11"},
    ])
    with pytest.raises(InputError) as err:
        foi.load_returns(path)
    where = [(p.row, p.column) for p in err.value.problems]
    assert where == [(2, "rollout_begun"), (2, "practices_invited"), (3, "pct"), (3, "practices_declined")]
    assert str(err.value).splitlines()[0].endswith("2:rollout_begun: expected yes or no (or y/n, true/false), "
                                                   "found 'maybe'")


# ---------------------------------------------------------------------------------------------
# Well-formed files in every encoding and format load to the identical frame.

def load_good(path: Path) -> foi.FOIReturns:
    return foi.load_returns(path, sheet=GOOD_SHEETS.get(path.name))


def test_there_is_a_good_file_in_each_encoding_and_format():
    sources = {load_good(p).source for p in GOOD}
    assert {"CSV, UTF-8", "CSV, UTF-8 with BOM", "CSV, Windows-1252"} <= sources
    assert any(s.startswith("XLSX") for s in sources)


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
def test_every_well_formed_file_loads_to_the_identical_frame(path):
    reference = load_good(CORPUS / "good" / "returns_canonical.csv").frame
    got = load_good(path).frame
    offset = GOOD_OFFSETS.get(path.name, 0)
    assert list(got.source_row) == [r + offset for r in reference.source_row]
    pd.testing.assert_frame_equal(got.drop(columns="source_row"), reference.drop(columns="source_row"))


def test_the_good_frame_holds_what_the_answers_say():
    frame = load_good(CORPUS / "good" / "returns_cp1252.csv").frame.set_index("ods_code")
    assert frame.loc["5HQ", "spend_to_date_gbp"] == 31_000.0 and frame.loc["5HQ", "spend_expected_gbp"] == 0.0
    assert pd.isna(frame.loc["5QJ", "spend_to_date_gbp"])  # "not known": missing, never zero
    assert pd.isna(frame.loc["5QJ", "records_uploaded"])  # "not held"
    assert frame.loc["5QT", "spend_to_date_gbp"] == 9_400.5 and bool(frame.loc["5QT", "rollout_begun"])
    assert frame.loc["5QM", "records_uploaded"] == 201_400
    assert frame.loc["5H1", "notes"] == "Patients’ choice – no practices invited"  # decoded, not mangled
    assert str(frame["practices_invited"].dtype) == "Int64" and str(frame["rollout_begun"].dtype) == "boolean"


def test_the_header_names_are_kept_as_the_file_writes_them():
    returns = load_good(CORPUS / "good" / "returns_cp1252.csv")
    assert returns.header["spend_to_date_gbp"] == "Spend to date (£)"
    assert returns.header["pct_code"] == "ODS code"
    assert returns.header["practices_invited"] == "No. of practices invited"


# ---------------------------------------------------------------------------------------------
# Header names and header detection

@pytest.mark.parametrize("header, column", [
    ("pct", "pct"), ("PCT name", "pct"), ("PCT Name ", "pct"), ("pct_name", "pct"), ("ODS code", "pct_code"),
    ("ods-code", "pct_code"), ("No. of practices invited", "practices_invited"),
    ("Number of practices invited", "practices_invited"), ("NO OF PRACTICES INVITED", "practices_invited"),
    ("Practices declined", "practices_declined"), ("Spend to date (£)", "spend_to_date_gbp"),
    ("Spend to date (GBP)", "spend_to_date_gbp"), ("spend_to_date_gbp", "spend_to_date_gbp"),
    ("Roll-out begun? (Y/N)", "rollout_begun"), ("Further spend expected (£)", "spend_expected_gbp"),
    ("Comments", "notes"), ("FOI reference", "foi_ref"), ("illustrative", "illustrative"),
    ("Practices", None), ("Spend", None), ("Date received", None),
])
def test_headers_match_after_normalising_case_spaces_and_punctuation(header, column):
    assert foi.canonical_column(header) == column


def test_no_header_name_means_two_columns():
    keys = {}
    for name in foi.COLUMNS:
        for text in (name, *foi.VARIANTS[name]):
            assert keys.setdefault(foi.header_key(text), name) == name, text
    assert set(foi.VARIANTS) == set(foi.COLUMNS)


def test_title_and_notes_rows_above_the_header_are_skipped(tmp_path):
    path = tmp_path / "titled.csv"
    rows = ["FOI request 123: Summary Care Record,,,", "Notes: figures as at March,,,", ",,,",
            "PCT name,Roll-out begun?,Practices invited,Practices declined", "NHS Bolton,yes,10,2"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    returns = foi.load_returns(path)
    assert returns.header_row == 4 and returns.skipped_rows == [1, 2]
    assert list(returns.frame.source_row) == [5]


def test_a_wholly_blank_row_is_skipped_and_listed(foi_file):
    path = foi_file([{"pct": "NHS Bolton", "rollout_begun": "yes"}, {}, {"pct": "Bristol PCT", "rollout_begun": "no"}])
    returns = foi.load_returns(path)
    assert returns.skipped_blank_rows == [3] and list(returns.frame.source_row) == [2, 4]


def test_columns_the_suite_does_not_use_are_listed_not_read(tmp_path):
    path = write_foi(tmp_path / "extra.csv", [{"pct": "NHS Bolton", "rollout_begun": "yes", "Date received": "x"}],
                     header=[*FOI_HEADER, "Date received"])
    assert foi.load_returns(path).ignored_columns == ["Date received"]


def test_a_file_with_only_an_ods_code_column_resolves_by_code(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("ODS code,rollout_begun,practices_invited,practices_declined\n5QM,yes,10,1\n", encoding="utf-8")
    frame = foi.load_returns(path).frame
    assert list(frame.ods_code) == ["5QM"] and list(frame.pct) == ["5QM"]


# ---------------------------------------------------------------------------------------------
# XLSX specifics

def test_a_named_sheet_is_read_and_its_name_matches_loosely():
    path = CORPUS / "good" / "returns_second_sheet.xlsx"
    assert foi.load_returns(path, sheet="Returns").sheet_position == 1
    assert foi.load_returns(path, sheet=" returns ").sheet_position == 1
    with pytest.raises(InputError, match="sheet 'Cover' has no header row.*Sheet 'Returns' has the table"):
        foi.load_returns(path)  # the first sheet is a cover note


def test_xlsx_numbers_are_read_as_a_spreadsheet_shows_them(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["PCT name", "Roll-out begun?", "Practices invited", "Practices declined", "Spend to date (£)"])
    ws.append(["NHS Bolton", True, 38.0, 0, 0.1 + 0.2])  # a float sum as Excel stores it
    wb.save(tmp_path / "n.xlsx")
    frame = foi.load_returns(tmp_path / "n.xlsx").frame
    assert frame.practices_invited[0] == 38 and frame.practices_declined[0] == 0
    assert frame.spend_to_date_gbp[0] == 0.3 and bool(frame.rollout_begun[0])


# ---------------------------------------------------------------------------------------------
# check's summary

def test_check_summarises_what_it_read():
    found = foi.check(CORPUS / "good" / "returns_title_rows.xlsx")
    assert found.problems == [] and found.returns is not None
    assert found.summary.endswith("returns_title_rows.xlsx: XLSX, sheet 'Returns'; header in row 4 (2 title rows "
                                  "above it skipped); 5 answers in rows 5-9; 13 columns used; no problems")
    assert "\n" not in found.summary


def test_check_counts_problems_in_its_summary(foi_file):
    path = foi_file([{"pct": "NHS Narnia", "rollout_begun": "perhaps"}])
    found = foi.check(path)
    assert len(found.problems) == 2 and found.summary.endswith("; 2 problems")
    assert "1 answer in rows 2-2" in found.summary


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path):
    found = foi.check(tmp_path / "nowhere.csv")
    assert [p.message for p in found.problems] == ["no such file"]
    assert found.summary.endswith("could not be read; 1 problem")


# ---------------------------------------------------------------------------------------------
# The bundled data and the second example

def test_the_bundled_returns_still_load():
    returns = foi.load_returns(paths.FOI_2010)
    from scr_lib.story import claims

    assert len(returns.frame) == claims.published("refusal.areas_answered") and returns.source == "CSV, UTF-8"


def test_the_second_example_is_an_officers_spreadsheet_and_wholly_illustrative():
    returns = foi.load_returns(examples.WORKBOOK, sheet=examples.SHEET)
    assert returns.source == "XLSX, sheet 'Returns'" and returns.header_row == 4 and returns.skipped_rows == [1, 2]
    assert returns.header["practices_invited"] == "No. of practices invited"
    assert (returns.frame["illustrative"] == "*").all()
    assert len(returns.frame) == len(examples.ROWS)


def test_the_second_example_file_is_what_its_committed_code_writes(tmp_path):
    assert sha(examples.write(tmp_path / "again.xlsx")) == sha(examples.WORKBOOK)


def test_the_data_dictionary_documents_every_column_and_header_name():
    text = (paths.PROJ_ROOT / "docs" / "rerunning.md").read_text(encoding="utf-8")
    for name, column in foi.COLUMNS.items():
        assert f"`{name}`" in text, name
        for variant in foi.VARIANTS[name]:
            assert variant in text, variant


def test_the_corpus_is_what_its_committed_generator_writes():
    """tests/corpus/make_corpus.py rebuilds every file byte for byte, and the manifest's expectations."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, data in module.good_files().items():
        assert (CORPUS / "good" / name).read_bytes() == data, name
    cases = module.bad_files()
    for name, data, *_ in cases:
        assert (CORPUS / "bad" / name).read_bytes() == data, name
    assert [(n, s, str(r), c, m) for n, _, s, r, c, m in cases] == \
        [(m["file"], m["sheet"], m["row"], m["column"], m["message"]) for m in MANIFEST]


# ---------------------------------------------------------------------------------------------
# What a reader sees is what is read (issue 12): the summary says what was understood

def test_the_summary_counts_the_answers_even_when_the_header_has_a_problem():
    found = foi.check(CORPUS / "bad" / "missing_column.csv")
    assert "5 answers in rows 2-6" in found.summary and "no answers below it" not in found.summary


@pytest.mark.parametrize("name, said", [
    ("returns_thousands.xlsx", "'Spend to date (£000s)' read in thousands of pounds (values x 1,000); "
                               "'Further spend expected (£000s)' read in thousands of pounds (values x 1,000)"),
    ("returns_thousands_k.csv", "'Spend to date (£k)' read in thousands of pounds (values x 1,000)"),
    ("returns_hidden_first_sheet.xlsx", "hidden sheet 'Draft' not read (name a sheet to read it)"),
    ("returns_merged_rollout.xlsx", "2 merged ranges (C2:C3, C5:C6) read as the value of each range's first cell"),
    ("returns_two_row_header.xlsx", "header in rows 1-2 (merged header cells read as one name per column)"),
    ("returns_notes_rows.csv", "5 answers in rows 2-6 (1 blank row and 3 note rows (rows 8-10) skipped)"),
])
def test_the_summary_says_how_the_file_was_understood(name, said):
    found = foi.check(CORPUS / "good" / name)
    assert found.problems == [] and said in found.summary


def test_the_merged_rollout_column_counts_every_row_it_covers_as_begun():
    frame = foi.load_returns(CORPUS / "good" / "returns_merged_rollout.xlsx").frame
    assert frame.rollout_begun.tolist() == [True, True, False, True, True]


def test_a_hidden_sheet_is_read_only_when_named_and_the_summary_says_so():
    path = CORPUS / "good" / "returns_hidden_first_sheet.xlsx"
    found = foi.check(path, "Draft")
    assert "sheet 'Draft' is hidden in the workbook; read because it was named" in found.summary
    assert found.returns.frame.practices_invited[0] == 500
    assert foi.load_returns(path).frame.practices_invited[0] == 50


def test_a_notes_row_in_the_pct_column_is_not_an_unknown_pct(foi_file):
    path = foi_file([{"pct": "NHS Bolton", "rollout_begun": "yes"}, {"pct": "Notes: 1. Figures as at March 2011"},
                     {"pct": "Source: Information Governance team"}, {"pct": "* excludes VAT"}])
    assert list(foi.load_returns(path).frame.ods_code) == ["5HQ"]


@pytest.mark.parametrize("text", ["Notes: figures as at 31 March", "NOTE - see letter", "Source: finance team",
                                  "* figures exclude VAT", "† provisional", "NB figures are estimates",
                                  "Figures exclude practices that closed"])
def test_notes_and_footnotes_are_recognised(text):
    assert foi.is_note_row([text, "", ""]) and foi.is_note_row([text, text, text])


@pytest.mark.parametrize("cells", [["NHS Bolton", "", ""], ["Notes", "yes", "10"], ["NHS Dorset", "yes", "12"]])
def test_a_row_with_a_pct_or_figures_is_not_a_note(cells):
    assert not foi.is_note_row(cells)


# ---------------------------------------------------------------------------------------------
# Limits: over-large input is refused from the zip's sizes, or at its first cell beyond the limits; cells of
# spaces are blank, wherever they are

def test_a_shared_strings_bomb_is_refused_before_its_cells_are_read(monkeypatch):
    """Refused from the zip's table of sizes, before a single string or cell is read."""
    def never(*args, **kwargs):
        raise AssertionError("cells were read from a file over the limits")

    monkeypatch.setattr(foi, "_read_strings", never)
    monkeypatch.setattr(foi._SheetReader, "_cell_text", never)
    with pytest.raises(InputError, match="xl/sharedStrings.xml unpacks to 60,000,"):
        foi.load_returns(CORPUS / "bad" / "xlsx_shared_strings_bomb.xlsx")


def test_a_stray_space_in_the_last_cell_is_read_as_blank():
    found = foi.check(CORPUS / "good" / "returns_stray_spaces.xlsx")
    assert found.problems == [] and len(found.returns.frame) == 5


def test_a_sheet_that_misstates_its_size_with_rows_of_spaces_is_read(tmp_path):
    """Tens of thousands of rows holding one space each, and a dimension claiming the whole sheet: the
    spaces are blank, so the table above them is read (benchmarks/read_limits.py times 200,000 such rows)."""
    path = tmp_path / "spaces.xlsx"
    path.write_bytes(spaces_workbook(30_000))
    found = foi.check(path)
    assert found.problems == [] and len(found.returns.frame) == 5


def spaces_workbook(rows: int) -> bytes:
    """The good returns.xlsx with ``rows`` rows of one space each after the table, and a dimension of A1:XFD1048576."""
    import io
    import zipfile

    with zipfile.ZipFile(CORPUS / "good" / "returns.xlsx") as src:
        members = {info.filename: src.read(info.filename) for info in src.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    spaces = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t xml:space="preserve"> </t></is></c></row>'
                     for r in range(7, 7 + rows)).encode()
    sheet = sheet.replace(b"</sheetData>", spaces + b"</sheetData>", 1)
    sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', sheet)
    members["xl/worksheets/sheet1.xml"] = sheet
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    return out.getvalue()


def test_a_csv_with_more_rows_than_the_limit_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(foi, "MAX_ROWS", 3)
    path = tmp_path / "long.csv"
    path.write_bytes((CORPUS / "good" / "returns_canonical.csv").read_bytes())
    with pytest.raises(InputError, match="the file has 6 rows, over the 3 the suite reads"):
        foi.load_returns(path)


def test_a_file_over_the_byte_limit_is_refused_unread(monkeypatch, tmp_path):
    monkeypatch.setattr(foi, "MAX_FILE_BYTES", 100)
    with pytest.raises(InputError, match="over the 100 the suite reads"):
        foi.load_returns(CORPUS / "good" / "returns_canonical.csv")


def test_a_workbook_with_values_below_the_row_limit_but_no_dimension_is_refused(monkeypatch, tmp_path):
    monkeypatch.setattr(foi, "MAX_ROWS", 4)
    with pytest.raises(InputError, match="has something in cell A5, beyond the largest sheet"):
        foi.load_returns(CORPUS / "good" / "returns.xlsx")


def test_the_header_unit_reader_knows_thousands_and_millions():
    assert foi.header_unit("Spend to date (£000s)")[1:] == (1000, "thousands of pounds")
    assert foi.header_unit("Spend (£'000)")[1] == 1000 and foi.header_unit("Spend £k")[1] == 1000
    assert foi.header_unit("Spend to date (£m)")[1:] == (1_000_000, "millions of pounds")
    assert foi.header_unit("Spend to date (£)")[1] == 1
    assert foi.canonical_column("Spend to date (£000s)") == "spend_to_date_gbp"
    assert foi.canonical_column("Further spend expected (£m)") == "spend_expected_gbp"


def test_a_workbook_without_a_stated_dimension_is_refused_at_the_first_cell_beyond_the_limits(monkeypatch, tmp_path):
    wb = openpyxl.Workbook(write_only=True)  # writes no <dimension>
    ws = wb.create_sheet("Returns")
    ws.append(["pct", "rollout_begun", "practices_invited", "practices_declined"])
    for _ in range(8):
        ws.append([])
    ws.append(["NHS Bolton", "yes", 1, 0])
    wb.save(tmp_path / "nodim.xlsx")
    monkeypatch.setattr(foi, "MAX_ROWS", 5)
    with pytest.raises(InputError, match="has something in cell A10, beyond the largest sheet"):
        foi.load_returns(tmp_path / "nodim.xlsx")


@pytest.mark.slow  # a subprocess each: about a second of Python start-up
@pytest.mark.parametrize("name", ["opendocument.ods", "random_bytes.xlsx", "zip_without_workbook.xlsx",
                                  "xlsx_text_in_far_cell.xlsx", "xlsx_shared_strings_bomb.xlsx",
                                  "web_page.xls", "utf16_no_bom.csv", "xlsx_cover_letter_first.xlsx", "count_2_63.csv",
                                  "xlsx_count_2_63.xlsx", "money_400_digits.csv", "unquoted_thousands.csv"])
def test_scr_check_on_hostile_input_prints_lines_naming_the_file_and_no_traceback(name):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "scr_lib.cli", "check", str(CORPUS / "bad" / name)],
                          capture_output=True, text=True, cwd=paths.PROJ_ROOT)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert 2 <= len(lines) <= 3 and all(name in line for line in lines)


# ---------------------------------------------------------------------------------------------
# Round 3 (issue 23): long runs of skipped rows are ranges; advice, followed, gives a file read right

@pytest.mark.parametrize("rows, said", [
    ([7], "row 7"), ([3, 4, 5], "rows 3-5"), ([2, 4, 5], "rows 2 and 4-5"),
    (list(range(13, 100_001)) + [100_004], "rows 13-100,000 and 100,004"),
    (list(range(1, 40, 2)), "rows 1, 3, 5, 7, 9, 11, 13, 15, 17, 19 and 10 more runs"),
])
def test_row_numbers_are_written_as_runs(rows, said):
    assert foi.row_ranges(rows) == said


def test_a_file_of_many_blank_rows_is_said_in_a_line(tmp_path):
    """100,000 blank rows below five answers: the summary and the notebook's note say it in a line."""
    from scr_lib.story import report

    text = (CORPUS / "good" / "returns_canonical.csv").read_text(encoding="utf-8")
    path = tmp_path / "blank.csv"
    path.write_text(text + ",,,\n" * 99_990 + " , ,\n" * 10, encoding="utf-8")
    found = foi.check(path)
    assert found.problems == [] and len(found.summary) < 400
    said = report.loaded(found.returns).data
    assert "rows 7-100,006" in said and len(said) < 1_000


def canonical_rows() -> list[list[str]]:
    return list(csv.reader(open(CORPUS / "good" / "returns_canonical.csv", encoding="utf-8", newline="")))


def test_following_the_advice_for_a_merged_heading_gives_the_right_spend(tmp_path):
    """'put sub-headings (such as 'To date', 'Expected') in the row below', done as said."""
    path = CORPUS / "bad" / "xlsx_merged_header_without_subheadings.xlsx"
    message = foi.check(path).problems[0].message
    assert "put sub-headings (such as 'To date', 'Expected') in the row below" in message
    wb = openpyxl.load_workbook(path)
    ws = wb["Returns"]
    ws.insert_rows(5)
    ws["F5"], ws["G5"] = "To date", "Expected"
    # openpyxl does not move merged ranges with inserted rows: the heading's merge stays in row 4
    wb.save(tmp_path / "followed.xlsx")
    got = foi.load_returns(tmp_path / "followed.xlsx").frame
    want = foi.load_returns(CORPUS / "good" / "returns_canonical.csv").frame
    assert got.spend_to_date_gbp.tolist() == want.spend_to_date_gbp.tolist()
    assert got.spend_expected_gbp.fillna(-1).tolist() == want.spend_expected_gbp.fillna(-1).tolist()


@pytest.mark.parametrize("heading", ["To date", "Spend", "Amount spent (£)"])
def test_following_the_advice_to_rename_an_unread_spend_column_gives_the_right_spend(tmp_path, heading):
    rows = canonical_rows()
    at = rows[0].index("spend_to_date_gbp")
    rows[0][at] = heading
    path = tmp_path / "unread.csv"
    path.write_text("".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows), encoding="utf-8")
    message = foi.check(path).problems[0].message
    advised = re.search(r"rename it to '(\w+)'", message).group(1)
    rows[0][at] = advised
    path.write_text("".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows), encoding="utf-8")
    got = foi.load_returns(path).frame
    want = foi.load_returns(CORPUS / "good" / "returns_canonical.csv").frame
    assert got[advised].fillna(-1).tolist() == want[advised].fillna(-1).tolist()


def test_following_the_advice_for_a_share_gives_a_file_read_right(tmp_path):
    """'give the numbers in a column headed 'Practices declined'': the counts, under that heading."""
    rows = canonical_rows()
    at = rows[0].index("practices_declined")
    want = [r[at] for r in rows[1:]]
    rows[0][at] = "Practices declined (%)"
    for r in rows[1:]:
        r[at] = f"{round(100 * int(r[at] or 0) / max(int(r[rows[0].index('practices_invited')]), 1))}%"
    path = tmp_path / "share.csv"
    path.write_text("".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows), encoding="utf-8")
    problem, = foi.check(path).problems
    heading = re.search(r"in a column headed '([^']+)'", problem.message).group(1)
    rows[0][at] = heading
    for r, count in zip(rows[1:], want):
        r[at] = count
    path.write_text("".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows), encoding="utf-8")
    assert foi.load_returns(path).frame.practices_declined.astype(object).fillna("").astype(str).tolist() == \
        [w for w in want]


def test_following_the_advice_for_a_joint_figure_gives_a_file_read_right(tmp_path):
    """'write 'not known' in each row and put the joint figure in the notes column; then unmerge'."""
    path = CORPUS / "bad" / "xlsx_joint_figure_merged_rows.xlsx"
    problem, = foi.check(path).problems
    assert "write 'not known' in each row and put the joint figure in the notes column" in problem.message
    wb = openpyxl.load_workbook(path)
    ws = wb["Returns"]
    joint = ws["F6"].value
    ws.unmerge_cells("F6:F7")
    ws["F6"] = ws["F7"] = "not known"
    ws["K6"] = ws["K7"] = f"joint figure for both PCTs: {joint}"
    wb.save(tmp_path / "followed.xlsx")
    frame = foi.load_returns(tmp_path / "followed.xlsx").frame
    assert frame.spend_to_date_gbp.isna().tolist() == [False, True, True, False, False]


def test_following_the_advice_for_a_cover_letter_reads_the_named_sheet():
    path = CORPUS / "bad" / "xlsx_cover_letter_first.xlsx"
    problem, = foi.check(path).problems
    sheet = re.search(r"'foi_sheet: ([^']+)'", problem.message).group(1)
    assert len(foi.load_returns(path, sheet=sheet).frame) == 5


def with_rows(xml_rows: str, strings: list[str] | None = None) -> bytes:
    """The good returns.xlsx with ``xml_rows`` (worksheet XML) after its six rows, and shared strings."""
    import io
    import zipfile

    with zipfile.ZipFile(CORPUS / "good" / "returns.xlsx") as src:
        members = {info.filename: src.read(info.filename) for info in src.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet.replace(b"</sheetData>", xml_rows.encode() + b"</sheetData>", 1)
    if strings is not None:
        members["xl/sharedStrings.xml"] = ('<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                           + "".join(f"<si><t xml:space='preserve'>{s}</t></si>" for s in strings)
                                           + "</sst>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    return out.getvalue()


def space_row(r: int, strings: bool = False, attrs: str = "") -> str:
    cell = f'<c r="A{r}" t="s"><v>0</v></c>' if strings else \
        f'<c r="A{r}" t="inlineStr"><is><t xml:space="preserve"> </t></is></c>'
    return f'<row r="{r}"{attrs}>{cell}<c r="B{r}" s="1"/></row>'


def test_rows_of_spaces_are_skipped_but_every_row_keeps_its_number(tmp_path):
    """After runs of rows of spaces (inline and shared), a row without a number is still the next row, a
    shared string that is not blank is still read, and a row of spaces that is hidden stays hidden."""
    rows = "".join(space_row(r) for r in range(7, 500)) + "".join(space_row(r, True) for r in range(500, 900))
    rows += '<row r="900"><c r="K900" t="s"><v>1</v></c></row>'  # an FOI ref (column K), and no PCT
    rows += "".join(space_row(r, True) for r in range(901, 950))
    rows += '<row><c r="A950" t="inlineStr"><is><t>NHS Bury</t></is></c><c t="inlineStr"><is><t>5JX</t></is></c>' \
            '<c t="inlineStr"><is><t>no</t></is></c><c t="n"><v>0</v></c></row>'
    path = tmp_path / "spaces.xlsx"
    path.write_bytes(with_rows(rows, [" ", "x"]))
    problems = foi.check(path).problems
    assert [(p.row, p.column) for p in problems] == [(900, "PCT name")], problems
    rows = rows.replace('<row r="900"><c r="K900" t="s"><v>1</v></c></row>', space_row(900, True, ' hidden="1"'))
    path.write_bytes(with_rows(rows, [" ", "x"]))
    returns = foi.load_returns(path)
    assert returns.frame.source_row.tolist() == [2, 3, 4, 5, 6, 950]
    assert returns.frame.ods_code.tolist()[-1] == "5JX"


def test_the_docs_state_the_visibility_thresholds_the_code_applies():
    text = " ".join((paths.PROJ_ROOT / "docs" / "rerunning.md").read_text(encoding="utf-8").split())
    assert f"lower than {foi.MIN_ROW_POINTS:g} points" in text
    assert f"narrower than {'one' if foi.MIN_COLUMN_CHARACTERS == 1 else foi.MIN_COLUMN_CHARACTERS} character" in text


@pytest.mark.parametrize("header, column", [
    ("Expenditure to date", "spend_to_date_gbp"), ("Spending To date", "spend_to_date_gbp"),
    ("Total SCR costs to date (£)", "spend_to_date_gbp"), ("Planned further spend", "spend_expected_gbp"),
    ("Expenditure planned", "spend_expected_gbp"),
    ("Spend to date (thousands)", None), ("Cost per record to date", None), ("Spend to date in millions", None),
    ("Staff costs", None), ("Expenditure rate to date", None),
])
def test_spend_named_in_other_words_is_read_only_when_every_word_is_understood(header, column):
    assert foi.canonical_column(header) == column


def test_spend_in_an_unknown_unit_is_an_error_never_pounds(tmp_path):
    rows = canonical_rows()
    rows[0][rows[0].index("spend_to_date_gbp")] = "Spend to date (thousands)"
    path = tmp_path / "thousands.csv"
    path.write_text("".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows), encoding="utf-8")
    problem, = foi.check(path).problems
    assert problem.column == "Spend to date (thousands)" and "looks like data the suite needs" in problem.message


@pytest.mark.parametrize("heading, scale", [("Spend to date (thousands)", 1_000),
                                            ("Expenditure to date in 000s", 1_000)])
def test_following_the_advice_for_spend_in_a_named_unit_reads_it_in_that_unit(tmp_path, heading, scale):
    rows = canonical_rows()
    at = rows[0].index("spend_to_date_gbp")
    rows[0][at] = heading
    for r in rows[1:]:
        r[at] = r[at].replace("£", "") if r[at].startswith("£") else r[at]
    path = tmp_path / "unit.csv"
    path.write_text("".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows), encoding="utf-8")
    problem, = foi.check(path).problems
    rows[0][at] = re.search(r"rename it to '([^']+)'", problem.message).group(1)
    path.write_text("".join(",".join(f'"{c}"' for c in r) + "\n" for r in rows), encoding="utf-8")
    want = foi.load_returns(CORPUS / "good" / "returns_canonical.csv").frame.spend_to_date_gbp * scale
    assert foi.load_returns(path).frame.spend_to_date_gbp.fillna(-1).tolist() == want.fillna(-1).tolist()


@pytest.mark.parametrize("name, follow", [
    ("xlsx_filtered_out_row.xlsx", lambda ws: setattr(ws.auto_filter, "filterColumn", [])),  # clear the filter
    ("xlsx_zero_height_row.xlsx", lambda ws: setattr(ws.row_dimensions[7], "height", 15)),  # tall enough to read
    ("xlsx_collapsed_outline_rows.xlsx", lambda ws: [setattr(ws.row_dimensions[r], "outlineLevel", 0)
                                                     for r in (6, 7)]),  # unhide (ungroup) them
    ("xlsx_zero_width_column.xlsx", lambda ws: setattr(ws.column_dimensions["I"], "width", 12)),  # widen it
])
def test_following_the_advice_for_rows_and_columns_no_one_can_see_gives_the_file_read_right(tmp_path, name, follow):
    path = CORPUS / "bad" / name
    assert foi.check(path).problems
    wb = openpyxl.load_workbook(path)
    follow(wb["Returns"])
    wb.save(tmp_path / name)
    got = foi.load_returns(tmp_path / name).frame
    want = foi.load_returns(CORPUS / "good" / "returns_title_rows.xlsx").frame  # the same, with ODS codes
    pd.testing.assert_frame_equal(got.drop(columns=["source_row", "pct_code"]),
                                  want.drop(columns=["source_row", "pct_code"]))


def test_a_file_of_many_rows_reads_the_pct_reference_table_once_not_once_a_row(tmp_path, monkeypatch):
    """Each repeated PCT and each joint answer names the PCTs from the one table read for the file: read
    again for each message, a 100,000-row file of repeated PCTs took minutes to check."""
    from scr_lib.inputs import reference
    reads = []
    real = reference.load_pcts
    monkeypatch.setattr(reference, "load_pcts", lambda: reads.append(1) or real())
    names = ["NHS Dorset", "NHS Bolton", "Bristol PCT"]
    rows = [{"pct": names[i % 3], "rollout_begun": "no"} for i in range(60)]
    rows.append({"pct": "NHS Bolton and NHS Bury", "rollout_begun": "no"})
    with pytest.raises(InputError) as raised:
        foi.load_returns(write_foi(tmp_path / "repeated.csv", rows))
    said = str(raised.value)
    assert said.count("appears twice") == 60 - len(names)  # each name's first row is not a repeat
    assert "Dorset (5QM) appears twice" in said and "Bristol (5QJ) appears twice" in said
    assert "names 2 PCTs (Bolton Teaching; Bury)" in said
    assert reads == [1]
