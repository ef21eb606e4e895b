"""Issuing a document inside a module's use case, and verifying one afterwards."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from municloud.errors import NotFoundError, ValidationError
from municloud.kernel.catalog import A_DOCUMENT_ISSUE, A_DOCUMENT_VERIFY
from municloud.kernel.clock import to_jst, utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.documents.orm import IssuedDocument
from municloud.kernel.documents.pdf import page_count, render_pdf
from municloud.kernel.documents.qr import qr_svg
from municloud.kernel.sequences import next_value
from municloud.kernel.tenants.orm import Tenant


@dataclass(frozen=True)
class Stamp:
    """What the issuing module prints on the document before it is rendered."""

    issue_no: str  # 発行番号
    issued_at: datetime  # UTC
    verify_url: str
    qr_svg: str  # QR code of verify_url


@dataclass(frozen=True)
class Issued:
    issue_no: str
    pdf: bytes
    sha256: str
    pages: int
    issued_at: datetime


@dataclass(frozen=True)
class Verification:
    """What anyone may learn from a 発行番号: never personal data."""

    issue_no: str
    tenant_code: str
    tenant_name: str
    title: str
    issued_at: datetime  # UTC
    pages: int
    sha256: str
    matches: bool | None  # the presented file's SHA-256 equals the recorded one (None: no file)


def issue_document(
    uow: UnitOfWork,
    ctx: Context,
    *,
    kind: str,
    title: str,
    render_html: Callable[[Stamp], str],
    subjects: list[str],
) -> Issued:
    """Number, render and register a document (call inside the caller's ``with uow``).

    The 発行番号 is ``{団体コード}-{year}-{6-digit sequence}``, one sequence per tenant
    and calendar year (JST); the PDF's SHA-256 goes to the register.  The caller commits.
    """
    now = utcnow()
    year = _jst_year(now)
    number = next_value(uow, f"documents.issue_no.{year}")
    issue_no = f"{uow.tenant_code}-{year}-{number:06d}"
    url = f"{uow.platform.settings.public_url}/verify/{issue_no}"
    stamp = Stamp(issue_no, now, url, qr_svg(url))
    pdf = render_pdf(render_html(stamp))
    digest = hashlib.sha256(pdf).hexdigest()
    pages = page_count(pdf)
    uow.session.add(
        IssuedDocument(
            tenant_code=uow.tenant_code, issue_no=issue_no, kind=kind, title=title, issued_at=now,
            issued_by=ctx.actor, pages=pages, sha256=digest,
        )
    )
    uow.audit.record(ctx, A_DOCUMENT_ISSUE, subjects=subjects + [f"document:{issue_no}"],
                     detail={"kind": kind, "pages": pages, "sha256": digest})
    return Issued(issue_no, pdf, digest, pages, now)


def _jst_year(moment_utc: datetime) -> int:
    return to_jst(moment_utc).year


def verify_document(
    uow: UnitOfWork, issue_no: str, *, pdf: bytes | None = None, sha256: str | None = None,
    client_addr: str | None = None, request_id: str | None = None,
) -> Verification:
    """Confirm a 発行番号 (and optionally that a file is the very PDF issued). Public; audited."""
    tenant_code = issue_no.split("-", 1)[0]
    if not (len(tenant_code) == 6 and tenant_code.isdigit()):
        raise NotFoundError("DOCUMENT_NOT_FOUND", f"発行番号 {issue_no[:40]} の証明書は発行されていません")
    if sha256 is not None and (len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256.lower())):
        raise ValidationError("DOCUMENT_SHA256_INVALID", "SHA-256 は16進数64桁で入力してください",
                              fields={"sha256": "16進数64桁で入力してください"})
    presented = hashlib.sha256(pdf).hexdigest() if pdf is not None else (sha256.lower() if sha256 else None)
    with uow:
        row = uow.session.scalars(
            select(IssuedDocument)
            .where(IssuedDocument.tenant_code == tenant_code, IssuedDocument.issue_no == issue_no)
            .execution_options(all_tenants=True)
        ).one_or_none()
        ctx = Context(tenant_code=None, actor="public", request_id=request_id or "", client_addr=client_addr)
        if row is None:
            raise NotFoundError("DOCUMENT_NOT_FOUND", f"発行番号 {issue_no[:40]} の証明書は発行されていません")
        tenant = uow.session.get(Tenant, row.tenant_code)
        matches = None if presented is None else presented == row.sha256
        uow.audit.record(ctx, A_DOCUMENT_VERIFY, subjects=[f"document:{issue_no}"], tenant_code=row.tenant_code,
                         detail={"file_presented": presented is not None, "matches": matches})
        result = Verification(row.issue_no, row.tenant_code, tenant.name if tenant else row.tenant_code,
                              row.title, row.issued_at, row.pages, row.sha256, matches)
        uow.commit()
        return result
