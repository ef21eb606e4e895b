"""証明書の交付画面: 住民票の写し（世帯連記式・個人票）, 除票の写し, 記載事項証明書.

* ``GET  /t/{tenant}/certificates/new?atena_no=…`` (or ``?setai_no=…``) — the form: kind,
  members (checkboxes, all by default), options (履歴, 世帯主・続柄, 本籍・筆頭者, and
  住民票コード / 個人番号 only for users holding those permissions), requester, purpose,
  本人確認書類 (the kind checked, from the dated list; never its number), copies, 免除の理由
  (from the dated list), with the fee for one copy in force today;
* ``POST /t/{tenant}/certificates/new`` (CSRF), by ``action``:
  ``check`` (the form's button, 「入力内容を確認する」) runs ``issue_certificate`` as a dry
  run and shows the confirmation — the fee (1通の手数料 × 通数, or 0円 with the 免除
  reason), the 本人確認書類, every problem at once on the form otherwise; ``edit`` goes back
  to the form; ``issue`` (the confirmation's 「交付する」, and a post without ``action``)
  issues: the PDF (``application/pdf``, inline, ``{発行番号}.pdf``), or the form again with
  the Japanese error — the 支援措置 gate's refusal (403) or hold (202, with the 保留番号)
  shown in a banner that says what to do and never which person is protected;
* a person under 支援措置 asking for their own record is served only when an 本人確認書類
  was chosen (``identity_document``; older clients: ``identity_checked``); each protected
  member's measure shows its alert (終了予定日が近い・期間満了).

The service checks every permission, the 支援措置 gate, the codes and the request's shape,
and records the 交付履歴 and the audit entry; this screen only translates.  Held requests
are listed and released in ``support_screens.py``; the day's issuances, receipts and the
日計表 are in ``issuance_screens.py``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import ValidationError as PydanticError

from municloud.errors import MuniError, NotFoundError, PermissionDeniedError
from municloud.kernel.clock import today_jst
from municloud.modules.registry.catalog import (
    P_CERTIFICATE,
    P_JUMINHYO_CODE,
    P_MY_NUMBER,
    P_SUPPORT_VIEW,
    P_THIRD_PARTY,
)
from municloud.modules.registry.certificates.fees import window_lists
from municloud.modules.registry.certificates.schemas import (
    KISAI_ITEMS,
    REQUESTER_TYPES,
    CertificateQuote,
    CertificateRequest,
)
from municloud.modules.registry.certificates.services import HeldRequest, issue_certificate
from municloud.modules.registry.notification_subjects import Subject
from municloud.modules.registry.services.queries import get_household, get_resident
from municloud.modules.registry.services.support import measures_of
from municloud.web.errors import validation_fields
from municloud.web.pdf import pdf_response
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import FormErrors
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
CERTIFICATES = {  # choice → (kind, form)
    "juminhyo-setai": ("juminhyo", "setai"), "juminhyo-kojin": ("juminhyo", "kojin"),
    "joshu": ("joshu", "kojin"), "kisai_jiko": ("kisai_jiko", None),
}
CERTIFICATE_LABELS = {
    "juminhyo-setai": "住民票の写し（世帯連記式：選んだ方を1枚に）", "juminhyo-kojin": "住民票の写し（個人票：1人1枚）",
    "joshu": "住民票の除票の写し（転出・死亡などで消除された方）", "kisai_jiko": "住民票記載事項証明書（選んだ事項だけを証明）",
}
OPTIONS = {
    "with_history": ("異動の履歴を記載する", None),
    "include_head_and_relationship": ("世帯主の氏名と続柄を記載する", None),
    "include_honseki": ("本籍・筆頭者を記載する", None),
    "include_juminhyo_code": ("住民票コードを記載する（本人等の請求のみ）", P_JUMINHYO_CODE),
    "include_my_number": ("個人番号を記載する（本人等の請求のみ・記録されます）", P_MY_NUMBER),
}
LABELS = {"certificate": "証明書の種類", "members": "記載する方", "items": "証明する事項", "requester_type": "請求者",
          "requester_name": "請求者の氏名・名称", "purpose": "請求の目的", "copies": "通数", "atena_no": "対象の方",
          "setai_no": "世帯番号", "form": "証明書の種類", "options": "記載する事項", "kind": "証明書の種類",
          "identity_checked": "本人確認", "identity_document": "本人確認書類", "fee_exemption": "手数料の免除",
          **{k: v[0] for k, v in OPTIONS.items()}}
FIELD_OF = {"kind": "certificate", "form": "certificate", "include_juminhyo_code": "options",
            "include_my_number": "options"}
PYDANTIC_MESSAGES = {"requester_name": "請求者の氏名・名称を入力してください",
                     "copies": "通数は1から20までの数字で入力してください",
                     "purpose": "請求の目的は200文字以内で入力してください"}


LISTS = ("members", "items", "options")


async def _posted(request: Request) -> dict:
    form = await request.form()
    return {k: (form.getlist(k) if k in LISTS else v) for k, v in form.items()
            if isinstance(v, str) and k not in ("csrf_token", "action")}


def _subject(screen: Screen, atena_no: str, setai_no: str) -> Subject:
    subject = Subject()
    if atena_no:
        subject.person = get_resident(screen.uow(), screen.ctx, atena_no)
        setai_no = subject.person.setai_no if subject.person.status == "resident" else ""
    if setai_no:
        subject.household = get_household(screen.uow(), screen.ctx, setai_no)
    if subject.person and subject.person.status != "resident":
        subject.household = None  # a 除票 is printed for that person only
    return subject


def _alerts(screen: Screen, subject: Subject) -> list[tuple[str, str]]:
    """(氏名, alert) of each member whose 支援措置 ends soon or ran out (期間満了)."""
    protected = [m for m in subject.members if m.protected]
    if not protected or not screen.ctx.has(P_SUPPORT_VIEW):
        return []
    measures = measures_of(screen.uow(), screen.ctx, [m.atena_no for m in protected])
    return [(m.shimei, v.alert) for m in protected for v in measures[m.atena_no] if v.alert]


def _page(screen: Screen, subject: Subject, form: dict, *, errors=None, status: int = 200,
          held: HeldRequest | None = None) -> Response:
    options = [(name, label, "") for name, (label, permission) in OPTIONS.items()
               if permission is None or screen.ctx.has(permission)]
    lists = window_lists(screen.uow(read_only=True), today_jst())
    return screen.render(
        "registry/certificates/new.html", title="証明書の交付", status=status, errors=errors, form=form,
        subject=subject, certificates=list(CERTIFICATE_LABELS.items()), options=options,
        requester_types=list(REQUESTER_TYPES.items()), kisai_items=[(k, v, "") for k, v in KISAI_ITEMS.items()], labels=LABELS,
        shortcuts={"Alt+K": "入力内容を確認する（手数料を表示）"} if subject.members else None, held=held,
        alerts=_alerts(screen, subject) if subject.members else [], lists=lists,
        exemptions=list(lists.exemptions.items()), identity_documents=list(lists.identity_documents.items()),
    )


def _confirm_page(screen: Screen, subject: Subject, form: dict, request: CertificateRequest,
                  answer: CertificateQuote | HeldRequest) -> Response:
    chosen = set(request.members or []) if isinstance(request.members, list) else None
    names = [m.shimei for m in subject.members if chosen is None or m.atena_no in chosen]
    hidden = [(k, item) for k, v in form.items() for item in (v if isinstance(v, list) else [v])]
    return screen.render(
        "registry/certificates/confirm.html", title="証明書の交付の確認", form=form, subject=subject,
        req=request, answer=answer, held=isinstance(answer, HeldRequest), names=names, hidden=hidden,
        certificate=CERTIFICATE_LABELS.get(form.get("certificate", ""), ""),
        requester_type=REQUESTER_TYPES.get(request.requester_type, request.requester_type),
        chosen_options=[label for name, (label, _) in OPTIONS.items() if getattr(request, name)],
        items=[KISAI_ITEMS[i] for i in request.items or []],
        shortcuts={"Alt+P": "交付する（PDFを表示）", "Alt+B": "修正する"},
    )


@router.get("/t/{tenant}/certificates/new", summary="証明書の交付の入力", dependencies=[requires(P_CERTIFICATE)])
def new_certificate(screen: TenantScreen, atena_no: Annotated[str, Query()] = "",
                    setai_no: Annotated[str, Query()] = "") -> Response:
    subject = _subject(screen, atena_no.strip(), setai_no.strip())
    removed = subject.person is not None and subject.person.status != "resident"
    form = {
        "atena_no": subject.person.atena_no if subject.person else "",
        "setai_no": "" if subject.person else (subject.setai_no or ""),
        "certificate": "joshu" if removed else "juminhyo-setai",
        "members": [m.atena_no for m in subject.members], "items": ["address"], "options": [],
        "requester_type": "self", "requester_name": "", "purpose": "", "copies": "1", "identity_document": "",
        "fee_exemption": "",
    }
    return _page(screen, subject, form)


def _request(form: dict, allowed: set[str]) -> CertificateRequest:
    kind, form_ = CERTIFICATES.get(form.get("certificate", ""), (form.get("certificate", ""), None))
    options = set(form.get("options") or []) & allowed
    copies = (form.get("copies") or "").strip()
    return CertificateRequest(
        kind=kind, form=form_, atena_no=form.get("atena_no") or None, setai_no=form.get("setai_no") or None,
        members=form.get("members") or [], items=(form.get("items") or []) if kind == "kisai_jiko" else None,
        requester_type=form.get("requester_type") or "", requester_name=(form.get("requester_name") or "").strip(),
        purpose=(form.get("purpose") or "").strip() or None, copies=copies or "0",
        identity_checked=form.get("identity_checked") == "1", identity_document=form.get("identity_document") or None,
        fee_exemption=form.get("fee_exemption") or None, **{name: name in options for name in OPTIONS},
    )


@router.post("/t/{tenant}/certificates/new", summary="証明書の交付の確認・交付（PDF）", dependencies=[requires(P_CERTIFICATE, also=[P_THIRD_PARTY, P_JUMINHYO_CODE, P_MY_NUMBER])])
def issue(screen: TenantForm, form: Annotated[dict, Depends(_posted)],
          action: Annotated[str, Form()] = "issue") -> Response:
    subject = _subject(screen, form.get("atena_no", ""), form.get("setai_no", ""))
    if action == "edit":
        return _page(screen, subject, form)
    try:
        request = _request(form, set(OPTIONS))
        issued = issue_certificate(screen.uow(dry_run=action == "check"), screen.ctx, request)
    except PydanticError as exc:
        fields = {FIELD_OF.get(k, k): v for k, v in validation_fields(list(exc.errors())).items()}
        fields.update({name: message for name, message in PYDANTIC_MESSAGES.items() if name in fields})
        errors = FormErrors("入力内容に誤りがあります。各項目のメッセージに従って直してください", fields, "REQUEST_INVALID")
        return _page(screen, subject, form, errors=errors, status=422)
    except MuniError as exc:
        refused = isinstance(exc, PermissionDeniedError) and exc.code == "REGISTRY_SUPPORT_MEASURE_ACTIVE"
        if exc.status >= 500 or isinstance(exc, NotFoundError) or (exc.status in (401, 403) and not refused):
            raise
        errors = FormErrors(exc.message, {FIELD_OF.get(k, k): v for k, v in exc.fields.items()}, exc.code)
        return _page(screen, subject, form, errors=errors, status=exc.status)
    if action == "check":
        return _confirm_page(screen, subject, form, request, issued)
    if isinstance(issued, HeldRequest):
        return _page(screen, subject, form, status=202, held=issued)
    return pdf_response(issued.pdf, issued.issue_no)
