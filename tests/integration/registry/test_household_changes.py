"""世帯変更: 世帯主変更, 世帯分離, 世帯合併."""

from __future__ import annotations

from tests.factories import days_ago, family, history_of, household_of, move_in, person, register
from tests.integration.registry.checks import assert_recorded, day, refused


def test_a_head_change_keeps_the_household_and_resets_relationships(platform, clerk):
    fam = family(platform, clerk)
    head, wife, son = fam.atena_nos
    result = register(platform, clerk, kind="setai_henko", type="head_change", ido_date=days_ago(2),
                      todoke_date=days_ago(2), setai_no=fam.setai_nos[0], new_head=wife, zokugara={head: "夫"})

    assert result.ido_jiyu == "世帯主変更" and result.setai_nos == fam.setai_nos
    assert sorted(result.atena_nos) == sorted([head, wife])
    assert_recorded(platform, clerk, result, jiyu="世帯主変更", ido_date=days_ago(2), todoke_date=days_ago(2))
    household = household_of(platform, clerk, fam.setai_nos[0])
    assert household.head_atena_no == wife
    assert {m.atena_no: m.zokugara for m in household.members} == {wife: "世帯主", head: "夫", son: "子"}


def test_a_head_change_without_the_former_heads_new_relationship_is_refused(platform, clerk):
    fam = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_ZOKUGARA_REQUIRED", kind="setai_henko", type="head_change",
            ido_date=days_ago(2), setai_no=fam.setai_nos[0], new_head=fam.atena_nos[1])


def test_a_head_change_to_the_current_head_is_refused(platform, clerk):
    fam = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_NEW_HEAD_UNCHANGED", kind="setai_henko", type="head_change",
            ido_date=days_ago(2), setai_no=fam.setai_nos[0], new_head=fam.atena_nos[0])


def test_a_split_moves_some_members_into_a_new_household_at_the_same_address(platform, clerk):
    fam = family(platform, clerk)
    head, wife, son = fam.atena_nos
    result = register(platform, clerk, kind="setai_henko", type="split", ido_date=days_ago(1),
                      todoke_date=days_ago(1), setai_no=fam.setai_nos[0], atena_nos=[son], new_head=son)

    assert result.ido_jiyu == "世帯分離" and result.atena_nos == [son]
    assert_recorded(platform, clerk, result, jiyu="世帯分離", ido_date=days_ago(1), todoke_date=days_ago(1))
    new_setai = next(s for s in result.setai_nos if s != fam.setai_nos[0])
    new = household_of(platform, clerk, new_setai)
    assert new.head_atena_no == son and new.created_on == day(1)
    assert new.address == household_of(platform, clerk, fam.setai_nos[0]).address
    assert [m.atena_no for m in household_of(platform, clerk, fam.setai_nos[0]).members] == [head, wife]
    assert history_of(platform, clerk, son)[-1].address_fixed_on == history_of(platform, clerk, son)[0].address_fixed_on


def test_a_split_of_every_member_is_refused(platform, clerk):
    fam = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_SPLIT_INVALID", kind="setai_henko", type="split", ido_date=days_ago(1),
            setai_no=fam.setai_nos[0], atena_nos=fam.atena_nos, new_head=fam.atena_nos[0])


def test_a_merge_joins_every_member_into_the_other_household(platform, clerk):
    fam = family(platform, clerk)
    parent = move_in(platform, clerk, [person("山田　ウメ", "ヤマダ　ウメ", "1950-01-01", "2")], days=40)
    result = register(platform, clerk, kind="setai_henko", type="merge", ido_date=days_ago(1),
                      setai_no=parent.setai_nos[0], into_setai_no=fam.setai_nos[0],
                      zokugara={parent.atena_nos[0]: "母"})

    assert result.ido_jiyu == "世帯合併" and result.atena_nos == parent.atena_nos
    assert sorted(result.setai_nos) == sorted(parent.setai_nos + fam.setai_nos)
    assert_recorded(platform, clerk, result, jiyu="世帯合併", ido_date=days_ago(1), todoke_date=None)
    merged = household_of(platform, clerk, fam.setai_nos[0])
    assert {m.atena_no: m.zokugara for m in merged.members}[parent.atena_nos[0]] == "母"
    assert merged.head_atena_no == fam.atena_nos[0]
    gone = household_of(platform, clerk, parent.setai_nos[0])
    assert gone.members == [] and gone.dissolved_on == day(1)


def test_a_merge_of_households_at_different_addresses_is_refused(platform, clerk):
    fam = family(platform, clerk)
    parent = move_in(platform, clerk, [person("山田　ウメ", "ヤマダ　ウメ", "1950-01-01", "2")], days=40,
                     address="山形県長井市館町北6番27号")
    refused(platform, clerk, "REGISTRY_MERGE_DIFFERENT_ADDRESS", kind="setai_henko", type="merge",
            ido_date=days_ago(1), setai_no=parent.setai_nos[0], into_setai_no=fam.setai_nos[0],
            zokugara={parent.atena_nos[0]: "母"})


def test_a_merge_without_the_newcomers_relationship_is_refused(platform, clerk):
    fam = family(platform, clerk)
    parent = move_in(platform, clerk, [person("山田　ウメ", "ヤマダ　ウメ", "1950-01-01", "2")], days=40)
    refused(platform, clerk, "REGISTRY_ZOKUGARA_REQUIRED", kind="setai_henko", type="merge", ido_date=days_ago(1),
            setai_no=parent.setai_nos[0], into_setai_no=fam.setai_nos[0])
