"""Appending to, reading and verifying the audit log.

Entries are collected by the unit of work's :class:`AuditTrail` while a use case runs and
written, chained, just before its single commit — so the entry and the action it records
commit or vanish together.  Entries recorded with ``always=True`` (refusals, failed logins)
survive a rollback: the unit of work writes them in a transaction of their own.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from municloud.errors import ConfigurationError
from municloud.kernel.audit.chain import (
    GENESIS,
    ChainProblem,
    check_chain,
    compute_hash,
    entry_fields,
)
from municloud.kernel.audit.orm import AuditChainHead, AuditEntry
from municloud.kernel.clock import utcnow

if TYPE_CHECKING:
    from municloud.kernel.context import Context
    from municloud.kernel.db import UnitOfWork

ALL = {"all_tenants": True}
OUTCOMES = ("success", "denied", "failure")


@dataclass
class PendingEntry:
    tenant_code: str
    occurred_at: datetime
    actor: str
    actor_id: int | None
    action: str
    outcome: str
    subjects: list[str]
    request_id: str | None
    client_addr: str | None
    terminal: str | None
    my_number_shown: bool
    detail: dict = field(default_factory=dict)


class AuditTrail:
    """Collects the audit entries of one unit of work."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._pending: list[PendingEntry] = []
        self._always: list[PendingEntry] = []

    def record(
        self,
        ctx: Context,
        action: str,
        *,
        subjects: Iterable[str] = (),
        outcome: str = "success",
        my_number_shown: bool = False,
        detail: dict | None = None,
        tenant_code: str | None = None,
        always: bool = False,
    ) -> None:
        """Queue one entry. *detail* must never carry personal data (names, addresses)."""
        from municloud.kernel.tenants.orm import PLATFORM_SCOPE

        self._uow.platform.catalog.require_audit_action(action)
        if outcome not in OUTCOMES:
            raise ConfigurationError("AUDIT_BAD_OUTCOME", f"監査の結果区分が不正です: {outcome}")
        entry = PendingEntry(
            tenant_code=tenant_code or ctx.tenant_code or self._uow.tenant_code or PLATFORM_SCOPE,
            occurred_at=utcnow(),
            actor=ctx.actor,
            actor_id=ctx.actor_id,
            action=action,
            outcome=outcome,
            subjects=list(subjects),
            request_id=ctx.request_id,
            client_addr=ctx.client_addr,
            terminal=ctx.terminal,
            my_number_shown=my_number_shown,
            detail=dict(detail or {}),
        )
        (self._always if always else self._pending).append(entry)

    @property
    def has_pending(self) -> bool:
        """Entries recorded (not ``always``) that only a commit would write."""
        return bool(self._pending)

    def discard_pending(self) -> None:
        """A dry run's rollback: the ordinary entries vanish (nothing was done); the
        ``always`` entries stay to be written on their own."""
        self._pending = []

    def take_always(self) -> list[PendingEntry]:
        """After a rollback: the ``always`` entries to write on their own; the rest vanish."""
        entries, self._always = self._always, []
        self._pending = []
        return entries

    def flush_into(self, session: Session) -> None:
        """Write every queued entry into *session* (just before its commit).

        The ``always`` entries stay queued until :meth:`committed`: if the commit fails
        they are still written after the rollback.
        """
        entries = self._pending + self._always
        if entries:
            write_entries(session, entries)

    def committed(self) -> None:
        self._pending, self._always = [], []


def write_entries(session: Session, entries: list[PendingEntry]) -> None:
    """Append *entries* to their tenants' chains (locks each chain head row)."""
    by_tenant: dict[str, list[PendingEntry]] = defaultdict(list)
    for e in entries:
        by_tenant[e.tenant_code].append(e)
    for tenant_code in sorted(by_tenant):  # fixed order: no lock-order deadlocks
        head = _locked_head(session, tenant_code)
        seq, prev = head.last_seq, head.last_hash
        for e in by_tenant[tenant_code]:
            seq += 1
            subjects = json.dumps(e.subjects, ensure_ascii=False)
            detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True)
            row = dict(
                tenant_code=tenant_code,
                seq=seq,
                occurred_at=e.occurred_at,
                actor=e.actor,
                actor_id=e.actor_id,
                action=e.action,
                outcome=e.outcome,
                subjects=subjects,
                request_id=e.request_id,
                client_addr=e.client_addr,
                terminal=e.terminal,
                my_number_shown=e.my_number_shown,
                detail=detail,
            )
            digest = compute_hash(prev, entry_fields(**row))
            session.add(AuditEntry(**row, prev_hash=prev, hash=digest))
            prev = digest
        head.last_seq, head.last_hash = seq, prev
    session.flush()


def _locked_head(session: Session, tenant_code: str) -> AuditChainHead:
    """The chain head of *tenant_code*, locked ``FOR UPDATE`` and read fresh.

    ``populate_existing``: a head loaded earlier in this session (e.g. by a verification)
    must not hide appends committed since.  A missing head is created with
    ``INSERT … ON CONFLICT DO NOTHING`` so two first appends do not collide.
    """
    stmt = (
        select(AuditChainHead)
        .where(AuditChainHead.tenant_code == tenant_code)
        .with_for_update()
        .execution_options(populate_existing=True, **ALL)
    )
    head = session.scalars(stmt).one_or_none()
    if head is None:
        dialect = session.get_bind().dialect.name
        insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[dialect]
        session.execute(
            insert(AuditChainHead)
            .values(tenant_code=tenant_code, last_seq=0, last_hash=GENESIS)
            .on_conflict_do_nothing(index_elements=["tenant_code"])
        )
        head = session.scalars(stmt).one()
    return head


def fields_of(row: AuditEntry) -> dict:
    return entry_fields(
        tenant_code=row.tenant_code,
        seq=row.seq,
        occurred_at=row.occurred_at,
        actor=row.actor,
        actor_id=row.actor_id,
        action=row.action,
        outcome=row.outcome,
        subjects=row.subjects,
        request_id=row.request_id,
        client_addr=row.client_addr,
        terminal=row.terminal,
        my_number_shown=row.my_number_shown,
        detail=row.detail,
    )


@dataclass(frozen=True)
class ChainReport:
    tenant_code: str
    entries: int
    problem: ChainProblem | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chains(session: Session, tenant_code: str | None = None) -> list[ChainReport]:
    """Check every tenant's chain (or one); read-only, streams the entries.

    Every registered tenant and the platform scope must have a chain (adding a tenant
    writes its first entry), so deleting a whole chain is reported too.
    """
    from municloud.kernel.tenants.orm import PLATFORM_SCOPE, Tenant

    heads = {
        h.tenant_code: (h.last_seq, h.last_hash)
        for h in session.scalars(select(AuditChainHead).execution_options(**ALL))
    }
    tenants = set(session.scalars(select(Tenant.code)))
    required = tenants | ({PLATFORM_SCOPE} if tenants else set())
    codes = [tenant_code] if tenant_code else sorted(
        set(heads)
        | required
        | set(session.scalars(select(AuditEntry.tenant_code).distinct().execution_options(**ALL)))
    )
    reports = []
    for code in codes:
        count = 0

        def rows(code: str = code) -> Any:
            nonlocal count
            stmt = (
                select(AuditEntry)
                .where(AuditEntry.tenant_code == code)
                .order_by(AuditEntry.seq)
                .execution_options(yield_per=2000, **ALL)
            )
            for row in session.scalars(stmt):
                count += 1
                yield fields_of(row), row.prev_hash, row.hash

        problem = next(iter(check_chain(rows(), heads.get(code), required=code in required)), None)
        reports.append(ChainReport(code, count, problem))
    return reports
