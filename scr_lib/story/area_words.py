"""How one area compares, in plain computed English (issue 15): the words of an area page and of notebook 04.

:func:`describe` turns one row of :func:`scr_lib.findings.arithmetic.areas.compare`
(as a mapping) and :func:`~scr_lib.findings.arithmetic.areas.national` into
paragraphs. A paragraph is a list of parts: text (``str``) and figures
(:class:`Figure`), each figure knowing whether it rests on an illustrative
value, so every display marks it beside the value: :func:`as_markdown` for a
notebook ("(illustrative)"), :func:`as_html` for a page (a
``span.illustrative-mark``). Nothing here reads a file.

Missing values: a figure the PCT did not give is said to be not given, never
shown as zero; an area with no row in the returns gets one paragraph saying so
and the national figures.

Generated values: an area's own figure that was generated for illustration
(:func:`withheld`) is never printed beside its name; the page says Pulse
published none. A rank or median taken over other areas' generated values is
printed, marked.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

from .. import words

FIGURE_WORDS = {
    "rollout_begun": "whether it had begun the rollout",
    "practices_invited": "practices invited",
    "practices_declined": "practices that declined",
    "practices_signed_up": "practices signed up",
    "spend_to_date_gbp": "spend so far",
    "spend_expected_gbp": "further spend expected",
    "records_uploaded": "records uploaded",
    "records_viewed": "records used",
}


@dataclass(frozen=True)
class Figure:
    """A figure as printed, and whether any value under it is illustrative (generated, not an FOI answer)."""

    text: str
    illustrative: bool = False


def _names(row) -> set[str]:
    listed = row.get("illustrative") or ""
    return set(listed) if isinstance(listed, (list, tuple, set)) else {n for n in str(listed).split(";") if n}


REFUSAL_COLUMNS = ("practices_invited", "practices_declined")
COST_COLUMNS = ("spend_to_date_gbp", "records_uploaded")


def withheld(row) -> set[str]:
    """The figures of an area (a row of :func:`scr_lib.findings.arithmetic.areas.rows`, or an area of
    ``areas.json``) that were generated for illustration, so that no page prints them as the area's own: its
    columns marked illustrative (every figure for '*'), with ``share_declined`` (and its rank and chance) when
    either count is one, and ``cost_per_record_gbp`` when its spend or records uploaded is. Empty for a file
    with no illustrative value."""
    marked, every = _names(row), {*FIGURE_WORDS, "foi_ref"}
    hidden = every if "*" in marked else marked & every
    if hidden & set(REFUSAL_COLUMNS):
        hidden.add("share_declined")
    if hidden & set(COST_COLUMNS):
        hidden.add("cost_per_record_gbp")
    return hidden


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def ordinal(rank: int, joint: bool = False) -> str:
    """A rank in words: 8 -> "8th"; a shared one -> "joint 8th"."""
    return ("joint " if joint else "") + _ordinal(int(rank))


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


MEASURE_WORDS = {
    "share_declined": ("share of invited practices that declined", "areas with complete figures"),
    "spend_to_date_gbp": ("spend so far", "areas that gave a figure"),
    "spend_expected_gbp": ("further spend expected", "areas that gave a figure"),
    "cost_per_record_gbp": ("cost per uploaded record", "areas that gave both figures"),
    "records_viewed": ("records used", "areas that gave a figure"),
}
"""Each ranked measure (:data:`scr_lib.findings.arithmetic.areas.MEASURES`): what it is, and which areas it ranks."""

CHANCE_WORDS = {
    "far above": "far above the range expected by chance: outside even the 99.8% limits, so an unusually high share",
    "above": "above the range expected by chance at the 95% limits, but inside the 99.8% limits: high, though not "
             "far enough from the national share to single out",
    "within": "within the range expected by chance: no different from the national share beyond what chance explains",
    "below": "below the range expected by chance at the 95% limits, but inside the 99.8% limits: low, though not far "
             "enough from the national share to single out",
    "far below": "far below the range expected by chance: outside even the 99.8% limits, so an unusually low share",
}
"""Where an area's share stands against the funnel limits (:func:`scr_lib.findings.arithmetic.chance.verdict`)."""

SMALL_NUMBERS_WORDS = ("Small numbers: with fewer than {n} practices invited, its share can swing widely by chance "
                       "alone.")

NOT_ANSWERED_WORDS = ("{name} did not answer: these FOI returns hold no row for it, so it counts in no total. To get "
                      "its figures, ask the NHS body that took over its work under the Freedom of Information Act.")
NO_FIGURES_WORDS = ("{name} answered, but not in the figures used: its row in these FOI returns gives none of them, "
                    "so it counts in no total. Its answer may explain why; ask its successor body for the figures.")
GENERATED_WORDS = ("Pulse published no figures for {name}. The values this run's file holds for it were generated "
                   "for illustration, so none is shown here as its own. The national picture: ")
GENERATED_REFUSAL_WORDS = ("Pulse published no figures for the practices {name} invited and those that declined: the "
                           "ones this run's file holds for it were generated for illustration, so they are not shown "
                           "here. Across the areas counted, ")
GENERATED_SPEND_WORDS = ("Pulse published no figure for {name}'s spend on the rollout: the one this run's file holds "
                         "was generated for illustration, so it is not shown here.")


def _money(value, places=0) -> str:
    return words.pounds(value, places) if value else "nothing"


def _show(measure: str, value) -> str:
    if measure == "share_declined":
        return words.percent(value)
    if measure == "cost_per_record_gbp":
        return words.pounds(value, 2)
    if measure.endswith("_gbp"):
        return _money(value)
    return words.count(value)


def describe(row, national) -> list[list]:
    """Paragraphs about one area (see the module docstring).

    ``row`` is one of :func:`scr_lib.findings.arithmetic.areas.rows` (missing values are ``None``);
    ``national`` is :func:`~scr_lib.findings.arithmetic.areas.national` (with ``measures`` when it was given the
    compared table). An area whose figures were all generated gets one paragraph saying Pulse published none
    and the national share; an area with no row, or a row with no figures, one paragraph saying which.
    """
    name = row["display_name"]
    marked = _names(row)
    measures = national.get("measures") or {}

    def fig(text, *columns):
        return Figure(text, bool(marked.intersection(columns)) or "*" in marked)

    def overall(text, key):
        return Figure(text, key in national.get("illustrative", ()))

    complete_areas = national["areas_complete"]
    if national["share"] is None:
        across = ["no share that declined can be worked out across the areas"]
    else:
        across = ["against ", Figure(words.percent(national["share"])),
                  *([" (about one in ", Figure(words.number_words(national["one_in"])), ")"]
                    if national["one_in"] else []),
                  f" across the {words.count(complete_areas)} complete area{'' if complete_areas == 1 else 's'}"]
    national_share = ["the share of invited practices that declined was ", *across[1:], "."] \
        if national["share"] is not None else [across[0] + "."]
    if not row["answered"]:
        return [[NOT_ANSWERED_WORDS.format(name=name) + " Across the areas that answered, ", *national_share]]
    if not row.get("figures_given", True):
        return [[NO_FIGURES_WORDS.format(name=name) + " Across the areas that gave them, ", *national_share]]
    if not row.get("own_figures", True):
        return [[GENERATED_WORDS.format(name=name), *national_share]]

    hidden = withheld(row)
    invited, declined = row["practices_invited"], row["practices_declined"]
    if "share_declined" in hidden:  # said after the figures of its own, which lead
        refusal = [GENERATED_REFUSAL_WORDS.format(name=name), *national_share]
    elif row["complete"] and row["share_declined"] is not None:
        rank = int(row["refusal_rank"])
        joint = bool(row.get("share_declined_joint"))
        refusal = [
            f"{name} invited ", fig(words.count(invited), "practices_invited"), " practices and ",
            fig(words.count(declined), "practices_declined"), " declined (",
            fig(words.percent(row["share_declined"]), *REFUSAL_COLUMNS), "), ", *across,
            ". That is the ", overall(ordinal(rank, joint), "refusal_rank"),
            f" highest share of the {words.count(complete_areas)}."]
    elif row["complete"]:
        begun = "" if "rollout_begun" in hidden else " had begun the rollout but"
        refusal = [f"{name}{begun} invited ", fig("no", "practices_invited"),
                   " practices, so it has no share that declined. Across the areas counted, ", *national_share]
    else:
        refusal = [f"{name} is left out of the share that declined: it {row['excluded_because']}. "
                   "Across the areas counted, ", *national_share]
    paragraphs = [] if "share_declined" in hidden else [refusal]
    if row["complete"] and row["share_declined"] is not None and "share_declined" not in hidden:
        paragraphs.append(chance_parts(row, fig))

    spent = row["spend_to_date_gbp"]
    if "spend_to_date_gbp" in hidden:
        spend_words = [GENERATED_SPEND_WORDS.format(name=name)]
    elif spent is None:
        spend_words = [f"{name} gave no figure for its spend on the rollout."]
    else:
        spend_words = [f"{name} spent ", fig(_money(spent), "spend_to_date_gbp"), " on the rollout so far"]
        spend_words += standing_parts(row, "spend_to_date_gbp", measures, fig, national)
    cost = row["cost_per_record_gbp"]
    if "cost_per_record_gbp" in hidden:
        if "spend_to_date_gbp" not in hidden and cost is not None:
            spend_words += [" Its cost per uploaded record rests on a generated count of records, so it is not shown."]
    elif cost is not None:
        spend_words += [" Per uploaded record that is ", fig(words.pounds(cost, 2), *COST_COLUMNS)]
        spend_words += standing_parts(row, "cost_per_record_gbp", measures, fig, national)
    elif row["cost_excluded_because"]:
        spend_words += [f" Its cost per uploaded record cannot be worked out: it {row['cost_excluded_because']}."]
    paragraphs.append(spend_words)
    if "share_declined" in hidden:
        paragraphs.append(refusal)

    missing = [FIGURE_WORDS[c] for c in str(row["not_given"] or "").split(";") if c]
    if missing:
        paragraphs.append([f"It did not give: {_list(missing)}."])
    return paragraphs


def chance_parts(row, fig) -> list:
    """A complete area's share against chance: its 95% confidence interval, the funnel limits for its number of
    practices invited, where it stands against them, and "small numbers" below 20 practices invited."""
    sources = ("practices_invited", "practices_declined")
    invited = row["practices_invited"]
    verdict = row.get("chance")
    if verdict is None or row.get("share_low") is None:
        return []
    parts = ["Chance: with ", fig(words.count(invited), "practices_invited"),
             " practices invited, the 95% confidence interval for its share runs from ",
             fig(words.percent(row["share_low"]), *sources), " to ", fig(words.percent(row["share_high"]), *sources),
             ". For an area of its size, chance alone would put the share between ",
             fig(words.percent(row["limit_95_low"]), "practices_invited"), " and ",
             fig(words.percent(row["limit_95_high"]), "practices_invited"), " (95% limits around the national share) "
             "or between ", fig(words.percent(row["limit_998_low"]), "practices_invited"), " and ",
             fig(words.percent(row["limit_998_high"]), "practices_invited"), " (99.8% limits). Its share is ",
             fig(CHANCE_WORDS[verdict], *sources), "."]
    if row.get("small_numbers"):
        from ..findings.arithmetic.chance import SMALL_NUMBERS
        parts.append(" " + SMALL_NUMBERS_WORDS.format(n=SMALL_NUMBERS))
    return parts


def standing_parts(row, measure: str, measures: dict, fig, national) -> list:
    """Where the area stands on ``measure``: ", the 3rd highest of the 78 areas that gave a figure (median £1,850;
    of the 41 above nil, £15,500)." Rank and medians are marked when any value under them is illustrative."""
    from ..findings.arithmetic.areas import MEASURES

    summary = measures.get(measure)
    rank = row.get(f"{measure}_rank")
    if not summary or rank is None:
        return ["."]
    made_up = summary["illustrative"]
    parts = [", the ", Figure(ordinal(rank, bool(row.get(f"{measure}_joint"))), made_up),
             f" highest of the {words.count(summary['areas'])} {MEASURE_WORDS[measure][1]} (median ",
             Figure(_show(measure, summary["median"]), made_up)]
    if summary["median_nonzero"] is not None and summary["areas_nonzero"] != summary["areas"]:
        parts += [f"; of the {words.count(summary['areas_nonzero'])} above nil, ",
                  Figure(_show(measure, summary["median_nonzero"]), made_up)]
    return parts + [")."]


def as_markdown(paragraphs: list[list]) -> str:
    """Paragraphs as Markdown: figures in bold, an illustrative one followed by "(illustrative)"."""
    def part(p):
        if isinstance(p, Figure):
            return f"**{p.text}**" + (" (illustrative)" if p.illustrative else "")
        return p
    return "\n\n".join("".join(part(p) for p in paragraph) for paragraph in paragraphs)


def as_html(paragraphs: list[list]) -> str:
    """Paragraphs as HTML ``<p>`` elements, all text escaped; an illustrative figure is followed by
    ``<span class="illustrative-mark">illustrative</span>``."""
    def part(p):
        if isinstance(p, Figure):
            mark = ' <span class="illustrative-mark">illustrative</span>' if p.illustrative else ""
            return f'<strong class="figure">{html.escape(p.text)}</strong>{mark}'
        return html.escape(p)
    return "\n".join("<p>" + "".join(part(p) for p in paragraph) + "</p>" for paragraph in paragraphs)


AREAS_FILE = "areas.json"

STANDING = ("excluded_because", "share_declined", "refusal_rank", "complete_areas", "spend_status",
            "cost_per_record_gbp", "cost_excluded_because", "not_given", "figures_given", "own_figures",
            "sha_ods_code", "sha_name", "share_low", "share_high", "limit_95_low", "limit_95_high", "limit_998_low",
            "limit_998_high", "chance", "small_numbers", "comparable", "foi_ref",
            *(f"{m}_{part}" for m in MEASURE_WORDS for part in ("rank", "joint", "ranked")))
"""What :func:`handover` gives of each area's standing, beside its figures (columns of ``compare``)."""

FINDING_ID = "areas"
"""The finding whose notebook (04) writes :data:`AREAS_FILE`: its page links to the area pages."""

NATIONAL_FROM = {"share": "refusal", "median_to_date_gbp": "spend", "median_cost_per_record_gbp": "spend"}
"""The finding each national figure comes from (its page says how it was counted)."""


def _part_json(part):
    return {"figure": part.text, "illustrative": part.illustrative} if isinstance(part, Figure) else part


def _part_from_json(part):
    return Figure(part["figure"], bool(part["illustrative"])) if isinstance(part, dict) else part


def handover(rows: list[dict], national: dict, chosen: str | None = None) -> dict:
    """What the area pages show, as JSON-ready data: the national figures and, per area (rows of
    :func:`scr_lib.findings.arithmetic.areas.rows`), its code, names, whether it answered, its figures as
    given (``None`` where missing), its ``standing`` (:data:`STANDING`: whether and why it is left out of a
    total, its share, rank and cost per record) and the paragraphs of :func:`describe`. ``chosen``: the ODS code of the
    area the notebook showed."""
    # Imported here: the arithmetic needs pandas, and the site renders area pages from this module without it.
    from ..findings.arithmetic.areas import FIGURES

    return {
        "national": national,
        "chosen": chosen,
        "areas": [{
            "ods_code": row["ods_code"], "display_name": row["display_name"], "name": row["name"],
            "search_names": row["search_names"].split(";"), "answered": row["answered"],
            "complete": row["complete"], "figures": {c: row[c] for c in FIGURES},
            "illustrative": [c for c in str(row["illustrative"] or "").split(";") if c],
            "standing": {key: row[key] for key in STANDING},
            "paragraphs": [[_part_json(p) for p in paragraph] for paragraph in describe(row, national)],
        } for row in rows],
    }


def paragraphs(area: dict) -> list[list]:
    """An area's paragraphs from :func:`handover`'s JSON, ready for :func:`as_html`."""
    return [[_part_from_json(p) for p in paragraph] for paragraph in area["paragraphs"]]


def save(output_dir, data: dict):
    """Write :func:`handover`'s ``data`` to ``output_dir/areas.json``; with an empty ``output_dir`` (a
    notebook opened in JupyterLab) write nothing. Returns the path written, or ``None``."""
    if not output_dir:
        return None
    path = Path(output_dir) / AREAS_FILE
    path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")
    return path
