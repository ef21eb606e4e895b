"""The 支援措置 gate of every request touching persons (写しの交付・閲覧・証明書), and the
requests it holds for a supervisor's review (保留 → 解除／拒否 → 1回だけ交付).

:func:`gate` runs inside the requesting use case's transaction, after its own checks:
allowed → nothing; refused → the attempt audited ``denied`` (written although the use
case rolls back) and ``REGISTRY_SUPPORT_MEASURE_ACTIVE`` (403) raised; held → a
:class:`~municloud.modules.registry.orm.SupportHold` row and a ``registry:support_hold:hold``
entry, and the use case commits and answers with a :class:`HeldRequest` (202 on the API).
The rules are in ``registry/protection.py`` (住民基本台帳事務処理要領 第5-10).  No answer
says which person is protected.

A supervisor (``registry:support_measure:release``) releases or refuses a held request
with a reason (:func:`decide_hold`; audited; not the one who held it: the decision is a
second person's).  The released request is then carried out once through
:func:`take_release` (e.g. ``issue_released_certificate``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from municloud.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.fields import Serial
from municloud.kernel.sequences import next_value
from municloud.modules.registry import fields as f
from municloud.modules.registry import protection
from municloud.modules.registry.catalog import (
    A_HOLD,
    A_HOLD_REFUSE,
    A_HOLD_RELEASE,
    A_HOLD_VIEW,
    P_CERTIFICATE,
    P_SUPPORT_RELEASE,
)
from municloud.modules.registry.orm import SupportHold
from municloud.modules.registry.services.support import protected_among

HELD_CODE = "REGISTRY_SUPPORT_MEASURE_HELD"
STATUS_LABELS = protection.HOLD_STATUS_LABELS


class HeldRequest(BaseModel):
    """The answer to a request that was held (HTTP 202): nothing issued yet."""

    code: str = HELD_CODE
    message: str
    hold_no: int | None = Field(None, description="保留番号（確認だけ dry_run のときは付けない）")
    status: str = Field("held", description="held（保留した）／would_hold（確認だけ：交付すると保留になる）")


class HoldView(BaseModel):
    hold_no: int
    kind: str
    requester_type: str
    atena_nos: list[str]
    request: dict
    status: str
    status_label: str
    held_by: str
    held_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None
    used_at: datetime | None
    issue_no: str | None
    version: int


class HoldDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["release", "refuse"] = Field(description="release＝解除（1回だけ交付を認める）／refuse＝拒否")
    reason: f.HOLD_REASON.type = Field(min_length=1, description="判断の理由（確認した書類・請求事由など。必須）")
    expected_version: Serial | None = Field(None, description="表示した版（他の責任者と同時に判断したら409）")


def view(h: SupportHold) -> HoldView:
    return HoldView(
        hold_no=h.hold_no, kind=h.kind, requester_type=h.requester_type, atena_nos=list(h.atena_nos),
        request=dict(h.request), status=h.status, status_label=STATUS_LABELS.get(h.status, h.status),
        held_by=h.held_by, held_at=h.held_at, decided_by=h.decided_by, decided_at=h.decided_at, reason=h.reason,
        used_at=h.used_at, issue_no=h.issue_no, version=h.version,
    )


def gate(uow: UnitOfWork, ctx: Context, action: str, *, kind: str, atena_nos: list[str], requester_type: str,
         identity_checked: bool, requester_atena_no: str | None, request: dict, detail: dict) -> HeldRequest | None:
    """Allow (None), hold (a :class:`HeldRequest`; the caller commits) or refuse (raises).

    In a dry run (the confirmation) nothing is held and no 保留番号 is taken — it would be
    given back by the rollback and shown to no purpose: the answer says the request *will*
    be held (``would_hold``); the caller records its check."""
    decision = protection.decide(requester_type, identity_checked=identity_checked,
                                 requester_atena_no=requester_atena_no, protected=protected_among(uow, atena_nos))
    if decision.outcome == protection.ALLOW:
        return None
    subjects = [f"resident:{a}" for a in atena_nos]
    if decision.outcome == protection.REFUSE:
        uow.audit.record(ctx, action, subjects=subjects, outcome="denied",
                         detail={**detail, "reason": "support_measure", "rule": decision.rule}, always=True)
        raise PermissionDeniedError("REGISTRY_SUPPORT_MEASURE_ACTIVE", decision.message)
    if uow.dry_run:
        return HeldRequest(message=protection.WILL_HOLD, status="would_hold")
    hold = SupportHold(
        tenant_code=uow.tenant_code, hold_no=next_value(uow, "registry.support_hold"), kind=kind,
        requester_type=requester_type, atena_nos=list(atena_nos), request=request, status="held",
        held_by=ctx.actor, held_at=utcnow(),
    )
    uow.session.add(hold)
    uow.flush()
    uow.audit.record(ctx, A_HOLD, subjects=subjects,
                     detail={**detail, "hold_no": hold.hold_no, "kind": kind, "for": action})
    return HeldRequest(message=decision.message.format(hold_no=hold.hold_no), hold_no=hold.hold_no)


def take_release(uow: UnitOfWork, hold_no: int, kind: str) -> SupportHold:
    """The released hold *hold_no* of *kind*, locked and marked used (inside the use case
    that now carries the request out; it sets ``issue_no`` when it has one)."""
    hold = uow.session.scalars(
        select(SupportHold).where(SupportHold.hold_no == hold_no).with_for_update()
    ).one_or_none()
    if hold is None or hold.kind != kind:
        raise NotFoundError("REGISTRY_SUPPORT_HOLD_NOT_FOUND", f"保留番号 {hold_no} の請求は見つかりません")
    if hold.status == "held":
        raise ConflictError("REGISTRY_SUPPORT_HOLD_PENDING", f"保留番号 {hold_no} の請求は、まだ責任者が審査していません")
    if hold.status == "refused":
        raise PermissionDeniedError("REGISTRY_SUPPORT_HOLD_REFUSED", f"保留番号 {hold_no} の請求は、責任者が拒否しました")
    if hold.status == "used":
        raise ConflictError(
            "REGISTRY_SUPPORT_HOLD_USED",
            f"保留番号 {hold_no} の請求は、すでに交付しました" + (f"（発行番号 {hold.issue_no}）" if hold.issue_no else ""),
        )
    hold.status, hold.used_at = "used", utcnow()
    return hold


def decide_hold(uow: UnitOfWork, ctx: Context, hold_no: int, data: HoldDecisionIn) -> HoldView:
    """A supervisor releases (解除) or refuses (拒否) a held request, with a reason."""
    action = A_HOLD_RELEASE if data.decision == "release" else A_HOLD_REFUSE
    with uow:
        uow.require(ctx, P_SUPPORT_RELEASE, action, subjects=[f"support_hold:{hold_no}"])
        hold = uow.session.get(SupportHold, (uow.tenant_code, hold_no))
        if hold is None:
            raise NotFoundError("REGISTRY_SUPPORT_HOLD_NOT_FOUND", f"保留番号 {hold_no} の請求は見つかりません")
        if data.expected_version is not None and data.expected_version != hold.version:
            raise ConflictError("REGISTRY_STALE_RECORD", "この請求は他の責任者が先に審査しました。開き直してください")
        if hold.status != "held":
            raise ConflictError("REGISTRY_SUPPORT_HOLD_DECIDED",
                                f"保留番号 {hold_no} の請求はすでに審査済みです（{STATUS_LABELS[hold.status]}）")
        if hold.held_by == ctx.actor:
            uow.audit.record(ctx, action, subjects=[f"support_hold:{hold_no}"], outcome="denied",
                             detail={"hold_no": hold_no, "reason": "own_hold"}, always=True)
            raise PermissionDeniedError(
                "REGISTRY_SUPPORT_HOLD_OWN", "自分が受け付けて保留した請求は審査できません（別の責任者が審査します）"
            )
        reason = data.reason.strip()
        if not reason:
            raise ValidationError("REGISTRY_REASON_REQUIRED", "判断の理由を入力してください", fields={"reason": "理由を入力してください"})
        hold.status = "released" if data.decision == "release" else "refused"
        hold.decided_by, hold.decided_at, hold.reason = ctx.actor, utcnow(), reason
        uow.flush()
        # the reason is free text (it may name people): it stays in the hold, not the audit log
        uow.audit.record(ctx, action, subjects=[f"support_hold:{hold_no}"] + [f"resident:{a}" for a in hold.atena_nos],
                         detail={"hold_no": hold_no, "kind": hold.kind, "requester_type": hold.requester_type})
        uow.commit()
        return view(hold)


def list_holds(uow: UnitOfWork, ctx: Context, *, status: str | None = None) -> list[HoldView]:
    """Held requests, newest first (those waiting for review and those released to issue)."""
    with uow:
        uow.require(ctx, P_CERTIFICATE, A_HOLD_VIEW)
        stmt = select(SupportHold).order_by(SupportHold.hold_no.desc())
        if status:
            stmt = stmt.where(SupportHold.status == status)
        views = [view(h) for h in uow.session.scalars(stmt.limit(200))]
        if views:
            uow.audit.record(ctx, A_HOLD_VIEW, subjects=[f"support_hold:{v.hold_no}" for v in views],
                             detail={"status": status, "rows": len(views)})
        uow.commit()
        return views


def get_hold(uow: UnitOfWork, ctx: Context, hold_no: int) -> HoldView:
    with uow:
        uow.require(ctx, P_CERTIFICATE, A_HOLD_VIEW, subjects=[f"support_hold:{hold_no}"])
        hold = uow.session.get(SupportHold, (uow.tenant_code, hold_no))
        if hold is None:
            raise NotFoundError("REGISTRY_SUPPORT_HOLD_NOT_FOUND", f"保留番号 {hold_no} の請求は見つかりません")
        found = view(hold)
        uow.audit.record(ctx, A_HOLD_VIEW, subjects=[f"support_hold:{hold_no}"] + [f"resident:{a}" for a in found.atena_nos],
                         detail={"hold_no": hold_no})
        uow.commit()
        return found


__all__ = ["HeldRequest", "HoldDecisionIn", "HoldView", "decide_hold", "gate", "get_hold", "list_holds",
           "take_release"]
