"""The certificate window (交付窓口): the fee in force × copies, 免除 with its reason, the
本人確認書類 (its kind only), the 領収書, and the 交付履歴 read per resident, per day and as
the 日計表 — through the services both doors call."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import inspect, select

from municloud.errors import ConflictError, ValidationError
from municloud.kernel.clock import today_jst
from municloud.kernel.parameters.services import set_override
from municloud.modules.registry.certificates.history import (
    issuance_status,
    journal,
    list_day,
    list_issuances,
)
from municloud.modules.registry.certificates.orm import CertificateIssuance
from municloud.modules.registry.certificates.receipt import issue_receipt
from municloud.modules.registry.certificates.schemas import (
    CertificateQuote,
    CertificateRequest,
    IssuedCertificate,
)
from municloud.modules.registry.certificates.services import issue_certificate
from tests.factories import audit_entries, context, family, registry_footprint
from tests.integration.certificates.helpers import has, issue, pages


@pytest.fixture
def clerk(platform, mayor):
    return context(platform, mayor, "registry_clerk")


@pytest.fixture
def home(platform, clerk):
    return family(platform, clerk)


def rows(platform, tenant: str) -> list[CertificateIssuance]:
    with platform.uow(tenant) as uow:
        found = list(uow.session.scalars(select(CertificateIssuance).order_by(CertificateIssuance.issue_no)))
        uow.session.expunge_all()
        return found


def test_the_fee_in_force_times_the_copies_is_charged_and_recorded(platform, clerk, home):
    issued = issue(platform, clerk, atena_no=home.atena_nos[0], copies=3, identity_document="driver_license")
    assert isinstance(issued, IssuedCertificate) and issued.fee == 900
    [row] = rows(platform, clerk.tenant_code)
    assert (row.unit_fee, row.copies, row.fee, row.fee_exemption) == (300, 3, 900, None)
    assert row.identity_document == "driver_license"


def test_a_tenant_fee_change_is_what_the_window_charges(platform, mayor, clerk, home):
    admin = context(platform, mayor, "tenant_admin")
    set_override(platform.uow(mayor), admin, "registry.certificate.fee", date(2020, 4, 1), 350, "手数料条例の改正")
    assert issue(platform, clerk, atena_no=home.atena_nos[0], copies=2).fee == 700


def test_the_dry_run_quotes_the_fee_and_writes_nothing(platform, clerk, home):
    before = registry_footprint(platform, clerk.tenant_code)
    quote = issue_certificate(platform.uow(clerk.tenant_code, dry_run=True), clerk, CertificateRequest(
        atena_no=home.atena_nos[0], requester_type="self", requester_name="山田　太郎", copies=2,
        identity_document="my_number_card"))
    assert isinstance(quote, CertificateQuote)
    assert (quote.unit_fee, quote.copies, quote.fee) == (300, 2, 600)
    assert quote.identity_document_label == "マイナンバーカード（個人番号カード）"
    after = registry_footprint(platform, clerk.tenant_code)
    assert after["registry_certificate_issuances"] == before["registry_certificate_issuances"] == 0
    [check] = audit_entries(platform, clerk.tenant_code, "registry:certificate:check")
    assert check.outcome == "success" and audit_entries(platform, clerk.tenant_code, "registry:certificate:issue") == []


def test_an_exemption_charges_nothing_and_keeps_its_reason(platform, clerk, home):
    issued = issue(platform, clerk, atena_no=home.atena_nos[0], copies=2, fee_exemption="public_assistance",
                   requester_type="public_office", requester_name="長井市福祉事務所", purpose="生活保護の決定のため")
    assert issued.fee == 0
    [row] = rows(platform, clerk.tenant_code)
    assert (row.unit_fee, row.fee, row.fee_exemption) == (300, 0, "public_assistance")
    [entry] = audit_entries(platform, clerk.tenant_code, "registry:certificate:issue")
    assert json.loads(entry.detail)["fee_exemption"] == "public_assistance"
    with pytest.raises(ConflictError) as refused:
        issue_receipt(platform.uow(clerk.tenant_code), clerk, issued.issue_no)
    assert refused.value.code == "REGISTRY_RECEIPT_NO_FEE"


def test_unknown_codes_are_refused_together_and_nothing_is_issued(platform, clerk, home):
    with pytest.raises(ValidationError) as refused:
        issue(platform, clerk, atena_no=home.atena_nos[0], fee_exemption="friend", identity_document="library_card")
    assert set(refused.value.fields) == {"fee_exemption", "identity_document"}
    codes = {p["code"] for p in refused.value.problems}
    assert codes == {"REGISTRY_FEE_EXEMPTION_UNKNOWN", "REGISTRY_IDENTITY_DOCUMENT_UNKNOWN"}
    assert "一覧から選んでください" in refused.value.fields["identity_document"]
    assert rows(platform, clerk.tenant_code) == []


def test_a_document_number_cannot_be_given_nor_stored(platform, clerk, home):
    """Only the kind of document is kept: the request refuses any other field, a number
    typed as the code is not a code of the list, and no column could hold one."""
    with pytest.raises(Exception) as extra:
        CertificateRequest(atena_no=home.atena_nos[0], requester_type="self", requester_name="山田　太郎",
                           identity_document="driver_license", identity_document_number="123456789012")
    assert "identity_document_number" in str(extra.value)
    with pytest.raises(ValidationError):
        issue(platform, clerk, atena_no=home.atena_nos[0], identity_document="123456789012")
    columns = {c.key for c in inspect(CertificateIssuance).columns}
    assert not any("number" in c or c.endswith("_no") and c not in ("issue_no", "setai_no", "receipt_no")
                   for c in columns)
    issue(platform, clerk, atena_no=home.atena_nos[0], identity_document="passport")
    [entry] = audit_entries(platform, clerk.tenant_code, "registry:certificate:issue")
    detail = json.loads(entry.detail)
    assert detail["identity_document"] == "passport" and detail["identity_checked"] is True


def test_the_receipt_prints_the_payer_the_amount_and_the_certificate_number_once(platform, clerk, home):
    issued = issue(platform, clerk, atena_no=home.atena_nos[0], copies=2, requester_name="山田　太郎")
    receipt = issue_receipt(platform.uow(clerk.tenant_code), clerk, issued.issue_no)
    assert receipt.amount == 600 and receipt.issue_no != issued.issue_no
    [sheet] = pages(receipt.pdf)
    for text in ("領収書", "山田　太郎様", "金額600円", "住民票の写しの交付手数料として", "1通300円×2通",
                 issued.issue_no, receipt.issue_no, "確認コード"):
        assert has(sheet, text), text
    [row] = rows(platform, clerk.tenant_code)
    assert row.receipt_no == receipt.issue_no
    with pytest.raises(ConflictError) as again:
        issue_receipt(platform.uow(clerk.tenant_code), clerk, issued.issue_no)
    assert again.value.code == "REGISTRY_RECEIPT_ISSUED" and receipt.issue_no in again.value.message
    assert [e.outcome for e in audit_entries(platform, clerk.tenant_code, "registry:certificate:receipt")] == ["success"]


def test_a_residents_history_shows_fee_exemption_identity_and_receipt(platform, clerk, home):
    paid = issue(platform, clerk, atena_no=home.atena_nos[0], members="all", copies=2, identity_document="driver_license")
    receipt = issue_receipt(platform.uow(clerk.tenant_code), clerk, paid.issue_no)
    free = issue(platform, clerk, atena_no=home.atena_nos[0], members=[home.atena_nos[0]], fee_exemption="public_use",
                 requester_type="public_office", requester_name="長井警察署", purpose="捜査のため")
    views = list_issuances(platform.uow(clerk.tenant_code), clerk, home.atena_nos[0])
    assert [v.issue_no for v in views] == [free.issue_no, paid.issue_no]
    assert (views[0].fee, views[0].fee_exemption_label, views[0].purpose) == (0, "公用（国・地方公共団体の請求）", "捜査のため")
    assert (views[1].fee, views[1].identity_document_label, views[1].receipt_no) == (600, "運転免許証", receipt.issue_no)
    assert [v.issue_no for v in list_issuances(platform.uow(clerk.tenant_code), clerk, home.atena_nos[2])] == [
        paid.issue_no]  # on the household's copy only


def test_the_journal_totals_are_the_sums_of_the_days_rows(platform, mayor, clerk, home):
    issue(platform, clerk, atena_no=home.atena_nos[0], copies=2)
    issue(platform, clerk, atena_no=home.atena_nos[1], form="kojin", copies=1, identity_document="passport")
    issue(platform, clerk, atena_no=home.atena_nos[0], kind="kisai_jiko", items=["address"], copies=3)
    issue(platform, clerk, atena_no=home.atena_nos[0], copies=1, fee_exemption="public_use",
          requester_type="public_office", requester_name="長井市税務課", purpose="課税のため")
    issue(platform, clerk, atena_no=home.atena_nos[2], copies=4, fee_exemption="pension")
    day = list_day(platform.uow(mayor), clerk, today_jst())
    supervisor = context(platform, mayor, "registry_supervisor")
    j = journal(platform.uow(mayor), supervisor, today_jst())

    assert len(day.issuances) == 5 and day.takings == sum(v.fee for v in day.issuances) == 1800
    assert (j.count, j.copies, j.fee) == (5, 11, 1800) == (
        sum(x.count for x in j.lines), sum(x.copies for x in j.lines), sum(x.fee for x in j.lines))
    assert j.fee == day.takings
    by_kind = {x.kind: (x.count, x.copies, x.charged_copies, x.fee, x.exempt_copies) for x in j.lines}
    assert by_kind == {"juminhyo": (4, 8, 3, 900, 5), "kisai_jiko": (1, 3, 3, 900, 0)}
    by_reason = {x.reason: (x.label, x.count, x.copies, x.waived) for x in j.exemptions}
    assert by_reason == {"public_use": ("公用（国・地方公共団体の請求）", 1, 1, 300),
                         "pension": ("年金・恩給・手当の請求に用いる", 1, 4, 1200)}
    assert (j.exempt_count, j.exempt_copies, j.waived) == (2, 5, 1500)
    assert journal(platform.uow(mayor), supervisor, date(2001, 1, 1)).count == 0


def test_the_journal_is_the_supervisors(platform, mayor, clerk):
    from municloud.errors import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        journal(platform.uow(mayor), clerk, today_jst())


def test_the_status_of_an_issue_number_shows_the_register_and_its_verifications(platform, clerk, home):
    issued = issue(platform, clerk, atena_no=home.atena_nos[0])
    status = issuance_status(platform.uow(clerk.tenant_code), clerk, issued.issue_no)
    assert status.document.issue_no == issued.issue_no and status.document.sha256 == issued.sha256
    assert status.document.has_code and status.document.confirmed == 0 and status.receipt is None
    assert status.issuance.atena_nos == home.atena_nos[:1]
