"""The state of an issued document for staff (発行番号の状態): the register's facts and how
often it was checked at ``/verify`` — no personal data in either.

The public page needs the 確認コード printed on the paper (the register keeps only its
hash), so staff cannot open it from a number; this is their side of the same register.
A module calls :func:`document_status` inside its own use case, which checks the
permission and audits the look (e.g. the registry's 交付履歴).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from municloud.errors import NotFoundError
from municloud.kernel.db import UnitOfWork
from municloud.kernel.documents.orm import DocumentVerification, IssuedDocument


@dataclass(frozen=True)
class DocumentStatus:
    issue_no: str  # 発行番号
    kind: str
    title: str
    issued_at: datetime  # UTC
    issued_by: str
    pages: int
    sha256: str
    has_code: bool  # a 確認コード was printed (verifiable at /verify with it)
    confirmed: int  # public verifications with the right code, no file presented
    matched: int  # … with the very file
    mismatched: int  # … with a different file (a forged or altered copy was presented)
    refused: int  # wrong or missing code for this number
    last_verified_at: datetime | None  # UTC


def document_status(uow: UnitOfWork, issue_no: str) -> DocumentStatus:
    """*issue_no*'s register row and its verification counts (inside the caller's ``with uow``)."""
    row = uow.session.get(IssuedDocument, (uow.tenant_code, issue_no))
    if row is None:
        raise NotFoundError("DOCUMENT_NOT_REGISTERED", f"発行番号 {issue_no} の文書は発行台帳にありません")
    t = DocumentVerification
    counts = uow.session.execute(
        select(func.coalesce(func.sum(t.confirmed), 0), func.coalesce(func.sum(t.matched), 0),
               func.coalesce(func.sum(t.mismatched), 0), func.coalesce(func.sum(t.refused), 0), func.max(t.last_at))
        .where(t.issue_no == issue_no)
    ).one()
    return DocumentStatus(row.issue_no, row.kind, row.title, row.issued_at, row.issued_by, row.pages, row.sha256,
                          row.code_hash is not None, int(counts[0]), int(counts[1]), int(counts[2]), int(counts[3]),
                          counts[4])
