"""Tenant parameter overrides (団体別パラメータ), dated and justified."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base, TenantOwned, tenant_code_column


class ParameterOverride(TenantOwned, Base):
    __tablename__ = "parameter_overrides"

    tenant_code: Mapped[str] = tenant_code_column()
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON
    reason: Mapped[str] = mapped_column(Text)  # why this tenant departs from the default
    set_by: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime] = mapped_column(DateTime)
