"""転出予定: a 転出届 filed before the move, carried out on its 予定日.

住民基本台帳法第24条 asks for the 転出届 in advance.  The standard (住民記録システム標準仕様書
1.1.5) keeps such a person a resident (現存者) — in the household, with their 続柄, with
certificates issued — until the 転出予定日 or the 転入日 of a 転入通知, whichever comes first,
and removes them (除票) on that day.  So:

* registering a 転出届 whose 予定日 is still to come (:func:`plan`) records the planned move
  on the person (転出先（予定）, 転出予定年月日, stage 予定; 異動事由 転出予定) and keeps on the
  notification what the day will do to the household (``plan``: new head, 続柄, 国外) with
  its 予定日 in ``due_on``;
* on the 予定日 the daily job (``services.daily``) carries it out (:func:`carry_out`): the
  persons become 除票 (消除日 = 予定日) in a notification of their own (``carries_out``), and
  ``ResidentsChanged`` tells the other modules *then* (印鑑登録 ends on that day);
* a 転出確定 (転入通知) arriving before the 予定日 carries it out at once, 消除日 = the earlier
  of the 予定日 and the 転入日 (the 異動日 entered with the notice);
* 取消し of the 転出予定 while pending simply restores the record; after it was carried out by
  the daily job, cancelling either entry cancels the whole 転出 (the person is a resident
  again, without the plan); cancelling a 転出確定 that carried it out makes it pending again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from municloud.errors import ValidationError
from municloud.kernel.db import UnitOfWork
from municloud.modules.registry import moves
from municloud.modules.registry import repository as repo
from municloud.modules.registry.domain import Person, invalid
from municloud.modules.registry.orm import Notification, ResidentRecord
from municloud.modules.registry.services.plans import Plan

CLEARED = {"moved_out_to": None, "move_out_stage": None, "move_out_planned_on": None}


def plan(household: dict[str, Person], atena_nos: list[str], *, ido_date: date, destination: str, abroad: bool,
         new_head: str | None, zokugara: dict[str, str]) -> Plan:
    """The Plan of a 転出予定 (see the module's doc).  What the 予定日 will do to the household
    is checked now, so a missing new head is refused at the counter, not on the day."""
    source = next(iter(household.values())).setai_no
    outcome = moves.move_out(household, atena_nos, ido_date=ido_date, destination=destination, abroad=abroad,
                             new_head=new_head, zokugara=zokugara)
    after = dict(household) | {c.person.atena_no: c.person for c in outcome}
    moves.check_households(after, {source})
    changes = moves.plan_move_out(household, atena_nos, ido_date=ido_date, destination=destination)
    return Plan(moves.TENSHUTSU_YOTEI, changes, households={source}, due_on=ido_date,
                pending={"abroad": abroad, "new_head": new_head, "zokugara": dict(zokugara)})


def pending_of(uow: UnitOfWork, persons: list[Person]) -> Notification:
    """The one pending 転出予定 of *persons* (all of them residents with a planned move)."""
    ids = set()
    for p in persons:
        if not p.move_out_pending:
            raise ValidationError("REGISTRY_NOT_MOVED_OUT", f"宛名番号 {p.atena_no} の方は転出（予定）の記録がありません")
        ids.add(uow.session.scalar(
            select(ResidentRecord.notification_id)
            .where(ResidentRecord.atena_no == p.atena_no, ResidentRecord.ido_jiyu == moves.TENSHUTSU_YOTEI)
            .order_by(ResidentRecord.rireki_no.desc()).limit(1)
        ))
    rows = [uow.session.get(Notification, (uow.tenant_code, i)) for i in ids if i is not None]
    if len(rows) != 1 or rows[0].due_on is None or rows[0].cancelled_by is not None:
        raise invalid("REGISTRY_PLANNED_MOVE_PARTIAL",
                      "転出予定の方の転出確定は、同じ転出届の方をまとめて入力してください", "atena_nos")
    return rows[0]


def carry_out(uow: UnitOfWork, planned: Notification, *, removed_on: date,
              confirm: tuple[str, date] | None = None, whole: list[str] | None = None) -> Plan | None:
    """Carry out the 転出予定 *planned* (its persons still pending become 除票 on *removed_on*).

    *confirm* = (転出先（確定）, 転入通知年月日) when a 転出確定 does it; *whole*: the
    宛名番号 the 転出確定 names, which must be all the pending persons of the 転出予定.
    Returns None when nobody is left to carry out (all died or were cancelled meanwhile).
    """
    stored = planned.plan or {}
    persons = repo.load_persons(uow, planned.atena_nos)
    leavers = [a for a in planned.atena_nos
               if persons[a].move_out_pending and persons[a].move_out_planned_on == planned.ido_date]
    if whole is not None and set(whole) != set(leavers):
        raise invalid("REGISTRY_PLANNED_MOVE_PARTIAL",
                      f"転出届（異動番号 {planned.notification_id}）の方全員（宛名番号 {'・'.join(leavers)}）の"
                      "転出確定をまとめて入力してください", "atena_nos")
    if not leavers:
        return None
    setai = {persons[a].setai_no for a in leavers}
    if len(setai) != 1:
        raise invalid("REGISTRY_MIXED_HOUSEHOLDS", "転出予定の方が別々の世帯に分かれています。転出届を取り消して届け直してください",
                      "atena_nos")
    source = setai.pop()
    household = repo.load_household(uow, source)
    changes = moves.move_out(
        household, leavers, ido_date=removed_on, destination=persons[leavers[0]].moved_out_to or "",
        abroad=bool(stored.get("abroad")), new_head=stored.get("new_head"), zokugara=dict(stored.get("zokugara") or {}),
    )
    jiyu = changes[0].ido_jiyu
    if confirm is not None:
        destination, notified_on = confirm
        if notified_on < removed_on:
            raise invalid("REGISTRY_NOTICE_BEFORE_MOVE_OUT", "転入通知年月日が転出の日より前です", "notified_on")
        jiyu = moves.TENSHUTSU_KAKUTEI
        changes = [
            moves.Change(c.person.with_(moved_out_to=destination, move_out_stage="確定", move_in_notified_on=notified_on),
                         jiyu)
            if c.person.atena_no in leavers else c
            for c in changes
        ]

    def done() -> None:
        planned.due_on = None

    return Plan(jiyu, changes, households={source}, carries_out=planned.notification_id, after=done)


@dataclass
class Cancellation:
    """What a 取消し of *target* does when planned moves are involved."""

    rows_of: Notification  # the entry whose rows must be each person's latest (restored)
    also_cancelled: list[Notification] = field(default_factory=list)
    cleared: set[str] = field(default_factory=set)  # persons whose planned move is dropped
    reopen: Notification | None = None  # a 転出予定 that becomes pending again


def _carrier(uow: UnitOfWork, planned_id: int) -> Notification | None:
    return uow.session.scalars(
        select(Notification).where(Notification.carries_out == planned_id, Notification.cancelled_by.is_(None))
    ).first()


def cancellation(uow: UnitOfWork, target: Notification) -> Cancellation:
    """How to cancel *target* (see the module's doc): the plain case is ``Cancellation(target)``."""
    if target.carries_out is not None:
        planned = uow.session.get(Notification, (uow.tenant_code, target.carries_out))
        if target.ido_jiyu == moves.TENSHUTSU_KAKUTEI or planned is None:
            return Cancellation(target, reopen=planned)
        # the daily job's 転出: the person did not move after all — the whole 転出 goes
        return Cancellation(target, [planned], set(planned.atena_nos))
    if target.ido_jiyu == moves.TENSHUTSU_YOTEI and target.due_on is None:
        carrier = _carrier(uow, target.notification_id)
        if carrier is not None and carrier.ido_jiyu != moves.TENSHUTSU_KAKUTEI:
            return Cancellation(carrier, [carrier], set(target.atena_nos))
    return Cancellation(target)
