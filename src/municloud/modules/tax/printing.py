"""The 税額決定通知書 (resident tax assessment notice) as HTML, rendered to PDF by
``kernel.documents`` like the certificates: IPAmj明朝 through ``FONT_FAMILY`` and
``<html lang="ja">`` (the taxpayer's name keeps its IVS glyphs), the 電子公印, the 発行番号
and the QR code of ``/verify/{発行番号}?code={確認コード}``.

Pure presentation: everything printed comes in :class:`NoticeContent`, built by
``services.notices`` inside its use case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from municloud.jp.wareki import format_wareki, to_wareki
from municloud.kernel.clock import to_jst
from municloud.kernel.documents.pdf import FONT_FAMILY
from municloud.kernel.documents.seal import official_seal_svg
from municloud.kernel.documents.services import Stamp
from municloud.modules.registry.api import PersonCard
from municloud.modules.tax.domain import EXEMPTIONS, SPECIAL, WITHDRAWN
from municloud.modules.tax.domain import LABELS as CODE_LABELS
from municloud.modules.tax.figures import LABELS
from municloud.modules.tax.services.results import Revision

TEMPLATES = Path(__file__).parent / "templates"

#: The figures printed, by section (keys of ``figures.FIGURES``; labels from there).
INCOME = ("salary_earnings", "pension_earnings", "other_income", "total_income")
DEDUCTIONS = (
    "basic_deduction", "spouse_deduction", "spouse_special_deduction", "dependant_deduction",
    "specified_relative_deduction", "disability_deduction", "widow_deduction", "single_parent_deduction",
    "working_student_deduction", "social_insurance_deduction", "life_insurance_deduction",
    "earthquake_insurance_deduction", "medical_expense_deduction",
)
#: (項目, 市町村民税 key, 道府県民税 key) of the tax table.
TAX_ROWS = (
    ("所得割額（税額控除前）", "income_levy_municipal_gross", "income_levy_prefectural_gross"),
    ("調整控除", "adjustment_credit_municipal", "adjustment_credit_prefectural"),
    ("非課税限度額を超える者の減額", "income_levy_adjustment_municipal", "income_levy_adjustment_prefectural"),
    ("所得割額（百円未満切捨て）", "income_levy_municipal", "income_levy_prefectural"),
    ("均等割額", "per_capita_municipal", "per_capita_prefectural"),
    ("計", "municipal_tax", "prefectural_tax"),
)
#: Rows printed only when they are not zero (the 附則第3条の3 reduction concerns few people).
ONLY_IF_ANY = {"income_levy_adjustment_municipal"}
SPECIAL_MONTHS = (6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5)  # 特別徴収: 6月〜翌年5月


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


def year_label(year: int) -> str:
    """年度 in 和暦: 2026 → 令和8年度.  The era is the one the 年度 ends in (31 March of the
    next year), as official usage has it: 2019 → 令和元年度, not 平成31年度."""
    era, n = to_wareki(date(year + 1, 3, 31))
    n -= 1  # the era year in which the 年度 began
    return f"{era}{'元' if n == 1 else n}年度"


def month_label(year: int, month: int) -> str:
    """A due month of the 年度 in 和暦: months before June fall in the next calendar year."""
    era, n = to_wareki(date(year + 1 if month < 6 else year, month, 1))
    return f"{era}{'元' if n == 1 else n}年{month}月"


def income_year_label(year: int) -> str:
    """The income year taxed in *year* (年度): 2026 → 令和7年分."""
    era, n = to_wareki(date(year - 1, 12, 31))
    return f"{era}{'元' if n == 1 else n}年分"


@dataclass(frozen=True)
class NoticeContent:
    tenant_name: str  # 団体名
    mayor_title: str
    mayor_name: str
    year: int  # 年度
    person: PersonCard
    revision: Revision
    previous_total: int | None  # 更正前の年税額 (revision > 1)
    due_months: list[int]  # 普通徴収の納期（月）
    employer_name: str | None  # 特別徴収義務者


@dataclass(frozen=True)
class Line:
    label: str
    amount: int


def _instalments(content: NoticeContent) -> list[tuple[str, str, int]]:
    """(期別, 納期, 税額) of the revision's instalments."""
    r = content.revision
    if r.collection == SPECIAL:
        return [(f"{m}月分", month_label(content.year, m), amount)
                for m, amount in zip(SPECIAL_MONTHS, r.instalments, strict=False)]
    return [(f"第{i}期", f"{month_label(content.year, m)}末日", amount)
            for i, (m, amount) in enumerate(zip(content.due_months, r.instalments, strict=False), start=1)]


def notice_html(content: NoticeContent, stamp: Stamp) -> str:
    r = content.revision
    f = r.figures
    withdrawn = r.status == WITHDRAWN
    return _environment().get_template("notice.html").render(
        font_family=FONT_FAMILY,
        tenant_name=content.tenant_name,
        mayor_title=content.mayor_title,
        mayor_name=content.mayor_name,
        seal_svg=official_seal_svg(content.mayor_title),
        year_label=year_label(content.year),
        income_year=income_year_label(content.year),
        person=content.person,
        revision=r,
        reassessment=r.revision > 1,
        previous_total=content.previous_total,
        withdrawn=withdrawn,
        status_label=CODE_LABELS.get(r.status, r.status),
        collection_label=CODE_LABELS.get(r.collection, r.collection),
        special=r.collection == SPECIAL,
        employer_no=r.employer_no,
        employer_name=content.employer_name,
        income=[Line(LABELS[k], int(f.get(k, 0))) for k in INCOME],
        deductions=[Line(LABELS[k], int(f.get(k, 0))) for k in DEDUCTIONS],
        total_deductions=int(f.get("total_deductions", 0)),
        taxable_income=int(f.get("taxable_income", 0)),
        tax_rows=[(label, int(f.get(m, 0)), int(f.get(p, 0))) for label, m, p in TAX_ROWS
                  if m not in ONLY_IF_ANY or f.get(m) or f.get(p)],
        forest=int(f.get("forest_environment_tax", 0)),
        total=r.total,
        exemption=EXEMPTIONS.get(r.exemption) if r.exemption else None,
        instalments=_instalments(content),
        issued_on=format_wareki(to_jst(stamp.issued_at).date()),
        issue_no=stamp.issue_no,
        verify_code=stamp.verify_code,
        verify_url=stamp.verify_url,
        qr_svg=stamp.qr_svg,
    )
