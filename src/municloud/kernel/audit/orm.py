"""Audit tables: entries and the per-tenant chain head."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base, TenantOwned, tenant_code_column


class AuditEntry(TenantOwned, Base):
    """One audited action (監査ログの1件). Never updated or deleted by the application."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_time", "tenant_code", "occurred_at"),
        Index("ix_audit_entries_actor", "tenant_code", "actor"),
        Index("ix_audit_entries_action", "tenant_code", "action"),
    )

    tenant_code: Mapped[str] = tenant_code_column()
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(80))
    outcome: Mapped[str] = mapped_column(String(16))  # success / denied / failure
    subjects: Mapped[str] = mapped_column(Text)  # JSON list, e.g. ["resident:000000012"]
    request_id: Mapped[str | None] = mapped_column(String(64))
    client_addr: Mapped[str | None] = mapped_column(String(64))
    terminal: Mapped[str | None] = mapped_column(String(64))
    my_number_shown: Mapped[bool] = mapped_column(Boolean, default=False)
    detail: Mapped[str] = mapped_column(Text)  # JSON object; never personal data
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(TenantOwned, Base):
    """Last sequence number and hash of a tenant's chain (detects a cut-off tail)."""

    __tablename__ = "audit_chain_heads"

    tenant_code: Mapped[str] = tenant_code_column()
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
