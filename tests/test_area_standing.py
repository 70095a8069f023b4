"""Where an area stands (issue 24), recomputed from the FOI file here with pandas and the textbook formulas, never
with the functions the pages use: ranks (joint), medians of all and of those above nil, the 95% Wilson interval, the
funnel limits and the verdict; the story kit and its CSV; the funnel plot; "Find your area" in the browser.

Checked on the journalist's own run (nothing illustrative: every area's figures are its own) for five areas drawn
at random with a fixed seed and NHS Dorset, and on the bundled run (generated figures are never shown as an area's
own)."""

from __future__ import annotations

import json
import math
import random
import re
from pathlib import Path
from statistics import NormalDist

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from scr_lib import paths, words
from scr_lib.inputs import foi

DORSET = "5QM"
Z95, Z998 = NormalDist().inv_cdf(0.975), NormalDist().inv_cdf(0.999)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""


@pytest.fixture(scope="module")
def recomputed() -> pd.DataFrame:
    """Each answered area's figures and standing, worked out here from the FOI file."""
    frame = foi.load_returns(paths.FOI_2010).frame.copy()
    complete = frame["rollout_begun"].eq(True).fillna(False) & frame["practices_invited"].notna() \
        & frame["practices_declined"].notna()
    frame["complete"] = complete.astype(bool)
    counted = frame[frame["complete"]]
    p0 = counted["practices_declined"].sum() / counted["practices_invited"].sum()
    n = frame["practices_invited"].astype(float)
    k = frame["practices_declined"].astype(float)
    frame["share"] = (k / n).where(frame["complete"] & (n > 0))
    frame["share_rank"] = frame["share"].rank(method="min", ascending=False)
    p = frame["share"]
    centre = (p + Z95 ** 2 / (2 * n)) / (1 + Z95 ** 2 / n)
    half = Z95 / (1 + Z95 ** 2 / n) * ((p * (1 - p) / n + Z95 ** 2 / (4 * n ** 2)) ** 0.5)
    frame["wilson_low"], frame["wilson_high"] = (centre - half).clip(lower=0), (centre + half).clip(upper=1)
    for name, z in (("95", Z95), ("998", Z998)):
        spread = z * (p0 * (1 - p0) / n) ** 0.5
        frame[f"low_{name}"] = (p0 - spread).clip(lower=0).where(p.notna())
        frame[f"high_{name}"] = (p0 + spread).clip(upper=1).where(p.notna())
    frame["outside_998"] = (p > frame["high_998"]) | (p < frame["low_998"])
    frame.attrs["p0"] = p0
    frame.attrs["complete"] = int(frame["complete"].sum())
    for column in ("spend_to_date_gbp", "spend_expected_gbp", "records_viewed"):
        frame[f"{column}_rank"] = frame[column].astype(float).rank(method="min", ascending=False)
    return frame


def standing_table(page) -> dict[str, list[str]]:
    out = {}
    for row in page.select(".area-standing tbody tr"):
        for mark in row.select("span.illustrative-mark"):
            mark.extract()
        out[text(row.select_one("th"))] = [text(td) for td in row.select("td")]
    return out


def chosen_codes(frame) -> list[str]:
    complete = sorted(frame.loc[frame["complete"] & frame["share"].notna(), "ods_code"])
    return random.Random(24).sample(complete, 5) + [DORSET]


def _rank_words(rank: float, ranks: pd.Series, of: int) -> str:
    joint = int((ranks == rank).sum()) > 1
    r = int(rank)
    suffix = "th" if 10 <= r % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(r % 10, "th")
    return f"{'joint ' if joint else ''}{r}{suffix} of {of}"


@pytest.mark.slow
def test_ranks_medians_intervals_and_limits_equal_a_recomputation(own_run, recomputed):
    frame = recomputed
    for code in chosen_codes(frame):
        row = frame[frame["ods_code"] == code].iloc[0]
        page = soup(own_run / "site" / "areas" / f"{code}.html")
        table = standing_table(page)
        share_row = table["Share of invited practices that declined"]
        assert share_row[0] == words.percent(row["share"]), code
        assert share_row[1] == _rank_words(row["share_rank"], frame["share_rank"], frame["share"].notna().sum()), code
        assert share_row[2] == words.percent(frame.attrs["p0"])
        spend = frame["spend_to_date_gbp"].dropna().astype(float)
        spend_row = table["Spend so far"]
        assert spend_row[3] == words.pounds(spend.median()) and spend_row[4] == words.pounds(spend[spend > 0].median())
        if not pd.isna(row["spend_to_date_gbp"]):
            assert spend_row[1] == _rank_words(row["spend_to_date_gbp_rank"], frame["spend_to_date_gbp_rank"],
                                               len(spend)), code
        said = text(page.select_one(".area-words"))
        assert (f"interval for its share runs from {words.percent(row['wilson_low'])} to "
                f"{words.percent(row['wilson_high'])}") in said, code
        assert (f"between {words.percent(row['low_95'])} and {words.percent(row['high_95'])} (95% limits") in said
        assert (f"between {words.percent(row['low_998'])} and {words.percent(row['high_998'])} (99.8% limits)") in said


@pytest.mark.slow
def test_outside_the_998_limit_is_named_inside_never_unusual(own_run, recomputed):
    frame = recomputed[recomputed["share"].notna()]
    assert frame["outside_998"].any() and (~frame["outside_998"]).any()  # both cases occur on this data
    for _, row in frame.iterrows():
        page = soup(own_run / "site" / "areas" / f"{row['ods_code']}.html")
        told = " ".join(text(page.select_one(s)) for s in (".story-lead", ".area-words", ".area-kit"))
        if row["outside_998"]:
            assert "outside even the 99.8% limits" in told and "unusually" in told, row["ods_code"]
        else:
            assert "unusual" not in told and "outside even" not in told, row["ods_code"]
        small = "Small numbers" in told
        assert small == (row["practices_invited"] < 20), row["ods_code"]


@pytest.mark.slow
def test_no_generated_figure_is_shown_as_an_area_s_own_on_the_bundled_run(story_run):
    frame = foi.load_returns(paths.FOI_2010).frame
    figures = ["rollout_begun", "practices_invited", "practices_declined", "practices_signed_up",
               "spend_to_date_gbp", "spend_expected_gbp", "records_uploaded", "records_viewed"]
    checked = 0
    for row in frame.to_dict("records"):
        listed = set(str(row["illustrative"] or "").split(";"))
        given = [c for c in figures if not pd.isna(row[c])]
        page = soup(story_run / "site" / "areas" / f"{row['ods_code']}.html")
        if given and ("*" in listed or all(c in listed for c in given)):
            checked += 1
            assert page.select_one(".area-figures") is None and page.select_one(".area-kit") is None
            assert "Pulse published no figures for" in text(page.select_one(".story-headline"))
            assert not page.select(".area-words")
        elif page.select_one(".area-kit"):
            for sentence in page.select(".kit-sentences p"):  # a pasteable sentence holds only received values
                assert "illustrative" not in str(sentence)
            generated = {"practices_invited", "practices_declined"} & listed
            if given and generated and row["practices_invited"]:  # a named area: some figures of its own generated
                checked += 1
                said = " ".join(text(p) for p in page.select(".story-lead, .area-words, .kit-sentences"))
                share = words.percent(row["practices_declined"] / row["practices_invited"])
                assert share not in said and f"invited {words.count(row['practices_invited'])} practices" not in said
                assert "Pulse published no figures for the practices" in said
                standing = {text(r.select_one("th")): text(r.select("td")[0]) for r in page.select(".area-standing tbody tr")}
                assert standing["Share of invited practices that declined"] == "not published"
    assert checked > 1


@pytest.mark.slow
def test_the_kit_csv_opens_with_a_bom_and_holds_the_area_row(own_run, story_run):
    import csv

    for run in (own_run, story_run):
        raw = (run / "site" / "areas" / f"{DORSET}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
        source = foi.load_returns(paths.FOI_2010).frame.set_index("ods_code").loc[DORSET]
        assert len(rows) == 1 and rows[0]["ods_code"] == DORSET
        assert float(rows[0]["spend_to_date_gbp"]) == float(source["spend_to_date_gbp"])
        assert ("illustrative" in rows[0]) == (run == story_run)


@pytest.mark.slow
def test_the_refusal_funnel_plot_shows_every_complete_area(story_run, recomputed):
    import nbformat

    nb = nbformat.read(story_run / "notebooks" / "01-refusal-share.ipynb", as_version=4)
    specs = [o["data"]["application/vnd.vegalite.v5+json"] for c in nb.cells if c.cell_type == "code"
             for o in c.get("outputs", []) if "application/vnd.vegalite.v5+json" in o.get("data", {})]
    funnel = next(s for s in specs if "against practices invited" in json.dumps(s.get("title", "")))
    points = [v for name, values in funnel["datasets"].items() for v in values if "label" in v]
    expected = recomputed[recomputed["share"].notna()]
    assert len(points) == len(expected)
    assert sorted(p["practices_invited"] for p in points) == sorted(expected["practices_invited"].astype(int))
    names = set(recomputed["pct_name"])  # a generated point carries no real name
    made_up = recomputed[recomputed["illustrative"].fillna("").str.contains(r"\*|practices_declined|practices_invited")]
    assert not {p["label"] for p in points} & set(made_up["pct_name"]) or not len(made_up)
    assert all(p["label"] in names or p["label"].endswith("illustrative") for p in points)


# --- Find your area in the browser ------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("typed, code", [("Hammersmith & Fulham", "5H1"), ("Stoke-on-Trent", "5PJ"),
                                         ("Kingston upon Thames", "5A5"), ("Saint Helens", "5NM")])
def test_find_your_area_finds_the_names_readers_type(open_page, areas_url, typed, code):
    v = open_page(f"{areas_url}areas/index.html", areas_url, "phone")
    box = v.page.get_by_role("searchbox", name=re.compile("filter", re.IGNORECASE))
    box.fill(typed)
    shown = v.page.evaluate("() => [...document.querySelectorAll('ul.area-list li')]"
                            ".filter(li => li.checkVisibility()).map(li => li.querySelector('a').getAttribute('href'))")
    assert f"{code}.html" in shown and len(shown) < 10, (typed, shown)


@pytest.mark.slow
def test_one_line_per_area_and_the_nav_lands_on_find_your_area(story_run):
    listing = soup(story_run / "site" / "areas" / "index.html")
    for item in listing.select("ul.area-list li"):
        assert len(item.select("a")) == 1 and not item.select(".area-aka")
    for page in ("index.html", "01-refusal-share.html", "areas/5QM.html"):
        nav = soup(story_run / "site" / page).select("nav a")
        target = next(a["href"] for a in nav if "How your area compares" in text(a))
        assert target.endswith("areas/index.html"), (page, target)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_the_new_parts_in_the_browser(open_page, areas_url, screen):
    from conftest import SCREENS, axe_version, axe_violations, describe_violations
    from test_browser import OVERFLOW

    v = open_page(f"{areas_url}areas/{DORSET}.html", areas_url, screen)
    for part in (".area-standing", ".area-kit", ".area-comparable"):
        assert v.page.locator(part).count() == 1, part
    found = v.page.evaluate(OVERFLOW, SCREENS[screen]["viewport"]["width"])
    assert found["document"] <= found["screen"] and not found["wide"] and not found["scrolls"], found
    violations = [f for f in axe_violations(v.page) if f["impact"] in ("serious", "critical")]
    assert not violations, f"axe-core {axe_version()} reports\n{describe_violations(violations)}"


@pytest.mark.slow
@pytest.mark.parametrize("which", ["story_run", "own_run"])
def test_every_kit_number_is_supported_by_scr_draft_against_the_same_run(which, request):
    """The kit, pasted as the page shows it (one paragraph), checked by `scr draft`'s checker against the run
    that made it: every number of every kit supported, by a fact that was received, not generated (a kit never
    prints a generated value beside a real PCT's name). On the bundled run Dorset's kit holds each of its
    received spend figures (so far, expected, records uploaded and used)."""
    from scr_lib.story import draft

    run = request.getfixturevalue(which)
    base = draft.load_facts(run)
    kits = figures = 0
    for path in sorted((run / "site" / "areas").glob("*.html")):
        kit = soup(path).select_one(".kit-sentences p")
        if kit is None:
            continue
        kits += 1
        report = draft.check_paragraphs([text(kit)], base, path.name)
        assert report.numbers, (path.name, text(kit))
        assert all(n.verdict is draft.Verdict.SUPPORTED for n in report.numbers), draft.table_text(report)
        assert not any(n.illustrative for n in report.numbers), draft.table_text(report)
        figures += len(report.numbers)
        if path.stem == DORSET and which == "story_run":
            received = {m: base.get(DORSET, m) for m in ("spend_to_date_gbp", "spend_expected_gbp",
                                                          "records_uploaded", "records_viewed")}
            assert all(f is not None and not f.illustrative for f in received.values())
            assert {n.measure for n in report.numbers} == set(received), draft.table_text(report)
    assert kits > 0 and figures >= kits


def _copy_run(source: Path, target: Path, round_label: str, dorset_spend: float | None = None) -> Path:
    """A run folder holding ``source``'s areas.json and facts.csv, its facts stamped ``round_label`` and, when
    given, Dorset's spend to date set to ``dorset_spend`` (in both files)."""
    import csv
    import io

    target.mkdir(parents=True)
    data = json.loads((source / "areas.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((source / "facts.csv").read_text(encoding="utf-8"))))
    for row in rows:
        row["round"] = round_label
        if dorset_spend is not None and (row["subject"], row["measure"]) == (DORSET, "spend_to_date_gbp"):
            row["value"] = str(int(dorset_spend))
    if dorset_spend is not None:
        next(a for a in data["areas"] if a["ods_code"] == DORSET)["figures"]["spend_to_date_gbp"] = dorset_spend
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (target / "facts.csv").write_text(out.getvalue(), encoding="utf-8")
    (target / "areas.json").write_text(json.dumps(data), encoding="utf-8")
    return target


@pytest.mark.slow
def test_an_area_page_gives_its_own_change_since_the_previous_round(story_run, tmp_path):
    from dataclasses import replace

    from scr_lib import site
    from scr_lib.findings import load_params

    then_spend = foi.load_returns(paths.FOI_2010).frame.set_index("ods_code").loc[DORSET, "spend_to_date_gbp"]
    now_spend = float(then_spend) + 24_500
    then = _copy_run(story_run, tmp_path / "then", "2010")
    now = _copy_run(story_run, tmp_path / "now", "2011", dorset_spend=now_spend)
    params = load_params(paths.DEFAULT_PARAMS)
    built = site.render(now, replace(params, values={**params.values, "previous_run": str(then)}))
    page = soup(built / "areas" / f"{DORSET}.html")
    section = page.select_one(".area-change")
    assert section is not None and "Since the 2010 round" in text(section)
    row = next(tr for tr in section.select("tbody tr") if "spend" in text(tr.select_one("th")).lower()
               and "expected" not in text(tr.select_one("th")).lower())
    cells = [text(td) for td in row.select("td")]
    assert cells[0] == words.pounds(then_spend) and cells[1] == words.pounds(now_spend)
    assert cells[2] == f"up {words.pounds(now_spend - then_spend)} ({words.percent((now_spend - then_spend) / then_spend)})"
    generated = next(r["ods_code"] for r in foi.load_returns(paths.FOI_2010).frame.to_dict("records")
                     if r["illustrative"] == "*")
    assert soup(built / "areas" / f"{generated}.html").select_one(".area-change") is None
    alone = site.render(now, params)  # without a previous run: no change, no word of one
    assert soup(alone / "areas" / f"{DORSET}.html").select_one(".area-change") is None


@pytest.mark.slow
def test_the_kit_chart_comes_as_svg_and_png_and_never_for_a_generated_share(story_run, own_run):
    """Dorset's counts of practices are generated in the bundled data: its page draws no chart of them (a chart
    of a real body's generated share is a false picture of it); on the journalist's own run it has one."""
    frame = foi.load_returns(paths.FOI_2010).frame.set_index("ods_code")
    made_up = bool({"practices_invited", "practices_declined", "*"} & set(str(frame.loc[DORSET, "illustrative"]).split(";")))
    assert made_up  # so both branches below run
    for run, generated in ((story_run, made_up), (own_run, False)):
        folder = run / "site" / "areas"
        links = {a["href"] for a in soup(folder / f"{DORSET}.html").select(".area-kit a")}
        assert f"{DORSET}.csv" in links
        if generated:
            assert not list(folder.glob(f"{DORSET}-chance.*")) and not any("chance" in link for link in links)
            continue
        svg = (folder / f"{DORSET}-chance.svg").read_text(encoding="utf-8")
        png = (folder / f"{DORSET}-chance.png").read_bytes()
        assert svg.startswith("<svg") and png.startswith(b"\x89PNG") and "illustrative" not in svg
        share = frame.loc[DORSET, "practices_declined"] / frame.loc[DORSET, "practices_invited"]
        assert f"its share ({words.percent(share)})" in svg
        assert {f"{DORSET}-chance.svg", f"{DORSET}-chance.png"} <= links


@pytest.mark.slow
@pytest.mark.parametrize("which", ["story_run", "own_run"])
def test_the_area_pages_figures_are_the_fact_base_s(which, request):
    """Every figure an area page draws from areas.json that the run's fact base (facts.csv) also holds for that
    area is the same value, illustrative on both or neither: the kit, the table and the words tell the facts."""
    from scr_lib.story.facts import FactBase

    run = request.getfixturevalue(which)
    facts = FactBase.load(run)
    data = json.loads((run / "areas.json").read_text(encoding="utf-8"))
    compared = 0
    for area in data["areas"]:
        values = {**area["figures"], "share_declined": area["standing"]["share_declined"],
                  "cost_per_record_gbp": area["standing"]["cost_per_record_gbp"]}
        for measure, value in values.items():
            fact = facts.get(area["ods_code"], measure)
            if fact is None or value is None or isinstance(value, bool):
                continue
            compared += 1
            assert math.isclose(fact.value, float(value), rel_tol=1e-9), (area["ods_code"], measure)
    assert compared > 100


@pytest.mark.parametrize("generated", [(), ("practices_invited",), ("practices_declined",), ("spend_to_date_gbp",),
                                       ("spend_expected_gbp",), ("records_viewed",), ("share_declined",),
                                       ("practices_invited", "spend_to_date_gbp", "records_uploaded")])
def test_a_kit_sentence_resting_on_a_generated_value_is_left_out(generated):
    """kit_sentences never prints a generated (illustrative) value beside a real PCT's name: each sentence
    whose facts include one is left out, and the rest are kept (England's share only beside a received count)."""
    from scr_lib.site.area_pages import kit_sentences
    from scr_lib.story.facts import ENGLAND, Fact, FactBase

    values = {(DORSET, "practices_invited"): 55, (DORSET, "practices_declined"): 24,
              (DORSET, "spend_to_date_gbp"): 190_000, (DORSET, "spend_expected_gbp"): 70_000,
              (DORSET, "records_uploaded"): 159_580, (DORSET, "records_viewed"): 3,
              (ENGLAND, "share_declined"): 0.165, (ENGLAND, "pcts_complete"): 36}
    base = FactBase([Fact("2010", subject, "England" if subject == ENGLAND else "NHS Dorset", measure, "count",
                          value, measure in generated, "test") for (subject, measure), value in values.items()])
    area = {"ods_code": DORSET, "display_name": "NHS Dorset", "answered": True,
            "standing": {"share_declined": 24 / 55, "chance": "far above"}}
    kit = kit_sentences(area, {}, "", base)
    counts = {"practices_invited", "practices_declined"}
    offered = [("24 of its 55", counts), ("chance", counts), ("Nationally, 16.5%", counts | {"share_declined", "pcts_complete"}),
               ("had spent £190,000", {"spend_to_date_gbp"}), ("a further £70,000", {"spend_expected_gbp"}),
               ("159,580", {"records_uploaded", "records_viewed"})]
    kept = [mark for mark, needs in offered if not needs & set(generated)][:5]
    assert len(kit) == len(kept) and all(mark in sentence for mark, sentence in zip(kept, kit)), (generated, kit)
    assert kit[0].startswith("NHS Dorset")  # the first sentence names the area


@pytest.mark.parametrize("expected, words_shown", [(70_000, "It expected to spend a further £70,000."),
                                                   (0, "It expected to spend nothing more.")])
def test_the_kit_says_the_further_spend_as_a_reporter_would_and_never_a_generated_nil(expected, words_shown):
    from scr_lib.site.area_pages import kit_sentences
    from scr_lib.story.facts import Fact, FactBase

    area = {"ods_code": DORSET, "display_name": "NHS Dorset", "answered": True, "standing": {}}
    for generated in (False, True):
        base = FactBase([Fact("2010", DORSET, "NHS Dorset", "spend_expected_gbp", "pounds", expected, generated, "t")])
        assert kit_sentences(area, {}, "", base) == ([] if generated else [words_shown.replace("It", "NHS Dorset")])


@pytest.mark.parametrize("round_label, as_at, said", [("2010", "2010", "in the 2010 FOI round"),
                                                      ("2011", "2011-03-01", "in the 2011 FOI round, as at 1 March 2011"),
                                                      (None, "2011-03-01", "as at 1 March 2011"), (None, None, "")])
def test_the_kit_s_date_never_repeats_the_round(round_label, as_at, said):
    from scr_lib.site.area_pages import dated_words

    assert dated_words(round_label, as_at) == said


@pytest.mark.parametrize("values, generated, first", [
    ({"practices_invited": 38, "practices_declined": 5, "practices_signed_up": 1}, ("practices_declined",),
     "NHS Dorset: 1 of its 38 invited GP practices had signed up"),
    ({"practices_invited": 38, "practices_declined": 5, "practices_signed_up": 1}, (),
     "NHS Dorset: 5 of its 38 invited GP practices declined"),
    ({"practices_invited": 38, "practices_declined": 5, "practices_signed_up": 1}, ("practices_invited",), None),
    ({"practices_invited": 38, "practices_signed_up": 1}, ("practices_signed_up",), None),
    ({"practices_invited": 0}, (), "NHS Dorset had invited no GP practices"),
    ({"practices_invited": 0}, ("practices_invited",), None),
])
def test_without_a_received_refusal_count_the_kit_tells_the_practices_signed_up(values, generated, first):
    """Pulse gave some areas' practices invited and signed up, not declined: the kit tells those, received only."""
    from scr_lib.site.area_pages import kit_sentences
    from scr_lib.story.facts import Fact, FactBase

    base = FactBase([Fact("2010", DORSET, "NHS Dorset", m, "count", v, m in generated, "t") for m, v in values.items()])
    area = {"ods_code": DORSET, "display_name": "NHS Dorset", "answered": True,
            "standing": {"share_declined": values.get("practices_declined", 0) / values["practices_invited"]
                         if values["practices_invited"] and "practices_declined" in values else None}}
    kit = kit_sentences(area, {}, "", base)
    assert (kit[0].startswith(first) if first else kit == []), kit
