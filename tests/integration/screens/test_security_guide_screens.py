"""情報セキュリティの心得 (R21): every member reads it, confirms each version once (audited),
is reminded on the home page until they do, and the tenant admin sees who has confirmed."""

from __future__ import annotations

import json
import re

import pytest

from municloud.kernel import security_guide
from tests.factories import audit_entries
from tests.integration.screens.helpers import csrf_of, make_user, text_of

ACTION = "kernel:security_guide:acknowledge"


def acknowledge(browser, tenant: str, version: str | None = None):
    """Press 「内容を理解しました」 on the guide as shown (or on a page of *version*)."""
    page = browser.get(f"/t/{tenant}/security-guide").text
    shown = re.search(r'name="version" value="([^"]+)"', page).group(1)
    return browser.client.post(f"/t/{tenant}/security-guide/acknowledge", data={
        "version": version or shown, "csrf_token": csrf_of(page)})


@pytest.mark.parametrize("role", ["registry_clerk", "auditor", "tenant_admin", "tax_officer"])
def test_every_member_reads_the_guide_from_the_menu(signed_in, nagai, role):
    member = signed_in(nagai, role)
    home = member.get(f"/t/{nagai}/").text
    assert f'href="/t/{nagai}/security-guide"' in home  # in the menu, whatever the role
    page = member.get(f"/t/{nagai}/security-guide")
    assert page.status_code == 200
    text = text_of(page.text)
    assert f"第{security_guide.GUIDE_VERSION}版" in text
    for words in ("監査ログ", "目的外の閲覧の禁止", "自分自身や家族の情報を見る", "住民基本台帳法 第35条",
                  "いる・いないを答えてはいけません", "番号法", "二要素認証", "シュレッダー", "書類の種類",
                  "USB メモリ", "直ちに", "地方公共団体における情報セキュリティポリシーに関するガイドライン"):
        assert words in text, words
    assert "内容を理解しました" in text and 'class="print-only"' in page.text


def test_the_home_page_reminds_a_member_until_they_acknowledge(signed_in, platform, nagai):
    clerk = signed_in(nagai, "registry_clerk")
    assert clerk.landing == f"/t/{nagai}/"  # the log-in flow is unchanged: a notice, not a block
    assert 'id="guide-due"' in clerk.get(f"/t/{nagai}/").text
    response = acknowledge(clerk, nagai)
    assert response.status_code == 303
    assert response.headers["location"] == f"/t/{nagai}/security-guide?notice=guide_acknowledged"
    page = text_of(clerk.get(response.headers["location"]).text)
    assert "確認したことを記録しました" in page and "この版（第1.0版）の内容を理解したことを確認済み" in page
    assert 'id="guide-due"' not in clerk.get(f"/t/{nagai}/").text
    [entry] = audit_entries(platform, nagai, ACTION)
    assert entry.actor == clerk.username and entry.outcome == "success"
    assert json.loads(entry.subjects) == [f"security_guide:{security_guide.GUIDE_VERSION}"]
    assert json.loads(entry.detail) == {"version": security_guide.GUIDE_VERSION}


def test_a_new_version_must_be_acknowledged_again(signed_in, platform, nagai, monkeypatch):
    clerk = signed_in(nagai, "registry_clerk")
    assert acknowledge(clerk, nagai).status_code == 303
    monkeypatch.setattr(security_guide, "GUIDE_VERSION", "2.0")
    assert 'id="guide-due"' in clerk.get(f"/t/{nagai}/").text
    guide = text_of(clerk.get(f"/t/{nagai}/security-guide").text)
    assert "前に確認したのは第1.0版" in guide and "この心得（第2.0版）を読み" in guide
    stale = acknowledge(clerk, nagai, version="1.0")  # the old page, still open in another window
    assert stale.status_code == 422 and "改定されました" in stale.text
    assert acknowledge(clerk, nagai).status_code == 303
    assert 'id="guide-due"' not in clerk.get(f"/t/{nagai}/").text
    assert [json.loads(e.detail)["version"] for e in audit_entries(platform, nagai, ACTION)] == ["1.0", "2.0"]


def test_the_tenant_admin_sees_who_acknowledged_which_version(signed_in, platform, nagai, monkeypatch):
    reader = signed_in(nagai, "registry_clerk")
    acknowledge(reader, nagai)
    never = make_user(platform, nagai, "auditor")
    admin = signed_in(nagai, "tenant_admin")
    page = admin.get(f"/t/{nagai}/admin/users").text
    rows = {r.split("</td>")[0].split(">")[-1]: text_of(r) for r in page.split("<tr>")[1:]}
    assert "第1.0版 令和" in rows[reader.username] and "未確認" in rows[never]
    monkeypatch.setattr(security_guide, "GUIDE_VERSION", "1.1")
    page = admin.get(f"/t/{nagai}/admin/users").text
    rows = {r.split("</td>")[0].split(">")[-1]: text_of(r) for r in page.split("<tr>")[1:]}
    assert "旧版（再確認が必要）" in rows[reader.username]


def test_acknowledging_needs_the_csrf_token_and_a_role_in_the_tenant(signed_in, platform, nagai, hiroshima):
    clerk = signed_in(nagai, "registry_clerk")
    refused = clerk.client.post(f"/t/{nagai}/security-guide/acknowledge", data={"version": "1.0"})
    assert refused.status_code == 403
    assert clerk.get(f"/t/{hiroshima}/security-guide").status_code == 403  # not a member of that tenant
    assert audit_entries(platform, nagai, ACTION) == []

