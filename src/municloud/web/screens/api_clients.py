"""Tenant-admin screens: API clients (機械連携の資格情報) — list, register, revoke.

The same services as ``POST /api/v1/t/{tenant}/api-clients`` (``identity.clients``): they
check ``kernel:api_client:manage`` and audit.  The secret is shown once, on the page that
answers the registration (never in a URL, never again).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from municloud.errors import MuniError, ValidationError
from municloud.jp.wareki import parse_date
from municloud.kernel.catalog import P_API_CLIENT_MANAGE
from municloud.kernel.identity.clients import (
    allowed_scopes,
    create_api_client,
    list_api_clients,
    revoke_api_client,
)
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import FormErrors, redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
LABELS = {"name": "名前", "scopes": "権限の範囲", "expires_on": "有効期限"}
FIELDS = {"JP_DATE_INVALID": "expires_on"}


def _page(screen: Screen, *, errors=None, form: dict | None = None, checked: list[str] = (), created=None,
          status: int = 200) -> Response:
    clients = list_api_clients(screen.uow(read_only=True), screen.ctx)
    described = screen.platform.catalog.permissions
    choices = [(p, p, described[p].description) for p in allowed_scopes(screen.platform.catalog)]
    return screen.render(
        "admin/api_clients.html", title="APIクライアント", status=422 if errors else status, errors=errors,
        form=form, clients=clients, scope_choices=choices, checked=list(checked), labels=LABELS, created=created,
    )


@router.get("/t/{tenant}/admin/api-clients", summary="APIクライアントの一覧と登録",
            dependencies=[requires(P_API_CLIENT_MANAGE)])
def api_clients(screen: TenantScreen) -> Response:
    return _page(screen)


@router.post("/t/{tenant}/admin/api-clients", summary="APIクライアントの登録",
             dependencies=[requires(P_API_CLIENT_MANAGE)])
def new_api_client(
    screen: TenantForm,
    name: Annotated[str, Form()] = "",
    expires_on: Annotated[str, Form()] = "",
    scopes: Annotated[list[str], Form()] = [],  # noqa: B006 — FastAPI copies form defaults
) -> Response:
    form = {"name": name, "expires_on": expires_on}
    try:
        if not expires_on.strip():
            raise ValidationError("CLIENT_EXPIRY_REQUIRED", "有効期限を入力してください",
                                  fields={"expires_on": "有効期限を入力してください"})
        created = create_api_client(screen.uow(), screen.ctx, name, scopes, parse_date(expires_on))
    except MuniError as exc:
        if exc.status in (401, 403) or exc.status >= 500:
            raise
        return _page(screen, errors=FormErrors.of(exc, codes=FIELDS), form=form, checked=scopes)
    return _page(screen, created=created, status=201)


@router.post("/t/{tenant}/admin/api-clients/{client_id}/revoke", summary="APIクライアントの失効",
             dependencies=[requires(P_API_CLIENT_MANAGE)])
def revoke(screen: TenantForm, client_id: str) -> Response:
    try:
        revoke_api_client(screen.uow(), screen.ctx, client_id)
    except MuniError as exc:
        if exc.status in (401, 403) or exc.status >= 500:
            raise
        return _page(screen, errors=FormErrors.of(exc))
    return redirect(f"{screen.base}/admin/api-clients", "api_client_revoked")
