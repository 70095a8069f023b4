"""Reading money as FOI answers write it: pounds and pence, "nil" is zero, "not given" stays missing."""

import pytest

from scr_lib import values


@pytest.mark.parametrize("text, pounds", [
    ("£190,000", 190_000.0),
    ("190000", 190_000.0),
    ("190,000", 190_000.0),
    ("£61,250.50", 61_250.5),
    ("£ 70,000", 70_000.0),
    (" £1,234,567.89 ", 1_234_567.89),
    ("0", 0.0),
    ("£0.00", 0.0),
    ("nil", 0.0),
    ("NIL", 0.0),
    (" None ", 0.0),
    (7500, 7500.0),
])
def test_read_money_reads_pounds_as_written(text, pounds):
    assert values.read_money(text) == pounds


@pytest.mark.parametrize("text", ["", "   ", None, "n/a", "N/A", "na", "not known", "Not Known", "not held",
                                  "unknown"])
def test_read_money_keeps_not_given_missing_never_zero(text):
    assert values.read_money(text) is None


@pytest.mark.parametrize("text", ["£190,00", "£19O,000", "£1.234", "about £5k", "£", "£5k", "12 pounds",
                                  "£1,000*", "$1,000", "£1,000 - £2,000", "nothing"])
def test_read_money_refuses_what_it_does_not_recognise(text):
    with pytest.raises(ValueError, match="expected"):
        values.read_money(text)


def test_read_money_names_what_it_expected():
    with pytest.raises(ValueError) as err:
        values.read_money("about £5k")
    assert "'about £5k'" in str(err.value) and "nil" in str(err.value) and "not known" in str(err.value)
