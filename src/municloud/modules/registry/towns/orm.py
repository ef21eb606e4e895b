"""The 住所マスター table: one row per 町字 and period (a rename is a second row)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base, TenantOwned, tenant_code_column


class Town(TenantOwned, Base):
    """町字 (大字・町・丁目・小字) in force from ``valid_from`` up to the day before ``valid_to``."""

    __tablename__ = "registry_towns"
    __table_args__ = (
        Index("ix_registry_towns_key", "tenant_code", "name_key"),
    )

    tenant_code: Mapped[str] = tenant_code_column()
    machiaza_id: Mapped[str] = mapped_column(String(7), primary_key=True)  # 町字ID
    valid_from: Mapped[date] = mapped_column(Date, primary_key=True)  # 効力発生日
    valid_to: Mapped[date | None] = mapped_column(Date)  # 廃止日 (not in force on this day)
    machiaza_type: Mapped[str | None] = mapped_column(String(1))  # 町字区分コード
    ward: Mapped[str] = mapped_column(String(24))  # 政令市区名 ("" elsewhere)
    name: Mapped[str] = mapped_column(String(120))  # as addresses write it: 区 + 大字・町 + 丁目 + 小字
    kana: Mapped[str] = mapped_column(String(240))  # フリガナ (katakana)
    name_key: Mapped[str] = mapped_column(String(120))  # matching.town_key(name)
    kana_key: Mapped[str] = mapped_column(String(240))  # jp.kana.kana_search_key(kana)
    postal_code: Mapped[str | None] = mapped_column(String(7))  # 郵便番号
    attributes: Mapped[dict] = mapped_column(JSON)  # the tenant's attributes: {"校区": "長井小学校区", …}
    source_line: Mapped[int | None] = mapped_column(Integer)  # line of the file it was loaded from
