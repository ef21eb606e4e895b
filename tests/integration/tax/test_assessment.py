"""The whole-tenant assessment: who is a taxpayer on 1 January, results from 課税資料,
append-only 更正, nothing half-written when interrupted."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from municloud.errors import MuniError
from municloud.kernel.parameters.services import set_override
from municloud.modules.tax.orm import TaxResult, TaxRun
from municloud.modules.tax.services.assessment import age_on_31_december, assess
from municloud.modules.tax.services.inputs import import_inputs
from municloud.modules.tax.services.results import results_of
from tests.factories import context, person, register
from tests.integration.tax.support import days_before, resident_since, write_inputs, write_relatives

JAN1 = date(2026, 1, 1)


def results(platform, tenant, year=2026):
    with platform.uow(tenant) as uow:
        rows = uow.session.scalars(select(TaxResult).where(TaxResult.year == year)
                                   .order_by(TaxResult.atena_no, TaxResult.revision)).all()
        uow.session.expunge_all()
        return rows


def latest(platform, tenant, year=2026):
    out = {}
    for r in results(platform, tenant, year):
        out[r.atena_no] = r
    return out


def test_age_at_31_december_counts_a_1_january_birthday_a_year_early():
    assert age_on_31_december(date(1955, 1, 1), 2024) == 70  # 昭和30年1月1日生まれは令和6年分で70歳
    assert age_on_31_december(date(1955, 1, 2), 2024) == 69
    assert age_on_31_december(date(2008, 12, 31), 2025) == 17


def test_taxpayers_are_the_residents_of_1_january(platform, tenant, registrar, supervisor):
    before = resident_since(platform, registrar, date(2025, 10, 1), person("税務　一郎", "ゼイム　イチロウ"))
    after = resident_since(platform, registrar, date(2026, 1, 2), person("税務　二郎", "ゼイム　ジロウ"))
    on_jan1 = resident_since(platform, registrar, JAN1, person("税務　三郎", "ゼイム　サブロウ"))
    left = resident_since(platform, registrar, date(2025, 9, 1), person("税務　四郎", "ゼイム　シロウ"))
    register(platform, registrar, kind="tenshutsu", ido_date=date(2026, 3, 1).isoformat(),
             atena_nos=left.atena_nos, destination="東京都新宿区")
    gone = resident_since(platform, registrar, date(2025, 9, 1), person("税務　五郎", "ゼイム　ゴロウ"))
    register(platform, registrar, kind="tenshutsu", ido_date=JAN1.isoformat(), atena_nos=gone.atena_nos,
             destination="東京都新宿区")
    summary = assess(platform.uow(tenant), supervisor, 2026)
    taxed = set(latest(platform, tenant))
    assert taxed == {before.atena_nos[0], on_jan1.atena_nos[0], left.atena_nos[0]}
    assert after.atena_nos[0] not in taxed and gone.atena_nos[0] not in taxed
    assert summary.taxpayers == 3 and summary.written == 3 and summary.kind == "assessment"


def test_results_follow_the_inputs_and_keep_a_trace_with_parameter_references(
        platform, tenant, registrar, supervisor, officer, tmp_path):
    fam = resident_since(platform, registrar, date(2024, 4, 1),
                         person("課税　太郎", "カゼイ　タロウ", "1980-04-01", "1"),
                         person("課税　花子", "カゼイ　ハナコ", "1982-05-05", "2", "妻"),
                         person("課税　一郎", "カゼイ　イチロウ", "2005-06-06", "1", "子"))
    head, wife, child = fam.atena_nos
    write_inputs(tmp_path / "in.csv", [
        {"atena_no": head, "salary_income": 5_000_000, "social_insurance": 700_000, "employer_no": "E-001",
         "employer_name": "長井精機株式会社"},
        {"atena_no": wife, "salary_income": 1_000_000},
    ])
    write_relatives(tmp_path / "rel.csv", [
        {"atena_no": head, "relation": "配偶者", "relative_atena_no": wife, "cohabiting": 1},
        {"atena_no": head, "relation": "扶養親族", "relative_atena_no": child, "cohabiting": 1},
    ])
    import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "in.csv", tmp_path / "rel.csv")
    assess(platform.uow(tenant), supervisor, 2026)
    r = latest(platform, tenant)
    h = r[head]
    # 給与 5,000,000 → 3,560,000; wife's 1,000,000 → 350,000 (≤ 580,000: 配偶者控除 330,000);
    # child is 20 at 31 Dec 2025 (特定扶養 450,000); 基礎 430,000; 社保 700,000
    assert h.figures["salary_earnings"] == 3_560_000
    assert h.figures["spouse_deduction"] == 330_000
    assert h.figures["dependant_deduction"] == 450_000
    assert h.taxable_income == 1_650_000
    assert (h.income_levy_municipal, h.income_levy_prefectural) == (90_600, 60_400)
    assert h.total == 156_000 and h.collection == "special" and h.employer_no == "E-001"
    assert h.instalments == [13_000] * 12 and sum(h.instalments) == h.total
    assert r[wife].total == 0 and r[wife].exemption == "per_capita"  # 350,000 ≤ 280,000 × 1 + 100,000 (3級地)
    assert r[child].exemption == "per_capita" and r[child].collection == "ordinary"
    seen = results_of(platform.uow(tenant), officer, 2026, head)
    keys = {p["key"] for p in seen.parameters}
    assert "tax.resident.salary_table" in keys and "welfare.livelihood_grade" in keys
    grade = next(p for p in seen.parameters if p["key"] == "welfare.livelihood_grade")
    assert grade["value"] == 3 and grade["source"] == "tenant"
    salary = next(f for f in seen.revisions[-1].trace if f.key == "salary_earnings")
    assert salary.label == "給与所得" and salary.value == 3_560_000
    assert any("別表第五" in p["reference"] for p in salary.parameters)


def test_a_second_run_is_a_correction_that_needs_a_reason_and_appends_only_what_changed(
        platform, tenant, registrar, supervisor, officer, tmp_path):
    a = resident_since(platform, registrar, date(2024, 4, 1), person("更正　一", "コウセイ　ハジメ")).atena_nos[0]
    b = resident_since(platform, registrar, date(2024, 4, 1), person("更正　二", "コウセイ　フタバ")).atena_nos[0]
    write_inputs(tmp_path / "in.csv", [{"atena_no": a, "salary_income": 3_000_000},
                                      {"atena_no": b, "salary_income": 4_000_000}])
    import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "in.csv")
    assess(platform.uow(tenant), supervisor, 2026)
    first = latest(platform, tenant)
    with pytest.raises(MuniError) as refused:
        assess(platform.uow(tenant), supervisor, 2026)
    assert refused.value.code == "TAX_REASON_REQUIRED"
    write_inputs(tmp_path / "fix.csv", [{"atena_no": b, "salary_income": 4_000_000, "social_insurance": 500_000}])
    import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "fix.csv")
    summary = assess(platform.uow(tenant), supervisor, 2026, reason="社会保険料の申告漏れ")
    assert summary.kind == "reassessment" and summary.written == 1
    rows = results(platform, tenant)
    assert [(r.atena_no, r.revision) for r in rows] == [(a, 1), (b, 1), (b, 2)]
    old, new = rows[1], rows[2]
    assert old.total == first[b].total and new.total < old.total  # the first result is untouched
    assert new.reason == "社会保険料の申告漏れ" and old.reason == "当初賦課"


def test_a_person_no_longer_a_taxpayer_gets_a_withdrawal_not_a_deletion(
        platform, tenant, registrar, supervisor, officer, tmp_path):
    moved = resident_since(platform, registrar, date(2025, 12, 20), person("取消　一", "トリケシ　ハジメ"))
    write_inputs(tmp_path / "in.csv", [{"atena_no": moved.atena_nos[0], "salary_income": 3_000_000}])
    import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "in.csv")
    assess(platform.uow(tenant), supervisor, 2026)
    register(platform, registrar, kind="torikeshi", notification_id=moved.notification_id, note="転入の入力誤り",
             ido_date=date.today().isoformat())
    summary = assess(platform.uow(tenant), supervisor, 2026, reason="住民記録の取消し（転入の誤り）")
    assert summary.withdrawn == 1
    rows = results(platform, tenant)
    assert [(r.revision, r.status, r.total) for r in rows] == [(1, "assessed", rows[0].total), (2, "withdrawn", 0)]
    assert rows[0].total > 0


def test_an_interrupted_run_leaves_nothing(platform, tenant, registrar, supervisor):
    for i in range(3):
        resident_since(platform, registrar, date(2024, 4, 1), person(f"中断　{i}", "チュウダン　イチ"))

    def stop(stage, done, total):
        if stage == "結果の書込み":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        assess(platform.uow(tenant), supervisor, 2026, progress=stop)
    with platform.uow(tenant) as uow:
        assert uow.session.scalar(select(func.count()).select_from(TaxResult)) == 0
        assert uow.session.scalar(select(func.count()).select_from(TaxRun)) == 0
    assert assess(platform.uow(tenant), supervisor, 2026).written == 3  # a clean first run after


def test_only_a_supervisor_runs_the_assessment(platform, tenant, officer):
    with pytest.raises(MuniError) as refused:
        assess(platform.uow(tenant), officer, 2026)
    assert refused.value.code.startswith("PERMISSION") or "PERMISSION" in refused.value.code


def test_tenant_parameters_apply_from_their_date(platform, tenant, registrar, supervisor, officer, tmp_path):
    a = resident_since(platform, registrar, date(2024, 4, 1), person("超過　一", "チョウカ　ハジメ")).atena_nos[0]
    write_inputs(tmp_path / "in.csv", [{"atena_no": a, "salary_income": 3_000_000}])
    import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "in.csv")
    import_inputs(platform.uow(tenant), officer, 2025, tmp_path / "in.csv")
    admin = context(platform, tenant, "tenant_admin")
    set_override(platform.uow(tenant), admin, "tax.resident.per_capita_surcharge_prefectural", date(2026, 1, 1),
                 800, "県民緑税（条例）")
    assess(platform.uow(tenant), supervisor, 2026)
    assess(platform.uow(tenant), supervisor, 2025)  # the override is not in force for 令和7年度
    assert latest(platform, tenant, 2026)[a].per_capita_prefectural == 1_800
    assert latest(platform, tenant, 2025)[a].per_capita_prefectural == 1_000


def test_days_before_is_consistent():
    assert days_before(date.today()) in (0, 1)


def test_a_correction_of_one_person_also_corrects_whoever_declared_them(
        platform, tenant, registrar, supervisor, officer, tmp_path):
    fam = resident_since(platform, registrar, date(2024, 4, 1),
                         person("連動　夫", "レンドウ　オット", "1980-04-01", "1"),
                         person("連動　妻", "レンドウ　ツマ", "1982-05-05", "2", "妻"))
    husband, wife = fam.atena_nos
    write_inputs(tmp_path / "in.csv", [{"atena_no": husband, "salary_income": 5_000_000},
                                      {"atena_no": wife, "salary_income": 1_000_000}])
    write_relatives(tmp_path / "rel.csv", [{"atena_no": husband, "relation": "配偶者", "relative_atena_no": wife}])
    import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "in.csv", tmp_path / "rel.csv")
    assess(platform.uow(tenant), supervisor, 2026)
    before = latest(platform, tenant)[husband]
    assert before.figures["spouse_deduction"] == 330_000
    write_inputs(tmp_path / "fix.csv", [{"atena_no": wife, "salary_income": 2_500_000}])
    import_inputs(platform.uow(tenant), officer, 2026, tmp_path / "fix.csv")
    with pytest.raises(MuniError):
        assess(platform.uow(tenant), supervisor, 2026, atena_nos=[wife])  # a 更正 needs its reason
    summary = assess(platform.uow(tenant), supervisor, 2026, reason="妻の給与支払報告書の訂正", atena_nos=[wife])
    assert summary.written == 2
    after = latest(platform, tenant)[husband]
    assert after.revision == 2 and after.figures["spouse_deduction"] == 0 and after.total > before.total


def test_an_empty_list_of_persons_is_not_a_whole_city_run(platform, tenant, registrar, supervisor):
    resident_since(platform, registrar, date(2024, 4, 1), person("空　一", "カラ　ハジメ"))
    summary = assess(platform.uow(tenant), supervisor, 2026, atena_nos=[])
    assert summary.kind == "assessment" and summary.taxpayers == 1


def test_a_move_out_filed_in_december_for_january_leaves_the_person_a_taxpayer(
        platform, tenant, registrar, supervisor, monkeypatch):
    """A 転出予定 dated after 1 January: the person is registered on the 賦課期日 (地方税法
    第39条・第318条: 1月1日現在の住所) — before the job removes them and after it."""
    from municloud.modules.registry.services.daily import apply_due_moves
    from tests.factories import travel

    leaving = resident_since(platform, registrar, date(2025, 9, 1), person("税務　六郎", "ゼイム　ロクロウ"))
    travel(monkeypatch, date(2025, 12, 26))
    register(platform, registrar, kind="tenshutsu", ido_date="2026-01-05", todoke_date="2025-12-26",
             atena_nos=leaving.atena_nos, destination="東京都新宿区西新宿二丁目8番1号")
    travel(monkeypatch, date(2026, 1, 5))
    [done] = apply_due_moves(platform.uow(tenant), context(platform, tenant, "registry_supervisor")).carried_out
    assert done.atena_nos == leaving.atena_nos
    summary = assess(platform.uow(tenant), supervisor, 2026)
    assert set(latest(platform, tenant)) == set(leaving.atena_nos) and summary.taxpayers == 1
