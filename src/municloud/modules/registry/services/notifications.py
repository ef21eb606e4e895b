"""Registering a notification (異動届の登録) — one use case for every kind.

Each kind's handler reads the current states it needs, asks the pure rules in
``moves.py`` for the changes, and returns a :class:`Plan`.  The common path then checks
the clerk's expected 履歴番号 (conflicts), re-checks every touched household (exactly one
head), appends the snapshots and audits — all in one transaction.

Before the handler: the dates (``periods``: no 届出日 before the 異動日 except a 転出届;
a 届出 after its 14-day 届出期間 is registered and flagged 届出期間経過), and every
parameter looked up for the 異動日 turns a day before its first value into the clerk's
input error on ``ido_date`` (``entered_date``), not an internal one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from municloud.errors import (
    ConflictError,
    MuniError,
    PermissionDeniedError,
    Problems,
    ValidationError,
)
from municloud.jp.wareki import parse_date
from municloud.kernel.clock import today_jst, utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.parameters.services import entered_date
from municloud.kernel.sequences import next_value
from municloud.modules.registry import moves, periods
from municloud.modules.registry import repository as repo
from municloud.modules.registry.catalog import (
    A_NOTIFICATION_CANCEL,
    A_NOTIFICATION_CHECK,
    A_NOTIFICATION_REGISTER,
    P_REGISTER,
)
from municloud.modules.registry.domain import Person, check_address, normalise_person
from municloud.modules.registry.events import ResidentsChanged, publish
from municloud.modules.registry.orm import Notification
from municloud.modules.registry.schemas import NewAddress, NotificationIn, NotificationResult
from municloud.modules.registry.services import newcomers
from municloud.modules.registry.services.plans import Plan


@dataclass
class Input:
    """Parsed common fields of a notification."""

    kind: str
    ido_date: date
    todoke_date: date | None
    today: date
    notification_id: int
    note: str | None
    expected: dict[str, int] = field(default_factory=dict)
    request_key: str | None = None
    late: periods.Lateness = periods.Lateness(False, None)  # 届出期間経過 and the 届出期限
    problems: Problems = field(default_factory=Problems)  # independent problems, raised together


def parse_day(value: str | None, field_name: str, label: str, *, required: bool = True) -> date | None:
    if value is None or not str(value).strip():
        if required:
            raise ValidationError("REGISTRY_ITEM_REQUIRED", f"{label}を入力してください", fields={field_name: f"{label}を入力してください"})
        return None
    try:
        return parse_date(value)
    except ValidationError as exc:
        raise ValidationError(exc.code, f"{label}：{exc.message}", fields={field_name: exc.message}) from None


def register_notification(uow: UnitOfWork, ctx: Context, notification: NotificationIn) -> NotificationResult:
    """Register one 異動届 of any kind; everything or nothing is written.

    Independent input problems (the dates, every person's items, the new address, the
    household choice) are collected and raised together as one ``ValidationError``
    (``MULTIPLE_PROBLEMS`` with ``problems`` when there are several), so a clerk sees them
    all at once.  With a dry-run unit of work (``platform.uow(t, dry_run=True)``) the same
    use case runs to the end and is rolled back: the confirmation step's check.  A dry run
    records one ``registry:notification:check`` entry (success or failure) instead of the
    registration: it read the persons' records, and its answer may say things about them.
    """
    with uow:
        action = A_NOTIFICATION_CANCEL if notification.kind == "torikeshi" else A_NOTIFICATION_REGISTER
        uow.require(ctx, P_REGISTER, action)
        try:
            return _register(uow, ctx, notification, action)
        except MuniError as exc:
            if uow.dry_run and not isinstance(exc, PermissionDeniedError):
                codes = [p["code"] for p in exc.problems] or [exc.code]
                uow.audit.record(ctx, A_NOTIFICATION_CHECK, subjects=named_subjects(notification),
                                 outcome="failure", detail={"kind": notification.kind, "codes": codes}, always=True)
            raise


def _register(uow: UnitOfWork, ctx: Context, notification: NotificationIn, action: str) -> NotificationResult:
    from municloud.modules.registry.services import handlers

    problems = Problems()
    today = today_jst()
    ido_date = todoke = None
    with problems.catch():
        ido_date = parse_day(notification.ido_date, "ido_date", "異動日", required=notification.kind != "torikeshi")
    with problems.catch():
        todoke = parse_day(notification.todoke_date, "todoke_date", "届出日", required=False)
    if todoke and todoke > today:
        problems.add(ValidationError("REGISTRY_DATE_IN_FUTURE", "届出日が未来の日付です", fields={"todoke_date": "未来の日付です"}))
    planned = notification.kind == "tenshutsu" and notification.stage == "yotei"  # 転出予定日 may be ahead
    if ido_date and ido_date > today and not planned:
        problems.add(ValidationError("REGISTRY_DATE_IN_FUTURE", "異動日が未来の日付です", fields={"ido_date": "未来の日付です"}))
    stage = getattr(notification, "stage", None)
    with problems.catch():
        periods.check_order(notification.kind, stage, ido_date, todoke)
    if notification.request_key:
        done = uow.session.scalar(
            select(Notification.notification_id).where(Notification.request_key == notification.request_key)
        )
        if done is not None:
            raise ConflictError(
                "REGISTRY_ALREADY_REGISTERED",
                f"この届出はすでに登録されています（異動番号 {done}）。二重に登録していません",
                detail={"notification_id": done},
            )
    # parameters are looked up for the 異動日: a day before their first value is the clerk's error
    day = ido_date or today
    address = getattr(notification, "address", None)
    if address is not None:  # 転入・転居: the new address is checked even if the rest fails
        with problems.catch(lambda name: ADDRESS_FORM.get(name, name)), entered_date(day, "ido_date", "異動日"):
            check_address(address.address, address.katagaki, address.postal_code, address.attributes,
                          allowed_attributes=_allowed(uow, day))
    inp = Input(
        kind=notification.kind,
        ido_date=day,
        todoke_date=todoke,
        today=today,
        notification_id=next_value(uow, "registry.notification"),
        note=notification.note,
        expected=dict(notification.expected_rireki),
        request_key=notification.request_key,
        problems=problems,
    )
    handler: Callable[[UnitOfWork, Input, object], Plan] = handlers.HANDLERS[notification.kind]
    plan = None
    with problems.catch(), entered_date(inp.ido_date, "ido_date", "異動日"):
        days = uow.params.get("registry.notification.period_days", inp.ido_date)
        inp.late = periods.lateness(notification.kind, stage, ido_date, todoke, days)
        plan = handler(uow, inp, notification)
    if plan is None:
        problems.raise_if_any()
        raise AssertionError("a handler returns a plan or raises")  # pragma: no cover
    with entered_date(inp.ido_date, "ido_date", "異動日"):
        return apply_plan(uow, ctx, inp, plan, action)


def _allowed(uow: UnitOfWork, on: date) -> tuple[str, ...]:
    return tuple(uow.params.get("registry.address.attributes", on))


def named_subjects(notification: NotificationIn) -> list[str]:
    """The residents and households a notification names (a dry run's audit subjects when
    it failed before it knew whom it would touch)."""
    atena = list(getattr(notification, "atena_nos", None) or [])
    atena += [a for a in (getattr(notification, "atena_no", None),) if a]
    setai = [s for s in (getattr(notification, name, None) for name in ("setai_no", "join_setai_no", "into_setai_no"))
             if s]
    return [f"resident:{a}" for a in dict.fromkeys(atena)] + [f"household:{s}" for s in dict.fromkeys(setai)]


def apply_plan(uow: UnitOfWork, ctx: Context, inp: Input, plan: Plan, action: str) -> NotificationResult:
    """Write a handler's plan (the common path of every notification, and of the daily job
    carrying out a 転出予定): conflicts, household checks, snapshots, events, audit."""
    changes = _consolidate(plan.changes)
    for change in changes:
        expected = inp.expected.get(change.person.atena_no)
        if expected is not None and expected != change.person.rireki_no:
            raise ConflictError(
                "REGISTRY_STALE_RECORD",
                f"宛名番号 {change.person.atena_no} の記録は、表示した後に他の職員が更新しました（履歴番号 "
                f"{expected} → {change.person.rireki_no}）。開き直してから入力してください",
            )
    today_ = inp.today
    allowed = _allowed(uow, inp.ido_date)
    normalised = []
    for c in changes:
        with inp.problems.catch():
            normalised.append(moves.Change(_normalise(c.person, plan, inp.kind, today_, allowed), c.ido_jiyu))
    inp.problems.raise_if_any()
    changes = normalised
    newcomers.check_unique_codes(uow, [c.person for c in changes])
    touched = set(plan.households) | {c.person.setai_no for c in changes}
    state: dict[str, Person] = {}
    for setai_no in touched:
        state.update(repo.load_persons(uow, repo.household_atena_nos(uow, setai_no)))
    state.update({c.person.atena_no: c.person for c in changes})
    empty = moves.check_households(state, touched)
    for setai_no in plan.new_households:
        repo.add_household(uow, setai_no, inp.ido_date)
    uow.flush()
    meta = repo.ChangeMeta(
        notification_id=inp.notification_id,
        ido_date=inp.ido_date,
        todoke_date=inp.todoke_date,
        processed_at=utcnow(),
        processed_by=ctx.actor,
        input_place=ctx.place,
        input_terminal=ctx.terminal or ctx.client_addr,
    )
    uow.session.add(
        Notification(
            tenant_code=uow.tenant_code,
            notification_id=inp.notification_id,
            kind=inp.kind,
            ido_jiyu=plan.ido_jiyu,
            ido_date=inp.ido_date,
            todoke_date=inp.todoke_date,
            processed_at=meta.processed_at,
            processed_by=ctx.actor,
            atena_nos=[c.person.atena_no for c in changes],
            setai_nos=sorted(touched),
            cancels=plan.cancels,
            note=inp.note,
            request_key=inp.request_key,
            late_notice=inp.late.late,
            due_on=plan.due_on,
            plan=plan.pending,
            carries_out=plan.carries_out,
        )
    )
    uow.flush()
    atena_nos = repo.append(uow, changes, meta)
    repo.dissolve_households(uow, empty, inp.ido_date)
    for setai_no in touched - empty:
        repo.revive_household(uow, setai_no)
    if plan.after is not None:
        plan.after()
    detail = {"notification_id": inp.notification_id, "kind": inp.kind, "ido_jiyu": plan.ido_jiyu,
              **({"late_notice": True} if inp.late.late else {}),
              **({"carries_out": plan.carries_out} if plan.carries_out else {})}
    if uow.dry_run:
        # Only those who exist: the numbers a dry run gave new persons and households are
        # given back by its rollback and will belong to someone else.
        existing = [f"resident:{c.person.atena_no}" for c in changes if c.person.rireki_no]
        households = [f"household:{s}" for s in sorted(touched - set(plan.new_households))]
        uow.audit.record(ctx, A_NOTIFICATION_CHECK, subjects=existing + households,
                         detail={"kind": inp.kind, "ido_jiyu": plan.ido_jiyu}, always=True)
    else:
        uow.audit.record(
            ctx,
            action,
            subjects=[f"resident:{a}" for a in atena_nos] + [f"household:{s}" for s in sorted(touched)],
            detail=detail,
        )
    publish(uow, ResidentsChanged(uow.tenant_code, inp.notification_id, plan.ido_jiyu, tuple(
        (c.person.atena_no, c.person.status, c.person.removal_reason) for c in changes
    ), inp.ido_date))
    uow.commit()  # a dry run's commit rolls back
    return NotificationResult(
        notification_id=inp.notification_id,
        kind=inp.kind,
        ido_jiyu=plan.ido_jiyu,
        atena_nos=atena_nos,
        setai_nos=sorted(touched),
        late_notice=inp.late.late,
        notice_deadline=inp.late.deadline,
        move_out_due_on=plan.due_on,
        dry_run=uow.dry_run,
        address=NewAddress(**plan.address) if plan.address is not None else None,
    )


ADDRESS_FORM = {"address": "address.address", "katagaki": "address.katagaki",
                "postal_code": "address.postal_code", "address_attributes": "address.attributes"}


def _normalise(person: Person, plan: Plan, kind: str, today: date, allowed: tuple[str, ...]) -> Person:
    """Validate one person's items; errors name the field as the form (API) nests it."""
    try:
        return normalise_person(person, today=today, allowed_attributes=allowed)
    except ValidationError as exc:
        prefix = plan.field_prefix.get(person.atena_no, "")

        def rename(name: str) -> str:
            if kind in ("tennyu", "tenkyo") and name in ADDRESS_FORM:
                return ADDRESS_FORM[name]
            return prefix + name

        raise exc.with_fields(rename) from None


def _consolidate(changes: list[moves.Change]) -> list[moves.Change]:
    """One change per person (the last computed state), in first-seen order."""
    merged: dict[str, moves.Change] = {}
    for change in changes:
        first = merged.get(change.person.atena_no)
        merged[change.person.atena_no] = moves.Change(change.person, first.ido_jiyu if first else change.ido_jiyu)
    return list(merged.values())


__all__ = ["Input", "Person", "named_subjects", "parse_day", "register_notification"]
