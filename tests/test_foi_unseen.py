"""Do the reader's rules generalise? Hostile files of issue 23's classes, written apart from tests/corpus
and in another hand: other column names, layouts and sheet names, other ways of hiding a row or giving a
joint figure. None may be read silently wrong; each refused file gets one message naming the place and
the fix, without a traceback (the 5 s limit is measured by `make bench-read`, never in a test); the files that are right are read exactly.

The files are built here, in memory; the expected figures are computed from the rows they are built from.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from scr_lib import paths
from scr_lib.inputs import foi

# An FOI officer's own headings, none of them the corpus's.
HEADINGS = ["ODS code", "Primary Care Trust", "Has the rollout begun?", "Practices contacted", "Practices refused",
            "Practices agreed", "Expenditure to date", "Planned further spend", "SCRs uploaded", "SCRs viewed",
            "Our ref", "Comment"]
ROWS = [
    ["5NT", "Manchester", "Yes", 96, 31, 50, 112_500, 40_000, 150_200, 64, "M/11/88", ""],
    ["5F5", "Salford", "Yes", 52, 9, 40, 61_000, "not known", 80_750, 12, "S-0415", ""],
    ["5NR", "Trafford", "No", 0, None, None, 0, 0, 0, 0, "TR 2011 9", "not started"],
    ["5JX", "NHS Bury", "Yes", 33, 12, 18, 27_250, 5_000, 41_000, 7, "B1130", ""],
    ["5HG", "Ashton, Leigh and Wigan", "Yes", 61, 20, 35, 58_000, 12_500, 90_300, 21, "ALW-77", ""],
]
SHEET = "FOI 2011-0456 response"
TITLE = ["Response to request FOI/2011/0456 — Summary Care Record, Greater Manchester cluster"]
FIX_WORDS = ("give", "write", "unhide", "clear", "save", "name it", "delete", "widen", "leave it out", "split",
             "set the", "put the")


def book(rows=ROWS, headings=HEADINGS, sheet=SHEET, title=True) -> openpyxl.Workbook:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    if title:
        ws.append(TITLE)
        ws.append([])
    ws.append(headings)
    for row in rows:
        ws.append(row)
    return wb


def save(wb: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def edit(data: bytes, before: bytes, after: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook with text in one part's XML replaced (what openpyxl does not write)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        members = {info.filename: src.read(info.filename) for info in src.infolist()}
    assert before in members[part], before
    members[part] = members[part].replace(before, after, 1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, body in members.items():
            dst.writestr(name, body)
    return out.getvalue()


def joint_merge() -> bytes:
    wb = book()
    ws = wb[SHEET]
    ws["D5"], ws["D6"] = 148, None  # one count of practices for Salford and Trafford
    ws.merge_cells("D5:D6")
    return save(wb)


def joint_names() -> bytes:
    rows = [list(r) for r in ROWS]
    rows[1][1] = "Salford / Trafford"
    rows[1][0] = None
    del rows[2]
    return save(book(rows))


def joint_words() -> bytes:
    rows = [list(r) for r in ROWS]
    rows[3][8] = "Included in Manchester's figure"
    return save(book(rows))


def low_row() -> bytes:
    return edit(save(book()), b'<row r="6"', b'<row r="6" ht="1.5" customHeight="1"')


def narrow_column() -> bytes:
    return edit(save(book()), b"<sheetData>", b'<cols><col min="10" max="10" width="0.4" customWidth="1"/></cols>'
                                              b"<sheetData>")


def folded_columns() -> bytes:
    return edit(save(book()), b"<sheetData>", b'<cols><col min="9" max="10" width="9" outlineLevel="1"/>'
                                              b'<col min="11" max="11" width="9" collapsed="1"/></cols><sheetData>')


def custom_filter() -> bytes:
    wb = book()
    ws = wb[SHEET]
    ws.auto_filter.ref = "A3:L8"
    data = save(wb)
    return edit(data, b'<autoFilter ref="A3:L8"/>',
                b'<autoFilter ref="A3:L8"><filterColumn colId="4"><customFilters><customFilter operator="greaterThan"'
                b' val="10"/></customFilters></filterColumn></autoFilter>')


def hidden_by_default() -> bytes:
    data = save(book())
    return edit(data, b'<sheetFormatPr baseColWidth="8" defaultRowHeight="15"/>',
                b'<sheetFormatPr baseColWidth="8" defaultRowHeight="15" zeroHeight="1"/>')


def millions_in_pounds() -> bytes:
    headings = [h if h != "Expenditure to date" else "Expenditure to date (£m)" for h in HEADINGS]
    rows = [[*r[:6], f"£{r[6]:,}" if isinstance(r[6], int) else r[6], *r[7:]] for r in ROWS]
    return save(book(rows, headings))


def thousands_by_format() -> bytes:
    headings = [h if h != "Planned further spend" else "Planned further spend £'000" for h in HEADINGS]
    wb = book(headings=headings)
    for row in range(4, 9):
        wb[SHEET][f"H{row}"].number_format = "[$£-809]#,##0"
    return save(wb)


def share_heading() -> bytes:
    headings = [h if h != "Practices refused" else "% of practices refusing" for h in HEADINGS]
    rows = [[*r[:4], round(100 * r[4] / r[3]) if r[4] and r[3] else r[4], *r[5:]] for r in ROWS]
    return save(book(rows, headings))


def share_cells() -> str:
    lines = [",".join(HEADINGS)]
    for r in ROWS:
        cells = ["" if v is None else str(v) for v in r]
        cells[4] = f"{100 * r[4] / r[3]:.1f}%" if r[4] and r[3] else cells[4]
        lines.append(",".join(f'"{c}"' for c in cells))
    return "\n".join(lines) + "\n"


def refusal_rate() -> str:
    lines = [",".join(h if h != "Practices refused" else "Refusal rate" for h in HEADINGS)]
    for r in ROWS:
        lines.append(",".join(f'"{"" if v is None else v}"' for v in r))
    return "\n".join(lines) + "\n"


def letter_first() -> bytes:
    wb = book(sheet="Data 2011")
    letter = wb.create_sheet("Letter", 0)
    letter.append(["Our ref: FOI/2011/0456"])
    letter.append(["Dear Sir, I write in response to your request of 3 March."])
    return save(wb)


def utf16_be() -> bytes:
    lines = [",".join(HEADINGS)] + [",".join(f'"{"" if v is None else v}"' for v in r) for r in ROWS]
    return ("\r\n".join(lines) + "\r\n").encode("utf-16-be")


def web_page() -> bytes:
    cells = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in r) + "</tr>" for r in ROWS)
    return ("\ufeff  <html xmlns:o='urn:schemas-microsoft-com:office:office'><head><meta charset='utf-8'>"
            + "<style>" + ".x{mso-number-format:General}" * 80 + "</style></head><body><table>" + cells
            + "</table></body></html>").encode("utf-8")


def blanked_by_format() -> bytes:
    wb = book()
    wb[SHEET]["G5"].number_format = ";;"  # Salford's spend, shown as nothing
    return save(wb)


def unit_in_a_note() -> bytes:
    wb = book([[*r[:6], r[6] / 1000 if isinstance(r[6], int) else r[6], *r[7:]] for r in ROWS])
    wb[SHEET].append([])
    wb[SHEET].append(["NB: all amounts in thousands of pounds"])
    return save(wb)


def commented_page() -> bytes:
    return b"<!-- exported by the FOI case system -->\n<HTML><BODY><TABLE><TR><TD>PCT</TD></TR></TABLE></BODY></HTML>"


def web_archive() -> bytes:
    return b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="----=_NextPart"\r\n\r\n' + b"x" * 3000


def encrypted() -> bytes:
    """What a password-protected .xlsx is: a compound file holding an 'EncryptedPackage' stream."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "EncryptedPackage".encode("utf-16-le") + bytes(900)


def unsaved_formula() -> bytes:
    wb = book()
    wb[SHEET]["J7"] = "=J4+J5"
    return save(wb)


# (file name, bytes, sheet to read, the row and column the one message must name, words it must say)
REFUSED = [
    ("joint_merge.xlsx", joint_merge, "", 5, "Practices contacted", "joint"),
    ("joint_names.xlsx", joint_names, "", 5, "Primary Care Trust", "joint"),
    ("joint_words.xlsx", joint_words, "", 7, "SCRs uploaded", "joint"),
    ("low_row.xlsx", low_row, "", 6, "", "1.5 points high"),
    ("narrow_column.xlsx", narrow_column, "", 3, "SCRs viewed", "0.4 characters wide"),
    ("folded_columns.xlsx", folded_columns, "", 3, "SCRs uploaded", "collapsed outline"),
    ("custom_filter.xlsx", custom_filter, "", 4, "", "filter on column E"),
    ("unit_in_a_note.xlsx", unit_in_a_note, "", 10, "", "says the figures are in thousands of pounds"),
    ("blanked_by_format.xlsx", blanked_by_format, "", 5, "Expenditure to date", "shows nothing"),
    ("hidden_by_default.xlsx", hidden_by_default, "", 4, "", "hides rows by default"),
    ("millions_in_pounds.xlsx", millions_in_pounds, "", 3, "Expenditure to date (£m)", "must agree"),
    ("thousands_by_format.xlsx", thousands_by_format, "", 3, "Planned further spend £'000", "must agree"),
    ("share_heading.xlsx", share_heading, "", 3, "% of practices refusing", "share or percentage"),
    ("share_cells.csv", share_cells, "", 1, "Practices refused", "holds percentages"),
    ("refusal_rate.csv", refusal_rate, "", 1, "Refusal rate", "share or percentage"),
    ("letter_first.xlsx", letter_first, "", 0, "", "foi_sheet: Data 2011"),
    ("utf16_be.csv", utf16_be, "", 0, "", "UTF-16"),
    ("web_page.xlsx", web_page, "", 0, "", "a web page (HTML), not a spreadsheet"),
    ("commented_page.xls", commented_page, "", 0, "", "a web page (HTML), not a spreadsheet"),
    ("web_archive.xls", web_archive, "", 0, "", "a web archive (MHTML"),
    ("encrypted.xlsx", encrypted, "", 0, "", "protected with a password"),
    ("unsaved_formula.xlsx", unsaved_formula, "", 7, "SCRs viewed", "Paste Special > Values"),
]


def write(folder: Path, name: str, make) -> Path:
    data = make()
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize("name, make, sheet, row, column, words", REFUSED, ids=[c[0] for c in REFUSED])
def test_a_hostile_file_is_refused_with_one_message_naming_the_place_and_the_fix(tmp_path, name, make, sheet, row,
                                                                                  column, words):
    path = write(tmp_path, name, make)
    found = foi.check(path, sheet or None)
    assert found.returns is None, found.summary  # never read, so never read wrong
    assert len(found.problems) == 1, "\n".join(map(str, found.problems))
    problem = found.problems[0]
    assert (problem.row, problem.column) == (row, column), problem
    assert words in problem.message and any(w in problem.message.lower() for w in FIX_WORDS), problem.message
    assert len(problem.message) < 600 and "<" not in problem.message  # short, and no raw markup


def expected_spend() -> float:
    return float(sum(r[6] for r in ROWS if isinstance(r[6], int)))


def two_row_heading() -> bytes:
    """A heading over two sub-headings, typed in the first of them, nothing in the corner."""
    headings = HEADINGS[:6] + ["to date", "planned"] + HEADINGS[8:]
    wb = book(headings=headings, title=False)
    ws = wb[SHEET]
    ws.insert_rows(1)
    ws["G1"] = "Expenditure"
    return save(wb)


def spaces_everywhere() -> bytes:
    wb = book()
    ws = wb[SHEET]
    for row in range(9, 3_000):
        ws.cell(row, 1 + row % 12, " ")
    ws["AZ60000"] = "   "
    return save(wb)


def filtered_showing_all() -> bytes:
    wb = book()
    ws = wb[SHEET]
    ws.auto_filter.ref = "A3:L8"
    ws.auto_filter.add_filter_column(2, ["Yes", "No"])
    return save(wb)


READ = [("two_row_heading.xlsx", two_row_heading), ("spaces_everywhere.xlsx", spaces_everywhere),
        ("filtered_showing_all.xlsx", filtered_showing_all)]


@pytest.mark.parametrize("name, make", READ, ids=[c[0] for c in READ])
def test_a_file_that_is_right_in_another_hand_is_read_exactly(tmp_path, name, make):
    found = foi.check(write(tmp_path, name, make))
    assert found.problems == [], "\n".join(map(str, found.problems))
    frame = found.returns.frame
    assert list(frame.ods_code) == [r[0] for r in ROWS]
    assert frame.spend_to_date_gbp.sum() == expected_spend()
    assert frame.practices_declined.sum() == sum(r[4] or 0 for r in ROWS)


@pytest.mark.slow  # a subprocess each
@pytest.mark.parametrize("name, make", [(c[0], c[1]) for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_scr_check_on_a_hostile_file_prints_no_traceback(tmp_path, name, make):
    path = write(tmp_path, name, make)
    done = subprocess.run([sys.executable, "-m", "scr_lib.cli", "check", str(path)], capture_output=True, text=True,
                          cwd=paths.PROJ_ROOT, timeout=60)
    said = done.stdout + done.stderr
    assert done.returncode == 1 and "Traceback" not in said and "bug in scr" not in said
    assert all(name in line for line in done.stdout.strip().splitlines())
    assert not re.search(r"<\w+[^>]*>", said)
