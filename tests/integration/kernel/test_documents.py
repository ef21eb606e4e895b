"""Issued documents: numbered per tenant, registered by SHA-256, verifiable without personal data."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from municloud.errors import NotFoundError
from municloud.kernel.documents.pdf import FONT_FAMILY, minimal_page, page_count, render_pdf
from municloud.kernel.documents.seal import official_seal_svg, seal_legend
from municloud.kernel.documents.services import issue_document, verify_document
from tests.factories import audit_entries, context


def _page(stamp) -> str:
    return (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>body{{font-family:{FONT_FAMILY}}}'
        f"</style></head><body><p>発行番号 {stamp.issue_no}</p>{stamp.qr_svg}</body></html>"
    )


def _issue(platform, tenant, ctx):
    uow = platform.uow(tenant)
    with uow:
        issued = issue_document(uow, ctx, kind="test:document", title="試験証明書", render_html=_page,
                                subjects=["resident:0000000001"])
        uow.commit()
    return issued


def pdf_text(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_documents_are_numbered_per_tenant_and_year(platform, nagai, hiroshima):
    clerk = context(platform, nagai, "registry_clerk")
    first, second = _issue(platform, nagai, clerk), _issue(platform, nagai, clerk)
    other = _issue(platform, hiroshima, context(platform, hiroshima, "registry_clerk"))
    assert first.issue_no.startswith("062090-") and first.issue_no.endswith("-000001")
    assert second.issue_no.endswith("-000002")
    assert other.issue_no.startswith("341002-") and other.issue_no.endswith("-000001")
    assert [e.action for e in audit_entries(platform, nagai, "kernel:document:issue")] == ["kernel:document:issue"] * 2


def test_the_issue_number_is_printed_in_the_pdf(platform, nagai, tmp_path):
    issued = _issue(platform, nagai, context(platform, nagai, "registry_clerk"))
    assert issued.pdf.startswith(b"%PDF") and issued.pages == 1
    assert issued.issue_no in pdf_text(issued.pdf, tmp_path)


def test_anyone_can_verify_a_number_and_the_very_file(platform, nagai):
    issued = _issue(platform, nagai, context(platform, nagai, "registry_clerk"))
    plain = verify_document(platform.uow(None), issued.issue_no)
    assert (plain.tenant_name, plain.title, plain.sha256, plain.matches) == ("長井市", "試験証明書", issued.sha256, None)
    assert verify_document(platform.uow(None), issued.issue_no, pdf=issued.pdf).matches is True
    assert verify_document(platform.uow(None), issued.issue_no, pdf=issued.pdf + b"\n").matches is False
    assert verify_document(platform.uow(None), issued.issue_no, sha256=issued.sha256.upper()).matches is True
    assert [e.actor for e in audit_entries(platform, nagai, "kernel:document:verify")] == ["public"] * 4


@pytest.mark.parametrize("number", ["062090-2026-999999", "nonsense", "999999-2026-000001"])
def test_an_unknown_number_is_not_found(platform, nagai, number):
    with pytest.raises(NotFoundError) as caught:
        verify_document(platform.uow(None), number)
    assert caught.value.code == "DOCUMENT_NOT_FOUND"


def test_the_official_seal_reads_title_then_no_in(platform):
    assert seal_legend("長井市長") == "長井市長之印"
    svg = official_seal_svg("長井市長")
    assert svg.startswith("<svg") and all(ch in svg for ch in "長井市長之印")


def test_a_minimal_page_renders_with_the_certificate_font(tmp_path):
    pdf = render_pdf(minimal_page())
    assert page_count(pdf) == 1
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    path = tmp_path / "minimal.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "IPAmj" in fonts
