"""Build data/reference/pcts_2010.csv from the ONS names-and-codes lists.

Developer-only: it reads the ONS files beside the project (``../shared/reference``
by default), which a user who clones the project does not have. Its output is
committed; nothing at run time or in tests needs the ONS files.

    python scripts/build_reference.py [ONS_DIR]

The layout is the project's own: one row per PCT or care trust that existed in
2010 (152), with its ODS and ONS codes, its single Strategic Health Authority,
the trading names used by Pulse, and a note of any change since 2010.
Contains National Statistics data © Crown copyright and database right.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "reference" / "pcts_2010.csv"

# PCTs that cross an SHA boundary are listed twice by ONS; one SHA each
# (shared/FACTS.md, "Primary Care Trusts").
ONE_SHA = {"5K3": "Q39", "5LH": "Q31", "5N9": "Q33", "5QG": "Q38"}

# The 2010 organisations that the 2012 list no longer has (shared/FACTS.md).
EAST_OF_ENGLAND = "Q35"
WEST_MIDLANDS = "Q34"
RESTORED_2010 = [
    # ods, ons, name, org_type, sha, note
    ("5P3", "E16000105", "East and North Hertfordshire", "PCT", EAST_OF_ENGLAND,
     "Merged with 5P4 into 5QV Hertfordshire by April 2011"),
    ("5P4", "E16000106", "West Hertfordshire", "PCT", EAST_OF_ENGLAND,
     "Merged with 5P3 into 5QV Hertfordshire by April 2011"),
    ("TAM", "E17000004", "Solihull", "Care Trust", WEST_MIDLANDS,
     "Solihull Care Trust in 2010; later 5QW Solihull PCT (E16000151)"),
]
REPLACED_AFTER_2010 = {"5QV", "5QW"}

# Pulse's names for the areas its 2010 article names (shared/FACTS.md).
PULSE_NAMES = {
    "5NF": "NHS North Lancashire",
    "5PP": "NHS Cambridgeshire",
    "5PN": "NHS Peterborough",
    "5QM": "NHS Dorset",
    "5H1": "NHS Hammersmith and Fulham",
    "TAL": "Torbay Care Trust",
    "5QD": "NHS Buckinghamshire",
}

NOTES = {
    "TAP": "Listed as 5CC Blackburn with Darwen PCT in some 2009-10 lists",
    "5HQ": "ONS code changed after 2010 (E16000148); ODS code unchanged",
    "5NT": "ONS code changed after 2010 (E16000149); ODS code unchanged",
}
# Codes and names of successors or predecessors that an FOI file may still use.
# Hertfordshire's 2011 name and code stand for both of its 2010 PCTs, so they
# resolve to neither: the resolver reports them as ambiguous.
OLD_CODES = {"TAP": "5CC", "TAM": "5QW;Solihull PCT", "5P3": "5QV;Hertfordshire", "5P4": "5QV;Hertfordshire"}


def _trading_name(name: str) -> str:
    """NHS trading name for an ONS name: 'North Lancashire Teaching' -> 'NHS North Lancashire'."""
    core = name.removesuffix(" National Health Service").removesuffix(" Teaching")
    return f"NHS {core}"


def build(ons_dir: Path) -> pd.DataFrame:
    names = pd.read_csv(ons_dir / "ons_pct_names_codes_england_2012.csv", dtype=str)
    lookup = pd.read_csv(ons_dir / "ons_pct_to_sha_lookup_england_2012.csv", dtype=str)
    shas = pd.read_csv(ons_dir / "ons_sha_names_codes_england_2012.csv", dtype=str)

    keep = lookup.apply(lambda r: ONE_SHA.get(r.PCO12CDO, r.SHA12CDO) == r.SHA12CDO, axis=1)
    lookup = lookup[keep]
    assert lookup.PCO12CDO.is_unique and len(lookup) == len(names) == 151

    rows = []
    for r in names.merge(lookup[["PCO12CDO", "SHA12CDO"]], on="PCO12CDO").itertuples():
        if r.PCO12CDO in REPLACED_AFTER_2010:
            continue
        rows.append((r.PCO12CDO, r.PCO12CD, r.PCO12NM,
                     "Care Trust" if r.PCO12CD.startswith("E17") else "PCT",
                     r.SHA12CDO, NOTES.get(r.PCO12CDO, "")))
    rows += RESTORED_2010

    table = pd.DataFrame(rows, columns=["ods_code", "ons_code", "name", "org_type", "sha_ods_code", "note"])
    table = table.merge(
        shas.rename(columns={"SHA12CDO": "sha_ods_code", "SHA12CD": "sha_ons_code", "SHA12NM": "sha_name"}),
        on="sha_ods_code",
    )

    def aliases(r) -> str:
        found = [_trading_name(r["name"])]
        if r["org_type"] == "Care Trust":
            found.append(f"{r['name']} Care Trust")
        found.append(PULSE_NAMES.get(r["ods_code"], ""))
        found.append(OLD_CODES.get(r["ods_code"], ""))
        return ";".join(dict.fromkeys(a for a in found if a and a != r["name"]))

    table["aliases"] = table.apply(aliases, axis=1)
    table = table[["ods_code", "ons_code", "name", "org_type", "sha_ods_code", "sha_ons_code",
                   "sha_name", "aliases", "note"]]
    table = table.sort_values("ods_code", ignore_index=True)
    assert len(table) == 152 and table.ods_code.is_unique
    return table


if __name__ == "__main__":
    ons_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "reference"
    table = build(ons_dir)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(OUT, index=False, lineterminator="\n")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(table)} organisations")
