"""The reduction of the 所得割 just above its 非課税限度額 (地方税法附則第3条の3第2項・第5項),
as properties the articles state, on many taxpayers near the limit: the combined 所得割 is
reduced only as far as needed so that 総所得金額等 − 所得割 does not fall below the limit, and
the reduced amount is shared between 市 and 県 in proportion to their own 所得割.  The worked
cases with their sources are in ``scenarios/income_levy_limit.yaml``."""

from __future__ import annotations

import random

import pytest

from municloud.modules.tax import calc
from tests.unit.tax.support import rules
from tests.unit.tax.test_differential import near_limit_case


def _levies_before_the_reduction(f: dict) -> tuple[int, int]:
    """The articles' 所得割の額: after 調整控除, before any reduction or rounding."""
    return (f["income_levy_municipal_gross"] - f["adjustment_credit_municipal"],
            f["income_levy_prefectural_gross"] - f["adjustment_credit_prefectural"])


@pytest.mark.parametrize(("year", "designated"), [(2025, False), (2026, True)])
def test_near_the_limit_the_levy_is_cut_only_as_far_as_the_excess_and_never_below_it(tax_platform, year, designated):
    r = rules(tax_platform, year, {"designated_city": designated})
    rng = random.Random(year)
    reduced = 0
    for _ in range(3000):
        f = calc.compute(near_limit_case(rng), r)
        if f["exemption"] is not None:
            continue
        levy_m, levy_p = _levies_before_the_reduction(f)
        over = f["total_income"] - f["income_levy_limit"]
        final = f["income_levy_municipal"] + f["income_levy_prefectural"]
        cut = f["income_levy_adjustment_municipal"] + f["income_levy_adjustment_prefectural"]
        if levy_m + levy_p > over:  # 総所得金額等 − 所得割 would fall below the limit: 第2項・第5項
            reduced += 1
            assert f["total_income"] - final >= f["income_levy_limit"]
            # the whole excess stays taxed, less only each tax's 100円未満切捨て (and a yen of the share)
            assert over - 200 < final <= over
            # the 減額 is 坂戸市's 調整額 = 限度額 − (総所得金額等 − 算出税額) = 所得割 − excess
            # (plus at most a yen: each of the two shares is taken to the yen below)
            assert levy_m + levy_p - over <= cut <= levy_m + levy_p - over + 1
        else:
            assert cut == 0
            assert final == levy_m // 100 * 100 + levy_p // 100 * 100
    assert reduced > 300


@pytest.mark.parametrize(
    ("levy_m", "levy_p", "over"),
    [(59_400, 39_600, 30_000), (29_400, 19_735, 30_000), (51_360, 12_840, 32_000), (600, 400, 1), (7, 3, 9)],
)
def test_the_excess_is_shared_in_proportion_to_each_taxs_own_levy(levy_m, levy_p, over):
    m, p = calc.above_limit_levies(levy_m, levy_p, over)
    total = levy_m + levy_p
    # each share is over × own / total, to the yen below (the articles set no other rounding)
    assert m * total <= over * levy_m < (m + 1) * total
    assert p * total <= over * levy_p < (p + 1) * total
    assert m <= levy_m and p <= levy_p and m + p <= over


def test_a_levy_within_the_excess_is_left_as_it_is():
    assert calc.above_limit_levies(59_400, 39_600, 99_000) == (59_400, 39_600)  # 総所得 − 所得割 = 限度額: not below
    assert calc.above_limit_levies(59_400, 39_600, 1_000_000) == (59_400, 39_600)
