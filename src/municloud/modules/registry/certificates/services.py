"""Issuing certificates (証明書の交付) and reading a resident's 交付履歴. One use case, one transaction.

``issue_certificate`` checks, in order: the right to issue certificates; the request's
shape (whose record, which members, which items); for a third party (第三者・弁護士等・
国又は地方公共団体) the right to accept such requests, a purpose, no 住民票コード / 個人番号;
the separate rights to print 住民票コード and 個人番号; then the 支援措置 gate for *every*
requester (``services/holds.py``, rules in ``protection.py``): when anyone on the
certificate is under an active measure, only 本人 whose identity the clerk confirmed is
served; a 代理人 is refused; 同一世帯員 and third parties are held for a supervisor's
review (the answer is a :class:`HeldRequest`, and the hold is committed).  The 免除 reason
and the 本人確認書類 must be codes of their lists in force today (``fees.py``).  Then the
kernel numbers and renders the PDF (``issue_document``), the 交付履歴 row is added with the
fee in force (``registry.certificate.fee`` × copies, or 0 with the 免除 reason) and the
issuance is audited — all committed at once.

With a dry-run unit of work (the window's confirmation step, ``?dry_run=true`` on the API)
the same checks run and the answer is a :class:`CertificateQuote` — the fee × copies, the
免除, the 本人確認書類 — nothing is rendered or written, and the look at the persons'
records is audited as ``registry:certificate:check``.

``issue_released_certificate`` issues a held request once a supervisor released
it: exactly the request as it was held, once.

The requester's name goes to the 交付履歴 only (staff read it through ``list_issuances``,
audited); the audit entry and the application log never carry it.

Note: rendering happens inside the transaction (the 発行番号 is allocated first and printed
on the PDF), so on SQLite the write lock is held while WeasyPrint runs (~0.1–0.3 s).
"""

from __future__ import annotations

from datetime import datetime

from municloud.errors import ConflictError, MuniError, PermissionDeniedError, ValidationError
from municloud.kernel.clock import to_jst, today_jst
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.documents.services import Stamp, issue_document
from municloud.kernel.tenants.orm import Tenant
from municloud.modules.registry import repository as repo
from municloud.modules.registry.catalog import (
    A_CERTIFICATE_CHECK,
    A_CERTIFICATE_ISSUE,
    P_CERTIFICATE,
    P_JUMINHYO_CODE,
    P_MY_NUMBER,
    P_THIRD_PARTY,
)
from municloud.modules.registry.certificates.fees import check_codes, fee_for
from municloud.modules.registry.certificates.history import list_issuances
from municloud.modules.registry.certificates.orm import CertificateIssuance, CertificateSubject
from municloud.modules.registry.certificates.render import Signature, render_html
from municloud.modules.registry.certificates.schemas import (
    TITLES,
    CertificateQuote,
    CertificateRequest,
    IssuedCertificate,
)
from municloud.modules.registry.certificates.subjects import load_subjects
from municloud.modules.registry.orm import SupportHold
from municloud.modules.registry.services.holds import HeldRequest, gate, take_release


def _invalid(code: str, message: str, field: str | None = None) -> ValidationError:
    return ValidationError(code, message, fields={field: message} if field else None)


def _choose(uow: UnitOfWork, req: CertificateRequest) -> tuple[str | None, list[str]]:
    """(世帯番号, 宛名番号 in printed order) of the persons the request names."""
    if (req.atena_no is None) == (req.setai_no is None):
        raise _invalid("REGISTRY_CERTIFICATE_TARGET", "宛名番号か世帯番号のどちらか一方を指定してください", "atena_no")
    chosen = req.members if isinstance(req.members, list) else None
    if req.kind == "joshu":
        if req.resolved_form != "kojin":
            raise _invalid("REGISTRY_CERTIFICATE_FORM", "住民票の除票の写しは個人票だけです", "form")
        if req.atena_no is None or req.members == "all":
            raise _invalid("REGISTRY_CERTIFICATE_TARGET", "除票の写しは宛名番号で指定してください", "atena_no")
        atena_nos = list(dict.fromkeys(chosen or [req.atena_no]))
        for a, person in repo.load_persons(uow, atena_nos).items():
            if person.is_resident:
                raise _invalid("REGISTRY_CERTIFICATE_NOT_REMOVED",
                               f"宛名番号 {a} の方は住民です（除票の写しは消除された方について交付します）", "members")
        return None, atena_nos
    if req.atena_no is not None:
        person = repo.load_persons(uow, [req.atena_no])[req.atena_no]
        if not person.is_resident:
            raise _invalid("REGISTRY_CERTIFICATE_REMOVED",
                           f"宛名番号 {req.atena_no} の方の住民票は消除されています（除票の写しを請求してください）",
                           "atena_no")
        setai_no, default = person.setai_no, [req.atena_no]
        household = repo.household_atena_nos(uow, setai_no)
    else:
        setai_no = req.setai_no
        repo.load_household(uow, setai_no)  # NotFoundError for an unknown household
        household = default = repo.household_atena_nos(uow, setai_no)  # head first
        if not household:
            raise _invalid("REGISTRY_CERTIFICATE_EMPTY_HOUSEHOLD", f"世帯番号 {setai_no} の世帯には住民がいません",
                           "setai_no")
    if req.members == "all":
        return setai_no, household
    if chosen is None:
        return setai_no, default
    outside = [a for a in chosen if a not in household]
    if outside or not chosen:
        raise _invalid("REGISTRY_CERTIFICATE_MEMBER",
                       f"宛名番号 {outside[0] if outside else '（なし）'} の方はこの世帯の住民ではありません", "members")
    return setai_no, [a for a in household if a in chosen]


def _check_request(uow: UnitOfWork, ctx: Context, req: CertificateRequest, subjects: list[str]) -> None:
    if req.kind == "kisai_jiko" and not req.items:
        raise _invalid("REGISTRY_CERTIFICATE_ITEMS_REQUIRED", "証明する事項を選んでください（氏名は常に記載します）", "items")
    if req.kind != "kisai_jiko" and req.items is not None:
        raise _invalid("REGISTRY_CERTIFICATE_ITEMS", "証明する事項は記載事項証明書でだけ選べます", "items")
    if req.is_third_party:
        uow.require(ctx, P_THIRD_PARTY, A_CERTIFICATE_ISSUE, subjects=subjects)
        if not (req.purpose or "").strip():
            raise _invalid("REGISTRY_PURPOSE_REQUIRED", "第三者からの請求では請求の目的を入力してください", "purpose")
        if req.include_juminhyo_code or req.include_my_number:
            field = "include_my_number" if req.include_my_number else "include_juminhyo_code"
            raise _invalid("REGISTRY_CERTIFICATE_NOT_FOR_THIRD_PARTY",
                           "第三者からの請求には住民票コード・個人番号を記載できません（住民基本台帳法第12条の3）", field)
    if req.include_juminhyo_code:
        uow.require(ctx, P_JUMINHYO_CODE, A_CERTIFICATE_ISSUE, subjects=subjects)
    if req.include_my_number:
        uow.require(ctx, P_MY_NUMBER, A_CERTIFICATE_ISSUE, subjects=subjects)


def _jst_date(moment_utc: datetime):
    return to_jst(moment_utc).date()


def issue_certificate(uow: UnitOfWork, ctx: Context, request: CertificateRequest
                      ) -> IssuedCertificate | HeldRequest | CertificateQuote:
    """Issue 住民票の写し / 除票の写し / 記載事項証明書 as one PDF, recorded and audited — or hold
    the request for a supervisor's review (支援措置); in a dry run, the quote."""
    req = request
    with uow:
        target = [f"resident:{req.atena_no}"] if req.atena_no else [f"household:{req.setai_no}"]
        uow.require(ctx, P_CERTIFICATE, A_CERTIFICATE_ISSUE, subjects=target)
        try:
            return _issue(uow, ctx, req, None)
        except MuniError as exc:
            if uow.dry_run and not isinstance(exc, PermissionDeniedError):
                codes = [p["code"] for p in exc.problems] or [exc.code]
                uow.audit.record(ctx, A_CERTIFICATE_CHECK, subjects=target, outcome="failure",
                                 detail={"kind": req.kind, "codes": codes}, always=True)
            raise


def issue_released_certificate(uow: UnitOfWork, ctx: Context, hold_no: int) -> IssuedCertificate:
    """Issue a held request that a supervisor released — once, exactly as it was asked for."""
    with uow:
        uow.require(ctx, P_CERTIFICATE, A_CERTIFICATE_ISSUE, subjects=[f"support_hold:{hold_no}"])
        hold = take_release(uow, hold_no, "certificate")
        issued = _issue(uow, ctx, CertificateRequest.model_validate(hold.request), hold)
        assert isinstance(issued, IssuedCertificate)
        return issued


def _issue(uow: UnitOfWork, ctx: Context, req: CertificateRequest, hold: SupportHold | None
           ) -> IssuedCertificate | HeldRequest:
    setai_no, atena_nos = _choose(uow, req)
    subjects = [f"resident:{a}" for a in atena_nos]
    _check_request(uow, ctx, req, subjects)
    today = today_jst()
    labels = check_codes(uow, req, today)
    fee = fee_for(uow, req, today, labels["fee_exemption"])
    detail = {"kind": req.kind, "form": req.resolved_form, "requester_type": req.requester_type,
              "identity_checked": req.identity_checked, "identity_document": req.identity_document,
              "options": req.options(), "copies": req.copies, "unit_fee": fee.unit, "fee_exemption": fee.exemption}
    if hold is None:
        held = gate(uow, ctx, A_CERTIFICATE_ISSUE, kind="certificate", atena_nos=atena_nos,
                    requester_type=req.requester_type, identity_checked=req.identity_checked,
                    requester_atena_no=req.atena_no, request=req.model_dump(mode="json"), detail=detail)
        if held is not None:
            if uow.dry_run:
                uow.audit.record(ctx, A_CERTIFICATE_CHECK, subjects=subjects, detail={**detail, "would_hold": True},
                                 always=True)
            uow.commit()
            return held
    else:
        if sorted(atena_nos) != sorted(hold.atena_nos):
            raise ConflictError("REGISTRY_SUPPORT_HOLD_CHANGED",
                                "保留したときと記載する方が変わりました（世帯の異動など）。改めて請求を受け付けてください")
        detail["hold_no"] = hold.hold_no
    if uow.dry_run:
        uow.audit.record(ctx, A_CERTIFICATE_CHECK, subjects=subjects, detail=detail, always=True)
        return CertificateQuote(title=TITLES[req.kind], atena_nos=atena_nos, copies=req.copies, unit_fee=fee.unit,
                                fee=fee.amount, fee_exemption=fee.exemption, fee_exemption_label=fee.exemption_label,
                                identity_document=req.identity_document,
                                identity_document_label=labels["identity_document"])
    persons = load_subjects(uow, atena_nos)
    tenant = uow.session.get(Tenant, uow.tenant_code)

    def render(stamp: Stamp) -> str:
        on = _jst_date(stamp.issued_at)
        signature = Signature(tenant.name if tenant else uow.tenant_code,
                              uow.params.get("tenant.mayor.title", on), uow.params.get("tenant.mayor.name", on), on)
        return render_html(req, persons, signature, stamp)

    issued = issue_document(uow, ctx, kind=f"registry:{req.kind}", title=TITLES[req.kind], render_html=render,
                            subjects=subjects)
    uow.session.add(CertificateIssuance(
        tenant_code=uow.tenant_code, issue_no=issued.issue_no, kind=req.kind, form=req.resolved_form,
        setai_no=setai_no if req.resolved_form == "setai" else None, atena_nos=atena_nos,
        requester_type=req.requester_type, requester_name=req.requester_name, purpose=req.purpose,
        options=req.options(), copies=req.copies, unit_fee=fee.unit, fee=fee.amount, fee_exemption=fee.exemption,
        identity_document=req.identity_document, issued_by=ctx.actor, issued_at=issued.issued_at,
    ))
    uow.flush()  # the issuance row before the rows that point at it
    uow.session.add_all(
        CertificateSubject(tenant_code=uow.tenant_code, issue_no=issued.issue_no, atena_no=a) for a in atena_nos
    )
    if hold is not None:
        hold.issue_no = issued.issue_no
    uow.audit.record(ctx, A_CERTIFICATE_ISSUE, subjects=subjects, my_number_shown=req.include_my_number,
                     detail={**detail, "issue_no": issued.issue_no, "pages": issued.pages, "fee": fee.amount})
    uow.commit()
    return IssuedCertificate(issued.issue_no, TITLES[req.kind], issued.pdf, issued.sha256, issued.pages,
                             req.copies, fee.amount, issued.issued_at, tuple(atena_nos))


__all__ = ["CertificateQuote", "HeldRequest", "issue_certificate", "issue_released_certificate", "list_issuances"]
