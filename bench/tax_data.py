"""The tax benchmark's data (not timed): a tenant, N residents registered before the
賦課期日, and their 課税資料 with spouses and dependants (see ``bench/tax.py``)."""

from __future__ import annotations

import random
from datetime import date

from sqlalchemy import select

from bench.common import add_profile_tenant, timer
from bench.registry import TENANT, _ctx
from municloud.kernel.context import Context
from municloud.modules.registry.services.bulk import load_households

YEAR = 2026  # 令和8年度: 賦課期日 2026-01-01, income of 2025
REFERENCE_DATE = date(2025, 12, 1)  # the generator's "today": every birth and move before it
LOAD_DATE = date(2025, 12, 1)  # 異動日 of every loaded history row (before the 賦課期日)


# --- set-up --------------------------------------------------------------------------------


def _operator(platform) -> Context:
    return Context.system(None, platform.catalog.permissions_of({"operator"}), actor="bench")


def setup_tenant(platform) -> None:
    """広島市 as a tenant: 政令指定都市 with its wards, 1級地 (its demo profile's overrides)."""
    add_profile_tenant(platform, TENANT)


def load_residents(platform, n: int, seed: int) -> tuple[int, float, float]:
    """Generate and load *n* residents; returns (residents, generate s, load s)."""
    from municloud.demo import generate_households, profile_for

    with timer() as g:
        households = list(generate_households(profile_for(TENANT), n, seed, reference_date=REFERENCE_DATE))
    with timer() as t:
        report = load_households(platform.uow(TENANT), _ctx(platform, "registry_clerk"), households,
                                 ido_date=LOAD_DATE, batch_size=5000)
    return report.residents, g["seconds"], t["seconds"]


def _age(birth: date) -> int:
    return 2025 - birth.year  # at 31 December 2025 (the 1 January birthday rule does not matter here)


def _lognormal(rng: random.Random, median: float, sigma: float, low: int, high: int) -> int:
    return int(min(high, max(low, rng.lognormvariate(0.0, sigma) * median)))


def tax_inputs(households: list[list[tuple[str, str, date, str]]], seed: int, now) -> tuple[list[dict], list[dict]]:
    """課税資料 and relatives rows for the residents (households of (宛名番号, 続柄, 生年月日, 性別),
    head first): a believable mix, deterministic for *seed*."""
    rng = random.Random(f"bench-tax:{seed}")
    rand = rng.random
    inputs: list[dict] = []
    relatives: list[dict] = []
    zero = {"salary_income": 0, "pension_income": 0, "other_income": 0, "social_insurance": 0,
            "life_general_new": 0, "life_general_old": 0, "life_care_medical": 0, "life_pension_new": 0,
            "life_pension_old": 0, "earthquake": 0, "long_term_old": 0, "medical_expenses": 0,
            "disabled": False, "specially_disabled": False, "cohabiting_specially_disabled": False,
            "widow": False, "single_parent": False, "working_student": False, "livelihood_assistance": False,
            "employer_no": None, "employer_name": None}
    for members in households:
        head_atena = members[0][0]
        has_partner = any(z in ("妻", "夫") for _a, z, _b, _s in members)
        has_child = any(z == "子" for _a, z, _b, _s in members)
        rows: dict[str, dict] = {}
        for atena, zokugara, birth, sex in members:
            age = _age(birth)
            if age < 15:
                continue
            salary = pension = other = 0
            working_student = False
            if age <= 22 and zokugara == "子":
                if rand() < 0.35:
                    salary = rng.randrange(200_000, 1_500_000, 1_000)
                    working_student = rand() < 0.3
            elif age < 65:
                if zokugara == "妻" or (zokugara == "世帯主" and sex == "2" and has_partner):
                    if rand() < 0.6:
                        salary = (rng.randrange(500_000, 1_300_000, 1_000) if rand() < 0.5
                                  else _lognormal(rng, 3_000_000, 0.5, 1_000_000, 12_000_000))
                elif rand() < 0.9:
                    salary = _lognormal(rng, 4_600_000, 0.55, 800_000, 40_000_000)
                if rand() < 0.07:
                    other = _lognormal(rng, 1_800_000, 0.9, 50_000, 50_000_000)
            else:
                if rand() < 0.9:
                    pension = _lognormal(rng, 1_900_000, 0.45, 300_000, 6_000_000)
                if rand() < 0.2:
                    salary = _lognormal(rng, 1_200_000, 0.6, 200_000, 8_000_000)
                if rand() < 0.05:
                    other = _lognormal(rng, 1_000_000, 0.9, 50_000, 20_000_000)
            if not (salary or pension or other):
                continue  # no income: no 課税資料 (a taxpayer computed with none)
            row = {**zero, "tenant_code": TENANT, "year": YEAR, "atena_no": atena, "salary_income": salary,
                   "pension_income": pension, "other_income": other, "updated_by": "bench", "updated_at": now,
                   "working_student": working_student}
            row["social_insurance"] = int(salary * rng.uniform(0.13, 0.16) + pension * rng.uniform(0.05, 0.1))
            if salary >= 1_000_000 and rand() < 0.9:  # 特別徴収
                employer = rng.randrange(1, 20_001)
                row["employer_no"], row["employer_name"] = f"E{employer:07d}", f"ベンチ商事{employer}号株式会社"
            if rand() < 0.55:
                row["life_general_new"] = rng.randrange(12_000, 150_000, 100)
            if rand() < 0.2:
                row["life_general_old"] = rng.randrange(12_000, 150_000, 100)
            if rand() < 0.3:
                row["life_care_medical"] = rng.randrange(12_000, 100_000, 100)
            if rand() < 0.15:
                row["life_pension_new"] = rng.randrange(12_000, 120_000, 100)
            if rand() < 0.05:
                row["life_pension_old"] = rng.randrange(12_000, 120_000, 100)
            if rand() < 0.3:
                row["earthquake"] = rng.randrange(5_000, 60_000, 10)
            if rand() < 0.03:
                row["long_term_old"] = rng.randrange(3_000, 20_000, 10)
            if rand() < 0.08:
                row["medical_expenses"] = rng.randrange(100_000, 900_000, 100)
            r = rand()
            if r < 0.01:
                row["specially_disabled"] = True
                row["cohabiting_specially_disabled"] = rand() < 0.3
            elif r < 0.045:
                row["disabled"] = True
            if zokugara == "世帯主" and not has_partner:
                if has_child and rand() < 0.75:
                    row["single_parent"] = True
                elif sex == "2" and age >= 50 and rand() < 0.15:
                    row["widow"] = True
            if rand() < 0.012:
                row["livelihood_assistance"] = True
            rows[atena] = row
        inputs.extend(rows.values())
        head = rows.get(members[0][0])
        if head is None or head["salary_income"] + head["pension_income"] + head["other_income"] < 1_500_000:
            continue
        declared: list[tuple] = []  # (relation, 宛名番号, cohabiting, lineal, name, birth, income)
        for atena, zokugara, birth, _sex in members[1:]:
            own = rows.get(atena)
            earned = 0 if own is None else own["salary_income"] + own["pension_income"] + own["other_income"]
            if zokugara in ("妻", "夫") and earned <= 2_100_000:
                declared.append(("spouse", atena, True, False, None, None, None))
            elif zokugara == "子" and _age(birth) < 23 and earned <= 1_500_000:
                declared.append(("dependant", atena, True, False, None, None, None))
            elif zokugara in ("父", "母") and earned <= 2_200_000:
                declared.append(("dependant", atena, True, True, None, None, None))
        if rand() < 0.04:  # a parent living elsewhere
            declared.append(("dependant", None, False, True, "別居　親", date(rng.randrange(1936, 1958), 5, 1),
                             rng.choice([0, 0, 300_000, 450_000, 600_000])))
        if rand() < 0.01:  # a student living elsewhere
            declared.append(("dependant", None, False, False, "別居　子", date(rng.randrange(2003, 2008), 7, 1),
                             rng.choice([0, 0, 400_000])))
        for seq, (relation, atena, cohabiting, lineal, name, birth, income) in enumerate(declared, start=1):
            relatives.append({"tenant_code": TENANT, "year": YEAR, "atena_no": head_atena, "seq": seq,
                              "relation": relation, "relative_atena_no": atena, "name": name, "birth_date": birth,
                              "income": income, "cohabiting": cohabiting, "lineal_ascendant": lineal})
    return inputs, relatives


def load_tax_inputs(platform, seed: int) -> tuple[int, int, float]:
    """Write the 課税資料 of the tenant's residents; returns (inputs, relatives, seconds)."""
    from municloud.kernel.clock import utcnow
    from municloud.modules.registry.orm import ResidentRecord
    from municloud.modules.tax.orm import TaxInput, TaxRelative

    h = ResidentRecord
    with platform.session_factory() as s:
        rows = s.execute(select(h.atena_no, h.setai_no, h.zokugara, h.birth_date, h.sex)
                         .where(h.tenant_code == TENANT, h.rireki_no == 1).order_by(h.setai_no, h.atena_no)).all()
        latest_ido = s.scalar(select(h.ido_date).where(h.tenant_code == TENANT).order_by(h.ido_date.desc()).limit(1))
    assert latest_ido is not None and latest_ido < date(YEAR, 1, 1), f"history 異動日 {latest_ido} not before the 賦課期日"
    households: list[list[tuple[str, str, date, str]]] = []
    last = None
    for atena, setai, zokugara, birth, sex in rows:
        if setai != last:
            households.append([])
            last = setai
        households[-1].append((atena, zokugara, birth, sex))
    for members in households:  # head first (the load gives the head the lowest 宛名番号 anyway)
        members.sort(key=lambda m: m[1] != "世帯主")
    del rows
    inputs, relatives = tax_inputs(households, seed, utcnow())
    with timer() as t, platform.uow(TENANT) as uow:
        for table, batch in ((TaxInput.__table__, inputs), (TaxRelative.__table__, relatives)):
            for i in range(0, len(batch), 10_000):
                uow.session.execute(table.insert(), batch[i:i + 10_000])
        uow.commit()
    return len(inputs), len(relatives), t["seconds"]


# --- measured jobs (each in a fresh process) ---------------------------------------------------
