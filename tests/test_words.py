import pytest

from scr_lib import words


@pytest.mark.parametrize("value, decimals, expected", [
    (0.285, 2, 0.29), (2.5, 0, 3.0), (16.51, 1, 16.5), (337500, -3, 338000.0), (337481.8, -2, 337500.0),
    (-2.5, 0, -3.0), (0.0, 1, 0.0),
])
def test_round_half_up(value, decimals, expected):
    assert words.round_half_up(value, decimals) == expected


@pytest.mark.parametrize("n, text", [(0, "zero"), (6, "six"), (20, "twenty"), (21, "21"), (1732, "1,732")])
def test_number_words(n, text):
    assert words.number_words(n) == text


def test_formats():
    assert words.count(1732) == "1,732"
    assert words.percent(33 / 200) == "16.5%"
    assert words.percent(0.0053333, 2) == "0.53%"
    assert words.pounds(190000) == "£190,000"
    assert words.pounds(61250.5, 2) == "£61,250.50"
    assert words.pounds_millions(7.5e6) == "£7.5 million"


@pytest.mark.parametrize("share, n", [
    (286 / 1732, 6),
    (1.0, 1),
    (0.5, 2),
    (0.6, 2),          # 1/2 is nearer 0.6 than 1/1
    (0.76, 1),         # 1/1 is nearer than 1/2
    (0.75, 1),         # exact tie between 1/1 and 1/2: the larger fraction wins
    (1 / 6.5, 7),      # 1/6.5 = 0.1538 is nearer 1/7 (0.1429) than 1/6 (0.1667)
    (1 / 1000, 1000),
    (0.0004, 2500),
])
def test_one_in_is_the_nearest_fraction(share, n):
    assert words.one_in(share) == n


@pytest.mark.parametrize("share", [0, -0.1, 1.01])
def test_one_in_rejects_shares_outside_zero_to_one(share):
    with pytest.raises(ValueError):
        words.one_in(share)


@pytest.mark.parametrize("value, text", [(25.0, "25"), (25.04, "25"), (3.46, "3.5"), (1304.46, "1,304.5")])
def test_decimal_drops_a_trailing_zero(value, text):
    assert words.decimal(value, 1) == text


@pytest.mark.parametrize("amount, text", [(0.33, "33p"), (1.19, "£1.19"), (190000, "£190,000")])
def test_money_in_the_house_style(amount, text):
    assert words.money(amount) == text


def test_about_times_ordinal_and_plural():
    assert words.about(337481.8) == "about 337,500"
    assert (words.times(3.0), words.times(2.04), words.times(8.24)) == ("three times", "twice", "8.2 times")
    assert [words.ordinal(n) for n in (1, 2, 3, 11, 12, 13, 21, 112)] == \
        ["1st", "2nd", "3rd", "11th", "12th", "13th", "21st", "112th"]
    assert words.ordinal(8, joint=True) == "joint 8th"
    assert (words.plural(1, "PCT"), words.plural(2, "PCT")) == ("1 PCT", "2 PCTs")
