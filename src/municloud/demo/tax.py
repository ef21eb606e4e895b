"""Synthetic 課税資料 for the demo (and the tax benchmark): a plausible city, deterministic.

For everyone registered on the 賦課期日: working-age people mostly have a salary (most
through an employer who withholds), people of 65 and over a public pension, some have other
income; social insurance follows the income; some pay life or earthquake insurance or have
medical costs.  The 世帯主 declares the household's 妻/夫 as spouse and 子・父・母 as
dependants (by 宛名番号; their incomes come from their own 課税資料).  All amounts are yen.
"""

from __future__ import annotations

import random
from collections import defaultdict

from municloud.modules.tax.domain import DEPENDANT, SPOUSE
from municloud.modules.tax.inputs import AMOUNT_COLUMNS, FLAG_COLUMNS, PersonInput, RelativeIn
from municloud.modules.tax.services.assessment import age_on_31_december

SPOUSES = {"妻", "夫"}
DEPENDANTS = {"子", "父", "母", "祖父", "祖母", "孫"}
EMPLOYERS = [f"T{n:07d}" for n in range(1, 201)]


def inputs_for(taxpayers, year: int, seed: int) -> list[PersonInput]:
    """課税資料 for *taxpayers* (``registry.api.residents_on`` records) of *year* (年度)."""
    rng = random.Random(f"tax-{seed}-{year}")
    income_year = year - 1
    persons = []
    by_household: dict[str, list] = defaultdict(list)
    for t in taxpayers:
        by_household[t.setai_no].append(t)
        age = age_on_31_december(t.birth_date, income_year)
        amounts = dict.fromkeys((c for c, _ in AMOUNT_COLUMNS), 0)
        employer = None
        if 18 <= age < 70 and rng.random() < (0.82 if age < 60 else 0.45):
            salary = int(rng.lognormvariate(15.05, 0.6)) // 1000 * 1000  # median about 3.4 million
            amounts["salary_income"] = min(salary, 30_000_000)
            if rng.random() < 0.85:
                employer = rng.choice(EMPLOYERS)
        if age >= 63 and rng.random() < 0.9:
            amounts["pension_income"] = int(rng.uniform(600_000, 3_200_000)) // 100 * 100
        if age >= 20 and rng.random() < 0.08:
            amounts["other_income"] = int(rng.lognormvariate(13.8, 1.0)) // 1000 * 1000
        amounts["social_insurance"] = (amounts["salary_income"] * 145 + amounts["pension_income"] * 50) // 1000
        if amounts["salary_income"] and rng.random() < 0.4:
            amounts["life_general_new"] = rng.choice([24_000, 48_000, 96_000])
            if rng.random() < 0.3:
                amounts["life_care_medical"] = rng.choice([18_000, 36_000])
        if rng.random() < 0.15:
            amounts["earthquake"] = rng.choice([12_000, 30_000, 60_000])
        if age >= 50 and rng.random() < 0.05:
            amounts["medical_expenses"] = int(rng.uniform(80_000, 600_000))
        flags = dict.fromkeys((c for c, _ in FLAG_COLUMNS), False)
        roll = rng.random()
        if roll < 0.03:
            flags["disabled"] = True
        elif roll < 0.035:
            flags["specially_disabled"] = True
        elif roll < 0.045 and age >= 30:
            flags["single_parent"] = True
        elif roll < 0.06 and age >= 60:
            flags["widow"] = True
        elif roll < 0.07:
            flags["livelihood_assistance"] = True
        persons.append(PersonInput(t.atena_no, amounts, employer_no=employer,
                                   employer_name=f"架空産業{employer}" if employer else None, flags=flags))
    heads = {t.setai_no: t for t in taxpayers if t.zokugara == "世帯主"}
    by_atena = {p.atena_no: p for p in persons}
    for setai_no, members in by_household.items():
        head = heads.get(setai_no)
        if head is None:
            continue
        declare = by_atena[head.atena_no].relatives
        for m in members:
            if m.atena_no == head.atena_no:
                continue
            if m.zokugara in SPOUSES and not any(r.relation == SPOUSE for r in declare):
                declare.append(RelativeIn(SPOUSE, relative_atena_no=m.atena_no, cohabiting=True))
            elif m.zokugara in DEPENDANTS:
                declare.append(RelativeIn(DEPENDANT, relative_atena_no=m.atena_no, cohabiting=True,
                                          lineal_ascendant=m.zokugara in {"父", "母", "祖父", "祖母"}))
    return persons
