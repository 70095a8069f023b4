"""Text from notebooks made safe for a page: Markdown with raw HTML escaped, HTML through an allow-list
(nh3), JSON for a script element, and the one way files are written.

See the package docstring for what is allowed and why.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import mistune
import nh3

# ----------------------------------------------------------------------------------------------
# Text from notebooks: markdown with raw HTML escaped, HTML through an allow-list.


def slug(text: str) -> str:
    """An id for a heading: lower case, runs of anything but letters and digits become '-'."""
    return re.sub(r"[^a-z0-9]+", "-", html.unescape(re.sub(r"<[^>]+>", "", text)).lower()).strip("-") or "section"


class _Renderer(mistune.HTMLRenderer):
    """Mistune's HTML renderer with raw HTML escaped, heading ids, no images from elsewhere, and
    (``links=False``) links shown as the text they were written as."""

    def __init__(self, ids: set[str], attachments: dict | None = None, links: bool = True):
        super().__init__(escape=True)
        self.ids = ids
        self.attachments = attachments or {}
        self.links = links

    def link(self, text: str, url: str, title: str | None = None) -> str:
        if self.links:
            return super().link(text, url, title)
        shown = html.escape(url)
        return shown if text in (url, shown) else f"[{text}]({shown})"

    def heading(self, text: str, level: int, **attrs) -> str:
        base = slug(text)
        anchor, n = base, 2
        while anchor in self.ids:
            anchor, n = f"{base}-{n}", n + 1
        self.ids.add(anchor)
        return f'<h{level} id="{anchor}">{text}</h{level}>\n'

    def image(self, text: str, url: str, title: str | None = None) -> str:
        # Only images carried inside the notebook are shown; a URL would be a request outside the site.
        if url.startswith("attachment:"):
            bundle = self.attachments.get(url[len("attachment:"):], {})
            for mime in ("image/png", "image/jpeg", "image/gif"):
                if mime in bundle:
                    data = "".join(bundle[mime]) if isinstance(bundle[mime], list) else bundle[mime]
                    return f'<img src="data:{mime};base64,{html.escape(data)}" alt="{html.escape(text)}">'
        return f'<span class="image-omitted">[image not included: {html.escape(text or url)}]</span>'


def markdown_html(text: str, ids: set[str] | None = None, attachments: dict | None = None,
                  links: bool = True) -> str:
    """Render Markdown ``text`` to HTML; any raw HTML in it is shown as text, never as markup.

    ``ids`` collects heading ids already used on the page (a heading gets ``-2``,
    ``-3``... when its id is taken). Images are kept only when attached to the cell.
    With ``links=False`` (notebook outputs, which carry text from files) a link is
    shown as the text it was written as, ``[text](url)``, and is not a link.
    """
    renderer = _Renderer(set() if ids is None else ids, attachments, links)
    return mistune.create_markdown(renderer=renderer, plugins=["table", "strikethrough"])(text)


ALLOWED_TAGS = {"table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
                "div", "span", "p", "br", "hr", "b", "i", "strong", "em", "code", "pre", "small",
                "sub", "sup", "ul", "ol", "li", "abbr", "blockquote", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_ATTRS = {"class", "colspan", "rowspan", "title"}
# A publication table (scr_lib.story.tables) scrolls in a focusable region with a name, and its header
# cells say what they head; only these values are kept (a role="alert" or tabindex="5" is not).
REGION_ATTRS = {"div": {"role", "tabindex", "aria-label"}, "th": {"scope"}}
ALLOWED_VALUES = {"role": {"region"}, "tabindex": {"0"}, "scope": {"col", "row", "colgroup", "rowgroup"}}
DROPPED_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg",
                        "math", "textarea", "select", "title", "head", "audio", "video", "canvas"}
NUMBER_CELL = re.compile(r"<td>(\s*[-+−]?[£$€]?[\d,]*\.?\d+%?\s*)</td>")


def sanitise_html(text: str) -> str:
    """Keep only table and text markup from an HTML output (nh3, the Ammonia sanitiser); every text is escaped.

    Scripts, styles, event handlers, inline styles, images and links are
    removed (a link's text is kept, as text; script and style contents are
    dropped). Comments are dropped. A publication table keeps its region
    (``role="region"``, ``tabindex="0"``, ``aria-label``) and header scopes, and
    nothing else of the kind. In any other table, cells holding just a number
    get ``class="num"`` (right-aligned).
    """
    cleaned = nh3.clean(text, tags=ALLOWED_TAGS, clean_content_tags=DROPPED_WITH_CONTENT,
                        attributes={"*": ALLOWED_ATTRS, **REGION_ATTRS}, attribute_filter=_allowed_value,
                        strip_comments=True, link_rel=None)
    if 'class="publication"' in cleaned:  # a publication table aligns its own columns, by unit
        return cleaned
    return NUMBER_CELL.sub(r'<td class="num">\1</td>', cleaned)


def _allowed_value(tag: str, attribute: str, value: str) -> str | None:
    allowed = ALLOWED_VALUES.get(attribute)
    return value if allowed is None or value in allowed else None


def json_for_script(value) -> str:
    """``value`` as JSON that is safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")



def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 with newline line ends, making its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)

