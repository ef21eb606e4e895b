"""Pure notification rules (moves.py): each takes current states and returns the changes."""

from __future__ import annotations

from datetime import date

import pytest

from municloud.errors import ConflictError, MuniError
from municloud.modules.registry import moves
from municloud.modules.registry.domain import JAPANESE, REMOVED, RESIDENT, Person

D = date(2026, 6, 1)


def member(atena_no: str, zokugara: str, setai_no: str = "S1", **changes) -> Person:
    return Person(
        atena_no=atena_no, status=RESIDENT, resident_kind=JAPANESE, setai_no=setai_no, zokugara=zokugara,
        shimei=f"山田　{atena_no}", shimei_kana="ヤマダ", birth_date=date(1980, 1, 1), sex="1",
        juminhyo_code="00000000000", address="長井市本町1", became_resident_on=date(2020, 1, 1),
        address_fixed_on=date(2020, 1, 1), rireki_no=1,
    ).with_(**changes)


def household(*people: Person) -> dict[str, Person]:
    return {p.atena_no: p for p in people}


FAMILY = household(member("A", "世帯主"), member("B", "妻"), member("C", "子"))


def code_of(fn) -> str:
    with pytest.raises(MuniError) as caught:
        fn()
    return caught.value.code


def by_atena(changes) -> dict[str, Person]:
    return {c.person.atena_no: c.person for c in changes}


def test_a_household_needs_exactly_one_head_at_one_address():
    assert moves.check_households(dict(FAMILY), {"S1"}) == set()
    no_head = {**FAMILY, "A": FAMILY["A"].with_(status=REMOVED)}
    assert code_of(lambda: moves.check_households(no_head, {"S1"})) == "REGISTRY_HOUSEHOLD_WITHOUT_HEAD"
    two = {**FAMILY, "B": FAMILY["B"].with_(zokugara="世帯主")}
    assert code_of(lambda: moves.check_households(two, {"S1"})) == "REGISTRY_HOUSEHOLD_TWO_HEADS"
    apart = {**FAMILY, "C": FAMILY["C"].with_(address="長井市栄町2")}
    assert code_of(lambda: moves.check_households(apart, {"S1"})) == "REGISTRY_HOUSEHOLD_ADDRESS_MISMATCH"


def test_a_household_left_empty_is_reported_for_dissolution():
    gone = {a: p.with_(status=REMOVED) for a, p in FAMILY.items()}
    assert moves.check_households(gone, {"S1"}) == {"S1"}


def test_moving_out_a_member_removes_only_that_member():
    changes = moves.move_out(FAMILY, ["C"], ido_date=D, destination="東京都", abroad=False, new_head=None, zokugara={})
    (change,) = changes
    assert change.ido_jiyu == "転出"
    assert (change.person.status, change.person.removal_reason, change.person.move_out_stage) == (REMOVED, "転出", "予定")
    abroad = moves.move_out(FAMILY, ["C"], ido_date=D, destination="韓国", abroad=True, new_head=None, zokugara={})
    assert abroad[0].ido_jiyu == "国外への転出"


def test_the_head_moving_out_needs_a_new_head_and_a_member_may_not_name_one():
    def out(leavers, new_head):
        return moves.move_out(FAMILY, leavers, ido_date=D, destination="東京都", abroad=False, new_head=new_head,
                              zokugara={})

    assert code_of(lambda: out(["A"], None)) == "REGISTRY_HOUSEHOLD_WITHOUT_HEAD"
    assert code_of(lambda: out(["C"], "B")) == "REGISTRY_NEW_HEAD_UNNEEDED"
    assert code_of(lambda: out(["A"], "A")) == "REGISTRY_NEW_HEAD_NOT_MEMBER"
    assert by_atena(out(["A"], "B"))["B"].zokugara == "世帯主"


def test_a_removed_person_cannot_move_out_die_or_change_name():
    removed = FAMILY["C"].with_(status=REMOVED, removal_reason="死亡")
    assert code_of(lambda: moves.require_residents([removed])) == "REGISTRY_ALREADY_REMOVED"
    assert code_of(lambda: moves.rename(removed, shimei="x", shimei_kana="エックス", kyu_uji=None, ido_date=D)) \
        == "REGISTRY_ALREADY_REMOVED"


def test_a_change_before_the_person_became_resident_is_refused():
    error = code_of(lambda: moves.death(FAMILY, "C", ido_date=date(2019, 12, 31), new_head=None, zokugara={}))
    assert error == "REGISTRY_DATE_BEFORE_RESIDENCY"


def test_a_death_of_the_head_sets_the_new_head_and_the_new_relationships():
    changes = by_atena(moves.death(FAMILY, "A", ido_date=D, new_head="B", zokugara={"C": "子"}))
    assert changes["A"].status == REMOVED and changes["A"].removal_reason == "死亡"
    assert changes["B"].zokugara == "世帯主" and "C" not in changes


def test_the_relationship_head_may_only_be_given_through_new_head():
    assert code_of(lambda: moves.reassign(list(FAMILY.values()), False, "B", {"A": "世帯主"})) \
        == "REGISTRY_HOUSEHOLD_TWO_HEADS"
    assert code_of(lambda: moves.reassign(list(FAMILY.values()), False, "B", {})) == "REGISTRY_ZOKUGARA_REQUIRED"
    assert code_of(lambda: moves.reassign(list(FAMILY.values()), False, "A", {})) == "REGISTRY_NEW_HEAD_UNCHANGED"
    assert code_of(lambda: moves.reassign(list(FAMILY.values()), False, "Z", {})) == "REGISTRY_NEW_HEAD_NOT_MEMBER"


def test_a_whole_household_relocating_keeps_number_and_relationships():
    changes = moves.relocate(FAMILY, ["A", "B", "C"], ido_date=D, address={"address": "長井市栄町2"},
                             target_setai_no="S1", new_household=False, new_head=None, zokugara={},
                             remaining_head=None, remaining_zokugara={})
    moved = by_atena(changes)
    assert {p.setai_no for p in moved.values()} == {"S1"}
    assert [moved[a].zokugara for a in "ABC"] == ["世帯主", "妻", "子"]
    assert {p.address_fixed_on for p in moved.values()} == {D}


def test_a_part_relocating_into_a_new_household_takes_a_head_from_the_movers():
    def go(new_head):
        return moves.relocate(FAMILY, ["C"], ido_date=D, address={"address": "長井市栄町2"}, target_setai_no="S2",
                              new_household=True, new_head=new_head, zokugara={}, remaining_head=None,
                              remaining_zokugara={})

    assert by_atena(go("C"))["C"].zokugara == "世帯主" and by_atena(go("C"))["C"].setai_no == "S2"
    assert code_of(lambda: go("B")) == "REGISTRY_NEW_HEAD_NOT_MEMBER"


def test_a_merge_needs_one_address_and_a_relationship_for_everyone():
    other = household(member("X", "世帯主", "S2"))
    merged = moves.merge(other, FAMILY, into_setai_no="S1", zokugara={"X": "母"}, ido_date=D)
    assert [(c.person.setai_no, c.person.zokugara, c.ido_jiyu) for c in merged] == [("S1", "母", "世帯合併")]
    assert code_of(lambda: moves.merge(other, FAMILY, into_setai_no="S1", zokugara={}, ido_date=D)) \
        == "REGISTRY_ZOKUGARA_REQUIRED"
    far = household(member("X", "世帯主", "S2", address="長井市栄町9"))
    assert code_of(lambda: moves.merge(far, FAMILY, into_setai_no="S1", zokugara={"X": "母"}, ido_date=D)) \
        == "REGISTRY_MERGE_DIFFERENT_ADDRESS"


def test_a_move_out_is_confirmed_once_and_not_before_it_happened():
    out = moves.move_out(FAMILY, ["C"], ido_date=D, destination="東京都", abroad=False, new_head=None, zokugara={})
    planned = out[0].person
    (confirmed,) = moves.confirm_move_out([planned], destination="東京都新宿区", notified_on=D)
    assert (confirmed.person.move_out_stage, confirmed.person.move_in_notified_on) == ("確定", D)
    with pytest.raises(ConflictError) as caught:
        moves.confirm_move_out([confirmed.person], destination="東京都新宿区", notified_on=D)
    assert caught.value.code == "REGISTRY_MOVE_OUT_CONFIRMED"
    early = date(2026, 5, 31)
    assert code_of(lambda: moves.confirm_move_out([planned], destination="東京都", notified_on=early)) \
        == "REGISTRY_NOTICE_BEFORE_MOVE_OUT"
    assert code_of(lambda: moves.confirm_move_out([FAMILY["B"]], destination="東京都", notified_on=D)) \
        == "REGISTRY_NOT_MOVED_OUT"


@pytest.mark.parametrize(("changes", "code"), [
    ({}, "REGISTRY_NOTHING_TO_CORRECT"),
    ({"setai_no": "S9"}, "REGISTRY_ITEM_NOT_CORRECTABLE"),
    ({"zokugara": "世帯主"}, "REGISTRY_USE_HEAD_CHANGE"),
    ({"shimei": ["山田"]}, "REGISTRY_ITEM_TYPE_INVALID"),
    ({"address_attributes": {"校区": 1}}, "REGISTRY_ITEM_TYPE_INVALID"),
])
def test_a_correction_touches_only_correctable_items(changes, code):
    assert code_of(lambda: moves.correct(FAMILY["B"], changes)) == code


def test_a_cancellation_restores_the_state_before_or_withdraws_a_created_record():
    before, current = FAMILY["B"], FAMILY["B"].with_(shimei="佐藤　花子", rireki_no=2)
    restored = moves.restore(before, current)
    assert (restored.person.shimei, restored.person.rireki_no, restored.ido_jiyu) == ("山田　B", 2, "取消し")
    withdrawn = moves.withdraw_created(FAMILY["C"], D)
    assert (withdrawn.person.status, withdrawn.person.removal_reason, withdrawn.person.removed_on) == (
        REMOVED, "取消し", D,
    )
