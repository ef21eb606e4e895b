"""Database access of seal registration. Only services call this module; it never commits."""

from __future__ import annotations

from sqlalchemy import select

from municloud.errors import NotFoundError
from municloud.kernel.db import UnitOfWork
from municloud.modules.seals.domain import format_mm, mask_card_no
from municloud.modules.seals.orm import SealRegistration
from municloud.modules.seals.schemas import RegistrationView


def active_for(uow: UnitOfWork, atena_no: str, *, lock: bool = False) -> SealRegistration | None:
    """The registration in force for *atena_no* (locked ``FOR UPDATE`` when *lock*)."""
    stmt = select(SealRegistration).where(SealRegistration.active_atena_no == atena_no)
    if lock:
        stmt = stmt.with_for_update()
    return uow.session.scalars(stmt).one_or_none()


def all_for(uow: UnitOfWork, atena_no: str) -> list[SealRegistration]:
    """Every registration of *atena_no*, newest first."""
    return list(
        uow.session.scalars(
            select(SealRegistration)
            .where(SealRegistration.atena_no == atena_no)
            .order_by(SealRegistration.registration_no.desc())
        )
    )


def get(uow: UnitOfWork, registration_no: int, *, lock: bool = False) -> SealRegistration:
    stmt = select(SealRegistration).where(SealRegistration.registration_no == registration_no)
    if lock:
        stmt = stmt.with_for_update()
    row = uow.session.scalars(stmt).one_or_none()
    if row is None:
        raise NotFoundError("SEALS_REGISTRATION_NOT_FOUND", f"登録番号 {registration_no} の印鑑登録は見つかりません")
    return row


def view(row: SealRegistration) -> RegistrationView:
    return RegistrationView(
        registration_no=row.registration_no,
        atena_no=row.atena_no,
        status=row.status,
        card_no_masked=mask_card_no(row.card_no),
        registered_on=row.registered_on,
        size_mm=format_mm(row.size_tenth_mm),
        image_mime=row.image_mime,
        image_sha256=row.image_sha256,
        image_width=row.image_width,
        image_height=row.image_height,
        ended_on=row.ended_on,
        end_reason=row.end_reason,
        ended_by_notification=row.ended_by_notification,
        replaced_by=row.replaced_by,
        requester=row.requester,
        identity_method=row.identity_method,
        guarantor_atena_no=row.guarantor_atena_no,
        inquiry_sent_on=row.inquiry_sent_on,
    )
