"""The certificate window on the screens: the fee × copies on the confirmation before
issuing, 免除 and 本人確認書類 chosen from their lists (no number anywhere), the day's
交付履歴 with its takings and 領収書, a resident's 交付履歴, a 発行番号's state, and the
日計表 the supervisor prints."""

from __future__ import annotations

import re

import tests.integration.screens.test_certificate_screens as certificate_screens
from tests.factories import audit_entries, context, registry_footprint
from tests.integration.certificates.helpers import has, issue, pages
from tests.integration.certificates.test_issuance_window import rows as issuances
from tests.integration.certificates.test_journal_sources import seal_certificate
from tests.integration.screens.helpers import csrf_of, text_of, unlabelled_fields
from tests.integration.screens.test_certificate_screens import form_data, open_certificate
from tests.integration.screens.test_notification_screens import fields_of

mayor, home = certificate_screens.mayor, certificate_screens.home  # the same fixtures: 長井市 with its mayor, a family


def flat(page: str) -> str:
    """The page's text with each run of white space as one space (table cells in a row)."""
    return " ".join(text_of(page).split())


def table_rows(page: str) -> list[list[str]]:
    """Each table row of the page as the text of its cells."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", page, re.S)
    return [[" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
            for r in rows]


def confirm(b, tenant: str, page: str, **changes):
    return b.post(f"/t/{tenant}/certificates/new", data={**form_data(page, **changes), "action": "check"})


def issue_from(b, tenant: str, confirmation: str):
    data = fields_of(confirmation, "/certificates/new", lists=("members", "options", "items"))
    return b.post(f"/t/{tenant}/certificates/new", data={**data, "action": "issue"})


def test_the_form_offers_the_lists_and_the_fee_and_no_field_for_a_document_number(signed_in, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    assert unlabelled_fields(page) == []
    assert '<select id="f-identity_document" name="identity_document"' in page
    assert '<option value="driver_license">運転免許証</option>' in page
    assert '<option value="public_use">公用（国・地方公共団体の請求）</option>' in page
    assert "1通 300円（本日現在）× 通数" in text_of(page)
    names = set(re.findall(r'name="([^"]+)"', page))
    assert not any("number" in n or n.endswith("_no") and n not in ("atena_no", "setai_no") for n in names), names
    assert 'value="check"' in page and "入力内容を確認する（手数料を表示）" in page


def test_the_confirmation_shows_fee_times_copies_then_issues_with_the_identity_document(signed_in, platform, mayor,
                                                                                        home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    confirmation = confirm(b, mayor, page, requester_name="山田　太郎", copies="2",
                           identity_document="my_number_card")
    assert confirmation.status_code == 200, text_of(confirmation.text)[:2000]
    shown = text_of(confirmation.text)
    assert "600円（1通 300円 × 2通）" in shown and "まだ交付していません" in shown
    assert "マイナンバーカード（個人番号カード）" in shown and "山田　太郎（本人）" in shown
    assert registry_footprint(platform, mayor)["registry_certificate_issuances"] == 0
    assert [e.outcome for e in audit_entries(platform, mayor, "registry:certificate:check")] == ["success"]

    response = issue_from(b, mayor, confirmation.text)
    assert response.headers["content-type"] == "application/pdf", text_of(response.text)[:2000]
    [row] = issuances(platform, mayor)
    assert (row.issue_no, row.copies, row.fee, row.identity_document) == (
        response.headers["x-issue-number"], 2, 600, "my_number_card")


def test_an_exemption_is_shown_as_0_yen_with_its_reason_and_recorded(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    confirmation = confirm(b, mayor, page, requester_type="public_office", requester_name="長井市福祉事務所",
                           purpose="生活保護の決定のため", copies="3", fee_exemption="public_assistance")
    shown = text_of(confirmation.text)
    assert "0円（免除：生活保護の受給者（保護の手続に用いる）。本来は1通 300円 × 3通 ＝ 900円）" in shown
    issue_from(b, mayor, confirmation.text)
    [row] = issuances(platform, mayor)
    assert (row.fee, row.unit_fee, row.fee_exemption) == (0, 300, "public_assistance")


def test_edit_goes_back_to_the_form_with_the_input_kept(signed_in, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    confirmation = confirm(b, mayor, page, requester_name="山田　太郎", fee_exemption="pension")
    data = fields_of(confirmation.text, "/certificates/new", lists=("members", "options", "items"))
    back = b.post(f"/t/{mayor}/certificates/new", data={**data, "action": "edit"})
    assert back.status_code == 200 and 'value="山田　太郎"' in back.text
    assert '<option value="pension" selected>' in back.text


def test_an_unknown_code_is_refused_on_its_field(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    response = confirm(b, mayor, page, requester_name="山田　太郎", identity_document="D1234567890")
    assert response.status_code == 422
    assert 'href="#f-identity_document"' in response.text and "一覧から選んでください" in response.text
    assert registry_footprint(platform, mayor)["registry_certificate_issuances"] == 0


def test_the_days_list_shows_who_issued_what_to_whom_and_the_takings(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    issue_from(b, mayor, confirm(b, mayor, page, requester_name="山田　太郎", copies="2",
                                 identity_document="driver_license").text)
    issue_from(b, mayor, confirm(b, mayor, page, requester_type="third_party", requester_name="某　債権者",
                                 purpose="訴訟の提起のため").text)
    issue_from(b, mayor, confirm(b, mayor, page, requester_type="public_office", requester_name="長井警察署",
                                 purpose="捜査のため", fee_exemption="public_use").text)
    listing = b.get(f"/t/{mayor}/certificates/issued")
    assert listing.status_code == 200
    shown = text_of(listing.text)
    assert "手数料の合計：900円（3件、4通）" in shown
    for text in ("山田　太郎（本人）", "運転免許証", "某　債権者（第三者）", "目的：訴訟の提起のため",
                 "免除：公用（国・地方公共団体の請求）", b.username):
        assert text in shown, text
    first, second, third = issuances(platform, mayor)
    assert f'href="/t/{mayor}/certificates/issued/{first.issue_no}"' in listing.text
    assert listing.text.count('>領収書</button>') == 2  # the paid ones only
    assert [e.outcome for e in audit_entries(platform, mayor, "registry:certificate:day")] == ["success"]


def test_the_receipt_is_issued_once_from_the_days_list(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    issue_from(b, mayor, confirm(b, mayor, page, requester_name="山田　太郎", copies="2").text)
    [row] = issuances(platform, mayor)
    listing = b.get(f"/t/{mayor}/certificates/issued").text
    receipt = b.post(f"/t/{mayor}/certificates/issued/{row.issue_no}/receipt", data={"csrf_token": csrf_of(listing)})
    assert receipt.headers["content-type"] == "application/pdf"
    [sheet] = pages(receipt.content)
    assert has(sheet, "領収書") and has(sheet, "山田　太郎様") and has(sheet, "金額600円") and has(sheet, row.issue_no)
    again = b.post(f"/t/{mayor}/certificates/issued/{row.issue_no}/receipt", data={"csrf_token": csrf_of(listing)})
    assert again.status_code == 409 and "領収書は発行済みです" in text_of(again.text)
    assert receipt.headers["x-issue-number"] in text_of(b.get(f"/t/{mayor}/certificates/issued").text)


def test_the_state_of_an_issue_number_shows_the_register_and_verifications(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    pdf = issue_from(b, mayor, confirm(b, mayor, page, requester_name="山田　太郎").text)
    issue_no = pdf.headers["x-issue-number"]
    state = b.get(f"/t/{mayor}/certificates/issued/{issue_no}")
    shown = text_of(state.text)
    assert state.status_code == 200 and issue_no in shown
    import hashlib
    assert hashlib.sha256(pdf.content).hexdigest() in shown
    assert "確認 0回・同じファイルと照合 0回・違うファイル 0回" in shown and "領収書を発行する（PDF）" in shown


def test_the_resident_page_links_to_the_residents_history(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    issue_from(b, mayor, confirm(b, mayor, page, requester_name="山田　太郎", fee_exemption="disaster",
                                 members=[home.atena_nos[0]]).text)
    resident = b.get(f"/t/{mayor}/residents/{home.atena_nos[0]}").text
    assert f'href="/t/{mayor}/residents/{home.atena_nos[0]}/certificates"' in resident
    history = b.get(f"/t/{mayor}/residents/{home.atena_nos[0]}/certificates")
    shown = text_of(history.text)
    assert history.status_code == 200 and "（1件）" in shown and "免除：災害のり災者" in shown
    other = flat(b.get(f"/t/{mayor}/residents/{home.atena_nos[2]}/certificates").text)
    assert "（0件）" in other and "交付した証明書はありません" in other


def test_the_supervisor_prints_the_journal_and_a_clerk_may_not(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    issue_from(b, mayor, confirm(b, mayor, page, requester_name="山田　太郎", copies="2").text)
    issue_from(b, mayor, confirm(b, mayor, page, certificate="kisai_jiko", items=["address"],
                                 requester_name="山田　太郎").text)
    issue_from(b, mayor, confirm(b, mayor, page, requester_name="長井市税務課", requester_type="public_office",
                                 purpose="課税", fee_exemption="public_use", copies="3").text)
    assert b.get(f"/t/{mayor}/certificates/journal").status_code == 403
    supervisor = signed_in(mayor, "registry_supervisor")
    journal = supervisor.get(f"/t/{mayor}/certificates/journal")
    assert journal.status_code == 200
    rows = table_rows(journal.text)
    assert ["住民票の写し", "2", "5", "2", "3", "600円"] in rows
    assert ["住民票記載事項証明書", "1", "1", "1", "0", "300円"] in rows
    assert ["合計", "3", "6", "3", "3", "900円"] in rows  # each figure the sum of the rows above
    assert ["公用（国・地方公共団体の請求）", "1", "3", "900円"] in rows and ["合計", "1", "3", "900円"] in rows
    assert ["担当", "照合", "責任者"] in rows
    assert "手数料の合計（収納額）900円" in flat(journal.text)
    assert 'href="/static/issuance.css"' in journal.text
    assert "@media print" in supervisor.get("/static/issuance.css").text
    assert "交付日計表" in supervisor.get(f"/t/{mayor}/").text  # in the supervisor's menu
    assert "交付日計表" not in b.get(f"/t/{mayor}/").text



def test_the_seal_certificates_are_in_the_journal_and_the_takings(signed_in, platform, mayor, home):
    clerk = context(platform, mayor, "registry_clerk")
    issue(platform, clerk, atena_no=home.atena_nos[0], copies=2)
    seal_certificate(platform, mayor, copies=1)
    journal = signed_in(mayor, "registry_supervisor").get(f"/t/{mayor}/certificates/journal")
    rows = table_rows(journal.text)
    assert ["住民票の写し", "1", "2", "2", "0", "600円"] in rows
    assert ["印鑑登録証明書", "1", "1", "1", "0", "300円"] in rows
    assert ["合計", "2", "3", "3", "0", "900円"] in rows and "手数料の合計（収納額）900円" in flat(journal.text)
    listing = text_of(signed_in(mayor, "registry_clerk").get(f"/t/{mayor}/certificates/issued").text)
    assert "手数料の合計：900円（証明書 1件、2通 600円、印鑑登録証明書 1件、1通 300円）" in listing

def test_a_bad_day_is_explained(signed_in, mayor):
    supervisor = signed_in(mayor, "registry_supervisor")
    response = supervisor.get(f"/t/{mayor}/certificates/journal", params={"day": "きのう"})
    assert response.status_code == 422 and 'href="#f-day"' in response.text


def test_a_request_that_would_be_held_says_so_on_the_confirmation_and_holds_nothing(signed_in, platform, supervisor,
                                                                                    mayor, home):
    from municloud.modules.registry.services.support import start_support_measure
    from tests.factories import support_measure

    start_support_measure(platform.uow(mayor), supervisor, home.atena_nos[1], support_measure())
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    confirmation = confirm(b, mayor, page, requester_type="third_party", requester_name="債権回収　株式会社",
                           purpose="債権回収のため")
    assert confirmation.status_code == 200
    assert "このまま交付すると保留になります" in text_of(confirmation.text)
    assert registry_footprint(platform, mayor)["registry_support_holds"] == 0
    held = issue_from(b, mayor, confirmation.text)
    assert held.status_code == 202 and "保留しました（保留番号 1）" in text_of(held.text)


def test_the_journal_links_the_day_before_and_not_a_day_after_today(signed_in, mayor):
    from datetime import timedelta

    from municloud.kernel.clock import today_jst

    supervisor = signed_in(mayor, "registry_supervisor")
    today = today_jst()
    page = supervisor.get(f"/t/{mayor}/certificates/journal").text
    assert f"journal?day={(today - timedelta(days=1)).isoformat()}" in page
    assert f"journal?day={(today + timedelta(days=1)).isoformat()}" not in page
    earlier = supervisor.get(f"/t/{mayor}/certificates/journal", params={"day": "2026-01-05"}).text
    assert "journal?day=2026-01-06" in earlier and "この日に交付した証明書はありません" in earlier
