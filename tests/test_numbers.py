import pytest

from scr_lib import numbers

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
    ("some PCTs claimed to have spent nothing", ("some PCTs", "count", 1, 0, "at_least")),
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
