"""Read a draft story (plain text, Markdown or Word .docx) as blocks of text, each with where it is.

:func:`read_blocks` returns the draft's paragraphs in reading order, each a
:class:`Block`: its text as read, what it is (``text``, ``heading``, ``list item``,
``quote``, ``table``; in a .docx also ``caption``, ``footnote``, ``endnote``,
``text box``, ``header``, ``footer``) and, for a text draft, the line of the file
each of its characters came from, so that a number can be pointed at by paragraph
and line. :mod:`scr_lib.story.draft` checks the numbers in them.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path


class DraftError(Exception):
    """A draft or run folder that cannot be read; the message names the file and what to do."""


@dataclass(frozen=True)
class Block:
    """One paragraph as read: ``text``; ``where`` it is (see the module docstring); ``lines``: for a text
    draft, (offset in ``text``, line of the file) for each line it joins, in order; empty for a .docx."""

    text: str
    where: str = "text"
    lines: tuple[tuple[int, int], ...] = field(default=())

    def line_at(self, offset: int) -> int | None:
        """The line of the file the character at ``offset`` came from (None for a .docx)."""
        if not self.lines:
            return None
        i = bisect.bisect_right([o for o, _ in self.lines], offset) - 1
        return self.lines[max(i, 0)][1]


_TEXT_SUFFIXES = ("", ".txt", ".text", ".md", ".markdown")
# A line that starts a block of its own: a list item, a heading, a block quote or a table row.
_BLOCK_START = re.compile(r"^\s*(?:[-*+\u2022]\s|\d+[.)]\s|#{1,6}\s|>|\|)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def read_blocks(path: str | Path) -> list[Block]:
    """The paragraphs of a draft, in reading order: .docx via python-docx, else UTF-8 text (Markdown or plain).

    A paragraph's lines are joined into one (a sentence wrapped across lines is one sentence), except
    that each list item, heading, quote and table row is a block of its own. A table row (Markdown or
    Word) is read as its cells joined by "; ", each after its column's heading ("Area = NHS Dorset;
    Practices declined = 24"), so that the numbers in a table are read with their headings. A .docx is
    read headers first, then its body paragraphs, text boxes and tables (nested ones too) in document
    order, then its footnotes and endnotes, then its footers. Markdown is reduced to its words:
    comments, link targets, images, emphasis marks, heading marks and list numbers ("1. ") are removed,
    so that they are not read as numbers. Raises :class:`DraftError` for a missing or unreadable file.
    """
    path = Path(path)
    if not path.is_file():
        raise DraftError(f"{path}: no such file: give a .txt, .md or .docx draft")
    if path.suffix.lower() == ".docx":
        return _docx_blocks(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        if path.suffix.lower() not in _TEXT_SUFFIXES:
            raise DraftError(f"{path}: not text (byte {err.start} is not UTF-8): give a .txt, .md or .docx draft, "
                             "saving it as one from its program") from None
        raise DraftError(f"{path}: not UTF-8 text (byte {err.start}): save the draft as UTF-8") from None
    if "\x00" in text:
        raise DraftError(f"{path}: a binary file, not text: give a .txt, .md or .docx draft")
    markdown = path.suffix.lower() in (".md", ".markdown")
    if markdown:  # comments are not part of the story; their line breaks are kept, so lines still count
        text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.DOTALL)
    return _text_blocks(text.splitlines(), markdown)


def _text_blocks(lines: list[str], markdown: bool) -> list[Block]:
    """Blocks from the lines of a text draft (see :func:`read_blocks`), each line's number kept."""
    blocks: list[Block] = []
    current: list[tuple[str, int]] = []  # (text, line) of the block being built
    where = "text"
    header: list[str] | None = None

    def close():
        nonlocal current
        if current:
            text, offsets, at = "", [], 0
            for i, (piece, line) in enumerate(current):
                if i:
                    text += " "
                    at += 1
                offsets.append((at, line))
                text += piece
                at += len(piece)
            if text.strip():
                blocks.append(Block(text, where, tuple(offsets)))
        current = []

    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            close()
            header, where = None, "text"
            continue
        if raw.lstrip().startswith("|"):
            close()
            if _TABLE_RULE.match(raw):
                continue
            cells = [_words(c.strip(), markdown) for c in raw.strip().strip("|").split("|")]
            if header is None:
                header = cells
                text = "; ".join(c for c in cells if c)
            else:
                text = _row_text(header, cells)
            where = "table"
            current = [(text, number)]
            close()
            continue
        header = None
        starts = _BLOCK_START.match(raw)
        if starts or where in ("heading", "table"):
            close()
            stripped = raw.strip()
            where = ("heading" if re.match(r"#{1,6}\s", stripped) else "quote" if stripped.startswith(">")
                     else "list item" if starts else "text")
        piece = _words(raw.strip(), markdown)
        if piece.strip():
            current.append((piece.strip(), number))
    close()
    return blocks


def _words(line: str, markdown: bool) -> str:
    """A line of Markdown reduced to its words (plain text as it is)."""
    if not markdown:
        return line
    text = re.sub(r"\[\^(\d+)\]:", r"[\1]", line)  # a footnote's text: its marker is a label
    text = re.sub(r"\[\^(\d+)\]", r"[\1]", text)  # a footnote marker
    text = re.sub(r"<sup>\s*(\d+)\s*</sup>", r"[\1]", text, flags=re.IGNORECASE)  # a superscript note marker
    text = re.sub(r"</?[a-zA-Z][^>]*>", "", text)  # other HTML tags: keep the words between them
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)  # images: keep the alt text
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: keep the words
    text = re.sub(r"^\s{0,3}#{1,6}\s+", "", text)  # headings
    text = re.sub(r"^\s*(?:[-*+\u2022]|\d+[.)])\s+", "", text)  # list markers
    text = re.sub(r"^\s*>\s?", "", text)  # block quotes
    text = re.sub(r"(\*\*|__|\*|`)", "", text)  # emphasis and code marks
    text = re.sub(r"(?<!\w)_(?=\S)([^_\n]*?\S)_(?!\w)", r"\1", text)  # _emphasis_
    return text


def _row_text(header: list[str], cells: list[str]) -> str:
    """A table row as its cells joined by '; ', each after its column heading ("Practices declined = 12"); a
    heading with digits is left out, so that its numbers are not read again in every row."""
    parts = []
    for i, cell in enumerate(cells):
        if not cell:
            continue
        heading = header[i] if i < len(header) else ""
        parts.append(f"{heading} = {cell}" if heading and not re.search(r"\d", heading) else cell)
    return "; ".join(parts)


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _docx_blocks(path: Path) -> list[Block]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.table import Table

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as err:
        raise DraftError(f"{path}: not a readable .docx file ({err.__class__.__name__}): "
                         "save it again from Word, or as plain text") from None

    def kind_of(paragraph, default: str) -> str:
        style = ""
        try:
            style = (paragraph.style.name or "") if paragraph.style is not None else ""
        except (KeyError, ValueError, AttributeError):
            style = ""
        low = style.lower()
        if low.startswith("heading") or low in ("title", "subtitle"):
            return "heading"
        if low.startswith("caption"):
            return "caption"
        if low.startswith("list"):
            return "list item"
        if low.startswith("quote") or low.startswith("intense quote"):
            return "quote"
        return default

    def texts(container, where: str) -> list[Block]:
        out = []
        for item in container.iter_inner_content():
            if isinstance(item, Table):
                out += tables(item)
            else:
                out.append(Block(paragraph_text(item._p), kind_of(item, where)))
                out += [Block(t, "text box") for t in boxes(item._p)]
        return out

    def paragraph_text(p) -> str:
        """A paragraph's text as it reads, tracked insertions and content controls included (python-docx's
        Paragraph.text leaves them out), deletions and field codes not; text boxes are read apart."""
        out = []
        for element in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
            ancestor = element.getparent()
            while ancestor is not None and ancestor is not p and ancestor.tag != qn("w:txbxContent"):
                ancestor = ancestor.getparent()
            if ancestor is not p:  # inside a text box of this paragraph
                continue
            out.append(element.text or "" if element.tag == qn("w:t") else " ")
        return "".join(out)

    def boxes(element) -> list[str]:
        """The paragraphs of the text boxes in ``element`` (Word writes each twice: once as a drawing and
        once as a VML fallback; the fallback is skipped)."""
        out = []
        for box in element.iter(qn("w:txbxContent")):
            if any(a.tag == f"{{{_MC}}}Fallback" for a in box.iterancestors()):
                continue
            out += [paragraph_text(p) for p in box.iter(qn("w:p"))]
        return out

    def notes() -> list[Block]:
        """The footnotes and endnotes, in order (Word's separator notes left out)."""
        out = []
        for part in document.part.package.iter_parts():
            name = str(part.partname)
            if name not in ("/word/footnotes.xml", "/word/endnotes.xml"):
                continue
            try:
                root = parse_xml(part.blob)
            except SyntaxError as err:  # lxml's XMLSyntaxError
                raise DraftError(f"{path}: its {part.partname} is not readable XML ({err}): save it again "
                                 "from Word, or as plain text") from None
            where = "footnote" if "footnotes" in name else "endnote"
            for note in root:
                if note.get(qn("w:type")) in (None, "normal"):
                    out += [Block(paragraph_text(p), where) for p in note.iter(qn("w:p"))]
        return out

    def tables(table) -> list[Block]:
        out, header = [], None
        for row in table.rows:
            full, cells, previous = [], [], None
            for cell in row.cells:  # one per grid column; a merged cell is repeated, and read once
                merged = previous is not None and cell._tc is previous._tc
                previous = cell
                full.append(full[-1] if merged else " ".join(b.text.strip() for b in texts(cell, "table")
                                                              if b.text.strip()))
                cells.append("" if merged else full[-1])
            if header is None:
                header = full
                out.append(Block("; ".join(c for c in cells if c), "table"))
            else:
                out.append(Block(_row_text(header, cells), "table"))
        return out

    def parts(kind: str) -> list[Block]:
        out = []
        for number, section in enumerate(document.sections):
            for name in (f"first_page_{kind}", f"even_page_{kind}", kind):
                part = getattr(section, name)
                if (number == 0 or not part.is_linked_to_previous) and not (
                        name != kind and part.is_linked_to_previous):
                    out += texts(part, kind)
        return out

    blocks = parts("header") + texts(document, "text") + notes() + parts("footer")
    return [Block(b.text.strip(), b.where) for b in blocks if b.text.strip()]
