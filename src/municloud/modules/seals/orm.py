"""Tables of seal registration (印鑑登録).

* ``seal_registrations`` — one row per registration, kept after it ends (亡失・廃止・職権抹消)
  with its card number, so a lost card is recognised when presented.  The impression image
  is stored in the row (bytes, MIME type from the bytes, SHA-256).  ``active_atena_no`` is
  the 宛名番号 while the registration is in force and NULL after: its unique constraint
  makes "one registration in force per person" a database rule (NULLs never collide).
* ``seal_certificate_issues`` — the 交付履歴 of 印鑑登録証明書: one row per issuance,
  pointing at the kernel's register of issued documents (発行番号, SHA-256).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base, TenantOwned, tenant_code_column


class SealRegistration(TenantOwned, Base):
    """印鑑登録: who, which impression, which 印鑑登録証, and how it ended."""

    __tablename__ = "seal_registrations"
    __table_args__ = (
        UniqueConstraint("tenant_code", "card_no"),
        UniqueConstraint("tenant_code", "active_atena_no"),
        Index("ix_seal_registrations_person", "tenant_code", "atena_no"),
    )

    tenant_code: Mapped[str] = tenant_code_column()
    registration_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 登録番号
    atena_no: Mapped[str] = mapped_column(String(12))  # 宛名番号 of the registrant
    active_atena_no: Mapped[str | None] = mapped_column(String(12))  # = atena_no while 登録, else NULL
    card_no: Mapped[str] = mapped_column(String(8))  # 印鑑登録証の番号
    status: Mapped[str] = mapped_column(String(8))  # 登録 / 亡失 / 廃止 / 職権抹消
    registered_on: Mapped[date] = mapped_column(Date)  # 登録日
    size_tenth_mm: Mapped[int] = mapped_column(Integer)  # 印影の一辺の長さ (0.1 mm)
    image: Mapped[bytes] = mapped_column(LargeBinary)  # 印影 (the uploaded file, unchanged)
    image_mime: Mapped[str] = mapped_column(String(20))  # image/png | image/jpeg (from the bytes)
    image_sha256: Mapped[str] = mapped_column(String(64))
    image_width: Mapped[int] = mapped_column(Integer)  # pixels
    image_height: Mapped[int] = mapped_column(Integer)
    registered_by: Mapped[str] = mapped_column(String(64))
    registered_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    # 申請の受付 (NULL on registrations made before these were recorded, migration 0011)
    requester: Mapped[str | None] = mapped_column(String(4))  # 本人 / 代理人
    identity_method: Mapped[str | None] = mapped_column(String(12))  # document / guarantor / inquiry
    guarantor_atena_no: Mapped[str | None] = mapped_column(String(12))  # 保証人の宛名番号
    inquiry_sent_on: Mapped[date | None] = mapped_column(Date)  # 照会書の送付日
    ended_on: Mapped[date | None] = mapped_column(Date)  # 亡失・廃止・抹消の日
    end_reason: Mapped[str | None] = mapped_column(String(40))  # 亡失の届出 / 廃止の申請 / 消除事由 …
    ended_by_notification: Mapped[int | None] = mapped_column(Integer)  # 異動番号 of a 職権抹消
    replaced_by: Mapped[int | None] = mapped_column(Integer)  # 登録番号 of the re-registration
    ended_by: Mapped[str | None] = mapped_column(String(64))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class SealCertificateIssue(TenantOwned, Base):
    """交付履歴: one issued 印鑑登録証明書 (who asked, for whom, how many, the fee)."""

    __tablename__ = "seal_certificate_issues"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_code", "registration_no"],
            ["seal_registrations.tenant_code", "seal_registrations.registration_no"],
        ),
        ForeignKeyConstraint(
            ["tenant_code", "issue_no"], ["issued_documents.tenant_code", "issued_documents.issue_no"]
        ),
        Index("ix_seal_certificate_issues_person", "tenant_code", "atena_no"),
    )

    tenant_code: Mapped[str] = tenant_code_column()
    issue_no: Mapped[str] = mapped_column(String(24), primary_key=True)  # 発行番号
    registration_no: Mapped[int] = mapped_column(Integer)
    atena_no: Mapped[str] = mapped_column(String(12))
    copies: Mapped[int] = mapped_column(Integer)  # 通数
    fee_per_copy: Mapped[int] = mapped_column(Integer)  # 円
    fee_total: Mapped[int] = mapped_column(Integer)  # 円
    requester: Mapped[str] = mapped_column(String(4))  # 本人 / 代理人
    purpose: Mapped[str | None] = mapped_column(String(100))  # 使用目的 (optional)
    issued_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    issued_by: Mapped[str] = mapped_column(String(64))
