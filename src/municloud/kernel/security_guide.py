"""情報セキュリティの心得 (the staff security guide): its version, and who has read it.

The guide itself is the screen ``/t/{tenant}/security-guide`` (template
``web/templates/guide/security_guide.html``).  Each member confirms once per version that
they have read and understood it (「内容を理解しました」): the confirmation is an entry of the
tenant's audit log, ``kernel:security_guide:acknowledge`` with the version as its subject —
tamper-evident like every other entry, and the training record (研修の記録) the tenant admin
follows up on the users screen.  There is no other table: the audit log is the record.

When the guide's content changes, raise :data:`GUIDE_VERSION` (and :data:`GUIDE_ISSUED`):
every member must confirm again (the home page tells them until they do).
``tests/unit/web/test_security_guide_version.py`` fails when the text changes without a
new version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from municloud.errors import ValidationError
from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.catalog import A_ENROLLMENT_VIEW, A_GUIDE_ACKNOWLEDGE, P_USER_MANAGE
from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork

GUIDE_VERSION = "1.0"  # 版: raise it whenever the content changes
GUIDE_ISSUED = date(2026, 12, 2)  # 制定・改定の日
SUBJECT = "security_guide"


@dataclass(frozen=True)
class Acknowledgment:
    """One member's latest confirmation (確認): the version read and when."""

    username: str
    version: str
    at: datetime

    @property
    def current(self) -> bool:
        return self.version == GUIDE_VERSION


def acknowledge(uow: UnitOfWork, ctx: Context, version: str) -> Acknowledgment:
    """Record that the signed-in member has read and understood *version* of the guide.

    Any member of the tenant may (and must); a version other than the current one (the
    guide was revised while the page was open) is refused: the person reads the new one."""
    if version != GUIDE_VERSION:
        raise ValidationError(
            "GUIDE_VERSION_OUTDATED",
            f"心得が改定されました（第{GUIDE_VERSION}版）。改定後の内容を読んでから確認してください",
        )
    with uow:
        uow.audit.record(ctx, A_GUIDE_ACKNOWLEDGE, subjects=[f"{SUBJECT}:{version}"], detail={"version": version})
        uow.commit()
    return Acknowledgment(ctx.actor, version, utcnow())


def _latest(uow: UnitOfWork, tenant_code: str, *where) -> dict[str, Acknowledgment]:
    """The latest confirmation of each member (by user name) in *tenant_code*."""
    last = (
        select(AuditEntry.actor, func.max(AuditEntry.seq).label("seq"))
        .where(AuditEntry.tenant_code == tenant_code, AuditEntry.action == A_GUIDE_ACKNOWLEDGE,
               AuditEntry.outcome == "success", *where)
        .group_by(AuditEntry.actor)
        .subquery()
    )
    rows = uow.session.execute(
        select(AuditEntry.actor, AuditEntry.detail, AuditEntry.occurred_at)
        .join(last, (AuditEntry.actor == last.c.actor) & (AuditEntry.seq == last.c.seq))
        .where(AuditEntry.tenant_code == tenant_code)
    ).all()
    return {actor: Acknowledgment(actor, str(json.loads(detail).get("version", "")), at) for actor, detail, at in rows}


def acknowledgment_of(uow: UnitOfWork, ctx: Context) -> Acknowledgment | None:
    """The signed-in member's own latest confirmation in this tenant (None: never)."""
    assert ctx.tenant_code is not None
    with uow:
        return _latest(uow, ctx.tenant_code, AuditEntry.actor_id == ctx.actor_id).get(ctx.actor)


def acknowledgments(uow: UnitOfWork, ctx: Context) -> dict[str, Acknowledgment]:
    """Every member's latest confirmation, by user name (tenant admin: the training record).

    Shown beside the users list, whose view is already audited (``kernel:user:enrollment``)."""
    assert ctx.tenant_code is not None
    with uow:
        uow.require(ctx, P_USER_MANAGE, A_ENROLLMENT_VIEW)
        return _latest(uow, ctx.tenant_code)
