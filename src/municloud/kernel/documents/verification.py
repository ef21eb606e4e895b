"""Verifying an issued document (public, ``/verify``) and the count of verifications the
tenant's auditor reads.

A number alone proves nothing: 発行番号 are sequential, so the public answer needs the
確認コード printed beside it (``codes.py``).  A wrong or missing code is answered exactly as
a number that was never issued — same error, same message — so numbers cannot be
enumerated.  A document issued before codes existed has no code hash; only its very file
(the PDF, or its SHA-256) verifies it.

Anonymous look-ups no longer append to the tenant's audit chain one entry per call (anyone
could grow it without end).  Each is counted in ``document_verifications``: per document
and day (JST), how many were confirmed, matched the presented file, did not match it, or
were refused (wrong code, or a number not in the register); no client address is kept.
The tenant's auditor reads the counts (:func:`list_verifications`, ``kernel:audit:read``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from municloud.errors import NotFoundError, ValidationError
from municloud.kernel.catalog import A_VERIFICATION_READ, P_AUDIT_READ
from municloud.kernel.clock import to_jst, today_jst, utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.documents.codes import code_matches
from municloud.kernel.documents.orm import UNREGISTERED, DocumentVerification, IssuedDocument
from municloud.kernel.tenants.orm import Tenant

NOT_FOUND_CODE = "DOCUMENT_NOT_FOUND"
NOT_FOUND_MESSAGE = (
    "この発行番号と確認コードの証明書は見つかりません。"
    "証明書に印刷された発行番号と確認コードをお確かめください"
)
OUTCOMES = ("confirmed", "matched", "mismatched", "refused")
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class Verification:
    """What anyone may learn from a 発行番号 and its code: never personal data."""

    issue_no: str
    tenant_code: str
    tenant_name: str
    title: str
    issued_at: datetime  # UTC
    pages: int
    sha256: str
    matches: bool | None  # the presented file's SHA-256 equals the recorded one (None: no file)


@dataclass(frozen=True)
class VerificationCount:
    """One document's public verifications on one day (JST)."""

    day: date
    issue_no: str  # "" : numbers not in the register
    title: str | None
    confirmed: int
    matched: int
    mismatched: int
    refused: int
    first_at: datetime  # UTC
    last_at: datetime  # UTC


def not_found() -> NotFoundError:
    """The one answer for an unknown number, a wrong code and a missing code."""
    return NotFoundError(NOT_FOUND_CODE, NOT_FOUND_MESSAGE)


def _presented(pdf: bytes | None, sha256: str | None) -> str | None:
    if sha256 is not None and (len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256.lower())):
        raise ValidationError("DOCUMENT_SHA256_INVALID", "SHA-256 は16進数64桁で入力してください",
                              fields={"sha256": "16進数64桁で入力してください"})
    if pdf is not None:
        return hashlib.sha256(pdf).hexdigest()
    return sha256.lower() if sha256 else None


def verify_document(
    uow: UnitOfWork, issue_no: str, code: str | None, *, pdf: bytes | None = None, sha256: str | None = None,
) -> Verification:
    """Confirm a 発行番号 with its 確認コード (and optionally that a file is the very PDF
    issued).  Public: *uow* is platform-level; the outcome is counted, not audited."""
    presented = _presented(pdf, sha256)
    tenant_code = issue_no.split("-", 1)[0]
    if not (len(tenant_code) == 6 and tenant_code.isdigit()) or len(issue_no) > 24:
        raise not_found()
    with uow:
        tenant = uow.session.get(Tenant, tenant_code)
        row = uow.session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.tenant_code == tenant_code, IssuedDocument.issue_no == issue_no)
            .execution_options(all_tenants=True)
        ).one_or_none()
        authorised = row is not None and (
            code_matches(issue_no, code, row.code_hash)
            or (row.code_hash is None and presented is not None and presented == row.sha256)
        )
        if not authorised:
            if tenant is not None:  # counted as well, so the answer takes the same work
                _count(uow, tenant_code, issue_no if row is not None else UNREGISTERED, "refused")
                uow.commit()
            raise not_found()
        matches = None if presented is None else presented == row.sha256
        _count(uow, tenant_code, issue_no, "confirmed" if matches is None else "matched" if matches else "mismatched")
        result = Verification(row.issue_no, row.tenant_code, tenant.name if tenant else row.tenant_code,
                              row.title, row.issued_at, row.pages, row.sha256, matches)
        uow.commit()
        return result


def _count(uow: UnitOfWork, tenant_code: str, issue_no: str, outcome: str) -> None:
    """Add one to today's count of *outcome* for *issue_no* (one atomic upsert)."""
    now = utcnow()
    table = DocumentVerification.__table__
    values = {"tenant_code": tenant_code, "day": to_jst(now).date(), "issue_no": issue_no,
              "first_at": now, "last_at": now, **{name: int(name == outcome) for name in OUTCOMES}}
    dialect = uow.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).values(**values)
    uow.session.execute(insert.on_conflict_do_update(
        index_elements=[table.c.tenant_code, table.c.day, table.c.issue_no],
        set_={outcome: table.c[outcome] + 1, "last_at": now},
    ))


def list_verifications(
    uow: UnitOfWork, ctx: Context, *, since: date | None = None, until: date | None = None,
    limit: int = 500, offset: int = 0,
) -> list[VerificationCount]:
    """This tenant's counts of public verifications from *since* to *until* (JST days,
    both included; default the last 30 days), newest day first.  Auditors only; the look
    is audited."""
    until = until or today_jst()
    since = since or until - timedelta(days=29)
    if since > until or (until - since).days >= MAX_PERIOD_DAYS:
        raise ValidationError("VERIFICATION_PERIOD_INVALID", "期間は1年以内で、始まりを終わり以前にしてください",
                              fields={"since": "期間を確認してください"})
    with uow:
        uow.require(ctx, P_AUDIT_READ, A_VERIFICATION_READ)
        rows = uow.session.execute(
            select(DocumentVerification, IssuedDocument.title)
            .outerjoin(IssuedDocument, (IssuedDocument.tenant_code == DocumentVerification.tenant_code)
                       & (IssuedDocument.issue_no == DocumentVerification.issue_no))
            .where(DocumentVerification.day >= since, DocumentVerification.day <= until)
            .order_by(DocumentVerification.day.desc(), DocumentVerification.issue_no)
            .limit(min(limit, 1000)).offset(offset)
        ).all()
        counts = [VerificationCount(v.day, v.issue_no, title, v.confirmed, v.matched, v.mismatched, v.refused,
                                    v.first_at, v.last_at) for v, title in rows]
        uow.audit.record(ctx, A_VERIFICATION_READ, detail={"since": since.isoformat(), "until": until.isoformat(),
                                                           "rows": len(counts)})
        uow.commit()
        return counts


__all__ = ["NOT_FOUND_MESSAGE", "Verification", "VerificationCount", "list_verifications", "not_found",
           "verify_document"]
