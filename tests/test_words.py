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
