"""Write the second example: an illustrative follow-up FOI round, as an FOI officer's spreadsheet.

``data/examples/followup_2011/foi_followup_2011.xlsx`` shows the re-run path
(``params/followup_2011.yaml``) on a file written the way FOI answers arrive:
an .xlsx with a title and a note above the header, header names that are not
the suite's own ("PCT name", "ODS code", "No. of practices invited",
"Spend to date (£)"), amounts typed as text with "£" and commas, "nil",
"Not known", "N/A" and blank cells, and a second worksheet of notes.

**Every value is illustrative.** No follow-up FOI round was published; the
rows below were written by hand for this example (no random draws), and every
row's ``illustrative`` cell is '*'. The seven areas Pulse named are included
so that every notebook has something to say about them; their figures here
are not Pulse's.

Run ``python -m tools.examples`` to rewrite the file. The bytes are the
same every time (fixed document and zip timestamps), so a change shows up in
``git diff`` only when the rows change.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from scr_lib import paths
from scr_lib.inputs import reference

NAME = "followup_2011"
FOLDER = paths.DATA / "examples" / NAME
WORKBOOK = FOLDER / f"foi_{NAME}.xlsx"
SHEET = "Returns"
FIXED_TIME = dt.datetime(2011, 4, 1, 9, 0, 0)

TITLE = ("Freedom of Information request: Summary Care Record rollout, follow-up "
         "(position at 31 March 2011)")
NOTE = ("ILLUSTRATIVE DATA: written by hand for tools/examples.py to show how the suite re-runs on new "
        "FOI answers. These are not FOI answers and no figure here is a fact about any PCT.")
HEADER = ["PCT name", "ODS code", "Roll-out begun?", "No. of practices invited", "Practices declined",
          "Practices signed up", "Spend to date (£)", "Further spend expected (£)", "No. of SCRs uploaded",
          "Records viewed", "FOI ref", "Comments", "illustrative"]

# (PCT as the officer wrote it, write the ODS code?, begun, invited, declined, signed up,
#  spend to date, further spend expected, records uploaded, records viewed, comment).
# Numbers are numeric cells; strings are typed text, as FOI officers send them.
ROWS = [
    ("NHS North Lancashire", True, "Yes", 38, 9, 14, "£48,200", "£20,000", 61250, 12, ""),
    ("NHS Cambridgeshire", True, "Yes", 77, 21, 40, 96500, 35000, 148900, 31, ""),
    ("NHS Peterborough", True, "Y", 27, 8, 17, "£22,750.50", "nil", 58400, 4, ""),
    ("NHS Dorset", True, "Yes", 88, 19, 62, "£240,000", "£30,000", "201,400", 37, "Early adopter"),
    ("NHS Hammersmith & Fulham", True, "No", 0, "", "", "nil", "Not known", 0, 0,
     "No practices invited: patients' choice"),
    ("Torbay Care Trust", True, "No", "", "", "", "nil", "", "", "", "No local rollout planned before 2012"),
    ("NHS Buckinghamshire", True, "No", 0, "", "", "nil", "N/A", 0, 0, ""),
    ("NHS Bolton", True, "Yes", 50, 14, 30, "£31,000", "£12,000", 80300, 9, ""),
    ("Bristol PCT", False, "yes", 57, 16, 33, "Not known", "£25,000", "not held", "", ""),
    ("NHS Isle of Wight", True, "TRUE", 19, 6, 11, "£9,400", "nil", 28100, 2, ""),
    ("NHS Sheffield", True, "Yes", 89, 22, 51, 58000, 40000, 190200, 15, ""),
    ("Leeds PCT", True, "Yes", 108, 31, "not known", "£64,900", "Not known", 240500, 21, ""),
    ("NHS Cumbria", True, "Yes", 80, 17, 50, "£51,000", "£18,500", 150600, 11, ""),
    ("NHS Wirral", True, "Yes", 63, 20, 30, 27500, "nil", 98000, 6, ""),
    ("NHS Norfolk", True, "Y", 92, 23, 60, "£70,250", "£44,000", "not known", "", ""),
    ("NHS Kirklees", True, "Yes", 70, "not known", 41, "£15,000", "Not known", "", "", "Figures being collated"),
    ("NHS Somerset", True, "Yes", "Not known", "Not known", "", "nil", "£60,000", "", "", ""),
    ("NHS Devon", True, "No", "", "", "", "nil", "", 0, 0, ""),
    ("NHS Surrey", True, "Yes", 147, 41, 70, "£120,000", "£85,000", 260900, 40, ""),
    ("NHS Hull", True, "No", 0, "", "", "£2,100", "", 0, 0, "Preparatory work only"),
    ("NHS Barnet", False, "Yes", 68, 15, 40, "nil", "£10,000", 52000, 3, ""),
    ("NHS Derbyshire County", True, "yes", "N/A", "N/A", "", "Not known", "Not known", "", "", ""),
    ("Oxfordshire PCT", True, "Yes", 84, 22, 45, "£39,800", "£16,000", 121700, 8, ""),
    ("Heart of Birmingham Teaching PCT", True, "Yes", 61, 18, 20, "£33,300", "Not known", 70400, 5, ""),
]

NOTES_SHEET = [
    ["Notes"],
    ["Practices declined: practices that told the PCT they would not take part."],
    ["Practices signed up: practices that agreed to take part or have shown interest."],
    ["Spend to date: local spend on the rollout, excluding central funding."],
    ["'Not known' and 'N/A': the PCT does not hold the figure. 'nil': none."],
    ["ILLUSTRATIVE DATA: see the Returns sheet."],
]


def build():
    """The example workbook (an :class:`openpyxl.Workbook`), not yet saved."""
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append([TITLE])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([NOTE])
    ws.append([])
    ws.append(HEADER)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    pcts = reference.PCTs.read()
    for i, (pct, with_code, *figures, comment) in enumerate(ROWS, start=1):
        code = reference.resolve(pct, pcts).ods_code if with_code else None
        ws.append([pct, code, *[None if v == "" else v for v in figures], f"FOI/2011/{i:03d}",
                   comment or None, "*"])
        row = ws.max_row
        for column in "GH":  # money typed as numbers is shown in pounds, as a finance team would
            if isinstance(ws[f"{column}{row}"].value, (int, float)):
                ws[f"{column}{row}"].number_format = '"£"#,##0'
    notes = wb.create_sheet("Notes")
    for line in NOTES_SHEET:
        notes.append(line)
    wb.properties.creator = "tools.examples"
    return wb


def deterministic_bytes(workbook, when: dt.datetime = FIXED_TIME) -> bytes:
    """The bytes of an openpyxl workbook saved so that the same cells always give the same bytes.

    openpyxl stamps the save time into ``docProps/core.xml`` and the zip
    entries; both are set to ``when``.
    """
    buffer = io.BytesIO()
    workbook.properties.created = when
    workbook.save(buffer)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data)
    return out.getvalue()


def save_deterministic(workbook, path: Path, when: dt.datetime = FIXED_TIME) -> Path:
    """Save ``workbook`` to ``path`` as :func:`deterministic_bytes`; returns the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(deterministic_bytes(workbook, when))
    return path


def write(path: Path = WORKBOOK) -> Path:
    """Write the example workbook to ``path``; returns the path."""
    return save_deterministic(build(), path)


if __name__ == "__main__":
    print(f"wrote {write()}")
