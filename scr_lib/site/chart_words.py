"""A chart in words and as a table: what a screen reader, a printout or a reader who wants the figures gets.

Both are computed from the figures the chart draws (its Vega-Lite spec's data), never typed:

- :func:`summary`: two or three sentences: what the chart shows and over how many items, the largest
  and the smallest (each described as its tooltip describes it, so an illustrative value says so), and,
  when the chart draws a reference line (a rule at one value, such as the national share), how many
  items fall above and below it;
- :func:`table`: the rows of the chart's main view, one column per tooltip field, as the tooltips show them.

The main view is the one whose tooltip names each mark (its first tooltip field is nominal) and that draws
the most rows. A value missing from a row is "not given" (as in the tooltips) and the row is left out of
largest, smallest and the counts, which say how many were left out. A chart with no such view has no
summary beyond its title and no table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..charts import ILLUSTRATIVE

NOT_GIVEN = "not given"
_FORMAT = re.compile(r"(?P<comma>,)?(?:\.(?P<places>\d+))?(?P<trim>~)?(?P<kind>[%fdrgs])?")


def d3_format(value, spec: str | None) -> str:
    """``value`` formatted as Vega's d3-format ``spec`` would (the subset charts use: ``%``, ``.1%``,
    ``,.0f``, ``.2f``, ``d``, ``,.12~r``); a missing value is "not given"; an unknown spec gives plain text."""
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return NOT_GIVEN
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    match = _FORMAT.fullmatch(spec or ",.12~r")
    if not match:
        return str(value)
    comma = "," if match["comma"] else ""
    places = match["places"]
    kind = match["kind"] or "r"
    if kind == "%":
        return f"{value * 100:{comma}.{places or 0}f}%"
    if kind == "f":
        return f"{value:{comma}.{places or 6}f}"
    if kind == "d":
        return f"{round(value):{comma}d}"
    text = f"{value:{comma}.{places or 12}g}"  # r, g: significant digits, trailing zeros dropped
    return text


@dataclass
class ChartText:
    """A chart's words: ``summary`` (sentences), and its table: ``columns`` (header texts) and ``rows``
    (lists of cell texts), empty when the chart has no main view."""

    summary: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def _views(spec: dict):
    yield spec
    for key in ("layer", "hconcat", "vconcat", "concat"):
        for view in spec.get(key, []) or []:
            if isinstance(view, dict):
                yield from _views(view)


def _rows(spec: dict, view: dict, inherited: dict | None) -> list[dict]:
    data = view.get("data") or inherited or spec.get("data") or {}
    rows = data["values"] if "values" in data else spec.get("datasets", {}).get(data.get("name"), [])
    return [r for r in rows if isinstance(r, dict)]


def _listed(value) -> list:
    if not value or value is True:
        return []
    return value if isinstance(value, list) else [value]


def _title(enc: dict) -> str:
    title = enc.get("title", enc.get("field", ""))
    return " ".join(title) if isinstance(title, list) else str(title or enc.get("field", ""))


def _shown(row: dict, tip: dict) -> str:
    value = row.get(tip.get("field"))
    if tip.get("type") == "quantitative":
        return d3_format(value, tip.get("format"))
    return NOT_GIVEN if value is None or value == "" else str(value)


def _measure_tip(tips: list[dict], measure: str) -> dict | None:
    """The tooltip field that shows the measure: the measure itself, else the one whose name shares the
    longest start with it (at least 4 letters: ``spent_text`` for ``spend_to_date_gbp``), else the first
    after the mark's name."""
    def common(a: str, b: str) -> int:
        return next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    rest = tips[1:]
    exact = next((t for t in rest if t["field"] == measure), None)
    best = max(rest, key=lambda t: common(t["field"], measure), default=None)
    if exact or (best and common(best["field"], measure) >= 4):
        return exact or best
    return rest[0] if rest else None


def _illustrative(row: dict) -> bool:
    return row.get("illustrative") is True or any(v == ILLUSTRATIVE for v in row.values())


def _describe(row: dict, tips: list[dict], measure: str) -> str:
    """A row as the summary names it: the mark's name and the measure as its tooltip shows it, marked
    illustrative when it is (a generated value is never set beside a real name as its own)."""
    tip = _measure_tip(tips, measure)
    shown = _shown(row, tip) if tip else ""
    if tip and shown != NOT_GIVEN and _title(tip).endswith("(%)"):
        shown += "%"
    elif tip and shown != NOT_GIVEN and _title(tip).endswith("(£)"):
        shown = "£" + shown
    text = _shown(row, tips[0]) + (f", {shown}" if tip else "")
    return text + (" (illustrative: generated, not an FOI answer)" if _illustrative(row) else "")


def _plural(word: str, n: int) -> str:
    word = word[:1].lower() + word[1:] if word[1:2].islower() else word  # "Rate" but "PCT"
    if n == 1 or not word:
        return word
    return word if word.endswith("s") else word + "s"


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value


def chart_text(spec: dict) -> ChartText:
    """The chart's summary and table (see the module docstring)."""
    views = []
    for view in _views(spec):
        encoding = view.get("encoding")
        if not isinstance(encoding, dict):
            continue
        tips = [t for t in _listed(encoding.get("tooltip")) if isinstance(t, dict) and "field" in t]
        views.append((view, encoding, tips, _rows(spec, view, spec.get("data"))))
    named = [v for v in views if v[2] and v[2][0].get("type") in ("nominal", "ordinal")]
    title = spec.get("title", "")
    title = title.get("text", "") if isinstance(title, dict) else title
    title = " ".join(title) if isinstance(title, list) else str(title or "")
    if not named:
        return ChartText(f"{title}." if title else "A chart.")
    view, encoding, tips, rows = max(named, key=lambda v: len(v[3]))
    measure_channel = next((c for c in ("x", "y") if isinstance(encoding.get(c), dict)
                            and encoding[c].get("type") == "quantitative"
                            and not (c == "x" and isinstance(encoding.get("y"), dict)
                                     and encoding["y"].get("type") == "quantitative")), None)
    item = _title(tips[0])
    sentences = []
    if measure_channel is None:
        sentences.append((f"{title}: " if title else "") + f"{len(rows):,} {_plural(item, len(rows))}.")
    else:
        measure = encoding[measure_channel]
        name, fmt = measure["field"], (measure.get("axis") or {}).get("format")
        given = [r for r in rows if _number(r.get(name))]
        missing = len(rows) - len(given)
        what = _title(measure)
        sentences.append((f"{title}: " if title else "") + f"{len(given):,} {_plural(item, len(given))}, "
                         f"measured by “{what}”" + (f" ({missing:,} more with no figure)" if missing else "") + ".")
        if len(given) >= 2:
            top = max(given, key=lambda r: r[name])
            bottom = min(given, key=lambda r: r[name])
            sentences.append(f"Largest: {_describe(top, tips, name)}. Smallest: {_describe(bottom, tips, name)}.")
        for other, other_enc, other_tips, other_rows in views:
            mark = other.get("mark")
            kind = mark.get("type") if isinstance(mark, dict) else mark
            ref = other_enc.get(measure_channel)
            if kind != "rule" or len(other_rows) != 1 or not isinstance(ref, dict) or "field" not in ref:
                continue
            value = other_rows[0].get(ref["field"])
            if not _number(value) or not given:
                continue
            label = _title(other_tips[0]) if other_tips else "The reference line"
            shown = d3_format(value, other_tips[0].get("format") if other_tips else fmt)
            above = sum(1 for r in given if r[name] > value)
            below = sum(1 for r in given if r[name] < value)
            sentences.append(f"The line marks {label[:1].lower() + label[1:]}, {shown}: {above:,} of the "
                             f"{len(given):,} are above it and {below:,} below.")
    columns = [_title(t) for t in tips]
    table_rows = [[_shown(r, t) for t in tips] for r in rows]
    return ChartText(" ".join(sentences), columns, table_rows)
