"""Write the FOI test corpus: well-formed files in every format, and malformed files with one defect each.

Run ``python tests/corpus/make_corpus.py`` from the project root to rewrite
``tests/corpus/good/``, ``tests/corpus/bad/`` and ``tests/corpus/manifest.csv``.
The output is the same every time. Every value is made up for the tests.

``manifest.csv`` lists each malformed file with the problem the loader must
report: the sheet to read (blank: the default), the spreadsheet ROW (0: the
file as a whole), the COLUMN as the file's header names it ('' for a whole
row or the file), and a fragment of the message. The expectations are typed
in the cases below, by hand, not computed from the loader.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
from tools.examples import deterministic_bytes  # noqa: E402

CANONICAL = ["pct", "rollout_begun", "practices_invited", "practices_declined", "practices_signed_up",
             "spend_to_date_gbp", "spend_expected_gbp", "records_uploaded", "records_viewed", "foi_ref", "notes",
             "illustrative"]
# The same columns as an FOI officer might head them, plus the ODS code.
VARIANT = ["PCT name", "Roll-out begun?", "No. of practices invited", "Practices declined", "Practices signed up",
           "Spend to date (£)", "Further spend expected (£)", "No. of records uploaded", "Records viewed",
           "FOI ref", "Comments", "illustrative"]
# Spreadsheet rows 2-6 of the base file (row 1 is the header).
BASE = [
    ["NHS Bolton", "yes", "50", "14", "30", "£31,000", "nil", "80300", "9", "FOI-1", "", ""],
    ["Bristol PCT", "Y", "57", "16", "33", "not known", "£25,000", "not held", "", "FOI-2", "", ""],
    ["NHS Hammersmith & Fulham", "no", "0", "", "", "nil", "", "0", "0", "FOI-3",
     "Patients’ choice – no practices invited", ""],
    ["NHS Isle of Wight", "TRUE", "19", "6", "11", "£9,400.50", "n/a", "28100", "2", "FOI-4", "", ""],
    ["NHS Dorset", "yes", "88", "19", "62", "£240,000", "£30,000", "201,400", "37", "FOI-5", "Early adopter", "*"],
]
CODES = ["5HQ", "5QJ", "5H1", "5QT", "5QM"]


def csv_text(header, rows, newline="\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def with_cell(row: int, column: str, value, rows=BASE, header=CANONICAL):
    """A copy of ``rows`` with the cell at spreadsheet ``row`` (header = 1) and ``column`` set to ``value``."""
    out = [list(r) for r in rows]
    out[row - 2][header.index(column)] = value
    return out


def number(text):
    """What a spreadsheet would hold for a typed value: plain digits become numbers."""
    return int(text) if isinstance(text, str) and text.isdigit() else (text if text != "" else None)


def workbook(header, rows, title_rows=(), sheet="Returns", first_sheet=None, code_column=False):
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet:
        ws.title = first_sheet
        ws.append(["Cover note: the returns are on the next sheet."])
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for line in title_rows:
        ws.append(list(line))
    if code_column:
        header = [header[0], "ODS code", *header[1:]]
        rows = [[r[0], code, *r[1:]] for r, code in zip(rows, CODES)]
    ws.append(header)
    for r in rows:
        ws.append([v if not isinstance(v, str) else number(v) for v in r])
    wb.properties.creator = "tests/corpus/make_corpus.py"
    return wb


TITLE = [("Freedom of Information request 2011/123: Summary Care Record",), ("Figures as at 31 March 2011",), ()]


def xlsx_bytes(wb) -> bytes:
    return deterministic_bytes(wb)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip of ``members`` with fixed dates, so that the bytes are the same every time."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members.items():
            entry = zipfile.ZipInfo(name, date_time=(2011, 3, 31, 12, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data, compresslevel=9)
    return out.getvalue()


def replace_member(xlsx: bytes, name: str, data: bytes) -> bytes:
    """An .xlsx with one zip member's contents replaced."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src:
        members = {info.filename: src.read(info.filename) for info in src.infolist()}
    members[name] = data
    return zip_bytes(members)


def shared_strings_bomb(xlsx: bytes, unpacked: int = 60_000_000) -> bytes:
    """An .xlsx whose shared strings unpack to ``unpacked`` bytes from a few tens of kilobytes."""
    one = b"<si><t>" + b"x" * 1000 + b"</t></si>"
    body = one * (unpacked // len(one))
    head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main">')
    return replace_member(xlsx, "xl/sharedStrings.xml", head + body + b"</sst>")


def edit_sheet(xlsx: bytes, *swaps: tuple[bytes, bytes], part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """An .xlsx with text in one worksheet's XML replaced (for what openpyxl does not write: a zero height)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src:
        data = src.read(part)
    for before, after in swaps:
        assert before in data, before
        data = data.replace(before, after, 1)
    return replace_member(xlsx, part, data)


def pseudo_random_bytes(n: int, seed: bytes = b"scr") -> bytes:
    """``n`` bytes that look random and are the same every time (SHA-256 in counter mode)."""
    out = b"".join(hashlib.sha256(seed + i.to_bytes(4, "big")).digest() for i in range(n // 32 + 1))
    return out[:n].replace(b"PK", b"pk")


# ------------------------------------------------------------------------------------------------
# Well-formed files: each loads to the same frame (bar source_row where title rows push the header down).

def good_files() -> dict[str, bytes]:
    variant_rows = BASE
    coded = [[r[0], code, *r[1:]] for r, code in zip(variant_rows, CODES)]
    variant_header = [VARIANT[0], "ODS code", *VARIANT[1:]]
    canonical_header = [CANONICAL[0], "pct_code", *CANONICAL[1:]]
    # An officer's spreadsheet as people make them: the rollout column's "yes" merged down two rows.
    merged = workbook(VARIANT, with_cell(3, "Roll-out begun?", "", header=VARIANT), code_column=True)
    merged["Returns"].merge_cells("C2:C3")
    merged["Returns"].merge_cells("C5:C6")  # 'TRUE' over NHS Dorset's 'yes'
    # A two-row header: 'Spend (£)' merged over 'To date' and 'Expected'; the other names merged down.
    two_row = workbook(["PCT name", "ODS code", "Roll-out begun?", "No. of practices invited", "Practices declined",
                        "Practices signed up", "Spend (£)", None, "No. of records uploaded", "Records viewed",
                        "FOI ref", "Comments", "illustrative"], [], code_column=False)
    ws = two_row["Returns"]
    ws.append([None] * 6 + ["To date", "Expected"])
    for r in coded:
        ws.append([number(v) for v in r])
    for letter in "ABCDEFIJKLM":
        ws.merge_cells(f"{letter}1:{letter}2")
    ws.merge_cells("G1:H1")
    # Spend in thousands of pounds, as finance teams write it.
    thousands = [[*r[:5], *(THOUSANDS.get(v, v) for v in r[5:7]), *r[7:]] for r in BASE]
    thousands_xlsx = workbook([*VARIANT[:5], "Spend to date (£000s)", "Further spend expected (£000s)", *VARIANT[7:]],
                              thousands, code_column=True)
    for row in thousands_xlsx["Returns"].iter_rows(min_row=2, min_col=7, max_col=8):
        for cell in row:
            cell.value = float(cell.value) if isinstance(cell.value, str) and cell.value[:1].isdigit() else cell.value
    thousands_k = [VARIANT[0], "ODS code", *VARIANT[1:5], "Spend to date (£k)", "Expected further spend £'000",
                   *VARIANT[7:]]
    # A hidden first sheet (an old draft with other figures) before the visible one.
    hidden_first = workbook(VARIANT, with_cell(2, "No. of practices invited", "500", header=VARIANT),
                            sheet="Draft", code_column=True)
    visible = workbook(VARIANT, variant_rows, code_column=True)["Returns"]
    returns = hidden_first.create_sheet("Returns")
    for row in visible.iter_rows(values_only=True):
        returns.append(row)
    hidden_first["Draft"].sheet_state = "hidden"
    # Notes and footnote rows below the data.
    notes = coded + [[""] * 13, ["Notes: figures as at 31 March 2011"] + [""] * 12,
                     ["Source: PCT finance team"] + [""] * 12, ["* figures exclude VAT"] + [""] * 12]
    # "not held" as FOI officers write it.
    phrased = with_cell(3, "Spend to date (£)", "Information not held",
                        with_cell(3, "No. of records uploaded", "Data not held",
                                  with_cell(4, "Further spend expected (£)", "Exempt under section 43",
                                            header=VARIANT), header=VARIANT), header=VARIANT)
    phrased = [[r[0], code, *r[1:]] for r, code in zip(phrased, CODES)]
    # A two-row header whose top-left corner is blank: 'Spend (£)' typed over 'To date' and 'Expected'.
    corner = workbook([None] * 6 + ["Spend (£)"], [])
    ws = corner["Returns"]
    ws.append([*variant_header[:6], "To date", "Expected", *variant_header[8:]])
    for r in coded:
        ws.append([number(v) for v in r])
    # The same with the sub-headings in the row below the header, in a CSV.
    below = [[*variant_header[:6], "Spend (£)", "", *variant_header[8:]],
             [""] * 6 + ["To date", "Expected"] + [""] * 5]
    # One stray space in the sheet's last cell, and rows of spaces after the table.
    stray = workbook(VARIANT, variant_rows, code_column=True)
    for row in range(7, 400):
        stray["Returns"].cell(row, 1, " ")
    stray["Returns"]["XFD1048576"] = " "
    # Amounts as numbers shown with a pound sign by their cell format, under headers in pounds.
    pounds = workbook(VARIANT, variant_rows, code_column=True)
    for row in pounds["Returns"].iter_rows(min_row=2, min_col=7, max_col=8):
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("£"):
                amount = float(cell.value[1:].replace(",", ""))
                cell.value = int(amount) if amount.is_integer() else amount
                cell.number_format = '"£"#,##0.00'
    return {
        "returns_two_row_header_blank_corner.xlsx": xlsx_bytes(corner),
        "returns_subheadings_below.csv": csv_text(below[0], [below[1], *coded]).encode("utf-8"),
        "returns_stray_spaces.xlsx": xlsx_bytes(stray),
        "returns_pound_format.xlsx": xlsx_bytes(pounds),
        "returns_merged_rollout.xlsx": xlsx_bytes(merged),
        "returns_two_row_header.xlsx": xlsx_bytes(two_row),
        "returns_thousands.xlsx": xlsx_bytes(thousands_xlsx),
        "returns_thousands_k.csv": csv_text(thousands_k, [[r[0], code, *r[1:5], *(THOUSANDS.get(v, v) for v in r[5:7]),
                                                           *r[7:]] for r, code in zip(BASE, CODES)]).encode("utf-8"),
        "returns_hidden_first_sheet.xlsx": xlsx_bytes(hidden_first),
        "returns_notes_rows.csv": csv_text(variant_header, notes).encode("utf-8"),
        "returns_not_held_phrasings.csv": csv_text(variant_header, phrased).encode("utf-8"),
        "returns_canonical.csv": csv_text(canonical_header, coded).encode("utf-8"),
        "returns_utf8.csv": csv_text(variant_header, coded).encode("utf-8"),
        "returns_utf8_bom.csv": b"\xef\xbb\xbf" + csv_text(variant_header, coded).encode("utf-8"),
        "returns_cp1252.csv": csv_text(variant_header, coded, newline="\r\n").encode("cp1252"),
        "returns.xlsx": xlsx_bytes(workbook(VARIANT, variant_rows, code_column=True)),
        "returns_title_rows.xlsx": xlsx_bytes(workbook(VARIANT, variant_rows, TITLE, code_column=True)),
        "returns_second_sheet.xlsx": xlsx_bytes(workbook(VARIANT, variant_rows, first_sheet="Cover",
                                                         code_column=True)),
    }


# Spend as a finance team writes it in £000s (the pounds of BASE over 1,000).
THOUSANDS = {"£31,000": "31", "£25,000": "25", "£9,400.50": "9.4005", "£240,000": "240", "£30,000": "30"}

# The sheet to read for each good file ('' : the first) and how many rows its header is pushed down.
GOOD_SHEETS = {"returns_second_sheet.xlsx": "Returns"}
GOOD_OFFSETS = {"returns_title_rows.xlsx": 3, "returns_two_row_header.xlsx": 1,
                "returns_two_row_header_blank_corner.xlsx": 1, "returns_subheadings_below.csv": 1}


# ------------------------------------------------------------------------------------------------
# Malformed files: (name, bytes, sheet, row, column, message fragment).

def utf8(header, rows):
    return csv_text(header, rows).encode("utf-8")


def bad_files():
    c = CANONICAL
    cases = [
        # values
        ("count_fraction.csv", utf8(c, with_cell(3, "practices_invited", "57.5")), "", 3, "practices_invited",
         "expected a whole number"),
        ("count_footnote.csv", utf8(c, with_cell(2, "practices_invited", "50*")), "", 2, "practices_invited",
         "footnote marker"),
        ("count_word.csv", utf8(c, with_cell(5, "practices_declined", "six")), "", 5, "practices_declined",
         "expected a whole number"),
        ("count_negative.csv", utf8(c, with_cell(6, "records_uploaded", "-5")), "", 6, "records_uploaded",
         "expected zero or more"),
        ("count_dash.csv", utf8(c, with_cell(4, "practices_invited", "-")), "", 4, "practices_invited",
         "a dash may mean nil or not known"),
        ("count_space_thousands.csv", utf8(c, with_cell(6, "records_uploaded", "201 400")), "", 6,
         "records_uploaded", "found '201 400'"),
        ("count_bad_grouping.csv", utf8(c, with_cell(2, "records_uploaded", "80,30")), "", 2, "records_uploaded",
         "found '80,30'"),
        ("count_date.csv", utf8(c, with_cell(3, "practices_declined", "16/03/2011")), "", 3, "practices_declined",
         "a date"),
        ("money_word.csv", utf8(c, with_cell(2, "spend_to_date_gbp", "about £31k")), "", 2, "spend_to_date_gbp",
         "expected an amount in pounds"),
        ("money_three_decimals.csv", utf8(c, with_cell(5, "spend_to_date_gbp", "£9,400.505")), "", 5,
         "spend_to_date_gbp", "at most 2 decimal places"),
        ("money_negative.csv", utf8(c, with_cell(2, "spend_expected_gbp", "-£500")), "", 2, "spend_expected_gbp",
         "expected zero or more"),
        ("money_dollars.csv", utf8(c, with_cell(6, "spend_expected_gbp", "$30,000")), "", 6, "spend_expected_gbp",
         "expected an amount in pounds"),
        ("money_range.csv", utf8(c, with_cell(3, "spend_expected_gbp", "£20,000-£25,000")), "", 3,
         "spend_expected_gbp", "found '£20,000-£25,000'"),
        ("money_mojibake.csv", utf8(c, with_cell(2, "spend_to_date_gbp", "Â£31,000")), "", 2, "spend_to_date_gbp",
         "mis-encoded"),
        ("yes_no_word.csv", utf8(c, with_cell(3, "rollout_begun", "partly")), "", 3, "rollout_begun",
         "expected yes or no"),
        ("yes_no_number.csv", utf8(c, with_cell(2, "rollout_begun", "1")), "", 2, "rollout_begun",
         "expected yes or no"),
        # consistency rules
        ("declined_more_than_invited.csv", utf8(c, with_cell(5, "practices_declined", "20")), "", 5,
         "practices_declined", "more practices declined (20) than were invited (19)"),
        ("signed_plus_declined_more_than_invited.csv", utf8(c, with_cell(6, "practices_signed_up", "70")), "", 6,
         "practices_signed_up", "plus declined (19) is more than invited (88)"),
        ("viewed_more_than_uploaded.csv", utf8(c, with_cell(5, "records_viewed", "28101")), "", 5, "records_viewed",
         "more records viewed (28,101) than uploaded (28,100)"),
        # PCTs
        ("pct_twice_by_name_and_code.csv", utf8(c, with_cell(4, "pct", "5HQ")), "", 4, "pct",
         "appears twice: also row 2"),
        ("pct_unknown.csv", utf8(c, with_cell(3, "pct", "NHS Narnia")), "", 3, "pct", "unknown PCT 'NHS Narnia'"),
        ("pct_ambiguous.csv", utf8(c, with_cell(5, "pct", "NHS Hertfordshire")), "", 5, "pct",
         "West Hertfordshire (5P4)"),
        ("pct_blank.csv", utf8(c, with_cell(3, "pct", "")), "", 3, "pct", "found nothing"),
        ("pct_unknown_code.csv", utf8(c, with_cell(6, "pct", "5ZZ")), "", 6, "pct", "no 2010 PCT has the code"),
        ("illustrative_unknown_column.csv", utf8(c, with_cell(6, "illustrative", "practices_invitd")), "", 6,
         "illustrative", "unknown column 'practices_invitd'"),
        # header
        ("missing_column.csv", utf8([h for h in c if h != "practices_declined"],
                                    [[v for h, v in zip(c, r) if h != "practices_declined"] for r in BASE]),
         "", 1, "practices_declined", "missing column 'practices_declined'"),
        ("column_twice.csv", utf8([h if h != "notes" else "Invited" for h in c], BASE), "", 1, "Invited",
         "both name the column 'practices_invited'"),
        ("value_without_header.csv", utf8(c, [r + (["stray"] if i == 2 else []) for i, r in enumerate(BASE)]), "",
         4, "", "in column M, which has no header"),
        ("no_header.csv", csv_text(["a", "b", "c"], [r[:3] for r in BASE]).encode(), "", 0, "",
         "no header row found"),
        ("semicolons.csv", "\n".join(";".join(r) for r in [c, *BASE]).encode("utf-8"), "", 0, "",
         "separated by ';'"),
        # the file as a whole
        ("empty.csv", b"", "", 0, "", "the file is empty"),
        ("header_only.csv", utf8(c, []), "", 1, "", "no answers below the header"),
        ("binary_nul_bytes.csv", b"pct,rollout_begun\x00\x00\x01\x02", "", 0, "", "NUL bytes"),
        ("utf16.csv", csv_text(c, BASE).encode("utf-16"), "", 0, "", "UTF-16"),
        ("old_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "", 0, "", "old-style Excel .xls"),
        ("sheet_named_for_csv.csv", utf8(c, BASE), "Returns", 0, "", "this is a CSV file"),
        # encodings
        ("cp1252_undefined_byte.csv", csv_text(c, with_cell(5, "notes", "see letter X")).encode("cp1252")
         .replace(b"letter X", b"letter \x81"), "", 5, "notes", "neither UTF-8 nor Windows-1252"),
        ("mixed_encodings.csv", utf8(c, BASE).replace("£9,400.50".encode(), "£9,400.50".encode("cp1252")), "", 5,
         "spend_to_date_gbp", "mixes two encodings"),
        ("bom_then_cp1252.csv", b"\xef\xbb\xbf" + utf8(c, BASE).replace("Patients’".encode(),
                                                                         "Patients’".encode("cp1252")),
         "", 4, "notes", "UTF-8 marker"),
        ("cp1252_variant_header_value.csv", csv_text(VARIANT, with_cell(2, "Spend to date (£)", "£31,OOO",
                                                                        header=VARIANT)).encode("cp1252"),
         "", 2, "Spend to date (£)", "found '£31,OOO'"),
        # CSV structure and row numbering
        ("unclosed_quote.csv", utf8(c, BASE).replace(b",FOI-2,", b',FOI-2,"never closed'), "", 3, "",
         "not valid CSV"),
        ("title_rows_then_fraction.csv", ("Summary Care Record FOI returns\nFigures at 31 March\n"
                                          + csv_text(c, with_cell(3, "practices_invited", "57.5"))).encode(), "",
         5, "practices_invited", "expected a whole number"),
        ("quoted_newline_then_word.csv", utf8(c, with_cell(3, "practices_declined", "some",
                                                           with_cell(2, "notes", "line one\nline two"))), "", 3,
         "practices_declined", "found 'some'"),
        ("variant_header_word.csv", utf8(VARIANT, with_cell(4, "No. of practices invited", "n.k.", header=VARIANT)),
         "", 4, "No. of practices invited", "found 'n.k.'"),
    ]
    # XLSX
    def book(rows=BASE, header=VARIANT, **kw):
        return workbook(header, rows, TITLE, **kw)

    wb = book(with_cell(3, "No. of practices invited", 57.5, header=VARIANT))
    cases.append(("xlsx_fraction.xlsx", xlsx_bytes(wb), "", 6, "No. of practices invited", "found '57.5'"))
    wb = book()
    wb["Returns"]["C7"] = "=C6+1"  # spreadsheet row 7 holds BASE row 3 (row 4 is the header)
    cases.append(("xlsx_formula_without_value.xlsx", xlsx_bytes(wb), "", 7, "No. of practices invited",
                  "has no saved value"))
    wb = book(with_cell(4, "Practices declined", dt.datetime(2011, 3, 16), header=VARIANT))
    cases.append(("xlsx_date_in_count.xlsx", xlsx_bytes(wb), "", 7, "Practices declined", "a date"))
    wb = book(with_cell(5, "Records viewed", "#DIV/0!", header=VARIANT))
    cases.append(("xlsx_error_value.xlsx", xlsx_bytes(wb), "", 8, "Records viewed", "spreadsheet error value"))
    wb = book(with_cell(6, "No. of records uploaded", True, header=VARIANT))
    cases.append(("xlsx_boolean_in_count.xlsx", xlsx_bytes(wb), "", 9, "No. of records uploaded", "found 'TRUE'"))
    wb = book(code_column=True)
    wb["Returns"]["B5"] = "5QJ"  # NHS Bolton given Bristol's code
    cases.append(("xlsx_code_disagrees_with_name.xlsx", xlsx_bytes(wb), "", 5, "ODS code",
                  "but the name 'NHS Bolton' is Bolton Teaching (5HQ)"))
    cases.append(("xlsx_unknown_sheet.xlsx", xlsx_bytes(book()), "Returns 2011", 0, "",
                  "no sheet named 'Returns 2011'"))
    wb = book([[v for h, v in zip(VARIANT, r) if h != "No. of practices invited"] for r in BASE],
              [h for h in VARIANT if h != "No. of practices invited"])
    cases.append(("xlsx_missing_column.xlsx", xlsx_bytes(wb), "", 4, "practices_invited",
                  "missing column 'practices_invited'"))
    wb = book(with_cell(2, "Roll-out begun?", "Partly", header=VARIANT), first_sheet="Cover")
    cases.append(("xlsx_named_sheet_yes_no.xlsx", xlsx_bytes(wb), "Returns", 5, "Roll-out begun?",
                  "expected yes or no"))
    # What a reader sees is what is read (issue 12): hidden rows and columns, merged cells, header units.
    wb = book()
    wb["Returns"].row_dimensions[7].hidden = True
    cases.append(("xlsx_hidden_row.xlsx", xlsx_bytes(wb), "", 7, "", "row 7 is hidden"))
    wb = book()
    wb["Returns"].column_dimensions["I"].hidden = True
    cases.append(("xlsx_hidden_column.xlsx", xlsx_bytes(wb), "", 4, "Records viewed", "column I is hidden"))
    wb = book(with_cell(3, "PCT name", "", header=VARIANT))
    wb["Returns"].merge_cells("A5:A6")
    cases.append(("xlsx_merged_pct.xlsx", xlsx_bytes(wb), "", 5, "PCT name", "cells A5:A6 are merged"))
    wb = book(header=[h if h != "Further spend expected (£)" else None for h in VARIANT])
    wb["Returns"]["F4"] = "Spend (£)"
    wb["Returns"].merge_cells("F4:G4")
    cases.append(("xlsx_merged_header_without_subheadings.xlsx", xlsx_bytes(wb), "", 4, "Spend (£)",
                  "header cells F4:G4 are merged"))
    wb = book()
    wb["Returns"]["XFD1048576"] = "x"
    cases.append(("xlsx_text_in_far_cell.xlsx", xlsx_bytes(wb), "", 0, "", "has something in cell XFD1048576"))
    cases.append(("xlsx_shared_strings_bomb.xlsx", shared_strings_bomb(xlsx_bytes(book())), "", 0, "",
                  "xl/sharedStrings.xml unpacks to 60,000,"))
    wb = book(with_cell(6, "No. of records uploaded", 2 ** 63, header=VARIANT))
    cases.append(("xlsx_count_2_63.xlsx", xlsx_bytes(wb), "", 9, "No. of records uploaded", "count out of range"))
    # Round 3 (issue 23): joint figures, rows and columns no one can see, units and shares, files that are
    # not what they are named.
    wb = book(with_cell(4, "Spend to date (£)", "", with_cell(3, "Spend to date (£)", "£56,000", header=VARIANT),
                        header=VARIANT))
    wb["Returns"].merge_cells("F6:F7")  # one figure for Bristol and Hammersmith & Fulham
    cases.append(("xlsx_joint_figure_merged_rows.xlsx", xlsx_bytes(wb), "", 6, "Spend to date (£)",
                  "a joint figure: F6:F7 is merged over rows 6-7"))
    wb = book(with_cell(2, "Further spend expected (£)", "", header=VARIANT))
    wb["Returns"].merge_cells("F5:G5")
    cases.append(("xlsx_joint_figure_two_columns.xlsx", xlsx_bytes(wb), "", 5, "Spend to date (£)",
                  "merged across columns 'Spend to date (£)', 'Further spend expected (£)'"))
    cases.append(("joint_answer_two_pcts.csv", utf8(c, with_cell(3, "pct", "Bristol and South Gloucestershire")),
                  "", 3, "pct", "a joint answer: 'Bristol and South Gloucestershire' names 2 PCTs"))
    cases.append(("joint_included_above.csv", utf8(c, with_cell(4, "spend_to_date_gbp", "included above")), "", 4,
                  "spend_to_date_gbp", "cannot be split without a decision"))
    hidden = [
        ("xlsx_zero_height_row.xlsx", (b'<row r="7"', b'<row r="7" ht="0" customHeight="1"'), 7, "",
         "row 7 is 0 points high"),
        ("xlsx_zero_width_column.xlsx", (b"<sheetData>", b'<cols><col min="9" max="9" width="0" customWidth="1"/>'
                                                         b"</cols><sheetData>"), 4, "Records viewed",
         "column I is 0 characters wide"),
    ]
    for name, swap, row, column, message in hidden:
        cases.append((name, edit_sheet(xlsx_bytes(book()), swap), "", row, column, message))
    wb = book()
    wb["Returns"].row_dimensions.group(6, 7, outline_level=1, hidden=False)
    wb["Returns"].row_dimensions[8].collapsed = True
    cases.append(("xlsx_collapsed_outline_rows.xlsx", xlsx_bytes(wb), "", 6, "",
                  "rows 6-7 are folded away in a collapsed outline group"))
    wb = book()
    wb["Returns"].auto_filter.ref = "A4:L9"
    wb["Returns"].auto_filter.add_filter_column(0, [r[0] for r in BASE[:-1]])  # NHS Dorset (row 9) left out
    cases.append(("xlsx_filtered_out_row.xlsx", xlsx_bytes(wb), "", 9, "", "row 9 is filtered out"))
    cases.append(("header_thousands_cells_pounds.csv",
                  utf8([h if h != "spend_to_date_gbp" else "Spend to date (£000s)" for h in c], BASE), "", 1,
                  "Spend to date (£000s)", "gives its unit as thousands of pounds, but its cells give amounts in "
                                           "pounds ('£31,000' in row 2, and 2 more)"))
    wb = book(header=[h if h != "Further spend expected (£)" else "Further spend expected (£000s)" for h in VARIANT])
    for cell in ("G6", "G9"):
        wb["Returns"][cell] = int(wb["Returns"][cell].value.strip("£").replace(",", ""))
        wb["Returns"][cell].number_format = '"£"#,##0'
    cases.append(("xlsx_thousands_header_pound_format.xlsx", xlsx_bytes(wb), "", 4,
                  "Further spend expected (£000s)", "its cells give amounts in pounds ('£25000' in row 6"))
    cases.append(("header_percent_declined.csv",
                  utf8([h if h != "practices_declined" else "Practices declined (%)" for h in c], BASE), "", 1,
                  "Practices declined (%)", "gives a share or percentage, but the suite needs a count"))
    cases.append(("count_percent_cells.csv", utf8(c, with_cell(5, "practices_declined", "32%",
                                                               with_cell(2, "practices_declined", "28%"))),
                  "", 1, "practices_declined", "holds percentages ('28%' in row 2, and 1 more)"))
    wb = book()
    for row, share in ((5, 0.28), (6, 0.28), (8, 0.32), (9, 0.22)):
        wb["Returns"][f"D{row}"] = share
        wb["Returns"][f"D{row}"].number_format = "0%"
    cases.append(("xlsx_percent_format.xlsx", xlsx_bytes(wb), "", 4, "Practices declined",
                  "holds percentages ('28%' in row 5, and 3 more)"))
    wb = book()
    wb["Returns"]["D8"].number_format = ";;;"  # NHS Isle of Wight's practices declined, shown as nothing
    cases.append(("xlsx_value_hidden_by_format.xlsx", xlsx_bytes(wb), "", 8, "Practices declined",
                  "the cell's number format shows nothing (a format such as ';;;')"))
    in_thousands = [[*r[:5], *(THOUSANDS.get(v, v) for v in r[5:7]), *r[7:]] for r in BASE]
    cases.append(("title_row_unit.csv", ("All figures £000s\n" + csv_text(c, in_thousands)).encode("utf-8"),
                  "", 1, "", "row 1 says the figures are in thousands of pounds ('All figures £000s'), but the header "
                             "of 'spend_to_date_gbp', 'spend_expected_gbp' does not"))
    wb = book(first_sheet="Covering letter")
    wb["Covering letter"].append(["Dear Ms Smith, please find our response to your request below."])
    cases.append(("xlsx_cover_letter_first.xlsx", xlsx_bytes(wb), "", 0, "",
                  "Sheet 'Returns' has the table (header in row 4): name it with 'foi_sheet: Returns'"))
    cases.append(("utf16_no_bom.csv", csv_text(c, BASE).encode("utf-16-le"), "", 0, "",
                  "UTF-16 ('Unicode text') without a byte-order mark: save it as 'CSV UTF-8'"))
    page = ("<!DOCTYPE html>\n<html><head><title>FOI response</title><style>" + "td{padding:2px}" * 60
            + "</style></head><body><table>" + "".join(f"<tr><td>{r[0]}</td><td>{r[2]}</td></tr>" for r in BASE)
            + "</table></body></html>\n")
    cases.append(("web_page.xls", page.encode("utf-8"), "", 0, "", "this is a web page (HTML), not a spreadsheet, "
                                                                   "though it is named .xls"))
    archive = b"MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\n\r\n" + page.encode("utf-8")
    cases.append(("web_archive.xls", archive, "", 0, "", "a web archive (MHTML, a 'single file web page'), not a spreadsheet"))
    cases.append(("password_protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1016)
                  + "EncryptedPackage".encode("utf-16-le") + bytes(1000), "", 0, "",
                  "the workbook is protected with a password (encrypted)"))
    cases += [
        ("unquoted_thousands.csv", utf8(c, BASE).replace(b'"\xc2\xa3240,000"', "£240,000".encode()), "", 6, "",
         "('£240,000' in columns F-G) must be in quotes"),
        ("extra_blank_field.csv", utf8(c, BASE).replace(b",FOI-2,,\n", b",FOI-2,,,\n"), "", 3, "",
         "this row has 13 fields but the header has 12"),
        ("header_spend_unread.csv", utf8([h if h != "spend_to_date_gbp" else "Spend" for h in c], BASE), "", 1,
         "Spend", "looks like data the suite needs"),
        ("header_records_unread.csv", utf8([h if h != "records_uploaded" else "SCRs created" for h in c], BASE), "",
         1, "SCRs created", "rename it to 'records_uploaded'"),
        ("header_unit_billions.csv", utf8([h if h != "spend_to_date_gbp" else "Spend to date (£bn)" for h in c],
                                          BASE), "", 1, "Spend to date (£bn)", "is not read"),
        ("header_money_unit_on_count.csv", utf8([h if h != "records_uploaded" else "Records uploaded (£000s)"
                                                 for h in c], BASE), "", 1, "Records uploaded (£000s)",
         "a money unit (thousands of pounds) on 'records_uploaded'"),
        ("money_400_digits.csv", utf8(c, with_cell(2, "spend_to_date_gbp", "9" * 400)), "", 2, "spend_to_date_gbp",
         "out of range: a number of 400 digits"),
        ("money_above_any_budget.csv", utf8(c, with_cell(6, "spend_expected_gbp", "£30,000,000,000")), "", 6,
         "spend_expected_gbp", "amount out of range"),
        ("count_2_63.csv", utf8(c, with_cell(4, "records_uploaded", str(2 ** 63))), "", 4, "records_uploaded",
         "count out of range"),
        ("count_held_elsewhere.csv", utf8(c, with_cell(3, "practices_invited", "held by the SHA")), "", 3,
         "practices_invited", "write 'not held'"),
        ("pct_compass_swapped.csv", utf8(c, with_cell(3, "pct", "North Gloucestershire")), "", 3, "pct",
         "unknown PCT 'North Gloucestershire'"),
        ("pct_compass_qualifier.csv", utf8(c, with_cell(5, "pct", "NHS Eastern Cheshire")), "", 5, "pct",
         "Central and Eastern Cheshire (5NP)"),
        ("opendocument.ods", zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                        "content.xml": b"<office:document-content/>"}), "", 0, "",
         "OpenDocument spreadsheet (.ods), which is not read: save it as .xlsx or as CSV"),
        ("opendocument_not_zip.ods", b"not really a spreadsheet\n", "", 0, "", "save it as .xlsx or as CSV"),
        ("random_bytes.xlsx", pseudo_random_bytes(4096), "", 0, "", "not a valid .xlsx workbook"),
        ("zip_without_workbook.xlsx", zip_bytes({"readme.txt": b"hello"}), "", 0, "", "a zip file without a workbook"),
    ]
    return cases


def main():
    good, bad = HERE / "good", HERE / "bad"
    for folder in (good, bad):
        folder.mkdir(exist_ok=True)
        for old in folder.iterdir():
            old.unlink()
    for name, data in good_files().items():
        (good / name).write_bytes(data)
    rows = []
    for name, data, sheet, row, column, message in bad_files():
        (bad / name).write_bytes(data)
        rows.append({"file": name, "sheet": sheet, "row": row, "column": column, "message": message})
    with open(HERE / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "sheet", "row", "column", "message"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(good_files())} good and {len(rows)} malformed files")


if __name__ == "__main__":
    main()
