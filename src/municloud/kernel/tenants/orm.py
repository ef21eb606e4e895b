"""Tenant table (platform-level: not tenant-owned)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base

PLATFORM_SCOPE = "000000"
"""Pseudo tenant code under which platform-level audit entries are chained."""


class Tenant(Base):
    """A municipality or joint organisation (団体)."""

    __tablename__ = "tenants"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)  # 全国地方公共団体コード
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20), default="市")  # 市/町/村/特別区/指定都市
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
