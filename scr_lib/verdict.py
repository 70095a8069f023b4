"""What a run says of a published claim: one of five verdicts, with the words every display prints."""

from __future__ import annotations

from enum import StrEnum


class Verdict(StrEnum):
    """A claim's verdict; its value is the text tables, pages and `scr claims` show."""

    HOLDS = "holds"  # the run's figure bears the claim out
    DOES_NOT_HOLD = "does not hold"  # the run's figure contradicts it
    NOT_COMPUTED = "not computed"  # the run lacks the figure
    INPUT = "input, not checked"  # a figure the story uses as an input
    CONTEXT = "context"  # a figure the data cannot check (the claims ledger says why)

    @property
    def checked(self) -> bool:
        """True for the verdicts of a claim the run checked: holds, does not hold."""
        return self in (Verdict.HOLDS, Verdict.DOES_NOT_HOLD)

    @property
    def plural(self) -> str:
        """The verdict of several claims, as a count's noun: '3 do not hold'."""
        return {Verdict.HOLDS: "hold", Verdict.DOES_NOT_HOLD: "do not hold", Verdict.NOT_COMPUTED: "not computed",
                Verdict.INPUT: "inputs, not checked", Verdict.CONTEXT: "context, not checkable"}[self]

    def of(self, n: int) -> str:
        """The verdict of ``n`` claims, the verb agreeing with the count: '1 holds', '3 hold', '1 does not hold'."""
        return f"{int(n):,} {self.value if int(n) == 1 and self in (Verdict.HOLDS, Verdict.DOES_NOT_HOLD) else self.plural}"
