"""What a page carries when it is published: its dateline, its share card and the credits of its charts.

- :func:`dateline`: the run's byline, dates (``published``, ``updated``; and ``as_at`` and ``round``
  when the run's params have them) and corrections note, as ``base.html.j2``'s ``_byline.html.j2`` shows
  them; each date in a ``<time datetime>``.
- :func:`card_svg` and :func:`write_card`: a page's share image, ``share/NAME.png``, 1200 x 630 px (the
  size Open Graph and Twitter's large card show), drawn at build time from the page's headline, its first
  key figure and, where the page has one, its first chart; ``_share_meta.html.j2`` points the page's Open
  Graph and Twitter tags at it, by a link relative to the page or, with the ``site_url`` param, absolute.
- :func:`source_line` and :func:`credit`: the lines drawn under a chart in its PNG and SVG files and on
  its embed page.

Text on a card is cut at a word, with "…", where it would not fit. Nothing here reads the clock: a page
shows the dates its params give, or none.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import html
import json
import re
import textwrap
from pathlib import Path

import vl_convert

from .. import charts as house

CARD_WIDTH, CARD_HEIGHT = 1200, 630
FONT = "Helvetica, Arial, sans-serif"
FOLDER = "share"


_PARTIAL = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def long_date(iso: str | None) -> str:
    """``2026-12-07`` as "7 December 2026", ``2011-03`` as "March 2011", ``2011`` as "2011"; other text as
    it is; None as ""."""
    if not iso:
        return ""
    match = _PARTIAL.fullmatch(str(iso))
    try:
        if match and match.group(3):
            day = datetime.date.fromisoformat(str(iso))
            return f"{day.day} {day:%B %Y}"
        if match and match.group(2):
            return f"{datetime.date(int(match.group(1)), int(match.group(2)), 1):%B %Y}"
    except ValueError:
        return str(iso)
    return str(iso)


def _iso(value) -> str | None:
    """A date, a month (``2011-03``) or a year (``2011``) as the ISO text a ``<time datetime>`` takes;
    None when ``value`` is none of these."""
    if value is None or value == "":
        return None
    text = value.isoformat() if isinstance(value, datetime.date) else str(value).strip()
    match = _PARTIAL.fullmatch(text)
    if not match:
        return None
    try:
        datetime.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return None
    return text


def dateline(values: dict) -> dict:
    """The pages' dateline from a run's params values: ``byline`` (text, "" for none), ``published``,
    ``updated`` and ``as_at`` (ISO dates or None), ``round`` (text or None), ``corrections`` (text, ""),
    ``site_url`` ("" for links relative to each page). Keys a run's params do not have are None or ""."""
    round_ = values.get("round")
    return {"byline": (values.get("byline") or "").strip(), "published": _iso(values.get("published")),
            "updated": _iso(values.get("updated")), "as_at": _iso(values.get("as_at")),
            "as_at_text": None if _iso(values.get("as_at")) else (values.get("as_at") or None),
            "round": str(round_) if round_ not in (None, "") else None,
            "corrections": (values.get("corrections") or "").strip(),
            "site_url": (values.get("site_url") or "").rstrip("/")}


def credit(line: dict, story_title: str) -> str:
    """The credit drawn under a chart: the byline when there is one, else the story's title."""
    return f"Chart: {line['byline'] or story_title}" + (f", {long_date(line['published'])}" if line["published"] else "")


def source_line(page) -> str:
    """The sources of a page's figures, in a line: the FOI returns file it read and the articles it checks."""
    parts = []
    if getattr(page, "foi_file", None):
        parts.append(f"FOI returns ({page.foi_file})")
    for article in getattr(page, "articles", []) or []:
        parts.append(", ".join(str(a) for a in (article.get("publication"), article.get("date")) if a))
    parts += [s.get("what", "") for s in getattr(page, "sources", []) or [] if s.get("what")]
    unique = list(dict.fromkeys(p for p in parts if p))
    return "Source: " + ("; ".join(unique) if unique else "the run's data") + "."


def _cut(text: str, width: int, lines: int) -> list[str]:
    """``text`` wrapped to ``width`` characters, at most ``lines`` lines, the last ending "…" if cut."""
    wrapped = textwrap.wrap(text, width, break_long_words=True)
    if len(wrapped) <= lines:
        return wrapped
    kept = wrapped[:lines]
    kept[-1] = textwrap.shorten(kept[-1] + " " + wrapped[lines], width - 1, placeholder="").rstrip(" ,;:") + "…"
    return kept


def _text(x: int, y: int, lines: list[str], size: int, step: int, fill: str, weight: str = "normal") -> str:
    return "".join(f'<text x="{x}" y="{y + i * step}" font-family="{FONT}" font-size="{size}" font-weight="{weight}" '
                   f'fill="{fill}">{html.escape(line)}</text>' for i, line in enumerate(lines))


def card_svg(site_title: str, headline: str, figure: dict | None = None, chart_svg: str | None = None,
             foot: str = "") -> str:
    """The share card as SVG text, 1200 x 630: the site's title, the headline (its first sentence when
    long), the key figure (``label``, ``value``, ``illustrative``) and the chart drawing scaled into the
    right half. Colours are the light page's."""
    first = re.split(r"(?<=[.!?])\s", headline.strip(), maxsplit=1)[0] if len(headline) > 160 else headline.strip()
    text_width = 540 if chart_svg else 1080
    size = 38 if len(first) < 110 or not chart_svg else 32
    parts = [f'<rect width="{CARD_WIDTH}" height="{CARD_HEIGHT}" fill="#ffffff"/>',
             f'<rect width="14" height="{CARD_HEIGHT}" fill="{house.BLUE}"/>',
             _text(60, 64, _cut(site_title, 90, 1), 22, 28, "#555")]
    lines = _cut(first, int(text_width / (size * 0.55)), 6 if figure is None else 5)
    parts.append(_text(60, 130, lines, size, int(size * 1.22), "#1d1d1d", "bold"))
    if figure:
        top = 130 + len(lines) * int(size * 1.22) + 50
        value = str(figure.get("value", ""))
        parts.append(_text(60, top + 40, _cut(value, int(text_width / 33), 1), 60, 64, house.BLUE, "bold"))
        label = str(figure.get("label", "")) + (" (illustrative)" if figure.get("illustrative") else "")
        parts.append(_text(60, top + 80, _cut(label, int(text_width / 12.5), 2), 22, 28, "#555"))
    if chart_svg:
        inner = re.sub(r"^<\?xml[^>]*>\s*", "", chart_svg)
        inner = re.sub(r"<svg\b", '<svg x="620" y="96" width="540" height="470" preserveAspectRatio="xMidYMid meet"',
                       inner, count=1)
        parts.append(_fixed_size(inner))
    if foot:
        parts.append(_text(60, CARD_HEIGHT - 36, _cut(foot, 100, 1), 20, 24, "#555"))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{CARD_WIDTH}" '
            f'height="{CARD_HEIGHT}" viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}">{"".join(parts)}</svg>')


def _fixed_size(svg: str) -> str:
    """The chart's root ``<svg>`` with the box :func:`card_svg` gave it in place of its own width and height
    (its viewBox keeps the drawing's proportions)."""
    match = re.match(r"<svg\b[^>]*>", svg)
    if not match:
        return ""
    tag = match.group(0)
    seen: dict[str, int] = {}

    def keep(m: re.Match) -> str:
        seen[m.group(1)] = seen.get(m.group(1), 0) + 1
        return m.group(0) if seen[m.group(1)] == 1 else ""
    tag = re.sub(r'\s(width|height)="[\d.]+"', keep, tag)
    return tag + svg[match.end():]


def write_card(site: Path, name: str, svg: str, cache=None) -> str:
    """Write ``share/NAME.png`` from the card's SVG (from ``cache`` when this very card was drawn before);
    returns its path in the site folder."""
    key = hashlib.sha256(json.dumps([vl_convert.__version__, svg]).encode("utf-8")).hexdigest()
    make = lambda: base64.b64encode(vl_convert.svg_to_png(svg)).decode("ascii")  # noqa: E731
    png = base64.b64decode(cache.text(f"card-{key}.b64", make) if cache else make())
    target = site / FOLDER / f"{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png)
    return f"{FOLDER}/{name}.png"


def description(text: str, most: int = 200) -> str:
    """A meta description: the text on one line, cut at a word to at most ``most`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= most else textwrap.shorten(text, most - 1, placeholder="") + "…"
