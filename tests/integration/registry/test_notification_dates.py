"""届出日 and 異動日: a 届出 cannot precede its event (except a 転出届, 住民基本台帳法第24条),
a late 届出 (after the 14 days of 第22条〜第25条) is registered and flagged 届出期間経過 on
the result, in the history and in the supervisor's list (第52条第2項), and a 異動日 before
the rules the platform holds is the clerk's input error."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from municloud.errors import PermissionDeniedError, ValidationError
from municloud.kernel.clock import today_jst
from municloud.kernel.parameters.services import set_override
from municloud.modules.registry.services.late_notices import list_late_notifications
from tests.factories import (
    audit_entries,
    context,
    days_ago,
    family,
    history_of,
    person,
    register,
    resident,
)
from tests.integration.registry.checks import refused

NEW_ADDRESS = {"address": "山形県長井市栄町2番3号"}


def last_open_weekday_before(days: int) -> date:
    """A day at least *days* days ago whose 14-day deadline is not moved by a weekend or
    the new year (so "15 days later" is simply late)."""
    day = today_jst() - timedelta(days=days)
    while True:
        deadline = day + timedelta(days=14)
        if deadline.weekday() < 5 and not (deadline.month == 12 and deadline.day >= 29) and not (
                deadline.month == 1 and deadline.day <= 3):
            return day
        day -= timedelta(days=1)


@pytest.mark.parametrize("kind,extra", [
    ("tenkyo", {"address": NEW_ADDRESS}),
    ("setai_henko", {"type": "head_change"}),
])
def test_a_notification_dated_before_its_event_is_refused(platform, clerk, kind, extra):
    fam = family(platform, clerk)
    data = {"atena_nos": fam.atena_nos} if kind == "tenkyo" else {
        "setai_no": fam.setai_nos[0], "new_head": fam.atena_nos[1], "zokugara": {fam.atena_nos[0]: "夫"}}
    error = refused(platform, clerk, "REGISTRY_NOTIFIED_BEFORE_EVENT", kind=kind, ido_date=days_ago(3),
                    todoke_date=days_ago(5), **data, **extra)
    assert "届出日" in error.message and list(error.fields) == ["todoke_date"]


def test_a_move_in_reported_before_it_happened_and_a_birth_reported_before_it_are_refused(platform, clerk):
    refused(platform, clerk, "REGISTRY_NOTIFIED_BEFORE_EVENT", kind="tennyu", ido_date=days_ago(3),
            todoke_date=days_ago(4), previous_address="東京都千代田区千代田1番1号",
            address={"address": "山形県長井市本町一丁目1番1号"}, persons=[person()])
    fam = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_NOTIFIED_BEFORE_EVENT", kind="shussei", ido_date=days_ago(3),
            todoke_date=days_ago(4), setai_no=fam.setai_nos[0],
            person=person("山田　二郎", "ヤマダ　ジロウ", None, "1", "子", juminhyo_code=None))


def test_a_move_out_filed_ahead_and_an_entry_without_a_notification_date_are_accepted(platform, clerk):
    fam = family(platform, clerk)
    register(platform, clerk, kind="tenkyo", ido_date=days_ago(3), atena_nos=fam.atena_nos, address=NEW_ADDRESS)
    result = register(platform, clerk, kind="tenshutsu", ido_date=days_ago(-5), todoke_date=days_ago(0),
                      atena_nos=[fam.atena_nos[2]], destination="東京都新宿区西新宿2-8-1")
    assert result.move_out_due_on == date.fromisoformat(days_ago(-5)) and not result.late_notice


def test_a_late_move_within_is_registered_and_flagged_on_the_result_and_in_the_history(platform, clerk):
    fam = family(platform, clerk, days=120)
    moved = last_open_weekday_before(40)
    result = register(platform, clerk, kind="tenkyo", ido_date=moved.isoformat(),
                      todoke_date=(moved + timedelta(days=15)).isoformat(), atena_nos=fam.atena_nos,
                      address=NEW_ADDRESS)
    assert result.late_notice is True and result.notice_deadline == moved + timedelta(days=14)
    assert resident(platform, clerk, fam.atena_nos[0]).address == NEW_ADDRESS["address"]  # registered all the same
    history = history_of(platform, clerk, fam.atena_nos[0])
    assert [h.late_notice for h in history] == [False, True]
    [entry] = [e for e in audit_entries(platform, clerk.tenant_code, "registry:notification:register")
               if f'"notification_id": {result.notification_id}' in e.detail]
    assert '"late_notice": true' in entry.detail


def test_a_notification_on_the_last_day_of_the_period_is_not_late(platform, clerk):
    fam = family(platform, clerk, days=120)
    moved = last_open_weekday_before(40)
    result = register(platform, clerk, kind="tenkyo", ido_date=moved.isoformat(),
                      todoke_date=(moved + timedelta(days=14)).isoformat(), atena_nos=fam.atena_nos,
                      address=NEW_ADDRESS)
    assert result.late_notice is False and result.notice_deadline == moved + timedelta(days=14)
    assert [h.late_notice for h in history_of(platform, clerk, fam.atena_nos[0])] == [False, False]


def test_a_birth_reported_late_is_not_a_juki_ho_late_notification(platform, clerk):
    fam = family(platform, clerk, days=120)
    born = days_ago(40)
    result = register(platform, clerk, kind="shussei", ido_date=born, todoke_date=days_ago(1), setai_no=fam.setai_nos[0],
                      person=person("山田　二郎", "ヤマダ　ジロウ", born, "1", "子"))
    assert result.late_notice is False and result.notice_deadline is None  # 戸籍法の届出: not 住基法第22条〜


def test_the_supervisor_lists_late_notifications_of_a_period_and_the_look_is_audited(platform, clerk, supervisor):
    fam, other = family(platform, clerk, days=120), family(platform, clerk, days=120)
    moved = last_open_weekday_before(60)
    late = register(platform, clerk, kind="tenkyo", ido_date=moved.isoformat(),
                    todoke_date=(moved + timedelta(days=20)).isoformat(), atena_nos=fam.atena_nos, address=NEW_ADDRESS)
    register(platform, clerk, kind="tenkyo", ido_date=moved.isoformat(), todoke_date=moved.isoformat(),
             atena_nos=other.atena_nos, address={"address": "山形県長井市栄町9番9号"})
    cancelled = register(platform, clerk, kind="tenshutsu", ido_date=moved.isoformat(),
                         todoke_date=(moved + timedelta(days=30)).isoformat(), atena_nos=[other.atena_nos[2]],
                         destination="東京都新宿区")
    assert cancelled.late_notice
    register(platform, clerk, kind="torikeshi", notification_id=cancelled.notification_id, note="入力誤り")

    rows = list_late_notifications(platform.uow(clerk.tenant_code), supervisor, moved, today_jst())
    assert [r.notification_id for r in rows] == [late.notification_id]  # on time and cancelled ones left out
    [row] = rows
    assert (row.kind_label, row.article, row.ido_date, row.todoke_date, row.deadline, row.days_late) == (
        "転居届", "第23条", moved, moved + timedelta(days=20), moved + timedelta(days=14), 6)
    assert {p.atena_no for p in row.persons} == set(fam.atena_nos)
    assert all(p.address == NEW_ADDRESS["address"] and p.shimei.startswith("山田") for p in row.persons)
    assert list_late_notifications(platform.uow(clerk.tenant_code), supervisor, moved,
                                   moved + timedelta(days=19)) == []  # 届出日 outside the period
    [entry, _] = audit_entries(platform, clerk.tenant_code, "registry:late_notification:view")
    assert entry.actor == supervisor.actor and all(f"resident:{a}" in entry.subjects for a in fam.atena_nos)


def test_a_clerk_may_not_list_late_notifications_and_the_attempt_is_recorded(platform, clerk):
    with pytest.raises(PermissionDeniedError):
        list_late_notifications(platform.uow(clerk.tenant_code), clerk, today_jst(), today_jst())
    [entry] = audit_entries(platform, clerk.tenant_code, "registry:late_notification:view")
    assert entry.outcome == "denied"


def test_a_period_ending_before_it_starts_or_longer_than_a_year_is_refused(platform, supervisor):
    for since, until, code in ((date(2026, 5, 1), date(2026, 4, 1), "REGISTRY_PERIOD_INVALID"),
                               (date(2025, 1, 1), date(2026, 4, 1), "REGISTRY_PERIOD_TOO_LONG")):
        with pytest.raises(ValidationError) as caught:
            list_late_notifications(platform.uow(supervisor.tenant_code), supervisor, since, until)
        assert caught.value.code == code


def test_a_birth_dated_1975_is_the_clerks_input_error_on_the_ido_date(platform, clerk, nagai):
    fam = family(platform, clerk)
    admin = context(platform, nagai, "tenant_admin")
    set_override(platform.uow(nagai), admin, "registry.address.attributes", date(2000, 4, 1), ["校区"], "校区を記録")
    error = refused(platform, clerk, "DATE_BEFORE_RULES", kind="shussei", ido_date="昭和50年1月1日",
                    todoke_date=days_ago(1), setai_no=fam.setai_nos[0],
                    person=person("山田　二郎", "ヤマダ　ジロウ", None, "1", "子"))
    assert error.status == 422 and list(error.fields) == ["ido_date"]
    assert error.message.startswith("異動日（昭和50年1月1日）が古すぎます")
    assert "registry." not in error.message and "パラメータ" not in error.message


def test_a_support_measure_starting_before_its_rules_is_an_input_error_on_the_start_date(platform, clerk, supervisor):
    """Not only the 異動日: any use case that looks a parameter up for a date a person entered."""
    from municloud.modules.registry.schemas import SupportMeasureIn
    from municloud.modules.registry.services.support import start_support_measure

    fam = family(platform, clerk)
    with pytest.raises(ValidationError) as caught:
        start_support_measure(platform.uow(clerk.tenant_code), supervisor, fam.atena_nos[1],
                              SupportMeasureIn(stage="本", category="DV", applied_on="1990-01-05",
                                               start_on="平成2年1月5日", end_on="平成3年1月4日",
                                               consult_agency="長井警察署", opinion_on="1990-01-05",
                                               opinion="支援の必要性がある"))
    assert caught.value.code == "DATE_BEFORE_RULES" and list(caught.value.fields) == ["start_on"]
    assert caught.value.message.startswith("開始日（平成2年1月5日）が古すぎます")
