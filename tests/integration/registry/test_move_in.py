"""転入: into a new household, into an existing one, from abroad, foreign residents."""

from __future__ import annotations

import pytest

from municloud.errors import ConflictError
from tests.factories import (
    days_ago,
    family,
    history_of,
    household_of,
    move_in,
    person,
    register,
    resident,
    search,
)
from tests.integration.registry.checks import assert_recorded, day


def arrive_from_abroad(platform, ctx, persons, days):
    return register(
        platform, ctx, kind="tennyu", from_abroad=True, ido_date=days_ago(days), todoke_date=days_ago(days),
        previous_address="アメリカ合衆国", address={"address": "山形県長井市本町一丁目2番3号"}, persons=persons,
    )


def test_a_move_in_creates_a_new_household_headed_by_the_newcomer(platform, clerk):
    result = move_in(platform, clerk, days=10)

    assert result.kind == "tennyu" and result.ido_jiyu == "転入"
    assert len(result.atena_nos) == 1 and len(result.setai_nos) == 1
    assert_recorded(platform, clerk, result, jiyu="転入", ido_date=days_ago(10), todoke_date=days_ago(9))
    household = household_of(platform, clerk, result.setai_nos[0])
    assert household.head_atena_no == result.atena_nos[0]
    assert household.created_on == day(10) and household.dissolved_on is None
    record = resident(platform, clerk, result.atena_nos[0])
    assert record.rireki_no == 1 and record.status == "resident" and record.zokugara == "世帯主"
    assert record.previous_address == "東京都千代田区千代田1番1号"
    assert record.became_resident_on == day(10) and record.address_fixed_on == day(10)
    assert record.postal_code == "9930011"


def test_a_family_moving_in_gets_one_household_and_one_number_each(platform, clerk):
    result = family(platform, clerk)

    assert len(set(result.atena_nos)) == 3 and len(result.setai_nos) == 1
    household = household_of(platform, clerk, result.setai_nos[0])
    assert [m.zokugara for m in household.members] == ["世帯主", "妻", "子"]


def test_a_move_in_can_join_an_existing_household_at_its_address(platform, clerk):
    first = move_in(platform, clerk, days=30)
    joined = move_in(
        platform, clerk, [person("山田　次郎", "ヤマダ　ジロウ", "1985-01-01", "1", "弟")], days=5,
        join_setai_no=first.setai_nos[0],
    )

    assert joined.setai_nos == first.setai_nos
    assert_recorded(platform, clerk, joined, jiyu="転入", ido_date=days_ago(5), todoke_date=days_ago(4))
    household = household_of(platform, clerk, first.setai_nos[0])
    assert household.head_atena_no == first.atena_nos[0]
    assert {m.atena_no: m.zokugara for m in household.members} == {
        first.atena_nos[0]: "世帯主", joined.atena_nos[0]: "弟",
    }


def test_a_move_in_from_abroad_is_recorded_as_a_move_in_from_abroad(platform, clerk):
    result = arrive_from_abroad(platform, clerk, [person()], days=3)

    assert result.ido_jiyu == "国外からの転入"
    assert_recorded(platform, clerk, result, jiyu="国外からの転入", ido_date=days_ago(3), todoke_date=days_ago(3))
    assert resident(platform, clerk, result.atena_nos[0]).previous_address == "アメリカ合衆国"


def test_a_foreign_resident_keeps_nationality_status_card_and_tsusho(platform, clerk):
    foreigner = person(
        "SMITH JOHN", "スミス　ジョン", "1990-02-03", "1", "世帯主", resident_kind="外国人",
        nationality="アメリカ合衆国", zairyu_shikaku="技術・人文知識・国際業務", zairyu_kikan="3年",
        zairyu_kikan_end="2027-04-01", zairyu_card_no="AB12345678CD", tsusho="山本　ジョン",
        tsusho_kana="やまもと　じょん",
    )
    result = arrive_from_abroad(platform, clerk, [foreigner], days=7)

    record = resident(platform, clerk, result.atena_nos[0])
    assert record.resident_kind == "外国人"
    assert (record.nationality, record.zairyu_shikaku, record.zairyu_kikan) == (
        "アメリカ合衆国", "技術・人文知識・国際業務", "3年",
    )
    assert record.zairyu_kikan_end.isoformat() == "2027-04-01"
    assert record.zairyu_card_no == "AB12345678CD"
    assert (record.tsusho, record.tsusho_kana) == ("山本　ジョン", "ヤマモト　ジョン")
    assert record.honseki is None
    assert [r.atena_no for r in search(platform, clerk, q="山本ジョン")] == result.atena_nos
    assert [r.atena_no for r in search(platform, clerk, q="SMITH")] == result.atena_nos
    assert [r.atena_no for r in search(platform, clerk, q="やまもと じょん")] == result.atena_nos
    assert [r.atena_no for r in search(platform, clerk, kana="ヤマモト")] == result.atena_nos
    # the results say the row was found through the 通称, not the name on the 在留カード
    (hit,) = search(platform, clerk, kana="ヤマモト")
    assert (hit.matched_by, hit.matched_alt) == (["tsusho"], "山本　ジョン")
    assert search(platform, clerk, q="SMITH")[0].matched_by == ["name"]


def test_a_move_in_records_the_numbers_it_gave_in_the_notification(platform, clerk):
    result = register(
        platform, clerk, kind="tennyu", ido_date=days_ago(2), previous_address="大阪府大阪市北区1-1",
        address={"address": "山形県長井市館町北1-1", "katagaki": "長井ハイツ101"},
        persons=[person("佐藤　一", "サトウ　ハジメ", "1970-01-01")],
    )

    assert_recorded(platform, clerk, result, jiyu="転入", ido_date=days_ago(2), todoke_date=None)
    entry = history_of(platform, clerk, result.atena_nos[0])[0]
    assert entry.katagaki == "長井ハイツ101" and entry.setai_no == result.setai_nos[0]


def test_a_former_resident_moving_back_keeps_the_old_record_and_gets_a_new_number(platform, clerk):
    first = move_in(platform, clerk, [person(juminhyo_code=None, my_number=None)], days=400)
    old = resident(platform, clerk, first.atena_nos[0])
    register(platform, clerk, kind="tenshutsu", ido_date=days_ago(200), todoke_date=days_ago(201),
             atena_nos=first.atena_nos, destination="東京都千代田区千代田1番1号")

    back = move_in(platform, clerk, [person(juminhyo_code=old.juminhyo_code)], days=10)

    assert back.atena_nos != first.atena_nos
    assert resident(platform, clerk, back.atena_nos[0]).juminhyo_code == old.juminhyo_code
    assert resident(platform, clerk, first.atena_nos[0]).status == "removed"


def test_a_juminhyo_code_of_a_current_resident_is_refused_for_a_newcomer(platform, clerk):
    first = move_in(platform, clerk, days=40)
    taken = resident(platform, clerk, first.atena_nos[0]).juminhyo_code
    with pytest.raises(ConflictError) as caught:
        move_in(platform, clerk, [person("佐藤　次郎", "サトウ　ジロウ", juminhyo_code=taken)], days=5)
    assert caught.value.code == "REGISTRY_CODE_DUPLICATE"
