"""Time and peak memory of `scr check` on large and hostile FOI files, against the issue's targets.

    python benchmarks/read_limits.py [--rows N] [--check]      (or: make bench-read)

Builds every input in a temporary folder (nothing is written to the project):

  far space       an .xlsx of five answers and one space in cell XFD1048576 (its dimension far out):
                  read, since a cell of spaces is blank
  far text        the same with an 'x' in XFD1048576: refused
  spaces 200,000  five answers, then 200,000 rows of one space each, the sheet's dimension
                  claiming A1:XFD1048576: read or refused
  spaces 1,048,576  the same with a space in every row the format allows
  blank CSV       a CSV of five answers and 100,000 blank rows: read, skipped rows said as a range
  strings bomb    an .xlsx of about 1 MB whose shared strings unpack to 1 GB
  N-row CSV       a CSV of N answers (default 100,000; the PCT names cycle, so most rows are
                  reported as duplicates: a worst case for the number of problems)
  N-row XLSX      the same rows as an .xlsx

and runs `python -m scr_lib.cli check FILE` on each in a child process, printing its wall time
and peak resident memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``, measured in a
wrapper process around each check so that figures do not mix) against the targets: files over
the limits refused, and files that misstate their size read or refused, within 5 s and 500 MB, with
the first line of output shown; a 100,000-row file checked within 10 s and 500 MB. The machine's core
count and load average are printed with them.
With --check the exit status is 1 when a target is missed. Timings are never asserted in tests.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REFUSE_SECONDS, REFUSE_MB = 5.0, 500.0
CHECK_SECONDS, CHECK_MB = 10.0, 500.0

# Runs one command and prints its wall time, peak memory (MB), exit code and the first line of its output.
WRAPPER = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - start
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kilobytes on Linux
lines = [l for l in (done.stdout + done.stderr).splitlines() if l.strip()]
print(json.dumps({"seconds": seconds, "mb": peak_kb / 1024, "code": done.returncode, "lines": lines[:3],
                  "count": len(lines)}))
"""


def header_and_rows(n: int) -> tuple[list[str], list[list]]:
    from scr_lib.inputs import reference

    names = list(reference.load_pcts()["name"])
    header = ["PCT name", "Roll-out begun?", "No. of practices invited", "Practices declined", "Practices signed up",
              "Spend to date (£)", "Further spend expected (£)", "No. of records uploaded", "Records viewed",
              "FOI ref", "Comments"]
    rows = [[names[i % len(names)], "yes", 40 + i % 20, i % 9, 20 + i % 7, 1000 * (i % 50), 500, 10_000 + i, i % 30,
             f"FOI-{i}", "as answered"] for i in range(n)]
    return header, rows


def write_csv(path: Path, n: int) -> Path:
    header, rows = header_and_rows(n)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, n: int) -> Path:
    import openpyxl

    header, rows = header_and_rows(n)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Returns")
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_far_cell(path: Path, text: str = " ") -> Path:
    import openpyxl

    header, rows = header_and_rows(5)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws["XFD1048576"] = text
    wb.save(path)
    return path


def write_spaces(path: Path, spaces: int) -> Path:
    """Five answers, then ``spaces`` rows of one space each (a shared string), the dimension claiming the
    whole sheet: the sheet misstates its size."""
    small = write_far_cell(path.with_name("five.xlsx"))
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _, tail = data.partition(b"</sheetData>")
                head = head[:head.rindex(b"<row r=\"1048576\"")] if b'<row r="1048576"' in head else head
                with dst.open(info.filename, "w", force_zip64=True) as out:
                    out.write(head)
                    for start in range(7, 7 + spaces, 10_000):
                        out.write("".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t xml:space="preserve"> '
                                          f'</t></is></c></row>' for r in range(start, min(start + 10_000,
                                                                                          7 + spaces))).encode())
                    out.write(b"</sheetData>" + tail)
            else:
                dst.writestr(info, data)
    return path


def write_blank_csv(path: Path, blank: int) -> Path:
    write_csv(path, 5)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(",,,\n" * blank)
    return path


def write_strings_bomb(path: Path, unpacked: int = 1_000_000_000) -> Path:
    """A valid small workbook whose xl/sharedStrings.xml is replaced by ``unpacked`` bytes of repeated strings."""
    small = write_xlsx(path.with_name("small.xlsx"), 5)
    one = b"<si><t>" + b"x" * 1000 + b"</t></si>"
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                dst.writestr(info.filename, src.read(info.filename))
        with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as out:
            out.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                      b'spreadsheetml/2006/main">')
            block = one * 1000
            for _ in range(unpacked // len(block)):
                out.write(block)
            out.write(b"</sst>")
    return path


def measure(path: Path) -> dict:
    command = [sys.executable, "-m", "scr_lib.cli", "check", str(path)]
    done = subprocess.run([sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the large files (default 100,000)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    missed = 0
    with tempfile.TemporaryDirectory(prefix="scr-read-limits-") as tmp:
        folder = Path(tmp)
        # (label, file, seconds, MB, what must happen: 'refused', 'read' or 'either')
        cases = [
            ("far space (a space in XFD1048576)", write_far_cell(folder / "far_space.xlsx"), REFUSE_SECONDS,
             REFUSE_MB, "read"),
            ("far text (an 'x' in XFD1048576)", write_far_cell(folder / "far_text.xlsx", "x"), REFUSE_SECONDS,
             REFUSE_MB, "refused"),
            ("200,000 rows of spaces, size misstated", write_spaces(folder / "spaces.xlsx", 200_000),
             REFUSE_SECONDS, REFUSE_MB, "either"),
            ("1,048,570 rows of spaces (every row)", write_spaces(folder / "all_spaces.xlsx", 1_048_570),
             REFUSE_SECONDS, REFUSE_MB, "either"),
            ("CSV of 100,000 blank rows", write_blank_csv(folder / "blank.csv", 100_000), REFUSE_SECONDS, REFUSE_MB,
             "read"),
            ("shared-strings bomb (1 GB unpacked)", write_strings_bomb(folder / "bomb.xlsx"), REFUSE_SECONDS,
             REFUSE_MB, "refused"),
            (f"{args.rows:,}-row CSV", write_csv(folder / "large.csv", args.rows), CHECK_SECONDS, CHECK_MB, "either"),
            (f"{args.rows:,}-row XLSX", write_xlsx(folder / "large.xlsx", args.rows), CHECK_SECONDS, CHECK_MB,
             "either"),
        ]
        for label, path, seconds, mb, expected in cases:
            got = measure(path)
            ok = got["seconds"] <= seconds and got["mb"] <= mb
            missed += not ok
            print(f"\n{label}: {path.stat().st_size:,} bytes")
            print(f"  time   {got['seconds']:7.2f} s   (target: at most {seconds:g} s)")
            print(f"  memory {got['mb']:7.0f} MB  (target: at most {mb:g} MB)  {'ok' if ok else 'MISSED'}")
            print(f"  exit {got['code']}, {got['count']:,} lines of output; first: {got['lines'][0][:200]}"
                  if got["lines"] else f"  exit {got['code']}, no output")
            said = " ".join(got["lines"])
            refused = got["code"] == 1 and ("over" in said or "beyond" in said)
            if expected == "refused" and not refused or expected == "read" and got["code"] != 0:
                print(f"  MISSED: expected the file to be {expected}")
                missed += 1
            if "Traceback" in said or "bug in scr" in said:
                print("  MISSED: a traceback or a bug line")
                missed += 1
    print(f"\n{missed} target{'s' if missed != 1 else ''} missed" if missed else "\nevery target met")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
