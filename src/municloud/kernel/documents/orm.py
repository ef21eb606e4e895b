"""The register of issued documents (発行台帳) and the count of public verifications — no
personal data in either."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String
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
    # SHA-256 of the 確認コード printed on the paper (kernel.documents.codes); NULL for a
    # document issued before codes existed (then only its very file verifies it)
    code_hash: Mapped[str | None] = mapped_column(String(64))


UNREGISTERED = ""
"""``issue_no`` of the row counting look-ups of numbers that are not in the register."""


class DocumentVerification(TenantOwned, Base):
    """How often a document was checked at ``/verify`` on one day (JST), by outcome.

    Anonymous look-ups are counted here instead of each appending to the tenant's audit
    chain; no client address or other personal data is kept.  ``issue_no`` is
    :data:`UNREGISTERED` for numbers the register does not hold.
    """

    __tablename__ = "document_verifications"

    tenant_code: Mapped[str] = tenant_code_column()
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    issue_no: Mapped[str] = mapped_column(String(24), primary_key=True)
    confirmed: Mapped[int] = mapped_column(Integer, default=0)  # right code, no file presented
    matched: Mapped[int] = mapped_column(Integer, default=0)  # right code, the very file
    mismatched: Mapped[int] = mapped_column(Integer, default=0)  # right code, a different file
    refused: Mapped[int] = mapped_column(Integer, default=0)  # wrong or missing code / unknown number
    first_at: Mapped[datetime] = mapped_column(DateTime)
    last_at: Mapped[datetime] = mapped_column(DateTime)
