"""手数料 (fee) and the window's code lists — 免除の理由 and 本人確認書類 — read as dated
parameters on the day of issue (JST).

* ``registry.certificate.fee`` — 1通の手数料 (integer yen); the fee is that × 通数, or 0
  when a 免除 reason is given;
* ``registry.certificate.fee_exemptions`` — 免除の理由: code → label (公用, 生活保護 …);
* ``registry.certificate.identity_documents`` — 本人確認書類: code → label.  Only the kind
  of document is recorded, never its number.

A tenant changes a list by a dated override with a reason (parameters screen); a code not
in the list in force on the day is refused with a stable code and a Japanese message —
the one check both doors (API, screens) go through, since both call ``issue_certificate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from municloud.errors import Problems, ValidationError
from municloud.kernel.db import UnitOfWork
from municloud.modules.registry.certificates.schemas import CertificateRequest

FEE = "registry.certificate.fee"
EXEMPTIONS = "registry.certificate.fee_exemptions"
IDENTITY_DOCUMENTS = "registry.certificate.identity_documents"


@dataclass(frozen=True)
class Fee:
    unit: int  # 1通の手数料（円）
    copies: int
    amount: int  # 手数料（円）: unit × copies, or 0 when exempt
    exemption: str | None = None
    exemption_label: str | None = None


def code_list(uow: UnitOfWork, key: str, on: date) -> dict[str, str]:
    """The code list *key* in force on *on*: code → label, in the order the list gives."""
    return {str(code): str(label) for code, label in dict(uow.params.get(key, on)).items()}


def check_codes(uow: UnitOfWork, req: CertificateRequest, on: date) -> dict[str, str | None]:
    """Labels of the request's 免除の理由 and 本人確認書類 (``fee_exemption`` /
    ``identity_document``), or one ValidationError naming every unknown code."""
    problems = Problems()
    labels: dict[str, str | None] = {"fee_exemption": None, "identity_document": None}
    for name, key, what, code in (
        ("fee_exemption", EXEMPTIONS, "手数料の免除の理由", "REGISTRY_FEE_EXEMPTION_UNKNOWN"),
        ("identity_document", IDENTITY_DOCUMENTS, "本人確認書類", "REGISTRY_IDENTITY_DOCUMENT_UNKNOWN"),
    ):
        value = getattr(req, name)
        if value is None:
            continue
        labels[name] = code_list(uow, key, on).get(value)
        if labels[name] is None:
            message = f"{what}「{value}」は定められていません。一覧から選んでください"
            problems.add(ValidationError(code, message, fields={name: message}))
    problems.raise_if_any()
    return labels


def fee_for(uow: UnitOfWork, req: CertificateRequest, on: date, exemption_label: str | None = None) -> Fee:
    unit = uow.params.get(FEE, on)
    if req.fee_exemption is not None:
        return Fee(unit, req.copies, 0, req.fee_exemption, exemption_label)
    return Fee(unit, req.copies, unit * req.copies)


class Labels:
    """Labels of recorded codes, each looked up in the list in force on the row's day
    (a code later removed from the list still shows its label); unknown: the code itself."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self._lists: dict[tuple[str, date], dict[str, str]] = {}

    def of(self, key: str, code: str | None, on: date) -> str | None:
        if code is None:
            return None
        if (key, on) not in self._lists:
            self._lists[key, on] = code_list(self.uow, key, on)
        return self._lists[key, on].get(code, code)


@dataclass(frozen=True)
class WindowLists:
    """What the window's form offers on a day: the fee for one copy and the two code lists."""

    unit_fee: int
    exemptions: dict[str, str]
    identity_documents: dict[str, str]


def window_lists(uow: UnitOfWork, on: date) -> WindowLists:
    """The fee and the code lists in force on *on* (parameters: no personal data, not audited)."""
    with uow:
        return WindowLists(uow.params.get(FEE, on), code_list(uow, EXEMPTIONS, on),
                           code_list(uow, IDENTITY_DOCUMENTS, on))
