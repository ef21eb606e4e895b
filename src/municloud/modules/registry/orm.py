"""Tables of the resident registry (住民記録).

* ``registry_resident_history`` is the record: one full snapshot per change, keyed by
  宛名番号 + 履歴番号 as the national data requirement prescribes.
* ``registry_residents`` is the current-state index (one row per person, pointing at the
  highest 履歴番号) with derived search keys; it can be rebuilt from the history.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base, TenantOwned, tenant_code_column


class Household(TenantOwned, Base):
    """世帯 (household). Membership and 続柄 live in each resident's snapshot."""

    __tablename__ = "registry_households"

    tenant_code: Mapped[str] = tenant_code_column()
    setai_no: Mapped[str] = mapped_column(String(12), primary_key=True)  # 世帯番号
    created_on: Mapped[date] = mapped_column(Date)
    dissolved_on: Mapped[date | None] = mapped_column(Date)


class ResidentRecord(TenantOwned, Base):
    """住民票の履歴 (one full snapshot of a resident's items; never updated)."""

    __tablename__ = "registry_resident_history"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_code", "setai_no"], ["registry_households.tenant_code", "registry_households.setai_no"]
        ),
        ForeignKeyConstraint(
            ["tenant_code", "notification_id"],
            ["registry_notifications.tenant_code", "registry_notifications.notification_id"],
        ),
        Index("ix_registry_history_my_number", "tenant_code", "my_number"),
    )

    tenant_code: Mapped[str] = tenant_code_column()
    atena_no: Mapped[str] = mapped_column(String(12), primary_key=True)  # 宛名番号
    rireki_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 履歴番号
    status: Mapped[str] = mapped_column(String(10))  # resident (住民) / removed (除票)
    resident_kind: Mapped[str] = mapped_column(String(10))  # 日本人 / 外国人 (住民種別)
    setai_no: Mapped[str] = mapped_column(String(12))  # 世帯番号
    zokugara: Mapped[str] = mapped_column(String(20))  # 続柄 (世帯主 for the head)
    shimei: Mapped[str] = mapped_column(String(100))  # 氏名, exactly as entered (IVS kept)
    shimei_kana: Mapped[str] = mapped_column(String(200))  # フリガナ
    name_ivs_collection: Mapped[str | None] = mapped_column(String(20))  # Moji_Joho / Adobe-Japan1
    kyu_uji: Mapped[str | None] = mapped_column(String(50))  # 旧氏
    kyu_uji_kana: Mapped[str | None] = mapped_column(String(100))
    tsusho: Mapped[str | None] = mapped_column(String(100))  # 通称 (foreign residents)
    tsusho_kana: Mapped[str | None] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(Date)  # 生年月日
    sex: Mapped[str] = mapped_column(String(1))  # 性別 1 男 2 女
    honseki: Mapped[str | None] = mapped_column(String(200))  # 本籍
    hittosha: Mapped[str | None] = mapped_column(String(100))  # 筆頭者
    nationality: Mapped[str | None] = mapped_column(String(60))  # 国籍・地域
    zairyu_shikaku: Mapped[str | None] = mapped_column(String(60))  # 在留資格
    zairyu_kikan: Mapped[str | None] = mapped_column(String(30))  # 在留期間
    zairyu_kikan_end: Mapped[date | None] = mapped_column(Date)  # 在留期間の満了の日
    zairyu_card_no: Mapped[str | None] = mapped_column(String(12))  # 在留カード番号
    juminhyo_code: Mapped[str] = mapped_column(String(11))  # 住民票コード
    my_number: Mapped[str | None] = mapped_column(String(12))  # 個人番号 (masked in views)
    address: Mapped[str] = mapped_column(String(200))  # 住所
    katagaki: Mapped[str | None] = mapped_column(String(200))  # 方書
    postal_code: Mapped[str | None] = mapped_column(String(7))  # 郵便番号
    address_attributes: Mapped[dict] = mapped_column(JSON, default=dict)  # 校区, 自治区 …
    became_resident_on: Mapped[date] = mapped_column(Date)  # 住民となった年月日
    address_fixed_on: Mapped[date] = mapped_column(Date)  # 住所を定めた年月日
    previous_address: Mapped[str | None] = mapped_column(String(200))  # 転入前住所
    removal_reason: Mapped[str | None] = mapped_column(String(20))  # 消除事由
    removed_on: Mapped[date | None] = mapped_column(Date)  # 消除日
    moved_out_to: Mapped[str | None] = mapped_column(String(200))  # 転出先住所
    move_out_stage: Mapped[str | None] = mapped_column(String(4))  # 予定 / 確定
    move_in_notified_on: Mapped[date | None] = mapped_column(Date)  # 転入通知年月日
    move_out_planned_on: Mapped[date | None] = mapped_column(Date)  # 転出予定年月日
    ido_jiyu: Mapped[str] = mapped_column(String(20))  # 異動事由
    ido_date: Mapped[date] = mapped_column(Date)  # 異動日
    todoke_date: Mapped[date | None] = mapped_column(Date)  # 届出日 (none for 職権)
    processed_at: Mapped[datetime] = mapped_column(DateTime)  # 処理日時
    input_place: Mapped[str | None] = mapped_column(String(64))  # 入力場所
    input_terminal: Mapped[str | None] = mapped_column(String(64))  # 入力端末
    processed_by: Mapped[str] = mapped_column(String(64))
    notification_id: Mapped[int] = mapped_column(Integer)


#: Search-key columns compare byte-wise ("C" collation on PostgreSQL; SQLite's default
#: BINARY) so that prefix ranges ``key <= col < key + U+10FFFF`` are exact and indexed.
SearchKey = String(200).with_variant(String(200, collation="C"), "postgresql")


class ResidentIndex(TenantOwned, Base):
    """Current state of each person: pointer to the highest 履歴番号 plus search keys."""

    __tablename__ = "registry_residents"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_code", "atena_no", "rireki_no"],
            [
                "registry_resident_history.tenant_code",
                "registry_resident_history.atena_no",
                "registry_resident_history.rireki_no",
            ],
        ),
        ForeignKeyConstraint(
            ["tenant_code", "setai_no"], ["registry_households.tenant_code", "registry_households.setai_no"]
        ),
        Index("ix_registry_residents_name", "tenant_code", "name_key"),
        Index("ix_registry_residents_alt_name", "tenant_code", "alt_name_key"),
        Index("ix_registry_residents_kana", "tenant_code", "kana_key"),
        Index("ix_registry_residents_alt_kana", "tenant_code", "alt_kana_key"),
        Index("ix_registry_residents_birth", "tenant_code", "birth_date"),
        Index("ix_registry_residents_code", "tenant_code", "juminhyo_code"),
        Index("ix_registry_residents_setai", "tenant_code", "setai_no"),
    )

    tenant_code: Mapped[str] = tenant_code_column()
    atena_no: Mapped[str] = mapped_column(String(12), primary_key=True)
    rireki_no: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    setai_no: Mapped[str] = mapped_column(String(12))
    is_head: Mapped[bool] = mapped_column(Boolean)
    name_key: Mapped[str] = mapped_column(SearchKey)  # MJ 縮退 key of 氏名
    alt_name_key: Mapped[str | None] = mapped_column(SearchKey)  # 通称, or 旧氏 + 名
    kana_key: Mapped[str] = mapped_column(SearchKey)  # folded フリガナ
    alt_kana_key: Mapped[str | None] = mapped_column(SearchKey)  # 通称 or 旧氏 + 名 の フリガナ
    birth_date: Mapped[date] = mapped_column(Date)
    address_key: Mapped[str] = mapped_column(SearchKey)
    juminhyo_code: Mapped[str] = mapped_column(String(11))

    __mapper_args__ = {"version_id_col": version}


class Notification(TenantOwned, Base):
    """One registered 異動 (notification) and what it touched."""

    __tablename__ = "registry_notifications"

    tenant_code: Mapped[str] = tenant_code_column()
    notification_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))
    ido_jiyu: Mapped[str] = mapped_column(String(20))
    ido_date: Mapped[date] = mapped_column(Date)
    todoke_date: Mapped[date | None] = mapped_column(Date)
    processed_at: Mapped[datetime] = mapped_column(DateTime)
    processed_by: Mapped[str] = mapped_column(String(64))
    atena_nos: Mapped[list] = mapped_column(JSON)
    setai_nos: Mapped[list] = mapped_column(JSON)
    cancelled_by: Mapped[int | None] = mapped_column(Integer)
    cancels: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    request_key: Mapped[str | None] = mapped_column(String(64))  # idempotency key (重複登録の防止)
    # 届出期間経過: made after the 届出期間 (住基法第22条〜第25条); registered, flagged for review
    late_notice: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # a 転出予定 filed ahead: its 予定日 while the move is still to be carried out (NULL after)
    due_on: Mapped[date | None] = mapped_column(Date)
    # what the 予定日 will do to the household: {"abroad", "new_head", "zokugara"} (転出予定 only)
    plan: Mapped[dict | None] = mapped_column(JSON)
    # the 転出予定 (異動番号) this entry carried out (the daily job's 転出, or a 転出確定)
    carries_out: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("tenant_code", "request_key"),
        Index("ix_registry_notifications_due", "tenant_code", "due_on"),
        Index("ix_registry_notifications_late", "tenant_code", "late_notice", "todoke_date"),
    )


class SupportMeasure(TenantOwned, Base):
    """支援措置 (DV・ストーカー等の被害者保護): blocks third-party disclosure while active."""

    __tablename__ = "registry_support_measures"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_code", "atena_no"], ["registry_residents.tenant_code", "registry_residents.atena_no"]
        ),
        Index("ix_registry_support_measures_person", "tenant_code", "atena_no"),
    )

    tenant_code: Mapped[str] = tenant_code_column()
    measure_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    atena_no: Mapped[str] = mapped_column(String(12))
    stage: Mapped[str] = mapped_column(String(2))  # 仮 / 本
    category: Mapped[str] = mapped_column(String(20))  # DV / ストーカー / 児童虐待 / その他
    applied_on: Mapped[date] = mapped_column(Date)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)  # first day no longer protected
    end_reason: Mapped[str | None] = mapped_column(String(10))  # 終了 / 期間満了 (protection.py)
    end_note: Mapped[str | None] = mapped_column(Text)  # 終了の理由 (ended on request)
    consult_agency: Mapped[str | None] = mapped_column(String(100))  # 相談機関の名称
    opinion_on: Mapped[date | None] = mapped_column(Date)  # 相談機関の意見の日付
    opinion: Mapped[str | None] = mapped_column(Text)  # 相談機関の意見（支援の必要性）
    note: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class SupportHold(TenantOwned, Base):
    """A request touching a person under 支援措置, held for a supervisor's review (保留).

    ``request`` keeps the request as the clerk entered it (the certificate request, or the
    third party's request) so that a release authorises exactly that request, once:
    ``status`` held → released / refused, released → used (``issue_no`` the 発行番号 when a
    certificate was issued).  The requester's name and purpose live here and in the
    交付履歴, never in the audit log.
    """

    __tablename__ = "registry_support_holds"

    tenant_code: Mapped[str] = tenant_code_column()
    hold_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 保留番号
    kind: Mapped[str] = mapped_column(String(20))  # certificate / third_party
    requester_type: Mapped[str] = mapped_column(String(20))
    atena_nos: Mapped[list] = mapped_column(JSON)  # everyone the request touches
    request: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))  # held / released / refused / used
    held_by: Mapped[str] = mapped_column(String(64))
    held_at: Mapped[datetime] = mapped_column(DateTime)
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)  # the supervisor's reason (解除・拒否の理由)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    issue_no: Mapped[str | None] = mapped_column(String(24))  # 発行番号 of the certificate issued
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}
