"""The illustrative FOI returns: reproducible from the seed, and true to every published figure."""

from scr_lib import paths
from scr_lib.findings.arithmetic import refusal
from scr_lib.inputs import foi
from scr_lib.story import claims
from tools import synth
from scr_lib.inputs.reference import NAMED_AREAS

import numpy as np
import pytest


def test_committed_file_is_exactly_what_the_seeded_generator_writes():
    assert synth.to_csv(synth.generate()) == paths.FOI_2010.read_text(encoding="utf-8")


def test_another_seed_gives_other_values_but_the_same_totals(tmp_path):
    other = synth.write(tmp_path / "other.csv", seed=7)
    assert other.read_text() != paths.FOI_2010.read_text()
    totals = refusal.totals(refusal.mark_complete(foi.load_returns(other).frame))
    assert totals == refusal.totals(refusal.mark_complete(foi.load_returns(paths.FOI_2010).frame))


def test_bundled_returns_meet_the_published_totals():
    frame = foi.load_returns(paths.FOI_2010).frame
    totals = refusal.totals(refusal.mark_complete(frame))
    for key in ("areas_answered", "areas_complete", "practices_invited", "practices_declined"):
        assert totals[key] == claims.published(f"refusal.{key}")


def test_named_areas_keep_published_values_and_the_rest_is_marked():
    frame = foi.load_returns(paths.FOI_2010).frame
    named = frame[frame.ods_code.isin(NAMED_AREAS)]
    others = frame[~frame.ods_code.isin(NAMED_AREAS)]
    assert len(named) == len(NAMED_AREAS)
    assert (others["illustrative"] == "*").all()
    assert not named["illustrative"].str.contains(r"\*").any()
    dorset = frame.set_index("ods_code").loc["5QM"]
    assert dorset.spend_to_date_gbp == claims.published("spend.dorset_to_date_gbp")
    assert "spend_to_date_gbp" not in dorset.illustrative.split(";")
    assert "practices_declined" in dorset.illustrative.split(";")
    assert frame["spend_to_date_gbp"].eq(0).sum() >= claims.published("spend.pcts_reporting_zero")


def test_allocate_hits_the_total_within_bounds():
    shares = synth.allocate(100, [1, 1, 8], caps=[50, 50, 30], minimum=5)
    assert shares.sum() == 100
    assert shares.tolist() == [35, 35, 30]
    assert synth.allocate(7, [1, 1, 1]).sum() == 7


@pytest.mark.parametrize("total, caps, minimum", [(10, [3, 3], 0), (10, None, 6), (10, [1, 20], 2)])
def test_allocate_refuses_impossible_bounds(total, caps, minimum):
    with pytest.raises(ValueError):
        synth.allocate(total, np.ones(2), caps=caps, minimum=minimum)
