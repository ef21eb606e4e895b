"""領収書 (receipt) for the fee of one issued certificate — one use case, one transaction.

``issue_receipt`` finds the 交付履歴 row of a 発行番号, refuses when no fee was taken (免除,
0円) or a receipt was already issued for it (its number is on the row: one receipt per
payment), and issues the receipt through the kernel's document stack like any certificate
(``issue_document``): its own 発行番号 and 確認コード, the QR code to ``/verify``, the 公印,
IPAmj明朝.  It prints the payer (the requester's name, as entered), the amount, the
breakdown (1通の手数料 × 通数), the certificate's 発行番号 and the day of issue.  The
receipt's number is written on the 交付履歴 row and the issue is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup
from sqlalchemy import select

from municloud.errors import ConflictError, NotFoundError
from municloud.kernel.clock import to_jst
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.documents.pdf import FONT_FAMILY
from municloud.kernel.documents.seal import official_seal_svg
from municloud.kernel.documents.services import Stamp, issue_document
from municloud.kernel.tenants.orm import Tenant
from municloud.modules.registry.catalog import A_RECEIPT, P_CERTIFICATE
from municloud.modules.registry.certificates.orm import CertificateIssuance
from municloud.modules.registry.certificates.render import environment, wareki
from municloud.modules.registry.certificates.schemas import TITLES

KIND = "registry:receipt"
TITLE = "領収書"


@dataclass(frozen=True)
class IssuedReceipt:
    issue_no: str  # the receipt's own 発行番号
    certificate_no: str  # the certificate it is for
    amount: int  # 円
    pdf: bytes
    issued_at: datetime  # UTC


def issue_receipt(uow: UnitOfWork, ctx: Context, certificate_no: str) -> IssuedReceipt:
    """The 領収書 for the fee of certificate *certificate_no* (once; not for a 免除)."""
    with uow:
        uow.require(ctx, P_CERTIFICATE, A_RECEIPT, subjects=[f"document:{certificate_no}"])
        row = uow.session.scalars(
            select(CertificateIssuance).where(CertificateIssuance.issue_no == certificate_no).with_for_update()
        ).one_or_none()
        if row is None:
            raise NotFoundError("REGISTRY_CERTIFICATE_NOT_FOUND", f"発行番号 {certificate_no} の証明書の交付履歴はありません")
        if row.fee == 0:
            raise ConflictError("REGISTRY_RECEIPT_NO_FEE",
                                f"発行番号 {certificate_no} の交付は手数料を免除しました（0円）。領収書は発行しません")
        if row.receipt_no:
            raise ConflictError("REGISTRY_RECEIPT_ISSUED",
                                f"発行番号 {certificate_no} の手数料の領収書は発行済みです（領収書の発行番号 {row.receipt_no}）",
                                detail={"receipt_no": row.receipt_no})
        tenant = uow.session.get(Tenant, uow.tenant_code)
        issued_on = to_jst(row.issued_at).date()
        subjects = [f"resident:{a}" for a in row.atena_nos]

        def render(stamp: Stamp) -> str:
            on = to_jst(stamp.issued_at).date()
            title = uow.params.get("tenant.mayor.title", on)
            signer = "　".join(x for x in (title, uow.params.get("tenant.mayor.name", on)) if x)
            return environment().get_template("receipt.html").render(
                font=Markup(FONT_FAMILY), payer=row.requester_name, amount=f"{row.fee:,}",
                title=TITLES.get(row.kind, row.kind), unit_fee=f"{row.unit_fee:,}", copies=row.copies,
                certificate_no=row.issue_no, issued_on=wareki(issued_on), received_on=wareki(on),
                municipality=tenant.name if tenant else uow.tenant_code, signer=signer,
                seal=Markup(official_seal_svg(title)), issue_no=stamp.issue_no, verify_code=stamp.verify_code,
                verify_url=stamp.verify_url, qr=Markup(stamp.qr_svg),
            )

        issued = issue_document(uow, ctx, kind=KIND, title=TITLE, render_html=render, subjects=subjects)
        row.receipt_no = issued.issue_no
        uow.audit.record(ctx, A_RECEIPT, subjects=subjects + [f"document:{certificate_no}"],
                         detail={"certificate_no": certificate_no, "receipt_no": issued.issue_no, "fee": row.fee})
        uow.commit()
        return IssuedReceipt(issued.issue_no, certificate_no, row.fee, issued.pdf, issued.issued_at)
