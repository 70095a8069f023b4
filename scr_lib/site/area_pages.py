"""The area pages (issue 15): a page per PCT and the list "Find your area", from the run folder's ``areas.json``.

``write(run_dir, site, env, common, pages, about)`` writes, when notebook 04 handed over ``areas.json``
(:func:`scr_lib.story.area_words.save`)::

    areas/<ODS code>.html   one page per PCT of the reference table: its words (the paragraphs notebook 04
                            prints for it), its figures beside the national ones in a publication table,
                            the national figures with links to the findings that count them, what it did
                            not answer and why it is left out of a total
    areas/index.html        "Find your area": every PCT by the names people use, A to Z by place name
                            (the reference table's name: "NHS Barnet" under B), each linking to
                            its page; assets/areas.js adds a filter box (without JavaScript the full list
                            shows and the box stays hidden)

The pages use the story pages' frame (``base.html.j2`` with ``root = "../"``). Every figure is written by
:mod:`scr_lib.words` from the handed-over values, as notebook 04 writes them; a figure that rests on an
illustrative value is marked beside it. A figure the PCT did not give is "not given", never zero; a
share, rank or cost that cannot be worked out is "left out", and the page says why. Nothing here reads a
data file; all text is escaped (Jinja autoescaping; :func:`~scr_lib.story.area_words.as_html`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace

from markupsafe import Markup

from .. import words
from ..findings.columns import Column, Table
from ..story import area_words, tables
from .markup import write_text

FOLDER = "areas"
LIST_HREF = f"{FOLDER}/index.html"
ROOT = "../"
SCRIPT = "areas.js"

LABELS = {
    "rollout_begun": "Had begun the rollout",
    "practices_invited": "Practices invited",
    "practices_declined": "Practices that declined",
    "share_declined": "Share that declined",
    "refusal_rank": "Rank by share that declined",
    "practices_signed_up": "Practices signed up",
    "spend_to_date_gbp": "Spend so far",
    "spend_expected_gbp": "Further spend expected",
    "records_uploaded": "Records uploaded",
    "records_viewed": "Records used",
    "cost_per_record_gbp": "Cost per uploaded record",
}
"""Each row of an area's table, by the figure it shows (a column of ``compare``)."""

LEFT_OUT = "left out"
NOT_PUBLISHED = "not published"  # an area's own figure that was generated for illustration (area_words.withheld)
NO_NATIONAL = "—"

AREA_TABLE = Table("area", "This area's figures beside the national ones", (
    Column("figure", "Figure", row_header=True),
    Column("area", "This area", "figure"),
    Column("national", "National", "figure", missing=NO_NATIONAL),
), illustrative="illustrative")
"""An area's figures: each figure's label, the area's value and the national one (already written out by
:mod:`scr_lib.words`); ``illustrative`` names the cells ("area", "national") that rest on illustrative values."""


def read(run_dir) -> dict | None:
    """The run folder's ``areas.json`` (see :func:`scr_lib.story.area_words.handover`), or None without one."""
    path = run_dir / area_words.AREAS_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def search_form(name: str) -> str:
    """A name as "Find your area" compares it (``assets/areas.js`` does the same to what the reader types):
    lower case, "&" as "and", every run of other characters (hyphens, full stops, apostrophes) as one space,
    "saint" as "st": "Stoke-on-Trent" -> "stoke on trent", "St. Helens" -> "st helens"."""
    text = re.sub(r"[^a-z0-9]+", " ", name.casefold().replace("&", " and "))
    return " ".join("st" if word == "saint" else word for word in text.split())


def file_name(code: str) -> str:
    """The page's file name: the ODS code, with anything but letters, digits and '-' replaced."""
    return re.sub(r"[^A-Za-z0-9-]", "_", str(code)) + ".html"


def _value(value, column: str) -> str | None:
    if value is None:
        return None
    if column == "rollout_begun":
        return "yes" if value else "no"
    if column.endswith("_gbp"):
        return words.pounds(value) if value else "nothing"
    return words.count(value)


def figure_rows(area: dict, national: dict) -> list[dict]:
    """The rows of :data:`AREA_TABLE` for ``area`` (one of ``areas.json``'s areas)."""
    figures, standing = area["figures"], area["standing"]
    hidden, overall = area_words.withheld(area), set(national.get("illustrative", ()))
    rows = []

    def add(key, shown, area_marked=False, national_shown=None, national_marked=False):
        marks = [name for name, flag in (("area", area_marked), ("national", national_marked)) if flag]
        rows.append({"figure": LABELS[key], "area": shown, "national": national_shown, "illustrative": ";".join(marks)})

    def given(column, national_shown=None, national_marked=False):
        add(column, NOT_PUBLISHED if column in hidden else _value(figures[column], column), False, national_shown,
            national_marked)

    share, rank, cost = standing["share_declined"], standing["refusal_rank"], standing["cost_per_record_gbp"]
    generated_share = "share_declined" in hidden and share is not None  # an area left out stays "left out"
    counted = national["share"] is not None
    given("rollout_begun")
    given("practices_invited", words.count(national["practices_invited"]) if counted else None)
    given("practices_declined", words.count(national["practices_declined"]) if counted else None)
    add("share_declined", NOT_PUBLISHED if generated_share else words.percent(share) if share is not None
        else LEFT_OUT, False, words.percent(national["share"]) if counted else None)
    add("refusal_rank", NOT_PUBLISHED if generated_share else
        f"{area_words._ordinal(int(rank))} of {words.count(standing['complete_areas'])}" if rank is not None
        else LEFT_OUT, not generated_share and rank is not None and "refusal_rank" in overall)
    given("practices_signed_up")
    median = national["median_to_date_gbp"]
    given("spend_to_date_gbp", f"median {words.pounds(median)}" if median is not None else None,
          median is not None and "median_to_date_gbp" in overall)
    given("spend_expected_gbp")
    given("records_uploaded")
    given("records_viewed")
    median_cost = national["median_cost_per_record_gbp"]
    add("cost_per_record_gbp", NOT_PUBLISHED if "cost_per_record_gbp" in hidden and cost is not None else
        words.pounds(cost, 2) if cost is not None else LEFT_OUT, False,
        f"median {words.pounds(median_cost, 2)}" if median_cost is not None else None,
        median_cost is not None and "median_cost_per_record_gbp" in overall)
    return rows


STANDING_TABLE = Table("standing", "Where it stands", (
    Column("measure", "Measure", row_header=True),
    Column("area", "This area", "figure"),
    Column("rank", "Rank (1 = highest)", "figure", missing=NO_NATIONAL),
    Column("national", "National", "figure", missing=NO_NATIONAL),
    Column("median", "Median, all that gave it", "figure", missing=NO_NATIONAL),
    Column("median_nonzero", "Median, those above nil", "figure", missing=NO_NATIONAL),
), illustrative="illustrative")
"""Where an area stands on each ranked measure: its value, its rank among the areas that gave the figure ("joint
8th of 36"), the national figure, and the medians of all and of those above nil (for spend: those that spent
anything)."""


def standing_rows(area: dict, national: dict) -> list[dict]:
    """The rows of :data:`STANDING_TABLE` for an area with figures of its own (see :func:`write`)."""
    from ..story.area_words import MEASURE_WORDS, _show, ordinal

    figures, standing = area["figures"], area["standing"]
    hidden = area_words.withheld(area)
    measures = national.get("measures") or {}
    values = {"share_declined": standing["share_declined"], "cost_per_record_gbp": standing["cost_per_record_gbp"],
              **{k: figures[k] for k in ("spend_to_date_gbp", "spend_expected_gbp", "records_viewed")}}
    sources = {"share_declined": ("practices_invited", "practices_declined"),
               "cost_per_record_gbp": ("spend_to_date_gbp", "records_uploaded")}
    rows = []
    for measure, (label, _) in MEASURE_WORDS.items():
        summary = measures.get(measure, {})
        value, rank = values[measure], standing.get(f"{measure}_rank")
        generated = measure in hidden and value is not None
        if generated:  # never shown as the area's own, nor its rank
            value = rank = None
        national_value = national["share"] if measure == "share_declined" else (
            summary.get("median") if measure == "cost_per_record_gbp" else summary.get("total"))
        made_up = bool(summary.get("illustrative"))
        marks = []
        if rank is not None and made_up:
            marks.append("rank")
        if made_up:
            marks += ["median", "median_nonzero"] + (["national"] if measure in ("spend_to_date_gbp",
                                                      "spend_expected_gbp", "records_viewed",
                                                      "cost_per_record_gbp") else [])
        rows.append({
            "measure": label[0].upper() + label[1:],
            "area": NOT_PUBLISHED if generated else _show(measure, value) if value is not None else LEFT_OUT
            if measure in sources else "not given",
            "rank": f"{ordinal(rank, bool(standing.get(f'{measure}_joint')))} of "
                    f"{words.count(standing[f'{measure}_ranked'])}" if rank is not None else None,
            "national": (("median " if measure == "cost_per_record_gbp" else "") + _show(measure, national_value))
            if national_value is not None else None,
            "median": _show(measure, summary["median"]) if summary.get("median") is not None else None,
            "median_nonzero": _show(measure, summary["median_nonzero"])
            if summary.get("median_nonzero") is not None else None,
            "illustrative": ";".join(dict.fromkeys(marks)),
        })
    return rows


KIT_CHANCE = {
    "far above": "That is far higher than chance alone would explain for an area of its size.",
    "above": "That is higher than most areas of its size, though not so far that chance could not explain it.",
    "within": "That is within the range chance alone would explain for an area of its size.",
    "below": "That is lower than most areas of its size, though not so far that chance could not explain it.",
    "far below": "That is far lower than chance alone would explain for an area of its size.",
}


def kit_sentences(area: dict, national: dict, dated: str, facts) -> list[str]:
    """Three to five sentences a reporter can paste, every figure in them one of the run's facts
    (:class:`scr_lib.story.facts.FactBase`: the area's and England's), never an illustrative one: a sentence any
    of whose facts is illustrative, or missing, is left out. Without a received count of practices that declined,
    the practices signed up of those invited (or "had invited no GP practices") take its place. They are worded as ``scr draft`` reads them (a count
    "of its N invited practices", England's share "nationally"). ``dated``: "in the 2010 FOI round, as at
    1 March 2010" or ''. Empty for an area with no figures of its own or a run without a fact base."""
    from ..story.area_words import Figure
    from ..story.facts import ENGLAND

    standing = area["standing"]
    if facts is None or not area["answered"] or not standing.get("own_figures", True):
        return []
    code, name = area["ods_code"], area["display_name"]
    when = f" {dated}" if dated else ""

    def fact(measure, show, subject=code):
        found = facts.get(subject, measure)
        return None if found is None else Figure(show(found.value), found.illustrative)

    def money(value):
        return words.pounds(value) if value else "nothing"

    candidates = []
    declined, invited = fact("practices_declined", words.count), fact("practices_invited", words.count)
    if declined is not None and invited is not None and standing.get("share_declined") is not None:
        candidates.append([f"{name}: ", declined, " of its ", invited, " invited GP practices declined to join the "
                           f"Summary Care Record{when}."])
        if standing.get("chance"):
            candidates.append([Figure(KIT_CHANCE[standing["chance"]], declined.illustrative or invited.illustrative)])
        share, complete = fact("share_declined", words.percent, ENGLAND), fact("pcts_complete", words.count, ENGLAND)
        if share is not None and complete is not None and not (declined.illustrative or invited.illustrative):
            candidates.append(["Nationally, ", share, " of invited practices declined, in the ", complete,
                               " PCTs that gave complete figures."])
    signed = fact("practices_signed_up", words.count)
    refusal_told = declined is not None and invited is not None and not (declined.illustrative or invited.illustrative)
    if not refusal_told and invited is not None and facts.get(code, "practices_invited").value == 0:
        candidates.append([f"{name} had invited ", Figure("no", invited.illustrative),
                           f" GP practices to join the Summary Care Record{when}."])
    elif not refusal_told and invited is not None and signed is not None:  # what Pulse gave for some areas
        candidates.append([f"{name}: ", signed, " of its ", invited, " invited GP practices had signed up to the "
                           f"Summary Care Record{when}."])
    spent = fact("spend_to_date_gbp", money)
    if spent is not None:
        candidates.append([f"{name} had spent ", spent, f" on the rollout{when}."])
    expected = fact("spend_expected_gbp", money)
    if expected is not None:
        candidates.append(["It expected to spend ", expected, " more."] if expected.text == "nothing" else
                          ["It expected to spend a further ", expected, "."])
    uploaded, viewed = fact("records_uploaded", words.count), fact("records_viewed", lambda v: words.count(v) if v else "none")
    if uploaded is not None and viewed is not None:
        candidates.append(["It had uploaded ", uploaded, " patients' records, of which ", viewed, " had been used."])
    kept = [c for c in candidates if all(isinstance(p, Figure) and not p.illustrative or isinstance(p, str) for p in c)]
    sentences = ["".join(p.text if isinstance(p, Figure) else p for p in c) for c in kept][:5]
    if sentences and sentences[0].startswith("It "):  # the first sentence names the area
        sentences[0] = name + sentences[0][len("It"):]
    return sentences


def dated_words(round_label, as_at) -> str:
    """"in the 2011 FOI round, as at 1 March 2011" from the run's ``round`` and ``as_at`` (ISO date), either
    possibly missing; '' without both. An ``as_at`` that only repeats the round ("2010") is left out."""
    import datetime as _dt

    parts = []
    if round_label:
        parts.append(f"in the {round_label} FOI round")
    if as_at and str(as_at) != str(round_label):  # "in the 2010 FOI round", never "..., as at 2010" again
        try:
            day = _dt.date.fromisoformat(str(as_at))
            parts.append(f"as at {day.day} {day:%B %Y}")
        except ValueError:
            parts.append(f"as at {as_at}")
    return ", ".join(parts)


CSV_COLUMNS = ["ods_code", "name", *[c for c in LABELS if c not in ("share_declined", "refusal_rank",
                                                                     "cost_per_record_gbp")],
               "share_declined", "cost_per_record_gbp", "foi_ref"]


def area_csv(area: dict, round_label=None, as_at=None) -> str:
    """The area's row as CSV text (write it with a UTF-8 BOM so Excel reads the £ and names right): its code, name,
    round and as-at date where the run gives them, its figures as received (empty where not given), share and
    cost per record, FOI reference, and an ``illustrative`` column naming the values left empty because they
    were generated (:func:`~scr_lib.story.area_words.withheld`), only when there is one."""
    import csv
    import io

    figures, standing = area["figures"], area["standing"]
    row = {"ods_code": area["ods_code"], "name": area["display_name"]}
    if round_label:
        row["round"] = round_label
    if as_at:
        row["as_at"] = as_at
    hidden = area_words.withheld(area)
    for column in CSV_COLUMNS[2:]:
        value = None if column in hidden else figures.get(column, standing.get(column))
        row[column] = "" if value is None else ("yes" if value is True else "no" if value is False else value)
    marked = [c for c in row if c in hidden and figures.get(c, standing.get(c)) is not None]
    if marked:
        row["illustrative"] = ";".join(marked)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row), lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(row)
    return out.getvalue()


def _change_words(unit: str, then: float, now: float, show) -> str:
    """The change from ``then`` to ``now`` in the right terms: percentage points for a share, pounds and per cent
    for money, the difference for a count; "no change" when they are equal."""
    if then == now:
        return "no change"
    way = "up" if now > then else "down"
    if unit == "share":
        points = words.round_half_up(abs(now - then) * 100, 1)
        return f"{way} {points:g} percentage point{'' if points == 1 else 's'}"
    if unit == "pounds":
        change = f"{way} {words.pounds(abs(now - then))}"
        return change + (f" ({words.percent(abs(now - then) / then)})" if then else "")
    return f"{way} {show(abs(now - then))}"


def changes(code: str, now, then) -> list[dict]:
    """The area's own change since the previous round: one row per measure both rounds' fact bases
    (:class:`scr_lib.story.facts.FactBase`) hold for ``code``, ranks left out (a rank moves with every other
    area): ``measure``, ``then``, ``now``, ``change`` (text) and ``illustrative`` (the cells resting on a
    generated value). Empty when either round lacks the area."""
    from ..findings import MEASURES

    rows = []
    for fact in now.for_subject(code):
        old, measure = then.get(code, fact.measure), MEASURES.get(fact.measure)
        if old is None or measure is None or measure.unit == "number":
            continue
        marks = [name for name, flag in (("then", old.illustrative), ("now", fact.illustrative)) if flag]
        if marks:
            marks.append("change")
        rows.append({"measure": (measure.label or measure.name.replace("_", " ")).capitalize(),
                     "then": measure.show(old.value), "now": measure.show(fact.value),
                     "change": _change_words(measure.unit, old.value, fact.value, measure.show),
                     "illustrative": ";".join(marks)})
    return rows


def change_table(then_round: str, now_round: str, name: str) -> Table:
    """The publication table of :func:`changes`, its columns headed by the two rounds."""
    return Table("change", f"{name} in the {then_round} and {now_round} rounds", (
        Column("measure", "Measure", row_header=True),
        Column("then", then_round, "figure"),
        Column("now", now_round, "figure"),
        Column("change", "Change", "figure"),
    ), illustrative="illustrative")


def _facts(run_dir):
    """The run's fact base, or None when it has none (a run folder made before the fact base)."""
    from pathlib import Path

    from ..story.facts import FILE, FactBase

    return FactBase.load(Path(run_dir)) if (Path(run_dir) / FILE).is_file() else None


def _previous_facts(run_dir, previous_run):
    """The fact bases of this run and of ``previous_run`` (a run folder), or (None, None) without both."""
    from pathlib import Path

    from ..story.facts import FactBase, FactsError

    if not previous_run:
        return None, None
    try:
        now, then = FactBase.load(Path(run_dir)), FactBase.load(Path(previous_run))
    except (FactsError, OSError):
        return None, None
    return (now, then) if len(now) and len(then) else (None, None)


CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_RIGHT = 640, 190, 24, 24


def chance_chart_svg(area: dict, national: dict) -> str | None:
    """The area's chart for the story kit, as SVG text: its share that declined (a dot) with its 95% confidence
    interval (a line), against the range chance alone would give an area of its size (shaded: 95% darker, 99.8%
    lighter) and the national share (a red line). Its title says "illustrative" when the share rests on generated
    values. None when the area has no share or there is no national share.

    Drawn here rather than by vl-convert: 152 areas at about 0.1 s a Vega-Lite drawing (2-core machine, loaded)
    would take most of the 15 s the area pages may add to a run; this takes about a millisecond an area.
    """
    import html as _html

    from .. import charts

    st = area["standing"]
    share, p0 = st.get("share_declined"), national.get("share")
    if share is None or p0 is None or st.get("limit_95_low") is None or st.get("share_low") is None or \
            "share_declined" in area_words.withheld(area):
        return None
    span = CHART_WIDTH - CHART_LEFT - CHART_RIGHT

    def x(value):
        return round(CHART_LEFT + span * value, 1)

    top, bottom, mid = 70, 130, 100
    name = _html.escape(area["display_name"])
    invited = words.count(area["figures"]["practices_invited"])
    title = f"{name}: share of invited practices that declined"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
        f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" font-family="{charts.FONT}" role="img" '
        f'aria-label="{title}">',
        f'<rect width="{CHART_WIDTH}" height="{CHART_HEIGHT}" fill="#ffffff"/>',
        f'<text x="{CHART_LEFT}" y="22" font-size="15" font-weight="bold" fill="#222">{title}</text>',
        f'<text x="{CHART_LEFT}" y="42" font-size="12" fill="#555">Dot: its share ({words.percent(share)}), line: its '
        f'95% confidence interval. Shaded: what chance alone gives an area</text>',
        f'<text x="{CHART_LEFT}" y="58" font-size="12" fill="#555">of {invited} practices (darker 95%, lighter '
        f'99.8%). Red: all complete areas, {words.percent(p0)}.</text>',
        f'<rect x="{x(st["limit_998_low"])}" y="{top}" width="{x(st["limit_998_high"]) - x(st["limit_998_low"])}" '
        f'height="{bottom - top}" fill="#dde6ee"/>',
        f'<rect x="{x(st["limit_95_low"])}" y="{top}" width="{x(st["limit_95_high"]) - x(st["limit_95_low"])}" '
        f'height="{bottom - top}" fill="#b9cadb"/>',
        f'<line x1="{x(p0)}" x2="{x(p0)}" y1="{top - 4}" y2="{bottom + 4}" stroke="#c0392b" stroke-width="2"/>',
        f'<line x1="{x(st["share_low"])}" x2="{x(st["share_high"])}" y1="{mid}" y2="{mid}" stroke="#222" '
        f'stroke-width="2"/>',
        f'<circle cx="{x(share)}" cy="{mid}" r="6" fill="#1b6ca8" stroke="#222"/>',
        f'<line x1="{x(0)}" x2="{x(1)}" y1="{bottom + 8}" y2="{bottom + 8}" stroke="#888"/>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        parts.append(f'<line x1="{x(tick)}" x2="{x(tick)}" y1="{bottom + 8}" y2="{bottom + 13}" stroke="#888"/>')
        anchor = "start" if tick == 0 else "end" if tick == 1 else "middle"
        parts.append(f'<text x="{x(tick)}" y="{bottom + 27}" font-size="11" fill="#444" text-anchor="{anchor}">'
                     f'{int(tick * 100)}%</text>')
    parts.append(f'<text x="{x(0.5)}" y="{CHART_HEIGHT - 6}" font-size="11" fill="#444" text-anchor="middle">'
                 f'Share of invited practices that declined</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _inline(paragraph: list) -> Markup:
    """One paragraph's HTML without its ``<p>`` (the headline is a paragraph of its own class)."""
    return Markup(area_words.as_html([paragraph])[len("<p>"):-len("</p>")])


def _missing(area: dict) -> tuple[list[str], list[str]]:
    """What the area did not give (in words) and why it is left out of each total it is left out of."""
    standing = area["standing"]
    not_given = [area_words.FIGURE_WORDS[c] for c in str(standing["not_given"] or "").split(";") if c]
    why = []
    if standing["excluded_because"]:
        why.append(f"It is left out of the share of invited practices that declined: it {standing['excluded_because']}.")
    if standing["cost_excluded_because"]:
        why.append(f"Its cost per uploaded record is left out of the median: it {standing['cost_excluded_because']}.")
    return not_given, why


@dataclass
class AreaPage:
    """What an area page (or the areas list) shows; ``base.html.j2`` reads ``stem``, ``title`` and
    ``illustrative``."""

    stem: str
    title: str
    illustrative: object = None
    area: dict = field(default_factory=dict)
    headline: Markup = Markup("")
    paragraphs: Markup = Markup("")
    table: Markup = Markup("")
    not_given: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    standing: Markup = Markup("")
    kit: list[str] = field(default_factory=list)
    csv_href: str | None = None
    foi_ref: dict | None = None
    dated: str = ""
    comparable: list[dict] = field(default_factory=list)
    absence: str = ""
    change: Markup = Markup("")
    change_heading: str = ""
    chart: dict | None = None
    not_published: bool = False  # some of its own figures were generated, so its tables say "not published"


def _national_items(national: dict, finding_pages: dict, areas: list[dict]) -> list[dict]:
    """The national figures, each as parts of a sentence (text and :class:`~area_words.Figure`) and the
    page of the finding that counts it (None when this run has no such page)."""
    Figure = area_words.Figure
    overall = set(national.get("illustrative", ()))
    items = []

    def page_of(key):
        page = finding_pages.get(area_words.NATIONAL_FROM[key])
        return {"href": ROOT + page.href, "title": page.title, "heading": page.heading} if page else None

    if national["share"] is not None:
        complete = national["areas_complete"]
        parts = [f"Across the {words.count(complete)} complete area{'' if complete == 1 else 's'}, ",
                 Figure(words.count(national["practices_declined"])), " of the ",
                 Figure(words.count(national["practices_invited"])), " practices invited declined: ",
                 Figure(words.percent(national["share"]))]
        if national["one_in"]:
            parts += [" (about one in ", Figure(words.number_words(national["one_in"])), ")"]
        items.append({"html": _inline(parts + ["."]), "page": page_of("share")})
    else:
        items.append({"html": _inline(["No share that declined can be worked out across the areas."]),
                      "page": page_of("share")})
    for key, words_before, places in (("median_to_date_gbp", "Median spend on the rollout so far, across the PCTs "
                                       "that gave a figure: ", 0),
                                      ("median_cost_per_record_gbp", "Median cost per uploaded record, across the "
                                       "PCTs that gave both figures: ", 2)):
        if national[key] is not None:
            items.append({"html": _inline([words_before, Figure(words.pounds(national[key], places), key in overall),
                                           "."]), "page": page_of(key)})
    answered = sum(1 for a in areas if a["answered"])
    items.append({"html": _inline([Figure(words.count(answered)), f" of the {words.count(len(areas))} PCTs have a row "
                                   "in these FOI returns."]), "page": None})
    return items


def _png(svg: str, cache) -> bytes:
    """``svg`` as a PNG at twice its size, from ``cache`` when this very drawing was made before."""
    import base64
    import hashlib

    import vl_convert

    make = lambda: base64.b64encode(vl_convert.svg_to_png(svg, scale=2)).decode("ascii")  # noqa: E731
    if cache is None:
        return base64.b64decode(make())
    key = hashlib.sha256(f"{vl_convert.__version__}\n{svg}".encode("utf-8")).hexdigest()
    return base64.b64decode(cache.text(f"area-chart-{key}.b64", make))


def write(run_dir, site, env, common: dict, pages: list, about: dict, cache=None) -> bool:
    """Write ``site/areas/`` from ``run_dir/areas.json`` (see the module docstring); False, writing nothing,
    when the run has no ``areas.json``. ``pages``: the story pages (the national figures link to the
    findings that count them); ``about``: ``illustrative`` (the FOI file's, or None) and ``data_sources``;
    ``cache``: the render's :class:`~scr_lib.site.draw.ChartCache`, where each area chart's PNG is kept for the
    next run (a PNG is about 0.1 s of vl-convert; a prose edit re-renders every area page)."""
    data = read(run_dir)
    if data is None:
        return False
    national, areas = data["national"], data["areas"]
    folder = site / FOLDER
    finding_pages = {f.id: page for page in pages for f in page.findings}
    area_page = finding_pages.get(area_words.FINDING_ID)
    shared = {**common, "root": ROOT, "about": about, "list_href": "index.html",
              "method_page": {"href": ROOT + area_page.href, "title": area_page.title} if area_page else None,
              "national_items": _national_items(national, finding_pages, areas)}
    template = env.get_template("area.html.j2")
    round_label, as_at = about.get("round"), about.get("as_at")
    dated = dated_words(round_label, as_at)
    by_code = {a["ods_code"]: a for a in areas}
    now_facts, then_facts = _previous_facts(run_dir, about.get("previous_run"))
    facts = _facts(run_dir)
    for area in areas:
        parts = area_words.paragraphs(area)
        standing = area["standing"]
        page = AreaPage(stem=f"area-{area['ods_code']}", title=f"{area['display_name']}: how it compares",
                        illustrative=about["illustrative"], area=area, headline=_inline(parts[0]) if parts else Markup(""),
                        paragraphs=Markup(area_words.as_html(parts[1:])) if len(parts) > 1 else Markup(""),
                        dated=dated)
        own = area["answered"] and standing.get("figures_given", True) and standing.get("own_figures", True)
        if not area["answered"]:
            page.absence = "not answered"
        elif not standing.get("figures_given", True):
            page.absence = "no figures"
        elif not standing.get("own_figures", True):
            page.absence = "generated"
        if own:
            table = replace(AREA_TABLE, caption=f"{area['display_name']}'s figures beside the national ones")
            page.table = Markup(tables.html(figure_rows(area, national), table))
            page.standing = Markup(tables.html(standing_rows(area, national), replace(
                STANDING_TABLE, caption=f"Where {area['display_name']} stands among the areas that gave each figure")))
            page.not_given, page.left_out = _missing(area)
            hidden = area_words.withheld(area)
            page.not_published = bool(hidden)
            page.kit = kit_sentences(area, national, dated, facts)
            page.csv_href = file_name(area["ods_code"])[:-len(".html")] + ".csv"
            write_text(folder / page.csv_href, "\ufeff" + area_csv(area, round_label, as_at))
            svg = chance_chart_svg(area, national)
            if svg is not None:
                stem = file_name(area["ods_code"])[:-len(".html")] + "-chance"
                write_text(folder / f"{stem}.svg", svg)
                (folder / f"{stem}.png").write_bytes(_png(svg, cache))
                page.chart = {"svg": f"{stem}.svg", "png": f"{stem}.png",
                              "alt": f"{area['display_name']}'s share that declined against the range expected by chance"}
            ref = standing.get("foi_ref")
            if ref and "foi_ref" not in hidden:
                page.foi_ref = {"text": ref}
            rows = changes(area["ods_code"], now_facts, then_facts) if now_facts is not None else []
            if rows:
                page.change_heading = f"Since the {then_facts.round} round"
                page.change = Markup(tables.html(rows, change_table(then_facts.round, now_facts.round,
                                                                    area["display_name"])))
            page.comparable = [{"href": file_name(c), "name": by_code[c]["display_name"],
                                "same_sha": by_code[c]["standing"].get("sha_ods_code") == standing.get("sha_ods_code")}
                               for c in str(standing.get("comparable") or "").split(";") if c in by_code]
        write_text(folder / file_name(area["ods_code"]), template.render(page=page, **shared))
    listed = sorted(areas, key=lambda a: (a["name"].casefold(), a["ods_code"]))  # by place: Barnet under B
    entries = [{"href": file_name(a["ods_code"]), "display_name": a["display_name"], "answered": a["answered"],
                "search": " | ".join(dict.fromkeys(search_form(n) for n in a["search_names"]))} for a in listed]
    index = AreaPage(stem="areas", title="Find your area", illustrative=about["illustrative"])
    write_text(folder / "index.html", env.get_template("areas.html.j2").render(
        page=index, entries=entries, answered=sum(1 for a in areas if a["answered"]), **shared))
    return True
