"""印鑑登録 API: multipart registration, look-up, 亡失・廃止, and the certificate as a PDF."""

from __future__ import annotations

from tests.factories import context
from tests.integration.seals.support import resident
from tests.unit.seals.impressions import gif, jpeg, png

BASE = "/api/v1/t/062090"


def upload(api, headers, atena_no, data, filename="inkan.png", content_type="image/png", size_mm="15"):
    return api.client.post(
        f"{BASE}/seal-registrations", headers=headers,
        data={"atena_no": atena_no, "size_mm": size_mm}, files={"image": (filename, data, content_type)},
    )


def test_a_clerk_registers_looks_up_issues_and_ends_through_the_api(api, platform, nagai):
    atena_no = resident(platform, context(platform, nagai, "registry_clerk"))
    headers = api.login_as(nagai, "registry_clerk")
    created = upload(api, headers, atena_no, png())
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["card_no"] == "00000001" and body["registration_no"] == 1 and body["status"] == "登録"

    shown = api.client.get(f"{BASE}/residents/{atena_no}/seal-registration", headers=headers)
    assert shown.status_code == 200 and shown.json()["active"]["card_no_masked"] == "******01"
    assert '"00000001"' not in shown.text  # the card number itself is never shown

    image = api.client.get(f"{BASE}/seal-registrations/1/impression", headers=headers)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png" and image.content == png()

    pdf = api.client.post(f"{BASE}/seal-certificates", headers=headers,
                          json={"atena_no": atena_no, "card_no": "00000001", "copies": 2, "requester": "代理人"})
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf.headers["x-issue-number"].startswith("062090-") and pdf.headers["x-fee-total"] == "600"

    ended = api.client.post(f"{BASE}/seal-registrations/1/end", headers=headers, json={"reason": "lost"})
    assert ended.status_code == 200 and ended.json()["status"] == "亡失"
    refused = api.client.post(f"{BASE}/seal-certificates", headers=headers, json={"atena_no": atena_no, "card_no": "00000001", "requester": "本人"})
    assert refused.status_code == 422 and refused.json()["code"] == "SEALS_CARD_LOST"
    assert "card_no" in refused.json()["fields"]


def test_the_image_type_is_judged_by_its_bytes_not_its_name(api, platform, nagai):
    clerk = context(platform, nagai, "registry_clerk")
    headers = api.login_as(nagai, "registry_clerk")
    renamed = upload(api, headers, resident(platform, clerk), png(), filename="inkan.jpg", content_type="image/jpeg")
    assert renamed.status_code == 201 and renamed.json()["image_mime"] == "image/png"
    as_png = upload(api, headers, resident(platform, clerk), jpeg(), filename="inkan.png")
    assert as_png.status_code == 201 and as_png.json()["image_mime"] == "image/jpeg"
    refused = upload(api, headers, resident(platform, clerk), gif(), filename="inkan.png")
    assert refused.status_code == 422 and refused.json()["code"] == "SEALS_IMAGE_TYPE"
    assert refused.json()["fields"]["image"]
    text = upload(api, headers, resident(platform, clerk), b"hello", filename="inkan.png")
    assert text.status_code == 422 and text.json()["code"] == "SEALS_IMAGE_TYPE"


def test_bad_sizes_and_missing_fields_get_japanese_field_messages(api, platform, nagai):
    atena_no = resident(platform, context(platform, nagai, "registry_clerk"))
    headers = api.login_as(nagai, "registry_clerk")
    small = upload(api, headers, atena_no, png(), size_mm="7.5")
    assert small.status_code == 422 and small.json()["code"] == "SEALS_IMPRESSION_TOO_SMALL"
    assert "size_mm" in small.json()["fields"]
    missing = api.client.post(f"{BASE}/seal-registrations", headers=headers, data={"atena_no": atena_no})
    assert missing.status_code == 422 and missing.json()["code"] == "REQUEST_INVALID"
    assert set(missing.json()["fields"]) == {"size_mm", "image"}
    bad_reason = api.client.post(f"{BASE}/seal-registrations/1/end", headers=headers, json={"reason": "stolen"})
    assert bad_reason.status_code == 422 and "reason" in bad_reason.json()["fields"]


def test_unknown_people_and_registrations_are_404(api, platform, nagai):
    headers = api.login_as(nagai, "registry_clerk")
    assert api.client.get(f"{BASE}/residents/9999999999/seal-registration", headers=headers).status_code == 404
    assert api.client.post(f"{BASE}/seal-registrations/42/end", headers=headers, json={"reason": "lost"}).status_code == 404
    assert upload(api, headers, "9999999999", png()).status_code == 404


def test_a_viewer_may_look_but_not_register_or_issue(api, platform, nagai):
    atena_no = resident(platform, context(platform, nagai, "registry_clerk"))
    viewer = api.login_as(nagai, "registry_viewer")
    assert upload(api, viewer, atena_no, png()).status_code == 403
    assert api.client.get(f"{BASE}/residents/{atena_no}/seal-registration", headers=viewer).json()["active"] is None
    issue = api.client.post(f"{BASE}/seal-certificates", headers=viewer, json={"atena_no": atena_no, "card_no": "1"})
    assert issue.status_code == 403


def test_another_tenants_user_is_refused(api, platform, nagai, hiroshima):
    atena_no = resident(platform, context(platform, nagai, "registry_clerk"))
    outsider = api.login_as(hiroshima, "registry_clerk")
    assert upload(api, outsider, atena_no, png()).status_code == 403
    assert api.client.get(f"{BASE}/residents/{atena_no}/seal-registration", headers=outsider).status_code == 403


def test_no_token_is_401(api, nagai):
    assert api.client.get(f"{BASE}/residents/0000000001/seal-registration").status_code == 401


def test_who_asks_for_a_seal_certificate_is_never_assumed(api, platform, nagai):
    """The 支援措置 gate depends on the requester (本人 or 代理人): the API does not assume 本人."""
    headers = api.login_as(nagai, "registry_clerk")
    response = api.client.post(f"{BASE}/seal-certificates", headers=headers,
                               json={"atena_no": "0000000001", "card_no": "00000001"})
    assert response.status_code == 422 and "requester" in response.json()["fields"]


def test_a_dry_run_checks_everything_and_writes_nothing(api, platform, nagai):
    atena_no = resident(platform, context(platform, nagai, "registry_clerk"))
    headers = api.login_as(nagai, "registry_clerk")
    checked = api.client.post(f"{BASE}/seal-registrations?dry_run=true", headers=headers,
                              data={"atena_no": atena_no, "size_mm": "15"}, files={"image": ("inkan.png", png(), "image/png")})
    assert checked.status_code == 201 and checked.json()["image_width"] == 240
    shown = api.client.get(f"{BASE}/residents/{atena_no}/seal-registration", headers=headers).json()
    assert shown["active"] is None and shown["past"] == []
    created = upload(api, headers, atena_no, png())
    assert created.json()["registration_no"] == 1 and created.json()["card_no"] == "00000001"  # no number consumed


def test_an_agent_needs_the_inquiry_and_every_problem_comes_at_once(api, platform, nagai):
    atena_no = resident(platform, context(platform, nagai, "registry_clerk"))
    headers = api.login_as(nagai, "registry_clerk")
    refused = api.client.post(
        f"{BASE}/seal-registrations", headers=headers,
        data={"atena_no": atena_no, "size_mm": "30", "requester": "代理人", "adult_ward": "true"},
        files={"image": ("inkan.png", gif(), "image/png")})
    assert refused.status_code == 422 and refused.json()["code"] == "MULTIPLE_PROBLEMS"
    codes = {p["code"] for p in refused.json()["problems"]}
    assert codes == {"SEALS_AGENT_NEEDS_INQUIRY", "SEALS_ADULT_WARD", "SEALS_IMPRESSION_TOO_LARGE", "SEALS_IMAGE_TYPE"}
    answered = api.client.post(
        f"{BASE}/seal-registrations", headers=headers,
        data={"atena_no": atena_no, "size_mm": "15", "requester": "代理人", "identity_method": "inquiry",
              "inquiry_sent_on": "令和8年11月20日", "answer_received": "true"},
        files={"image": ("inkan.png", png(), "image/png")})
    assert answered.status_code == 201, answered.text
    shown = api.client.get(f"{BASE}/residents/{atena_no}/seal-registration", headers=headers).json()["active"]
    assert (shown["requester"], shown["identity_method"], shown["inquiry_sent_on"]) == ("代理人", "inquiry", "2026-11-20")
