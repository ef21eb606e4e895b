"""The tax office's screens (個人住民税): 課税資料 with its 修正履歴, 試算, results, 更正,
the 税額決定通知書 and the 当初賦課 started from a screen — on the API's services."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from municloud.modules.tax.inputs import PersonInput
from municloud.modules.tax.orm import TaxInputRevision, TaxResult, TaxRun
from municloud.modules.tax.services.assessment import assess
from municloud.modules.tax.services.batch import job_of
from municloud.modules.tax.services.inputs import load_inputs
from tests.factories import context, person
from tests.integration.screens.helpers import csrf_of, text_of
from tests.integration.screens.test_session_while_writing import held_write_lock  # noqa: F401 (fixture)
from tests.integration.tax.support import resident_since, setup_tenant

YEAR = 2026


@pytest.fixture
def tenant(platform):
    return setup_tenant(platform)


@pytest.fixture
def taxpayer(platform, tenant):
    """A resident since 2025 (a taxpayer of 2026) — their 宛名番号."""
    clerk = context(platform, tenant, "registry_clerk")
    return resident_since(platform, clerk, date(2025, 10, 1), person("税務　花子", "ゼイム　ハナコ", sex="2")).atena_nos[0]


def base(tenant):
    return f"/t/{tenant}"


def post_form(b, url: str, page_url: str, data: dict):
    return b.post(url, {**data, "csrf_token": csrf_of(b.get(page_url).text)})


def register_form(confirmation: str) -> dict:
    """What the confirmation's 登録する button posts: its hidden fields and action=register."""
    form = re.search(r'<form[^>]*aria-label="[^"]*の登録"[^>]*>(.*?)</form>', confirmation, re.S).group(1)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    return {k: html.unescape(v) for k, v in fields.items()} | {"action": "register"}


def revisions(platform, tenant, atena_no):
    with platform.uow(tenant) as uow:
        return uow.session.scalar(select(func.count()).select_from(TaxInputRevision)
                                  .where(TaxInputRevision.atena_no == atena_no))


def results_count(platform, tenant, atena_no):
    with platform.uow(tenant) as uow:
        return uow.session.scalar(select(func.count()).select_from(TaxResult).where(TaxResult.atena_no == atena_no))


def salaried(platform, tenant, atena_no, salary=3_000_000):
    officer = context(platform, tenant, "tax_officer")
    amounts = {"salary_income": salary, "social_insurance": 400_000}
    load_inputs(platform.uow(tenant), officer, YEAR, [PersonInput(atena_no, amounts)])


def test_tax_users_land_on_their_screens(signed_in, tenant):
    officer = signed_in(tenant, "tax_officer")
    home = text_of(officer.get(officer.landing).text)
    assert "このロールで使える画面はありません" not in home
    assert "納税者の検索" in home and "住民税の試算" in home and "当初賦課（一括）" not in home
    supervisor = signed_in(tenant, "tax_supervisor")
    assert "当初賦課（一括）" in text_of(supervisor.get(supervisor.landing).text)


def test_a_taxpayer_is_found_by_atena_no_and_an_unknown_one_is_explained(signed_in, tenant, taxpayer):
    b = signed_in(tenant, "tax_officer")
    page = b.get(f"{base(tenant)}/tax?atena_no={taxpayer}&year={YEAR}")
    assert page.status_code == 200
    assert "税務　花子" in page.text and f"/tax/{YEAR}/inputs/{taxpayer}" in page.text
    missing = b.get(f"{base(tenant)}/tax?atena_no=999999999999&year={YEAR}")
    assert missing.status_code == 404 and "その宛名番号の方は見つかりません" in text_of(missing.text)


def test_entry_goes_through_a_confirmation_then_registers_and_the_history_says_who_changed_what(
        signed_in, platform, tenant, taxpayer):
    b = signed_in(tenant, "tax_officer")
    edit = f"{base(tenant)}/tax/{YEAR}/inputs/{taxpayer}/edit"
    url = f"{base(tenant)}/tax/{YEAR}/inputs/{taxpayer}"
    confirm = post_form(b, url, edit, {"salary_income": "3,000,000", "social_insurance": "400000", "widow": "1"})
    assert confirm.status_code == 200, text_of(confirm.text)
    assert "まだ登録していません" in confirm.text and "3,000,000円" in text_of(confirm.text)
    assert revisions(platform, tenant, taxpayer) == 0  # the dry run wrote nothing
    register = register_form(confirm.text)
    done = b.post(url, register)
    assert done.status_code == 303 and done.headers["location"] == f"{url}?done=set"
    assert "課税資料を登録しました" in b.get(done.headers["location"]).text
    again = b.post(url, register)  # the same confirmation posted twice (double click, back and resend)
    assert again.status_code == 409 and "二度登録しないよう止めました" in text_of(again.text)
    assert revisions(platform, tenant, taxpayer) == 1
    confirm = post_form(b, url, edit, {"salary_income": "3200000", "social_insurance": "400000", "widow": "1",
                                       "reason": "給与支払報告書の訂正"})
    corrected = b.post(url, register_form(confirm.text))
    assert corrected.status_code == 303
    assert "課税資料を修正しました" in b.get(corrected.headers["location"]).text
    history = text_of(b.get(url).text)
    assert "給与支払報告書の訂正" in history and "給与収入：3,000,000円 → 3,200,000円" in history
    assert b.username in history
    assert revisions(platform, tenant, taxpayer) == 2


def test_entry_problems_are_all_shown_in_japanese_and_nothing_is_written(signed_in, platform, tenant, taxpayer):
    b = signed_in(tenant, "tax_officer")
    edit = f"{base(tenant)}/tax/{YEAR}/inputs/{taxpayer}/edit"
    page = post_form(b, f"{base(tenant)}/tax/{YEAR}/inputs/{taxpayer}", edit, {
        "salary_income": "三百万", "employer_no": "12345",
        "relatives.0.relation": "dependant", "relatives.0.name": "外部　一郎",  # no birth date
        "action": "register"})
    assert page.status_code == 422
    text = text_of(page.text)
    assert "0以上の整数（円）で入力してください" in text
    assert "団体外の親族は氏名と生年月日を入力してください" in text
    assert 'id="f-salary_income"' in page.text and 'aria-invalid="true"' in page.text
    assert revisions(platform, tenant, taxpayer) == 0


def test_an_unknown_relative_is_refused_by_the_service_check(signed_in, platform, tenant, taxpayer):
    b = signed_in(tenant, "tax_officer")
    edit = f"{base(tenant)}/tax/{YEAR}/inputs/{taxpayer}/edit"
    page = post_form(b, f"{base(tenant)}/tax/{YEAR}/inputs/{taxpayer}", edit, {
        "salary_income": "2000000", "relatives.0.relation": "spouse", "relatives.0.relative_atena_no": "999999999999"})
    assert page.status_code == 422 and "住民記録にない宛名番号です" in text_of(page.text)


def test_the_trial_calculation_shows_every_figure_with_its_reference(signed_in, tenant):
    b = signed_in(tenant, "tax_officer")
    url = f"{base(tenant)}/tax/calc"
    page = post_form(b, url, url, {"year": str(YEAR), "age": "45", "salary_income": "5000000",
                                   "social_insurance": "700000", "spouse": "1", "spouse.income": "0",
                                   "spouse.age": "43", "life.general_new": "80000"})
    assert page.status_code == 200, text_of(page.text)
    text = text_of(page.text)
    assert "試算の結果（2026年度）：年税額" in text
    for label in ("給与所得", "基礎控除", "配偶者控除", "課税標準額（1,000円未満切捨て）", "調整控除（市町村民税）", "年税額"):
        assert label in text
    assert "地方税法" in text  # the legal references of the parameters used
    bad = post_form(b, url, url, {"year": str(YEAR), "age": "", "salary_income": "-5"})
    assert bad.status_code == 422
    assert "年齢は0〜130の整数で入力してください" in text_of(bad.text)
    assert "0以上の整数（円）で入力してください" in text_of(bad.text)


def test_a_reassessment_needs_a_reason_is_dry_run_then_recorded_with_it(signed_in, platform, tenant, taxpayer):
    salaried(platform, tenant, taxpayer)
    assess(platform.uow(tenant), context(platform, tenant, "tax_supervisor"), YEAR)
    salaried(platform, tenant, taxpayer, salary=3_500_000)
    b = signed_in(tenant, "tax_supervisor")
    form = f"{base(tenant)}/tax/{YEAR}/reassess/{taxpayer}"
    empty = post_form(b, form, form, {"reason": ""})
    assert empty.status_code == 422 and "更正の理由を入力してください" in text_of(empty.text)
    confirm = post_form(b, form, form, {"reason": "給与支払報告書の訂正"})
    assert confirm.status_code == 200 and "まだ登録していません" in confirm.text and "1件" in text_of(confirm.text)
    assert results_count(platform, tenant, taxpayer) == 1
    register = register_form(confirm.text)
    done = b.post(form, register)
    assert done.status_code == 303 and done.headers["location"].startswith(f"{base(tenant)}/tax/{YEAR}/results/")
    text = text_of(b.get(done.headers["location"]).text)
    assert "更正を登録しました（実行番号 2、変わった決定 1件）" in text
    results_page = f"{base(tenant)}/tax/{YEAR}/results/{taxpayer}"
    for made_up in (1, 99):  # a link typed by hand (the 当初賦課, a run that never was) announces nothing
        assert "更正を" not in text_of(b.get(f"{results_page}?run={made_up}").text).split("第2回の決定")[0]
    assert "第2回の決定（現在の決定）" in text and "給与支払報告書の訂正" in text and "第1回の決定" in text
    again = b.post(form, register)  # the same confirmation posted twice: no second run
    assert again.status_code == 409 and "二度登録しないよう止めました" in text_of(again.text)
    assert results_count(platform, tenant, taxpayer) == 2
    with platform.uow(tenant) as uow:
        assert uow.session.scalar(select(func.count()).select_from(TaxRun)) == 2


def test_a_reassessment_while_another_run_holds_the_tenants_runs_is_refused_quickly(
        signed_in, platform, tenant, taxpayer, held_write_lock, monkeypatch):
    # a 当初賦課 holds the runs for minutes: the clerk is told so instead of a worker waiting
    from municloud.modules.tax.screens import results as results_screens

    monkeypatch.setattr(results_screens, "REASSESS_WAIT_MS", 100)
    salaried(platform, tenant, taxpayer)
    assess(platform.uow(tenant), context(platform, tenant, "tax_supervisor"), YEAR)
    b = signed_in(tenant, "tax_supervisor")
    form = f"{base(tenant)}/tax/{YEAR}/reassess/{taxpayer}"
    with held_write_lock:
        busy = post_form(b, form, form, {"reason": "給与支払報告書の訂正"})
    assert busy.status_code == 409 and "賦課を実行中のため、更正できません" in text_of(busy.text)
    assert post_form(b, form, form, {"reason": "給与支払報告書の訂正"}).status_code == 200  # once free


def test_the_notice_prints_as_a_pdf(signed_in, platform, tenant, taxpayer):
    salaried(platform, tenant, taxpayer)
    b = signed_in(tenant, "tax_officer")
    page = f"{base(tenant)}/tax/{YEAR}/results/{taxpayer}"
    before = b.get(page)
    assert before.status_code == 200 and "賦課の結果はまだありません" in before.text and "/notice" not in before.text
    assess(platform.uow(tenant), context(platform, tenant, "tax_supervisor"), YEAR)
    assert "計算過程（第1回）" in text_of(b.get(page).text)
    pdf = post_form(b, f"{page}/notice", page, {})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and pdf.headers["x-issue-number"]


def test_an_officer_may_not_reassess_nor_start_the_assessment(signed_in, tenant, taxpayer):
    b = signed_in(tenant, "tax_officer")
    assert b.get(f"{base(tenant)}/tax/batch").status_code == 403
    assert b.get(f"{base(tenant)}/tax/{YEAR}/reassess/{taxpayer}").status_code == 403
    page = f"{base(tenant)}/tax/calc"
    assert post_form(b, f"{base(tenant)}/tax/batch", page, {"year": str(YEAR)}).status_code == 403
    clerk = signed_in(tenant, "registry_clerk")
    assert clerk.get(f"{base(tenant)}/tax").status_code == 403


def test_the_supervisor_starts_the_assessment_follows_it_and_reads_its_summary(signed_in, platform, tenant, taxpayer):
    clerk = context(platform, tenant, "registry_clerk")
    late = resident_since(platform, clerk, date(2026, 2, 1), person("転入　後子", "テンニュウ　アトコ")).atena_nos[0]
    idle = resident_since(platform, clerk, date(2025, 5, 1), person("無申告　太郎", "ムシンコク　タロウ")).atena_nos[0]
    officer = context(platform, tenant, "tax_officer")
    load_inputs(platform.uow(tenant), officer, YEAR, [
        PersonInput(taxpayer, {"salary_income": 4_000_000}), PersonInput(late, {"salary_income": 2_000_000})])
    b = signed_in(tenant, "tax_supervisor")
    url = f"{base(tenant)}/tax/batch"
    started = post_form(b, url, url, {"year": str(YEAR)})
    assert started.status_code == 303
    job_url = started.headers["location"]
    job = job_of(context(platform, tenant, "tax_supervisor"), job_url.rsplit("/", 1)[1])
    job.thread.join()
    page = b.get(job_url)
    assert "完了" in text_of(page.text) and "Refresh" not in page.headers
    summary = b.get(f"{base(tenant)}/tax/runs/{job.run_no}")
    text = text_of(summary.text)
    assert "課税1人" in text.replace("\n", "").replace(" ", "")
    assert "賦課できなかった人（課税資料があるが賦課期日に住民でない）：1人" in text
    assert late in text and "転入　後子" in text and "賦課期日）の後に住民になった" in text
    assert idle in text and "無申告　太郎" in text
    assert "合計所得金額が均等割の非課税限度額以下" in text
    assert b.get(f"{base(tenant)}/tax/batch/jobs/0123456789abcdef").status_code == 404  # gone after a restart
    again = post_form(b, url, url, {"year": str(YEAR)})
    assert again.status_code == 422 and "当初賦課は済んでいます" in text_of(again.text)


@pytest.fixture
def narrow_roles(platform, monkeypatch):
    """Roles holding one tax permission each (a municipality may define such roles)."""
    from municloud.kernel.catalog import Role
    from municloud.modules.tax.catalog import P_ASSESS, P_INPUT_VIEW

    for name, permission in (("tax_input_viewer", P_INPUT_VIEW), ("tax_assessor", P_ASSESS)):
        role = Role(name, name, False)
        role.permissions.add(permission)
        monkeypatch.setitem(platform.catalog.roles, name, role)


def test_a_role_is_shown_only_the_screens_its_services_allow(signed_in, tenant, taxpayer, narrow_roles):
    viewer = signed_in(tenant, "tax_input_viewer")
    assert "納税者の検索" not in viewer.get(f"{base(tenant)}/").text
    assert viewer.get(f"{base(tenant)}/tax").status_code == 403  # at the door, not after the search
    assessor = signed_in(tenant, "tax_assessor")
    page = assessor.get(f"{base(tenant)}/tax/batch")
    assert page.status_code == 200 and "当初賦課を開始する" in page.text
    assert "賦課の実行（新しい順）" not in page.text  # the list of runs needs 賦課の結果の照会
