"""出生 and 死亡."""

from __future__ import annotations

from municloud.jp.codes import validate_juminhyo_code
from tests.factories import (
    days_ago,
    family,
    history_of,
    household_of,
    move_in,
    person,
    register,
    resident,
)
from tests.integration.registry.checks import assert_recorded, day, refused

BABY = {"shimei": "山田　二郎", "shimei_kana": "やまだ　じろう", "sex": "1", "zokugara": "子",
        "honseki": "山形県長井市本町一丁目1番地", "hittosha": "山田　太郎"}


def test_a_birth_joins_the_household_with_a_new_valid_juminhyo_code(platform, clerk):
    fam = family(platform, clerk)
    result = register(platform, clerk, kind="shussei", ido_date=days_ago(5), todoke_date=days_ago(2),
                      setai_no=fam.setai_nos[0], person=BABY)

    assert result.ido_jiyu == "出生" and result.setai_nos == fam.setai_nos and len(result.atena_nos) == 1
    assert_recorded(platform, clerk, result, jiyu="出生", ido_date=days_ago(5), todoke_date=days_ago(2))
    baby = resident(platform, clerk, result.atena_nos[0])
    assert validate_juminhyo_code(baby.juminhyo_code) == baby.juminhyo_code
    others = {resident(platform, clerk, a).juminhyo_code for a in fam.atena_nos}
    assert baby.juminhyo_code not in others
    assert baby.birth_date == baby.became_resident_on == baby.address_fixed_on == day(5)
    assert baby.address == "山形県長井市本町一丁目1番1号" and baby.postal_code == "9930011"
    assert baby.previous_address is None and baby.shimei_kana == "ヤマダ　ジロウ"
    members = household_of(platform, clerk, fam.setai_nos[0]).members
    assert result.atena_nos[0] in [m.atena_no for m in members] and len(members) == 4


def test_a_birth_dated_otherwise_than_the_birth_date_is_refused(platform, clerk):
    fam = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_BIRTH_DATE_MISMATCH", kind="shussei", ido_date=days_ago(5),
            setai_no=fam.setai_nos[0], person={**BABY, "birth_date": days_ago(6)})


def test_a_birth_into_a_household_that_does_not_exist_is_refused(platform, clerk):
    family(platform, clerk)
    refused(platform, clerk, "REGISTRY_HOUSEHOLD_NOT_FOUND", kind="shussei", ido_date=days_ago(5),
            setai_no="9999999999", person=BABY)


def test_the_death_of_a_member_removes_only_that_record(platform, clerk):
    fam = family(platform, clerk)
    wife = fam.atena_nos[1]
    result = register(platform, clerk, kind="shibou", ido_date=days_ago(4), todoke_date=days_ago(3), atena_no=wife)

    assert result.atena_nos == [wife] and result.setai_nos == fam.setai_nos
    assert_recorded(platform, clerk, result, jiyu="死亡", ido_date=days_ago(4), todoke_date=days_ago(3))
    record = resident(platform, clerk, wife)
    assert (record.status, record.removal_reason, record.removed_on, record.rireki_no) == (
        "removed", "死亡", day(4), 2,
    )
    household = household_of(platform, clerk, fam.setai_nos[0])
    assert [m.atena_no for m in household.members] == [fam.atena_nos[0], fam.atena_nos[2]]
    assert household.dissolved_on is None


def test_the_death_of_the_head_names_a_new_head_and_resets_relationships(platform, clerk):
    fam = move_in(platform, clerk, [
        person("山田　太郎", "ヤマダ　タロウ", "1980-04-01", "1", "世帯主"),
        person("山田　花子", "ヤマダ　ハナコ", "1982-05-05", "2", "妻"),
        person("山田　ウメ", "ヤマダ　ウメ", "1950-01-01", "2", "母"),
    ])
    head, wife, mother = fam.atena_nos
    result = register(platform, clerk, kind="shibou", ido_date=days_ago(4), atena_no=head, new_head=wife,
                      zokugara={mother: "夫の母"})

    assert sorted(result.atena_nos) == sorted([head, wife, mother])
    assert_recorded(platform, clerk, result, jiyu={head: "死亡", wife: "世帯主変更", mother: "世帯主変更"},
                    ido_date=days_ago(4), todoke_date=None)
    household = household_of(platform, clerk, fam.setai_nos[0])
    assert household.head_atena_no == wife
    assert {m.atena_no: m.zokugara for m in household.members} == {wife: "世帯主", mother: "夫の母"}


def test_the_death_of_the_only_member_dissolves_the_household(platform, clerk):
    alone = move_in(platform, clerk, days=100)
    register(platform, clerk, kind="shibou", ido_date=days_ago(1), atena_no=alone.atena_nos[0])

    assert household_of(platform, clerk, alone.setai_nos[0]).dissolved_on == day(1)
    assert [h.ido_jiyu for h in history_of(platform, clerk, alone.atena_nos[0])] == ["転入", "死亡"]
