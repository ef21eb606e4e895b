"""Issuing a document inside a module's use case (verifying one: ``verification.py``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from municloud.kernel.catalog import A_DOCUMENT_ISSUE
from municloud.kernel.clock import to_jst, utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.documents.codes import code_hash, new_code
from municloud.kernel.documents.orm import IssuedDocument
from municloud.kernel.documents.pdf import page_count, render_pdf
from municloud.kernel.documents.qr import qr_svg
from municloud.kernel.sequences import next_value


@dataclass(frozen=True)
class Stamp:
    """What the issuing module prints on the document before it is rendered."""

    issue_no: str  # 発行番号
    issued_at: datetime  # UTC
    verify_url: str  # /verify/{発行番号}?code={確認コード}: printed, and in the QR code
    qr_svg: str  # QR code of verify_url
    verify_code: str  # 確認コード, printed beside the 発行番号 (kernel.documents.codes)


@dataclass(frozen=True)
class Issued:
    issue_no: str
    pdf: bytes
    sha256: str
    pages: int
    issued_at: datetime
    verify_code: str  # in the PDF only; the register keeps its hash


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
    and calendar year (JST); the PDF's SHA-256 goes to the register.  A random 確認コード
    is printed beside the number and put in the QR code's URL; the register keeps only its
    hash, and ``/verify`` answers only to number and code together.  The caller commits.
    """
    now = utcnow()
    year = _jst_year(now)
    number = next_value(uow, f"documents.issue_no.{year}")
    issue_no = f"{uow.tenant_code}-{year}-{number:06d}"
    code = new_code()
    url = verify_url(uow.platform.settings.public_url, issue_no, code)
    stamp = Stamp(issue_no, now, url, qr_svg(url), code)
    pdf = render_pdf(render_html(stamp))
    digest = hashlib.sha256(pdf).hexdigest()
    pages = page_count(pdf)
    uow.session.add(
        IssuedDocument(
            tenant_code=uow.tenant_code, issue_no=issue_no, kind=kind, title=title, issued_at=now,
            issued_by=ctx.actor, pages=pages, sha256=digest, code_hash=code_hash(issue_no, code),
        )
    )
    uow.audit.record(ctx, A_DOCUMENT_ISSUE, subjects=subjects + [f"document:{issue_no}"],
                     detail={"kind": kind, "pages": pages, "sha256": digest})
    return Issued(issue_no, pdf, digest, pages, now, code)


def verify_url(public_url: str, issue_no: str, code: str) -> str:
    """The address printed on the document and encoded in its QR code."""
    return f"{public_url}/verify/{issue_no}?code={code}"


def _jst_year(moment_utc: datetime) -> int:
    return to_jst(moment_utc).year
