"""The claims ledger as written."""

import pytest

from scr_lib.inputs import ledger
from scr_lib.story import claims


def test_the_ledger_is_read_as_text_where_text_and_handed_out_as_copies():
    first = ledger.load_claims()
    first.loc[0, "quote"] = "changed"
    assert ledger.load_claims().loc[0, "quote"] != "changed"
    assert ledger.load_claims("ooh").finding.eq("ooh").all()
    assert first["printed"].map(type).eq(str).all()


def test_published_picks_the_most_precise_claim_and_names_the_known_keys():
    assert ledger.published("ooh.records_created") == claims.published("ooh.records_created")
    with pytest.raises(KeyError, match="no published claim for 'nope'"):
        ledger.published("nope")
