"""Sentences and tables that notebooks show: figures are always passed in, never typed.

Each function returns an IPython display object (Markdown or a styled table)
so that a notebook cell ends with one call and its output is deterministic.

Text that comes from a file (header names, sheet names, notes, paths) goes
into Markdown only through :func:`literal` or :func:`code`, so that it is
shown as written: a header such as ``[phish](https://evil.example/login)``
is never a link, ``<script>`` never markup, ``**`` never bold.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from .. import paths
from ..inputs.foi import FOIReturns, VALUE_COLUMNS, illustrative_mask, row_ranges
from ..verdict import Verdict


def setup() -> None:
    """Set up a notebook's display, once, in its setup cell: tables show text whole (a PCT name or an
    exclusion reason cut to "decl..." misleads a reader) and charts take the house style and renderer."""
    from .. import charts

    pd.set_option("display.max_colwidth", None)
    charts.use_house_style()

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character, which Markdown may escape


def literal(text) -> str:
    """``text`` as Markdown that shows exactly its characters: never a link, markup or emphasis.

    Every ASCII punctuation character is backslash-escaped (CommonMark lets
    any of them be), and runs of white space, line breaks included, become
    one space, so the text cannot start a heading, list or link definition.
    """
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(text).split()))


def code(text) -> str:
    """``text`` as a Markdown code span, shown literally whatever backticks or markup it holds."""
    text = " ".join(str(text).split("\n"))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def say(text: str) -> Markdown:
    """Show ``text`` (Markdown) as the cell's output."""
    return Markdown(text)


ILLUSTRATIVE_QUALIFIER = " *(Computed from a file with illustrative values: an illustration of the method, not a finding.)*"


def say_computed(illustrative_values: int, text: str) -> Markdown:
    """Show ``text``, marked as an illustration when any of the values behind it are illustrative.

    ``illustrative_values`` is how many of the values the sentence rests on
    are illustrative (see :func:`illustrative_count`); 0 shows the text as it is.
    """
    return Markdown(text + (ILLUSTRATIVE_QUALIFIER if illustrative_values else ""))


def illustrative_count(frame: pd.DataFrame, columns=VALUE_COLUMNS) -> int:
    """How many values in ``columns`` are marked illustrative."""
    return int(sum(illustrative_mask(frame, c).sum() for c in columns))


def loaded(returns: FOIReturns) -> Markdown:
    """What was read: rows, file, any blank rows skipped or columns ignored, and the illustrative share."""
    frame = returns.frame
    lines = [f"Read **{len(frame):,}** answers from {code(paths.display(returns.file, paths.PROJ_ROOT))} "
             f"(spreadsheet rows {frame.source_row.min()} to {frame.source_row.max()}); every value passed validation."]
    if returns.skipped_blank_rows:
        lines.append(f"Skipped {len(returns.skipped_blank_rows):,} wholly blank rows: "
                     f"{row_ranges(returns.skipped_blank_rows)}.")
    if returns.ignored_columns:
        lines.append(f"Columns not used by the suite: {', '.join(literal(c) for c in returns.ignored_columns)}.")
    n = illustrative_count(frame)
    total = len(frame) * len(VALUE_COLUMNS)
    if n:
        whole_rows = int(frame["illustrative"].eq("*").sum())
        lines.append(f"**Illustrative data:** {n:,} of the {total:,} values are illustrative "
                     f"({whole_rows:,} whole rows are invented): generated, not received in an FOI answer. "
                     "They are marked in every table and chart.")
    return Markdown("\n\n".join(lines))  # a file with no illustrative value: not a word about them


def provenance(frame: pd.DataFrame, columns=VALUE_COLUMNS, what: str = "values") -> Markdown:
    """Where the values in ``columns`` come from, true for this file: how many are illustrative (generated,
    not received), or, when none is, that every one is as the PCTs gave it (and not a word about illustrative
    values). ``what`` names the values ("values", "spend and records values"...). Blank cells count as values
    (a PCT that gave no figure)."""
    n = illustrative_count(frame, columns)
    total = len(frame) * len(columns)
    if not n:
        return Markdown(f"**Where the data comes from.** Every one of the {total:,} {what} is as the PCTs gave "
                        "it in their FOI answers.")
    return Markdown(f"**Where the data comes from.** {n:,} of the {total:,} {what} in these FOI returns are "
                    "illustrative: they were generated, not received in an FOI answer. Treat per-PCT figures "
                    "resting on them as an illustration of the method, not as facts about those areas.")


def bar_colours(illustrative: pd.Series, named_published: bool | None = None) -> Markdown:
    """What a bar chart's colours mean, for the bars it draws: ``illustrative`` holds one flag per bar (True:
    drawn from an illustrative value). Grey bars are named only when there is one; the other bars are
    "Published" or "As reported in the FOI file" as :func:`scr_lib.charts.source_label` labels them. Empty
    text for a chart with no bars, or with no illustrative bar (nothing to tell apart)."""
    from .. import charts

    flags = illustrative.astype(bool)
    if flags.empty:
        return Markdown("")
    labels = charts.source_label(flags, named_published)
    others = sorted(set(labels) - {charts.ILLUSTRATIVE})
    if not flags.any():
        return Markdown("")
    grey = int(flags.sum())
    text = (f"Grey bars ({grey:,} of the {len(flags):,}) are illustrative: drawn from generated values, "
            "not from an FOI answer.")
    if others:
        text += f" The other bars are labelled “{others[0]}”."
    return Markdown(text)


def claims_table(checked: pd.DataFrame) -> pd.DataFrame:
    """The claims check as a reader sees it: the quote, as published, this run, and whether it holds.

    A computed value that rests on illustrative values says so beside it, in "this run".
    """
    verdict = checked["holds"].map({True: Verdict.HOLDS, False: Verdict.DOES_NOT_HOLD}).fillna(Verdict.INPUT)
    verdict = verdict.where(checked["computed"].notna(), Verdict.NOT_COMPUTED)
    if "check" in checked:  # context rows: figures the data cannot check, with the reason in "this run"
        verdict = verdict.mask(checked["check"].eq("context"), Verdict.CONTEXT)
    this_run = checked["computed_wording"]
    if "illustrative" in checked:  # never a generated figure shown as a fact
        this_run = this_run.mask(checked["illustrative"].astype(bool) & checked["computed"].notna(),
                                 this_run + " (illustrative values)")
    return pd.DataFrame({
        "claim": checked["quote"],
        "as published": checked["printed"],
        "this run": this_run,
        "verdict": verdict,
    })
