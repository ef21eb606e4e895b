"""Tenant-admin screens: users and roles (with their second-factor enrolment date and the
version of the 情報セキュリティの心得 each has confirmed: the training record) and
the tenant's parameters (value in force, source, effective date; overrides with reasons).

Permissions are the services': ``enrolment_status`` / ``add_user`` / ``set_override``
refuse (and audit) a user without ``kernel:user:manage`` / ``kernel:parameter:manage``.
Parameters hold no personal data: every member of the tenant may read them (as through
the API); the override form is shown to those who may set one.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form
from fastapi.responses import Response

from municloud.errors import MuniError, ValidationError
from municloud.interchange.archive import export_archive
from municloud.jp.wareki import parse_date
from municloud.kernel import security_guide
from municloud.kernel.catalog import P_PARAMETER_MANAGE, P_TENANT_EXPORT, P_USER_MANAGE
from municloud.kernel.identity.accounts import deactivate_user
from municloud.kernel.identity.services import add_user
from municloud.kernel.identity.sessions import enrolment_status
from municloud.kernel.parameters.listing import parameter_sheet
from municloud.kernel.parameters.services import set_override
from municloud.web.archive_response import ArchiveResponse
from municloud.web.screens.access import MEMBER, requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import FormErrors, redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)

USER_FIELDS = {
    "ROLE_REQUIRED": "roles", "ROLE_UNKNOWN": "roles", "PASSWORD_REQUIRED": "password",
    "USER_IS_NOT_OPERATOR": "username",
}
PARAMETER_FIELDS = {
    "PARAMETER_UNKNOWN": "key", "PARAMETER_NOT_IN_FORCE": "effective_from", "JP_DATE_INVALID": "effective_from",
}
USER_LABELS = {"username": "利用者名", "display_name": "表示名", "password": "初期パスワード", "roles": "ロール"}
PARAMETER_LABELS = {"key": "パラメータ", "effective_from": "適用開始日", "value": "値", "reason": "理由"}


def _reraise_refusals(exc: MuniError) -> None:
    """Refusals and system errors are pages of their own; input errors go back on the form."""
    if exc.status in (401, 403) or exc.status >= 500:
        raise exc


# Users and roles ------------------------------------------------------------------------


def _users_page(screen: Screen, *, errors=None, form: dict | None = None, checked: list[str] = ()) -> Response:
    people = enrolment_status(screen.uow(), screen.ctx)
    guide = security_guide.acknowledgments(screen.uow(read_only=True), screen.ctx)
    roles = screen.platform.catalog.roles
    choices = [(r.name, r.name, r.description) for r in sorted(roles.values(), key=lambda r: r.name) if not r.platform]
    return screen.render(
        "admin/users.html", title="利用者とロール", status=422 if errors else 200, errors=errors, form=form,
        people=people, role_choices=choices, role_names={r.name: r.description for r in roles.values()},
        checked=list(checked), labels=USER_LABELS, can_export=screen.ctx.has(P_TENANT_EXPORT),
        me=screen.session.username, guide=guide, guide_version=security_guide.GUIDE_VERSION,
    )


@router.get("/t/{tenant}/admin/users", summary="利用者とロール・二要素認証の登録状況", dependencies=[requires(P_USER_MANAGE)])
def users(screen: TenantScreen) -> Response:
    return _users_page(screen)


@router.post("/t/{tenant}/admin/users", summary="利用者の追加・ロールの付与", dependencies=[requires(P_USER_MANAGE)])
def new_user(
    screen: TenantForm,
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    roles: Annotated[list[str], Form()] = [],  # noqa: B006 — FastAPI copies form defaults
) -> Response:
    form = {"username": username, "display_name": display_name}
    try:
        add_user(screen.uow(), screen.ctx, username, password or None, roles, display_name.strip() or None)
    except MuniError as exc:
        _reraise_refusals(exc)
        return _users_page(screen, errors=FormErrors.of(exc, codes=USER_FIELDS), form=form, checked=roles)
    return redirect(f"{screen.base}/admin/users", "user_added")


@router.post("/t/{tenant}/admin/users/{username}/deactivate", summary="利用者の利用停止（この団体のロールを終える）",
             dependencies=[requires(P_USER_MANAGE)])
def deactivate(screen: TenantForm, username: str) -> Response:
    """利用停止: the person's roles in this tenant end (``accounts.deactivate_user``)."""
    try:
        deactivate_user(screen.uow(), screen.ctx, username)
    except MuniError as exc:
        _reraise_refusals(exc)
        return _users_page(screen, errors=FormErrors.of(exc))
    return redirect(f"{screen.base}/admin/users", "user_deactivated")


# Parameters -----------------------------------------------------------------------------


def parse_value(text: str, kind: str) -> Any:
    """What the admin typed: JSON (数値・true/false・配列) or, for text parameters, plain text."""
    text = text.strip()
    if kind == "str" and not text.startswith('"'):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text  # refused by the definition's type check, with its Japanese message


def _parameters_page(screen: Screen, *, errors=None, form: dict | None = None) -> Response:
    sheet = parameter_sheet(screen.uow(read_only=True))
    keys = [(p.key, f"{p.key}（{p.description}）") for p in sheet.parameters]
    return screen.render(
        "admin/parameters.html", title="パラメータ", status=422 if errors else 200, errors=errors, form=form,
        sheet=sheet, keys=keys, can_set=screen.ctx.has(P_PARAMETER_MANAGE), labels=PARAMETER_LABELS,
    )


@router.get("/t/{tenant}/admin/parameters", summary="パラメータの一覧（国の既定値と団体の上書き）", dependencies=[MEMBER])
def parameters(screen: TenantScreen) -> Response:
    return _parameters_page(screen)


@router.post("/t/{tenant}/admin/parameters", summary="団体の値で上書き（適用日・理由付き）", dependencies=[requires(P_PARAMETER_MANAGE)])
def new_override(
    screen: TenantForm,
    key: Annotated[str, Form()] = "",
    effective_from: Annotated[str, Form()] = "",
    value: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    form = {"key": key, "effective_from": effective_from, "value": value, "reason": reason}
    definitions = screen.platform.parameters.definitions.items
    try:
        if not effective_from.strip():
            raise ValidationError("PARAMETER_DATE_REQUIRED", "適用開始日を入力してください",
                                  fields={"effective_from": "適用開始日を入力してください"})
        day = parse_date(effective_from)
        kind = definitions[key].type if key in definitions else "str"
        set_override(screen.uow(), screen.ctx, key, day, parse_value(value, kind), reason)
    except MuniError as exc:
        _reraise_refusals(exc)
        return _parameters_page(screen, errors=FormErrors.of(exc, codes=PARAMETER_FIELDS), form=form)
    return redirect(f"{screen.base}/admin/parameters", "parameter_set")


# Export ---------------------------------------------------------------------------------


@router.post("/t/{tenant}/admin/export", summary="団体の全データの書き出し（ZIP）", dependencies=[requires(P_TENANT_EXPORT)])
def export(screen: TenantForm) -> Response:
    """The whole tenant as a ZIP in the standard layout (``export_archive`` refuses and audits)."""
    return ArchiveResponse(export_archive(screen.uow(), screen.ctx))
