"""Every route declares who may call it; docs/permissions.md lists exactly those declarations;
and calling every route proves them: a role without the declared permission is refused
(403, audited, nothing read or written — before the body is even validated) and a role
with it is not."""

from __future__ import annotations

import json

import pytest

from municloud.web.access import MEMBER_KIND, PERMISSION_KIND, PUBLIC_KIND, SIGNED_IN_KIND
from municloud.web.routes import API, DOC, FRAMEWORK, SCREEN, generated
from tests.factories import audit_entries, make_tenant
from tests.integration.api.access_helpers import (
    ROWS,
    TENANT,
    call,
    footprint,
    lacking_and_holding,
    rows_of,
)

# The declarations and the document ------------------------------------------------------


def test_the_route_table_of_the_permissions_document_is_generated_from_the_application():
    current = DOC.read_text(encoding="utf-8")
    assert current == generated(current), "run: python -m municloud.web.routes"


def test_every_route_declares_exactly_once_who_may_call_it(platform):
    undeclared = [f"{r.method} {r.path}" for r in ROWS if r.surface != FRAMEWORK and r.declarations != 1]
    assert undeclared == [], "declare each with one of municloud.web.access (or web.screens.access)"
    named = {p for r in ROWS if r.access for p in (r.access.permission, *r.access.also) if p}
    assert named - set(platform.catalog.permissions) == set()
    for r in ROWS:
        if r.access is None:
            continue
        in_tenant = "{tenant}" in r.path
        scoped = r.access.kind == MEMBER_KIND or (r.access.kind == PERMISSION_KIND and not r.access.platform)
        assert in_tenant == scoped, f"{r.method} {r.path}: a tenant's routes need a role there, others none"
    tenant_api = [r for r in ROWS if r.path.startswith("/api/v1/t/{tenant}/")]
    assert len(tenant_api) > 30 and all(r.access.kind in (MEMBER_KIND, PERMISSION_KIND) for r in tenant_api)
    assert {r.access.kind for r in ROWS if r.path in ("/api/v1/auth/token", "/health") or "verify/" in r.path} == {
        PUBLIC_KIND}
    [tenants] = [r for r in ROWS if (r.method, r.path) == ("GET", "/api/v1/tenants")]
    assert (tenants.access.permission, tenants.access.platform) == ("kernel:tenant:manage", True)


# Proving them on the API ----------------------------------------------------------------


@pytest.fixture
def tenant(platform):
    return make_tenant(platform, TENANT, "長井市")


@pytest.mark.parametrize("row", rows_of(API, PERMISSION_KIND, platform=False))
def test_a_role_without_the_declared_permission_is_refused_first_and_one_with_it_is_not(api, platform, tenant, row):
    permission = row.access.permission
    lacking, holding = lacking_and_holding(platform, permission)
    headers = api.login_as(tenant, lacking)
    before, seen = footprint(platform), len(audit_entries(platform, tenant))

    refused = call(api.client, row, headers)
    assert refused.status_code == 403, (lacking, refused.text)
    assert refused.json()["code"] == "PERMISSION_DENIED"
    assert footprint(platform) == before  # nothing written
    [entry] = audit_entries(platform, tenant)[seen:]
    assert (entry.action, entry.outcome) == ("kernel:access:denied", "denied")
    assert json.loads(entry.detail) == {"missing_permission": permission}

    allowed = call(api.client, row, api.login_as(tenant, holding))
    assert allowed.status_code not in (401, 403), (holding, allowed.text)


@pytest.mark.parametrize("row", rows_of(API, MEMBER_KIND))
def test_a_member_route_answers_any_role_of_the_tenant_and_no_one_else(api, platform, tenant, row):
    make_tenant(platform, "341002", "広島市", kind="指定都市")
    assert call(api.client, row, api.login_as(tenant, "auditor")).status_code not in (401, 403)
    assert call(api.client, row, api.login_as("341002", "tenant_admin")).status_code == 403
    assert call(api.client, row).status_code == 401


@pytest.mark.parametrize("row", rows_of(API, PERMISSION_KIND, platform=True))
def test_an_operator_route_answers_the_operator_only(api, platform, tenant, row):
    for role in ("tenant_admin", "registry_supervisor"):
        assert call(api.client, row, api.login_as(tenant, role)).status_code == 403
    assert call(api.client, row).status_code == 401
    assert call(api.client, row, api.login_as(None, "operator")).status_code not in (401, 403)


@pytest.mark.parametrize("row", rows_of(API, SIGNED_IN_KIND))
def test_a_signed_in_route_needs_a_token_only(api, tenant, row):
    assert call(api.client, row).status_code == 401
    assert call(api.client, row, api.login_as(tenant, "auditor")).status_code not in (401, 403)


@pytest.mark.parametrize("row", rows_of(API, PUBLIC_KIND))
def test_a_public_route_needs_nothing(api, tenant, row):
    assert call(api.client, row).status_code not in (401, 403)


def test_the_proofs_cover_every_route_of_the_api():
    covered = sum(len(rows_of(API, kind)) for kind in (PERMISSION_KIND, MEMBER_KIND, SIGNED_IN_KIND, PUBLIC_KIND))
    assert covered == len([r for r in ROWS if r.surface == API]) and {r.surface for r in ROWS} == {
        API, SCREEN, FRAMEWORK}
