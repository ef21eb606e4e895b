"""印鑑登録の画面: registration (本人・代理人の照会書と回答書・保証人) with the image checked on
the confirmation before anything is written, the refusals explained, the 印鑑登録証, 亡失・廃止,
re-registration, the 印鑑登録証明書, the seal history on the resident page, CSRF and roles."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from municloud.modules.seals.orm import SealRegistration
from tests.factories import audit_entries, days_ago
from tests.integration.screens.helpers import csrf_of, text_of, unlabelled_fields
from tests.integration.screens.test_notification_screens import fields_of
from tests.integration.seals.support import pdf_text, register, resident
from tests.unit.seals.impressions import gif, png

MARK = "/seals/new"


def registrations(platform) -> list[SealRegistration]:
    with platform.session_factory() as s:
        return list(s.scalars(select(SealRegistration).order_by(SealRegistration.registration_no)))


def count(platform) -> int:
    with platform.session_factory() as s:
        return s.scalar(select(func.count()).select_from(SealRegistration))


def open_entry(b, tenant: str, atena_no: str) -> str:
    page = b.get(f"/t/{tenant}/seals/new", params={"atena_no": atena_no})
    assert page.status_code == 200, text_of(page.text)[:2000]
    return page.text


def send(b, tenant: str, page: str, changes: dict | None = None, *, image: bytes | None = None, action="confirm"):
    """Post the form on *page* as the browser does (multipart; the file input empty unless *image*)."""
    data = fields_of(page, MARK)
    data.pop("image", None)
    data.update(changes or {})
    data["action"] = action
    upload = ("inkan.png", image, "image/png") if image is not None else ("", b"", "application/octet-stream")
    return b.client.post(f"/t/{tenant}{MARK}", data=data, files={"image": upload})


def confirm(b, tenant: str, atena_no: str, changes: dict, image: bytes | None = None):
    changes = {"requester": "本人", "identity_method": "document", "size_mm": "15", **changes}
    return send(b, tenant, open_entry(b, tenant, atena_no), changes, image=png() if image is None else image)


def test_a_seals_clerk_lands_on_the_seal_screens(signed_in, nagai):
    b = signed_in(nagai, "seals_clerk")
    home = text_of(b.get(b.landing).text)
    assert "印鑑登録" in home and "印鑑登録証明書の交付" in home and "住民検索" in home
    assert "このロールで使える画面はありません" not in home
    assert b.get(f"/t/{nagai}/seals").status_code == 200


def test_the_confirmation_shows_the_image_and_its_measures_and_writes_nothing(signed_in, platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    b = signed_in(nagai, "seals_clerk")
    page = open_entry(b, nagai, atena_no)
    assert unlabelled_fields(page) == [] and 'enctype="multipart/form-data"' in page
    before = len(audit_entries(platform, nagai, "seals:registration:register"))
    shown = confirm(b, nagai, atena_no, {})
    assert shown.status_code == 200, text_of(shown.text)[:2000]
    text = text_of(shown.text)
    assert "まだ登録されていません" in text and "240×240ピクセル" in text and f"{len(png()):,}バイト" in text
    assert "15ミリメートル" in text and "PNG" in text and "約406dpi" in text
    assert 'src="data:image/png;base64,' in shown.text  # the preview of the very bytes to be stored
    assert count(platform) == 0
    assert len(audit_entries(platform, nagai, "seals:registration:register")) == before
    [check] = audit_entries(platform, nagai, "seals:registration:check")  # the look at the person is recorded
    assert f"resident:{atena_no}" in check.subjects

    done = send(b, nagai, shown.text, action="register")
    assert done.status_code == 200, text_of(done.text)[:2000]
    assert "印鑑登録証" in done.text and re.search(r'id="card-no">00000001<', done.text)
    [row] = registrations(platform)
    assert (row.atena_no, row.requester, row.identity_method, row.image) == (atena_no, "本人", "document", png())

    again = send(b, nagai, shown.text, action="register")  # the same confirmation sent twice
    assert again.status_code == 409 and "二重の送信" in text_of(again.text)
    assert count(platform) == 1


def test_refusals_are_explained_together_before_registering(signed_in, platform, nagai, clerk):
    child = resident(platform, clerk, "印影　次郎", "インエイ　ジロウ", days_ago(365 * 10))
    b = signed_in(nagai, "seals_clerk")
    response = confirm(b, nagai, child, {"adult_ward": "1", "size_mm": "30"})
    assert response.status_code == 422
    banner = text_of(response.text.split('class="banner-alert"', 1)[1].split("</div>", 1)[0])
    assert "この申請では印鑑を登録できません" in banner
    assert "15歳未満" in banner and "成年被後見人" in banner and "印影が大きすぎます" in banner
    assert count(platform) == 0
    page = response.text  # the image was kept: fixing the size alone is enough
    assert 'name="image_data" value="' in page and "添付済みの画像があります" in page
    assert 'id="kept-image"' in page and 'src="data:image/png;base64,' in page


def test_a_bad_image_is_refused_on_the_form(signed_in, platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    b = signed_in(nagai, "seals_clerk")
    response = confirm(b, nagai, atena_no, {}, image=gif())
    assert response.status_code == 422 and "PNG か JPEG" in text_of(response.text)
    assert 'id="f-image"' in response.text and 'aria-invalid="true"' in response.text


def test_an_agent_is_registered_only_on_the_answer_to_the_inquiry(signed_in, platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    b = signed_in(nagai, "seals_clerk")
    at_once = confirm(b, nagai, atena_no, {"requester": "代理人"})
    assert at_once.status_code == 422 and "照会書を本人の住所へ送付し" in text_of(at_once.text)
    no_answer = confirm(b, nagai, atena_no, {"requester": "代理人", "identity_method": "inquiry",
                                             "inquiry_sent_on": days_ago(7)})
    assert no_answer.status_code == 422 and "回答書" in text_of(no_answer.text)
    shown = confirm(b, nagai, atena_no, {"requester": "代理人", "identity_method": "inquiry",
                                         "inquiry_sent_on": days_ago(7), "answer_received": "1"})
    assert shown.status_code == 200, text_of(shown.text)[:2000]
    assert send(b, nagai, shown.text, action="register").status_code == 200
    [row] = registrations(platform)
    assert (row.requester, row.identity_method, row.inquiry_sent_on.isoformat()) == ("代理人", "inquiry", days_ago(7))


def test_a_guarantor_must_have_a_seal_registered_here(signed_in, platform, nagai, clerk):
    applicant = resident(platform, clerk)
    guarantor = resident(platform, clerk, "保証　花子", "ホショウ　ハナコ", "1970-01-01", "2")
    b = signed_in(nagai, "seals_clerk")
    refused = confirm(b, nagai, applicant, {"identity_method": "guarantor", "guarantor_atena_no": guarantor})
    assert refused.status_code == 422 and "印鑑の登録をしている方" in text_of(refused.text)
    register(platform, clerk, guarantor)
    shown = confirm(b, nagai, applicant, {"identity_method": "guarantor", "guarantor_atena_no": guarantor})
    assert shown.status_code == 200 and send(b, nagai, shown.text, action="register").status_code == 200
    assert registrations(platform)[-1].guarantor_atena_no == guarantor


def test_loss_then_reregistration_then_a_certificate(signed_in, platform, nagai, clerk, tmp_path):
    atena_no = resident(platform, clerk)
    first = register(platform, clerk, atena_no)
    b = signed_in(nagai, "seals_clerk")
    page = b.get(f"/t/{nagai}/seals/persons/{atena_no}")
    assert page.status_code == 200 and "登録中" in page.text and "******01" in page.text
    assert unlabelled_fields(page.text) == []
    assert b.get(f"/t/{nagai}/seals/registrations/{first.registration_no}/impression").content == png()

    end_url = f"/t/{nagai}/seals/registrations/{first.registration_no}/end"
    shown = b.client.post(end_url, data={"csrf_token": csrf_of(page.text), "atena_no": atena_no, "reason": "lost"})
    assert shown.status_code == 200 and "まだ登録されていません" in text_of(shown.text)
    assert registrations(platform)[0].status == "登録"
    done = b.client.post(end_url, data={"csrf_token": csrf_of(shown.text), "atena_no": atena_no, "reason": "lost",
                                        "action": "register"})
    assert done.status_code == 200 and "終了しました（亡失）" in text_of(done.text)
    twice = b.client.post(end_url, data={"csrf_token": csrf_of(shown.text), "atena_no": atena_no, "reason": "lost",
                                         "action": "register"})
    assert twice.status_code == 409 and "すでに終了しています" in text_of(twice.text)

    lost = issue(b, nagai, atena_no, first.card_no)
    assert lost.status_code == 422 and "亡失の届出がされています" in text_of(lost.text)

    shown = confirm(b, nagai, atena_no, {"size_mm": "12.5"})
    done = send(b, nagai, shown.text, action="register")
    assert done.status_code == 200 and re.search(r'id="card-no">00000002<', done.text)
    pdf = issue(b, nagai, atena_no, "00000002", copies="2")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["x-fee-total"] == "600"
    assert "印鑑登録証明書" in pdf_text(pdf.content, tmp_path)


def issue(b, tenant: str, atena_no: str, card_no: str, **extra):
    page = b.get(f"/t/{tenant}/seals/certificates/new", params={"atena_no": atena_no})
    assert page.status_code == 200 and unlabelled_fields(page.text) == []
    data = {**fields_of(page.text, "/seals/certificates/new"), "card_no": card_no, "requester": "本人",
            "identity_checked": "1", **extra}
    return b.client.post(f"/t/{tenant}/seals/certificates/new", data=data)


def test_a_certificate_needs_the_requester_and_the_right_card(signed_in, platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    register(platform, clerk, atena_no)
    b = signed_in(nagai, "seals_clerk")
    wrong = issue(b, nagai, atena_no, "12345678")
    assert wrong.status_code == 422 and "一致しません" in text_of(wrong.text)
    no_requester = issue(b, nagai, atena_no, "00000001", requester="")
    assert no_requester.status_code == 422 and "請求者（本人／代理人）を選んでください" in text_of(no_requester.text)


def test_the_resident_page_shows_the_seal_history_panel(signed_in, platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    register(platform, clerk, atena_no)
    register(platform, clerk, atena_no, "20")  # re-registration: the first one ends
    b = signed_in(nagai, "registry_clerk")
    page = b.get(f"/t/{nagai}/residents/{atena_no}").text
    panel = page.split('id="panel-seals"', 1)[1].split("</section>", 1)[0]
    assert "登録中：登録番号 2" in text_of(panel) and "再登録による廃止" in text_of(panel)
    looks = audit_entries(platform, nagai, "seals:registration:view")
    assert looks and f"resident:{atena_no}" in looks[-1].subjects


@pytest.mark.parametrize("role", ["tax_officer", "auditor"])
def test_roles_without_the_seal_permissions_are_refused(signed_in, platform, nagai, clerk, role):
    atena_no = resident(platform, clerk)
    b = signed_in(nagai, role)
    assert b.get(f"/t/{nagai}/seals/persons/{atena_no}").status_code == 403
    assert b.get(f"/t/{nagai}/seals/new", params={"atena_no": atena_no}).status_code == 403


def test_a_viewer_may_look_but_not_register_and_a_post_without_csrf_is_refused(signed_in, platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    viewer = signed_in(nagai, "registry_viewer")
    page = viewer.get(f"/t/{nagai}/seals/persons/{atena_no}")
    assert page.status_code == 200 and "印鑑の登録" not in text_of(page.text).replace("印鑑の登録はありません", "")
    refused = viewer.client.post(f"/t/{nagai}{MARK}", data={"csrf_token": csrf_of(page.text), "atena_no": atena_no},
                                 files={"image": ("inkan.png", png(), "image/png")})
    assert refused.status_code == 403
    b = signed_in(nagai, "seals_clerk")
    no_csrf = b.client.post(f"/t/{nagai}{MARK}", data={"atena_no": atena_no, "size_mm": "15", "requester": "本人",
                                                       "identity_method": "document", "action": "register"},
                            files={"image": ("inkan.png", png(), "image/png")})
    assert no_csrf.status_code == 403 and count(platform) == 0


def test_text_a_multipart_form_carries_is_checked_like_the_apis(signed_in, platform, nagai, clerk):
    """The edge does not read multipart bodies: the screen checks each typed item itself."""
    atena_no = resident(platform, clerk)
    b = signed_in(nagai, "seals_clerk")
    response = confirm(b, nagai, atena_no, {"size_mm": "1\x005", "inquiry_sent_on": "令" * 31})
    assert response.status_code == 422
    text = text_of(response.text)
    assert "使えない制御文字" in text and "照会書の送付日は30文字以内" in text  # the input rules' own messages
    hidden = confirm(b, nagai, atena_no, {"atena_no": atena_no + "\x00"})
    assert hidden.status_code == 422 and "使えない制御文字" in text_of(hidden.text) and count(platform) == 0
