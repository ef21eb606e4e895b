"""Issuing the 税額決定通知書 (one use case: read the result, render, number, register,
audit)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from municloud.errors import NotFoundError
from municloud.kernel.clock import to_jst
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.documents.services import Stamp, issue_document
from municloud.kernel.tenants.orm import Tenant
from municloud.modules.registry.api import person_for_document
from municloud.modules.tax.catalog import A_NOTICE, P_NOTICE
from municloud.modules.tax.orm import TaxInput
from municloud.modules.tax.printing import NoticeContent, notice_html
from municloud.modules.tax.rules import check_year
from municloud.modules.tax.services.results import load_results

KIND = "tax:notice"
TITLE = "税額決定通知書"


@dataclass(frozen=True)
class NoticeIssued:
    issue_no: str  # 発行番号
    pdf: bytes
    sha256: str
    pages: int
    year: int
    revision: int


def issue_notice(uow: UnitOfWork, ctx: Context, year: int, atena_no: str, revision: int | None = None) -> NoticeIssued:
    """The 税額決定通知書 of *atena_no* for *year* (年度): the latest revision, or *revision*.

    A 更正 (revision > 1) prints its reason and the previous year's tax.  The PDF is
    numbered and registered by ``kernel.documents`` (verifiable at ``/verify/{発行番号}?code={確認コード}``);
    the audit entry names the 年度, the revision and the 発行番号 — never an amount.
    """
    subjects = [f"resident:{atena_no}"]
    with uow:
        uow.require(ctx, P_NOTICE, A_NOTICE, subjects=subjects)
        check_year(year)
        results = load_results(uow, year, atena_no)
        chosen = results.current if revision is None else next(
            (r for r in results.revisions if r.revision == revision), None)
        if chosen is None:
            raise NotFoundError("TAX_REVISION_NOT_FOUND",
                                f"{atena_no} の {year} 年度の賦課の結果に第{revision}回の決定はありません")
        previous = next((r.total for r in results.revisions if r.revision == chosen.revision - 1), None)
        person = person_for_document(uow, atena_no)
        tenant = uow.session.get(Tenant, uow.tenant_code)
        employer_name = None
        if chosen.employer_no:
            row = uow.session.get(TaxInput, (uow.tenant_code, year, atena_no))
            employer_name = row.employer_name if row is not None else None
        due_months = list(uow.params.get("tax.resident.ordinary_due_months", date(year, 1, 1)))

        def render(stamp: Stamp) -> str:
            on = to_jst(stamp.issued_at).date()
            content = NoticeContent(
                tenant_name=tenant.name if tenant else uow.tenant_code,
                mayor_title=uow.params.get("tenant.mayor.title", on),
                mayor_name=uow.params.get("tenant.mayor.name", on),
                year=year, person=person, revision=chosen, previous_total=previous, due_months=due_months,
                employer_name=employer_name,
            )
            return notice_html(content, stamp)

        issued = issue_document(uow, ctx, kind=KIND, title=TITLE, render_html=render, subjects=subjects)
        uow.audit.record(ctx, A_NOTICE, subjects=subjects + [f"document:{issued.issue_no}"],
                         detail={"year": year, "revision": chosen.revision, "issue_no": issued.issue_no})
        uow.commit()
        return NoticeIssued(issued.issue_no, issued.pdf, issued.sha256, issued.pages, year, chosen.revision)
