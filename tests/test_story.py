"""Acceptance, as a new user meets it: `scr run` on the bundled params reproduces the refusal finding."""

import json

import pytest
import yaml

from scr_lib import paths
from scr_lib.findings.arithmetic import refusal
from scr_lib.inputs import foi
from scr_lib.story import claims
from scr_lib.precision import round_number


@pytest.mark.slow
def test_story_run_reproduces_the_refusal_share(story_run):
    results = json.loads((story_run / "results.json").read_text())
    value = {key: entry["value"] for key, entry in results.items()}
    published = {key: claims.published(f"refusal.{key}")
                 for key in ("practices_invited", "practices_declined", "areas_complete", "areas_answered")}
    assert value["refusal.share"] == round_number(published["practices_declined"] / published["practices_invited"])
    assert value["refusal.one_in"] == claims.load_claims().set_index("claim_id").loc["refusal-one-in", "value"]
    for key, expected in published.items():
        assert value[f"refusal.{key}"] == expected
    assert all(set(entry) >= {"value", "unit", "notebook"} for entry in results.values())


def test_totals_recomputed_from_the_file_the_params_name():
    params = yaml.safe_load(paths.DEFAULT_PARAMS.read_text())
    returns = foi.load_returns(paths.DEFAULT_PARAMS.parent / params["foi_returns"])
    totals = refusal.totals(refusal.mark_complete(returns.frame))
    assert totals["practices_invited"] == claims.published("refusal.practices_invited")
    assert totals["practices_declined"] == claims.published("refusal.practices_declined")


@pytest.mark.slow
def test_story_run_writes_notebooks_results_and_site(story_run):
    assert (story_run / "site" / "index.html").is_file()
    executed = sorted(p.name for p in (story_run / "notebooks").glob("*.ipynb"))
    assert executed == sorted(p.name for p in paths.NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
