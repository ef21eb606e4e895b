"""Issued documents: numbered per tenant, registered by SHA-256, verifiable with the number and the code
printed beside it, without personal data; verifications are counted, not chained."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from sqlalchemy import text

from municloud.errors import NotFoundError, PermissionDeniedError
from municloud.kernel.clock import today_jst
from municloud.kernel.documents.codes import code_hash
from municloud.kernel.documents.pdf import FONT_FAMILY, minimal_page, page_count, render_pdf
from municloud.kernel.documents.qr import qr_svg
from municloud.kernel.documents.seal import official_seal_svg, seal_legend
from municloud.kernel.documents.services import issue_document
from municloud.kernel.documents.verification import list_verifications, verify_document
from tests.factories import audit_entries, context


def _page(stamp) -> str:
    return (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>body{{font-family:{FONT_FAMILY}}}'
        f"</style></head><body><p>発行番号 {stamp.issue_no}　確認コード {stamp.verify_code}</p>{stamp.qr_svg}"
        f"</body></html>"
    )


def _issue(platform, tenant, ctx, stamps: list | None = None):
    def render(stamp):
        if stamps is not None:
            stamps.append(stamp)
        return _page(stamp)

    uow = platform.uow(tenant)
    with uow:
        issued = issue_document(uow, ctx, kind="test:document", title="試験証明書", render_html=render,
                                subjects=["resident:0000000001"])
        uow.commit()
    return issued


def pdf_text(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _verify(platform, issue_no, code, **kw):
    return verify_document(platform.uow(None), issue_no, code, **kw)


def _counts(platform, tenant):
    auditor = context(platform, tenant, "auditor")
    return {(c.issue_no, c.day): (c.confirmed, c.matched, c.mismatched, c.refused)
            for c in list_verifications(platform.uow(tenant), auditor)}


def test_documents_are_numbered_per_tenant_and_year(platform, nagai, hiroshima):
    clerk = context(platform, nagai, "registry_clerk")
    first, second = _issue(platform, nagai, clerk), _issue(platform, nagai, clerk)
    other = _issue(platform, hiroshima, context(platform, hiroshima, "registry_clerk"))
    assert first.issue_no.startswith("062090-") and first.issue_no.endswith("-000001")
    assert second.issue_no.endswith("-000002")
    assert other.issue_no.startswith("341002-") and other.issue_no.endswith("-000001")
    assert [e.action for e in audit_entries(platform, nagai, "kernel:document:issue")] == ["kernel:document:issue"] * 2


def test_the_issue_number_and_its_code_are_printed_in_the_pdf(platform, nagai, tmp_path):
    issued = _issue(platform, nagai, context(platform, nagai, "registry_clerk"))
    assert issued.pdf.startswith(b"%PDF") and issued.pages == 1
    text = pdf_text(issued.pdf, tmp_path)
    assert issued.issue_no in text and issued.verify_code in text


def test_every_document_gets_its_own_random_code_carried_in_the_qr_url(platform, nagai):
    stamps = []
    clerk = context(platform, nagai, "registry_clerk")
    issued = [_issue(platform, nagai, clerk, stamps) for _ in range(3)]
    assert len({i.verify_code for i in issued}) == 3
    for stamp, doc in zip(stamps, issued, strict=True):
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", doc.verify_code)
        assert stamp.verify_code == doc.verify_code
        assert stamp.verify_url == f"{platform.settings.public_url}/verify/{doc.issue_no}?code={doc.verify_code}"
        assert stamp.qr_svg == qr_svg(stamp.verify_url)  # the QR code encodes exactly that URL


def test_the_register_keeps_a_hash_of_the_code_never_the_code(platform, nagai):
    issued = _issue(platform, nagai, context(platform, nagai, "registry_clerk"))
    with platform.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM issued_documents")).mappings().one()
    bare = issued.verify_code.replace("-", "")
    assert row["code_hash"] == code_hash(issued.issue_no, bare)
    assert not any(bare in str(value) or issued.verify_code in str(value) for value in row.values())
    assert all(issued.verify_code not in e.detail for e in audit_entries(platform, nagai))


def test_anyone_with_number_and_code_can_verify_the_number_and_the_very_file(platform, nagai):
    issued = _issue(platform, nagai, context(platform, nagai, "registry_clerk"))
    code = issued.verify_code
    plain = _verify(platform, issued.issue_no, code)
    assert (plain.tenant_name, plain.title, plain.sha256, plain.matches) == ("長井市", "試験証明書", issued.sha256, None)
    assert _verify(platform, issued.issue_no, code, pdf=issued.pdf).matches is True
    assert _verify(platform, issued.issue_no, code, pdf=issued.pdf + b"\n").matches is False
    assert _verify(platform, issued.issue_no, code, sha256=issued.sha256.upper()).matches is True
    typed = "　".join(code.lower().replace("0", "o").replace("1", "l").split("-"))  # as a person may type it
    assert _verify(platform, issued.issue_no, typed).matches is None


def test_a_wrong_or_missing_code_is_answered_as_a_number_never_issued(platform, nagai):
    issued = _issue(platform, nagai, context(platform, nagai, "registry_clerk"))
    other = _issue(platform, nagai, context(platform, nagai, "registry_clerk"))
    unknown_no = f"{nagai}-2026-999999"
    answers = []
    for number, code in ((unknown_no, issued.verify_code), (issued.issue_no, None), (issued.issue_no, ""),
                         (issued.issue_no, "ZZZZZ-ZZZZZ"), (issued.issue_no, other.verify_code),
                         (issued.issue_no, issued.verify_code[:-1]), ("nonsense", None)):
        with pytest.raises(NotFoundError) as caught:
            _verify(platform, number, code, pdf=issued.pdf)
        answers.append((type(caught.value), caught.value.code, caught.value.message, str(caught.value.fields)))
    assert len(set(answers)) == 1 and answers[0][1] == "DOCUMENT_NOT_FOUND"
    assert issued.issue_no not in answers[0][2]


def test_verifications_are_counted_per_document_and_day_without_growing_the_audit_chain(platform, nagai):
    issued = _issue(platform, nagai, context(platform, nagai, "registry_clerk"))
    chain_before = len(audit_entries(platform, nagai))
    _verify(platform, issued.issue_no, issued.verify_code)
    _verify(platform, issued.issue_no, issued.verify_code)
    _verify(platform, issued.issue_no, issued.verify_code, pdf=issued.pdf)
    _verify(platform, issued.issue_no, issued.verify_code, pdf=b"%PDF-forged")
    for number, code in ((issued.issue_no, "ZZZZZ-ZZZZZ"), (f"{nagai}-2026-999999", issued.verify_code)):
        with pytest.raises(NotFoundError):
            _verify(platform, number, code)
    assert len(audit_entries(platform, nagai)) == chain_before  # anonymous look-ups add nothing to the chain
    today = today_jst()
    assert _counts(platform, nagai) == {(issued.issue_no, today): (2, 1, 1, 1), ("", today): (0, 0, 0, 1)}
    with platform.engine.connect() as conn:
        columns = list(conn.execute(text("SELECT * FROM document_verifications")).keys())
    assert not any("addr" in c or "client" in c for c in columns)


def test_only_the_auditor_reads_the_counts_and_the_look_is_audited(platform, nagai):
    issued = _issue(platform, nagai, context(platform, nagai, "registry_clerk"))
    _verify(platform, issued.issue_no, issued.verify_code)
    clerk = context(platform, nagai, "registry_clerk")
    with pytest.raises(PermissionDeniedError):
        list_verifications(platform.uow(nagai), clerk)
    [count] = list_verifications(platform.uow(nagai), context(platform, nagai, "auditor"))
    assert (count.issue_no, count.title, count.confirmed) == (issued.issue_no, "試験証明書", 1)
    assert [e.outcome for e in audit_entries(platform, nagai, "kernel:verification:read")] == ["denied", "success"]


def test_a_document_issued_before_codes_existed_is_verified_by_its_very_file_only(platform, nagai):
    issued = _issue(platform, nagai, context(platform, nagai, "registry_clerk"))
    with platform.engine.begin() as conn:
        conn.execute(text("UPDATE issued_documents SET code_hash = NULL"))
    assert _verify(platform, issued.issue_no, None, pdf=issued.pdf).matches is True
    assert _verify(platform, issued.issue_no, None, sha256=issued.sha256).matches is True
    for kw in ({}, {"pdf": issued.pdf + b"x"}, {"sha256": "0" * 64}):
        with pytest.raises(NotFoundError):
            _verify(platform, issued.issue_no, issued.verify_code, **kw)


@pytest.mark.parametrize("number", ["062090-2026-999999", "nonsense", "999999-2026-000001", "062090-" + "9" * 40])
def test_an_unknown_number_is_not_found(platform, nagai, number):
    with pytest.raises(NotFoundError) as caught:
        _verify(platform, number, "ABCDE-FGHJK")
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
