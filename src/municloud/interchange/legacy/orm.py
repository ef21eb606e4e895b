"""The legacy ledger (移行台帳): which legacy 宛名番号 / 世帯番号 became which of ours.

One row per person loaded from a legacy system, keyed by the tenant, the legacy system's
name (``system`` in the mapping file: a merged municipality may migrate from two) and the
legacy 宛名番号.  A re-run of the migration recognises what it loaded before by this key,
also for vendors whose files carry no 住民票コード.  Rows are written in the same
transaction as the households they describe, so the ledger never names a person who was
not loaded.
"""

from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base, TenantOwned, tenant_code_column


class LegacyLedgerEntry(TenantOwned, Base):
    __tablename__ = "legacy_ledger"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_code", "setai_no"], ["registry_households.tenant_code", "registry_households.setai_no"]
        ),
        ForeignKeyConstraint(
            ["tenant_code", "notification_id"],
            ["registry_notifications.tenant_code", "registry_notifications.notification_id"],
        ),
        Index("ix_legacy_ledger_legacy_setai", "tenant_code", "system", "legacy_setai_no"),
    )

    tenant_code: Mapped[str] = tenant_code_column()
    system: Mapped[str] = mapped_column(String(40), primary_key=True)  # 旧システムの名前
    legacy_atena_no: Mapped[str] = mapped_column(String(40), primary_key=True)  # 旧宛名番号
    legacy_setai_no: Mapped[str] = mapped_column(String(40))  # 旧世帯番号
    atena_no: Mapped[str] = mapped_column(String(12))  # 宛名番号 given by the load
    setai_no: Mapped[str] = mapped_column(String(12))  # 世帯番号 given by the load
    notification_id: Mapped[int] = mapped_column(Integer)  # the bulk load (届出番号)
