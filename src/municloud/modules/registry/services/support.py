"""支援措置 (protection of DV and stalking victims) and the third-party request gate.

While a measure is active (start ≤ day ≤ end, not ended), any certificate or inspection
request by a third party touching the person is refused and the refusal audited; staff
see ``protected`` on every view of the person.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import or_, select

from municloud.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from municloud.kernel.clock import today_jst, utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.sequences import next_value
from municloud.modules.registry import repository as repo
from municloud.modules.registry.catalog import (
    A_SUPPORT_CHANGE,
    A_SUPPORT_START,
    A_SUPPORT_VIEW,
    A_THIRD_PARTY,
    P_SUPPORT_MANAGE,
    P_SUPPORT_VIEW,
    P_THIRD_PARTY,
)
from municloud.modules.registry.orm import SupportMeasure
from municloud.modules.registry.schemas import (
    SupportMeasureChange,
    SupportMeasureIn,
    ThirdPartyRequestIn,
)

CATEGORIES = ("DV", "ストーカー", "児童虐待", "その他")


class SupportMeasureView(BaseModel):
    measure_id: int
    atena_no: str
    stage: str
    category: str
    applied_on: date
    start_on: date
    end_on: date
    ended_on: date | None
    active: bool
    note: str | None
    version: int
    updated_by: str
    updated_at: datetime


class ThirdPartyDecision(BaseModel):
    allowed: bool
    atena_nos: list[str]


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def period_end(start: date, months: int) -> date:
    """Last day of a period of *months* months from *start* (民法第143条第2項): the day
    before the corresponding day, or the month's last day when it has none (29 Feb → 28 Feb)."""
    same_day = add_months(start, months)
    return same_day if same_day.day != start.day else same_day - timedelta(days=1)


def _active_on(m: SupportMeasure, on: date) -> bool:
    return m.start_on <= on <= m.end_on and (m.ended_on is None or m.ended_on > on)


def protected_among(uow: UnitOfWork, atena_nos: list[str], on: date | None = None) -> set[str]:
    """Those of *atena_nos* under an active 支援措置 on *on* (default today)."""
    if not atena_nos:
        return set()
    on = on or today_jst()
    rows = uow.session.scalars(
        select(SupportMeasure).where(
            SupportMeasure.atena_no.in_(atena_nos),
            SupportMeasure.start_on <= on,
            SupportMeasure.end_on >= on,
            or_(SupportMeasure.ended_on.is_(None), SupportMeasure.ended_on > on),
        )
    )
    return {m.atena_no for m in rows}


SUPPORT_MEASURE_REFUSAL = (
    "支援措置の対象の方が含まれるため、第三者からのこの請求には応じられません（担当課に引き継いでください）"
)


def refuse_if_protected(
    uow: UnitOfWork, ctx: Context, action: str, atena_nos: list[str], *, detail: dict | None = None
) -> None:
    """The 支援措置 gate of every third-party request (写しの交付・閲覧・証明書).

    When any of *atena_nos* is protected today, the attempt is audited under *action* with
    outcome ``denied`` (written even though the use case rolls back) and refused with
    ``REGISTRY_SUPPORT_MEASURE_ACTIVE``.  The answer never says which person is protected.
    """
    if protected_among(uow, atena_nos):
        uow.audit.record(ctx, action, subjects=[f"resident:{a}" for a in atena_nos], outcome="denied",
                         detail={**(detail or {}), "reason": "support_measure"}, always=True)
        raise PermissionDeniedError("REGISTRY_SUPPORT_MEASURE_ACTIVE", SUPPORT_MEASURE_REFUSAL)


def _view(m: SupportMeasure) -> SupportMeasureView:
    return SupportMeasureView(
        measure_id=m.measure_id, atena_no=m.atena_no, stage=m.stage, category=m.category,
        applied_on=m.applied_on, start_on=m.start_on, end_on=m.end_on, ended_on=m.ended_on,
        active=_active_on(m, today_jst()), note=m.note, version=m.version, updated_by=m.updated_by,
        updated_at=m.updated_at,
    )


def _day(value: str | None, field_name: str, label: str, default: date) -> date:
    from municloud.modules.registry.services.notifications import parse_day

    return parse_day(value, field_name, label, required=False) or default


def start_support_measure(uow: UnitOfWork, ctx: Context, atena_no: str, data: SupportMeasureIn) -> SupportMeasureView:
    """Start a 支援措置 (仮支援措置 while under review, or 本). Default period: one year."""
    with uow:
        uow.require(ctx, P_SUPPORT_MANAGE, A_SUPPORT_START, subjects=[f"resident:{atena_no}"])
        repo.load_persons(uow, [atena_no])
        if data.category not in CATEGORIES:
            raise ValidationError(
                "REGISTRY_SUPPORT_CATEGORY_INVALID", f"支援措置の区分は {'・'.join(CATEGORIES)} のいずれかです",
                fields={"category": "区分を選んでください"},
            )
        today = today_jst()
        applied = _day(data.applied_on, "applied_on", "申出日", today)
        start = _day(data.start_on, "start_on", "開始日", applied)
        months = uow.params.get("registry.support_measure.period_months", start, entered=("start_on", "開始日"))
        end = _day(data.end_on, "end_on", "終了予定日", period_end(start, months))
        if end < start:
            raise ValidationError("REGISTRY_SUPPORT_END_BEFORE_START", "終了予定日が開始日より前です", fields={"end_on": "開始日より後にしてください"})
        if protected_among(uow, [atena_no], start):
            raise ConflictError("REGISTRY_SUPPORT_ALREADY_ACTIVE", "この方にはすでに有効な支援措置があります（延長または本決定を使ってください）")
        measure = SupportMeasure(
            tenant_code=uow.tenant_code, measure_id=next_value(uow, "registry.support_measure"), atena_no=atena_no,
            stage=data.stage, category=data.category, applied_on=applied, start_on=start, end_on=end,
            note=data.note, updated_by=ctx.actor, updated_at=utcnow(),
        )
        uow.session.add(measure)
        uow.flush()
        uow.audit.record(ctx, A_SUPPORT_START, subjects=[f"resident:{atena_no}"],
                         detail={"measure_id": measure.measure_id, "stage": data.stage})
        uow.commit()
        return _view(measure)


def change_support_measure(
    uow: UnitOfWork, ctx: Context, atena_no: str, measure_id: int, data: SupportMeasureChange
) -> SupportMeasureView:
    """Extend (延長), confirm a provisional measure (本決定) or end it (終了)."""
    with uow:
        uow.require(ctx, P_SUPPORT_MANAGE, A_SUPPORT_CHANGE, subjects=[f"resident:{atena_no}"])
        measure = uow.session.get(SupportMeasure, (uow.tenant_code, measure_id))
        if measure is None or measure.atena_no != atena_no:
            raise NotFoundError("REGISTRY_SUPPORT_NOT_FOUND", f"支援措置 {measure_id} は見つかりません")
        if data.expected_version is not None and data.expected_version != measure.version:
            raise ConflictError("REGISTRY_STALE_RECORD", "この支援措置は他の職員が更新しました。開き直してください")
        today = today_jst()
        if measure.ended_on is not None or measure.end_on < today:
            raise ValidationError("REGISTRY_SUPPORT_NOT_ACTIVE", "この支援措置はすでに終了しています（新たに開始してください）")
        if data.action == "extend":
            window = uow.params.get("registry.support_measure.extension_window_days", today)
            if today < measure.end_on - timedelta(days=window):
                raise ValidationError(
                    "REGISTRY_SUPPORT_EXTEND_TOO_EARLY",
                    f"延長は終了予定日（{measure.end_on.isoformat()}）の{window}日前から受け付けます",
                )
            months = uow.params.get("registry.support_measure.period_months", measure.end_on)
            default = period_end(measure.end_on + timedelta(days=1), months)
            new_end = _day(data.end_on, "end_on", "延長後の終了予定日", default)
            if new_end <= measure.end_on:
                raise ValidationError("REGISTRY_SUPPORT_EXTEND_INVALID", "延長後の終了予定日は今の終了予定日より後にしてください")
            measure.end_on = new_end
        elif data.action == "confirm":
            if measure.stage != "仮":
                raise ValidationError("REGISTRY_SUPPORT_NOT_PROVISIONAL", "本決定できるのは仮支援措置だけです")
            measure.stage = "本"
        else:
            measure.ended_on = _day(data.end_on, "end_on", "終了日", today)
            if measure.ended_on < measure.start_on:
                raise ValidationError("REGISTRY_SUPPORT_END_BEFORE_START", "終了日が開始日より前です")
        if data.note:
            measure.note = data.note
        measure.updated_by, measure.updated_at = ctx.actor, utcnow()
        uow.flush()
        uow.audit.record(ctx, A_SUPPORT_CHANGE, subjects=[f"resident:{atena_no}"],
                         detail={"measure_id": measure_id, "action": data.action})
        uow.commit()
        return _view(measure)


def list_support_measures(uow: UnitOfWork, ctx: Context, atena_no: str) -> list[SupportMeasureView]:
    with uow:
        uow.require(ctx, P_SUPPORT_VIEW, A_SUPPORT_VIEW, subjects=[f"resident:{atena_no}"])
        repo.load_persons(uow, [atena_no])
        rows = uow.session.scalars(
            select(SupportMeasure).where(SupportMeasure.atena_no == atena_no).order_by(SupportMeasure.measure_id)
        )
        views = [_view(m) for m in rows]
        uow.audit.record(ctx, A_SUPPORT_VIEW, subjects=[f"resident:{atena_no}"])
        uow.commit()
        return views


def third_party_request(uow: UnitOfWork, ctx: Context, data: ThirdPartyRequestIn) -> ThirdPartyDecision:
    """Gate for a third party's request (写しの交付・閲覧) about *atena_nos*.

    Refused as a whole, and the attempt audited, when any of them is protected.  The
    refusal does not say which person is protected.
    """
    with uow:
        subjects = [f"resident:{a}" for a in data.atena_nos]
        uow.require(ctx, P_THIRD_PARTY, A_THIRD_PARTY, subjects=subjects)
        if not data.purpose.strip():
            raise ValidationError("REGISTRY_PURPOSE_REQUIRED", "請求の目的を入力してください", fields={"purpose": "目的を入力してください"})
        repo.load_persons(uow, data.atena_nos)
        detail = {"requester_type": data.requester_type, "kind": data.kind}
        refuse_if_protected(uow, ctx, A_THIRD_PARTY, list(data.atena_nos), detail=detail)
        uow.audit.record(ctx, A_THIRD_PARTY, subjects=subjects, detail=detail)
        uow.commit()
        return ThirdPartyDecision(allowed=True, atena_nos=list(data.atena_nos))
