"""A tenant's home (the menu the user's roles allow) and the operator's tenants screen."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from municloud.errors import MuniError
from municloud.kernel.tenants.services import TENANT_KINDS, add_tenant, list_tenants
from municloud.web.screens.access import MEMBER, OPERATOR
from municloud.web.screens.deps import OperatorForm, OperatorScreen, TenantScreen
from municloud.web.screens.guide import guide_due
from municloud.web.screens.rendering import FormErrors, redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
FIELD_OF_CODE = {"JP_LG_CODE_INVALID": "code", "TENANT_EXISTS": "code", "TENANT_KIND_INVALID": "kind"}


@router.get("/t/{tenant}/", summary="団体のホーム（メニュー）", dependencies=[MEMBER])
def tenant_home(screen: TenantScreen) -> Response:
    roles = screen.platform.catalog.roles
    held = [roles[r].description if r in roles else r for r in sorted(screen.ctx.roles)]
    return screen.render("home/tenant_home.html", title="ホーム", roles=held, guide_due=guide_due(screen))


def _tenants_page(screen, *, status: int = 200, errors=None, form: dict | None = None) -> Response:
    tenants = list_tenants(screen.platform.uow(None, read_only=True), screen.ctx)
    kinds = [(k, k) for k in TENANT_KINDS]
    return screen.render("operator/tenants.html", title="団体の管理", status=status, errors=errors, form=form,
                         tenants=tenants, kinds=kinds)


@router.get("/tenants", summary="団体の一覧", dependencies=[OPERATOR])
def tenants(screen: OperatorScreen) -> Response:
    return _tenants_page(screen)


@router.post("/tenants", summary="団体の追加", dependencies=[OPERATOR])
def new_tenant(
    screen: OperatorForm,
    code: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "市",
) -> Response:
    form = {"code": code, "name": name, "kind": kind}
    try:
        add_tenant(screen.uow(), screen.ctx, code.strip(), name, kind)
    except MuniError as exc:
        if exc.status >= 500 or exc.status == 403:
            raise
        errors = FormErrors.of(exc, codes=FIELD_OF_CODE)
        return _tenants_page(screen, status=exc.status, errors=errors, form=form)
    return redirect("/tenants", "tenant_added")
