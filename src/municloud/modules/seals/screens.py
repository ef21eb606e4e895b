"""印鑑登録の画面 (the seals counter): a person's seal page, 亡失・廃止, and the panel on the
registry's resident page.

* ``GET  /t/{tenant}/seals`` — find the person by 宛名番号 (or come from the resident page);
* ``GET  /t/{tenant}/seals/persons/{atena_no}`` — the registration in force (impression,
  size, 印鑑登録証 number masked) and every earlier one (亡失・廃止・職権抹消・再登録), with
  the buttons 登録（再登録）, 証明書の交付 and the 亡失・廃止 form;
* ``GET  /t/{tenant}/seals/registrations/{n}/impression`` — the impression image (audited);
* ``POST /t/{tenant}/seals/registrations/{n}/end`` (CSRF) ``action=confirm`` → the same
  ``end_registration`` as a dry run → the confirmation; ``action=register`` → for real.

Registration is in ``registration_screens.py``, the 印鑑登録証明書 in
``certificate_screens.py``.  Every handler calls the seals services (permissions, audit,
rules); nothing here queries the database.  ``RESIDENT_PANELS`` puts the seal history on
the resident page (``web/screens/panels.py``) for users holding ``seals:registration:view``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Query
from fastapi.responses import Response

from municloud.errors import MuniError
from municloud.kernel.fields import SERIAL_MAX
from municloud.modules.seals import certificate_screens, domain, registration_screens
from municloud.modules.seals.catalog import P_CERTIFICATE, P_MANAGE, P_VIEW
from municloud.modules.seals.services.registrations import (
    end_registration,
    get_impression,
    get_registrations,
)
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.panels import Panel, ResidentPanel
from municloud.web.screens.rendering import MenuItem, redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
router.include_router(registration_screens.router)
router.include_router(certificate_screens.router)
T = "seals/"
MENU_LOOKUP = "/seals"
END_LABELS = {"lost": "印鑑登録証の亡失（なくした・盗まれた）", "withdrawn": "印鑑登録の廃止（本人の申請）"}
METHOD_LABELS = domain.IDENTITY_SHORT
RegistrationNo = Annotated[int, Path(ge=1, le=SERIAL_MAX)]


def seal_page(screen: Screen, atena_no: str, *, errors=None, status: int = 200, done: str | None = None,
              form: dict | None = None) -> Response:
    seals = get_registrations(screen.uow(), screen.ctx, atena_no)
    keys = {}
    if screen.ctx.has(P_MANAGE):
        keys["Alt+R"] = "印鑑の登録（再登録）"
    if screen.ctx.has(P_CERTIFICATE) and seals.active:
        keys["Alt+C"] = "印鑑登録証明書の交付"
    return screen.render(
        T + "person.html", title=f"印鑑登録：{seals.person.shimei}", status=status, errors=errors, shortcuts=keys,
        seals=seals, person=seals.person, can_manage=screen.ctx.has(P_MANAGE),
        can_issue=screen.ctx.has(P_CERTIFICATE), end_labels=list(END_LABELS.items()), methods=METHOD_LABELS,
        done=done, form=form or {"reason": ""},
    )


@router.get("/t/{tenant}/seals", summary="印鑑登録（宛名番号で開く）", dependencies=[requires(P_VIEW)])
def lookup(screen: TenantScreen, atena_no: Annotated[str, Query()] = "") -> Response:
    atena_no = atena_no.strip()
    if atena_no:
        return redirect(f"{screen.base}/seals/persons/{atena_no}")
    return screen.render(T + "lookup.html", title="印鑑登録", target="")


@router.get("/t/{tenant}/seals/persons/{atena_no}", summary="印鑑登録の状況と履歴",
            dependencies=[requires(P_VIEW, also=[P_MANAGE, P_CERTIFICATE])])
def person(screen: TenantScreen, atena_no: str) -> Response:
    return seal_page(screen, atena_no)


@router.get("/t/{tenant}/seals/registrations/{registration_no}/impression", summary="印影の画像",
            dependencies=[requires(P_VIEW)])
def impression(screen: TenantScreen, registration_no: RegistrationNo) -> Response:
    found = get_impression(screen.uow(), screen.ctx, registration_no)
    return Response(found.data, media_type=found.mime, headers={"Cache-Control": "no-store"})


@router.post("/t/{tenant}/seals/registrations/{registration_no}/end", summary="印鑑登録の亡失・廃止（確認・登録）",
             dependencies=[requires(P_MANAGE)])
def end(screen: TenantForm, registration_no: RegistrationNo, atena_no: Annotated[str, Form()] = "",
        reason: Annotated[str, Form()] = "", action: Annotated[str, Form()] = "confirm") -> Response:
    form = {"reason": reason}
    if action == "edit":
        return seal_page(screen, atena_no, form=form)
    dry_run = action != "register"
    try:
        view = end_registration(screen.uow(dry_run=dry_run), screen.ctx, registration_no, reason)
    except MuniError as exc:
        if exc.status in (401, 403, 404) or not atena_no:
            raise
        return seal_page(screen, atena_no, errors=exc, status=exc.status, form=form)
    if dry_run:
        return screen.render(T + "end_confirm.html", title="印鑑登録の亡失・廃止の確認", view=view, reason=reason,
                             reason_label=END_LABELS[reason], atena_no=view.atena_no,
                             shortcuts={"Alt+T": "登録する", "Alt+B": "修正する"})
    return seal_page(screen, view.atena_no, done=f"登録番号 {view.registration_no} の印鑑登録を終了しました（{view.status}）")


def seal_panel(screen: Screen, atena_no: str) -> Panel:
    """The seal history on the resident page (the look audited by ``get_registrations``)."""
    seals = get_registrations(screen.uow(), screen.ctx, atena_no)
    return Panel("seals", "印鑑登録", T + "_resident_panel.html",
                 {"seals": seals, "can_manage": screen.ctx.has(P_MANAGE), "methods": METHOD_LABELS})


RESIDENT_PANELS = [ResidentPanel("seals", P_VIEW, seal_panel)]

MENU = [
    MenuItem("印鑑登録", MENU_LOOKUP, P_VIEW, "印鑑の登録・再登録、印鑑登録証の亡失・廃止、登録の状況と履歴", "i"),
    MenuItem("印鑑登録証明書の交付", "/seals/certificates/new", P_CERTIFICATE,
             "印鑑登録証の提示と本人確認を受けて印鑑登録証明書を交付します"),
]
