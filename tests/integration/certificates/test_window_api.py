"""The certificate window through the JSON API: the same request with 免除 and 本人確認書類
(the same checks as the screens), the quote of a dry run, the day's 交付履歴, the 日計表,
the 領収書 and a 発行番号's state."""

from __future__ import annotations

from municloud.kernel.clock import today_jst
from tests.factories import context, family, registry_footprint
from tests.integration.certificates.helpers import has, pages

T = "/api/v1/t/{}"


def _issue(api, headers, tenant, params=None, **body):
    body = {"requester_type": "本人", "requester_name": "山田　太郎", **body}
    return api.client.post(f"{T.format(tenant)}/certificates", json=body, headers=headers, params=params or {})


def test_a_dry_run_quotes_the_fee_and_issues_nothing(api, platform, mayor):
    home = family(platform, context(platform, mayor, "registry_clerk"))
    clerk = api.login_as(mayor, "registry_clerk")
    quote = _issue(api, clerk, mayor, {"dry_run": "true"}, atena_no=home.atena_nos[0], copies=3,
                   identity_document="passport")
    assert quote.status_code == 200 and quote.headers["content-type"] == "application/json"
    assert {k: quote.json()[k] for k in ("unit_fee", "copies", "fee", "identity_document_label")} == {
        "unit_fee": 300, "copies": 3, "fee": 900, "identity_document_label": "旅券（パスポート）"}
    exempt = _issue(api, clerk, mayor, {"dry_run": "true"}, atena_no=home.atena_nos[0], fee_exemption="disaster")
    assert exempt.json()["fee"] == 0 and exempt.json()["fee_exemption_label"] == "災害のり災者"
    assert registry_footprint(platform, mayor)["registry_certificate_issuances"] == 0


def test_exemption_and_identity_document_are_recorded_and_served(api, platform, mayor):
    home = family(platform, context(platform, mayor, "registry_clerk"))
    clerk = api.login_as(mayor, "registry_clerk")
    issued = _issue(api, clerk, mayor, atena_no=home.atena_nos[0], copies=2, fee_exemption="public_use",
                    identity_document="residence_card")
    assert issued.status_code == 200 and issued.headers["content-type"] == "application/pdf"
    [row] = api.client.get(f"{T.format(mayor)}/residents/{home.atena_nos[0]}/certificates", headers=clerk).json()
    assert (row["fee"], row["unit_fee"], row["fee_exemption"], row["identity_document"]) == (
        0, 300, "public_use", "residence_card")
    assert row["identity_document_label"] == "在留カード・特別永住者証明書"


def test_bad_codes_are_refused_with_stable_codes(api, platform, mayor):
    home = family(platform, context(platform, mayor, "registry_clerk"))
    clerk = api.login_as(mayor, "registry_clerk")
    unknown = _issue(api, clerk, mayor, atena_no=home.atena_nos[0], fee_exemption="friend")
    assert unknown.status_code == 422 and unknown.json()["code"] == "REGISTRY_FEE_EXEMPTION_UNKNOWN"
    spaced = _issue(api, clerk, mayor, atena_no=home.atena_nos[0], identity_document="運転免許証 第123号")
    assert spaced.status_code == 422 and set(spaced.json()["fields"]) == {"identity_document"}
    number = _issue(api, clerk, mayor, atena_no=home.atena_nos[0], identity_document="driver_license",
                    identity_document_number="123456789012")
    assert number.status_code == 422  # no such field: a document's number is never taken
    assert registry_footprint(platform, mayor)["registry_certificate_issuances"] == 0


def test_the_day_the_journal_the_receipt_and_the_state(api, platform, mayor):
    home = family(platform, context(platform, mayor, "registry_clerk"))
    clerk = api.login_as(mayor, "registry_clerk")
    paid = _issue(api, clerk, mayor, atena_no=home.atena_nos[0], copies=2).headers["x-issue-number"]
    _issue(api, clerk, mayor, atena_no=home.atena_nos[1], fee_exemption="pension", copies=1)
    base = T.format(mayor)

    day = api.client.get(f"{base}/certificates", headers=clerk, params={"day": today_jst().isoformat()}).json()
    assert day["takings"] == 600 and [r["fee"] for r in day["issuances"]] == [600, 0]
    assert api.client.get(f"{base}/certificates/journal", headers=clerk).status_code == 403
    supervisor = api.login_as(mayor, "registry_supervisor")
    journal = api.client.get(f"{base}/certificates/journal", headers=supervisor).json()
    assert (journal["count"], journal["copies"], journal["fee"], journal["waived"]) == (2, 3, 600, 300)
    assert journal["fee"] == sum(line["fee"] for line in journal["lines"]) == day["takings"]
    assert [(e["reason"], e["copies"], e["waived"]) for e in journal["exemptions"]] == [("pension", 1, 300)]

    receipt = api.client.post(f"{base}/certificates/{paid}/receipt", headers=clerk)
    assert receipt.status_code == 200 and receipt.headers["content-type"] == "application/pdf"
    [sheet] = pages(receipt.content)
    assert has(sheet, "金額600円") and has(sheet, paid)
    again = api.client.post(f"{base}/certificates/{paid}/receipt", headers=clerk)
    assert again.status_code == 409 and again.json()["code"] == "REGISTRY_RECEIPT_ISSUED"

    state = api.client.get(f"{base}/certificates/{paid}", headers=clerk).json()
    assert state["issuance"]["receipt_no"] == receipt.headers["x-issue-number"] == state["receipt"]["issue_no"]
    assert state["document"]["has_code"] is True and state["document"]["mismatched"] == 0
    assert api.client.get(f"{base}/certificates/{mayor}-2026-999999", headers=clerk).status_code == 404
