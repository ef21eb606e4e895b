"""Every screen's declared access holds: a signed-in user whose role lacks the declared
permission gets the 403 page (audited, nothing written) — with a valid CSRF token, so it
is the permission that refuses — and a user whose role has it does not."""

from __future__ import annotations

import pytest

from municloud.web.access import MEMBER_KIND, PERMISSION_KIND, PUBLIC_KIND, SIGNED_IN_KIND
from municloud.web.routes import SCREEN
from tests.factories import audit_entries, make_tenant
from tests.integration.api.access_helpers import (
    TENANT,
    footprint,
    lacking_and_holding,
    rows_of,
    url_of,
)
from tests.integration.screens.helpers import csrf_of


@pytest.fixture
def tenant(platform):
    return make_tenant(platform, TENANT, "長井市")


def open_as(browser, row):
    """The screen as *browser* opens it: a POST carries the session's CSRF token."""
    if row.method == "GET":
        return browser.get(url_of(row.path))
    token = csrf_of(browser.get(f"/t/{TENANT}/" if "{tenant}" in row.path else "/home").text)
    return browser.client.post(url_of(row.path), data={"csrf_token": token})


@pytest.mark.parametrize("row", rows_of(SCREEN, PERMISSION_KIND, platform=False))
def test_a_role_without_the_declared_permission_gets_the_403_page_and_one_with_it_does_not(
        signed_in, platform, tenant, row):
    permission = row.access.permission
    lacking, holding = lacking_and_holding(platform, permission)
    browser = signed_in(tenant, lacking)
    before, seen = footprint(platform), len(audit_entries(platform, tenant))

    refused = open_as(browser, row)
    assert refused.status_code == 403 and "権限がありません" in refused.text, lacking
    assert "PERMISSION_DENIED" in refused.text  # the permission refused, not the CSRF check
    assert footprint(platform) == before
    new = [(e.action, e.outcome) for e in audit_entries(platform, tenant)[seen:]]
    assert new == [("kernel:access:denied", "denied")]

    allowed = open_as(signed_in(tenant, holding), row)
    assert allowed.status_code != 403, (holding, allowed.text[:300])


@pytest.mark.parametrize("row", rows_of(SCREEN, MEMBER_KIND))
def test_a_member_screen_opens_for_any_role_of_the_tenant_and_no_one_else(signed_in, platform, tenant, row):
    make_tenant(platform, "341002", "広島市", kind="指定都市")
    # a GET opens; a POST of an empty form is let in and answered on the form (422) or done (303)
    assert open_as(signed_in(tenant, "auditor"), row).status_code in ((200,) if row.method == "GET" else (303, 422))
    outsider = signed_in("341002", "tenant_admin")
    if row.method == "GET":
        assert outsider.get(url_of(row.path)).status_code == 403
    else:  # with the outsider's own valid token: the membership refuses, not the CSRF check
        token = csrf_of(outsider.get("/t/341002/").text)
        assert outsider.client.post(url_of(row.path), data={"csrf_token": token}).status_code == 403


@pytest.mark.parametrize("row", rows_of(SCREEN, PERMISSION_KIND, platform=True))
def test_an_operator_screen_opens_for_the_operator_only(signed_in, tenant, row):
    assert signed_in(tenant, "tenant_admin").get(url_of(row.path)).status_code == 403
    assert signed_in(None, "operator").get(url_of(row.path)).status_code == 200


@pytest.mark.parametrize("row", rows_of(SCREEN, SIGNED_IN_KIND))
def test_a_signed_in_screen_sends_a_stranger_to_the_log_in(browser, signed_in, tenant, row):
    stranger = browser().get(url_of(row.path))
    assert stranger.status_code == 303 and stranger.headers["location"].startswith("/login")
    assert signed_in(tenant, "auditor").get(url_of(row.path)).status_code in (200, 303)


@pytest.mark.parametrize("row", rows_of(SCREEN, PUBLIC_KIND))
def test_a_public_screen_needs_no_session(browser, tenant, row):
    response = browser().client.request(row.method, url_of(row.path))
    assert response.status_code != 401
    assert response.status_code != 403 or "CSRF_REFUSED" in response.text  # a form posted without its token
