"""How one area compares, in words (scr_lib.story.area_words): every figure is the row's, printed by words,
and an illustrative one is marked beside it, in Markdown and in HTML."""

import pandas as pd

from scr_lib import words
from scr_lib.findings.arithmetic import areas
from scr_lib.story import area_words

from test_areas import REFERENCE, frame

PLAIN = frame(
    ("AAA", True, 40, 10, 20, 1000.0, 500.0, 2000, 1, ""),
    ("BBB", True, 20, 10, None, None, None, 0, 0, ""),
    ("CCC", False, None, None, None, 0.0, None, None, None, ""),
    ("DDD", True, 10, 1, 5, 3000.0, None, 1000, 0, ""),
)
MARKED = PLAIN.assign(illustrative=["", "practices_declined", "*", "spend_to_date_gbp"])


COMPARED = {}  # id of PLAIN or MARKED (never changed) -> its rows by code and national figures: compared once


def described(returns, code, render=area_words.as_markdown):
    if id(returns) not in COMPARED:
        table = areas.compare(returns, REFERENCE)
        COMPARED[id(returns)] = ({row["ods_code"]: row for row in areas.rows(table)}, areas.national(returns, table))
    by_code, national = COMPARED[id(returns)]
    return render(area_words.describe(by_code[code], national))


def test_a_complete_area_gives_its_counts_share_and_rank_against_the_national_share():
    text = described(PLAIN, "AAA")
    national = areas.national(PLAIN)
    row = PLAIN.set_index("ods_code").loc["AAA"]
    share = row["practices_declined"] / row["practices_invited"]
    for shown in (words.count(row["practices_invited"]), words.count(row["practices_declined"]),
                  words.percent(share), words.percent(national["share"]), words.pounds(row["spend_to_date_gbp"]),
                  words.pounds(national["median_to_date_gbp"])):
        assert f"**{shown}**" in text, shown
    assert "NHS Alpha invited" in text and "highest share of the 3" in text


def test_no_illustrative_mark_on_a_file_without_illustrative_values():
    table = areas.compare(PLAIN, REFERENCE)  # compared once: every area's row and the national figures
    national = areas.national(PLAIN, table)
    rows = areas.rows(table)
    assert [row["ods_code"] for row in rows] == list(REFERENCE["ods_code"])
    for row in rows:
        assert "illustrative" not in area_words.as_markdown(area_words.describe(row, national))
        assert "illustrative" not in area_words.as_html(area_words.describe(row, national))


def test_an_area_s_own_generated_figure_is_never_printed_and_what_rests_on_others_is_marked():
    """Beta's count of practices that declined was generated: its page prints neither that count nor its share,
    rank or chance, and says Pulse published none; its spend (received) leads. Alpha's figures are its own, but
    its rank and the medians are taken over generated values: printed, marked."""
    rows = MARKED.set_index("ods_code")
    beta = described(MARKED, "BBB")
    assert f"**{words.count(rows.loc['BBB', 'practices_declined'])}**" not in beta
    assert "Pulse published no figures for the practices NHS Beta invited and those that declined" in beta
    assert "Chance" not in beta and "highest share" not in beta and "(illustrative)" not in beta.split("declined")[0]
    assert beta.index("Pulse published") > beta.index("spend")  # what it gave leads
    plain_beta = described(PLAIN, "BBB")
    assert f"**{words.count(rows.loc['BBB', 'practices_declined'])}** declined" in plain_beta  # the same row, received
    alpha = described(MARKED, "AAA")
    assert f"**{words.count(rows.loc['AAA', 'practices_invited'])}** practices" in alpha  # received, not marked
    median = words.pounds(areas.national(MARKED)["median_to_date_gbp"])  # Gamma's and Delta's spend are generated
    assert f"median **{median}** (illustrative)" in alpha
    delta = described(MARKED, "DDD")  # its spend was generated: neither it nor its cost per record is printed
    assert "Pulse published no figure for NHS Delta's spend" in delta
    assert words.pounds(rows.loc["DDD", "spend_to_date_gbp"]) not in delta and "Per uploaded record" not in delta


def test_withheld_names_the_generated_figures_and_what_rests_on_them():
    assert area_words.withheld({"illustrative": ""}) == set()
    assert area_words.withheld({"illustrative": "practices_declined;foi_ref"}) == {
        "practices_declined", "share_declined", "foi_ref"}
    assert area_words.withheld({"illustrative": ["records_uploaded"]}) == {"records_uploaded", "cost_per_record_gbp"}
    assert {"spend_to_date_gbp", "share_declined", "cost_per_record_gbp", "foi_ref"} <= area_words.withheld(
        {"illustrative": "*"})


def test_a_missing_figure_is_said_to_be_missing_never_zero():
    beta = described(PLAIN, "BBB")
    assert "NHS Beta gave no figure for its spend on the rollout." in beta
    assert "£0" not in beta
    assert "It did not give: practices signed up, spend so far and further spend expected." in beta


def test_an_area_left_out_says_why():
    gamma = described(PLAIN, "CCC")
    assert "NHS Gamma is left out of the share that declined: it had not begun the rollout." in gamma
    assert "spent **nothing**" in gamma


def test_an_area_with_no_row_says_so_with_the_national_share():
    zeta = described(PLAIN, "ZZZ")
    assert zeta.startswith("NHS Zeta did not answer: these FOI returns hold no row for it")
    assert f"**{words.percent(areas.national(PLAIN)['share'])}**" in zeta


def test_text_from_files_is_escaped_in_html():
    hostile = pd.DataFrame({"ods_code": ["AAA"], "name": ["<script>alert(1)</script>"]})
    row = areas.rows(areas.compare(PLAIN, hostile))[0]
    html = area_words.as_html(area_words.describe(row, areas.national(PLAIN)))
    assert "<script>" not in html and "&lt;script&gt;" in html
