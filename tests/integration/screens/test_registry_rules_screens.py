"""The registry's rules as a clerk and a supervisor see them on the screens: a late 届出 is
flagged on the result and in the history, the supervisor's printable list, a 転出予定 shown
on the resident page, a 出生 of 昭和50年 answered as an input error, a 校区 derived."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from municloud.kernel.clock import today_jst
from municloud.kernel.parameters.services import set_override
from tests.factories import (
    audit_entries,
    context,
    days_ago,
    door_refusals,
    family,
    register,
    resident,
)
from tests.integration.registry.test_notification_dates import last_open_weekday_before
from tests.integration.screens.helpers import text_of
from tests.integration.screens.test_notification_errors import summary_links
from tests.integration.screens.test_notification_screens import (
    open_form,
    register_through_screens,
    send,
)


@pytest.fixture
def b(signed_in, nagai):
    return signed_in(nagai, "registry_clerk")


def test_a_late_move_within_is_flagged_on_the_result_and_in_the_history(b, platform, clerk, nagai):
    home = family(platform, clerk, days=120)
    moved = last_open_weekday_before(40)
    result = register_through_screens(b, platform, nagai, "tenkyo", {
        "ido_date": moved.isoformat(), "todoke_date": (moved + timedelta(days=20)).isoformat(),
        "address.address": "山形県長井市栄町5番1号"}, setai_no=home.setai_nos[0])
    assert 'id="late-notice"' in result and "届出期間経過" in text_of(result)
    page = b.get(f"/t/{nagai}/residents/{home.atena_nos[0]}").text
    rows = page.split('<caption id="history-caption">')[1].split("</tbody>")[0].split("<tr>")[2:]
    assert ["届出期間経過" in r for r in rows] == [True, False]  # newest first: the 転居, then the 転入


def test_the_supervisor_prints_the_late_list_of_a_period_and_a_clerk_may_not(signed_in, b, platform, clerk, nagai):
    home = family(platform, clerk, days=120)
    moved = last_open_weekday_before(40)
    late = register(platform, clerk, kind="tenkyo", ido_date=moved.isoformat(),
                    todoke_date=(moved + timedelta(days=20)).isoformat(), atena_nos=home.atena_nos,
                    address={"address": "山形県長井市栄町5番1号"})
    chief = signed_in(nagai, "registry_supervisor")
    assert f'href="/t/{nagai}/late-notifications"' in chief.get(f"/t/{nagai}/").text  # in the supervisor's menu
    page = chief.get(f"/t/{nagai}/late-notifications",
                     params={"since": moved.isoformat(), "until": today_jst().isoformat()})
    assert page.status_code == 200
    text = text_of(page.text)
    assert f"{late.notification_id}" in text and "転居届" in text and "第23条" in text and "6日" in text
    assert "山田　太郎" in text and "山形県長井市栄町5番1号" in text
    assert 'class="form form--filters no-print"' in page.text and "print-only" in page.text
    empty = chief.get(f"/t/{nagai}/late-notifications", params={"since": "令和2年1月1日", "until": "令和2年1月31日"})
    assert "この期間に届出期間を過ぎた届出はありません" in empty.text
    bad = chief.get(f"/t/{nagai}/late-notifications", params={"since": "令和8年13月1日"})
    assert bad.status_code == 422 and "f-since" in summary_links(bad.text)
    assert "/late-notifications" not in b.get(f"/t/{nagai}/").text
    assert b.get(f"/t/{nagai}/late-notifications").status_code == 403
    outcomes = [e.outcome for e in audit_entries(platform, nagai, "registry:late_notification:view")]
    assert outcomes == ["success", "success"]
    assert len(door_refusals(platform, nagai, "registry:late_notification:view")) == 1  # the clerk, at the door


def test_the_resident_page_shows_a_planned_move_out(b, platform, clerk, nagai):
    home = family(platform, clerk)
    son = home.atena_nos[2]
    register(platform, clerk, kind="tenshutsu", ido_date=days_ago(-7), todoke_date=days_ago(0), atena_nos=[son],
             destination="東京都新宿区西新宿二丁目8番1号")
    text = text_of(b.get(f"/t/{nagai}/residents/{son}").text)
    assert "転出予定" in text and "予定日までは住民です" in text and "東京都新宿区西新宿二丁目8番1号" in text
    assert "転出予定年月日" in text and "除票：" not in text


def test_a_birth_of_showa_50_is_answered_on_the_ido_date_field_in_japanese(b, platform, clerk, nagai):
    home = family(platform, clerk)
    page = open_form(b, nagai, "shussei", setai_no=home.setai_nos[0])
    response = send(b, nagai, "shussei", page, {  # 入力内容を確認する already runs the registration (dry run)
        "ido_date": "昭和50年1月1日", "person.shimei": "山田　二郎", "person.shimei_kana": "ヤマダ　ジロウ",
        "person.sex": "1"})
    assert response.status_code == 422
    message = summary_links(response.text)["f-ido_date"]
    assert "古すぎます" in message and "パラメータ" not in response.text and "registry.address" not in response.text


def test_a_move_within_left_without_a_school_district_gets_the_new_addresses(b, platform, clerk, nagai):
    home = family(platform, clerk)
    admin = context(platform, nagai, "tenant_admin")
    for key, value in (("registry.address.attributes", ["校区"]),
                       ("registry.address.attribute_areas", {"栄町": {"校区": "長井小学校区"}})):
        set_override(platform.uow(nagai), admin, key, date(2000, 4, 1), value, "校区を記録する")
    register_through_screens(b, platform, nagai, "tenkyo", {
        "ido_date": days_ago(1), "address.address": "山形県長井市栄町5番1号", "address.attributes.校区": ""},
        setai_no=home.setai_nos[0])
    assert resident(platform, clerk, home.atena_nos[0]).address_attributes == {"校区": "長井小学校区"}
