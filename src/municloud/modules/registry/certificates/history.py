"""交付履歴 (issuance record) read three ways — per resident, per day, and as the day's
日計表 (journal) — and one 発行番号 with its verification state.  Each is a use case:
permission checked, the look audited.

* :func:`list_issuances` — a resident's 交付履歴, newest first (``registry:certificate:issue``);
* :func:`list_day` — every certificate issued on a day (JST), oldest first, with the fees
  taken that day — the other fee sources' lines (印鑑登録証明書 …) included in the total
  (the window's 本日の交付; same permission);
* :func:`journal` — the 日計表 the supervisor prints for the 手数料 reconciliation: per
  kind 件数・通数・手数料, per 免除 reason 件数・通数・免除額, the totals, over every
  registered fee source (``kernel.fees``: this module's :func:`certificate_fees`, the
  seals' 印鑑登録証明書 …) so the grand total is the till
  (``registry:certificate:journal``; aggregates only, no personal data);
* :func:`issuance_status` — one issuance with the register's facts and its ``/verify``
  counts (``kernel.documents.status``), and its 領収書 if one was issued.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from sqlalchemy import select

from municloud.errors import NotFoundError
from municloud.kernel.clock import jst_day_bounds, to_jst
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.documents.status import document_status
from municloud.kernel.fees import FeeExemption, FeeLine, FeeTally, merge
from municloud.modules.registry import repository as repo
from municloud.modules.registry.catalog import (
    A_CERTIFICATE_DAY,
    A_CERTIFICATE_HISTORY,
    A_JOURNAL,
    P_CERTIFICATE,
    P_JOURNAL,
)
from municloud.modules.registry.certificates.fees import EXEMPTIONS, IDENTITY_DOCUMENTS, Labels
from municloud.modules.registry.certificates.orm import CertificateIssuance, CertificateSubject
from municloud.modules.registry.certificates.schemas import (
    REQUESTER_TYPES,
    TITLES,
    DayIssuances,
    DocumentState,
    ExemptionLine,
    IssuanceStatusView,
    IssuanceView,
    Journal,
    JournalLine,
)

SOURCE = "registry"  # this module's name among the fee sources (kernel.fees)


def view_of(row: CertificateIssuance, labels: Labels) -> IssuanceView:
    on = to_jst(row.issued_at).date()
    return IssuanceView(
        issue_no=row.issue_no, kind=row.kind, title=TITLES.get(row.kind, row.kind), form=row.form,
        atena_nos=list(row.atena_nos), requester_type=row.requester_type,
        requester_type_label=REQUESTER_TYPES.get(row.requester_type, row.requester_type),
        requester_name=row.requester_name, purpose=row.purpose, options=dict(row.options), copies=row.copies,
        unit_fee=row.unit_fee, fee=row.fee, fee_exemption=row.fee_exemption,
        fee_exemption_label=labels.of(EXEMPTIONS, row.fee_exemption, on),
        identity_document=row.identity_document,
        identity_document_label=labels.of(IDENTITY_DOCUMENTS, row.identity_document, on),
        receipt_no=row.receipt_no, issued_by=row.issued_by, issued_at=row.issued_at,
    )


def _day_rows(uow: UnitOfWork, day: date) -> list[CertificateIssuance]:
    start, end = jst_day_bounds(day)
    return list(uow.session.scalars(
        select(CertificateIssuance)
        .where(CertificateIssuance.issued_at >= start, CertificateIssuance.issued_at < end)
        .order_by(CertificateIssuance.issued_at, CertificateIssuance.issue_no)
    ))


def certificate_fees(uow: UnitOfWork, day: date) -> FeeTally:
    """The registry's fee source (``kernel.fees``): the day's certificates by kind and 免除
    reason — every row counted once; aggregates only."""
    lines: dict[str, FeeLine] = {}
    exemptions: dict[str, FeeExemption] = {}
    labels = Labels(uow)
    rows = _day_rows(uow, day)
    for r in rows:
        line = lines.setdefault(r.kind, FeeLine(r.kind, TITLES.get(r.kind, r.kind)))
        line.count += 1
        line.copies += r.copies
        line.fee += r.fee
        if r.fee_exemption is None:
            line.charged_copies += r.copies
            continue
        line.exempt_copies += r.copies
        label = labels.of(EXEMPTIONS, r.fee_exemption, to_jst(r.issued_at).date()) or r.fee_exemption
        ex = exemptions.setdefault(r.fee_exemption, FeeExemption(r.fee_exemption, label))
        ex.count += 1
        ex.copies += r.copies
        ex.waived += r.unit_fee * r.copies
    ordered = [lines[k] for k in TITLES if k in lines] + [v for k, v in lines.items() if k not in TITLES]
    return FeeTally(ordered, list(exemptions.values()), receipts=sum(1 for r in rows if r.receipt_no))


def list_issuances(uow: UnitOfWork, ctx: Context, atena_no: str) -> list[IssuanceView]:
    """A resident's 交付履歴, newest first (for staff; audited)."""
    with uow:
        uow.require(ctx, P_CERTIFICATE, A_CERTIFICATE_HISTORY, subjects=[f"resident:{atena_no}"])
        repo.load_persons(uow, [atena_no])
        rows = uow.session.scalars(
            select(CertificateIssuance)
            .join(CertificateSubject, (CertificateSubject.tenant_code == CertificateIssuance.tenant_code)
                  & (CertificateSubject.issue_no == CertificateIssuance.issue_no))
            .where(CertificateSubject.atena_no == atena_no)
            .order_by(CertificateIssuance.issued_at.desc(), CertificateIssuance.issue_no.desc())
        )
        labels = Labels(uow)
        views = [view_of(r, labels) for r in rows]
        uow.audit.record(ctx, A_CERTIFICATE_HISTORY, subjects=[f"resident:{atena_no}"], detail={"rows": len(views)})
        uow.commit()
        return views


def list_day(uow: UnitOfWork, ctx: Context, day: date) -> DayIssuances:
    """Every certificate issued on *day* (JST), oldest first, and the fees taken (audited:
    the 宛名番号 of everyone on them)."""
    with uow:
        uow.require(ctx, P_CERTIFICATE, A_CERTIFICATE_DAY)
        labels = Labels(uow)
        views = [view_of(r, labels) for r in _day_rows(uow, day)]
        subjects = sorted({f"resident:{a}" for v in views for a in v.atena_nos})
        others = merge(uow.platform.fee_sources.tally(uow, day, exclude=[SOURCE]).values()).lines
        uow.audit.record(ctx, A_CERTIFICATE_DAY, subjects=subjects, detail={"day": day.isoformat(), "rows": len(views)})
        uow.commit()
        return DayIssuances(day=day, issuances=views, other_fees=[JournalLine(**asdict(x)) for x in others],
                            takings=sum(v.fee for v in views) + sum(x.fee for x in others))


def journal(uow: UnitOfWork, ctx: Context, day: date) -> Journal:
    """The 日計表 of *day* (JST): every registered fee source's lines (the registry's
    certificates, the 印鑑登録証明書 …) by kind and by 免除 reason, and the totals — the
    grand total is what the till took."""
    with uow:
        uow.require(ctx, P_JOURNAL, A_JOURNAL)
        tally = merge(uow.platform.fee_sources.tally(uow, day).values())
        lines, exemptions = tally.lines, tally.exemptions
        result = Journal(
            day=day, lines=[JournalLine(**asdict(x)) for x in lines],
            exemptions=[ExemptionLine(**asdict(e)) for e in exemptions],
            count=sum(x.count for x in lines), copies=sum(x.copies for x in lines), fee=sum(x.fee for x in lines),
            exempt_count=sum(e.count for e in exemptions), exempt_copies=sum(e.copies for e in exemptions),
            waived=sum(e.waived for e in exemptions), receipts=tally.receipts,
        )
        uow.audit.record(ctx, A_JOURNAL, detail={"day": day.isoformat(), "rows": result.count, "fee": result.fee})
        uow.commit()
        return result


def _state(uow: UnitOfWork, issue_no: str) -> DocumentState:
    return DocumentState(**asdict(document_status(uow, issue_no)))


def issuance_status(uow: UnitOfWork, ctx: Context, issue_no: str) -> IssuanceStatusView:
    """One issuance, its register entry with the ``/verify`` counts, and its 領収書 (audited)."""
    with uow:
        uow.require(ctx, P_CERTIFICATE, A_CERTIFICATE_HISTORY, subjects=[f"document:{issue_no}"])
        row = uow.session.get(CertificateIssuance, (uow.tenant_code, issue_no))
        if row is None:
            raise NotFoundError("REGISTRY_CERTIFICATE_NOT_FOUND", f"発行番号 {issue_no} の証明書の交付履歴はありません")
        view = view_of(row, Labels(uow))
        result = IssuanceStatusView(issuance=view, document=_state(uow, issue_no),
                                    receipt=_state(uow, row.receipt_no) if row.receipt_no else None)
        uow.audit.record(ctx, A_CERTIFICATE_HISTORY, subjects=[f"resident:{a}" for a in view.atena_nos]
                         + [f"document:{issue_no}"], detail={"rows": 1, "issue_no": issue_no})
        uow.commit()
        return result
