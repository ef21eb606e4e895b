"""支援措置 at the counter, as the clerk and the supervisor work it (keyboard, Japanese):
the certificate form refuses an agent and holds a household member's request, the
supervisor releases it with a reason on the hold's page, the clerk issues it once; the
resident page and the certificate form show when a measure ends soon or ran out; the
supervisor's review page lists them and records the lapses."""

from __future__ import annotations

from datetime import date

import pytest

from municloud.kernel.parameters.services import set_override
from municloud.modules.registry.services.support import start_support_measure
from tests.factories import (
    audit_entries,
    context,
    days_ago,
    family,
    registry_footprint,
    support_measure,
)
from tests.integration.certificates.helpers import has, pages
from tests.integration.screens.helpers import csrf_of, text_of, unlabelled_fields
from tests.integration.screens.test_certificate_screens import form_data, open_certificate, post


@pytest.fixture
def mayor(platform, nagai):
    admin = context(platform, nagai, "tenant_admin")
    for key, value in (("tenant.mayor.title", "長井市長"), ("tenant.mayor.name", "長井　正義")):
        set_override(platform.uow(nagai), admin, key, date(2000, 4, 1), value, "市長の職名・氏名")
    return nagai


def protect(platform, supervisor, atena_no, started_days_ago=0):
    data = support_measure(start_on=days_ago(started_days_ago))
    return start_support_measure(platform.uow(supervisor.tenant_code), supervisor, atena_no, data)


@pytest.fixture
def home(platform, clerk, supervisor, mayor):
    result = family(platform, clerk, days=500)
    protect(platform, supervisor, result.atena_nos[1])
    return result


def test_an_agent_is_refused_on_the_form_with_a_clear_banner(signed_in, platform, mayor, home):
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, home.atena_nos[0])
    assert "本人確認書類" in page and unlabelled_fields(page) == []
    response = post(b, mayor, form_data(page, requester_type="agent", requester_name="代理　人"))
    assert response.status_code == 403 and response.headers["content-type"].startswith("text/html")
    shown = text_of(response.text)
    assert "この請求には応じられません（支援措置）" in shown and "代理人・使者からの請求には応じられません" in shown
    assert 'value="代理　人"' in response.text  # still the form
    assert registry_footprint(platform, mayor)["registry_certificate_issuances"] == 0


def test_the_protected_person_ticks_the_identity_check_and_gets_the_pdf(signed_in, platform, mayor, home):
    wife = home.atena_nos[1]
    b = signed_in(mayor, "registry_clerk")
    page = open_certificate(b, mayor, wife)
    refused = post(b, mayor, form_data(page, requester_type="self", requester_name="山田　花子"))
    assert refused.status_code == 403 and "本人確認書類" in text_of(refused.text)
    response = post(b, mayor, form_data(page, requester_type="self", requester_name="山田　花子", identity_checked="1"))
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert has(pages(response.content)[0], "山田　花子")


def test_a_held_request_is_released_by_a_supervisor_and_issued_once(signed_in, platform, mayor, home):
    clerk = signed_in(mayor, "registry_clerk")
    page = open_certificate(clerk, mayor, home.atena_nos[0])
    held = post(clerk, mayor, form_data(page, requester_type="household_member", requester_name="山田　太郎"))
    assert held.status_code == 202 and "保留しました（保留番号 1）" in text_of(held.text)

    listed = clerk.get(f"/t/{mayor}/support-holds")
    assert listed.status_code == 200 and "審査待ち" in text_of(listed.text) and 'href="/t/062090/support-holds/1"' in listed.text
    waiting = clerk.get(f"/t/{mayor}/support-holds/1")
    assert waiting.status_code == 200 and "山田　太郎" in text_of(waiting.text) and "審査待ち" in text_of(waiting.text)
    waiting = waiting.text
    assert "判断を記録する" not in waiting and "交付する" not in waiting  # a clerk neither decides nor issues yet

    boss = signed_in(mayor, "registry_supervisor")
    hold_page = boss.get(f"/t/{mayor}/support-holds/1").text
    assert unlabelled_fields(hold_page) == [] and "判断を記録する" in hold_page
    blank = boss.post(f"/t/{mayor}/support-holds/1/decision",
                      data={"decision": "release", "reason": "", "csrf_token": csrf_of(hold_page)})
    assert blank.status_code == 422 and 'href="#f-reason"' in blank.text
    released = boss.post(f"/t/{mayor}/support-holds/1/decision", data={
        "decision": "release", "reason": "申出者本人に確認し同意を得た", "csrf_token": csrf_of(hold_page)})
    assert released.status_code == 200 and "解除しました" in text_of(released.text)

    ready = clerk.get(f"/t/{mayor}/support-holds/1").text
    assert "交付する（PDFを表示）" in ready
    pdf = clerk.post(f"/t/{mayor}/support-holds/1/certificate", data={"csrf_token": csrf_of(ready)})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    again = clerk.post(f"/t/{mayor}/support-holds/1/certificate", data={"csrf_token": csrf_of(ready)})
    assert again.status_code == 409 and "すでに交付しました" in text_of(again.text)
    assert [e.outcome for e in audit_entries(platform, mayor, "registry:support_hold:release")] == ["success"]


def test_the_resident_page_and_the_certificate_form_show_a_measure_ending_soon(signed_in, platform, supervisor,
                                                                               clerk, mayor):
    people = family(platform, clerk, days=500).atena_nos
    measure = protect(platform, supervisor, people[1], started_days_ago=345)
    b = signed_in(mayor, "registry_clerk")
    shown = text_of(b.get(f"/t/{mayor}/residents/{people[1]}").text)
    assert "終了予定日" in shown and "近づいています" in shown and measure.alert in shown
    form = text_of(open_certificate(b, mayor, people[0]))
    assert f"山田　花子：{measure.alert}" in form


def test_an_expired_measure_shows_as_expired_and_the_supervisor_records_it(signed_in, platform, supervisor, clerk,
                                                                          mayor):
    people = family(platform, clerk, days=500).atena_nos
    protect(platform, supervisor, people[2], started_days_ago=400)
    protect(platform, supervisor, people[1], started_days_ago=345)
    b = signed_in(mayor, "registry_clerk")
    assert "期間満了で終了しました" in text_of(b.get(f"/t/{mayor}/residents/{people[2]}").text)
    assert b.get(f"/t/{mayor}/support-measures").status_code == 403

    boss = signed_in(mayor, "registry_supervisor")
    review = boss.get(f"/t/{mayor}/support-measures")
    assert review.status_code == 200 and unlabelled_fields(review.text) == []
    shown = text_of(review.text)
    assert shown.index("山田　一郎") < shown.index("山田　花子")  # soonest end first: the expired one
    assert "期間満了で終了（延長の申出なし）（未記録）" in shown and "終了予定日が近づいています" in shown
    recorded = boss.post(f"/t/{mayor}/support-measures/expiries", data={"csrf_token": csrf_of(review.text)})
    assert recorded.status_code == 200 and "1件の支援措置を期間満了として記録しました" in text_of(recorded.text)
    assert "（未記録）" not in text_of(recorded.text) and "期間満了を記録する" not in recorded.text
