"""Drafts written the way reporters write, with their figures taken from a run's facts (never typed), and
errors planted in some of them: the corpus tests/test_draft.py measures `scr draft` on.

A draft is a list of paragraphs. In a paragraph, ``{CODE.measure:style}`` is a figure of the run (the fact of
``measure`` for the area ``CODE``, or ``E`` for England) written in ``style``; ``{CODE.measure:style:wrong}`` is
the same figure made wrong (a planted error); ``[[text]]`` is an ordinary number (a date, a phone number, an
age) and ``<<text>>`` a figure the data does not hold (both typed, as a reporter types them). :func:`render`
writes the text and lists what each number should get.

The areas a local story is about are chosen from the facts (the area with the second-highest share that
declined, the named area with spend and records), so the drafts hold on any run that has such areas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scr_lib import words
from scr_lib.story.facts import FactBase

_SLOT = re.compile(r"\{(?P<subject>[A-Z0-9]+)\.(?P<measure>[a-z_0-9]+):(?P<style>[a-z_0-9]+)(?::(?P<wrong>wrong))?\}"
                   r"|\[\[(?P<ordinary>[^\]]+)\]\]|<<(?P<other>[^>]+)>>|\{(?P<name>[A-Z0-9]+)\.name\}")


@dataclass
class Expected:
    """What one number of a rendered draft should get: ``expect`` is 'supported', 'contradicted', 'ordinary'
    or 'unchecked'; ``subject`` and ``measure`` the fact it is about (for a figure of the run)."""

    paragraph: int
    text: str
    expect: str
    subject: str | None = None
    measure: str | None = None


def _written(value: float, unit: str, style: str) -> str:
    if style == "n":
        return f"{int(round(value)):,}"
    if style == "word":
        return words.number_words(int(round(value)))
    if style == "gbp":
        return f"£{words.round_half_up(value, 0):,.0f}"
    if style == "pence":
        return f"£{words.round_half_up(value, 2):,.2f}"
    if style == "gbpm":
        return f"£{words.round_half_up(value / 1e6, 2):,.2f}m"
    if style == "million":
        return f"{words.round_half_up(value / 1e6, 1):,.1f} million"
    if style == "pct1":
        return f"{words.round_half_up(value * 100, 1):.1f}%"
    if style == "pct2":
        return f"{words.round_half_up(value * 100, 2):.2f}%"
    if style == "percent0":
        return f"{words.round_half_up(value * 100, 0):.0f} per cent"
    if style == "onein":
        return f"one in {words.number_words(words.one_in(value))}"
    if style == "rank":
        return {1: "highest", 2: "second-highest", 3: "third-highest", 4: "fourth-highest", 5: "fifth-highest"}.get(
            int(value), f"{int(value)}th-highest")
    raise ValueError(f"no style {style!r}")


def _wrong(value: float, unit: str, style: str) -> float:
    """A wrong value a reporter might type: a few more, a fifth more, four points more, a different one in N."""
    if style == "onein":
        return 1 / (words.one_in(value) + 2)
    if style == "rank":
        return value + 2
    if unit == "share":
        return value + 0.04
    if unit == "pounds":
        if style == "pence":
            return value + 0.35
        return value * 1.2 if value else 15000
    return value + 3 if value > 2 else value + 5


def render(paragraphs: list[str], base: FactBase) -> tuple[list[str], list[Expected]]:
    """The paragraphs with their figures written in, and what each number should get, in reading order."""
    out, expected = [], []
    for p, template in enumerate(paragraphs, start=1):
        def fill(match):
            if match.group("name"):
                return base.subjects()[match.group("name")]
            if match.group("ordinary"):
                expected.append(Expected(p, match.group("ordinary"), "ordinary"))
                return match.group("ordinary")
            if match.group("other"):
                expected.append(Expected(p, match.group("other"), "unchecked"))
                return match.group("other")
            subject, measure, style = match.group("subject"), match.group("measure"), match.group("style")
            fact = base.get(subject, measure)
            if fact is None:
                raise KeyError(f"the run has no {measure} for {subject}: choose another area for this draft")
            value = _wrong(fact.value, fact.unit, style) if match.group("wrong") else fact.value
            text = _written(value, fact.unit, style)
            if match.group("wrong") and text == _written(fact.value, fact.unit, style):
                raise ValueError(f"a planted error in {match.group(0)} writes the right figure")
            expected.append(Expected(p, text, "contradicted" if match.group("wrong") else "supported", subject,
                                     measure))
            return text
        out.append(_SLOT.sub(fill, template))
    return out, expected


def local_area(base: FactBase) -> str:
    """The area a local story is about: the one with the second-highest share that declined that also gave
    its spend (else the highest, else any area with a share)."""
    shares = sorted((f for f in base.for_measure("share_declined") if f.subject != "E"), key=lambda f: -f.value)
    with_spend = [f for f in shares if base.get(f.subject, "spend_to_date_gbp") is not None
                  and base.get(f.subject, "spend_expected_gbp") is not None]
    ranked = [f for f in with_spend if base.get(f.subject, "refusal_rank").value == 2] or with_spend or shares
    return ranked[0].subject


def spend_area(base: FactBase) -> str:
    """An area with spend, expected spend, records uploaded and a cost per record (for a story about money)."""
    needed = ("spend_to_date_gbp", "spend_expected_gbp", "records_uploaded", "records_viewed", "cost_per_record_gbp")
    for fact in base.for_measure("cost_per_record_gbp"):
        if fact.subject != "E" and all(base.get(fact.subject, m) is not None for m in needed) \
                and base.get(fact.subject, "spend_to_date_gbp").value > 0 and fact.value >= 0.01:
            return fact.subject
    raise LookupError("no area has spend, records and a cost per record")


def national(base: FactBase) -> list[str]:
    """A national story about refusals and spend, as a news desk would file it, with four errors planted."""
    return [
        "GPs shun the Summary Care Record",
        "About {E.share_declined:onein} GP practices invited to join the Summary Care Record have refused, "
        "Freedom of Information figures show.",
        "Only {E.pcts_answered:n} of England's {E.pcts:n} primary care trusts answered the requests, made in "
        "[[March 2010]]. In the {E.pcts_complete:n} areas that had begun the rollout and gave complete figures, "
        "{E.practices_declined:n} of {E.practices_invited:n} invited practices declined: "
        "{E.share_declined:pct1} of them.",
        "One family doctor, a [[58]]-year-old partner who has practised for [[30]] years, said the record was "
        "rushed. Patients can still call NHS [[111]] or their surgery.",
        "The PCTs that gave a figure had spent {E.spend_to_date_gbp:gbp:wrong} on the rollout between them, and "
        "expected to spend a further {E.spend_expected_gbp:gbp}.",
        "Across the country {E.records_uploaded:n} records had been uploaded by the PCTs that said so, and just "
        "{E.records_viewed:n:wrong} had been viewed.",
        "Nationally, the median PCT spent {E.median_spend_to_date_gbp:gbp} so far. Connecting for Health said "
        "<<40,000>> staff had been trained since [[2008]].",
        "In {E.pcts_half_or_more_declined:word} of the {E.pcts_complete:n} complete areas, half or more of the "
        "practices invited said no. Overall {E.pcts_spent_nothing:n:wrong} PCTs said they had spent nothing.",
        "By [[April 2012]] almost {E.records_created:million} care records had been created in England, yet there "
        "were just {E.views_per_week:n} views of them each week: records are viewed in only "
        "{E.access_rate:pct2:wrong} of out-of-hours calls.",
    ]


def local(base: FactBase, code: str) -> list[str]:
    """A local story about one PCT, its name carried through "it", "its" and "the trust", with errors planted."""
    return [
        "{%s.name} GPs turn their backs on care records" % code,
        "More than half the GP practices in {%s.name} have refused to take part in the Summary Care Record, "
        "figures obtained by this paper show." % code,
        "The trust said {%s.practices_declined:n:wrong} of its {%s.practices_invited:n} invited practices had "
        "declined, and {%s.practices_signed_up:n} had signed up." % (code, code, code),
        "That is {%s.share_declined:pct1}, the {%s.refusal_rank:rank} share of practices declining among the "
        "{E.pcts_complete:n} areas that gave complete figures. Nationally the figure was "
        "{E.share_declined:pct1}." % (code, code),
        "Its spokesman, speaking on [[12 May]], said it had spent {%s.spend_to_date_gbp:gbp} on the scheme so "
        "far and expected to spend {%s.spend_expected_gbp:gbp:wrong} more. The trust serves <<280,000>> "
        "patients." % (code, code),
        "A practice manager, [[44]], said staff had spent [[three]] weeks writing to patients. Readers with "
        "questions can ring [[0191 496 0000]] or see Section [[43]] of the Act.",
        "{%s.practices_not_agreed:n} of its practices have yet to agree to take part." % code,
    ]


def money(base: FactBase, code: str) -> list[str]:
    """A local story about what one PCT spent, with errors planted."""
    return [
        "{%s.name} spent {%s.spend_to_date_gbp:gbp} on care records that nobody uses" % (code, code),
        "{%s.name} had spent {%s.spend_to_date_gbp:gbp} on the Summary Care Record by [[2010]] and expects to "
        "spend a further {%s.spend_expected_gbp:gbp}." % (code, code, code),
        "It has uploaded {%s.records_uploaded:n:wrong} records. Just {%s.records_viewed:n} have been "
        "viewed." % (code, code),
        "That works out at {%s.cost_per_record_gbp:pence} for every record uploaded, against a median of "
        "{E.median_cost_per_record_gbp:pence} across the PCTs that gave both figures." % code,
        "The trust's board will discuss the scheme at [[10am]] on [[3 June]].",
        "Across England the PCTs that answered had spent {E.spend_to_date_gbp:gbp} between them.",
        "The trust said {%s.spend_expected_gbp:gbp:wrong} more would be spent next year." % code,
    ]


def ordinary() -> list[str]:
    """A correct story with no figure of the data in it, full of ordinary numbers."""
    return [
        "Out-of-hours care: what to do when your surgery is shut",
        "If you need help between [[6.30pm]] and [[8am]], call NHS [[111]], free from landlines and mobiles, "
        "[[24/7]]. In an emergency dial [[999]].",
        "The service started in [[2013]], replacing NHS Direct ([[0845 4647]]), which ran from [[1998]].",
        "Dr Jane Smith, [[52]], a GP in the town for [[21]] years, said calls usually take [[ten]] minutes. Her "
        "practice is open until [[7pm]] on Tuesday [[4 May]] and the surgery is at [[12]] High Street.",
        "Under Section [[43]] of the Freedom of Information Act, some answers can be withheld; see paragraph "
        "[[4]] of the guidance[[[1]]].",
        "[[[1]]] Information Commissioner's guidance, [[2010-11]].",
    ]


def drafts(base: FactBase) -> dict[str, list[str]]:
    """Every draft of the corpus for this run, by name."""
    out = {"national": national(base), "local": local(base, local_area(base)),
           "money": money(base, spend_area(base)), "ordinary": ordinary(), "briefing": briefing(base)}
    zero = [f.subject for f in base.for_measure("practices_invited") if f.subject != "E" and f.value == 0]
    if zero:
        out["refusers"] = refusers(base, zero[-1])
    return out


def match(report, expected: list[Expected]) -> list[tuple[Expected, object]]:
    """Each expected number with the report's row for it (None when the report has none), in reading order."""
    rows = sorted([*report.numbers, *report.ordinary], key=lambda r: (r.paragraph, r.start))
    used, out = set(), []
    for want in expected:
        found = next((i for i, r in enumerate(rows) if i not in used and r.paragraph == want.paragraph
                      and want.text in r.printed), None)
        if found is not None:
            used.add(found)
        out.append((want, rows[found] if found is not None else None))
    return out


def verdict_of(row) -> str:
    """A row's verdict as :class:`Expected` names it."""
    if row is None:
        return "missing"
    return "ordinary" if row.verdict is None else str(row.verdict)


def briefing(base: FactBase) -> list[str]:
    """A news-in-brief and a features desk's box, written in other words, with errors planted."""
    return [
        "Care record: the numbers",
        "- {E.pcts_answered:n} trusts replied to our Freedom of Information request",
        "- {E.practices_invited:n:wrong} GP surgeries were asked to take part in the {E.pcts_complete:n} areas "
        "with full figures",
        "- {E.practices_declined:n} said no, about {E.share_declined:percent0}",
        "- {E.records_created:million} Summary Care Records had been created by [[2012]]",
        "Doctors' leaders met on [[1 June]] to discuss the findings. The BMA's GP committee has <<70>> members, "
        "a spokeswoman said.",
        "The {E.pcts_spent_something:n} PCTs that reported spending on the scheme include {5QM.name}, which put "
        "its bill at {5QM.spend_to_date_gbp:gbp}. It expects to spend another {5QM.spend_expected_gbp:gbp:wrong}.",
        "At {E.calls_per_1000_per_week:n} calls per 1,000 people a week, {E.records_created:million} people "
        "would make about {E.projected_calls_per_week:n} out-of-hours calls a week.",
    ]


def refusers(base: FactBase, code: str) -> list[str]:
    """A local story about an area that invited no practices, or gave few figures, with an error planted."""
    return [
        "{%s.name} says no to the care record" % code,
        "{%s.name} has invited {%s.practices_invited:word} practices to join the Summary Care Record, the trust "
        "confirmed on Friday." % (code, code),
        "A spokesman for the trust, which serves <<400,000>> people, said it had not begun the rollout and had "
        "no plans to before [[2011]].",
        "Across England {E.practices_invited:n} practices had been invited in the areas with complete figures, "
        "and {E.practices_declined:n:wrong} had declined.",
    ]


def docx_story(base: FactBase) -> list[tuple[str, str]]:
    """A Word story with a heading, a table, its caption and a footnote: (where, paragraph) pairs, where is
    'heading', 'text', 'table' (cells split by '|', the first row the header), 'caption' or 'footnote'."""
    shares = sorted((f for f in base.for_measure("share_declined") if f.subject != "E"), key=lambda f: -f.value)
    top = [f.subject for f in shares[:3]]
    rows = [("table", "Area|Practices invited|Practices that declined|Share that declined")]
    for i, code in enumerate(top):
        wrong = ":wrong" if i == 1 else ""
        rows.append(("table", "{%s.name}|{%s.practices_invited:n}|{%s.practices_declined:n%s}|{%s.share_declined:pct1}"
                     % (code, code, code, wrong, code)))
    return [
        ("heading", "Where GPs said no"),
        ("text", "In {%s.name}, {%s.practices_declined:n} of {%s.practices_invited:n} invited practices turned the "
                 "record down, the highest share of practices declining of any area." % (top[0], top[0], top[0])),
        ("text", "Nationally {E.share_declined:pct1:wrong} of invited practices declined."),
        *rows,
        ("caption", "Table [[1]]: the three areas where the largest shares of invited practices declined, "
                    "[[2010]]"),
        ("text", "The figures come from {E.pcts_answered:n} primary care trusts[[[1]]]."),
        ("footnote", "Freedom of Information answers from {E.pcts_answered:n} PCTs, received by [[May 2010]]."),
    ]


def write_docx(pairs: list[tuple[str, str]], path) -> None:
    """Write rendered (where, paragraph) pairs as a Word file: headings, paragraphs, one table (its rows in
    order, cells split by '|'), a caption in Word's Caption style, and footnotes (python-docx writes none, so
    their XML part is added by hand, as Word writes it)."""
    import zipfile

    import docx

    document = docx.Document()
    rows = [text.split("|") for where, text in pairs if where == "table"]
    table_done = False
    notes = []
    for where, text in pairs:
        if where == "heading":
            document.add_heading(text, level=1)
        elif where == "text":
            document.add_paragraph(text)
        elif where == "caption":
            document.add_paragraph(text, style="Caption")
        elif where == "footnote":
            notes.append(text)
        elif where == "table" and not table_done:
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, cells in enumerate(rows):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            table_done = True
    document.save(path)
    if not notes:
        return
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:t xml:space="preserve">{_xml(t)}</w:t></w:r></w:p>'
                   f'</w:footnote>' for i, t in enumerate(notes, start=1))
    footnotes = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{w}">{body}</w:footnotes>'
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    items["word/footnotes.xml"] = footnotes.encode()
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                     b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>')
    items["word/_rels/document.xml.rels"] = items["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdFoot" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w") as target:
        for name, data in items.items():
            target.writestr(name, data)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
