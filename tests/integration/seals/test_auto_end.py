"""A registration ends by itself (職権抹消) when its resident moves out or dies — in the
notification's own transaction, so a refused or failed notification changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from municloud.bootstrap import create_platform
from municloud.errors import PermissionDeniedError, ValidationError
from municloud.modules.registry.events import ResidentsChanged
from municloud.modules.registry.services.daily import apply_due_moves
from tests.factories import audit_entries, context, days_ago, family, travel
from tests.factories import register as notify
from tests.integration.seals.support import certificate, register, resident, seals_of


def move_out(platform, ctx, *atena_nos, days=1, **extra):
    return notify(platform, ctx, kind="tenshutsu", ido_date=days_ago(days), todoke_date=days_ago(max(days, 0)),
                  atena_nos=list(atena_nos), destination="東京都千代田区千代田1番1号", **extra)


def test_moving_out_strikes_out_the_registration(platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    seal = register(platform, clerk, atena_no)
    result = move_out(platform, clerk, atena_no)
    shown = seals_of(platform, clerk, atena_no)
    assert shown.active is None
    [ended] = shown.past
    assert (ended.status, ended.end_reason, ended.ended_by_notification) == ("職権抹消", "転出", result.notification_id)
    [entry] = audit_entries(platform, nagai, "seals:registration:end")
    assert entry.actor == "system" and f"seal_registration:{seal.registration_no}" in entry.subjects
    assert f'"notification_id": {result.notification_id}' in entry.detail


def test_death_strikes_out_the_registration_and_no_certificate_is_issued_after(platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    seal = register(platform, clerk, atena_no)
    notify(platform, clerk, kind="shibou", ido_date=days_ago(2), atena_no=atena_no)
    [ended] = seals_of(platform, clerk, atena_no).past
    assert (ended.status, ended.end_reason) == ("職権抹消", "死亡")
    with pytest.raises(ValidationError) as caught:
        certificate(platform, clerk, atena_no, seal.card_no)
    assert caught.value.code == "SEALS_NOT_RESIDENT"


def test_only_the_persons_who_leave_lose_their_registration(platform, nagai, clerk):
    head, wife, child = family(platform, clerk).atena_nos
    for atena_no in (head, wife):
        register(platform, clerk, atena_no)
    move_out(platform, clerk, wife)
    assert seals_of(platform, clerk, wife).active is None
    assert seals_of(platform, clerk, head).active.status == "登録"


def test_other_notifications_leave_registrations_alone(platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    register(platform, clerk, atena_no)
    notify(platform, clerk, kind="tenkyo", ido_date=days_ago(1), atena_nos=[atena_no],
           address={"address": "山形県長井市栄町1番1号"})
    assert seals_of(platform, clerk, atena_no).active.status == "登録"
    assert audit_entries(platform, nagai, "seals:registration:end") == []


def test_a_refused_notification_changes_nothing(platform, nagai, clerk):
    head, wife, child = family(platform, clerk).atena_nos
    register(platform, clerk, head)
    viewer = context(platform, nagai, "registry_viewer")
    with pytest.raises(PermissionDeniedError):
        move_out(platform, viewer, head)
    with pytest.raises(ValidationError):  # the head dies and no new head is named: refused
        notify(platform, clerk, kind="shibou", ido_date=days_ago(1), atena_no=head)
    assert seals_of(platform, clerk, head).active.status == "登録"
    assert audit_entries(platform, nagai, "seals:registration:end") == []


def test_when_the_notification_fails_after_the_strike_out_both_are_rolled_back(platform, settings, nagai, clerk):
    atena_no = resident(platform, clerk)
    register(platform, clerk, atena_no)
    notifications = len(audit_entries(platform, nagai, "registry:notification:register"))
    failing = create_platform(settings)  # same database; one more subscriber that fails

    def fail(uow, event):
        raise RuntimeError("a later subscriber failed")

    failing.events.subscribe(ResidentsChanged, fail)
    try:
        with pytest.raises(RuntimeError):
            move_out(failing, clerk, atena_no)
    finally:
        failing.dispose()
    assert seals_of(platform, clerk, atena_no).active.status == "登録"
    assert audit_entries(platform, nagai, "seals:registration:end") == []
    assert len(audit_entries(platform, nagai, "registry:notification:register")) == notifications


def test_a_planned_move_out_ends_the_registration_on_its_date_not_when_filed(platform, nagai, clerk, monkeypatch):
    atena_no = resident(platform, clerk)
    seal = register(platform, clerk, atena_no)
    move_out(platform, clerk, atena_no, days=-10, stage="yotei")  # 転出予定日 ten days ahead
    shown = seals_of(platform, clerk, atena_no)
    assert shown.active.status == "登録" and shown.past == []  # still registered until the day
    certificate(platform, clerk, atena_no, seal.card_no)  # and a 印鑑登録証明書 can still be issued
    due = date.fromisoformat(days_ago(-10))
    travel(monkeypatch, due)
    supervisor = context(platform, nagai, "registry_supervisor")
    [done] = apply_due_moves(platform.uow(nagai), supervisor).carried_out
    [ended] = seals_of(platform, clerk, atena_no).past
    assert (ended.status, ended.end_reason, ended.ended_on) == ("職権抹消", "転出", due)
    assert ended.ended_by_notification == done.notification_id
