"""支援措置 (protection of DV and stalking victims): start, change, list, review, expiry.

While a measure is active (start ≤ day ≤ end, not ended), every request touching the
person — not only a third party's — goes through the gate in ``services/holds.py``
(rules in ``protection.py``, 住民基本台帳事務処理要領 第5-10); staff see ``protected`` on
every view of the person.

A measure never ends silently: from ``registry.support_measure.extension_window_days``
before its end date (the 要領 accepts the 延長の申出 from one month before) every view of
it carries the alert 「終了予定日が近づいています」 with the date; once the date has passed
without an extension it shows as 期間満了, the supervisor's review list
(:func:`review_support_measures`) names both, and :func:`record_expiries` writes the
lapse down as an audited change (by a supervisor, or by a daily job).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy import or_, select

from municloud.errors import ConflictError, NotFoundError, Problems, ValidationError
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import today_jst, utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.sequences import next_value
from municloud.modules.registry import protection
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
from municloud.modules.registry.services import support_rules as rules
from municloud.modules.registry.services.support_rules import add_months, period_end  # noqa: F401 (used here and by callers)

CATEGORIES = protection.CATEGORIES
#: Items of a measure only its managers see (the 相談機関's opinion, why it ended).
PRIVATE = ("consult_agency", "opinion_on", "opinion", "end_note")


class SupportMeasureView(BaseModel):
    measure_id: int
    atena_no: str
    stage: str
    category: str
    applied_on: date
    start_on: date
    end_on: date
    ended_on: date | None
    end_reason: str | None  # 終了 / 期間満了 (recorded)
    end_note: str | None = None  # 終了の理由
    consult_agency: str | None = None  # 相談機関の名称
    opinion_on: date | None = None  # 相談機関の意見の日付
    opinion: str | None = None  # 相談機関の意見
    active: bool
    status: str  # scheduled / active / ending_soon / expired / ended (protection.measure_status)
    status_label: str
    alert: str | None  # 「終了予定日が近づいています」 or the 期間満了 notice
    note: str | None
    version: int
    updated_by: str
    updated_at: datetime


class MeasureToReview(SupportMeasureView):
    """A line of the supervisor's review list (the person's name to find the record)."""

    shimei: str


class ThirdPartyDecision(BaseModel):
    allowed: bool
    atena_nos: list[str]
    held: bool = False
    hold_no: int | None = None
    message: str | None = None


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


def _view(uow: UnitOfWork, m: SupportMeasure, today: date | None = None) -> SupportMeasureView:
    today = today or today_jst()
    window = uow.params.get("registry.support_measure.extension_window_days", today)
    status = protection.measure_status(m.start_on, m.end_on, m.ended_on, m.end_reason, today, window)
    alert = None
    if status == "ending_soon":
        alert = (f"支援措置の終了予定日（{format_wareki(m.end_on)}）が近づいています。"
                 "延長の申出は終了予定日の1か月前から受け付けます")
    elif status == "expired":
        alert = f"支援措置は終了予定日（{format_wareki(m.end_on)}）を過ぎ、延長の申出がなく期間満了で終了しました"
    return SupportMeasureView(
        measure_id=m.measure_id, atena_no=m.atena_no, stage=m.stage, category=m.category,
        applied_on=m.applied_on, start_on=m.start_on, end_on=m.end_on, ended_on=m.ended_on, end_reason=m.end_reason,
        end_note=m.end_note, consult_agency=m.consult_agency, opinion_on=m.opinion_on, opinion=m.opinion,
        active=_active_on(m, today), status=status, status_label=protection.STATUS_LABELS[status], alert=alert,
        note=m.note, version=m.version, updated_by=m.updated_by, updated_at=m.updated_at,
    )


def proposed_end(uow: UnitOfWork, start: date) -> date:
    """The usual end date of a measure starting on *start* (``registry.support_measure.
    period_months``): what the start form proposes, as a date the clerk sees and may change."""
    with uow:
        return period_end(start, uow.params.get("registry.support_measure.period_months", start))


def start_support_measure(uow: UnitOfWork, ctx: Context, atena_no: str, data: SupportMeasureIn) -> SupportMeasureView:
    """Start a 支援措置 (仮支援措置 while under review, or 本): every date given by the clerk,
    the period at most ``registry.support_measure.period_months``; a 本 measure with the
    相談機関's opinion (``support_rules``).  Every input problem is reported at once; with
    a dry-run unit of work this is the confirmation screen's check."""
    with uow:
        uow.require(ctx, P_SUPPORT_MANAGE, A_SUPPORT_START, subjects=[f"resident:{atena_no}"])
        repo.load_persons(uow, [atena_no])
        problems = Problems()
        rules.category(problems, data.category)
        dates: dict[str, date] = {}
        for name, label in (("applied_on", "申出日"), ("start_on", "開始日"), ("end_on", "終了予定日")):
            with problems.catch():
                dates[name] = rules.day(getattr(data, name), name, label)
        found = None
        if data.stage == "本" or rules.given(data.consult_agency, data.opinion_on, data.opinion):
            found = rules.opinion(problems, data.consult_agency, data.opinion_on, data.opinion)
        start, end = dates.get("start_on"), dates.get("end_on")
        if start and end:
            with problems.catch():
                months = uow.params.get("registry.support_measure.period_months", start, entered=("start_on", "開始日"))
                if end < start:
                    raise ValidationError("REGISTRY_SUPPORT_END_BEFORE_START", "終了予定日が開始日より前です",
                                          fields={"end_on": "開始日より後にしてください"})
                rules.check_period(end, start, months, "end_on")
        problems.raise_if_any()
        if protected_among(uow, [atena_no], start):
            raise ConflictError("REGISTRY_SUPPORT_ALREADY_ACTIVE", "この方にはすでに有効な支援措置があります（延長または本決定を使ってください）")
        measure = SupportMeasure(
            tenant_code=uow.tenant_code, measure_id=next_value(uow, "registry.support_measure"), atena_no=atena_no,
            stage=data.stage, category=data.category, applied_on=dates["applied_on"], start_on=start, end_on=end,
            note=data.note, updated_by=ctx.actor, updated_at=utcnow(),
        )
        if found:
            measure.consult_agency, measure.opinion_on, measure.opinion = found.agency, found.on, found.text
        uow.session.add(measure)
        uow.flush()
        uow.audit.record(ctx, A_SUPPORT_START, subjects=[f"resident:{atena_no}"],
                         detail={"measure_id": measure.measure_id, "stage": data.stage})
        view = _view(uow, measure)  # before commit: a dry run rolls the change back
        uow.commit()
        return view


def change_support_measure(
    uow: UnitOfWork, ctx: Context, atena_no: str, measure_id: int, data: SupportMeasureChange
) -> SupportMeasureView:
    """Extend (延長), confirm a provisional measure (本決定: with the 相談機関's opinion
    unless it was recorded at the start) or end it (終了: the day and the reason)."""
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
        problems = Problems()
        if data.action == "extend":
            window = uow.params.get("registry.support_measure.extension_window_days", today)
            if today < measure.end_on - timedelta(days=window):
                problems.add(ValidationError(
                    "REGISTRY_SUPPORT_EXTEND_TOO_EARLY",
                    f"延長は終了予定日（{measure.end_on.isoformat()}）の{window}日前から受け付けます",
                ))
            months = uow.params.get("registry.support_measure.period_months", measure.end_on)
            with problems.catch():
                new_end = rules.day(data.end_on, "end_on", "延長後の終了予定日")
                if new_end <= measure.end_on:
                    raise ValidationError("REGISTRY_SUPPORT_EXTEND_INVALID", "延長後の終了予定日は今の終了予定日より後にしてください",
                                          fields={"end_on": "今の終了予定日より後にしてください"})
                rules.check_period(new_end, measure.end_on + timedelta(days=1), months, "end_on")
                measure.end_on = new_end
        elif data.action == "confirm":
            if measure.stage != "仮":
                raise ValidationError("REGISTRY_SUPPORT_NOT_PROVISIONAL", "本決定できるのは仮支援措置だけです")
            if measure.opinion is None or rules.given(data.consult_agency, data.opinion_on, data.opinion):
                found = rules.opinion(problems, data.consult_agency, data.opinion_on, data.opinion)
                if found:
                    measure.consult_agency, measure.opinion_on, measure.opinion = found.agency, found.on, found.text
            measure.stage = "本"
        else:
            with problems.catch():
                measure.ended_on = rules.day(data.end_on, "end_on", "終了日")
                if measure.ended_on < measure.start_on:
                    raise ValidationError("REGISTRY_SUPPORT_END_BEFORE_START", "終了日が開始日より前です",
                                          fields={"end_on": "開始日以後にしてください"})
            with problems.catch():
                measure.end_note = rules.required_text(data.reason, "reason", "終了の理由")
            measure.end_reason = protection.ENDED
        problems.raise_if_any()
        if data.note:
            measure.note = data.note
        measure.updated_by, measure.updated_at = ctx.actor, utcnow()
        uow.flush()
        uow.audit.record(ctx, A_SUPPORT_CHANGE, subjects=[f"resident:{atena_no}"],
                         detail={"measure_id": measure_id, "action": data.action})
        view = _view(uow, measure)  # before commit: a dry run rolls the change back
        uow.commit()
        return view


def list_support_measures(uow: UnitOfWork, ctx: Context, atena_no: str) -> list[SupportMeasureView]:
    return measures_of(uow, ctx, [atena_no])[atena_no]


def measures_of(uow: UnitOfWork, ctx: Context, atena_nos: list[str]) -> dict[str, list[SupportMeasureView]]:
    """Every measure of each of *atena_nos* (oldest first), with its status and alert.

    Audited as ``registry:support_measure:view`` naming those who have measures; a look
    that found none shows nothing about anyone and is not recorded.  The 相談機関's opinion
    and the reason of an end are shown only to staff who manage measures
    (``registry:support_measure:manage``): the counter needs the period, not the story."""
    with uow:
        uow.require(ctx, P_SUPPORT_VIEW, A_SUPPORT_VIEW, subjects=[f"resident:{a}" for a in atena_nos])
        repo.load_persons(uow, atena_nos)
        rows = uow.session.scalars(
            select(SupportMeasure).where(SupportMeasure.atena_no.in_(atena_nos)).order_by(SupportMeasure.measure_id)
        )
        found: dict[str, list[SupportMeasureView]] = {a: [] for a in atena_nos}
        today = today_jst()
        hidden = {} if ctx.has(P_SUPPORT_MANAGE) else dict.fromkeys(PRIVATE)
        for m in rows:
            found[m.atena_no].append(_view(uow, m, today).model_copy(update=hidden))
        seen = [a for a in atena_nos if found[a]]
        if seen:
            uow.audit.record(ctx, A_SUPPORT_VIEW, subjects=[f"resident:{a}" for a in seen])
        uow.commit()
        return found


#: How far back the review list shows measures that ended by expiry once recorded.
REVIEW_EXPIRED_DAYS = 365


def review_support_measures(uow: UnitOfWork, ctx: Context) -> list[MeasureToReview]:
    """The supervisor's list: measures ending within the extension window (延長の申出を
    受け付ける期間), every measure whose period ran out without the lapse being recorded,
    and those recorded as 期間満了 in the last year — soonest end first."""
    with uow:
        uow.require(ctx, P_SUPPORT_MANAGE, A_SUPPORT_VIEW)
        today = today_jst()
        window = uow.params.get("registry.support_measure.extension_window_days", today)
        rows = list(uow.session.scalars(
            select(SupportMeasure).where(
                SupportMeasure.end_on <= today + timedelta(days=window),
                or_(SupportMeasure.ended_on.is_(None),
                    (SupportMeasure.end_reason == protection.EXPIRED)
                    & (SupportMeasure.end_on >= today - timedelta(days=REVIEW_EXPIRED_DAYS))),
            ).order_by(SupportMeasure.end_on, SupportMeasure.measure_id)
        ))
        persons = repo.load_persons(uow, list(dict.fromkeys(m.atena_no for m in rows)))
        found = [MeasureToReview(**_view(uow, m, today).model_dump(), shimei=persons[m.atena_no].shimei) for m in rows]
        found = [m for m in found if m.status in ("ending_soon", "expired")]
        if found:
            uow.audit.record(ctx, A_SUPPORT_VIEW, subjects=[f"resident:{m.atena_no}" for m in found],
                             detail={"list": "review", "rows": len(found)})
        uow.commit()
        return found


def active_support_measures(uow: UnitOfWork, ctx: Context) -> list[MeasureToReview]:
    """Every measure in force today (実施中, ending soon included), soonest end first: the
    supervisor's daily list beside :func:`review_support_measures`.  Audited as
    ``registry:support_measure:view`` naming everyone listed."""
    with uow:
        uow.require(ctx, P_SUPPORT_MANAGE, A_SUPPORT_VIEW)
        today = today_jst()
        rows = list(uow.session.scalars(
            select(SupportMeasure).where(
                SupportMeasure.start_on <= today, SupportMeasure.end_on >= today,
                or_(SupportMeasure.ended_on.is_(None), SupportMeasure.ended_on > today),
            ).order_by(SupportMeasure.end_on, SupportMeasure.measure_id)
        ))
        persons = repo.load_persons(uow, list(dict.fromkeys(m.atena_no for m in rows)))
        found = [MeasureToReview(**_view(uow, m, today).model_dump(), shimei=persons[m.atena_no].shimei) for m in rows]
        if found:
            uow.audit.record(ctx, A_SUPPORT_VIEW, subjects=[f"resident:{m.atena_no}" for m in found],
                             detail={"list": "active", "rows": len(found)})
        uow.commit()
        return found


def record_expiries(uow: UnitOfWork, ctx: Context) -> list[SupportMeasureView]:
    """Write down every measure whose end date has passed without an extension or an end:
    ``ended_on`` the day after the end date, ``end_reason`` 期間満了, each change audited
    (``registry:support_measure:change``, action ``expire``).  For a supervisor's review
    list, or a daily job acting with the same permission."""
    with uow:
        uow.require(ctx, P_SUPPORT_MANAGE, A_SUPPORT_CHANGE)
        today = today_jst()
        lapsed = list(uow.session.scalars(
            select(SupportMeasure).where(SupportMeasure.end_on < today, SupportMeasure.ended_on.is_(None))
            .order_by(SupportMeasure.measure_id)
        ))
        for m in lapsed:
            m.ended_on, m.end_reason = m.end_on + timedelta(days=1), protection.EXPIRED
            m.updated_by, m.updated_at = ctx.actor, utcnow()
        uow.flush()
        for m in lapsed:
            uow.audit.record(ctx, A_SUPPORT_CHANGE, subjects=[f"resident:{m.atena_no}"],
                             detail={"measure_id": m.measure_id, "action": "expire", "end_on": m.end_on.isoformat()})
        views = [_view(uow, m, today) for m in lapsed]
        uow.commit()
        return views


def third_party_request(uow: UnitOfWork, ctx: Context, data: ThirdPartyRequestIn) -> ThirdPartyDecision:
    """Gate for a request by someone other than the person (写しの交付・閲覧) about *atena_nos*.

    When any of them is protected: a 代理人 is refused (403, audited); a third party,
    lawyer or public office is held for a supervisor's review (``held``, ``hold_no``; the
    API answers 202).  Once released, the same request with ``hold_no`` is accepted once.
    No answer says which person is protected.
    """
    from municloud.modules.registry.services.holds import gate, take_release

    with uow:
        subjects = [f"resident:{a}" for a in data.atena_nos]
        uow.require(ctx, P_THIRD_PARTY, A_THIRD_PARTY, subjects=subjects)
        if not data.purpose.strip():
            raise ValidationError("REGISTRY_PURPOSE_REQUIRED", "請求の目的を入力してください", fields={"purpose": "目的を入力してください"})
        repo.load_persons(uow, data.atena_nos)
        detail = {"requester_type": data.requester_type, "kind": data.kind}
        asked = data.model_dump(mode="json", exclude={"hold_no"})
        if data.hold_no is not None:
            hold = take_release(uow, data.hold_no, "third_party")
            if hold.request != asked:
                raise ConflictError("REGISTRY_SUPPORT_HOLD_CHANGED",
                                    "解除された請求と内容が異なります（保留したときの請求のとおりにしてください）")
            detail["hold_no"] = data.hold_no
        else:
            held = gate(uow, ctx, A_THIRD_PARTY, kind="third_party", atena_nos=list(data.atena_nos),
                        requester_type=data.requester_type, identity_checked=False, requester_atena_no=None,
                        request=asked, detail=detail)
            if held is not None:
                uow.commit()
                return ThirdPartyDecision(allowed=False, atena_nos=list(data.atena_nos), held=True,
                                          hold_no=held.hold_no, message=held.message)
        uow.audit.record(ctx, A_THIRD_PARTY, subjects=subjects, detail=detail)
        uow.commit()
        return ThirdPartyDecision(allowed=True, atena_nos=list(data.atena_nos))
