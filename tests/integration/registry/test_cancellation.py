"""異動の取消し: a mistaken entry is undone by appending, never by deleting."""

from __future__ import annotations

from municloud.kernel.clock import today_jst
from tests.factories import (
    days_ago,
    family,
    history_of,
    household_of,
    move_in,
    register,
    resident,
    search,
)
from tests.integration.registry.checks import CANCEL, assert_recorded, refused

META = {"rireki_no", "ido_jiyu", "ido_date", "todoke_date", "processed_at", "processed_by", "input_place",
        "input_terminal", "notification_id"}


def items(entry) -> dict:
    return {k: v for k, v in entry.model_dump().items() if k not in META}


def cancel(platform, ctx, notification_id: int, **extra):
    return register(platform, ctx, kind="torikeshi", notification_id=notification_id, note="入力誤り", **extra)


def test_cancelling_a_move_brings_the_previous_record_back_as_a_new_history_number(platform, clerk):
    fam = family(platform, clerk)
    moved = register(platform, clerk, kind="tenkyo", ido_date=days_ago(3), atena_nos=fam.atena_nos,
                     address={"address": "山形県長井市栄町2番3号"})
    result = cancel(platform, clerk, moved.notification_id)

    assert result.kind == "torikeshi" and result.ido_jiyu == "取消し"
    assert sorted(result.atena_nos) == sorted(fam.atena_nos) and result.setai_nos == fam.setai_nos
    assert_recorded(platform, clerk, result, jiyu="取消し", ido_date=today_jst().isoformat(), todoke_date=None,
                    action=CANCEL)
    for atena_no in fam.atena_nos:
        history = history_of(platform, clerk, atena_no)
        assert [h.rireki_no for h in history] == [1, 2, 3]
        assert [h.ido_jiyu for h in history] == ["転入", "転居", "取消し"]
        assert items(history[2]) == items(history[0])
    assert household_of(platform, clerk, fam.setai_nos[0]).address == "山形県長井市本町一丁目1番1号"


def test_cancelling_a_move_in_removes_the_record_and_dissolves_its_household(platform, clerk):
    fam = family(platform, clerk)
    result = cancel(platform, clerk, fam.notification_id, ido_date=days_ago(1))

    assert_recorded(platform, clerk, result, jiyu="取消し", ido_date=days_ago(1), todoke_date=None, action=CANCEL)
    for atena_no in fam.atena_nos:
        record = resident(platform, clerk, atena_no)
        assert (record.status, record.removal_reason, record.rireki_no) == ("removed", "取消し", 2)
    assert household_of(platform, clerk, fam.setai_nos[0]).dissolved_on is not None
    assert search(platform, clerk, q="山田") == []
    assert len(search(platform, clerk, q="山田", include_removed=True)) == 3


def test_cancelling_a_split_puts_the_members_back_and_dissolves_the_new_household(platform, clerk):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    split = register(platform, clerk, kind="setai_henko", type="split", ido_date=days_ago(1),
                     setai_no=fam.setai_nos[0], atena_nos=[son], new_head=son)
    new_setai = next(s for s in split.setai_nos if s != fam.setai_nos[0])
    cancel(platform, clerk, split.notification_id)

    assert resident(platform, clerk, son).setai_no == fam.setai_nos[0]
    assert resident(platform, clerk, son).zokugara == "子"
    assert household_of(platform, clerk, new_setai).members == []
    assert household_of(platform, clerk, new_setai).dissolved_on is not None
    assert len(household_of(platform, clerk, fam.setai_nos[0]).members) == 3


def test_cancelling_a_death_brings_the_resident_back(platform, clerk):
    alone = move_in(platform, clerk)
    death = register(platform, clerk, kind="shibou", ido_date=days_ago(2), atena_no=alone.atena_nos[0])
    cancel(platform, clerk, death.notification_id)

    record = resident(platform, clerk, alone.atena_nos[0])
    assert (record.status, record.removal_reason, record.removed_on) == ("resident", None, None)
    assert household_of(platform, clerk, alone.setai_nos[0]).dissolved_on is None


def test_cancelling_a_notification_followed_by_later_changes_is_refused(platform, clerk):
    fam = family(platform, clerk)
    moved = register(platform, clerk, kind="tenkyo", ido_date=days_ago(3), atena_nos=fam.atena_nos,
                     address={"address": "山形県長井市栄町2番3号"})
    register(platform, clerk, kind="shimei_henko", ido_date=days_ago(1), atena_no=fam.atena_nos[1],
             shimei="佐藤　花子", shimei_kana="サトウ　ハナコ")
    refused(platform, clerk, "REGISTRY_CANCEL_NOT_LATEST", kind="torikeshi", notification_id=moved.notification_id,
            note="入力誤り")


def test_cancelling_twice_is_refused(platform, clerk):
    fam = family(platform, clerk)
    moved = register(platform, clerk, kind="tenkyo", ido_date=days_ago(3), atena_nos=fam.atena_nos,
                     address={"address": "山形県長井市栄町2番3号"})
    cancelled = cancel(platform, clerk, moved.notification_id)
    refused(platform, clerk, "REGISTRY_ALREADY_CANCELLED", kind="torikeshi", notification_id=moved.notification_id,
            note="入力誤り")
    refused(platform, clerk, "REGISTRY_CANCEL_OF_CANCEL", kind="torikeshi",
            notification_id=cancelled.notification_id, note="入力誤り")


def test_a_cancellation_needs_a_reason_and_an_existing_notification(platform, clerk):
    fam = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_REASON_REQUIRED", kind="torikeshi", notification_id=fam.notification_id)
    refused(platform, clerk, "REGISTRY_NOTIFICATION_NOT_FOUND", kind="torikeshi", notification_id=999, note="誤り")


def test_cancelling_a_move_that_would_split_a_household_across_two_addresses_is_refused(platform, clerk):
    fam = family(platform, clerk)
    moved = register(platform, clerk, kind="tenkyo", ido_date=days_ago(3), atena_nos=fam.atena_nos,
                     address={"address": "山形県長井市栄町2番3号"})
    register(platform, clerk, kind="shussei", ido_date=days_ago(1), setai_no=fam.setai_nos[0],
             person={"shimei": "山田　二郎", "shimei_kana": "ヤマダ　ジロウ", "sex": "1", "zokugara": "子"})
    refused(platform, clerk, "REGISTRY_HOUSEHOLD_ADDRESS_MISMATCH", kind="torikeshi",
            notification_id=moved.notification_id, note="入力誤り")
