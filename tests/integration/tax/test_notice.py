"""The 税額決定通知書: what it prints for 普通徴収, 特別徴収, 更正 and 非課税, the name exactly as
stored, the mayor, the register and audit entries, and who may issue it."""

from __future__ import annotations

import json
import os
from datetime import date

import pytest

from municloud.errors import MuniError
from municloud.kernel.documents.verification import verify_document
from municloud.kernel.parameters.services import set_override
from municloud.modules.tax.printing import month_label, year_label
from municloud.modules.tax.services import notices
from municloud.modules.tax.services.assessment import assess
from municloud.modules.tax.services.inputs import import_inputs
from tests.factories import audit_entries, context, person
from tests.integration.certificates.helpers import (
    assert_code_printed_and_in_the_qr,
    capture_html,
    has,
    pages,
)
from tests.integration.tax.support import resident_since, write_inputs

KATSURA_MJ = "葛\U000E0102"  # 葛 + VS19 (Moji_Joho MJ022335)


@pytest.fixture
def mayor(platform, tenant):
    admin = context(platform, tenant, "tenant_admin")
    for key, value in (("tenant.mayor.title", "長井市長"), ("tenant.mayor.name", "長井　正義")):
        set_override(platform.uow(tenant), admin, key, date(2000, 4, 1), value, "市長の職名・氏名")
    return tenant


def taxpayer(platform, registrar, name="納税　一郎", kana="ノウゼイ　イチロウ"):
    return resident_since(platform, registrar, date(2024, 4, 1), person(name, kana, "1970-04-01")).atena_nos[0]


def assessed(platform, tenant, officer, supervisor, tmp_path, rows, year=2026):
    write_inputs(tmp_path / "kazei.csv", rows)
    import_inputs(platform.uow(tenant), officer, year, tmp_path / "kazei.csv")
    return assess(platform.uow(tenant), supervisor, year)


def text_of(issued) -> str:
    if os.environ.get("MUNICLOUD_KEEP_NOTICE"):  # look at it: MUNICLOUD_KEEP_NOTICE=/tmp/n.pdf
        with open(os.environ["MUNICLOUD_KEEP_NOTICE"], "wb") as f:
            f.write(issued.pdf)
    return "".join(pages(issued.pdf))


def test_year_and_due_months_are_in_wareki():
    assert year_label(2026) == "令和8年度" and year_label(2025) == "令和7年度"
    assert year_label(2019) == "令和元年度"  # the era the 年度 ends in
    assert month_label(2026, 6) == "令和8年6月" and month_label(2026, 1) == "令和9年1月"


def test_an_ordinary_notice_prints_the_person_the_figures_and_four_instalments(
        platform, mayor, registrar, officer, supervisor, tmp_path, monkeypatch):
    a = taxpayer(platform, registrar)
    assessed(platform, mayor, officer, supervisor, tmp_path,
             [{"atena_no": a, "salary_income": 4_000_000, "social_insurance": 550_000, "life_general_new": 60_000}])
    html = capture_html(monkeypatch)
    issued = notices.issue_notice(platform.uow(mayor), officer, 2026, a)
    code = assert_code_printed_and_in_the_qr(issued.pdf, html[-1], platform.settings.public_url, issued.issue_no)
    assert verify_document(platform.uow(None), issued.issue_no, code, pdf=issued.pdf).matches is True
    text = text_of(issued)
    for expected in ("令和8年度", "個人住民税", "税額決定通知書", "納税　一郎", "山形県長井市本町一丁目1番1号", a,
                     "長井市", "長井市長", "長井　正義", "給与所得", "基礎控除", "社会保険料控除", "生命保険料控除",
                     "課税標準額", "調整控除", "均等割額", "森林環境税", "年税額", "普通徴収",
                     "第1期", "令和8年6月", "第4期", "令和9年1月", issued.issue_no, "/verify/" + issued.issue_no):
        assert has(text, expected), expected
    assert not has(text, "更正")
    with platform.uow(mayor) as uow:
        from municloud.modules.tax.services.results import load_results

        r = load_results(uow, 2026, a).current
    assert has(text, f"{r.total:,}円") and has(text, f"{r.figures['salary_earnings']:,}円")
    assert has(text, f"{r.instalments[0]:,}円") and has(text, f"{r.instalments[1]:,}円")
    assert issued.revision == 1 and issued.pages == 1


def test_a_special_collection_notice_prints_the_employer_and_twelve_months(
        platform, mayor, registrar, officer, supervisor, tmp_path):
    a = taxpayer(platform, registrar)
    assessed(platform, mayor, officer, supervisor, tmp_path, [
        {"atena_no": a, "salary_income": 5_000_000, "employer_no": "E-001", "employer_name": "長井精機株式会社"}])
    text = text_of(notices.issue_notice(platform.uow(mayor), officer, 2026, a))
    for expected in ("特別徴収", "E-001", "長井精機株式会社", "6月分", "12月分", "5月分", "令和9年5月"):
        assert has(text, expected), expected
    assert not has(text, "第1期")


def test_a_correction_prints_its_reason_and_the_earlier_tax_and_any_revision_can_be_reissued(
        platform, mayor, registrar, officer, supervisor, tmp_path):
    a = taxpayer(platform, registrar)
    assessed(platform, mayor, officer, supervisor, tmp_path, [{"atena_no": a, "salary_income": 4_000_000}])
    write_inputs(tmp_path / "fix.csv", [{"atena_no": a, "salary_income": 4_000_000, "social_insurance": 600_000}])
    import_inputs(platform.uow(mayor), officer, 2026, tmp_path / "fix.csv")
    assess(platform.uow(mayor), supervisor, 2026, reason="社会保険料の申告漏れ")
    latest = notices.issue_notice(platform.uow(mayor), officer, 2026, a)
    text = text_of(latest)
    assert latest.revision == 2
    assert has(text, "税額変更通知書") and has(text, "更正") and has(text, "社会保険料の申告漏れ")
    assert has(text, "変更前の年税額")
    first = notices.issue_notice(platform.uow(mayor), officer, 2026, a, revision=1)
    assert first.revision == 1 and not has(text_of(first), "社会保険料の申告漏れ")
    assert first.issue_no != latest.issue_no
    with pytest.raises(MuniError) as missing:
        notices.issue_notice(platform.uow(mayor), officer, 2026, a, revision=3)
    assert missing.value.code == "TAX_REVISION_NOT_FOUND"
    details = [json.loads(e.detail) for e in audit_entries(platform, mayor, "tax:notice:issue")]
    assert [(d["year"], d["revision"]) for d in details] == [(2026, 2), (2026, 1)]
    assert [d["issue_no"] for d in details] == [latest.issue_no, first.issue_no]


def test_the_reduction_just_above_the_income_levy_limit_is_printed_for_whom_it_applies(
        platform, mayor, registrar, officer, supervisor, tmp_path):
    # 合計所得450,800円・単身: 所得割 市600+県400 → 超える額800円を按分して市480→400・県320→300
    # （地方税法附則第3条の3第2項・第5項; tests/unit/tax/scenarios/income_levy_limit.yaml の同じ例）
    near = taxpayer(platform, registrar)
    far = taxpayer(platform, registrar, "納税　二郎", "ノウゼイ　ジロウ")
    assessed(platform, mayor, officer, supervisor, tmp_path, [
        {"atena_no": near, "other_income": 450_800},
        {"atena_no": far, "salary_income": 4_000_000, "social_insurance": 550_000}])
    text = text_of(notices.issue_notice(platform.uow(mayor), officer, 2026, near))
    assert has(text, "非課税限度額を超える者の減額120円80円") and has(text, "所得割額（百円未満切捨て）400円300円")
    assert not has(text_of(notices.issue_notice(platform.uow(mayor), officer, 2026, far)), "非課税限度額を超える者の減額")


def test_an_exempt_person_gets_the_reason(platform, mayor, registrar, officer, supervisor, tmp_path):
    a = taxpayer(platform, registrar)
    assessed(platform, mayor, officer, supervisor, tmp_path, [{"atena_no": a, "salary_income": 900_000}])
    text = text_of(notices.issue_notice(platform.uow(mayor), officer, 2026, a))
    assert has(text, "非課税") and has(text, "合計所得金額が均等割の非課税限度額以下")
    assert has(text, "納めていただく税額はありません")


def test_the_name_is_printed_exactly_as_stored_with_its_ivs(
        platform, mayor, registrar, officer, supervisor, tmp_path, monkeypatch):
    a = taxpayer(platform, registrar, f"{KATSURA_MJ}城　一郎", "カツラギ　イチロウ")
    assessed(platform, mayor, officer, supervisor, tmp_path, [{"atena_no": a, "salary_income": 3_000_000}])
    rendered = []
    original = notices.notice_html
    monkeypatch.setattr(notices, "notice_html", lambda content, stamp: rendered.append(
        original(content, stamp)) or rendered[-1])
    issued = notices.issue_notice(platform.uow(mayor), officer, 2026, a)
    assert f"{KATSURA_MJ}城　一郎" in rendered[0]  # never normalised: the variation selector is kept
    assert '<html lang="ja">' in rendered[0] and "IPAmj" in rendered[0]
    assert has(text_of(issued), "城　一郎")


def test_only_tax_staff_issue_notices_and_a_refusal_is_audited(
        platform, mayor, registrar, officer, supervisor, tmp_path):
    a = taxpayer(platform, registrar)
    assessed(platform, mayor, officer, supervisor, tmp_path, [{"atena_no": a, "salary_income": 3_000_000}])
    with pytest.raises(MuniError) as refused:
        notices.issue_notice(platform.uow(mayor), registrar, 2026, a)
    assert refused.value.status == 403
    assert [e.outcome for e in audit_entries(platform, mayor, "tax:notice:issue")] == ["denied"]
    with pytest.raises(MuniError) as none:
        notices.issue_notice(platform.uow(mayor), officer, 2025, a)
    assert none.value.code == "TAX_RESULT_NOT_FOUND"
    assert notices.issue_notice(platform.uow(mayor), supervisor, 2026, a).issue_no
