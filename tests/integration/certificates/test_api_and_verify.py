"""The JSON API returns the PDF; /verify confirms it (number + 確認コード) without showing any
personal data."""

from __future__ import annotations

import hashlib
import re

from tests.factories import audit_entries, context, move_in, person
from tests.integration.certificates.helpers import (
    assert_code_printed_and_in_the_qr,
    capture_html,
    has,
    pages,
    printed_code,
)

NAME = "辻\U000E0102　太郎"


def _resident(platform, tenant):
    clerk = context(platform, tenant, "registry_clerk")
    return move_in(platform, clerk, [person(NAME, "ツジ　タロウ", "1950-01-08", "1", "世帯主",
                                            honseki="山形県西置賜郡白鷹町大字荒砥甲100番地", hittosha=NAME)])


def _issue(api, headers, tenant, **body):
    body = {"requester_type": "本人", "requester_name": "辻　太郎", **body}
    return api.client.post(f"/api/v1/t/{tenant}/certificates", json=body, headers=headers)


def test_the_api_answers_with_the_pdf_and_its_issue_number(api, platform, mayor):
    family = _resident(platform, mayor)
    response = _issue(api, api.login_as(mayor, "registry_clerk"), mayor, atena_no=family.atena_nos[0], copies=2)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    issue_no = response.headers["x-issue-number"]
    assert issue_no.startswith(f"{mayor}-") and response.headers["content-disposition"] == (
        f'inline; filename="{issue_no}.pdf"')
    [page] = pages(response.content)
    assert has(page, NAME) and has(page, issue_no)


def test_api_errors_are_the_usual_json(api, platform, mayor):
    family = _resident(platform, mayor)
    clerk = api.login_as(mayor, "registry_clerk")
    refused = _issue(api, clerk, mayor, atena_no=family.atena_nos[0], include_my_number=True)
    assert refused.status_code == 403 and refused.json()["code"] == "PERMISSION_DENIED"
    invalid = _issue(api, clerk, mayor, atena_no=family.atena_nos[0], kind="tohon", copies=0)
    assert invalid.status_code == 422 and set(invalid.json()["fields"]) == {"kind", "copies"}
    both = _issue(api, clerk, mayor, atena_no=family.atena_nos[0], setai_no=family.setai_nos[0])
    assert both.status_code == 422 and both.json()["code"] == "REGISTRY_CERTIFICATE_TARGET"
    unknown = _issue(api, clerk, mayor, atena_no="9999999999")
    assert unknown.status_code == 404 and unknown.json()["code"] == "REGISTRY_RESIDENT_NOT_FOUND"
    viewer = _issue(api, api.login_as(mayor, "registry_viewer"), mayor, atena_no=family.atena_nos[0])
    assert viewer.status_code == 403


def test_the_issuance_record_is_served_as_json(api, platform, mayor):
    family = _resident(platform, mayor)
    clerk = api.login_as(mayor, "registry_clerk")
    issue_no = _issue(api, clerk, mayor, atena_no=family.atena_nos[0], copies=2).headers["x-issue-number"]
    response = api.client.get(f"/api/v1/t/{mayor}/residents/{family.atena_nos[0]}/certificates", headers=clerk)
    assert response.status_code == 200
    [record] = response.json()
    assert (record["issue_no"], record["fee"], record["copies"], record["requester_name"]) == (
        issue_no, 600, 2, "辻　太郎")


def test_the_code_is_printed_beside_the_number_and_carried_in_the_qr_code(api, platform, mayor, monkeypatch):
    html = capture_html(monkeypatch)
    family = _resident(platform, mayor)
    response = _issue(api, api.login_as(mayor, "registry_clerk"), mayor, atena_no=family.atena_nos[0])
    issue_no = response.headers["x-issue-number"]
    code = assert_code_printed_and_in_the_qr(response.content, html[-1], platform.settings.public_url, issue_no)
    assert code not in str(dict(response.headers))  # only on the paper


def _issued(api, platform, mayor):
    family = _resident(platform, mayor)
    response = _issue(api, api.login_as(mayor, "registry_clerk"), mayor, atena_no=family.atena_nos[0])
    return response.headers["x-issue-number"], response.content, printed_code(response.content), family


def test_the_verification_page_says_who_issued_what_and_when_without_personal_data(api, platform, mayor):
    issue_no, pdf, code, family = _issued(api, platform, mayor)

    page = api.client.get(f"/verify/{issue_no}", params={"code": code})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text
    assert '<html lang="ja">' in html and "長井市" in html and "住民票の写し" in html and issue_no in html
    assert hashlib.sha256(pdf).hexdigest() in html and "1ページ" in html and "令和" in html
    assert 'type="file"' in html and '<meta name="viewport" content="width=device-width' in html
    # styled like every screen, by this site's own stylesheet: nothing is fetched from elsewhere
    assert '<link rel="stylesheet" href="/static/screens.css">' in html and "<style" not in html
    assert re.findall(r'(?:src|href)="(?!/)[^"#?]', html) == []
    for personal in ("辻", "ツジ", "太郎", "白鷹町", "本町", family.atena_nos[0]):
        assert personal not in html, personal


def test_without_its_code_the_page_asks_for_it_and_looks_nothing_up(api, platform, mayor):
    issue_no, _pdf, _code, _family = _issued(api, platform, mayor)
    never_issued = f"{mayor}-2026-999999"
    asked = api.client.get(f"/verify/{issue_no}")
    assert asked.status_code == 200 and '<html lang="ja">' in asked.text
    assert f'<form method="get" action="/verify/{issue_no}"' in asked.text
    assert '<label for="code">確認コード</label>' in asked.text and 'name="code"' in asked.text
    assert "長井市" not in asked.text and "住民票の写し" not in asked.text
    other = api.client.get(f"/verify/{never_issued}")
    assert other.status_code == 200 and other.text == asked.text.replace(issue_no, never_issued)


def test_the_same_file_matches_and_an_altered_one_does_not(api, platform, mayor):
    issue_no, pdf, code, _family = _issued(api, platform, mayor)
    chain = len(audit_entries(platform, mayor))

    same = api.client.post(f"/verify/{issue_no}", data={"code": code}, files={"file": ("c.pdf", pdf, "application/pdf")})
    assert same.status_code == 200 and "一致します" in same.text and "一致しません" not in same.text
    altered = pdf[:1000] + bytes([pdf[1000] ^ 0x01]) + pdf[1001:]  # one bit changed
    other = api.client.post(f"/verify/{issue_no}", data={"code": code},
                            files={"file": ("c.pdf", altered, "application/pdf")})
    assert other.status_code == 200 and "一致しません" in other.text and "一致します：" not in other.text
    assert len(audit_entries(platform, mayor)) == chain  # counted, not chained
    counts = api.client.get(f"/api/v1/t/{mayor}/document-verifications", headers=api.login_as(mayor, "auditor"))
    assert [(c["issue_no"], c["matched"], c["mismatched"]) for c in counts.json()] == [(issue_no, 1, 1)]


def test_an_upload_without_the_right_code_is_not_found(api, platform, mayor):
    issue_no, pdf, code, _family = _issued(api, platform, mayor)
    for data in ({}, {"code": "ZZZZZ-ZZZZZ"}):
        response = api.client.post(f"/verify/{issue_no}", data=data, files={"file": ("c.pdf", pdf, "application/pdf")})
        assert response.status_code == 404 and "見つかりません" in response.text and "長井市" not in response.text


def test_an_unknown_number_gets_a_not_found_page(api, mayor):
    for number in (f"{mayor}-2026-999999", "nonsense"):
        response = api.client.get(f"/verify/{number}", params={"code": "ABCDE-FGHJK"})
        assert response.status_code == 404 and "見つかりません" in response.text
        assert response.headers["content-type"].startswith("text/html")


def test_the_json_verification_needs_the_code_and_compares_a_digest(api, platform, mayor):
    issue_no, pdf, code, _family = _issued(api, platform, mayor)
    digest = hashlib.sha256(pdf).hexdigest()

    plain = api.client.get(f"/api/v1/verify/{issue_no}", params={"code": code}).json()
    assert (plain["municipality"], plain["title"], plain["sha256"], plain["matches"], plain["pages"]) == (
        "長井市", "住民票の写し", digest, None, 1)
    assert plain["issued_at"].endswith("+09:00") and plain["issued_at_wareki"].startswith("令和")
    check = {"code": code}
    assert api.client.get(f"/api/v1/verify/{issue_no}", params={**check, "sha256": digest}).json()["matches"] is True
    assert api.client.get(f"/api/v1/verify/{issue_no}", params={**check, "sha256": "0" * 64}).json()["matches"] is False
    bad = api.client.get(f"/api/v1/verify/{issue_no}", params={**check, "sha256": "xyz"})
    assert bad.status_code == 422 and bad.json()["code"] == "DOCUMENT_SHA256_INVALID"
    assert api.client.get(f"/api/v1/verify/{mayor}-2026-999999", params=check).status_code == 404
    assert api.client.get(f"/api/v1/verify/{issue_no}", params={"sha256": digest}).status_code == 404
