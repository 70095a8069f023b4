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
    return {n for n in str(row.get("illustrative") or "").split(";") if n}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n:,}{suffix}"


def _list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe(row, national) -> list[list]:
    """Paragraphs about one area (see the module docstring).

    ``row`` is one of :func:`scr_lib.findings.arithmetic.areas.rows` (missing values are ``None``);
    ``national`` is :func:`~scr_lib.findings.arithmetic.areas.national`.
    """
    name = row["display_name"]
    marked = _names(row)

    def fig(text, *columns):
        return Figure(text, bool(marked.intersection(columns)))

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
    if not row["answered"]:
        return [[f"{name} has no row in these FOI returns: it did not answer, or its answer is not in the file. "
                 "Across the areas that did, the share of invited practices that declined was ", *across[1:], "."]]

    paragraphs = []
    invited, declined = row["practices_invited"], row["practices_declined"]
    if row["complete"]:
        rank = int(row["refusal_rank"])
        paragraphs.append([
            f"{name} invited ", fig(words.count(invited), "practices_invited"), " practices and ",
            fig(words.count(declined), "practices_declined"), " declined (",
            fig(words.percent(row["share_declined"]), "practices_invited", "practices_declined"), "), ", *across,
            ". That is the ", overall(_ordinal(rank), "refusal_rank"),
            f" highest share of the {words.count(complete_areas)}."])
    else:
        paragraphs.append([f"{name} is left out of the share that declined: it {row['excluded_because']}. "
                           "Across the areas counted, the share was ", *across[1:], "."])

    spent = row["spend_to_date_gbp"]
    median = national["median_to_date_gbp"]
    if spent is None:
        spend_words = [f"{name} gave no figure for its spend on the rollout."]
    else:
        spend_words = [f"{name} spent ", fig(words.pounds(spent) if spent else "nothing", "spend_to_date_gbp"),
                       " on the rollout so far"]
        spend_words += ([", against a median of ", overall(words.pounds(median), "median_to_date_gbp"), " across the PCTs that gave a figure."]
                        if median is not None else ["."])
    cost = row["cost_per_record_gbp"]
    if cost is not None:
        spend_words += [" Per uploaded record that is ",
                        fig(words.pounds(cost, 2), "spend_to_date_gbp", "records_uploaded")]
        median_cost = national["median_cost_per_record_gbp"]
        spend_words += ([" (median ", overall(words.pounds(median_cost, 2), "median_cost_per_record_gbp"), ")."] if median_cost is not None else ["."])
    elif row["cost_excluded_because"]:
        spend_words += [f" Its cost per uploaded record cannot be worked out: it {row['cost_excluded_because']}."]
    paragraphs.append(spend_words)

    missing = [FIGURE_WORDS[c] for c in str(row["not_given"] or "").split(";") if c]
    if missing:
        paragraphs.append([f"It did not give: {_list(missing)}."])
    return paragraphs


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
            "cost_per_record_gbp", "cost_excluded_because", "not_given")
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
