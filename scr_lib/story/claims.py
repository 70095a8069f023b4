"""The published claims, and whether a run's results still bear them out.

``data/pulse_2010/claims.csv`` holds one row per figure the articles print:
its short quote, the text as printed, the value in the claim's own unit, and
how to check it. A result is put into the claim's unit by multiplying by
``scale`` (a fraction times 100 is a percentage) and then compared at the
precision the article printed (``decimals``: places after the point;
negative for tens, hundreds...). The ``check`` column says how:

- ``equal``: the rounded result equals the published value;
- ``one_in``: the nearest "one in N" of the result is the published N;
- ``less_than`` / ``at_least``: the result is below / not below the value;
  ``more_than`` / ``at_most``: above / not above it;
- ``input``: the figure is an input the story uses, shown but not checked;
- ``context``: a figure the article prints that the data cannot check (no
  ``result_key``); the ``reason`` column says why. :func:`check_all` leaves
  context rows out unless asked (``context=True``), so a notebook's count of
  claims that hold is over checkable claims only.

A yes/no result (1 yes, 0 no), such as whether an area had begun the rollout,
is worded with ``{yes_no}`` in the ``wording`` column.
"""

from __future__ import annotations

import pandas as pd

from .. import findings, paths, words
from ..inputs import ledger
from .figures import is_illustrative, value

CHECKS = ledger.CHECKS
BOUNDS = ("less_than", "at_least", "more_than", "at_most")


def _claims() -> pd.DataFrame:
    table = ledger.read()
    unknown = table[~table["finding"].isin(findings.IDS)]
    if not unknown.empty:
        row = unknown.index[0] + 2  # the header is line 1
        raise ValueError(f"{paths.CLAIMS}, line {row}, column finding: {unknown['finding'].iloc[0]!r} is not a "
                         f"finding (known: {', '.join(findings.IDS)}); declare it in scr_lib/findings/, or "
                         "correct the id")
    return table


def load_claims(finding: str | None = None) -> pd.DataFrame:
    """The claims table, or the claims of one ``finding`` (an id of :data:`scr_lib.findings.FINDINGS`).

    A new copy each call. Raises ``ValueError`` naming the line when a row's
    ``finding`` is not a declared finding's id (its page would lose the claim).
    """
    table = _claims()
    if finding is not None:
        table = table[table.finding == finding]
    return table.reset_index(drop=True).copy()


def published(result_key: str, claim_id: str | None = None) -> float:
    """The published value behind ``result_key``, in the result's own unit: see :func:`scr_lib.inputs.ledger.published`."""
    return ledger.published(result_key, claim_id, load_claims())


STATES_THE_FIGURE = ("equal", "one_in", "input")  # checks of a claim that prints the figure itself, not a bound


def as_published(result_key: str, value: float | None) -> bool:
    """True when the articles printed ``value`` as ``result_key``: every claim on that key that prints the
    figure itself (checked ``equal``, ``one_in`` or ``input``) gives it at the precision printed. False for a
    missing value or a key no such claim names. ``value`` is in the result's own unit (a share is a fraction)."""
    table = load_claims()
    rows = table[(table.result_key == result_key) & table.check.isin(STATES_THE_FIGURE)]
    found = [check(claim, value) for claim in rows.itertuples(index=False)] if value is not None else []
    return bool(found) and all(f["holds"] if f["check"] == "one_in" else f["computed"] == f["published"]
                               for f in found)


# Counts the articles printed once, under one finding's result key, that other findings also compute
PRINTED_AS = {"spend.pcts_answered": "refusal.areas_answered", "areas.answered": "refusal.areas_answered",
              "areas.complete": "refusal.areas_complete"}


def marks_totals(generated: bool, article_round: bool):
    """How a notebook marks its national figures: a function of (result key, value) that is True when the
    figure must be marked illustrative. It is when ``generated`` (some value it is computed from was
    generated, not received), unless ``article_round`` (the run is of the articles' own FOI round) and the
    figure is one the articles printed (:func:`as_published`): the bundled file's generated values were
    made to add up to Pulse's published totals, so such a total is Pulse's figure, not a made-up one.
    A count other findings also compute is looked up under the key it was printed as (:data:`PRINTED_AS`);
    pass the key of the figure a value is read from where it differs (Pulse's "one in six" is a claim on
    ``refusal.share``, from which the "one in N" is read)."""
    def marked(result_key: str, value: float | None) -> bool:
        return bool(generated) and not (article_round and as_published(PRINTED_AS.get(result_key, result_key), value))
    return marked


def _wording(template: str, value: float) -> str:
    if "{words}" in template:
        return template.format(words=words.number_words(int(value)))
    if "{yes_no}" in template:
        return template.format(yes_no="yes" if value else "no")
    return template.format(value=value)


def check(claim: pd.Series, result: float | None) -> dict:
    """Compare one claim with a run's result (in the result's own unit; ``None`` if the run lacks it).

    Returns the claim's id, quote, printed text, the run's value in the
    claim's unit and precision, that value in the article's wording, and
    ``holds`` (True, False, or None for inputs, context rows and missing
    results), with the claim's ``check`` and, for context rows, its ``reason``.
    """
    reason = getattr(claim, "reason", None)
    out = {"claim_id": claim.claim_id, "finding": claim.finding, "result_key": claim.result_key,
           "quote": claim.quote, "printed": claim.printed, "published": claim.value,
           "computed": None, "computed_wording": "not computed", "holds": None, "check": claim.check,
           "reason": None if reason is None or pd.isna(reason) else reason}
    if claim.check == "context":
        return {**out, "computed_wording": f"not checkable, because {out['reason'] or 'no reason is recorded'}"}
    if result is None or pd.isna(result):
        return out
    if claim.check == "one_in":
        computed = words.one_in(result) if result > 0 else 0
        holds = computed == int(claim.value)
        wording = _wording(claim.wording, computed) if computed else "none"
    elif claim.check in BOUNDS:  # a bound: shown unrounded, compared unrounded
        computed = result * claim.scale
        holds = {"less_than": computed < claim.value, "at_least": computed >= claim.value,
                 "more_than": computed > claim.value, "at_most": computed <= claim.value}[claim.check]
        wording = _wording(claim.wording, computed)
    else:
        computed = words.round_half_up(result * claim.scale, int(claim.decimals))
        holds = computed == claim.value if claim.check == "equal" else None
        wording = _wording(claim.wording, computed)
    return {**out, "computed": computed, "computed_wording": wording, "holds": holds}


def check_all(results: dict, finding: str | None = None, context: bool = False) -> pd.DataFrame:
    """Check every claim (of one ``finding``) against ``results`` (dotted key -> number or {'value': ...}).

    One row per claim, in the claims file's order; see :func:`check`. The
    column ``illustrative`` is True where the result rests on illustrative
    values (see ``Results.add``): such a figure holds only for made-up data.
    Context rows (figures the data cannot check) are included only with ``context=True``.
    """
    table = load_claims(finding)
    if not context:
        table = table[table.check != "context"]
    rows = [{**check(claim, None if pd.isna(claim.result_key) else value(results, claim.result_key, None)),
             "illustrative": not pd.isna(claim.result_key) and is_illustrative(results, claim.result_key)}
            for claim in table.itertuples(index=False)]
    return pd.DataFrame(rows)
