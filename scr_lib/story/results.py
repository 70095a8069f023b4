"""What a notebook hands to the run: named numbers, the tables behind its charts, and what its page shows.

A notebook collects its figures in a :class:`Results` and calls
:meth:`Results.save` with its ``output_dir`` parameter. ``scr run`` merges
every notebook's file into one ``results.json``: a JSON object mapping dotted
keys ('refusal.share') to ``{"value", "unit", "label", "notebook"}``.
With an empty ``output_dir`` (the default, as in JupyterLab) nothing is written.

Each notebook's own file also carries, under ``"facts"``, the facts it computed (see
:mod:`scr_lib.story.facts`): England's, one per measure its finding declares with a
``result`` key it recorded, and each area's, from :meth:`Results.facts`; ``scr run``
merges them into the run folder's ``facts.csv``. And it carries, under
``"page"``, everything the story pages show that is not in the notebook's
outputs (see :func:`page`): the pages read only the run folder.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import findings, paths
from .figures import is_illustrative, value  # noqa: F401 - results.value, as notebooks and tests call it

# pandas and precision (which needs pandas) are imported where used: `scr run` merges results files
# and renders pages without them, and pandas takes a noticeable part of a second to import.

RESULTS_SUFFIX = ".results.json"


@dataclass
class Results:
    """Named results of one notebook, plus tables to publish as CSV.

    ``prefix``, when given, is the finding's id: every key must then start with
    ``<prefix>.`` (see :meth:`for_finding`).
    """

    notebook: str
    values: dict = field(default_factory=dict)
    tables: dict = field(default_factory=dict)
    prefix: str | None = None
    knobs: dict = field(default_factory=dict)
    declared: dict = field(default_factory=dict)
    area_facts: list = field(default_factory=list)

    @classmethod
    def for_finding(cls, finding: "str | findings.Finding", knobs: dict | None = None) -> "Results":
        """The results of a finding's notebook, from its declaration (a :class:`~scr_lib.findings.Finding`
        or its id): named after its notebook, and every key checked against its id. ``knobs``: the
        notebook's parameters its headline reads (see ``Finding.headline``).
        An id that no finding declares raises ``KeyError`` naming the known ones."""
        if isinstance(finding, str):
            finding = findings.by_id(finding)
        return cls(finding.notebook, prefix=finding.id, knobs=dict(knobs or {}))

    def add(self, key: str, value, unit: str, label: str, illustrative: bool = False):
        """Record ``value`` (a number; numpy numbers become Python ones) under the dotted ``key``.

        Floats are rounded to :data:`precision.SIGNIFICANT_DIGITS` significant
        digits here, at the source, so results and the notebook outputs that show
        them are the same on every CPU. Returns the recorded (rounded) value, so
        a notebook can record and use it in one line. ``illustrative=True``
        marks a value that rests on illustrative (generated) FOI values: every
        display of it says so.
        Raises ``ValueError`` for a key recorded twice, a key outside the
        finding's prefix, or a missing/NaN value.
        """
        if self.prefix is not None and not key.startswith(self.prefix + "."):
            raise ValueError(f"result {key!r} does not start with {self.prefix + '.'!r}, the finding's id")
        if key in self.values:
            raise ValueError(f"result {key!r} recorded twice")
        number = value.item() if hasattr(value, "item") else value
        if number is None or (isinstance(number, float) and math.isnan(number)):
            raise ValueError(f"result {key!r} has no value")
        from .. import precision

        number = precision.round_number(number)
        self.values[key] = {"value": number, "unit": unit, "label": label, "notebook": self.notebook}
        if illustrative:
            self.values[key]["illustrative"] = True
        return number

    def facts(self, frame, subject: str = "ods_code") -> int:
        """Record each area's facts from ``frame``, one row per area: for every measure a finding declares
        (:data:`scr_lib.findings.MEASURES`) whose column is in ``frame`` (or whose ``formula`` its columns
        allow), one fact per row with a value. The one call a notebook makes for per-area facts.

        ``subject``: the column of the area's code (an ODS code for a PCT, an SHA's code); its name is the
        ``display_name`` column, else ``pct_name``, else ``name``. A missing value (NaN, None) gives no fact,
        never a zero. The frame's ``illustrative`` column, when there is one, marks illustrative values: True
        marks every value of the row, text lists the columns (';'-separated) whose values are illustrative; a
        fact is illustrative when a column it rests on is (``Measure.rests_on``), and a fact of a measure
        ``across`` areas (a rank) when any area's is. Floats are rounded to 12 significant digits.
        Returns how many facts were recorded; raises ``ValueError`` for an area's measure recorded twice.
        """
        from .. import precision

        columns = set(frame.columns)
        names = next((c for c in ("display_name", "pct_name", "name") if c in columns), subject)
        records = frame.astype(object).where(frame.notna(), None).to_dict("records")
        marks = [_marked(row.get("illustrative")) for row in records]
        seen = {(f["subject"], f["measure"]) for f in self.area_facts}
        added = 0
        for name, measure in findings.MEASURES.items():
            if measure.in_table in columns:
                values = [row[measure.in_table] for row in records]
            elif measure.formula is not None and set(measure.inputs) <= columns:
                values = [measure.formula(row) for row in records]
            else:
                continue
            flags = [m is True or bool(set(measure.inputs) & m) for m in marks]
            if measure.across:
                flags = [any(f for f, v in zip(flags, values) if v is not None)] * len(values)
            owner = findings.measure_owner(name)
            for row, value, flag in zip(records, values, flags):
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    continue
                key = (str(row[subject]), name)
                if key in seen:
                    raise ValueError(f"the fact {name} of {key[0]} is recorded twice")
                seen.add(key)
                number = value.item() if hasattr(value, "item") else value
                self.area_facts.append({"subject": key[0], "subject_name": str(row[names]), "measure": name,
                                        "unit": measure.unit, "value": precision.round_number(number),
                                        "illustrative": flag, "finding": owner.id})
                added += 1
        return added

    def national_facts(self) -> list[dict]:
        """England's facts (subject ``E``): one per measure any finding declares whose ``result`` key this
        notebook recorded, with that result's value and illustrative flag."""
        out = []
        for finding in findings.FINDINGS:
            for measure in finding.measures:
                entry = self.values.get(measure.result) if measure.result else None
                if entry is not None:
                    out.append({"subject": "E", "subject_name": "England", "measure": measure.name,
                                "unit": measure.unit, "value": entry["value"],
                                "illustrative": bool(entry.get("illustrative", False)), "finding": finding.id})
        return out

    def _finding(self):
        return findings.by_id(self.prefix) if self.prefix else findings.by_notebook(self.notebook)

    def declaration(self, name: str, frame=None):
        """The declared columns of the table ``name`` (a :class:`~scr_lib.findings.columns.Table`): the
        finding's own (``Finding.tables``), else a common one (``<id>_claims`` is
        :data:`scr_lib.story.tables.CLAIMS`), else one inferred from ``frame`` (see
        :func:`scr_lib.story.tables.infer`)."""
        from . import tables

        finding = self._finding()
        declared = finding.table(name) if finding else None
        if declared is None and finding and name.startswith(finding.id + "_"):
            common = tables.COMMON.get(name[len(finding.id) + 1:])
            declared = common and replace(common, name=name)
        if declared is None:
            declared = tables.infer(name, self.tables[name] if frame is None else frame)
        return declared

    def table(self, name: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Publish ``frame`` as ``tables/<name>.csv`` beside the story page, with its declared columns
        (:meth:`declaration`) handed to the page, which formats its download from them.

        Float columns are rounded to :data:`precision.SIGNIFICANT_DIGITS`
        significant digits (missing values stay missing); returns that rounded
        copy, for the notebook's own arithmetic (show it with :meth:`show`), and
        ``frame`` itself is not changed.
        """
        from .. import precision

        rounded = precision.round_significant(frame)
        self.tables[name] = rounded
        self.declared[name] = self.declaration(name, rounded)
        return rounded

    def show(self, name: str, frame=None):
        """The table ``name`` as a reader sees it (:func:`scr_lib.story.tables.show`), in the notebook and
        on the story page alike: the published one, or ``frame`` under that name's declaration (shown,
        not published)."""
        from . import tables

        if frame is None:
            if name not in self.tables:
                raise KeyError(f"no table {name!r} was published; published: {', '.join(self.tables) or 'none'}")
            return tables.show(self.tables[name], self.declared[name])
        return tables.show(frame, self.declaration(name, frame))

    def frame(self, keys=None, caption: str | None = None):
        """The recorded figures as a reader sees them (all, or those under ``keys``, in that order, under
        ``caption``): each figure's label and value with its unit, illustrative values marked; never a key.
        A publication table (:class:`scr_lib.story.tables.Shown`); the figures themselves are in
        :attr:`values`. Raises ``KeyError`` for a key not recorded."""
        from . import tables

        chosen = list(self.values) if keys is None else list(keys)
        unknown = [k for k in chosen if k not in self.values]
        if unknown:
            raise KeyError(f"no result {unknown}; recorded: {', '.join(self.values)}")
        rows = [{"label": self.values[k]["label"], "value": tables.figure(self.values[k]["value"],
                                                                            self.values[k]["unit"]),
                 "illustrative": bool(self.values[k].get("illustrative", False))} for k in chosen]
        declared = tables.RESULTS if caption is None else replace(tables.RESULTS, caption=caption)
        return tables.show(rows, declared)

    def save(self, output_dir: str | Path) -> Path | None:
        """Write ``<notebook>.results.json`` and the tables into ``output_dir``; nothing if it is ''."""
        if not output_dir:
            return None
        out = Path(output_dir)
        (out / "tables").mkdir(parents=True, exist_ok=True)
        for name, frame in self.tables.items():
            frame.to_csv(out / "tables" / f"{name}.csv", index=False, lineterminator="\n")
        path = out / f"{self.notebook}{RESULTS_SUFFIX}"
        body = {"results": self.values, "tables": sorted(self.tables), "page": page(self),
                "facts": self.national_facts() + self.area_facts}
        path.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return path


def _marked(flag) -> "bool | set":
    """An ``illustrative`` cell as True (every value of the row) or the set of columns it lists."""
    if flag is None or flag is False:
        return set()
    if flag is True or (not isinstance(flag, str) and bool(flag)):
        return True
    return {c.strip() for c in flag.split(";") if c.strip()}


def page(results: Results) -> dict:
    """What the story page of ``results``' notebook shows beyond the notebook's outputs, ready to display.

    ``findings``: the ids of the findings owning its keys; ``headlines``: each
    finding's index sentence (None when a key figure is missing); ``marked_headlines``: the ids of the
    findings whose sentence rests on an illustrative figure (one whose value it reads is marked);
    ``claims``: one row per claim of those findings (claim_id, finding, claim,
    published, this_run, verdict); ``articles``: the articles those claims
    quote (rows of ``articles.csv``); ``sources``: the data files the findings
    declare (path as shown, what it holds, the publications a CSV cites in its
    ``source`` and ``citation`` columns); ``table_rows``: rows in each table; ``tables``: each
    published table's declared columns (``Table.to_json``), from which the site formats its download.
    """
    from ..findings.finding import read_by
    from . import claims, report

    owners = [f for f in findings.FINDINGS if any(f.owns(key) for key in results.values)]
    figures = {key: item["value"] for key, item in results.values.items()}
    rows, article_ids = [], []
    made_up = {key for key, entry in results.values.items() if entry.get("illustrative")}
    for finding in owners:
        checked = claims.check_all(results.values, finding.id, context=True)
        if checked.empty:
            continue
        table = report.claims_table(checked)
        for (_, row), claim_id in zip(table.iterrows(), checked["claim_id"]):
            rows.append({"finding": finding.id, "claim_id": claim_id, "claim": row["claim"],
                         "published": row["as published"], "this_run": row["this run"], "verdict": row["verdict"]})
        article_ids += [a for a in claims.load_claims(finding.id)["article_id"] if a not in article_ids]
    knobs = {**results.knobs, "illustrative": made_up}
    headlines = {f.id: f.headline_for(figures, knobs) for f in owners}
    marked = [f.id for f in owners  # a headline resting on a figure that is illustrative
              if headlines[f.id] and read_by(lambda given, f=f: f.headline_for(given, knobs), figures)[0] & made_up]
    return {"findings": [f.id for f in owners], "headlines": headlines, "marked_headlines": marked,
            "claims": rows, "articles": _articles(article_ids), "sources": _sources(owners),
            "table_rows": {name: len(frame) for name, frame in sorted(results.tables.items())},
            "tables": {name: results.declared[name].to_json() for name in sorted(results.tables)}}


def _articles(ids: list[str]) -> list[dict]:
    import pandas as pd

    table = pd.read_csv(paths.ARTICLES, dtype=str, keep_default_na=False)
    known = {row["article_id"]: row for row in table.to_dict("records")}
    return [known[a] for a in ids if a in known]


def _sources(owners: list) -> list[dict]:
    out, seen = [], set()
    for source in (s for f in owners for s in f.sources):
        if source.path in seen or not Path(source.path).is_file():
            continue
        seen.add(source.path)
        import pandas as pd

        frame = pd.read_csv(source.path, dtype=str, keep_default_na=False)
        cited = []
        for row in frame.to_dict("records"):
            text = ". ".join(row[c].strip().rstrip(".") for c in ("source", "citation") if row.get(c, "").strip())
            if text and text + "." not in cited:
                cited.append(text + ".")
        out.append({"path": paths.display(source.path, paths.PROJ_ROOT), "what": source.what, "cited": cited})
    return out


def merge(output_dir: Path) -> dict:
    """Merge every ``*.results.json`` in ``output_dir`` into one dict, keys sorted; duplicate keys raise."""
    merged: dict = {}
    for path in sorted(Path(output_dir).glob(f"*{RESULTS_SUFFIX}")):
        for key, value in json.loads(path.read_text(encoding="utf-8"))["results"].items():
            if key in merged:
                raise ValueError(f"result {key!r} comes from two notebooks")
            merged[key] = value
    return dict(sorted(merged.items()))


def load(path: Path) -> dict:
    """Read a run's ``results.json``."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
