"""Issuing a 印鑑登録証明書 (one use case: check the card, render, number, record, audit),
and the day's fees taken for it (:func:`certificate_fees`, the module's fee source for the
交付日計表, ``kernel.fees``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from municloud.errors import PermissionDeniedError, ValidationError
from municloud.kernel.clock import jst_day_bounds, today_jst
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.documents.services import issue_document
from municloud.kernel.fees import FeeLine, FeeTally
from municloud.modules.registry.api import person_for_document, support_refusal
from municloud.modules.seals import domain
from municloud.modules.seals import repository as repo
from municloud.modules.seals.catalog import A_CERTIFICATE, P_CERTIFICATE
from municloud.modules.seals.orm import SealCertificateIssue
from municloud.modules.seals.printing import CertificateContent, certificate_html
from municloud.modules.seals.schemas import CertificateIn, CertificateIssued
from municloud.modules.seals.services.registrations import require_resident

KIND = "seals:certificate"
REQUESTER_TYPES = {"本人": "self", "代理人": "agent"}  # → the registry's requester types
TITLE = "印鑑登録証明書"


def issue_certificate(uow: UnitOfWork, ctx: Context, request: CertificateIn) -> CertificateIssued:
    """印鑑登録証明書 for the holder of the presented 印鑑登録証.

    The card number must be that of the person's registration in force: a wrong, lost or
    ended card is refused with a clear message and the refusal is audited (it survives
    the rollback).  The fee (``seals.certificate.fee`` × copies) goes to the 交付履歴.

    支援措置: the certificate prints the person's 住所, so for a person under an active
    measure the registry's rule applies (``registry.api.support_refusal``): 本人 is served
    once the clerk checked the identity document; a 代理人 is refused even with the card —
    a card taken from the victim plus a 委任状 must not reveal where they live (the 住民基本
    台帳事務処理要領 第5-10 reasoning for 住民票の写し; the 印鑑登録証明事務処理要領 itself has
    no such rule).  The refusal is audited and never says who is protected.
    """
    atena_no = (request.atena_no or "").strip()
    subjects = [f"resident:{atena_no}"]
    with uow:
        uow.require(ctx, P_CERTIFICATE, A_CERTIFICATE, subjects=subjects)
        domain.check_request(request.copies, request.requester)
        today = today_jst()
        person = person_for_document(uow, atena_no)
        require_resident(person)
        presented = domain.normalise_card_no(request.card_no)
        registrations = repo.all_for(uow, atena_no)
        active = next((r for r in registrations if r.status == domain.ACTIVE), None)
        ended = {r.card_no: r.status for r in registrations if r.status != domain.ACTIVE}
        refusal = domain.card_refusal(presented, active.card_no if active else None, ended)
        if refusal is not None:
            code, message = refusal
            uow.audit.record(ctx, A_CERTIFICATE, subjects=subjects, outcome="denied",
                             detail={"reason": code, "requester": request.requester}, always=True)
            raise ValidationError(code, message, fields={"card_no": message})
        assert active is not None
        protection = support_refusal(uow, [atena_no], requester_type=REQUESTER_TYPES[request.requester],
                                     identity_checked=request.identity_checked, requester_atena_no=atena_no)
        if protection is not None:
            rule, message = protection
            uow.audit.record(ctx, A_CERTIFICATE, subjects=subjects, outcome="denied",
                             detail={"reason": "support_measure", "rule": rule, "requester": request.requester},
                             always=True)
            raise PermissionDeniedError("REGISTRY_SUPPORT_MEASURE_ACTIVE", message)
        fee = uow.params.get("seals.certificate.fee", today)
        content = CertificateContent(
            person=person, image=active.image, image_mime=active.image_mime, image_width=active.image_width,
            image_height=active.image_height, size_tenth_mm=active.size_tenth_mm, copies=request.copies,
            mayor_title=uow.params.get("tenant.mayor.title", today),
            mayor_name=uow.params.get("tenant.mayor.name", today),
        )
        subjects.append(f"seal_registration:{active.registration_no}")
        issued = issue_document(
            uow, ctx, kind=KIND, title=TITLE, render_html=lambda stamp: certificate_html(content, stamp),
            subjects=subjects,
        )
        uow.flush()  # the register row first: the 交付履歴 points at it
        total = domain.fee_total(fee, request.copies)
        uow.session.add(
            SealCertificateIssue(
                tenant_code=uow.tenant_code, issue_no=issued.issue_no, registration_no=active.registration_no,
                atena_no=atena_no, copies=request.copies, fee_per_copy=fee, fee_total=total,
                requester=request.requester, purpose=(request.purpose or "").strip() or None,
                issued_at=issued.issued_at, issued_by=ctx.actor,
            )
        )
        uow.flush()
        uow.audit.record(
            ctx, A_CERTIFICATE, subjects=subjects + [f"document:{issued.issue_no}"],
            detail={"issue_no": issued.issue_no, "copies": request.copies, "fee_total": total,
                    "requester": request.requester},
        )
        uow.commit()
        return CertificateIssued(issued.issue_no, issued.pdf, issued.sha256, issued.pages, request.copies, total,
                                 active.registration_no)


def certificate_fees(uow: UnitOfWork, day: date) -> FeeTally:
    """The 印鑑登録証明書 issued on *day* (JST) in *uow*'s tenant: 件数・通数・手数料, summed
    in the database (no personal data is read).  The seals have no 免除: every copy is
    charged (``seals.certificate.fee``), and no 領収書 is issued here."""
    start, end = jst_day_bounds(day)
    count, copies, fee = uow.session.execute(
        select(func.count(), func.coalesce(func.sum(SealCertificateIssue.copies), 0),
               func.coalesce(func.sum(SealCertificateIssue.fee_total), 0))
        .select_from(SealCertificateIssue)
        .where(SealCertificateIssue.issued_at >= start, SealCertificateIssue.issued_at < end)
    ).one()
    if not count:
        return FeeTally()
    return FeeTally([FeeLine(KIND, TITLE, count=count, copies=copies, charged_copies=copies, fee=fee)])
