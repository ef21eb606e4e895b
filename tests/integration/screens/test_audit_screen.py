"""The auditor's screens: filters, chain status, verification counts, refusal for everyone else."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, update

from municloud.errors import NotFoundError
from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.documents.pdf import minimal_page
from municloud.kernel.documents.services import issue_document
from municloud.kernel.documents.verification import verify_document
from tests.factories import audit_entries, context, door_refusals, family, search
from tests.integration.screens.helpers import csrf_of, text_of


def _rows(page: str) -> int:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr") - body.count("該当する記録はありません")


def test_the_auditor_sees_the_chain_status_and_filters_by_actor(signed_in, platform, nagai, clerk):
    family(platform, clerk)
    staff = signed_in(nagai, "registry_clerk")
    staff.get(f"/t/{nagai}/residents", params={"q": "ヤマダ"})
    auditor = signed_in(nagai, "auditor")
    page = auditor.get(f"/t/{nagai}/audit", params={"actor": staff.username})
    assert page.status_code == 200
    text = text_of(page.text)
    assert "正常" in text and "不整合はありません" in text
    assert "住民の検索" in text and "registry:resident:search" in text
    assert _rows(page.text) == len(audit_entries(platform, nagai)) - len(
        [e for e in audit_entries(platform, nagai) if e.actor != staff.username])
    assert clerk.actor not in text.split("監査ログ（新しい順")[1]  # only the chosen actor's entries


def test_the_auditor_filters_by_resident_action_and_period_in_wareki(signed_in, platform, nagai, clerk,
                                                                     supervisor):
    head = family(platform, clerk).atena_nos[0]
    boss = signed_in(nagai, "registry_supervisor")
    page = boss.get(f"/t/{nagai}/residents/{head}").text
    boss.client.post(f"/t/{nagai}/residents/{head}/my-number", data={"csrf_token": csrf_of(page)})
    auditor = signed_in(nagai, "auditor")
    page = auditor.get(f"/t/{nagai}/audit", params={
        "atena_no": head, "action": "registry:my_number:view", "since": "令和元年5月1日", "until": "2099-12-31"})
    assert page.status_code == 200
    assert _rows(page.text) == 1 and "表示あり" in page.text
    assert '<option value="registry:my_number:view" selected>' in page.text
    nothing = auditor.get(f"/t/{nagai}/audit", params={"atena_no": head, "until": "平成31年4月30日"})
    assert _rows(nothing.text) == 0


def test_a_wrong_period_date_is_reported_on_the_form(signed_in, nagai):
    auditor = signed_in(nagai, "auditor")
    page = auditor.get(f"/t/{nagai}/audit", params={"since": "昭和64年1月8日"})
    assert page.status_code == 422
    assert 'href="#f-since"' in page.text and "昭和64年" in text_of(page.text)


def test_a_broken_chain_names_the_first_bad_entry(signed_in, platform, nagai, clerk):
    family(platform, clerk)
    auditor = signed_in(nagai, "auditor")
    with platform.session_factory() as s:
        victim = s.scalars(select(AuditEntry.seq).where(AuditEntry.tenant_code == nagai)
                           .order_by(AuditEntry.seq).limit(1).offset(2).execution_options(all_tenants=True)).one()
        s.execute(update(AuditEntry).where(AuditEntry.tenant_code == nagai, AuditEntry.seq == victim)
                  .values(actor="someone-else").execution_options(all_tenants=True))
        s.commit()
    page = auditor.get(f"/t/{nagai}/audit")
    text = text_of(page.text)
    assert "不整合があります" in text and f"通番 {victim} " in text


def test_a_clerk_opening_the_auditor_screen_gets_a_japanese_403(signed_in, platform, nagai):
    b = signed_in(nagai, "registry_clerk")
    page = b.get(f"/t/{nagai}/audit")
    assert page.status_code == 403 and "権限がありません" in page.text
    assert [e.outcome for e in door_refusals(platform, nagai, "kernel:audit:read")] == ["denied"]
    assert audit_entries(platform, nagai, "kernel:audit:verify") == []  # refused before anything ran
    assert "監査ログ" not in text_of(b.get(f"/t/{nagai}/").text).split("行う業務を選んでください")[1]


def test_the_log_is_paged_newest_first(signed_in, platform, nagai, clerk):
    family(platform, clerk)
    for _ in range(55):
        search(platform, clerk, q="ヤマダ")
    auditor = signed_in(nagai, "auditor")
    first = auditor.get(f"/t/{nagai}/audit").text
    assert "次の50件" in first and _rows(first) == 50
    seqs = [int(s) for s in re.findall(r"<tr[^>]*>\s*<td>(\d+)</td>", first)]
    assert seqs == sorted(seqs, reverse=True)
    second = auditor.get(f"/t/{nagai}/audit", params={"page": 2}).text
    assert "前の50件" in second


def test_the_auditor_reads_the_counts_of_public_verifications_on_a_screen_of_their_own(signed_in, platform, nagai):
    uow = platform.uow(nagai)
    with uow:
        issued = issue_document(uow, context(platform, nagai, "registry_clerk"), kind="test:document",
                                title="試験証明書", subjects=[], render_html=lambda stamp: minimal_page(stamp.issue_no))
        uow.commit()
    verify_document(platform.uow(None), issued.issue_no, issued.verify_code)
    with pytest.raises(NotFoundError):
        verify_document(platform.uow(None), issued.issue_no, "ZZZZZ-ZZZZZ")
    auditor = signed_in(nagai, "auditor")
    log = auditor.get(f"/t/{nagai}/audit").text
    assert f'href="/t/{nagai}/audit/verifications"' in log
    page = auditor.get(f"/t/{nagai}/audit/verifications")
    assert page.status_code == 200
    cells = [text_of(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", page.text.split("<tbody>")[1])]
    assert cells[1:7] == [issued.issue_no, "試験証明書", "1", "0", "0", "1"]
    assert [e.outcome for e in audit_entries(platform, nagai, "kernel:verification:read")] == ["success"]
    clerk = signed_in(nagai, "registry_clerk").get(f"/t/{nagai}/audit/verifications")
    assert clerk.status_code == 403 and issued.issue_no not in clerk.text
