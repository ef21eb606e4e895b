"""Reading the audit log (auditors only) and verifying it as a use case."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.audit.services import ChainReport, verify_chains
from municloud.kernel.catalog import A_AUDIT_READ, A_AUDIT_VERIFY, P_AUDIT_READ, P_AUDIT_VERIFY
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    occurred_at: datetime
    actor: str
    action: str
    outcome: str
    subjects: list[str]
    request_id: str | None
    client_addr: str | None
    terminal: str | None
    my_number_shown: bool
    detail: dict
    hash: str


def search_audit(
    uow: UnitOfWork,
    ctx: Context,
    *,
    actor: str | None = None,
    subject: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditRecord]:
    """Filter this tenant's audit log (監査ログ検索). Newest first. The look is audited."""
    with uow:
        filters = {
            k: v
            for k, v in dict(actor=actor, subject=subject, action=action).items()
            if v
        }
        uow.require(ctx, P_AUDIT_READ, A_AUDIT_READ)
        stmt = select(AuditEntry).where(AuditEntry.tenant_code == uow.tenant_code)
        if actor:
            stmt = stmt.where(AuditEntry.actor == actor)
        if action:
            stmt = stmt.where(AuditEntry.action.startswith(action))
        if subject:
            stmt = stmt.where(AuditEntry.subjects.contains(json.dumps(subject, ensure_ascii=False)))
        if since:
            stmt = stmt.where(AuditEntry.occurred_at >= since)
        if until:
            stmt = stmt.where(AuditEntry.occurred_at < until)
        stmt = stmt.order_by(AuditEntry.seq.desc()).limit(min(limit, 1000)).offset(offset)
        rows = [
            AuditRecord(
                r.seq,
                r.occurred_at,
                r.actor,
                r.action,
                r.outcome,
                json.loads(r.subjects),
                r.request_id,
                r.client_addr,
                r.terminal,
                r.my_number_shown,
                json.loads(r.detail),
                r.hash,
            )
            for r in uow.session.scalars(stmt)
        ]
        uow.audit.record(ctx, A_AUDIT_READ, detail={"filters": filters, "rows": len(rows)})
        uow.commit()
        return rows


def verify_audit(uow: UnitOfWork, ctx: Context) -> ChainReport:
    """Verify this tenant's chain as an auditor (the check itself is audited after it)."""
    with uow:
        uow.require(ctx, P_AUDIT_VERIFY, A_AUDIT_VERIFY)
        report = verify_chains(uow.session, uow.tenant_code)[0]
        uow.audit.record(
            ctx,
            A_AUDIT_VERIFY,
            detail={"ok": report.ok, "entries": report.entries},
        )
        uow.commit()
        return report
