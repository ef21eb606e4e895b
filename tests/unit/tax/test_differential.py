"""The numpy batch calculator against the plain per-person one on 100,000 random taxpayers:
every figure identical to the yen, for both 年度, both rate splits and every 級地 (a tenth of
them near the 所得割の非課税限度額, where 附則第3条の3 reduces the 所得割)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from municloud.modules.tax import calc, vector
from tests.unit.tax.support import rules

#: Values near the law's edges (table rows, caps, limits), so random cases hit them often.
EDGES = [0, 1, 550_000, 551_000, 650_000, 651_000, 1_618_999, 1_619_000, 1_627_999, 1_628_000, 1_800_000,
         1_900_000, 3_600_000, 6_599_999, 6_600_000, 8_500_000, 8_500_001, 10_000_000, 20_000_001, 25_000_001]
INCOME_EDGES = [0, 480_000, 480_001, 499_999, 500_000, 580_000, 580_001, 950_000, 1_000_000, 1_230_000,
                1_330_000, 1_330_001, 1_350_000]


def _amount(rng: random.Random, top: int, edges=EDGES) -> int:
    roll = rng.random()
    if roll < 0.15:
        return 0
    if roll < 0.35:
        return rng.choice(edges) + rng.choice([-1, 0, 0, 1]) if rng.random() < 0.5 else rng.choice(edges)
    return int(rng.expovariate(1 / top))


def random_case(rng: random.Random) -> calc.Case:
    flags = frozenset(f for f in calc.FLAGS if rng.random() < 0.04)
    spouse = None
    if rng.random() < 0.4:
        spouse = calc.Relative(max(0, _amount(rng, 600_000, INCOME_EDGES)), rng.randint(18, 95))
    dependants = tuple(
        calc.Relative(max(0, _amount(rng, 300_000, INCOME_EDGES)), rng.randint(0, 95), rng.random() < 0.5,
                      rng.random() < 0.3)
        for _ in range(rng.choice([0, 0, 0, 1, 2, 3, 5]))
    )
    return calc.Case(
        age=rng.randint(15, 100),
        salary_income=max(0, _amount(rng, 4_000_000)),
        pension_income=max(0, _amount(rng, 1_500_000)) if rng.random() < 0.35 else 0,
        other_income=max(0, _amount(rng, 800_000)) if rng.random() < 0.2 else 0,
        social_insurance=max(0, _amount(rng, 500_000)) if rng.random() < 0.8 else 0,
        spouse=spouse,
        dependants=dependants,
        flags=flags,
        life_insurance={k: rng.choice([0, 0, rng.randint(0, 120_000)]) for k in calc.LIFE_KINDS},
        earthquake_insurance={k: rng.choice([0, rng.randint(0, 60_000)]) for k in calc.QUAKE_KINDS},
        medical_expenses=rng.choice([0, 0, rng.randint(0, 3_000_000)]),
    )


def near_limit_case(rng: random.Random) -> calc.Case:
    """A taxpayer whose 総所得金額等 is near the 所得割の非課税限度額 (附則第3条の3): relatives
    without income (all counted), other income = the limit − 2,000 … + 60,000, so that the
    reduction of 第2項・第5項 applies to many of them."""
    spouse = calc.Relative(0, rng.randint(20, 80)) if rng.random() < 0.6 else None
    dependants = tuple(calc.Relative(0, rng.randint(0, 25), True, False) for _ in range(rng.choice([0, 1, 2, 3, 4])))
    n = 1 + (spouse is not None) + len(dependants)
    limit = 350_000 * n + 100_000 + (320_000 if n > 1 else 0)
    return calc.Case(age=rng.randint(20, 64), other_income=limit + rng.randint(-2_000, 60_000),
                     social_insurance=rng.choice([0, rng.randint(0, 400_000)]), spouse=spouse, dependants=dependants)


@pytest.mark.parametrize(
    ("year", "grade", "designated", "seed", "size"),
    [(2025, 1, False, 1, 40_000), (2026, 2, True, 2, 40_000), (2026, 3, False, 3, 20_000)],
)
def test_batch_equals_plain_to_the_yen(tax_platform, year, grade, designated, seed, size):
    rng = random.Random(seed)
    cases = [near_limit_case(rng) if rng.random() < 0.1 else random_case(rng) for _ in range(size)]
    r = rules(tax_platform, year, {"grade": grade, "designated_city": designated},
              {"tax.resident.instalment_unit": 100 if seed % 2 else 1000})
    out = vector.compute(vector.Batch.from_cases(cases), r)
    assert all(v.dtype.kind in "ib" for v in out.values()), "no float anywhere"
    mismatches = []
    for i, case in enumerate(cases):
        plain = calc.compute(case, r)
        for key, value in plain.items():
            if key == "exemption":
                got = vector.EXEMPTION_CODES.get(int(out[key][i]))
            elif key == "ordinary_instalments":
                got = [int(out["ordinary_first"][i])] + [int(out["ordinary_each"][i])] * 3
            elif key == "special_instalments":
                got = [int(out["special_first"][i])] + [int(out["special_each"][i])] * 11
            else:
                got = int(out[key][i])
            if got != value:
                mismatches.append((i, key, value, got))
    assert mismatches[:5] == []
    # the random cases reach the interesting branches (else the comparison proves little)
    assert np.count_nonzero(out["spouse_special_deduction"]) > 100
    assert np.count_nonzero(out["adjustment_credit_municipal"]) > 1000
    assert len(set(out["exemption"].tolist())) == 5
    assert np.count_nonzero(out["income_levy_adjustment_municipal"]) > size // 40  # 附則第3条の3の減額
    if year == 2026:
        assert np.count_nonzero(out["specified_relative_deduction"]) > 10


def test_the_batch_engine_never_uses_floats_for_large_incomes(tax_platform):
    big = calc.Case(age=50, salary_income=9_007_199_254_740_993 // 1000, other_income=3_000_000_001)
    r = rules(tax_platform, 2026)
    plain = calc.compute(big, r)
    out = vector.compute(vector.Batch.from_cases([big]), r)
    assert int(out["total"][0]) == plain["total"] > 0
