"""交付履歴 (issuance record): every certificate the registry issued, who asked and for whom.

* ``registry_certificate_issuances`` — one row per 発行番号 (points at the kernel's
  ``issued_documents`` row): kind, form, residents, requester type and name, purpose,
  options, copies, the fee in force for one copy (``unit_fee``) and the fee charged (integer
  yen; 0 with the 免除 reason in ``fee_exemption``), the kind of 本人確認書類 the clerk checked
  (a code of ``registry.certificate.identity_documents`` — never the document's number: there
  is no column for it), the 領収書's own 発行番号 once one was issued, who issued it and when.
  The requester's name is kept here, never in the audit log or the application log.
* ``registry_certificate_subjects`` — one row per resident on a certificate, so that a
  resident's 交付履歴 is an indexed lookup (``atena_nos`` keeps the printed order).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKeyConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base, TenantOwned, tenant_code_column


class CertificateIssuance(TenantOwned, Base):
    __tablename__ = "registry_certificate_issuances"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_code", "issue_no"], ["issued_documents.tenant_code", "issued_documents.issue_no"]
        ),
        ForeignKeyConstraint(
            ["tenant_code", "receipt_no"], ["issued_documents.tenant_code", "issued_documents.issue_no"]
        ),
        Index("ix_registry_certificate_issuances_day", "tenant_code", "issued_at"),  # 交付履歴（日別）・日計表
    )

    tenant_code: Mapped[str] = tenant_code_column()
    issue_no: Mapped[str] = mapped_column(String(24), primary_key=True)  # 発行番号
    kind: Mapped[str] = mapped_column(String(20))  # juminhyo / joshu / kisai_jiko
    form: Mapped[str] = mapped_column(String(10))  # setai (世帯連記式) / kojin (個人票)
    setai_no: Mapped[str | None] = mapped_column(String(12))  # 世帯番号 (世帯連記式)
    atena_nos: Mapped[list] = mapped_column(JSON)  # 宛名番号, in printed order
    requester_type: Mapped[str] = mapped_column(String(20))  # self / household_member / agent / …
    requester_name: Mapped[str] = mapped_column(String(100))  # 請求者の氏名・名称
    purpose: Mapped[str | None] = mapped_column(Text)  # 請求の目的
    options: Mapped[dict] = mapped_column(JSON)  # with_history, include_* , items
    copies: Mapped[int] = mapped_column(Integer)  # 通数
    unit_fee: Mapped[int] = mapped_column(Integer)  # 1通の手数料（円、交付日に定めのある額）
    fee: Mapped[int] = mapped_column(Integer)  # 手数料（円）＝1通の手数料×通数（免除のときは0）
    fee_exemption: Mapped[str | None] = mapped_column(String(20))  # 免除の理由（コード）
    identity_document: Mapped[str | None] = mapped_column(String(30))  # 本人確認書類（種類のコードだけ）
    receipt_no: Mapped[str | None] = mapped_column(String(24))  # 領収書の発行番号
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(DateTime)  # UTC


class CertificateSubject(TenantOwned, Base):
    __tablename__ = "registry_certificate_subjects"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_code", "issue_no"],
            ["registry_certificate_issuances.tenant_code", "registry_certificate_issuances.issue_no"],
        ),
        ForeignKeyConstraint(
            ["tenant_code", "atena_no"], ["registry_residents.tenant_code", "registry_residents.atena_no"]
        ),
        Index("ix_registry_certificate_subjects_person", "tenant_code", "atena_no"),
    )

    tenant_code: Mapped[str] = tenant_code_column()
    issue_no: Mapped[str] = mapped_column(String(24), primary_key=True)
    atena_no: Mapped[str] = mapped_column(String(12), primary_key=True)
