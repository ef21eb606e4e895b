"""Factories for tests: tenants, contexts, and valid notifications built from a few facts."""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import count

from pydantic import TypeAdapter

from municloud.jp.codes import generate_juminhyo_code, generate_my_number
from municloud.kernel.clock import today_jst
from municloud.kernel.context import Context
from municloud.kernel.tenants.services import add_tenant
from municloud.modules.registry.schemas import NotificationIn
from municloud.modules.registry.services.notifications import register_notification

_rng = random.Random(20261126)
_users = count(1)
NOTIFICATION = TypeAdapter(NotificationIn)


def operator_context(platform) -> Context:
    return Context.system(None, platform.catalog.permissions_of({"operator"}), actor="test-operator")


def make_tenant(platform, code: str, name: str, kind: str = "市") -> str:
    add_tenant(platform.uow(None), operator_context(platform), code, name, kind)
    return code


def context(platform, tenant: str, *roles: str, actor: str | None = None, **kw) -> Context:
    roles_ = frozenset(roles)
    return Context(
        tenant_code=tenant,
        actor=actor or f"{'-'.join(roles)}-{next(_users)}",
        roles=roles_,
        permissions=platform.catalog.permissions_of(roles_),
        terminal=kw.pop("terminal", "T-01"),
        place=kw.pop("place", "市民課窓口"),
        client_addr=kw.pop("client_addr", "192.0.2.10"),
        **kw,
    )


def days_ago(n: int) -> str:
    return (today_jst() - timedelta(days=n)).isoformat()


def person(shimei: str = "山田　太郎", kana: str = "ヤマダ　タロウ", birth: str = "1980-04-01", sex: str = "1",
           zokugara: str | None = "世帯主", **extra) -> dict:
    data = {"shimei": shimei, "shimei_kana": kana, "birth_date": birth, "sex": sex, "zokugara": zokugara,
            "resident_kind": "日本人"}
    data.setdefault("juminhyo_code", generate_juminhyo_code(_rng))
    data.update(extra)
    return data


def notification(**data):
    """The notification model of *data*; refused items raise the API's error (``MuniError``)."""
    from pydantic import ValidationError as PydanticError

    from municloud.web.errors import request_error

    # The API has no defaults for these; a test that says nothing means 転出予定 and 日本人.
    if data.get("kind") == "tenshutsu":
        data.setdefault("stage", "yotei")
    for item in [data.get("person"), *(data.get("persons") or [])]:
        if isinstance(item, dict):
            item.setdefault("resident_kind", "日本人")
    try:
        return NOTIFICATION.validate_python(data)
    except PydanticError as exc:
        raise request_error(list(exc.errors()), data) from None


def register(platform, ctx: Context, **data):
    return register_notification(platform.uow(ctx.tenant_code), ctx, notification(**data))


def move_in(platform, ctx: Context, persons: list[dict] | None = None, *, address: str = "山形県長井市本町一丁目1番1号",
            days: int = 30, **extra):
    """Register a 転入 of *persons* (default: one head) into a new household."""
    return register(
        platform, ctx, kind="tennyu", ido_date=days_ago(days), todoke_date=days_ago(days - 1 if days else 0),
        previous_address="東京都千代田区千代田1番1号", address={"address": address, "postal_code": "993-0011"},
        persons=persons or [person()], **extra,
    )


def family(platform, ctx: Context, days: int = 60):
    """A household of three: head, wife, child. Returns the NotificationResult."""
    return move_in(
        platform, ctx,
        [
            person("山田　太郎", "ヤマダ　タロウ", "1980-04-01", "1", "世帯主", my_number=generate_my_number(_rng)),
            person("山田　花子", "ヤマダ　ハナコ", "1982-05-05", "2", "妻"),
            person("山田　一郎", "ヤマダ　イチロウ", "2010-06-06", "1", "子"),
        ],
        days=days,
    )


__all__ = ["date", "family", "move_in", "person", "register"]


# --- registry: reading back and counting (appended for the registry tests) -----------------

def registry_footprint(platform, tenant: str) -> dict:
    """Row counts of every ``registry_*`` table, the tenant's counters, and its successful
    registry audit entries: equal before and after a refused use case means nothing was written."""
    from sqlalchemy import func, select

    from municloud.kernel.audit.orm import AuditEntry
    from municloud.kernel.db import Base
    from municloud.kernel.sequences import TenantSequence

    tables = [t for name, t in sorted(Base.metadata.tables.items()) if name.startswith("registry_")]
    with platform.session_factory() as s:
        counts = {
            t.name: s.scalar(select(func.count()).select_from(t).where(t.c.tenant_code == tenant)) for t in tables
        }
        counts["sequences"] = dict(
            s.execute(select(TenantSequence.name, TenantSequence.value).where(TenantSequence.tenant_code == tenant)).all()
        )
        counts["audit_success"] = s.scalar(
            select(func.count()).select_from(AuditEntry).where(
                AuditEntry.tenant_code == tenant, AuditEntry.action.like("registry:%"),
                AuditEntry.outcome == "success",
            ).execution_options(all_tenants=True)
        )
        return counts


def audit_entries(platform, tenant: str, action: str | None = None) -> list:
    """The tenant's audit entries (oldest first), optionally of one action."""
    from sqlalchemy import select

    from municloud.kernel.audit.orm import AuditEntry

    stmt = select(AuditEntry).where(AuditEntry.tenant_code == tenant).order_by(AuditEntry.seq)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    with platform.session_factory() as s:
        return list(s.scalars(stmt.execution_options(all_tenants=True)))


def door_refusals(platform, tenant: str, permission: str) -> list:
    """Requests refused at the door (``web.access``) for lacking *permission*: their audit
    entries (``kernel:access:denied``), oldest first."""
    import json

    return [e for e in audit_entries(platform, tenant, "kernel:access:denied")
            if json.loads(e.detail).get("missing_permission") == permission]


def resident(platform, ctx: Context, atena_no: str):
    from municloud.modules.registry.services.queries import get_resident

    return get_resident(platform.uow(ctx.tenant_code), ctx, atena_no)


def history_of(platform, ctx: Context, atena_no: str):
    from municloud.modules.registry.services.queries import get_history

    return get_history(platform.uow(ctx.tenant_code), ctx, atena_no)


def household_of(platform, ctx: Context, setai_no: str):
    from municloud.modules.registry.services.queries import get_household

    return get_household(platform.uow(ctx.tenant_code), ctx, setai_no)


def search(platform, ctx: Context, **query):
    """The rows of the first page of a search (``search_residents(...).rows``)."""
    from municloud.modules.registry.services.queries import SearchQuery, search_residents

    return search_residents(platform.uow(ctx.tenant_code), ctx, SearchQuery(**query)).rows


# --- the business day (業務日付) moved for tests of what happens on a later day ----------

_REAL_TODAY = today_jst


def travel(monkeypatch, day: date) -> None:
    """Make *day* "today" (``today_jst``) for every loaded municloud module and test helper
    (they import the function by name), and for modules imported later; undone by
    *monkeypatch* at the end of the test."""
    import sys

    from municloud.kernel import clock

    def today() -> date:
        return day

    today._travel = True  # type: ignore[attr-defined]
    for name, module in list(sys.modules.items()):
        if not (name.startswith("municloud") or name.startswith("tests")):
            continue
        current = getattr(module, "today_jst", None)
        if current is _REAL_TODAY or getattr(current, "_travel", False):
            monkeypatch.setattr(module, "today_jst", today)
    monkeypatch.setattr(clock, "today_jst", today)


def support_measure(**items):
    """A 支援措置 as a clerk usually enters it (本, DV, from today, for the usual year); the
    API assumes none of these, so tests say them (here) or override them."""
    from municloud.modules.registry.schemas import SupportMeasureIn
    from municloud.modules.registry.services.support import period_end

    start = items.pop("start_on", None) or today_jst().isoformat()
    data = {"stage": "本", "category": "DV", "applied_on": start, "start_on": start,
            "end_on": period_end(date.fromisoformat(start), 12).isoformat(),
            **support_opinion(min(start, today_jst().isoformat())), **items}
    return SupportMeasureIn(**data)


def support_opinion(on: str | None = None) -> dict:
    """The 相談機関's opinion a 本 支援措置 (and a 本決定) needs (synthetic)."""
    return {"consult_agency": "長井警察署 生活安全課", "opinion_on": on or today_jst().isoformat(),
            "opinion": "配偶者からの暴力があり、支援の必要性があると認める"}
