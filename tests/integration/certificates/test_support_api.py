"""The 支援措置 gate, the held requests and the review list through the API (the same services
as the screens): an agent is refused (403), a household member's request is held (202 with
the 保留番号), a supervisor releases it with a reason, and the certificate is issued once."""

from __future__ import annotations

from tests.factories import context, days_ago, support_opinion
from tests.integration.certificates.helpers import has, household, pages


def _protected_household(api, platform, mayor):
    supervisor_ctx = context(platform, mayor, "registry_supervisor")
    family = household(platform, supervisor_ctx, members=3)
    supervisor = api.login_as(mayor, "registry_supervisor")
    started = api.client.post(
        f"/api/v1/t/{mayor}/residents/{family.atena_nos[1]}/support-measures", headers=supervisor,
        json={"stage": "本", "category": "DV", "applied_on": days_ago(345), "start_on": days_ago(345), "end_on": days_ago(345 - 364),
              "note": None, **support_opinion(days_ago(345))},
    )
    assert started.status_code == 201, started.text
    return family, supervisor, started.json()


def _issue(api, headers, tenant, **body):
    return api.client.post(f"/api/v1/t/{tenant}/certificates", headers=headers,
                           json={"requester_name": "山田　太郎", **body})


def test_agent_refused_household_member_held_then_released_and_issued_once(api, platform, mayor):
    family, supervisor, _ = _protected_household(api, platform, mayor)
    clerk = api.login_as(mayor, "registry_clerk")
    agent = _issue(api, clerk, mayor, setai_no=family.setai_nos[0], requester_type="agent")
    assert agent.status_code == 403 and agent.json()["code"] == "REGISTRY_SUPPORT_MEASURE_ACTIVE"

    held = _issue(api, clerk, mayor, setai_no=family.setai_nos[0], requester_type="household_member")
    assert held.status_code == 202, held.text
    body = held.json()
    assert (body["code"], body["status"]) == ("REGISTRY_SUPPORT_MEASURE_HELD", "held")
    hold_no = body["hold_no"]
    waiting = api.client.get(f"/api/v1/t/{mayor}/support-holds", params={"status": "held"}, headers=clerk).json()
    assert [h["hold_no"] for h in waiting] == [hold_no] and waiting[0]["request"]["requester_type"] == "household_member"

    assert api.client.post(f"/api/v1/t/{mayor}/support-holds/{hold_no}/certificate", headers=clerk).status_code == 409
    by_clerk = api.client.post(f"/api/v1/t/{mayor}/support-holds/{hold_no}/decision", headers=clerk,
                               json={"decision": "release", "reason": "確認した"})
    assert by_clerk.status_code == 403
    released = api.client.post(f"/api/v1/t/{mayor}/support-holds/{hold_no}/decision", headers=supervisor,
                               json={"decision": "release", "reason": "申出者本人に確認し、同意を得た（同居の長男）"})
    assert released.status_code == 200 and released.json()["status"] == "released"

    issued = api.client.post(f"/api/v1/t/{mayor}/support-holds/{hold_no}/certificate", headers=clerk)
    assert issued.status_code == 200 and issued.headers["content-type"] == "application/pdf"
    assert has(pages(issued.content)[0], "山田　花子")
    again = api.client.post(f"/api/v1/t/{mayor}/support-holds/{hold_no}/certificate", headers=clerk)
    assert again.status_code == 409 and again.json()["code"] == "REGISTRY_SUPPORT_HOLD_USED"
    shown = api.client.get(f"/api/v1/t/{mayor}/support-holds/{hold_no}", headers=clerk).json()
    assert (shown["status"], shown["issue_no"]) == ("used", issued.headers["x-issue-number"])


def test_the_protected_person_with_a_checked_identity_gets_the_pdf(api, platform, mayor):
    family, _, _ = _protected_household(api, platform, mayor)
    clerk = api.login_as(mayor, "registry_clerk")
    wife = family.atena_nos[1]
    unchecked = _issue(api, clerk, mayor, atena_no=wife, requester_type="本人")
    assert unchecked.status_code == 403
    checked = _issue(api, clerk, mayor, atena_no=wife, requester_type="本人", identity_checked=True)
    assert checked.status_code == 200 and checked.headers["content-type"] == "application/pdf"


def test_the_api_shows_the_alert_and_the_review_list(api, platform, mayor):
    family, supervisor, measure = _protected_household(api, platform, mayor)
    assert measure["status"] == "ending_soon" and "終了予定日" in measure["alert"]
    clerk = api.login_as(mayor, "registry_clerk")
    listed = api.client.get(f"/api/v1/t/{mayor}/residents/{family.atena_nos[1]}/support-measures", headers=clerk)
    assert listed.json()[0]["alert"] == measure["alert"]

    review = api.client.get(f"/api/v1/t/{mayor}/support-measures", headers=supervisor)
    assert review.status_code == 200
    assert [(m["atena_no"], m["status"], m["shimei"]) for m in review.json()] == [
        (family.atena_nos[1], "ending_soon", "山田　花子")]
    assert api.client.get(f"/api/v1/t/{mayor}/support-measures", headers=clerk).status_code == 403
    recorded = api.client.post(f"/api/v1/t/{mayor}/support-measures/expiries", headers=supervisor)
    assert recorded.status_code == 200 and recorded.json() == []  # nothing has lapsed yet
