"""The registry's daily job (日次処理): 転出予定 whose 予定日 has come become 除票.

``apply_due_moves(uow, ctx, on)`` finds every 転出予定 of the tenant with a 予定日 on or
before *on* that is still pending (``Notification.due_on``), and carries each one out in a
transaction of its own (``services.planned.carry_out``): the persons become 除票 with
消除事由 転出 (or 国外への転出) and 消除日 = the 予定日, the household gets its new head and
続柄 as the 転出届 said, and ``ResidentsChanged`` is published in that transaction — so the
other modules see the removal on that day (印鑑登録 ends then, tax's ``residents_on`` counts
the person until the day before).  Each carried-out entry is a notification of its own
(届出日 = the 転出届's, 異動日 = the 予定日, ``carries_out`` = the 転出予定's 異動番号),
audited as ``registry:notification:register`` by the job's actor.

Idempotent: a carried-out 転出予定 is no longer pending, so running the job again (the same
day, or after missed days — it catches up) does nothing more.  A 転出予定 that can no longer
be carried out as filed (e.g. the named new head has died meanwhile) is skipped and
reported; the others are carried out.  The run is audited as ``registry:daily:run`` with
what was done and what failed.  Run it once a day after midnight (docs/operations.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from municloud.errors import MuniError, ValidationError
from municloud.kernel.clock import today_jst
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.sequences import next_value
from municloud.modules.registry.catalog import A_DAILY, A_NOTIFICATION_REGISTER, P_DAILY
from municloud.modules.registry.orm import Notification
from municloud.modules.registry.services import planned
from municloud.modules.registry.services.notifications import Input, apply_plan


@dataclass(frozen=True)
class CarriedOut:
    planned_id: int  # 異動番号 of the 転出予定
    notification_id: int  # 異動番号 of the entry that removed the persons
    due_on: date  # 転出予定日 (= 消除日)
    atena_nos: list[str]


@dataclass(frozen=True)
class NotCarriedOut:
    planned_id: int
    due_on: date
    code: str
    message: str


@dataclass
class DailyReport:
    tenant_code: str
    on: date
    carried_out: list[CarriedOut] = field(default_factory=list)
    failed: list[NotCarriedOut] = field(default_factory=list)


def apply_due_moves(uow: UnitOfWork, ctx: Context, on: date | None = None) -> DailyReport:
    """Carry out every pending 転出予定 of the tenant due on or before *on* (default today)."""
    with uow:
        uow.require(ctx, P_DAILY, A_DAILY)
        today = today_jst()
        on = on or today
        if on > today:
            raise ValidationError("REGISTRY_DAILY_FUTURE",
                                  f"日次処理の基準日（{on.isoformat()}）が未来です。予定日の前に除票にはできません",
                                  fields={"on": "今日以前の日付にしてください"})
        due = [(n.notification_id, n.due_on) for n in uow.session.scalars(
            select(Notification).where(Notification.due_on.is_not(None), Notification.due_on <= on,
                                       Notification.cancelled_by.is_(None))
            .order_by(Notification.due_on, Notification.notification_id)
        )]
    report = DailyReport(uow.tenant_code, on)
    for planned_id, due_on in due:
        try:
            done = _carry_out(uow, ctx, planned_id, on)
        except MuniError as exc:
            report.failed.append(NotCarriedOut(planned_id, due_on, exc.code, exc.message))
            continue
        if done is not None:
            report.carried_out.append(done)
    with uow:
        uow.audit.record(
            ctx, A_DAILY,
            subjects=[f"resident:{a}" for c in report.carried_out for a in c.atena_nos],
            detail={"on": on.isoformat(),
                    "carried_out": [[c.planned_id, c.notification_id] for c in report.carried_out],
                    "failed": [[f.planned_id, f.code] for f in report.failed]},
        )
        uow.commit()
    return report


def _carry_out(uow: UnitOfWork, ctx: Context, planned_id: int, on: date) -> CarriedOut | None:
    """One 転出予定, in a transaction of its own (nothing is written when it is refused)."""
    with uow:
        target = uow.session.get(Notification, (uow.tenant_code, planned_id), with_for_update=True)
        if target is None or target.due_on is None or target.due_on > on or target.cancelled_by is not None:
            return None  # done meanwhile (another run, a 転出確定, a 取消し)
        due_on = target.due_on
        plan = planned.carry_out(uow, target, removed_on=target.ido_date)
        if plan is None:  # nobody left to remove (died or cancelled meanwhile)
            target.due_on = None
            uow.commit()
            return None
        inp = Input(
            kind="tenshutsu", ido_date=target.ido_date, todoke_date=target.todoke_date, today=today_jst(),
            notification_id=next_value(uow, "registry.notification"),
            note=f"転出予定日の到来による消除（転出届 異動番号 {planned_id}）",
        )
        result = apply_plan(uow, ctx, inp, plan, A_NOTIFICATION_REGISTER)
        removed = [c.person.atena_no for c in plan.changes if c.person.status == "removed"]
        return CarriedOut(planned_id, result.notification_id, due_on, removed)
