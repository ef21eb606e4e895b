"""転出予定: a 転出届 filed ahead (住民基本台帳法第24条「あらかじめ」) keeps the person a resident
— in the household, with certificates — until the 予定日; the daily job makes them 除票 on
that day (標準仕様書 1.1.5: 転出予定年月日又は転入通知に記載された転入日のいずれか早い日で消除);
a 転入通知 that comes first does it at once.  Cancellation works before and after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from municloud.errors import PermissionDeniedError, ValidationError
from municloud.kernel.clock import today_jst
from municloud.modules.registry.api import residents_on
from municloud.modules.registry.services.daily import apply_due_moves
from tests.factories import (
    audit_entries,
    context,
    days_ago,
    family,
    history_of,
    household_of,
    register,
    resident,
    search,
    travel,
)
from tests.integration.registry.checks import refused

TOKYO = "東京都新宿区西新宿二丁目8番1号"


def plan_move(platform, ctx, atena_nos, days_ahead=7, **extra):
    return register(platform, ctx, kind="tenshutsu", ido_date=days_ago(-days_ahead), todoke_date=days_ago(0),
                    atena_nos=list(atena_nos), destination=TOKYO, **extra)


def daily(platform, ctx, on=None):
    supervisor = context(platform, ctx.tenant_code, "registry_supervisor", actor="daily-job")
    return apply_due_moves(platform.uow(ctx.tenant_code), supervisor, on)


def registered_on(platform, tenant, day, atena_no) -> bool:
    with platform.uow(tenant, read_only=True) as uow:
        return [r.atena_no for r in residents_on(uow, day, [atena_no])] == [atena_no]


def test_until_the_planned_day_the_person_stays_a_resident_of_the_household(platform, clerk):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    result = plan_move(platform, clerk, [son])
    due = date.fromisoformat(days_ago(-7))
    assert (result.ido_jiyu, result.move_out_due_on) == ("転出予定", due)
    record = resident(platform, clerk, son)
    assert (record.status, record.removed_on, record.zokugara) == ("resident", None, "子")
    assert (record.move_out_stage, record.moved_out_to, record.move_out_planned_on) == ("予定", TOKYO, due)
    assert son in [m.atena_no for m in household_of(platform, clerk, fam.setai_nos[0]).members]
    assert son in [r.atena_no for r in search(platform, clerk, q="ヤマダ　イチロウ")]
    assert history_of(platform, clerk, son)[-1].ido_jiyu == "転出予定"


def test_on_the_planned_day_the_daily_job_removes_the_person_and_is_idempotent(platform, clerk, monkeypatch):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    planned = plan_move(platform, clerk, [son])
    due = date.fromisoformat(days_ago(-7))
    assert daily(platform, clerk).carried_out == []  # not yet
    travel(monkeypatch, due)
    report = daily(platform, clerk)
    [done] = report.carried_out
    assert (done.planned_id, done.due_on, done.atena_nos, report.failed) == (planned.notification_id, due, [son], [])
    record = resident(platform, clerk, son)
    assert (record.status, record.removal_reason, record.removed_on) == ("removed", "転出", due)
    assert (record.moved_out_to, record.move_out_planned_on) == (TOKYO, due)
    last = history_of(platform, clerk, son)[-1]
    assert (last.ido_jiyu, last.ido_date, last.notification_id) == ("転出", due, done.notification_id)
    assert last.todoke_date == today_jst() - timedelta(days=7)  # the 転出届's 届出日 (today is the 予定日)
    assert son not in [m.atena_no for m in household_of(platform, clerk, fam.setai_nos[0]).members]
    again = daily(platform, clerk)
    assert again.carried_out == [] and again.failed == []
    runs = audit_entries(platform, clerk.tenant_code, "registry:daily:run")
    assert len(runs) == 3 and f"resident:{son}" in runs[1].subjects and runs[2].subjects == "[]"


def test_the_tax_day_counts_a_person_whose_planned_move_comes_after_it(platform, clerk, monkeypatch):
    fam = family(platform, clerk, days=400)
    son = fam.atena_nos[2]
    travel(monkeypatch, date(2025, 12, 20))
    plan_move(platform, clerk, [son], days_ahead=21)  # 予定日 2026-01-10
    assert registered_on(platform, clerk.tenant_code, date(2026, 1, 1), son)
    travel(monkeypatch, date(2026, 1, 10))
    daily(platform, clerk)
    assert registered_on(platform, clerk.tenant_code, date(2026, 1, 1), son)  # 賦課期日: still registered
    assert registered_on(platform, clerk.tenant_code, date(2026, 1, 9), son)
    assert not registered_on(platform, clerk.tenant_code, date(2026, 1, 10), son)  # removed on the 予定日


def test_the_household_gets_its_new_head_on_the_planned_day_not_before(platform, clerk, monkeypatch):
    fam = family(platform, clerk)
    head, wife, son = fam.atena_nos
    refused(platform, clerk, "REGISTRY_HOUSEHOLD_WITHOUT_HEAD", kind="tenshutsu", ido_date=days_ago(-5),
            todoke_date=days_ago(0), atena_nos=[head], destination=TOKYO)  # checked when filed
    plan_move(platform, clerk, [head], days_ahead=5, new_head=wife)
    assert household_of(platform, clerk, fam.setai_nos[0]).head_atena_no == head
    travel(monkeypatch, date.fromisoformat(days_ago(-6)))  # a day late: the job catches up
    daily(platform, clerk)
    household = household_of(platform, clerk, fam.setai_nos[0])
    assert household.head_atena_no == wife and [m.atena_no for m in household.members] == [wife, son]
    assert resident(platform, clerk, head).removed_on == today_jst() - timedelta(days=1)


def test_a_whole_household_planned_move_dissolves_the_household_on_the_day(platform, clerk, monkeypatch):
    fam = family(platform, clerk)
    plan_move(platform, clerk, fam.atena_nos, days_ahead=10)
    assert household_of(platform, clerk, fam.setai_nos[0]).dissolved_on is None
    due = date.fromisoformat(days_ago(-10))
    travel(monkeypatch, due)
    daily(platform, clerk)
    assert household_of(platform, clerk, fam.setai_nos[0]).dissolved_on == due


def test_a_move_in_notice_before_the_planned_day_removes_the_person_at_once(platform, clerk):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    planned = plan_move(platform, clerk, [son], days_ahead=10)
    result = register(platform, clerk, kind="tenshutsu", stage="kakutei", ido_date=days_ago(2), atena_nos=[son],
                      destination="東京都新宿区西新宿二丁目8番1号　都庁ハイツ101", notified_on=days_ago(1))
    assert result.ido_jiyu == "転出確定"
    record = resident(platform, clerk, son)
    assert (record.status, record.removed_on, record.move_out_stage) == ("removed", date.fromisoformat(days_ago(2)), "確定")
    assert record.move_out_planned_on == date.fromisoformat(days_ago(-10))  # 転出予定年月日 kept
    assert daily(platform, clerk).carried_out == []
    with platform.session_factory() as s:
        from municloud.modules.registry.orm import Notification
        row = s.get(Notification, (clerk.tenant_code, planned.notification_id))
        assert row.due_on is None


def test_a_notice_for_only_part_of_a_planned_move_is_refused(platform, clerk):
    fam = family(platform, clerk)
    head, wife, son = fam.atena_nos
    plan_move(platform, clerk, [wife, son], days_ahead=10)
    refused(platform, clerk, "REGISTRY_PLANNED_MOVE_PARTIAL", kind="tenshutsu", stage="kakutei", ido_date=days_ago(1),
            atena_nos=[son], destination=TOKYO, notified_on=days_ago(1))


def test_a_person_with_a_planned_move_cannot_move_within_or_plan_again(platform, clerk):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    plan_move(platform, clerk, [son])
    refused(platform, clerk, "REGISTRY_MOVE_OUT_PLANNED", kind="tenkyo", ido_date=days_ago(0), atena_nos=[son],
            address={"address": "山形県長井市栄町2番3号"}, new_household=True, new_head=son)
    refused(platform, clerk, "REGISTRY_MOVE_OUT_PLANNED", kind="tenshutsu", ido_date=days_ago(-3),
            todoke_date=days_ago(0), atena_nos=[son], destination="大阪府大阪市北区")


def test_cancelling_a_pending_planned_move_restores_the_record_and_nothing_happens_on_the_day(
        platform, clerk, monkeypatch):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    planned = plan_move(platform, clerk, [son])
    register(platform, clerk, kind="torikeshi", notification_id=planned.notification_id, note="転出の取りやめ")
    record = resident(platform, clerk, son)
    assert (record.status, record.move_out_stage, record.move_out_planned_on) == ("resident", None, None)
    travel(monkeypatch, date.fromisoformat(days_ago(-7)))
    assert daily(platform, clerk).carried_out == []
    assert resident(platform, clerk, son).status == "resident"


@pytest.mark.parametrize("which", ["planned", "carried_out"])
def test_cancelling_after_the_day_cancels_the_whole_move_out(platform, clerk, monkeypatch, which):
    fam = family(platform, clerk)
    head, wife, son = fam.atena_nos
    planned = plan_move(platform, clerk, [head], new_head=wife)
    due = date.fromisoformat(days_ago(-7))
    travel(monkeypatch, due)
    [done] = daily(platform, clerk).carried_out
    target = planned.notification_id if which == "planned" else done.notification_id
    register(platform, clerk, kind="torikeshi", notification_id=target, note="転出していなかった")
    record = resident(platform, clerk, head)
    assert (record.status, record.zokugara, record.move_out_stage, record.move_out_planned_on) == (
        "resident", "世帯主", None, None)
    assert household_of(platform, clerk, fam.setai_nos[0]).head_atena_no == head
    assert resident(platform, clerk, wife).zokugara == "妻"
    assert registered_on(platform, clerk.tenant_code, due, head)  # both entries are void for residents_on
    assert daily(platform, clerk).carried_out == []


def test_cancelling_the_notice_that_carried_it_out_makes_the_planned_move_wait_again(platform, clerk, monkeypatch):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    plan_move(platform, clerk, [son], days_ahead=10)
    notice = register(platform, clerk, kind="tenshutsu", stage="kakutei", ido_date=days_ago(1), atena_nos=[son],
                      destination=TOKYO, notified_on=days_ago(1))
    register(platform, clerk, kind="torikeshi", notification_id=notice.notification_id, note="別人の転入通知だった")
    record = resident(platform, clerk, son)
    assert (record.status, record.move_out_stage) == ("resident", "予定")
    travel(monkeypatch, date.fromisoformat(days_ago(-10)))
    [done] = daily(platform, clerk).carried_out
    assert done.atena_nos == [son] and resident(platform, clerk, son).status == "removed"


def test_a_planned_move_that_can_no_longer_be_carried_out_is_reported_and_the_others_are_done(
        platform, clerk, monkeypatch):
    fam, other = family(platform, clerk), family(platform, clerk)
    head, wife, son = fam.atena_nos
    failing = plan_move(platform, clerk, [head], new_head=wife)
    register(platform, clerk, kind="shibou", ido_date=days_ago(0), atena_no=wife)  # the named new head dies
    plan_move(platform, clerk, [other.atena_nos[2]])
    travel(monkeypatch, date.fromisoformat(days_ago(-7)))
    report = daily(platform, clerk)
    assert [c.atena_nos for c in report.carried_out] == [[other.atena_nos[2]]]
    [failed] = report.failed
    assert failed.planned_id == failing.notification_id and failed.code == "REGISTRY_NEW_HEAD_NOT_MEMBER"
    assert resident(platform, clerk, head).status == "resident"  # nothing half-written
    [run] = [e for e in audit_entries(platform, clerk.tenant_code, "registry:daily:run") if e.actor == "daily-job"]
    assert "REGISTRY_NEW_HEAD_NOT_MEMBER" in run.detail


def test_the_job_refuses_a_future_day_and_a_clerk(platform, clerk):
    with pytest.raises(ValidationError) as caught:
        daily(platform, clerk, on=today_jst() + timedelta(days=1))
    assert caught.value.code == "REGISTRY_DAILY_FUTURE"
    with pytest.raises(PermissionDeniedError):
        apply_due_moves(platform.uow(clerk.tenant_code), clerk)
