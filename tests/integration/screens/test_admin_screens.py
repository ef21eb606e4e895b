"""Tenant-admin screens (users, roles, enrolment; parameters) and the operator's tenants."""

from __future__ import annotations

import re
from datetime import timedelta

from municloud.kernel.clock import today_jst
from tests.factories import audit_entries
from tests.integration.screens.helpers import PASSWORD, csrf_of, make_user, text_of


def test_the_tenant_admin_sees_roles_and_second_factor_enrolment(signed_in, platform, nagai):
    enrolled = signed_in(nagai, "registry_clerk")
    pending = make_user(platform, nagai, "auditor")
    admin = signed_in(nagai, "tenant_admin")
    page = admin.get(f"/t/{nagai}/admin/users")
    assert page.status_code == 200
    rows = {r.split("</td>")[0].split(">")[-1]: r for r in page.text.split("<tr>")[1:]}
    assert "未登録" in rows[pending] and "未登録" not in rows[enrolled.username]
    assert "令和" in rows[enrolled.username]  # the enrolment date, in 和暦
    assert "registry_clerk" in rows[enrolled.username]
    assert len(audit_entries(platform, nagai, "kernel:user:enrollment")) == 1


def test_the_tenant_admin_adds_a_user_with_roles_who_can_then_log_in(signed_in, browser, platform, nagai):
    admin = signed_in(nagai, "tenant_admin")
    form = admin.get(f"/t/{nagai}/admin/users").text
    assert 'id="f-roles-registry_clerk"' in form and "住民記録の窓口担当" in form
    response = admin.client.post(f"/t/{nagai}/admin/users", data={
        "username": "sato", "display_name": "佐藤　花子", "password": PASSWORD,
        "roles": ["registry_clerk", "auditor"], "csrf_token": csrf_of(form)})
    assert response.status_code == 303
    page = admin.get(response.headers["location"]).text
    assert "利用者を登録しました" in page and "佐藤　花子" in page
    assert browser().login("sato") == f"/t/{nagai}/"


def test_adding_a_user_without_a_role_is_refused_on_the_form(signed_in, platform, nagai):
    admin = signed_in(nagai, "tenant_admin")
    form = admin.get(f"/t/{nagai}/admin/users").text
    response = admin.client.post(f"/t/{nagai}/admin/users", data={
        "username": "kato", "password": PASSWORD, "csrf_token": csrf_of(form)})
    assert response.status_code == 422
    assert "ロールを1つ以上指定してください" in response.text and 'href="#f-roles"' in response.text
    assert 'value="kato"' in response.text  # what was typed is kept
    short = admin.client.post(f"/t/{nagai}/admin/users", data={
        "username": "kato", "password": "short", "roles": "auditor", "csrf_token": csrf_of(form)})
    assert short.status_code == 422 and "10文字以上" in short.text and 'href="#f-password"' in short.text


def test_adding_a_user_without_the_csrf_token_does_nothing(signed_in, platform, nagai):
    admin = signed_in(nagai, "tenant_admin")
    response = admin.client.post(f"/t/{nagai}/admin/users", data={
        "username": "kato", "password": PASSWORD, "roles": "auditor"})
    assert response.status_code == 403
    assert "kato" not in admin.get(f"/t/{nagai}/admin/users").text


def test_a_clerk_cannot_open_the_users_screen(signed_in, nagai):
    b = signed_in(nagai, "registry_clerk")
    assert b.get(f"/t/{nagai}/admin/users").status_code == 403


def test_the_parameters_screen_shows_values_sources_and_sets_an_override_with_a_reason(signed_in, nagai):
    admin = signed_in(nagai, "tenant_admin")
    page = admin.get(f"/t/{nagai}/admin/parameters")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "tenant.mayor.title" in text and "国の既定値" in text and "住民基本台帳法第12条" in text
    assert "上書きはありません" in text
    response = admin.client.post(f"/t/{nagai}/admin/parameters", data={
        "key": "tenant.mayor.title", "effective_from": "令和2年4月1日", "value": "長井市長",
        "reason": "長井市の首長の職名", "csrf_token": csrf_of(page.text)})
    assert response.status_code == 303
    text = text_of(admin.get(response.headers["location"]).text)
    assert "パラメータの上書きを設定しました" in text
    assert "長井市長" in text and "団体の設定" in text and "長井市の首長の職名" in text
    assert "令和2年4月1日" in text and admin.username in text


def test_an_override_without_a_reason_is_refused_with_the_message_on_the_form(signed_in, platform, nagai):
    admin = signed_in(nagai, "tenant_admin")
    page = admin.get(f"/t/{nagai}/admin/parameters").text
    response = admin.client.post(f"/t/{nagai}/admin/parameters", data={
        "key": "tenant.mayor.title", "effective_from": "2020-04-01", "value": "長井市長", "reason": " ",
        "csrf_token": csrf_of(page)})
    assert response.status_code == 422
    assert "上書きの理由を入力してください" in response.text and 'href="#f-reason"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert audit_entries(platform, nagai, "kernel:parameter:set") == []
    bad = admin.client.post(f"/t/{nagai}/admin/parameters", data={
        "key": "welfare.livelihood_grade", "effective_from": "R2.4.1", "value": "9", "reason": "試し",
        "csrf_token": csrf_of(page)})
    assert bad.status_code == 422 and 'href="#f-value"' in bad.text


def test_a_clerk_sees_the_parameters_but_cannot_set_one(signed_in, nagai):
    b = signed_in(nagai, "registry_clerk")
    page = b.get(f"/t/{nagai}/admin/parameters").text
    assert "tenant.mayor.title" in page and "上書きを設定する" not in page
    response = b.client.post(f"/t/{nagai}/admin/parameters", data={
        "key": "tenant.mayor.title", "effective_from": "2020-04-01", "value": "x", "reason": "y",
        "csrf_token": csrf_of(page)})
    assert response.status_code == 403


def test_the_operator_lists_and_adds_tenants(signed_in, nagai):
    operator = signed_in(None, "operator")
    page = operator.get("/tenants")
    assert page.status_code == 200 and "長井市" in page.text
    bad = operator.client.post("/tenants", data={"code": "062091", "name": "誤り市", "csrf_token": csrf_of(page.text)})
    assert bad.status_code == 422 and 'href="#f-code"' in bad.text
    response = operator.client.post("/tenants", data={
        "code": "131016", "name": "千代田区", "kind": "特別区", "csrf_token": csrf_of(page.text)})
    assert response.status_code == 303
    assert "千代田区" in operator.get("/tenants").text
    assert operator.get(f"/t/{nagai}/residents").status_code == 403  # no residents' data


def test_a_tenant_user_cannot_open_the_tenants_screen(signed_in, nagai):
    b = signed_in(nagai, "tenant_admin")
    assert b.get("/tenants").status_code == 403


# API clients and deactivation ----------------------------------------------------------


def test_the_tenant_admin_registers_an_api_client_and_sees_its_secret_once(signed_in, platform, nagai):
    admin = signed_in(nagai, "tenant_admin")
    home = admin.get(f"/t/{nagai}/").text
    assert f'/t/{nagai}/admin/api-clients' in home  # in the menu of the tenant admin
    form = admin.get(f"/t/{nagai}/admin/api-clients").text
    assert 'id="f-scopes-registry-resident-search"' in form and "住民の検索" in form  # labelled checkboxes
    assert "kernel:user:manage" not in form and "kernel:tenant:export" not in form
    response = admin.client.post(f"/t/{nagai}/admin/api-clients", data={
        "name": "税務システム連携", "expires_on": "2099-01-01", "scopes": ["registry:resident:search"],
        "csrf_token": csrf_of(form)})
    assert response.status_code == 422 and "有効期限" in text_of(response.text)  # at most a year ahead
    expires = (today_jst() + timedelta(days=90)).isoformat()
    response = admin.client.post(f"/t/{nagai}/admin/api-clients", data={
        "name": "税務システム連携", "expires_on": expires, "scopes": ["registry:resident:search"],
        "csrf_token": csrf_of(form)})
    assert response.status_code == 201
    secret = re.search(r'data-secret="([^"]+)"', response.text).group(1)
    client_id = re.search(r'<code id="client-id">([^<]+)</code>', response.text).group(1)
    assert "一度だけ" in text_of(response.text)
    listed = admin.get(f"/t/{nagai}/admin/api-clients").text
    assert client_id in listed and secret not in listed and "有効" in text_of(listed)
    token = admin.client.post("/api/v1/auth/token", data={
        "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
    assert token.status_code == 200
    revoked = admin.client.post(f"/t/{nagai}/admin/api-clients/{client_id}/revoke", data={"csrf_token": csrf_of(listed)})
    assert revoked.status_code == 303
    assert "失効" in text_of(admin.get(revoked.headers["location"]).text)
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert admin.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "ヤ"}, headers=headers).status_code == 401
    actions = [e.action for e in audit_entries(platform, nagai) if e.action.startswith("kernel:api_client")]
    assert actions == ["kernel:api_client:add", "kernel:api_client:revoke"]


def test_a_clerk_cannot_open_the_api_clients_screen(signed_in, nagai):
    assert signed_in(nagai, "registry_clerk").get(f"/t/{nagai}/admin/api-clients").status_code == 403


def test_the_tenant_admin_stops_a_user_who_then_cannot_open_the_tenant(signed_in, platform, nagai):
    clerk = signed_in(nagai, "registry_clerk")
    admin = signed_in(nagai, "tenant_admin")
    page = admin.get(f"/t/{nagai}/admin/users").text
    assert f'action="/t/{nagai}/admin/users/{admin.username}/deactivate"' not in page  # not oneself
    response = admin.client.post(f"/t/{nagai}/admin/users/{clerk.username}/deactivate",
                                 data={"csrf_token": csrf_of(page)})
    assert response.status_code == 303
    assert "利用を停止しました" in text_of(admin.get(response.headers["location"]).text)
    assert clerk.get(f"/t/{nagai}/").status_code in (303, 403)
    assert clerk.username not in admin.get(f"/t/{nagai}/admin/users").text


def test_the_api_client_screen_refuses_the_names_the_api_refuses(signed_in, platform, nagai):
    """One definition (kernel.fields.CLIENT_NAME) for both doors: a bidi control or a newline
    in a client's name is refused on the screen as in the API, and nothing is registered."""
    admin = signed_in(nagai, "tenant_admin")
    form = admin.get(f"/t/{nagai}/admin/api-clients").text
    expires = (today_jst() + timedelta(days=90)).isoformat()
    for name in ("税務\u202eシステム", "税務\nシステム"):
        response = admin.client.post(f"/t/{nagai}/admin/api-clients", data={
            "name": name, "expires_on": expires, "scopes": ["registry:resident:search"], "csrf_token": csrf_of(form)})
        assert response.status_code == 422 and "名前" in text_of(response.text)
    assert "kernel:api_client:add" not in [e.action for e in audit_entries(platform, nagai)]
