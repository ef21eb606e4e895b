"""印鑑登録証明書の交付画面: the 印鑑登録証's number presented, the requester (本人／代理人)
and the 本人確認 → the PDF.

* ``GET  /t/{tenant}/seals/certificates/new?atena_no=…`` — the form (without a 宛名番号: a
  box to type it);
* ``POST /t/{tenant}/seals/certificates/new`` (CSRF) → ``issue_certificate`` → the PDF
  (inline, ``inkan-{発行番号}.pdf``), or the form again with the Japanese message: a wrong,
  lost (亡失) or ended card (422, the refusal audited by the service), a person under
  支援措置 asked for by a 代理人 (403, shown as a banner that never says who is protected).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError as PydanticError

from municloud.errors import MuniError
from municloud.modules.seals.catalog import P_CERTIFICATE, P_VIEW
from municloud.modules.seals.domain import MAX_COPIES, REQUESTERS
from municloud.modules.seals.schemas import CertificateIn
from municloud.modules.seals.services.certificates import issue_certificate
from municloud.modules.seals.services.registrations import get_registrations
from municloud.web.errors import validation_fields
from municloud.web.pdf import pdf_response
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import FormErrors
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
FIELDS = ("atena_no", "card_no", "requester", "identity_checked", "copies", "purpose")
LABELS = {"atena_no": "宛名番号", "card_no": "印鑑登録証の番号", "requester": "請求者", "identity_checked": "本人確認",
          "copies": "通数", "purpose": "使用目的"}


def _page(screen: Screen, form: dict, *, errors=None, status: int = 200) -> Response:
    seals = get_registrations(screen.uow(), screen.ctx, form["atena_no"]) if screen.ctx.has(P_VIEW) else None
    return screen.render(
        "seals/certificate_form.html", title="印鑑登録証明書の交付", status=status, errors=errors, form=form,
        seals=seals, labels=LABELS, requesters=[(r, r) for r in REQUESTERS], max_copies=MAX_COPIES,
        shortcuts={"Alt+P": "交付する（PDFを表示）"},
    )


@router.get("/t/{tenant}/seals/certificates/new", summary="印鑑登録証明書の交付の入力",
            dependencies=[requires(P_CERTIFICATE, also=[P_VIEW])])
def new(screen: TenantScreen, atena_no: Annotated[str, Query()] = "") -> Response:
    atena_no = atena_no.strip()
    if not atena_no:
        return screen.render("seals/lookup.html", title="印鑑登録証明書の交付", target="certificates/new")
    return _page(screen, {"atena_no": atena_no, "requester": "", "copies": "1"})


async def _posted(request: Request) -> dict:
    posted = await request.form()
    return {k: v for k in FIELDS if isinstance(v := posted.get(k), str)}


@router.post("/t/{tenant}/seals/certificates/new", summary="印鑑登録証明書の交付（PDF）",
             dependencies=[requires(P_CERTIFICATE, also=[P_VIEW])])
def issue(screen: TenantForm, form: Annotated[dict, Depends(_posted)]) -> Response:
    form.setdefault("atena_no", "")
    try:
        request = CertificateIn(
            atena_no=form["atena_no"], card_no=form.get("card_no", ""), requester=form.get("requester", ""),
            copies=(form.get("copies") or "").strip() or "0", purpose=(form.get("purpose") or "").strip() or None,
            identity_checked=form.get("identity_checked") == "1",
        )
        issued = issue_certificate(screen.uow(), screen.ctx, request)
    except PydanticError as exc:
        fields = validation_fields(list(exc.errors()))
        messages = {"requester": "請求者（本人／代理人）を選んでください",
                    "copies": f"通数は1から{MAX_COPIES}までの数字で入力してください"}
        fields.update({k: v for k, v in messages.items() if k in fields})
        errors = FormErrors("入力内容に誤りがあります。各項目のメッセージに従って直してください", fields, "REQUEST_INVALID")
        return _page(screen, form, errors=errors, status=422)
    except MuniError as exc:
        if exc.status in (401, 404) or (exc.status == 403 and exc.code != "REGISTRY_SUPPORT_MEASURE_ACTIVE"):
            raise
        return _page(screen, form, errors=exc, status=exc.status)
    return pdf_response(issued.pdf, issued.issue_no, prefix="inkan-", headers={"X-Fee-Total": str(issued.fee_total)})
