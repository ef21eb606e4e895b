"""The assessment (賦課): every taxpayer of a 年度 at once, and 更正 (re-assessment).

One run is one transaction: the run row, every new result and the audit entry are
committed together at the end, so an interrupted run (Ctrl-C, a crash, a refused check)
leaves nothing — never a half-published year.  Results are append-only: a later run adds
a new ``revision`` only for persons whose figures changed (or who are no longer taxpayers:
a ``withdrawn`` result with zero tax), each with the run's reason.

Who is a taxpayer: every person registered in the tenant on the 賦課期日 (1 January of the
年度), read from the registry's history (:func:`registry.api.residents_on`).  A taxpayer
without 課税資料 is computed with no income (so 非課税).  Ages are taken at 31 December of
the income year.  A spouse or dependant named by 宛名番号 gets the age from the registry
and the 合計所得金額 from their own 課税資料 of the year (none: 0).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import func, select

from municloud.errors import ConflictError, NotFoundError, ValidationError
from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.sequences import next_value
from municloud.modules.registry.api import persons_for_document, residents_on
from municloud.modules.tax import vector
from municloud.modules.tax.case import FLAGS, LIFE_KINDS
from municloud.modules.tax.catalog import A_ASSESS, A_REASSESS, P_ASSESS
from municloud.modules.tax.domain import (
    ASSESSED,
    ASSESSMENT,
    DEPENDANT,
    INITIAL_REASON,
    ORDINARY,
    REASSESSMENT,
    SPECIAL,
    SPOUSE,
    WITHDRAWN,
)
from municloud.modules.tax.figures import STORED_FIGURES
from municloud.modules.tax.orm import TaxInput, TaxRelative, TaxResult, TaxRun
from municloud.modules.tax.rules import Rules, rules_for

Progress = Callable[[str, int, int], None]  # (stage, done, total)

INPUT_COLUMNS = ("salary_income", "pension_income", "other_income", "social_insurance", "medical_expenses",
                 *(f"life_{k}" for k in LIFE_KINDS), "earthquake", "long_term_old")
INPUT_FLAGS = tuple(f for f in FLAGS if f != "single_parent_father")
CHUNK = 20_000


@dataclass(frozen=True)
class RunSummary:
    run_no: int
    year: int
    kind: str  # assessment / reassessment
    taxpayers: int  # persons computed
    written: int  # results appended (new or changed)
    withdrawn: int  # persons no longer taxpayers
    taxed: int  # persons with tax > 0
    total_tax: int  # sum of the year's tax over the persons computed (yen)
    inputs_without_taxpayer: int  # 課税資料 of persons not registered on the 賦課期日


def already_assessed(year: int) -> ValidationError:
    return ValidationError(
        "TAX_ALREADY_ASSESSED",
        f"{year} 年度の当初賦課は済んでいます。課税資料を直した人は、結果の画面から更正してください",
        fields={"year": "当初賦課は済んでいます"})


def age_on_31_december(birth: date, income_year: int) -> int:
    """Age at 31 December of *income_year* (年齢計算ニ関スル法律: one is a year older on the
    day before the birthday, so a person born on 1 January counts a year more)."""
    age = income_year - birth.year
    if (birth.month, birth.day) == (1, 1):
        age += 1
    return age


def assess(uow: UnitOfWork, ctx: Context, year: int, *, reason: str | None = None,
           atena_nos: list[str] | None = None, progress: Progress | None = None,
           initial: bool = False, expected_run_no: int | None = None) -> RunSummary:
    """Assess *year* (年度) for the tenant: all taxpayers, or only *atena_nos* (更正 of a few).

    The first run of a year is the 当初賦課; any later run is a 更正 and needs *reason*.
    ``initial``: the caller means the 当初賦課 (一括賦課の実行) — refused with
    ``TAX_ALREADY_ASSESSED`` once a run of the year exists.  Runs of a tenant are
    serialised: the run number (a row-locked counter) is taken before the earlier runs are
    counted, so a second run started meanwhile waits for the first and then sees it.
    ``expected_run_no``: the run number the confirmation (a dry run) showed — any other
    (the same confirmation posted twice, another run in between) is refused with
    ``TAX_RUN_CHANGED`` (409).
    """
    progress = progress or (lambda stage, done, total: None)
    atena_nos = list(dict.fromkeys(a.strip() for a in atena_nos if a.strip())) if atena_nos else None
    with uow:
        subjects = [f"tax_year:{year}"] + [f"resident:{a}" for a in (atena_nos or [])]
        uow.require(ctx, P_ASSESS, A_REASSESS if atena_nos else A_ASSESS, subjects=subjects)
        rules = rules_for(uow.platform, year, uow=uow)
        session = uow.session
        run_no = next_value(uow, "tax.run_no")  # locks the tenant's runs until this one commits
        if expected_run_no is not None and run_no != expected_run_no:
            raise ConflictError("TAX_RUN_CHANGED", "確認の後に別の賦課が登録されています（同じ更正を二度登録しないよう止めました）。"
                                                   "結果の画面で確かめてから、必要ならもう一度更正してください")
        earlier = session.scalar(select(func.count()).select_from(TaxRun).where(TaxRun.year == year))
        if initial and earlier:
            raise already_assessed(year)
        kind = REASSESSMENT if earlier or atena_nos else ASSESSMENT
        reason = (reason or "").strip()
        if kind == REASSESSMENT and not reason:
            raise ValidationError("TAX_REASON_REQUIRED", "更正の理由を入力してください（当初賦課は済んでいます）",
                                  fields={"reason": "理由を入力してください"})
        if kind == REASSESSMENT and not earlier:
            raise ValidationError("TAX_NOT_ASSESSED", f"{year} 年度の当初賦課がまだです。先に一括賦課をしてください")
        if atena_nos:
            # a person's income changes the deductions of whoever declared them: 更正 those too
            claimants = session.scalars(select(TaxRelative.atena_no).where(
                TaxRelative.year == year, TaxRelative.relative_atena_no.in_(atena_nos))).all()
            atena_nos = list(dict.fromkeys([*atena_nos, *claimants]))
        started = utcnow()
        progress("住民の抽出", 0, 1)
        taxpayers = residents_on(uow, rules.assessment_date, atena_nos)
        if atena_nos:
            missing = set(atena_nos) - {t.atena_no for t in taxpayers}
            previously = set(_latest(uow, year, list(missing)))
            unknown = missing - previously
            if unknown:
                raise NotFoundError("TAX_NOT_A_TAXPAYER",
                                    f"{sorted(unknown)[0]} は {rules.assessment_date:%Y年%-m月%-d日}（賦課期日）に住民ではありません")
        progress("住民の抽出", 1, 1)
        figures, collections = compute_for(uow, rules, taxpayers, progress)
        latest = _latest(uow, year, atena_nos)
        total = figures["total"]
        run = TaxRun(
            tenant_code=uow.tenant_code, run_no=run_no, year=year, kind=kind, reason=reason or None,
            started_at=started, finished_at=started, actor=ctx.actor, taxpayers=len(taxpayers),
            results=0, parameters=rules.trace_parameters(),
        )
        session.add(run)
        session.flush()
        uow.prepare_bulk_load()
        # rows are built and written a chunk at a time: memory stays flat for a big city
        counts = {"written": 0, "withdrawn": 0}
        for chunk in _result_chunks(uow, year, run_no, reason or INITIAL_REASON, taxpayers, figures, collections,
                                    latest, started, counts):
            session.execute(TaxResult.__table__.insert(), chunk)
            progress("結果の書込み", counts["seen"], len(taxpayers))
        written, withdrawn = counts["written"], counts["withdrawn"]
        run.results = written
        run.finished_at = utcnow()
        inputs_total = session.scalar(select(func.count()).select_from(TaxInput).where(TaxInput.year == year))
        with_input = int(figures["_has_input"].sum()) if len(taxpayers) else 0
        summary = RunSummary(
            run_no, year, kind, len(taxpayers), written, withdrawn, int(np.count_nonzero(total)),
            int(total.sum()), (inputs_total or 0) - with_input if atena_nos is None else 0,
        )
        uow.audit.record(ctx, A_REASSESS if atena_nos else A_ASSESS, subjects=subjects, detail={
            "year": year, "run_no": run_no, "kind": kind, "taxpayers": len(taxpayers),
            "written": written, "withdrawn": withdrawn,
        })
        uow.commit()
        return summary


def compute_for(uow: UnitOfWork, rules: Rules, taxpayers, progress: Progress) -> tuple[dict, np.ndarray]:
    """Figures (arrays) of *taxpayers* from their 課税資料, and whether each is 特別徴収."""
    session = uow.session
    year = rules.year
    n = len(taxpayers)
    index = {t.atena_no: i for i, t in enumerate(taxpayers)}
    amounts = {k: np.zeros(n, np.int64) for k in vector.AMOUNTS}
    flags = {k: np.zeros(n, bool) for k in FLAGS}
    has_input = np.zeros(n, bool)
    employer = np.zeros(n, bool)
    employer_no: list[str | None] = [None] * n
    income_year = rules.income_year
    amounts["age"] = np.fromiter((age_on_31_december(t.birth_date, income_year) for t in taxpayers), np.int64, n)
    flags["single_parent_father"] = np.fromiter((t.sex == "1" for t in taxpayers), bool, n)
    names = {"earthquake": "quake_earthquake", "long_term_old": "quake_long_term_old"}
    columns = [getattr(TaxInput, c) for c in (*INPUT_COLUMNS, *INPUT_FLAGS, "employer_no")]
    query = select(TaxInput.atena_no, *columns).where(TaxInput.year == year)
    if n and n < 1000:
        query = query.where(TaxInput.atena_no.in_(list(index)))
    progress("課税資料の読込み", 0, n)
    raw: dict[str, np.ndarray] = {}
    rows = session.execute(query).all()
    positions = np.fromiter((index.get(r[0], -1) for r in rows), np.int64, len(rows))
    keep = positions >= 0
    pos = positions[keep]
    kept = [r for r, k in zip(rows, keep, strict=True) if k]
    for j, c in enumerate(INPUT_COLUMNS, start=1):
        raw[c] = np.fromiter((r[j] for r in kept), np.int64, len(kept))
        amounts[names.get(c, c)][pos] = raw[c]
    for j, f in enumerate(INPUT_FLAGS, start=1 + len(INPUT_COLUMNS)):
        flags[f][pos] = np.fromiter((bool(r[j]) for r in kept), bool, len(kept))
    for p, r in zip(pos.tolist(), kept, strict=True):
        employer_no[p] = r[-1]
    has_input[pos] = True
    employer[pos] = np.fromiter((bool(r[-1]) for r in kept), bool, len(kept))
    flags["single_parent_father"] &= flags["single_parent"]
    progress("課税資料の読込み", n, n)

    relatives = session.execute(
        select(TaxRelative.atena_no, TaxRelative.relation, TaxRelative.relative_atena_no, TaxRelative.birth_date,
               TaxRelative.income, TaxRelative.cohabiting, TaxRelative.lineal_ascendant)
        .where(TaxRelative.year == year)
    ).all()
    relatives = [r for r in relatives if r[0] in index]
    # in-tenant relatives: age from the registry, income from their own 課税資料
    in_tenant = {r[2] for r in relatives if r[2]}
    births = {t.atena_no: t.birth_date for t in taxpayers if t.atena_no in in_tenant}
    others = [a for a in in_tenant if a not in births]
    if others:
        births.update({a: p.birth_date for a, p in persons_for_document(uow, others).items()})
    incomes: dict[str, int] = {}
    if in_tenant:
        first = vector.compute(vector.Batch(n, amounts, flags, np.zeros(n, bool), np.zeros(n, np.int64),
                                            np.zeros(n, np.int64)), rules)
        incomes = {a: int(first["total_income"][index[a]]) for a in in_tenant if a in index}
        outside = [a for a in in_tenant if a not in index]  # not taxpayers here: their 課税資料 if any
        if outside:
            incomes.update(_incomes_of(uow, rules, outside, births))
    spouse = np.zeros(n, bool)
    s_income = np.zeros(n, np.int64)
    s_age = np.zeros(n, np.int64)
    owner, d_income, d_age, d_coh, d_lin = [], [], [], [], []
    for atena_no, relation, rel_atena, birth, income, cohabiting, lineal in relatives:
        i = index[atena_no]
        if rel_atena:
            birth = births[rel_atena]
            income = incomes.get(rel_atena, 0)
        age = age_on_31_december(birth, income_year)
        if relation == SPOUSE:
            spouse[i], s_income[i], s_age[i] = True, income or 0, age
        elif relation == DEPENDANT:
            owner.append(i)
            d_income.append(income or 0)
            d_age.append(age)
            d_coh.append(bool(cohabiting))
            d_lin.append(bool(lineal))
    batch = vector.Batch(n, amounts, flags, spouse, s_income, s_age, np.array(owner, np.int64),
                         np.array(d_income, np.int64), np.array(d_age, np.int64), np.array(d_coh, bool),
                         np.array(d_lin, bool))
    progress("税額の計算", 0, n)
    out = vector.compute(batch, rules)
    progress("税額の計算", n, n)
    special = employer & (out["total"] > 0) & (amounts["salary_income"] > 0)
    out["_has_input"] = has_input
    out["_employer_no"] = np.array(employer_no, dtype=object)
    return out, special


def _incomes_of(uow: UnitOfWork, rules: Rules, atena_nos: list[str], births: dict[str, date]) -> dict[str, int]:
    """合計所得金額 of relatives who are not taxpayers here, from their 課税資料 (none: 0)."""
    from municloud.modules.tax.calc import compute
    from municloud.modules.tax.case import Case

    rows = uow.session.execute(
        select(TaxInput).where(TaxInput.year == rules.year, TaxInput.atena_no.in_(atena_nos))
    ).scalars().all()
    out = {}
    for row in rows:
        case = Case(age=age_on_31_december(births[row.atena_no], rules.income_year),
                    salary_income=row.salary_income, pension_income=row.pension_income,
                    other_income=row.other_income)
        out[row.atena_no] = compute(case, rules)["total_income"]
    return out


def _latest(uow: UnitOfWork, year: int, atena_nos: list[str] | None) -> dict[str, tuple[int, str]]:
    """Each person's latest revision of *year*: (revision, canonical JSON of what it decided)."""
    r = TaxResult
    last = select(r.atena_no, func.max(r.revision).label("revision")).where(r.year == year).group_by(r.atena_no)
    if atena_nos is not None:
        last = last.where(r.atena_no.in_(atena_nos))
    last = last.subquery()
    rows = uow.session.execute(
        select(r.atena_no, r.revision, r.status, r.collection, r.employer_no, r.figures)
        .join(last, (r.atena_no == last.c.atena_no) & (r.revision == last.c.revision))
        .where(r.year == year)
    ).all()
    return {a: (rev, _decision(status, coll, emp, figs)) for a, rev, status, coll, emp, figs in rows}


def _decision(status: str, collection: str, employer_no: str | None, figures: dict) -> str:
    return json.dumps([status, collection, employer_no, figures], sort_keys=True, separators=(",", ":"))


def _result_chunks(uow, year, run_no, reason, taxpayers, out, special, latest, now, counts):
    """Rows to append, in chunks: new taxpayers, changed results, then withdrawals.
    *counts* receives ``seen`` (taxpayers looked at), ``written`` and ``withdrawn``."""
    months = len(uow.params.get("tax.resident.ordinary_due_months", date(year, 1, 1)))
    employer = out["_employer_no"]
    counts["seen"] = 0
    rows: list[dict] = []
    for start in range(0, len(taxpayers), CHUNK):
        end = min(start + CHUNK, len(taxpayers))
        columns = {k: out[k][start:end].tolist() for k in STORED_FIGURES}
        exemption = [vector.EXEMPTION_CODES.get(c) for c in out["exemption"][start:end].tolist()]
        ord_first, ord_each = out["ordinary_first"][start:end].tolist(), out["ordinary_each"][start:end].tolist()
        sp_first, sp_each = out["special_first"][start:end].tolist(), out["special_each"][start:end].tolist()
        chunk_special = special[start:end].tolist()
        for j, t in enumerate(taxpayers[start:end]):
            figures = {k: columns[k][j] for k in STORED_FIGURES}
            figures["exemption"] = exemption[j]
            if chunk_special[j]:
                collection, emp = SPECIAL, employer[start + j]
                instalments = [sp_first[j]] + [sp_each[j]] * 11
            else:
                collection, emp = ORDINARY, None
                instalments = [ord_first[j]] + [ord_each[j]] * (months - 1)
            previous = latest.get(t.atena_no)
            if previous is not None and previous[1] == _decision(ASSESSED, collection, emp, figures):
                continue
            rows.append(_row(uow, year, t.atena_no, previous, run_no, reason, ASSESSED, collection, emp, figures,
                             instalments, now))
        counts["seen"] = end
        if len(rows) >= CHUNK or end == len(taxpayers):
            counts["written"] += len(rows)
            if rows:
                yield rows
            rows = []
    taxed = {t.atena_no for t in taxpayers}
    zero = dict.fromkeys(STORED_FIGURES, 0) | {"exemption": None}
    for atena_no, previous in latest.items():
        if atena_no in taxed or json.loads(previous[1])[0] == WITHDRAWN:
            continue
        rows.append(_row(uow, year, atena_no, previous, run_no, reason, WITHDRAWN, ORDINARY, None, dict(zero), [],
                         now))
        counts["withdrawn"] += 1
    if rows:
        counts["written"] += len(rows)
        yield rows


def _row(uow, year, atena_no, previous, run_no, reason, status, collection, employer_no, figures, instalments, now):
    f = figures
    return {
        "tenant_code": uow.tenant_code, "year": year, "atena_no": atena_no,
        "revision": previous[0] + 1 if previous else 1, "run_no": run_no, "reason": reason, "status": status,
        "collection": collection, "employer_no": employer_no, "total_income": f["total_income"],
        "taxable_income": f["taxable_income"], "income_levy_municipal": f["income_levy_municipal"],
        "income_levy_prefectural": f["income_levy_prefectural"], "per_capita_municipal": f["per_capita_municipal"],
        "per_capita_prefectural": f["per_capita_prefectural"], "forest_environment_tax": f["forest_environment_tax"],
        "total": f["total"], "exemption": f["exemption"], "instalments": instalments, "figures": f,
        "assessed_at": now,
    }
