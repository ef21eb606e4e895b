"""氏名変更 (with 旧氏) and 職権修正."""

from __future__ import annotations

import pytest

from tests.factories import days_ago, family, history_of, register, resident, search
from tests.integration.registry.checks import assert_recorded, refused


def test_a_name_change_keeps_the_former_surname_and_both_names_are_searchable(platform, clerk):
    fam = family(platform, clerk)
    wife = fam.atena_nos[1]
    result = register(platform, clerk, kind="shimei_henko", ido_date=days_ago(3), todoke_date=days_ago(3),
                      atena_no=wife, shimei="佐藤　花子", shimei_kana="サトウ　ハナコ", kyu_uji="山田")

    assert result.ido_jiyu == "氏名変更" and result.atena_nos == [wife]
    assert_recorded(platform, clerk, result, jiyu="氏名変更", ido_date=days_ago(3), todoke_date=days_ago(3))
    record = resident(platform, clerk, wife)
    assert (record.shimei, record.shimei_kana, record.kyu_uji) == ("佐藤　花子", "サトウ　ハナコ", "山田")
    assert [h.shimei for h in history_of(platform, clerk, wife)] == ["山田　花子", "佐藤　花子"]
    assert [r.atena_no for r in search(platform, clerk, q="佐藤花子")] == [wife]
    assert [r.atena_no for r in search(platform, clerk, q="山田花子")] == [wife]
    assert wife in [r.atena_no for r in search(platform, clerk, name="山田")]
    assert [r.atena_no for r in search(platform, clerk, q="サトウ")] == [wife]


def test_a_name_change_of_a_removed_resident_is_refused(platform, clerk):
    fam = family(platform, clerk)
    register(platform, clerk, kind="shibou", ido_date=days_ago(5), atena_no=fam.atena_nos[2])
    refused(platform, clerk, "REGISTRY_ALREADY_REMOVED", kind="shimei_henko", ido_date=days_ago(3),
            atena_no=fam.atena_nos[2], shimei="佐藤　一郎", shimei_kana="サトウ　イチロウ")


def test_a_correction_changes_the_items_and_is_recorded_as_a_correction(platform, clerk):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    result = register(platform, clerk, kind="shokken_shusei", ido_date=days_ago(1), atena_no=son,
                      note="生年月日の入力誤り（戸籍謄本で確認）", changes={"birth_date": "平成22年6月16日", "sex": "男"})

    assert result.ido_jiyu == "職権修正"
    assert_recorded(platform, clerk, result, jiyu="職権修正", ido_date=days_ago(1), todoke_date=None)
    record = resident(platform, clerk, son)
    assert record.birth_date.isoformat() == "2010-06-16" and record.sex == "男" and record.rireki_no == 2


def test_a_correction_without_a_reason_is_refused(platform, clerk):
    fam = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_REASON_REQUIRED", kind="shokken_shusei", ido_date=days_ago(1),
            atena_no=fam.atena_nos[2], changes={"sex": "2"})
    refused(platform, clerk, "REGISTRY_REASON_REQUIRED", kind="shokken_shusei", ido_date=days_ago(1),
            atena_no=fam.atena_nos[2], changes={"sex": "2"}, note="　")


def test_making_someone_head_by_correcting_the_relationship_is_refused(platform, clerk):
    fam = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_USE_HEAD_CHANGE", kind="shokken_shusei", ido_date=days_ago(1),
            atena_no=fam.atena_nos[1], changes={"zokugara": "世帯主"}, note="誤り")
    refused(platform, clerk, "REGISTRY_USE_HEAD_CHANGE", kind="shokken_shusei", ido_date=days_ago(1),
            atena_no=fam.atena_nos[0], changes={"zokugara": "夫"}, note="誤り")


@pytest.mark.parametrize(("changes", "code"), [
    ({"setai_no": "0000000099"}, "REGISTRY_ITEM_NOT_CORRECTABLE"),
    ({"status": "removed"}, "REGISTRY_ITEM_NOT_CORRECTABLE"),
    ({"became_resident_on": ""}, "REGISTRY_ITEM_REQUIRED"),
    ({"address_fixed_on": None}, "REGISTRY_ITEM_REQUIRED"),
    ({"birth_date": "2010-02-30"}, "JP_DATE_INVALID"),
    ({"shimei": 12345}, "REGISTRY_ITEM_TYPE_INVALID"),
    ({"address_attributes": "校区"}, "REGISTRY_ITEM_TYPE_INVALID"),
    ({"my_number": "123456789012"}, "JP_MY_NUMBER_INVALID"),
])
def test_a_correction_to_an_impossible_value_is_refused(platform, clerk, changes, code):
    fam = family(platform, clerk)
    refused(platform, clerk, code, kind="shokken_shusei", ido_date=days_ago(1), atena_no=fam.atena_nos[2],
            changes=changes, note="訂正")


def test_a_removed_record_can_still_be_corrected(platform, clerk):
    fam = family(platform, clerk)
    son = fam.atena_nos[2]
    register(platform, clerk, kind="shibou", ido_date=days_ago(5), atena_no=son)
    register(platform, clerk, kind="shokken_shusei", ido_date=days_ago(1), atena_no=son,
             changes={"shimei_kana": "やまだ　いちろー"}, note="フリガナの誤り")

    record = resident(platform, clerk, son)
    assert (record.status, record.shimei_kana, record.rireki_no) == ("removed", "ヤマダ　イチロー", 3)
