"""Check every number in a draft story against a run's results.

:func:`read_text` reads a draft (plain text, Markdown or .docx);
:func:`check_draft` finds every number in it (:mod:`scr_lib.story.numbers`) and gives
each a :class:`Verdict`:

- **supported**: a result the sentence points to matches the number at its
  printed precision (the rules of :func:`scr_lib.story.claims.check`: whole numbers
  exactly, "0.53%" to two places, "337,000" to the nearest thousand, "one in
  six" as the nearest one in N, bounds as bounds);
- **contradicted**: the sentence points to a result, and it does not match
  (the computed value and the difference are given);
- **unchecked**: nothing in the run speaks to it; a person must check it. Dates
  and years are listed apart, never checked.

Which result a number is about is decided by explicit tables, never by
guessing, in this order:

1. **The ledger** (``data/pulse_2010/claims.csv``): when a sentence contains a
   claim's quote, with any figure in the place of the quote's own, the number
   in that place is checked against the claim's ``result_key``. A context row's
   numbers are unchecked, with its reason; an input's are unchecked.
2. **The vocabulary** (:data:`VOCABULARY`): each rule names the kind of number
   (a count of practices, PCTs, records, views or calls; money; a share), the
   words that must appear near it (in its clause, the nearest words winning;
   failing that, anywhere in its sentence, except for money), and
   the result key(s). ``{area}`` in a key is the area Pulse named in the same
   sentence, or else earlier in the paragraph (from
   :data:`scr_lib.inputs.reference.NAMED_AREAS`). The first rule that applies wins;
   when it names several keys, any one that matches supports the number.
3. Otherwise the number is unchecked.

A key the run does not have makes the number unchecked, saying so.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

from .. import words
from ..precision import round_number
from . import claims, numbers
from .results import is_illustrative
from .results import value as result_value


class Verdict(StrEnum):
    """The verdict on one number in a draft."""

    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    UNCHECKED = "unchecked"


# What a count counts: the noun after the number (or nearest it), as a unit.
NOUNS = {
    "practices": r"practices|practice|surgeries|gp practices",
    "areas": r"pcts|pct|areas|trusts|care trusts|primary care trusts",
    "records": r"records|care records|summary care records",
    "views": r"views|accesses|viewings|care record views|care record accesses",
    "calls": r"calls|out-of-hours calls|contacts",
}
_REFUSED = r"declin|refus|reject|snub|boycott|turn(?:ed|ing)? down|opt(?:ed)? out|said no"
_SPENT = r"spen[dt]|cost|paid|invested"
# A rate per period ("viewed each year"), not a total to date.
_PER_PERIOD = r"\b(?:a|each|per|every) (?:day|week|month|year|quarter|shift)\b|\bannually\b|\bweekly\b|\bdaily\b"
# Cost per record: "per record", "each record", "each record cost", "the records cost £1.19 each".
_PER_RECORD = r"(?:each |a |per |the )?records? cost|per record|each record|a record|cost (?:per|of each|of a) record"


@dataclass(frozen=True)
class Rule:
    """One line of the vocabulary: numbers of ``kinds`` (and ``unit``, for counts), near ``words``, are ``keys``.

    ``area``: True when the rule needs a named area, False when it needs none.
    ``words`` must be near the number, ``unless`` must not be; ``sentence``, when
    given, must be somewhere in the sentence. All are regular expressions, matched
    on lower-case text.
    """

    kinds: tuple[str, ...]
    unit: str | None
    area: bool
    words: str
    keys: tuple[str, ...]
    unless: str | None = None
    sentence: str | None = None


_SHARE = ("percent", "one_in", "fraction")
VOCABULARY: tuple[Rule, ...] = (
    # practices in a named area
    Rule(("count",), "practices", True, r"yet to agree|not (?:yet )?agreed|not signed", ("refusal.{area}_practices_not_agreed",)),
    Rule(("count",), "practices", True, _REFUSED, ("refusal.{area}_practices_declined",)),
    Rule(("count",), "practices", True, r"signed up|sign up|agreed|shown interest|interested|joined|taking part",
         ("refusal.{area}_practices_signed_up",)),
    Rule(("count",), "practices", True, r"invited|asked|contacted|approached|offered|\ball\b",
         ("refusal.{area}_practices_invited",)),
    # practices across the complete areas
    Rule(("count",), "practices", False, _REFUSED, ("refusal.practices_declined",)),
    Rule(("count",), "practices", False, r"invited|asked|approached|offered", ("refusal.practices_invited",)),
    # PCTs and areas
    Rule(("count",), "areas", False, r"half or more|majority|most of (?:their|its) practices",
         ("refusal.areas_half_or_more_declined",)),
    Rule(("count",), "areas", False, r"complete figures|begun the rollout|begun rolling out",
         ("refusal.areas_complete",)),
    Rule(("count",), "areas", False, r"spent nothing|spending nothing|nothing|\bnil\b",
         ("spend.pcts_reporting_zero",)),
    Rule(("count",), "areas", False, r"freedom of information|\bfoi\b|answered|responded|replied|figures (?:obtained|from)",
         ("refusal.areas_answered", "spend.pcts_answered")),
    # records
    Rule(("count",), "records", True, r"used|viewed|accessed|opened", ("spend.{area}_records_viewed",)),
    Rule(("count",), "records", True, r"uploaded|created", ("spend.{area}_records_uploaded",)),
    Rule(("count",), "records", False, r"used|viewed|accessed", ("spend.records_viewed",),
         unless=rf"out-of-hours|{_PER_PERIOD}"),
    Rule(("count",), "records", False, r"created|uploaded|risen|in england",
         ("ooh.records_created", "spend.records_uploaded")),
    # out of hours
    Rule(("count",), "views", False, r"", ("ooh.views_per_week",)),
    Rule(("count",), "calls", False, r"per (?:1,000|thousand).*(?:year|annum)", ("ooh.calls_per_1000_per_year",)),
    Rule(("count",), "calls", False, r"per (?:1,000|thousand)", ("ooh.calls_per_1000_per_week",)),
    Rule(("count",), "calls", False, r"", ("ooh.projected_calls_per_week",)),
    # money in a named area
    Rule(("money",), None, True, r"further|more|expect", ("spend.{area}_expected_gbp",)),
    Rule(("money",), None, True, _PER_RECORD, ("spend.{area}_cost_per_record_gbp",)),
    Rule(("money",), None, True, _SPENT, ("spend.{area}_to_date_gbp",)),
    # money: national
    Rule(("money",), None, False, r"central(?:ly)? fund|central funding|connecting for health",
         ("spend.central_funding_gbp",)),
    Rule(("money",), None, False, _PER_RECORD,
         ("spend.pooled_cost_per_record_gbp", "spend.median_cost_per_record_gbp")),
    Rule(("money",), None, False, r"largest|most|highest|biggest", ("spend.largest_to_date_gbp",)),
    Rule(("money",), None, False, r"smallest|lowest|least", ("spend.smallest_nonzero_to_date_gbp",)),
    Rule(("money",), None, False, r"median|typical", ("spend.median_to_date_gbp",)),
    Rule(("money",), None, False, r"(?:further|expect).*(?:pcts|trusts|local)|(?:pcts|trusts|local).*(?:further|expect)",
         ("spend.total_expected_gbp",)),
    Rule(("money",), None, False, rf"(?:pcts|trusts|local|between them|in total|altogether).*(?:{_SPENT})"
                                  rf"|(?:{_SPENT}).*(?:pcts|trusts|local|between them)", ("spend.total_to_date_gbp",)),
    # shares
    Rule(_SHARE, None, False, _REFUSED, ("refusal.largest_area_share",),
         sentence=r"\b(?:some|several|many|a few|(?:at least|more than|fewer than) \S+) (?:areas|pcts)\b"
                  r"|(?:worst|highest|largest|most)[\w-]* (?:area|pct)\b"),
    Rule(_SHARE, None, False, _REFUSED, ("refusal.share",)),
    Rule(_SHARE, None, False, r"calls|out-of-hours|accessed|viewed", ("ooh.access_rate",)),
    Rule(_SHARE, None, False, r"central funding", ("spend.local_share_of_central",)),
)


@dataclass
class Checked:
    """One number in the draft and its verdict; ``difference`` = computed minus printed, when contradicted."""

    paragraph: int
    sentence: str
    printed: str
    kind: str
    value: float
    precision: str
    verdict: Verdict | None
    result_key: str | None = None
    computed: float | None = None
    computed_text: str | None = None
    difference: float | None = None
    matched_by: str | None = None
    note: str = ""
    illustrative: bool = False  # the result rests on illustrative (generated) values: not a finding

    def as_dict(self) -> dict:
        out = asdict(self)
        out["verdict"] = str(self.verdict) if self.verdict else None
        return out


@dataclass
class Report:
    """Every number found in a draft: ``numbers`` (checked) and ``dates`` (years and dates, listed apart)."""

    source: str
    numbers: list[Checked]
    dates: list[Checked]

    def counts(self) -> dict:
        """Numbers found, dates found, and numbers by verdict."""
        out = {"numbers": len(self.numbers), "dates": len(self.dates)}
        for v in Verdict:
            out[str(v)] = sum(1 for n in self.numbers if n.verdict is v)
        return out

    @property
    def contradicted(self) -> bool:
        return any(n.verdict is Verdict.CONTRADICTED for n in self.numbers)

    def as_dict(self) -> dict:
        return {"source": self.source, "counts": self.counts(), "numbers": [n.as_dict() for n in self.numbers],
                "dates": [{"paragraph": d.paragraph, "sentence": d.sentence, "printed": d.printed, "kind": d.kind}
                          for d in self.dates]}


class DraftError(Exception):
    """A draft that cannot be read; the message names the file and what to do."""


def load_run(run_dir: str | Path) -> dict:
    """The results of the run in ``run_dir`` (its results.json, a JSON object of result key -> value).

    Raises :class:`DraftError`, naming the file, when there is none, it is not JSON, or it is not a
    run's results (not an object, or an empty one).
    """
    import json

    from ..problems import display_path

    path = Path(run_dir) / "results.json"
    shown = display_path(path)
    try:
        values = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DraftError(f"{shown}:0:: no readable results.json ({err.__class__.__name__}): "
                         "run `scr run PARAMS --out DIR` first") from None
    if not isinstance(values, dict):
        raise DraftError(f"{shown}:0:: not a run's results (a JSON {type(values).__name__}, not an object of "
                         "result keys): give the folder `scr run PARAMS --out DIR` wrote")
    if not values:
        raise DraftError(f"{shown}:0:: holds no results: give the folder `scr run PARAMS --out DIR` wrote")
    return values


def read_text(path: str | Path) -> list[str]:
    """The paragraphs of a draft, in order: .docx via python-docx, else UTF-8 text (Markdown or plain).

    A paragraph's lines are joined into one (a sentence wrapped across lines is one sentence),
    except that each list item, heading and table row stays a line of its own. A table row (Markdown
    or Word) is read as its cells joined by "; ", each after its column's heading ("Area = NHS Dorset;
    Practices declined = 24"), so that the numbers in a table are found and read with their headings.
    A .docx is read headers first, then its body paragraphs, text boxes and tables (nested ones too)
    in document order, then its footnotes and endnotes, then its footers. Markdown is reduced to its words: comments,
    link targets, images, emphasis marks, heading marks and list numbers ("1. ") are removed, so that
    they are not read as numbers. Raises :class:`DraftError` for a missing or unreadable file.
    """
    path = Path(path)
    if not path.is_file():
        raise DraftError(f"{path}: no such file: give a .txt, .md or .docx draft")
    if path.suffix.lower() == ".docx":
        return _docx_paragraphs(path)
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
    if markdown:
        text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)  # comments are not part of the story
    paragraphs = [_join_lines(block.splitlines()) for block in re.split(r"\n\s*\n", text)]
    if markdown:
        paragraphs = [_markdown_words(p) for p in paragraphs]
    return [p.strip() for p in paragraphs if p.strip()]


_TEXT_SUFFIXES = ("", ".txt", ".text", ".md", ".markdown")
# A line that starts a block of its own: a list item, a heading, a block quote or a table row.
_BLOCK_START = re.compile(r"^\s*(?:[-*+\u2022]\s|\d+[.)]\s|#{1,6}\s|>|\|)")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _join_lines(lines: list[str]) -> str:
    """One paragraph's lines, wrapped lines joined with a space; list items, headings, quotes and table
    rows kept on lines of their own, table rows read with their column headings (see :func:`read_text`)."""
    out: list[str] = []
    header: list[str] | None = None
    joinable = False  # whether the last line takes a wrapped line (not a table row or a heading)
    for line in lines:
        if not line.strip():
            continue
        if line.lstrip().startswith("|"):
            joinable = False
            if _TABLE_RULE.match(line):
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if header is None:
                header = cells
                out.append("; ".join(c for c in cells if c))
            else:
                out.append(_row_text(header, cells))
            continue
        header = None
        if joinable and not _BLOCK_START.match(line):
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line.strip())
            joinable = not re.match(r"\s*#{1,6}\s", line)
    return "\n".join(out)


def _row_text(header: list[str], cells: list[str]) -> str:
    """A table row as its cells joined by '; ', each after its column heading ("Practices declined = 12": the
    heading is in the number's clause; '=' keeps a heading such as "Figure" from reading as a label); a heading with digits is left out, so that its numbers are not found
    again in every row."""
    parts = []
    for i, cell in enumerate(cells):
        if not cell:
            continue
        heading = header[i] if i < len(header) else ""
        parts.append(f"{heading} = {cell}" if heading and not re.search(r"\d", heading) else cell)
    return "; ".join(parts)


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _docx_paragraphs(path: Path) -> list[str]:
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

    def texts(container) -> list[str]:
        out = []
        for item in container.iter_inner_content():
            if isinstance(item, Table):
                out += tables(item)
            else:
                out.append(paragraph_text(item._p))
                out += boxes(item._p)
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

    def notes() -> list[str]:
        """The footnotes and endnotes, in order (Word's separator notes left out)."""
        out = []
        for part in document.part.package.iter_parts():
            if str(part.partname) not in ("/word/footnotes.xml", "/word/endnotes.xml"):
                continue
            try:
                root = parse_xml(part.blob)
            except SyntaxError as err:  # lxml's XMLSyntaxError
                raise DraftError(f"{path}: its {part.partname} is not readable XML ({err}): save it again "
                                 "from Word, or as plain text") from None
            for note in root:
                if note.get(qn("w:type")) in (None, "normal"):
                    out += [paragraph_text(p) for p in note.iter(qn("w:p"))]
        return out

    def tables(table) -> list[str]:
        out, header = [], None
        for row in table.rows:
            full, cells, previous = [], [], None
            for cell in row.cells:  # one per grid column; a merged cell is repeated, and read once
                merged = previous is not None and cell._tc is previous._tc
                previous = cell
                full.append(full[-1] if merged else " ".join(t.strip() for t in texts(cell) if t.strip()))
                cells.append("" if merged else full[-1])
            if header is None:
                header = full
                out.append("; ".join(c for c in cells if c))
            else:
                out.append(_row_text(header, cells))
        return out

    def parts(kind: str) -> list[str]:
        out = []
        for number, section in enumerate(document.sections):
            for name in (f"first_page_{kind}", f"even_page_{kind}", kind):
                part = getattr(section, name)
                if (number == 0 or not part.is_linked_to_previous) and not (
                        name != kind and part.is_linked_to_previous):
                    out += texts(part)
        return out

    paragraphs = parts("header") + texts(document) + notes() + parts("footer")
    return [p.strip() for p in paragraphs if p.strip()]


def _markdown_words(text: str) -> str:
    text = re.sub(r"\[\^(\d+)\]:", r"[\1]", text)  # a footnote's text: its marker is a label
    text = re.sub(r"\[\^(\d+)\]", r"[\1]", text)  # a footnote marker
    text = re.sub(r"<sup>\s*(\d+)\s*</sup>", r"[\1]", text, flags=re.IGNORECASE)  # a superscript note marker
    text = re.sub(r"</?[a-zA-Z][^>]*>", "", text)  # other HTML tags: keep the words between them
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)  # images: keep the alt text
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: keep the words
    text = re.sub(r"(?m)^\s{0,3}#{1,6}\s+", "", text)  # headings
    text = re.sub(r"(?m)^\s*(?:[-*+]|\d+[.)])\s+", "", text)  # list markers
    text = re.sub(r"(?m)^\s*>\s?", "", text)  # block quotes
    text = re.sub(r"(\*\*|__|\*|`)", "", text)  # emphasis and code marks
    text = re.sub(r"(?<!\w)_(?=\S)([^_\n]*?\S)_(?!\w)", r"\1", text)  # _emphasis_
    return text


@functools.lru_cache(maxsize=256)
def _norm(text: str) -> str:
    text = text.replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(text.lower().split())


_MASK = "\x00"


def _template(sentence: str, found: list[numbers.Number]) -> str:
    """The sentence, normalised, with each number's text replaced by a placeholder."""
    out, last = [], 0
    for n in found:
        out.append(sentence[last:n.start])
        out.append(_MASK)
        last = n.end
    out.append(sentence[last:])
    return _norm("".join(out))


@dataclass(frozen=True)
class _LedgerEntry:
    template: str
    index: int | None  # which number in the quote the claim is about; None: all (context)
    claim: pd.Series


def _ledger() -> list[_LedgerEntry]:
    out = []
    for claim in claims.load_claims().itertuples(index=False):
        claim = pd.Series(claim._asdict())
        found = [n for n in numbers.find(claim.quote) if not n.is_date]
        if not found:
            continue
        template = _template(claim.quote, found)
        if claim.check == "context":
            out.append(_LedgerEntry(template, None, claim))
            continue
        printed = _norm(str(claim.printed))
        texts = [_norm(n.text) for n in found]
        index = next((i for i, t in enumerate(texts) if t == printed), None)
        if index is None:
            index = next((i for i, t in enumerate(texts) if printed in t or t in printed), None)
        if index is None and len(found) == 1:
            index = 0
        if index is not None:
            out.append(_LedgerEntry(template, index, claim))
    return out


def _inputs() -> set[str]:
    """Result keys that are inputs to the run (check 'input' in the ledger), never checked."""
    table = claims.load_claims()
    return set(table.loc[table.check == "input", "result_key"])


def _ledger_matches(sentence_template: str, count: int, ledger: list[_LedgerEntry]) -> dict[int, list[_LedgerEntry]]:
    """For each number (by its place in the sentence), the ledger entries whose quote the sentence contains."""
    out: dict[int, list[_LedgerEntry]] = {}
    for entry in ledger:
        at = sentence_template.find(entry.template)
        if at < 0:
            continue
        first = sentence_template[:at].count(_MASK)
        places = range(first, first + entry.template.count(_MASK)) if entry.index is None else [first + entry.index]
        for place in places:
            if place < count:
                out.setdefault(place, []).append(entry)
    return out


@functools.lru_cache(maxsize=64)
def _areas_in(text: str) -> tuple[tuple[int, str], ...]:
    """The areas Pulse named that ``text`` mentions, as (position, slug), in order (cached: a sentence
    with many numbers asks once)."""
    from ..inputs.reference import NAMED_AREAS

    low = text.lower()
    found = [(m.start(), slug) for slug in NAMED_AREAS.values()
             for m in re.finditer(rf"\b{slug.replace('_', ' ')}\b", low)]
    return tuple(sorted(found))


def _area_at(sentence: str, position: int, paragraph_area: str | None) -> str | None:
    """The area a number at ``position`` is about: the last one named before it in the sentence, else the
    first named after it, else the last one named earlier in the paragraph."""
    named = _areas_in(sentence)
    before = [slug for at, slug in named if at < position]
    return before[-1] if before else (named[0][1] if named else paragraph_area)


def _unit(sentence: str, number: numbers.Number, window: str) -> str | None:
    """What a count counts: the noun within three words after it, else the first noun in its clause or sentence."""
    after = _norm(sentence[number.end:number.end + 120])  # three words are all it reads
    head = " ".join(after.split()[:3])
    for text in (head, _norm(number.text), window, _norm(sentence)):
        for unit, pattern in NOUNS.items():
            if re.search(rf"\b(?:{pattern})\b", text):
                return unit
    return None


_CLAUSE_MARK = r"[,;:()\u2013\u2014]|\s-\s|\s(?:and|but|while|whereas|yet|although|though)\s"


def _clause(sentence: str, found: list[numbers.Number], i: int) -> tuple[str, int, int]:
    """The words around number ``i`` (from the previous number or clause mark to the next), normalised,
    and where the number sits in them. The part of a ratio ("37 of 77") reaches past its whole."""
    j = i + 1 if found[i].of is not None and i + 1 < len(found) else i
    start = found[i - 1].end if i > 0 else 0
    end = found[j + 1].start if j + 1 < len(found) else len(sentence)
    before = _norm(re.split(_CLAUSE_MARK, sentence[start:found[i].start])[-1])
    after = _norm(re.split(_CLAUSE_MARK, sentence[found[j].end:end])[0])
    text = _norm(found[i].text)
    at = len(before) + 1 if before else 0
    return f"{before} {text} {after}".strip(), at, at + len(text)


def _rule_keys(number: numbers.Number, unit: str | None, clause: tuple[str, int, int], sentence: str,
               area: str | None) -> list[str]:
    """The keys of the vocabulary rule for ``number``: in its clause, the rule whose words are nearest the
    number wins (ties: the earlier rule); failing that, for counts only, the first rule whose words are
    anywhere in the sentence."""
    low = _norm(sentence)
    rules = [r for r in VOCABULARY if number.kind in r.kinds and (r.unit is None or r.unit == unit)
             and r.area == (area is not None) and (r.sentence is None or re.search(r.sentence, low))]
    text, start, end = clause
    best = None
    for order, rule in enumerate(rules):
        if rule.unless and re.search(rule.unless, text):
            continue
        for match in re.finditer(rule.words, text):
            distance = max(0, match.start() - end, start - match.end())
            if best is None or (distance, order) < best[:2]:
                best = (distance, order, rule)
    if best is None and number.kind != "money":  # money words must be near the figure
        best = next(((0, 0, r) for r in rules if re.search(r.words, low)
                     and not (r.unless and re.search(r.unless, low))), None)
    return [k.format(area=area) for k in best[2].keys] if best else []


def as_claim(number: numbers.Number) -> SimpleNamespace:
    """A parsed number as a row of the claims table (its columns as attributes), for :func:`scr_lib.story.claims.check`.

    Percentages are checked in percent (scale 100), "one in N" and simple
    fractions ("a third") as the nearest one in N, other fractions ("two
    thirds") as the nearest multiple of one over their denominator, bounds as
    bounds (a fraction's bound on the share itself).
    """
    base = {"claim_id": "draft", "finding": "", "result_key": "", "quote": "", "printed": number.text,
            "value": number.value, "scale": 1, "decimals": number.decimals, "check": number.bound or "equal",
            "wording": "{value}", "reason": None}
    if number.kind == "percent":
        base["scale"] = 100
    elif number.kind == "one_in":
        base.update(check=number.bound or "one_in", wording="one in {words}")
        if number.bound:  # "more than one in six": a bound on the share
            base.update(value=1 / number.value)
    elif number.kind == "fraction":
        n = number.denominator or 1
        if number.bound:
            pass  # a bound on the share, unscaled
        elif round(number.value * n) == 1:
            base.update(value=n, check="one_in", wording="one in {words}")
        else:
            base.update(value=round(number.value * n), scale=n, decimals=0)
    return SimpleNamespace(**base)


def _show(number: numbers.Number, computed) -> str:
    if computed is None:
        return ""
    if number.kind == "one_in" and not number.bound or (number.kind == "fraction" and not number.bound
                                                         and round(number.value * (number.denominator or 1)) == 1):
        return f"one in {words.number_words(int(computed))}" if computed else "none"
    if number.kind == "fraction":
        return f"{words.round_half_up(computed * 100, 1):.1f}%" if number.bound else f"{int(computed)}/{number.denominator}"
    if number.kind == "one_in":  # a bound on one in N is a bound on the share: show it as a percentage
        return f"{words.round_half_up(computed * 100, 2):.2f}%"
    places = max(int(number.decimals), 0)
    if number.bound and (number.kind == "percent" or not float(computed).is_integer()):
        places = max(places, 2)  # a bound is compared unrounded: show enough to see which side it is
    text = f"{computed:,.{places}f}"
    return {"percent": f"{text}%", "money": f"£{text}"}.get(number.kind, text)


def _judge(number: numbers.Number, keys: list[str], results: dict) -> tuple:
    """(verdict, key, computed, text, difference, note) for a number and the result keys it points to."""
    present = [k for k in keys if result_value(results, k, None) is not None]
    if not present:
        return Verdict.UNCHECKED, keys[0], None, None, None, f"the run has no {' or '.join(keys)}"
    claim = as_claim(number)
    tried = []
    for key in present:
        computed = result_value(results, key)
        try:
            if isinstance(computed, bool) or not isinstance(computed, (int, float)):
                raise TypeError("not a number")
            if not math.isfinite(computed):
                raise ValueError("not a finite number")
            checked = claims.check(claim, computed)
        except (TypeError, ValueError, ArithmeticError) as err:
            return (Verdict.UNCHECKED, key, None, None, None,
                    f"the run's {key} ({computed!r}) cannot be compared: {err}; check the run, then the number")
        if checked["holds"]:
            return Verdict.SUPPORTED, key, checked["computed"], _show(number, checked["computed"]), None, ""
        tried.append((key, checked))
    key, checked = min(tried, key=lambda kc: abs(float(kc[1]["computed"]) - float(claim.value)))
    computed = checked["computed"]
    difference = round_number(float(computed - claim.value))
    return Verdict.CONTRADICTED, key, computed, _show(number, computed), difference, ""


def _check_number(number: numbers.Number, row: Checked, entries: list[_LedgerEntry], vocabulary, results: dict,
                  input_keys: set[str], change: bool = False) -> Checked:
    """Fill in ``row``'s verdict: from the ledger ``entries`` that quote the sentence, else from the
    vocabulary (``vocabulary()`` gives the rule's keys, computed only when needed)."""
    if number.kind in numbers.UNCHECKABLE:
        row.verdict, row.note = Verdict.UNCHECKED, _UNCHECKABLE_NOTES[number.kind]
        return row
    by_check = {c: [e for e in entries if e.claim.check == c] for c in ("context", "input")}
    checkable = [e for e in entries if e.claim.check not in ("context", "input")]
    key = computed = text = diff = None
    if checkable:
        keys = list(dict.fromkeys(e.claim.result_key for e in checkable))
        verdict, key, computed, text, diff, note = _judge(number, keys, results)
        row.matched_by = f"claims.csv: {checkable[0].claim.claim_id}"
    elif by_check["input"]:
        verdict, key, note = Verdict.UNCHECKED, by_check["input"][0].claim.result_key, _INPUT
        row.matched_by = f"claims.csv: {by_check['input'][0].claim.claim_id}"
    elif by_check["context"]:
        verdict = Verdict.UNCHECKED
        note = f"context: not checkable, because {by_check['context'][0].claim.reason}"
        row.matched_by = f"claims.csv: {by_check['context'][0].claim.claim_id}"
    elif change:
        verdict, note = Verdict.UNCHECKED, _CHANGE
    else:
        keys = vocabulary()
        inputs = [k for k in keys if k in input_keys]
        if inputs:
            verdict, key, note, row.matched_by = Verdict.UNCHECKED, inputs[0], _INPUT, "vocabulary"
        elif keys:
            verdict, key, computed, text, diff, note = _judge(number, keys, results)
            row.matched_by = "vocabulary"
        else:
            verdict, note = Verdict.UNCHECKED, "no result in the run speaks to it: check it by hand"
    row.verdict, row.result_key, row.computed, row.computed_text = verdict, key, computed, text
    row.difference, row.note = diff, note
    row.illustrative = key is not None and computed is not None and is_illustrative(results, key)
    return row


_INPUT = "an input to the run, not computed from the data"
# A change ("a further 12", "up 3%", "rose by 2%", "a 5% rise", "12 more"), not a level the run holds.
_CHANGE_BEFORE = re.compile(
    r"(?:\b(?:up|down|rose|risen|rising|fell|fallen|falling|increased?|decreased?|grew|grown|dropped|climbed|"
    r"jumped|cut|reduced?|swelled|shrank|shrunk)\s+by|\b(?:rise|increase|fall|drop|decrease|growth|jump|cut|"
    r"reduction|change|swing)\s+of|(?<!signed\s)(?<!sign\s)(?<!set\s)(?<!took\s)(?<!taken\s)(?<!made\s)\bup|"
    r"(?<!turned\s)(?<!turn\s)(?<!shut\s)\bdown)\s+$", re.IGNORECASE)
_INCREMENT_BEFORE = re.compile(r"\b(?:a further|another|an extra|an additional)\s+$", re.IGNORECASE)
_CHANGE_AFTER = re.compile(r"\s+(?:more|fewer|extra|additional)\b|\s*(?:rise|increase|fall|drop|decrease|jump|"
                           r"up on|down on|higher|lower)\b", re.IGNORECASE)
_CHANGE = "a change (\"up 3%\", \"a further 12\", \"a 5% rise\"), not a level the run holds: check it by hand"


def _is_change(sentence: str, number: numbers.Number) -> bool:
    """Whether ``number`` is printed as a change or an increment rather than a level. "A further" before
    money is not: in the vocabulary it is the further spend expected."""
    before = sentence[max(0, number.start - 40):number.start]
    text = number.text
    increment = _INCREMENT_BEFORE.search(before) or re.match(r"(?:a further|another|an extra|an additional)\s",
                                                              text, re.IGNORECASE)
    if increment and number.kind != "money":
        return True
    return bool(_CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(sentence, number.end))
# Why a number of each kind numbers.UNCHECKABLE is never checked.
_UNCHECKABLE_NOTES = {
    "label": "a label (a name, section, footnote or phone number), not a quantity: not checked",
    "ordinal": "an ordinal (a rank), not a quantity: check it by hand",
    "multiple": "a multiple (\"ten times\", \"twice\"), not a quantity the run holds: check it by hand",
    "vague": "a vague quantity (\"dozens\", \"almost all\"): check it by hand",
    "other": "digits no form of number reads (joined to letters or symbols): check it by hand",
}


def _vocabulary_keys(sentence: str, found: list[numbers.Number], i: int, paragraph_area: str | None) -> list[str]:
    """The result keys the vocabulary gives number ``i`` of ``found`` in ``sentence``."""
    number = found[i]
    clause = _clause(sentence, found, i)
    unit = _unit(sentence, number, clause[0]) if number.kind == "count" else None
    area = _area_at(sentence, number.start, paragraph_area)
    if number.whole_of is not None and unit == "practices":  # "37 of 77": the 77 were invited
        return _rule_keys(number, unit, ("invited", 0, 0), "invited", area)
    return _rule_keys(number, unit, clause, sentence, area)


def check_paragraphs(paragraphs: list[str], results: dict, source: str = "draft") -> Report:
    """Find and check every number in ``paragraphs`` against ``results`` (a run's results.json).

    ``source`` names the draft in the report. Dates and years go to ``Report.dates``, unchecked.
    """
    ledger, input_keys = _ledger(), _inputs()
    checked, dates = [], []
    for p, paragraph in enumerate(paragraphs, start=1):
        paragraph_area = None
        for sentence in numbers.sentences(paragraph):
            found = numbers.find(sentence)
            dates += [Checked(p, sentence, n.text, n.kind, n.value, n.precision(), None) for n in found if n.is_date]
            found = [n for n in found if not n.is_date]
            ledgered = _ledger_matches(_template(sentence, found), len(found), ledger)
            for i, number in enumerate(found):
                row = Checked(p, sentence, number.text, number.kind, number.value, number.precision(), None)
                vocabulary = lambda i=i: _vocabulary_keys(sentence, found, i, paragraph_area)  # noqa: E731
                checked.append(_check_number(number, row, ledgered.get(i, []), vocabulary, results, input_keys,
                                             _is_change(sentence, number)))
            named = _areas_in(sentence)
            paragraph_area = named[-1][1] if named else paragraph_area
    return Report(source, checked, dates)


def check_draft(path: str | Path, results: dict) -> Report:
    """Read the draft at ``path`` and check every number in it against ``results``."""
    return check_paragraphs(read_text(path), results, str(path))


def table_text(report: Report) -> str:
    """The report as plain text for a terminal: one block per number, then dates, then the counts."""
    lines = [f"Numbers in {report.source}:", ""]
    if not report.numbers:
        lines.append("  No numbers found in the draft.")
    width = max(len(str(v)) for v in Verdict) + 2
    for n in report.numbers:
        lines.append(f"  {str(n.verdict):<{width}}\"{n.printed}\" ({n.precision}) in: {n.sentence}")
        if n.verdict is Verdict.SUPPORTED:
            detail = f"{n.result_key} = {n.computed_text}"
        elif n.verdict is Verdict.CONTRADICTED:
            detail = f"{n.result_key} = {n.computed_text}; difference {n.difference:+,.6g}"
        else:
            detail = n.note
        if n.verdict is not Verdict.UNCHECKED and n.matched_by:
            detail += f" (matched by {n.matched_by})"
        if n.illustrative:
            detail += "; computed from illustrative values: an illustration, not a finding"
        lines.append(f"  {'':<{width}}{detail}")
    if report.dates:
        lines += ["", "Years and dates (listed, not checked):"]
        lines += [f"  \"{d.printed}\" in: {d.sentence}" for d in report.dates]
    c = report.counts()
    lines += ["", f"{c['numbers']:,} numbers found: {c['supported']:,} supported, {c['contradicted']:,} contradicted, "
                  f"{c['unchecked']:,} unchecked; {c['dates']:,} "
                  f"{'year or date' if c['dates'] == 1 else 'years or dates'} listed apart."]
    return "\n".join(lines)
