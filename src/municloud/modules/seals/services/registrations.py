"""Registering a seal, ending a registration (亡失・廃止), and looking at registrations."""

from __future__ import annotations

from datetime import date, datetime

from municloud.errors import ConflictError, NotFoundError, Problems, ValidationError
from municloud.jp.wareki import parse_date
from municloud.kernel.clock import today_jst, utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.sequences import next_value
from municloud.modules.registry.api import PersonCard, person_for_document
from municloud.modules.seals import domain
from municloud.modules.seals import repository as repo
from municloud.modules.seals.catalog import A_CHECK, A_END, A_REGISTER, A_VIEW, P_MANAGE, P_VIEW
from municloud.modules.seals.images import inspect_image
from municloud.modules.seals.orm import SealRegistration
from municloud.modules.seals.schemas import (
    ImpressionImage,
    RegistrationResult,
    RegistrationView,
    ResidentSeals,
    SealPerson,
    SealRegistrationIn,
)


def _subjects(atena_no: str, *registration_nos: int) -> list[str]:
    return [f"resident:{atena_no}"] + [f"seal_registration:{n}" for n in registration_nos]


def require_resident(person: PersonCard, field: str = "atena_no") -> None:
    if not person.is_resident:
        reason = f"（{person.removal_reason}）" if person.removal_reason else ""
        raise ValidationError(
            "SEALS_NOT_RESIDENT",
            f"宛名番号 {person.atena_no} の方は住民票が消除されています{reason}。印鑑の登録・証明はできません",
            fields={field: "住民の方ではありません"},
        )


def close(row: SealRegistration, status: str, reason: str, on: date, actor: str, now: datetime) -> None:
    """End a registration in force (helper: the caller audits and commits)."""
    domain.require_active(row.status, row.registration_no)
    row.status = status
    row.active_atena_no = None
    row.ended_on = on
    row.end_reason = reason
    row.ended_by = actor
    row.ended_at = now


def _check_request(uow: UnitOfWork, request: SealRegistrationIn, person: PersonCard, today: date):
    """Every independent problem of the request at once (MULTIPLE_PROBLEMS when several):
    age, 成年被後見人, the 本人確認 route and its 保証人, the impression's size and image.
    Returns the size (0.1 mm), the inspected image and the 照会書's date."""
    params = uow.params
    problems = Problems()
    size = image = inquiry_sent_on = None
    with problems.catch():
        domain.check_age(person.birth_date, today, params.get("seals.registration.min_age", today))
    with problems.catch():
        domain.check_adult_ward(request.adult_ward)
    with problems.catch():
        inquiry_sent_on = _day(request.inquiry_sent_on) if request.identity_method == "inquiry" else None
        domain.check_identity(request.requester, request.identity_method,
                              guarantor_atena_no=request.guarantor_atena_no, inquiry_sent_on=inquiry_sent_on,
                              answer_received=request.answer_received, today=today)
        if request.identity_method == "guarantor":
            _check_guarantor(uow, (request.guarantor_atena_no or "").strip(), person.atena_no)
    with problems.catch():
        size = domain.parse_size_mm(request.size_mm)
        domain.check_size(size, params.get("seals.impression.min_mm", today), params.get("seals.impression.max_mm", today))
    with problems.catch():
        image = inspect_image(request.image, params.get("seals.impression.max_bytes", today))
    problems.raise_if_any()
    return size, image, inquiry_sent_on


def _day(value: str | None) -> date | None:
    if value is None or not str(value).strip():
        return None
    try:
        return parse_date(value)
    except ValidationError as exc:
        raise ValidationError(exc.code, f"照会書の送付日：{exc.message}", fields={"inquiry_sent_on": exc.message}) from None


def _check_guarantor(uow: UnitOfWork, guarantor: str, applicant: str) -> None:
    try:
        card = person_for_document(uow, guarantor)
    except NotFoundError:
        raise ValidationError("SEALS_GUARANTOR_INVALID", f"保証人の宛名番号 {guarantor} の方は見つかりません",
                              fields={"guarantor_atena_no": "この宛名番号の方は見つかりません"}) from None
    domain.guarantor_refusal(guarantor, applicant, card.is_resident, repo.active_for(uow, guarantor) is not None)


def _check_expected(request: SealRegistrationIn, previous: SealRegistration | None) -> None:
    current = previous.registration_no if previous is not None else 0
    if request.expected_registration_no is not None and request.expected_registration_no != current:
        raise ConflictError(
            "SEALS_REGISTRATION_CHANGED",
            "確認した後に、この方の印鑑登録が変わりました（二重の送信か、他の職員の登録）。登録の状況を開き直してください",
        )


def register_seal(uow: UnitOfWork, ctx: Context, request: SealRegistrationIn) -> RegistrationResult:
    """印鑑の登録: a current resident of the minimum age who is not a 成年被後見人, confirmed
    by an identity document, a 保証人 or the 照会書・回答書 (a 代理人's application only by
    the latter), an impression of an accepted size, a PNG or JPEG image.  Every problem is
    reported at once.  A registration still in force is ended first (再登録 → 廃止).
    Issues the 印鑑登録証 number (8 digits, per tenant).

    With a dry-run unit of work (the confirmation screen) everything runs and is rolled
    back; the look at the person is recorded as ``seals:registration:check``."""
    atena_no = (request.atena_no or "").strip()
    with uow:
        uow.require(ctx, P_MANAGE, A_REGISTER, subjects=_subjects(atena_no))
        today = today_jst()
        # locked: a concurrent 転出・死亡 either waits for this registration (and strikes it
        # out) or goes first (and this one sees the removal) — never slips in between
        person = person_for_document(uow, atena_no, lock=True)
        if uow.dry_run:
            uow.audit.record(ctx, A_CHECK, subjects=_subjects(atena_no), always=True)
        require_resident(person)
        size, image, inquiry_sent_on = _check_request(uow, request, person, today)
        previous = repo.active_for(uow, atena_no, lock=True)
        _check_expected(request, previous)
        now = utcnow()
        registration_no = next_value(uow, "seals.registration")
        if previous is not None:
            close(previous, domain.WITHDRAWN, domain.REREGISTRATION, today, ctx.actor, now)
            previous.replaced_by = registration_no
            uow.flush()  # free the one-in-force slot before the new row takes it
            uow.audit.record(
                ctx, A_END, subjects=_subjects(atena_no, previous.registration_no),
                detail={"registration_no": previous.registration_no, "status": domain.WITHDRAWN,
                        "reason": "reregistration", "replaced_by": registration_no},
            )
        guarantor = (request.guarantor_atena_no or "").strip() if request.identity_method == "guarantor" else None
        row = SealRegistration(
            tenant_code=uow.tenant_code, registration_no=registration_no, atena_no=atena_no,
            active_atena_no=atena_no, card_no=domain.format_card_no(next_value(uow, "seals.card_no")),
            status=domain.ACTIVE, registered_on=today, size_tenth_mm=size, image=request.image,
            image_mime=image.mime, image_sha256=image.sha256, image_width=image.width,
            image_height=image.height, registered_by=ctx.actor, registered_at=now, requester=request.requester,
            identity_method=request.identity_method, guarantor_atena_no=guarantor or None,
            inquiry_sent_on=inquiry_sent_on,
        )
        uow.session.add(row)
        uow.flush()
        uow.audit.record(
            ctx, A_REGISTER, subjects=_subjects(atena_no, registration_no) + ([f"resident:{guarantor}"] if guarantor else []),
            detail={"registration_no": registration_no, "size_mm": domain.format_mm(size), "image_mime": image.mime,
                    "image_sha256": image.sha256, "requester": request.requester,
                    "identity_method": request.identity_method,
                    "replaced": previous.registration_no if previous is not None else None},
        )
        uow.commit()
        return RegistrationResult(
            registration_no=registration_no, card_no=row.card_no, atena_no=atena_no, status=row.status,
            registered_on=today, size_mm=domain.format_mm(size), image_mime=image.mime, image_sha256=image.sha256,
            replaced_registration_no=previous.registration_no if previous is not None else None,
            image_width=image.width, image_height=image.height, image_bytes=image.size_bytes,
            print_dpi=domain.print_dpi(size, image.width, image.height),
            shimei=person.shimei, requester=request.requester, identity_method=request.identity_method,
        )


def end_registration(uow: UnitOfWork, ctx: Context, registration_no: int, reason: str) -> RegistrationView:
    """亡失 (the card was lost) or 廃止 (withdrawn at the registrant's request).

    The registration ends; its card number stays on record, so presenting a lost card
    later is recognised and refused."""
    if reason not in domain.END_REASONS:
        raise ValidationError("SEALS_END_REASON_INVALID", "終了の理由は lost（亡失）か withdrawn（廃止）です",
                              fields={"reason": "lost／withdrawn"})
    with uow:
        uow.require(ctx, P_MANAGE, A_END, subjects=[f"seal_registration:{registration_no}"])
        row = repo.get(uow, registration_no, lock=True)
        if uow.dry_run:
            uow.audit.record(ctx, A_CHECK, subjects=_subjects(row.atena_no, registration_no), always=True)
        status = domain.END_REASONS[reason]
        close(row, status, domain.END_REASON_TEXT[reason], today_jst(), ctx.actor, utcnow())
        uow.flush()
        uow.audit.record(
            ctx, A_END, subjects=_subjects(row.atena_no, registration_no),
            detail={"registration_no": registration_no, "status": status, "reason": reason},
        )
        result = repo.view(row)
        uow.commit()
        return result


def get_registrations(uow: UnitOfWork, ctx: Context, atena_no: str) -> ResidentSeals:
    """A person's registration in force (if any) and the earlier ones, newest first."""
    with uow:
        uow.require(ctx, P_VIEW, A_VIEW, subjects=_subjects(atena_no))
        person = person_for_document(uow, atena_no)  # an unknown 宛名番号 is 404, not an empty answer
        rows = repo.all_for(uow, atena_no)
        active = next((r for r in rows if r.status == domain.ACTIVE), None)
        result = ResidentSeals(
            atena_no=atena_no,
            person=SealPerson(shimei=person.shimei, shimei_kana=person.shimei_kana, birth_date=person.birth_date,
                              sex=person.sex_label, address=person.full_address, is_resident=person.is_resident),
            active=repo.view(active) if active is not None else None,
            past=[repo.view(r) for r in rows if r is not active],
        )
        uow.audit.record(ctx, A_VIEW, subjects=_subjects(atena_no, *(r.registration_no for r in rows)))
        uow.commit()
        return result


def get_impression(uow: UnitOfWork, ctx: Context, registration_no: int) -> ImpressionImage:
    """The registered impression image, as uploaded (印影の表示)."""
    with uow:
        uow.require(ctx, P_VIEW, A_VIEW, subjects=[f"seal_registration:{registration_no}"])
        row = repo.get(uow, registration_no)
        uow.audit.record(ctx, A_VIEW, subjects=_subjects(row.atena_no, registration_no),
                         detail={"impression": True})
        uow.commit()
        return ImpressionImage(registration_no, row.image_mime, row.image)
