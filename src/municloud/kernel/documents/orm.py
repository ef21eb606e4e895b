"""The register of issued documents (発行台帳): number, kind, time and SHA-256 — no personal data."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base, TenantOwned, tenant_code_column


class IssuedDocument(TenantOwned, Base):
    __tablename__ = "issued_documents"

    tenant_code: Mapped[str] = tenant_code_column()
    issue_no: Mapped[str] = mapped_column(String(24), primary_key=True)  # 発行番号 062090-2026-000001
    kind: Mapped[str] = mapped_column(String(60))  # e.g. registry:juminhyo
    title: Mapped[str] = mapped_column(String(60))  # 住民票の写し …
    issued_at: Mapped[datetime] = mapped_column(DateTime)
    issued_by: Mapped[str] = mapped_column(String(64))
    pages: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
