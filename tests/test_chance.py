"""The chance arithmetic (scr_lib.findings.arithmetic.chance) against values worked out another way.

Wilson intervals: Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics in
Medicine 17:857-872, Table II (method 3, score interval without continuity correction), published to 4 places;
and, for any counts, the interval found by bisection as the set of shares p for which |k/n - p| <= z sqrt(p(1-p)/n)
(the definition, not the closed form the module uses). Funnel limits: p0 +/- z sqrt(p0 (1 - p0) / n) worked by hand
with z from the normal table (1.960 for 95%, 3.090 for 99.8%).
"""

import math

import pytest

from scr_lib.findings.arithmetic import chance


@pytest.mark.parametrize("k, n, low, high", [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_matches_newcombe_table(k, n, low, high):
    got = chance.wilson(k, n)
    assert got == pytest.approx((low, high), abs=5e-5)


def _score_bound(k, n, z, upper):
    """The end of {p : |k/n - p| <= z sqrt(p(1-p)/n)} found by bisection."""
    observed = k / n
    inside = lambda p: abs(observed - p) <= z * math.sqrt(p * (1 - p) / n)  # noqa: E731
    lo, hi = (observed, 1.0) if upper else (0.0, observed)
    if upper and inside(1.0):
        return 1.0
    if not upper and inside(0.0):
        return 0.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if inside(mid) == upper:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


@pytest.mark.parametrize("k, n", [(0, 1), (1, 1), (3, 11), (8, 11), (12, 60), (24, 55), (50, 50), (1, 400)])
@pytest.mark.parametrize("level, z", [(0.95, 1.959963984540054), (0.998, 3.090232306167813)])
def test_wilson_is_the_score_interval(k, n, level, z):
    low, high = chance.wilson(k, n, level)
    assert low == pytest.approx(_score_bound(k, n, z, upper=False), abs=1e-9)
    assert high == pytest.approx(_score_bound(k, n, z, upper=True), abs=1e-9)
    assert low <= k / n <= high


def test_wilson_without_practices_is_none_and_bad_counts_fail():
    assert chance.wilson(0, 0) is None
    assert chance.wilson(None, 10) is None
    assert chance.wilson(float("nan"), 10) is None
    with pytest.raises(ValueError, match="between 0 and invited"):
        chance.wilson(11, 10)


@pytest.mark.parametrize("p0, n, level, low, high", [
    (0.5, 100, 0.95, 0.5 - 1.960 * 0.05, 0.5 + 1.960 * 0.05),
    (0.5, 100, 0.998, 0.5 - 3.090 * 0.05, 0.5 + 3.090 * 0.05),
    (0.2, 64, 0.95, 0.2 - 1.960 * 0.05, 0.2 + 1.960 * 0.05),
    (0.2, 4, 0.998, 0.0, 0.2 + 3.090 * 0.2),  # cut at 0
])
def test_funnel_limits_by_hand(p0, n, level, low, high):
    assert chance.funnel_limits(p0, n, level) == pytest.approx((low, high), abs=5e-4)


def test_funnel_limits_missing():
    assert chance.funnel_limits(0.2, 0, 0.95) is None
    assert chance.funnel_limits(None, 10, 0.95) is None
    with pytest.raises(ValueError):
        chance.funnel_limits(1.5, 10, 0.95)


def test_verdict_each_way():
    # n = 100, national 20%: 95% limits 12.16%-27.84%; 99.8% limits 7.64%-32.36% (by hand, z 1.960 and 3.090)
    assert chance.verdict(20, 100, 0.2) == chance.WITHIN
    assert chance.verdict(30, 100, 0.2) == chance.ABOVE
    assert chance.verdict(40, 100, 0.2) == chance.FAR_ABOVE
    assert chance.verdict(10, 100, 0.2) == chance.BELOW
    assert chance.verdict(5, 100, 0.2) == chance.FAR_BELOW
    assert chance.verdict(0, 0, 0.2) is None
    assert chance.verdict(3, 10, None) is None


def test_small_numbers():
    assert chance.small_numbers(19) and not chance.small_numbers(20)
    assert not chance.small_numbers(0) and not chance.small_numbers(None)


def test_funnel_curve_covers_the_largest_area():
    curve = chance.funnel_curve(0.2, 137)
    assert curve[0]["invited"] == 1 and curve[-1]["invited"] == 137
    for row in curve:
        assert row["lower_998"] <= row["lower_95"] <= 0.2 <= row["upper_95"] <= row["upper_998"]
    assert chance.funnel_curve(None, 10) == []


def test_the_drawn_funnel_is_a_few_dozen_sizes_and_smooth_to_a_pixel_between_them():
    """The drawn limits are sampled (only the drawing: an area's own limits come from funnel_limits); a line
    through the samples is within 1/240 of a share (a pixel on the funnel's 240 px chart) of the exact limit at
    every size."""
    share, largest = 0.2, 137
    curve = chance.funnel_curve(share, largest)
    sizes = [row["invited"] for row in curve]
    assert len(sizes) <= 30 and sizes == sorted(set(sizes))
    for before, after in zip(curve, curve[1:]):
        for n in range(before["invited"] + 1, after["invited"]):
            at = (n - before["invited"]) / (after["invited"] - before["invited"])
            for key, level in (("upper_95", 0.95), ("upper_998", 0.998), ("lower_95", 0.95), ("lower_998", 0.998)):
                drawn = before[key] + at * (after[key] - before[key])
                exact = chance.funnel_limits(share, n, level)[key.startswith("upper")]
                assert abs(drawn - exact) <= 1 / 240, (key, n, drawn, exact)
