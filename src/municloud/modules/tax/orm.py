"""Tables of the resident tax (個人住民税).

* ``tax_inputs`` — 課税資料: one row per person and 年度 (amounts of the income year before),
  replaced when corrected (the audit log keeps who changed it); ``tax_relatives`` — the
  spouse and dependants a taxpayer declared, as a 宛名番号 of the tenant or described
  (name, birth date, income) when they live elsewhere.
* ``tax_input_revisions`` — 課税資料の修正履歴, **append-only**: every entry, correction or
  import of a person's 課税資料 adds a revision with who, when, how (画面・API / 一括取込み),
  why, and the whole 課税資料 as it became (the screens show what changed between two).
* ``tax_runs`` — one row per assessment run (当初賦課 or 更正): who, when, why, and the
  parameter values it used with their references (the parameter half of every trace).
* ``tax_results`` — 賦課の結果, **append-only**: a re-assessment adds a new ``revision`` with
  its reason and never overwrites.  ``figures`` is the calculation trace: every intermediate
  figure by name (``docs/tax.md`` lists them with the parameters each one reads).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from municloud.kernel.db import Base, TenantOwned, tenant_code_column

Yen = BigInteger  # integer yen (incomes of some persons exceed 2^31)


class TaxInput(TenantOwned, Base):
    """課税資料 of one person for one 年度 (income of the calendar year before)."""

    __tablename__ = "tax_inputs"

    tenant_code: Mapped[str] = tenant_code_column()
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 年度
    atena_no: Mapped[str] = mapped_column(String(12), primary_key=True)  # 宛名番号
    salary_income: Mapped[int] = mapped_column(Yen, default=0)  # 給与収入
    employer_no: Mapped[str | None] = mapped_column(String(20))  # 特別徴収義務者の指定番号
    employer_name: Mapped[str | None] = mapped_column(String(100))  # 特別徴収義務者（給与の支払者）
    pension_income: Mapped[int] = mapped_column(Yen, default=0)  # 公的年金等収入
    other_income: Mapped[int] = mapped_column(Yen, default=0)  # その他の所得（経費控除後）
    social_insurance: Mapped[int] = mapped_column(Yen, default=0)  # 社会保険料
    life_general_new: Mapped[int] = mapped_column(Yen, default=0)  # 一般生命保険料（新契約）
    life_general_old: Mapped[int] = mapped_column(Yen, default=0)  # 一般生命保険料（旧契約）
    life_care_medical: Mapped[int] = mapped_column(Yen, default=0)  # 介護医療保険料
    life_pension_new: Mapped[int] = mapped_column(Yen, default=0)  # 個人年金保険料（新契約）
    life_pension_old: Mapped[int] = mapped_column(Yen, default=0)  # 個人年金保険料（旧契約）
    earthquake: Mapped[int] = mapped_column(Yen, default=0)  # 地震保険料
    long_term_old: Mapped[int] = mapped_column(Yen, default=0)  # 旧長期損害保険料
    medical_expenses: Mapped[int] = mapped_column(Yen, default=0)  # 医療費（補填額を除く）
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)  # 障害者
    specially_disabled: Mapped[bool] = mapped_column(Boolean, default=False)  # 特別障害者
    cohabiting_specially_disabled: Mapped[bool] = mapped_column(Boolean, default=False)  # 同居特別障害者
    widow: Mapped[bool] = mapped_column(Boolean, default=False)  # 寡婦
    single_parent: Mapped[bool] = mapped_column(Boolean, default=False)  # ひとり親
    working_student: Mapped[bool] = mapped_column(Boolean, default=False)  # 勤労学生
    livelihood_assistance: Mapped[bool] = mapped_column(Boolean, default=False)  # 生活扶助
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime)  # UTC


class TaxRelative(TenantOwned, Base):
    """A spouse (配偶者) or dependant (扶養親族) declared in a person's 課税資料."""

    __tablename__ = "tax_relatives"
    __table_args__ = (
        ForeignKeyConstraint(
            ["tenant_code", "year", "atena_no"],
            ["tax_inputs.tenant_code", "tax_inputs.year", "tax_inputs.atena_no"],
            ondelete="CASCADE",
        ),
    )

    tenant_code: Mapped[str] = tenant_code_column()
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    atena_no: Mapped[str] = mapped_column(String(12), primary_key=True)  # the taxpayer
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    relation: Mapped[str] = mapped_column(String(10))  # spouse (配偶者) / dependant (扶養親族)
    relative_atena_no: Mapped[str | None] = mapped_column(String(12))  # 宛名番号 when in this tenant
    name: Mapped[str | None] = mapped_column(String(100))  # 氏名 when living elsewhere
    birth_date: Mapped[date | None] = mapped_column(Date)  # 生年月日 when living elsewhere
    income: Mapped[int | None] = mapped_column(Yen)  # 合計所得金額 when living elsewhere
    cohabiting: Mapped[bool] = mapped_column(Boolean, default=False)  # 同居
    lineal_ascendant: Mapped[bool] = mapped_column(Boolean, default=False)  # 直系尊属


class TaxInputRevision(TenantOwned, Base):
    """One change of a person's 課税資料 (課税資料の修正履歴): who, when, why, and what it became."""

    __tablename__ = "tax_input_revisions"

    tenant_code: Mapped[str] = tenant_code_column()
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 年度
    atena_no: Mapped[str] = mapped_column(String(12), primary_key=True)  # 宛名番号
    revision: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 1 = 最初の登録
    source: Mapped[str] = mapped_column(String(10))  # entry (画面・API) / import (一括取込み)
    reason: Mapped[str | None] = mapped_column(Text)  # 修正の理由
    actor: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    snapshot: Mapped[dict] = mapped_column(JSON)  # the whole 課税資料 after the change


class TaxRun(TenantOwned, Base):
    """One assessment run (一括賦課 / 更正) and the parameter values it used."""

    __tablename__ = "tax_runs"

    tenant_code: Mapped[str] = tenant_code_column()
    run_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    year: Mapped[int] = mapped_column(Integer)  # 年度
    kind: Mapped[str] = mapped_column(String(12))  # assessment (当初賦課) / reassessment (更正)
    reason: Mapped[str | None] = mapped_column(Text)  # 更正の理由
    started_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    finished_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
    actor: Mapped[str] = mapped_column(String(64))
    taxpayers: Mapped[int] = mapped_column(Integer)  # persons computed
    results: Mapped[int] = mapped_column(Integer)  # results written (new or changed)
    parameters: Mapped[list] = mapped_column(JSON)  # [{key, value, source, effective_from, reference}]


class TaxResult(TenantOwned, Base):
    """賦課の結果 (append-only): the figures, instalments and trace of one revision."""

    __tablename__ = "tax_results"
    __table_args__ = (
        ForeignKeyConstraint(["tenant_code", "run_no"], ["tax_runs.tenant_code", "tax_runs.run_no"]),
        Index("ix_tax_results_run", "tenant_code", "run_no"),
    )

    tenant_code: Mapped[str] = tenant_code_column()
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 年度
    atena_no: Mapped[str] = mapped_column(String(12), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 1 = 当初
    run_no: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)  # 当初賦課 / 更正の理由
    status: Mapped[str] = mapped_column(String(10))  # assessed (賦課) / withdrawn (課税取消し)
    collection: Mapped[str] = mapped_column(String(10))  # ordinary (普通徴収) / special (特別徴収)
    employer_no: Mapped[str | None] = mapped_column(String(20))
    total_income: Mapped[int] = mapped_column(Yen)  # 合計所得金額
    taxable_income: Mapped[int] = mapped_column(Yen)  # 課税標準
    income_levy_municipal: Mapped[int] = mapped_column(Yen)  # 市町村民税所得割
    income_levy_prefectural: Mapped[int] = mapped_column(Yen)  # 道府県民税所得割
    per_capita_municipal: Mapped[int] = mapped_column(Yen)  # 市町村民税均等割
    per_capita_prefectural: Mapped[int] = mapped_column(Yen)  # 道府県民税均等割
    forest_environment_tax: Mapped[int] = mapped_column(Yen)  # 森林環境税
    total: Mapped[int] = mapped_column(Yen)  # 年税額
    exemption: Mapped[str | None] = mapped_column(String(30))  # 非課税の理由
    instalments: Mapped[list] = mapped_column(JSON)  # 各期（普通徴収4期 / 特別徴収12か月）
    figures: Mapped[dict] = mapped_column(JSON)  # 計算過程 (every figure by name)
    assessed_at: Mapped[datetime] = mapped_column(DateTime)  # UTC
