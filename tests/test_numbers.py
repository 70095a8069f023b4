import unicodedata

import pytest

from scr_lib.story import numbers

# (sentence, the one number expected in it: printed text, kind, value, decimals, bound)
FORMS = [
    ("1,732 practices have been invited", ("1,732", "count", 1732, 0, None)),
    ("with 286 so far declining", ("286", "count", 286, 0, None)),
    ("13,499,272 records", ("13,499,272", "count", 13499272, 0, None)),
    ("337,000 calls a week", ("337,000", "count", 337000, -3, None)),
    ("337,500 calls a week", ("337,500", "count", 337500, -2, None)),
    ("a rate of 25.04 a week", ("25.04", "count", 25.04, 2, None)),
    ("accessed for 0.53% of calls", ("0.53%", "percent", 0.53, 2, None)),
    ("accessed for 0.5% of calls", ("0.5%", "percent", 0.5, 1, None)),
    ("16 per cent of practices", ("16 per cent", "percent", 16, 0, None)),
    ("it had spent £190,000", ("£190,000", "money", 190000, -4, None)),
    ("spent £61,250.50 so far", ("£61,250.50", "money", 61250.5, 2, None)),
    ("the £7.5 million of central funding", ("£7.5 million", "money", 7500000, -5, None)),
    ("£100m spent", ("£100m", "money", 100000000, -6, None)),
    ("a £2bn programme", ("£2bn", "money", 2000000000, -9, None)),
    ("£31k on training", ("£31k", "money", 31000, -3, None)),
    ("five practices have yet to agree", ("five", "count", 5, 0, None)),
    ("twenty-one practices", ("twenty-one", "count", 21, 0, None)),
    ("a dozen practices", ("a dozen", "count", 12, 0, None)),
    ("although none have yet been used", ("none", "count", 0, 0, None)),
    ("We haven't invited any practices", ("haven't invited any", "count", 0, 0, None)),
    ("it invited no practices at all", ("no practices", "count", 0, 0, None)),
    ("half of practices", ("half", "fraction", 0.5, 0, None)),
    ("a third of GPs", ("a third", "fraction", 1 / 3, 0, None)),
    ("two thirds of GPs", ("two thirds", "fraction", 2 / 3, 0, None)),
    ("risen to almost exactly 13.5 million", ("almost exactly 13.5 million", "count", 13500000, -5, None)),
    ("one in six has refused", ("one in six", "one_in", 6, 0, None)),
    ("1 in 4 practices", ("1 in 4", "one_in", 4, 0, None)),
    ("accessed for less than 1% of calls", ("less than 1%", "percent", 1, 0, "less_than")),
    ("fewer than 40 PCTs", ("fewer than 40", "count", 40, 0, "less_than")),
    ("at least £100m", ("at least £100m", "money", 100000000, -6, "at_least")),
    ("more than 300 practices", ("more than 300", "count", 300, 0, "more_than")),
    ("at most 12 areas", ("at most 12", "count", 12, 0, "at_most")),
    ("60% or more of patients", ("60% or more", "percent", 60, 0, "at_least")),
    ("half or more of practices", ("half or more", "fraction", 0.5, 0, "at_least")),
    ("some PCTs claimed to have spent little", ("some PCTs", "count", 1, 0, "at_least")),
    ("NHS Newham had spent nothing on it", ("nothing", "money", 0, 0, None)),  # "spent nothing" is £0
    ("it is spending nothing", ("nothing", "money", 0, 0, None)),
    ("In some areas", ("some areas", "count", 1, 0, "at_least")),
    ("the end of 2011 at the earliest", ("2011", "year", 2011, 0, None)),
    ("in 2007-08", ("2007-08", "year", 2007, 0, None)),
    ("on 1 March 2010", ("1 March 2010", "date", 0, 0, None)),
    ("in March 2010", ("March 2010", "date", 0, 0, None)),
    ("on 2010-03-01", ("2010-03-01", "date", 0, 0, None)),
]


@pytest.mark.parametrize("sentence, expected", FORMS, ids=[f[1][0] for f in FORMS])
def test_each_printed_form_gives_its_value_precision_and_bound(sentence, expected):
    found = numbers.find(sentence)
    assert len(found) == 1, found
    n = found[0]
    assert (n.text, n.kind, n.decimals, n.bound) == (expected[0], expected[1], expected[3], expected[4])
    assert n.value == pytest.approx(expected[2])
    assert sentence[n.start:n.end] == n.text


def test_a_ratio_is_two_numbers_the_part_and_the_whole():
    part, whole = numbers.find("just 37 of 77 have shown interest")
    assert (part.text, part.value, part.of) == ("just 37", 37, 77)
    assert (whole.text, whole.value, whole.whole_of) == ("77", 77, 37)


@pytest.mark.parametrize("sentence", [
    "without the backing of some form of record",  # "some" before a noun that is not counted
    "no plans to begin a local rollout",
    "NHS Dorset's care record",
])
def test_words_that_are_not_numbers_are_not_read_as_numbers(sentence):
    assert numbers.find(sentence) == []


def test_every_number_in_a_sentence_is_found_in_order():
    sentence = ("In 36 areas which have begun the rollout and provided complete figures, 1,732 practices have been "
                "invited - with 286 so far declining, one in six, by March 2010.")
    assert [n.text for n in numbers.find(sentence)] == ["36", "1,732", "286", "one in six", "March 2010"]


@pytest.mark.parametrize("number, words", [
    (numbers.Number("0.53%", 0, 5, "percent", 0.53, 2), "to 2 decimal places"),
    (numbers.Number("337,000", 0, 7, "count", 337000, -3), "to the nearest 1,000"),
    (numbers.Number("286", 0, 3, "count", 286, 0), "exact"),
    (numbers.Number("one in six", 0, 10, "one_in", 6, 0), "nearest one in N"),
    (numbers.Number("less than 1%", 0, 12, "percent", 1, 0, "less_than"), "below (a bound)"),
])
def test_precision_in_words(number, words):
    assert number.precision() == words


def test_sentences_split_at_full_stops_but_not_inside_figures():
    text = "Records rose to 13.5 million. Just 1,800 were viewed! Was it 0.53%?\nA new line"
    assert numbers.sentences(text) == ["Records rose to 13.5 million.", "Just 1,800 were viewed!", "Was it 0.53%?",
                                       "A new line"]


# ---------------------------------------------------------------------------------------------
# Newsroom English (review of issue 16): each form a working journalist prints

NBSP, THIN, NNBSP = "\u00a0", "\u2009", "\u202f"
NEWSROOM = [
    ("13.5m care records", ("13.5m", "count", 13_500_000, -5, None)),
    ("a £1.5bn programme", ("£1.5bn", "money", 1_500_000_000, -8, None)),
    ("1.5bn records", ("1.5bn", "count", 1_500_000_000, -8, None)),
    ("190k patients", ("190k", "count", 190_000, -3, None)),
    ("five million records", ("five million", "count", 5_000_000, -6, None)),
    ("a million records", ("a million", "count", 1_000_000, -6, None)),
    ("half a million records", ("half a million", "count", 500_000, -5, None)),
    ("a quarter of a million records", ("a quarter of a million", "count", 250_000, -4, None)),
    ("16,5% of practices", ("16,5%", "percent", 16.5, 1, None)),
    ("£1,2m spent", ("£1,2m", "money", 1_200_000, -5, None)),
    (f"1{NBSP}732 practices", (f"1{NBSP}732", "count", 1732, 0, None)),
    (f"13{THIN}499{THIN}272 records", (f"13{THIN}499{THIN}272", "count", 13_499_272, 0, None)),
    (f"£190{NNBSP}000 spent", (f"£190{NNBSP}000", "money", 190_000, -4, None)),
    (f"16.5{NBSP}% of practices", (f"16.5{NBSP}%", "percent", 16.5, 1, None)),
    ("a change of −12 practices", ("−12", "count", -12, 0, None)),
    ("a change of –12 practices", ("–12", "count", -12, 0, None)),
    ("a change of -3.5% on last year", ("-3.5%", "percent", -3.5, 1, None)),
    ("50p per record", ("50p", "money", 0.5, 2, None)),
    ("No PCT has spent anything", ("No PCT", "count", 0, 0, None)),
    ("3/4 of practices", ("3/4", "fraction", 0.75, 0, None)),
    ("in 2009/10 it spent", ("2009/10", "year", 2009, 0, None)),
    ("at 9am on Monday", ("9am", "date", 0, 0, None)),
    ("at 9.30pm on Monday", ("9.30pm", "date", 0, 0, None)),
    ("call NHS 111 for help", ("NHS 111", "label", 111, 0, None)),
    ("under Section 43 of the Act", ("Section 43", "label", 43, 0, None)),
    ("as the report says.[1]", ("[1]", "label", 1, 0, None)),
    ("call 020 7946 0000 today", ("020 7946 0000", "label", None, 0, None)),
    ("a 24/7 service", ("24/7", "label", None, 0, None)),
    ("the 36th PCT", ("36th", "ordinal", 36, 0, None)),
    ("ten times as many practices", ("ten times", "multiple", 10, 0, None)),
    ("twice as many practices", ("twice", "multiple", 2, 0, None)),
    ("10x more practices", ("10x", "multiple", 10, 0, None)),
    ("dozens of practices", ("dozens", "vague", None, 0, None)),
    ("hundreds of practices", ("hundreds", "vague", None, 0, None)),
    ("almost all practices declined", ("almost all", "vague", None, 0, None)),
    ("100,000s of records", ("100,000s", "vague", None, 0, None)),
    ("the H1N1 outbreak", ("H1N1", "other", None, 0, None)),
]


@pytest.mark.parametrize("sentence, expected", NEWSROOM, ids=[f[1][0] for f in NEWSROOM])
def test_each_newsroom_form_is_one_number_with_its_value_and_kind(sentence, expected):
    found = numbers.find(sentence)
    assert [(n.text, n.kind, n.decimals, n.bound) for n in found] == [(expected[0], expected[1], expected[3],
                                                                       expected[4])]
    assert found[0].value == (None if expected[2] is None else pytest.approx(expected[2]))
    assert sentence[found[0].start:found[0].end] == found[0].text


@pytest.mark.parametrize("sentence, expected", [
    ("between 30 and 40 PCTs", [("30", 30, "at_least"), ("40", 40, "at_most")]),
    ("30-40 PCTs", [("30", 30, "at_least"), ("40", 40, "at_most")]),
    ("30–40 PCTs", [("30", 30, "at_least"), ("40", 40, "at_most")]),
    ("£1-2m", [("£1", 1_000_000, "at_least"), ("2m", 2_000_000, "at_most")]),
    ("15-20% of practices", [("15", 15, "at_least"), ("20%", 20, "at_most")]),
    ("rose from 30 to 40 PCTs", [("30", 30, None), ("40", 40, None)]),  # a change, not a range
    ("15-20pc of practices", [("15", 15, "at_least"), ("20pc", 20, "at_most")]),
    ("between 1 and 2 million records", [("1", 1_000_000, "at_least"), ("2 million", 2_000_000, "at_most")]),
    ("between 1,700 and 1,800 practices", [("1,700", 1700, "at_least"), ("1,800", 1800, "at_most")]),
    ("between 15% and 20% of practices", [("15%", 15, "at_least"), ("20%", 20, "at_most")]),
])
def test_a_range_is_two_bounds(sentence, expected):
    assert [(n.text, n.value, n.bound) for n in numbers.find(sentence)] == expected


@pytest.mark.parametrize("sentence", [t for t, _ in NEWSROOM] + [
    "Practices: 1,732; declined: 286 (16.5%); Dorset £190k; 13.5m records; v2.0; A4; 3D; COVID-19; 1/4/2010",
    "the 1st, 2nd, 3rd and 4th areas; 24/7; 0.53%% of calls; ~300; #5; 5th-largest; 12-month; £5-£10",
    "2009/10, 2010-11, 2008-2010, 9am-5pm, 09:30, 1990s, mid-2000s, Q3, x2, 2x, 3:1, 4.5/5",
    "½ of GPs; 2½ million; ¾; note¹; 1,7322; ６ areas; £1.2.3",
])
def test_no_digit_in_a_sentence_is_left_outside_a_number(sentence):
    """Nothing is silently skipped: every digit printed is inside a number (or a year, date or label) found."""
    found = numbers.find(sentence)
    covered = set()
    for n in found:
        covered.update(range(n.start, n.end))
    missed = [(i, c) for i, c in enumerate(sentence) if unicodedata.numeric(c, None) is not None and i not in covered]
    assert missed == [], (missed, found)


@pytest.mark.parametrize("sentence", ["call NHS 111", "the 36th PCT", "ten times as many", "dozens of GPs", "H1N1"])
def test_a_number_that_is_not_checked_says_so_for_its_precision(sentence):
    (n,) = numbers.find(sentence)
    assert n.precision() == "not a quantity"


@pytest.mark.parametrize("sentence, expected", [
    ("compared with one-in-six nationally", ("one-in-six", "one_in", 6, 0, None)),
    ("twenty one practices", ("twenty one", "count", 21, 0, None)),
    ("At 16.5pc, the rate was high", ("16.5pc", "percent", 16.5, 1, None)),
    ("16 per-cent of practices", ("16 per-cent", "percent", 16, 0, None)),
    ("1.5 million-plus records", ("1.5 million-plus", "count", 1_500_000, -5, "at_least")),
    ("300-plus practices", ("300-plus", "count", 300, 0, "at_least")),
])
def test_more_newsroom_forms(sentence, expected):
    (n,) = numbers.find(sentence)
    assert (n.text, n.kind, n.value, n.decimals, n.bound) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("2000 practices were invited", ("2000", "count", 2000)),
    ("some 1999 records were uploaded", ("some 1999", "count", 1999)),
    ("c.300 practices", ("300", "count", 300)),
    ("In 2010 practices were invited", ("2010", "year", 2010)),
    ("by 2012 records had been created", ("2012", "year", 2012)),
    ("see https://example.com/foi/2010/12.pdf for the answers", ("https://example.com/foi/2010/12.pdf", "label", None)),
])
def test_a_year_before_a_counted_noun_is_a_count_and_a_link_is_a_label(sentence, expected):
    (n,) = [n for n in numbers.find(sentence)]
    assert (n.text, n.kind, n.value) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("accessed for <1% of calls", ("<1%", "less_than")),
    ("accessed for < 1% of calls", ("< 1%", "less_than")),
    ("with >300 practices", (">300", "more_than")),
    ("with ≥ 300 practices", ("≥ 300", "at_least")),
    ("with ≤300 practices", ("≤300", "at_most")),
])
def test_a_bound_written_as_a_symbol(sentence, expected):
    (n,) = numbers.find(sentence)
    assert (n.text, n.bound) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("On April 1, 286 practices declined", [("April 1", "date"), ("286", "count")]),
    ("By April 1st, 91 PCTs replied", [("April 1st", "date"), ("91", "count")]),
    ("On the 1st of April it began", [("1st of April", "date")]),
    ("on 1-3 March 2010", [("1-3 March 2010", "date")]),
    ("on 12.04.2010", [("12.04.2010", "date")]),
    ("on 12-04-2010", [("12-04-2010", "date")]),
    ("the ratio was 1:6", [("1:6", "other")]),
    ("GBP 190,000 was spent", [("GBP 190,000", "money")]),
    ("190,000 pounds was spent", [("190,000 pounds", "money")]),
    ("It may 5 times", [("5 times", "multiple")]),
])
def test_dates_ratios_and_pounds_in_words(sentence, expected):
    assert [(n.text, n.kind) for n in numbers.find(sentence)] == expected


@pytest.mark.parametrize("sentence, expected", [
    ("½ of practices declined", ("½", "fraction", 0.5, 2)),
    ("¾ of practices", ("¾", "fraction", 0.75, 4)),
    ("⅓ of GPs", ("⅓", "fraction", 1 / 3, 3)),
    ("1½ million records", ("1½ million", "count", 1_500_000, None)),
    ("2½% of practices", ("2½%", "percent", 2.5, None)),
])
def test_a_fraction_printed_as_one_character(sentence, expected):
    (n,) = numbers.find(sentence)
    assert (n.text, n.kind, n.denominator) == (expected[0], expected[1], expected[3])
    assert n.value == pytest.approx(expected[2])
