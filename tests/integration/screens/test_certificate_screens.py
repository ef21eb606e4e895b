"""証明書の交付画面: the form as a clerk fills it, the PDF it answers with, and the 支援措置
refusal of a third-party request shown on the form."""

from __future__ import annotations

import json
from datetime import date

import pytest

from municloud.kernel.parameters.services import set_override
from municloud.modules.registry.services.support import start_support_measure
from tests.factories import audit_entries, context, family, registry_footprint, support_measure
from tests.integration.certificates.helpers import has, pages
from tests.integration.screens.helpers import csrf_of, text_of, unlabelled_fields
from tests.integration.screens.test_notification_screens import fields_of


@pytest.fixture
def mayor(platform, nagai):
    admin = context(platform, nagai, "tenant_admin")
    for key, value in (("tenant.mayor.title", "長井市長"), ("tenant.mayor.name", "長井　正義")):
        set_override(platform.uow(nagai), admin, key, date(2000, 4, 1), value, "市長の職名・氏名")
    return nagai


@pytest.fixture
def home(platform, clerk, mayor):
    return family(platform, clerk)


def form_data(page: str, **changes) -> dict:
    """What the browser sends from the certificate form, with *changes* (lists for checkbox groups)."""
    data = fields_of(page, "/certificates/new", lists=("members", "options", "items"))
    data.update(changes)
    return data


def open_certificate(b, tenant: str, atena_no: str) -> str:
    response = b.get(f"/t/{tenant}/certificates/new", params={"atena_no": atena_no})
    assert response.status_code == 200, text_of(response.text)[:2000]
    return response.text


def post(b, tenant: str, data: dict):
    return b.post(f"/t/{tenant}/certificates/new", data=data)


def test_the_clerk_issues_a_copy_of_the_household_and_gets_the_pdf(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    assert unlabelled_fields(page) == []
    assert page.count('name="members"') == 3 and page.count("checked") >= 3  # every member by default
    assert 'value="include_juminhyo_code"' in page and 'value="include_my_number"' not in page
    response = post(b, mayor, form_data(page, requester_name="山田　太郎", options=["include_head_and_relationship"]))
    assert response.status_code == 200, text_of(response.text)[:2000]
    assert response.headers["content-type"] == "application/pdf"
    issue_no = response.headers["x-issue-number"]
    assert response.headers["content-disposition"] == f'inline; filename="{issue_no}.pdf"'
    [sheet] = pages(response.content)
    assert has(sheet, "住民票の写し") and has(sheet, "山田　太郎") and has(sheet, "山田　花子") and has(sheet, "世帯主")


def test_the_chosen_member_only_on_an_individual_copy(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    response = post(b, mayor, form_data(page, certificate="juminhyo-kojin", members=[home.atena_nos[1]],
                                        requester_name="山田　花子", requester_type="self"))
    assert response.status_code == 200
    [sheet] = pages(response.content)
    assert has(sheet, "山田　花子") and not has(sheet, "山田　一郎") and has(sheet, "個人票")


def test_a_supervisor_may_ask_for_the_my_number(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_supervisor")
    page = open_certificate(b, mayor, home.atena_nos[0])
    assert 'value="include_my_number"' in page


def test_a_third_party_request_for_a_protected_person_is_held_on_the_form(signed_in, platform, supervisor,
                                                                         mayor, home):
    start_support_measure(platform.uow(mayor), supervisor, home.atena_nos[1], support_measure())
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    before = registry_footprint(platform, mayor)["registry_certificate_issuances"]
    response = post(b, mayor, form_data(page, requester_type="third_party", requester_name="債権回収　株式会社",
                                        purpose="債権回収のため"))
    assert response.status_code == 202
    assert response.headers["content-type"].startswith("text/html")
    shown = text_of(response.text)
    assert "保留しました（保留番号 1）" in shown and "支援措置" in shown and 'role="alert"' in response.text
    assert "証明書の種類" in shown and 'value="債権回収　株式会社"' in response.text  # still the form, input kept
    assert registry_footprint(platform, mayor)["registry_certificate_issuances"] == before
    assert audit_entries(platform, mayor, "registry:certificate:issue") == []
    assert [e.outcome for e in audit_entries(platform, mayor, "registry:support_hold:hold")] == ["success"]


def test_missing_requester_and_bad_copies_are_shown_in_japanese(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    response = post(b, mayor, form_data(page, requester_name="", copies="0"))
    assert response.status_code == 422
    assert 'href="#f-requester_name"' in response.text and "請求者の氏名・名称を入力してください" in response.text
    assert "通数は1から20までの数字で入力してください" in response.text


def test_a_third_party_request_needs_a_purpose(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    response = post(b, mayor, form_data(page, requester_type="third_party", requester_name="某　弁護士"))
    assert response.status_code == 422
    assert 'href="#f-purpose"' in response.text


def test_without_csrf_nothing_is_issued_and_a_viewer_gets_403(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    data = form_data(page, requester_name="山田　太郎")
    data.pop("csrf_token")
    assert post(b, mayor, data).status_code == 403
    viewer = signed_in(mayor, "registry_viewer")
    assert viewer.get(f"/t/{mayor}/certificates/new", params={"atena_no": home.atena_nos[0]}).status_code == 403
    token = csrf_of(viewer.get(f"/t/{mayor}/residents/{home.atena_nos[0]}").text)
    assert post(viewer, mayor, {**data, "csrf_token": token}).status_code == 403
    assert registry_footprint(platform, mayor)["registry_certificate_issuances"] == 0


def test_without_a_person_the_form_asks_whom(signed_in, mayor):
    b = signed_in(mayor, "registry_clerk")
    page = b.get(f"/t/{mayor}/certificates/new")
    assert page.status_code == 200 and 'name="atena_no"' in page.text and "住民検索" in page.text


def test_the_confirmation_of_a_request_that_would_be_held_takes_no_hold_number(signed_in, platform, supervisor,
                                                                                mayor, home):
    """入力内容を確認する runs the request as a dry run: it says the request *will* be held,
    shows no 保留番号 (none is taken), holds nothing, and records the check."""
    start_support_measure(platform.uow(mayor), supervisor, home.atena_nos[1], support_measure())
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    data = form_data(page, requester_type="third_party", requester_name="債権回収　株式会社", purpose="債権回収のため")
    response = post(b, mayor, {**data, "action": "check"})
    assert response.status_code == 200, text_of(response.text)[:2000]
    shown = text_of(response.text)
    assert "交付すると保留になり" in shown and "保留番号" in shown and "保留しました" not in shown
    assert "保留番号 " not in shown  # no number: none was taken
    assert audit_entries(platform, mayor, "registry:support_hold:hold") == []
    [check] = audit_entries(platform, mayor, "registry:certificate:check")
    assert json.loads(check.detail)["would_hold"] is True
    assert set(json.loads(check.subjects)) == {f"resident:{a}" for a in home.atena_nos}
    response = post(b, mayor, {**data, "action": "issue"})
    assert response.status_code == 202 and "保留しました（保留番号 1）" in text_of(response.text)
