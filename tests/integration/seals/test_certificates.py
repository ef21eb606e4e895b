"""The 印鑑登録証明書: issued only on the right 印鑑登録証, with the impression at its real size."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from municloud.errors import PermissionDeniedError, ValidationError
from municloud.kernel.documents.verification import verify_document
from municloud.kernel.parameters.services import set_override
from municloud.modules.seals.orm import SealCertificateIssue
from tests.factories import audit_entries, context
from tests.integration.certificates.helpers import assert_code_printed_and_in_the_qr, capture_html
from tests.integration.seals.support import (
    certificate,
    end,
    pdf_images,
    pdf_text,
    register,
    resident,
)
from tests.unit.seals.impressions import jpeg, png

ATTESTATION = "この写しは、登録されている印影と相違ないことを証明する。"


@pytest.fixture
def registered(platform, nagai, clerk):
    """A resident named 髙橋 (a rare kanji) with a 15 mm seal registered: (宛名番号, result)."""
    admin = context(platform, nagai, "tenant_admin")
    for key, value in (("tenant.mayor.title", "長井市長"), ("tenant.mayor.name", "内谷　重治")):
        set_override(platform.uow(nagai), admin, key, date(2020, 4, 1), value, "市長の就任")
    atena_no = resident(platform, clerk, "髙橋　一郎", "タカハシ　イチロウ", "1980-04-01")
    return atena_no, register(platform, clerk, atena_no, "15", png(240))


def test_the_certificate_shows_the_name_the_attestation_and_the_impression(platform, nagai, clerk, registered, tmp_path):
    atena_no, seal = registered
    issued = certificate(platform, clerk, atena_no, seal.card_no)
    assert issued.pdf.startswith(b"%PDF") and issued.pages == 1
    text = pdf_text(issued.pdf, tmp_path)
    assert "髙橋" in text and "\u9ad9" in text  # 髙 (はしごだか) itself, not 高
    compact = "".join(text.split())  # pdftotext renders the full-width space as a gap
    for expected in ("印鑑登録証明書", "髙橋一郎", ATTESTATION, "昭和55年4月1日", "男", "山形県長井市本町一丁目1番1号",
                     "長井市長", "内谷重治", "令和", issued.issue_no):
        assert expected in compact, expected
    [image] = pdf_images(issued.pdf, tmp_path)
    assert (image["width"], image["height"]) == ("240", "240")
    assert abs(int(image["x-ppi"]) - 406) <= 1  # 240 px over 15 mm: printed at its real size


def test_a_jpeg_impression_is_embedded_as_a_jpeg(platform, nagai, clerk, tmp_path):
    atena_no = resident(platform, clerk)
    seal = register(platform, clerk, atena_no, "20", jpeg(300))
    [image] = pdf_images(certificate(platform, clerk, atena_no, seal.card_no).pdf, tmp_path)
    assert image["enc"] == "jpeg" and abs(int(image["x-ppi"]) - 381) <= 1  # 300 px over 20 mm


def test_each_copy_is_a_page_and_the_fee_is_recorded_in_the_issue_history(platform, nagai, clerk, registered):
    atena_no, seal = registered
    issued = certificate(platform, clerk, atena_no, seal.card_no, copies=3, requester="代理人", purpose="不動産登記")
    assert (issued.pages, issued.copies, issued.fee_total) == (3, 3, 900)
    with platform.session_factory() as s:
        row = s.scalars(select(SealCertificateIssue)).one()
    assert (row.issue_no, row.copies, row.fee_per_copy, row.fee_total, row.requester, row.purpose) == (
        issued.issue_no, 3, 300, 900, "代理人", "不動産登記")
    assert row.registration_no == seal.registration_no and row.issued_by == clerk.actor


def test_the_fee_follows_the_tenants_parameter(platform, nagai, clerk, registered):
    atena_no, seal = registered
    admin = context(platform, nagai, "tenant_admin")
    set_override(platform.uow(nagai), admin, "seals.certificate.fee", date(2020, 4, 1), 200, "手数料条例")
    assert certificate(platform, clerk, atena_no, seal.card_no, copies=2).fee_total == 400


def test_the_certificate_is_numbered_registered_and_verifiable(platform, nagai, clerk, registered, monkeypatch):
    atena_no, seal = registered
    html = capture_html(monkeypatch)
    issued = certificate(platform, clerk, atena_no, seal.card_no, copies=2)
    code = assert_code_printed_and_in_the_qr(issued.pdf, html[-1], platform.settings.public_url, issued.issue_no)
    check = verify_document(platform.uow(None), issued.issue_no, code, pdf=issued.pdf)
    assert (check.title, check.matches, check.tenant_name) == ("印鑑登録証明書", True, "長井市")
    [entry] = audit_entries(platform, nagai, "seals:certificate:issue")
    assert entry.outcome == "success" and f"document:{issued.issue_no}" in entry.subjects
    assert len(audit_entries(platform, nagai, "kernel:document:issue")) == 1


def test_a_wrong_card_number_is_refused_with_a_clear_message_and_audited(platform, nagai, clerk, registered):
    atena_no, seal = registered
    with pytest.raises(ValidationError) as caught:
        certificate(platform, clerk, atena_no, "12345678")
    assert caught.value.code == "SEALS_CARD_MISMATCH" and "一致しません" in caught.value.message
    assert "card_no" in caught.value.fields
    [denied] = audit_entries(platform, nagai, "seals:certificate:issue")
    assert (denied.outcome, denied.actor) == ("denied", clerk.actor) and "SEALS_CARD_MISMATCH" in denied.detail
    assert audit_entries(platform, nagai, "kernel:document:issue") == []  # nothing issued, nothing numbered
    with platform.session_factory() as s:
        assert s.scalars(select(SealCertificateIssue)).all() == []


def test_a_lost_card_is_refused_even_after_re_registration(platform, nagai, clerk, registered):
    atena_no, seal = registered
    end(platform, clerk, seal.registration_no, "lost")
    with pytest.raises(ValidationError) as caught:
        certificate(platform, clerk, atena_no, seal.card_no)
    assert caught.value.code == "SEALS_CARD_LOST" and "亡失" in caught.value.message
    new = register(platform, clerk, atena_no)
    with pytest.raises(ValidationError, match="亡失"):
        certificate(platform, clerk, atena_no, seal.card_no)
    assert certificate(platform, clerk, atena_no, new.card_no).pages == 1
    outcomes = [e.outcome for e in audit_entries(platform, nagai, "seals:certificate:issue")]
    assert outcomes == ["denied", "denied", "success"]


def test_the_old_card_of_a_replaced_registration_is_refused(platform, nagai, clerk, registered):
    atena_no, seal = registered
    register(platform, clerk, atena_no)
    with pytest.raises(ValidationError) as caught:
        certificate(platform, clerk, atena_no, seal.card_no)
    assert caught.value.code == "SEALS_CARD_ENDED"


def test_a_person_without_a_registration_gets_no_certificate(platform, nagai, clerk):
    with pytest.raises(ValidationError) as caught:
        certificate(platform, clerk, resident(platform, clerk), "00000001")
    assert caught.value.code == "SEALS_NOT_REGISTERED"


def test_a_viewer_cannot_issue_a_certificate(platform, nagai, registered):
    atena_no, seal = registered
    with pytest.raises(PermissionDeniedError):
        certificate(platform, context(platform, nagai, "registry_viewer"), atena_no, seal.card_no)
