"""Reading money as FOI answers write it: pounds and pence, "nil" is zero, "not given" stays missing."""

import pytest

from scr_lib.inputs import values


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


# Counts and yes/no, and the hints that name common FOI mistakes.

@pytest.mark.parametrize("text, count", [
    ("1,732", 1732), ("1732", 1732), (" 38 ", 38), ("0", 0), ("nil", 0), ("None", 0), ("+5", 5),
    ("1,234,567", 1_234_567), (38, 38), (38.0, 38), ("-3", -3),
])
def test_read_count_reads_whole_numbers_as_written(text, count):
    assert values.read_count(text) == count


@pytest.mark.parametrize("text", ["", None, "n/a", "N/A", "na", "not known", "NOT KNOWN", "not held", "unknown"])
def test_read_count_keeps_not_given_missing_never_zero(text):
    assert values.read_count(text) is None


@pytest.mark.parametrize("text, fragment", [
    ("12.5", "expected a whole number"),
    ("38*", "footnote marker"),
    ("38 (a)", "footnote marker"),
    ("38²", "footnote marker"),
    ("forty", "found 'forty'"),
    ("-", "a dash may mean nil or not known"),
    ("–", "a dash may mean nil or not known"),
    ("1 732", "found '1 732'"),
    ("1,73", "found '1,73'"),
    ("1.732,5", "found '1.732,5'"),
    ("16/03/2011", "a date"),
    ("2011-03-16", "a date"),
    ("#N/A", "spreadsheet error value"),
    ("Â£12", "mis-encoded"),
    ("£12", "found '£12'"),
    ("10-20", "found '10-20'"),
    ("TRUE", "found 'TRUE'"),
    (True, "found 'True'"),
])
def test_read_count_refuses_and_says_why(text, fragment):
    with pytest.raises(ValueError) as err:
        values.read_count(text)
    assert fragment in str(err.value)


@pytest.mark.parametrize("text, fragment", [
    ("£", "found '£'"),
    ("-", "a dash may mean"),
    ("£1,000*", "found '£1,000*' (a footnote marker"),
    ("£12.505", "at most 2 decimal places"),
    ("£1 000", "found '£1 000'"),
])
def test_read_money_refuses_and_shows_the_cell_as_written(text, fragment):
    with pytest.raises(ValueError) as err:
        values.read_money(text)
    assert fragment in str(err.value)


@pytest.mark.parametrize("text, pounds", [("-£500", -500.0), ("£-500", -500.0), ("- £500", -500.0)])
def test_read_money_reads_negative_amounts_so_that_the_rules_can_name_them(text, pounds):
    assert values.read_money(text) == pounds


@pytest.mark.parametrize("text, answer", [
    ("yes", True), ("Yes", True), ("YES", True), ("y", True), ("Y", True), ("true", True), ("TRUE", True),
    (" True ", True), ("no", False), ("No", False), ("N", False), ("n", False), ("false", False),
    ("FALSE", False), (True, True), (False, False),
    ("", None), ("n/a", None), ("not known", None), ("Not held", None),
])
def test_read_yes_no_accepts_the_usual_spellings_in_any_case(text, answer):
    assert values.read_yes_no(text) is answer


@pytest.mark.parametrize("text", ["1", "0", "partly", "yes*", "nil", "ye", "si"])
def test_read_yes_no_refuses_anything_else(text):
    with pytest.raises(ValueError, match="expected yes or no"):
        values.read_yes_no(text)


def test_nil_is_zero_but_not_known_is_missing():
    """The distinction the whole suite rests on: 'nil' is a figure, 'not known' is not."""
    assert values.read_count("nil") == 0 and values.read_count("not known") is None
    assert values.read_money("nil") == 0.0 and values.read_money("not held") is None
    assert values.is_not_given("N/A") and not values.is_not_given("nil")


# ---------------------------------------------------------------------------------------------
# FOI phrasings of "not given", out-of-range figures and units

@pytest.mark.parametrize("text", ["Information not held", "information not held.", "Info not held", "Data not held",
                                  "Not recorded", "not collected", "Not available", "Exempt", "Withheld",
                                  "Exempt under section 43", "s.12", "S12", "Section 21", "section 43(2)",
                                  "s.43 exemption applies", "Information is not held", "Not held by the PCT"])
@pytest.mark.parametrize("reader", [values.read_money, values.read_count, values.read_yes_no])
def test_foi_phrasings_of_not_held_or_exempt_are_not_given_never_zero(reader, text):
    assert reader(text) is None


@pytest.mark.parametrize("text", ["held elsewhere", "see section 5 of the letter", "partly held"])
def test_other_text_about_holding_or_sections_gets_a_hint(text):
    with pytest.raises(ValueError, match="write 'not held'"):
        values.read_count(text)


@pytest.mark.parametrize("text", ["9" * 400, "1" + "0" * 20, "£" + "9" * 400, "10,000,000,001"])
def test_an_amount_beyond_any_pct_budget_is_refused_as_out_of_range_not_infinity(text):
    with pytest.raises(ValueError, match="out of range"):
        values.read_money(text)


@pytest.mark.parametrize("text", [str(2**63), str(2**63 + 1), str(2**64), "9" * 400, "1,000,000,001"])
def test_a_count_too_large_for_any_pct_is_refused_with_a_message(text):
    with pytest.raises(ValueError, match="out of range"):
        values.read_count(text)


def test_the_largest_allowed_figures_are_read():
    assert values.read_count(f"{values.MAX_COUNT:,}") == values.MAX_COUNT
    assert values.read_money(f"£{values.MAX_GBP:,}") == values.MAX_GBP


@pytest.mark.parametrize("text, scale, pounds", [
    ("190", 1000, 190_000.0), ("61.25", 1000, 61_250.0), ("£1.5", 1_000_000, 1_500_000.0),
    ("0.0615", 1_000_000, 61_500.0), ("nil", 1000, 0.0), ("not known", 1000, None), ("61.2505", 1000, 61_250.5),
])
def test_money_in_thousands_or_millions_is_multiplied(text, scale, pounds):
    assert values.read_money(text, scale=scale) == pounds


def test_money_in_thousands_still_allows_only_pence():
    with pytest.raises(ValueError, match="at most 2 decimal places"):
        values.read_money("61.250505", scale=1000)
