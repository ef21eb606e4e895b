"""転居 and 転出 (予定, then 確定). A 転出届 filed ahead of its 予定日: test_planned_moves.py."""

from __future__ import annotations

from tests.factories import days_ago, family, history_of, household_of, register, resident, search
from tests.integration.registry.checks import assert_recorded, day, refused

NEW_ADDRESS = {"address": "山形県長井市栄町2番3号", "postal_code": "9930012"}


def test_a_whole_household_moving_keeps_its_household_number_and_relationships(platform, clerk):
    fam = family(platform, clerk)
    result = register(platform, clerk, kind="tenkyo", ido_date=days_ago(3), todoke_date=days_ago(2),
                      atena_nos=fam.atena_nos, address=NEW_ADDRESS)

    assert result.setai_nos == fam.setai_nos and sorted(result.atena_nos) == sorted(fam.atena_nos)
    assert_recorded(platform, clerk, result, jiyu="転居", ido_date=days_ago(3), todoke_date=days_ago(2))
    household = household_of(platform, clerk, fam.setai_nos[0])
    assert household.address == "山形県長井市栄町2番3号"
    assert [m.zokugara for m in household.members] == ["世帯主", "妻", "子"]
    history = history_of(platform, clerk, fam.atena_nos[0])
    assert [h.address for h in history] == ["山形県長井市本町一丁目1番1号", "山形県長井市栄町2番3号"]
    assert history[-1].address_fixed_on == day(3) and history[-1].postal_code == "9930012"
    assert history[-1].became_resident_on == history[0].became_resident_on


def test_part_of_a_household_moving_into_a_new_household_gets_a_new_head(platform, clerk):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    result = register(platform, clerk, kind="tenkyo", ido_date=days_ago(1), todoke_date=days_ago(1),
                      atena_nos=[son], address=NEW_ADDRESS, new_household=True, new_head=son)

    assert result.atena_nos == [son]
    new_setai = next(s for s in result.setai_nos if s != fam.setai_nos[0])
    assert sorted(result.setai_nos) == sorted([fam.setai_nos[0], new_setai])
    assert_recorded(platform, clerk, result, jiyu="転居", ido_date=days_ago(1), todoke_date=days_ago(1))
    assert household_of(platform, clerk, new_setai).head_atena_no == son
    assert resident(platform, clerk, son).zokugara == "世帯主"
    old = household_of(platform, clerk, fam.setai_nos[0])
    assert [m.atena_no for m in old.members] == fam.atena_nos[:2] and old.head_atena_no == fam.atena_nos[0]


def test_the_head_moving_away_from_others_needs_a_remaining_head(platform, clerk):
    fam = family(platform, clerk)
    head, wife, son = fam.atena_nos
    refused(platform, clerk, "REGISTRY_HOUSEHOLD_WITHOUT_HEAD", kind="tenkyo", ido_date=days_ago(1),
            atena_nos=[head], address=NEW_ADDRESS, new_household=True, new_head=head)

    result = register(platform, clerk, kind="tenkyo", ido_date=days_ago(1), atena_nos=[head], address=NEW_ADDRESS,
                      new_household=True, new_head=head, remaining_head=wife, remaining_zokugara={son: "子"})

    assert sorted(result.atena_nos) == sorted([head, wife])
    assert_recorded(platform, clerk, result, jiyu={head: "転居", wife: "世帯主変更"}, ido_date=days_ago(1),
                    todoke_date=None)
    old = household_of(platform, clerk, fam.setai_nos[0])
    assert old.head_atena_no == wife
    assert {m.atena_no: m.zokugara for m in old.members} == {wife: "世帯主", son: "子"}


def test_moving_into_another_household_at_a_different_address_is_refused(platform, clerk):
    fam = family(platform, clerk)
    other = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_JOIN_DIFFERENT_ADDRESS", kind="tenkyo", ido_date=days_ago(1),
            atena_nos=[fam.atena_nos[2]], address=NEW_ADDRESS, join_setai_no=other.setai_nos[0],
            zokugara={fam.atena_nos[2]: "同居人"})


def test_a_move_out_removes_the_record_and_keeps_it_as_a_removed_record(platform, clerk):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    result = register(platform, clerk, kind="tenshutsu", ido_date=days_ago(2), todoke_date=days_ago(4),
                      atena_nos=[son], destination="東京都新宿区西新宿2-8-1")

    assert result.ido_jiyu == "転出" and result.setai_nos == fam.setai_nos
    assert_recorded(platform, clerk, result, jiyu="転出", ido_date=days_ago(2), todoke_date=days_ago(4))
    record = resident(platform, clerk, son)
    assert (record.status, record.removal_reason, record.removed_on) == ("removed", "転出", day(2))
    assert (record.moved_out_to, record.move_out_stage) == ("東京都新宿区西新宿2-8-1", "予定")
    assert son not in [m.atena_no for m in household_of(platform, clerk, fam.setai_nos[0]).members]
    assert son not in [r.atena_no for r in search(platform, clerk, q="ヤマダ")]
    assert son in [r.atena_no for r in search(platform, clerk, q="ヤマダ", include_removed=True)]


def test_a_move_out_is_confirmed_by_the_notice_of_the_new_municipality(platform, clerk):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    register(platform, clerk, kind="tenshutsu", ido_date=days_ago(10), atena_nos=[son], destination="東京都新宿区")
    result = register(platform, clerk, kind="tenshutsu", stage="kakutei", ido_date=days_ago(1), atena_nos=[son],
                      destination="東京都新宿区西新宿2-8-1", notified_on=days_ago(1))

    assert result.ido_jiyu == "転出確定"
    assert_recorded(platform, clerk, result, jiyu="転出確定", ido_date=days_ago(1), todoke_date=None)
    record = resident(platform, clerk, son)
    assert (record.rireki_no, record.move_out_stage, record.move_in_notified_on) == (3, "確定", day(1))
    assert record.moved_out_to == "東京都新宿区西新宿2-8-1" and record.removed_on == day(10)


def test_confirming_a_move_out_twice_is_refused(platform, clerk):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    register(platform, clerk, kind="tenshutsu", ido_date=days_ago(10), atena_nos=[son], destination="東京都新宿区")
    confirm = dict(kind="tenshutsu", stage="kakutei", ido_date=days_ago(1), atena_nos=[son],
                   destination="東京都新宿区西新宿2-8-1", notified_on=days_ago(1))
    register(platform, clerk, **confirm)
    refused(platform, clerk, "REGISTRY_MOVE_OUT_CONFIRMED", **confirm)


def test_confirming_a_move_out_that_was_never_registered_is_refused(platform, clerk):
    fam = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_NOT_MOVED_OUT", kind="tenshutsu", stage="kakutei", ido_date=days_ago(1),
            atena_nos=[fam.atena_nos[2]], destination="東京都新宿区", notified_on=days_ago(1))


def test_the_head_moving_out_alone_needs_a_new_head_for_those_who_stay(platform, clerk):
    fam = family(platform, clerk)
    head, wife, son = fam.atena_nos
    refused(platform, clerk, "REGISTRY_HOUSEHOLD_WITHOUT_HEAD", kind="tenshutsu", ido_date=days_ago(1),
            atena_nos=[head], destination="東京都新宿区")
    register(platform, clerk, kind="tenshutsu", ido_date=days_ago(1), atena_nos=[head], destination="東京都新宿区",
             new_head=wife)

    assert household_of(platform, clerk, fam.setai_nos[0]).head_atena_no == wife
    assert resident(platform, clerk, son).zokugara == "子"


def test_a_confirmation_dated_in_the_future_is_refused(platform, clerk):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    register(platform, clerk, kind="tenshutsu", ido_date=days_ago(10), atena_nos=[son], destination="東京都新宿区")
    confirm = dict(kind="tenshutsu", stage="kakutei", atena_nos=[son], destination="東京都新宿区西新宿2-8-1")
    refused(platform, clerk, "REGISTRY_DATE_IN_FUTURE", ido_date=days_ago(-1), notified_on=days_ago(1), **confirm)
    refused(platform, clerk, "REGISTRY_DATE_IN_FUTURE", ido_date=days_ago(0), notified_on=days_ago(-1), **confirm)
    refused(platform, clerk, "REGISTRY_NOTICE_BEFORE_MOVE_OUT", ido_date=days_ago(0), notified_on=days_ago(11),
            **confirm)
