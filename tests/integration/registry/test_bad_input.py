"""Bad input (issue §7): refused with a Japanese message and a stable code, nothing written.

``refused`` compares the row counts of every registry table, the tenant's counters and
its successful registry audit entries before and after each attempt.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from municloud.jp.codes import generate_juminhyo_code, generate_my_number
from municloud.kernel.parameters.services import set_override
from tests.factories import context, days_ago, family, move_in, person, register, resident
from tests.integration.registry.checks import refused

ADDRESS = {"address": "山形県長井市本町一丁目1番1号"}


def move_in_of(*persons, **extra) -> dict:
    data = dict(kind="tennyu", ido_date=days_ago(10), previous_address="東京都千代田区千代田1番1号",
                address=ADDRESS, persons=list(persons))
    data.update(extra)
    return data


def valid_code(generator) -> str:
    return generator(random.Random(7))


def wrong_check_digit(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


@pytest.mark.parametrize(("items", "code"), [
    ({"juminhyo_code": wrong_check_digit(valid_code(generate_juminhyo_code))}, "JP_JUMINHYO_CODE_INVALID"),
    ({"juminhyo_code": "1234567890"}, "JP_JUMINHYO_CODE_INVALID"),
    ({"my_number": wrong_check_digit(valid_code(generate_my_number))}, "JP_MY_NUMBER_INVALID"),
    ({"birth": "昭和64年1月8日"}, "JP_DATE_INVALID"),
    ({"birth": "1990-02-30"}, "JP_DATE_INVALID"),
    ({"birth": "平成2年2月30日"}, "JP_DATE_INVALID"),
    ({"birth": days_ago(-1)}, "REGISTRY_BIRTH_DATE_FUTURE"),
    ({"kana": "山田　タロウ"}, "JP_FURIGANA_INVALID"),
    ({"kana": "ヤマダ　Taro"}, "JP_FURIGANA_INVALID"),
    ({"shimei": "   "}, "REGISTRY_ITEM_REQUIRED"),
    ({"shimei": "山田\x00太郎"}, "INPUT_CONTROL_CHARACTER"),
    ({"shimei": "山田\u202e太郎"}, "INPUT_CONTROL_CHARACTER"),  # RIGHT-TO-LEFT OVERRIDE
    ({"shimei": "山田\u200b太郎"}, "INPUT_CONTROL_CHARACTER"),  # ZERO WIDTH SPACE
    ({"shimei": "山田\ud800"}, "INPUT_LONE_SURROGATE"),
    ({"shimei": "山" * 101}, "INPUT_TOO_LONG"),
    ({"kana": "ヤ" * 101}, "INPUT_TOO_LONG"),
    ({"tsusho": "\u2067山田"}, "INPUT_CONTROL_CHARACTER"),  # RIGHT-TO-LEFT ISOLATE (any name item)
    ({"birth": "0001-01-01"}, "INPUT_DATE_OUT_OF_RANGE"),
    ({"birth": "1872-12-31"}, "INPUT_DATE_OUT_OF_RANGE"),
    ({"sex": "3"}, "REGISTRY_SEX_INVALID"),
    ({"nationality": "日本"}, "REGISTRY_ITEM_FOREIGN_ONLY"),
    ({"tsusho": "山田"}, "REGISTRY_ITEM_FOREIGN_ONLY"),
    ({"resident_kind": "外国人", "nationality": "中国"}, "REGISTRY_ITEM_REQUIRED"),
    ({"resident_kind": "外国人", "zairyu_shikaku": "永住者"}, "REGISTRY_ITEM_REQUIRED"),
    ({"resident_kind": "外国人", "nationality": "中国", "zairyu_shikaku": "永住者", "zairyu_card_no": "12345"},
     "REGISTRY_ZAIRYU_CARD_INVALID"),
    ({"resident_kind": "外国人", "nationality": "中国", "zairyu_shikaku": "永住者", "honseki": "長井市"},
     "REGISTRY_ITEM_JAPANESE_ONLY"),
    ({"resident_kind": "宇宙人"}, "REGISTRY_RESIDENT_KIND_INVALID"),
    ({"became_resident_on": "1970-01-01"}, "REGISTRY_RESIDENCY_BEFORE_BIRTH"),
])
def test_a_move_in_with_a_bad_item_is_refused_and_writes_nothing(platform, clerk, items, code):
    family(platform, clerk)
    items = dict(items)
    shimei, kana, birth = items.pop("shimei", "鈴木　一"), items.pop("kana", "スズキ　ハジメ"), items.pop("birth", "1980-01-01")
    refused(platform, clerk, code, **move_in_of(person(shimei, kana, birth, items.pop("sex", "1"), **items)))


@pytest.mark.parametrize(("extra", "code"), [
    ({"previous_address": "東京都千代田区" * 2000}, "INPUT_TOO_LONG"),  # 14,000 characters (a 10 MB one too)
    ({"note": "備考" * 600}, "INPUT_TOO_LONG"),
    ({"note": "職権\x00処理"}, "INPUT_CONTROL_CHARACTER"),
    ({"note": "理由\ud83d"}, "INPUT_LONE_SURROGATE"),
    ({"address": {"address": "山形県長井市本町\u202e一丁目"}}, "INPUT_CONTROL_CHARACTER"),
    ({"address": {"address": "山形県長井市本町一丁目", "katagaki": "\u200dコーポ"}}, "INPUT_CONTROL_CHARACTER"),
    ({"previous_address": "東京都\U0001F3E0"}, "INPUT_CHARACTER_NOT_ALLOWED"),  # 🏠 is no address character
])
def test_a_move_in_with_a_bad_notification_item_is_refused(platform, clerk, extra, code):
    error = refused(platform, clerk, code, **move_in_of(person(), **extra))
    assert error.fields and all(message for message in error.fields.values())


def test_a_note_keeps_its_line_breaks(platform, clerk):
    result = register(platform, clerk, **move_in_of(person(), note="1行目\n2行目\t（タブ）"))
    assert result.atena_nos


@pytest.mark.parametrize("bad_date", ["昭和64年1月8日", "2024-02-30", "令和6年2月30日", "S64.1.8", "あした"])
def test_an_impossible_ido_date_is_refused(platform, clerk, bad_date):
    fam = family(platform, clerk)
    refused(platform, clerk, "JP_DATE_INVALID", **move_in_of(person(), ido_date=bad_date))
    refused(platform, clerk, "JP_DATE_INVALID", kind="tenkyo", ido_date=bad_date, atena_nos=fam.atena_nos,
            address={"address": "山形県長井市栄町2番3号"})


@pytest.mark.parametrize("kind", ["tennyu", "tenkyo", "shibou", "shimei_henko", "todoke"])
def test_a_future_date_is_refused(platform, clerk, kind):
    fam = family(platform, clerk)
    tomorrow = days_ago(-1)
    cases = {
        "tennyu": move_in_of(person(), ido_date=tomorrow),
        "tenkyo": dict(kind="tenkyo", ido_date=tomorrow, atena_nos=fam.atena_nos, address={"address": "長井市栄町1"}),
        "shibou": dict(kind="shibou", ido_date=tomorrow, atena_no=fam.atena_nos[2]),
        "shimei_henko": dict(kind="shimei_henko", ido_date=tomorrow, atena_no=fam.atena_nos[1], shimei="佐藤　花子",
                             shimei_kana="サトウ　ハナコ"),
        "todoke": move_in_of(person(), todoke_date=tomorrow),
    }
    refused(platform, clerk, "REGISTRY_DATE_IN_FUTURE", **cases[kind])


def test_a_move_out_of_a_removed_resident_is_refused(platform, clerk):
    fam = family(platform, clerk)
    register(platform, clerk, kind="tenshutsu", ido_date=days_ago(5), atena_nos=[fam.atena_nos[2]],
             destination="東京都新宿区")
    refused(platform, clerk, "REGISTRY_ALREADY_REMOVED", kind="tenshutsu", ido_date=days_ago(1),
            atena_nos=[fam.atena_nos[2]], destination="大阪府大阪市")


def test_a_death_registered_twice_is_refused(platform, clerk):
    fam = family(platform, clerk)
    register(platform, clerk, kind="shibou", ido_date=days_ago(5), atena_no=fam.atena_nos[2])
    refused(platform, clerk, "REGISTRY_ALREADY_REMOVED", kind="shibou", ido_date=days_ago(5), atena_no=fam.atena_nos[2])


def test_a_change_dated_before_the_person_became_a_resident_is_refused(platform, clerk):
    fam = family(platform, clerk, days=30)
    before = days_ago(31)
    refused(platform, clerk, "REGISTRY_DATE_BEFORE_RESIDENCY", kind="tenkyo", ido_date=before,
            atena_nos=fam.atena_nos, address={"address": "山形県長井市栄町2番3号"})
    refused(platform, clerk, "REGISTRY_DATE_BEFORE_RESIDENCY", kind="shibou", ido_date=before, atena_no=fam.atena_nos[1])
    refused(platform, clerk, "REGISTRY_DATE_BEFORE_RESIDENCY", kind="tenshutsu", ido_date=before,
            atena_nos=[fam.atena_nos[1]], destination="東京都")


@pytest.mark.parametrize("kind", ["shibou", "tenshutsu"])
def test_a_household_left_without_a_head_is_refused(platform, clerk, kind):
    fam = family(platform, clerk)
    data = (dict(kind="shibou", atena_no=fam.atena_nos[0]) if kind == "shibou"
            else dict(kind="tenshutsu", atena_nos=[fam.atena_nos[0]], destination="東京都新宿区"))
    error = refused(platform, clerk, "REGISTRY_HOUSEHOLD_WITHOUT_HEAD", ido_date=days_ago(1), **data)
    assert "new_head" in error.fields


def test_a_move_in_with_two_heads_or_none_is_refused(platform, clerk):
    refused(platform, clerk, "REGISTRY_HOUSEHOLD_TWO_HEADS", **move_in_of(person(), person("山田　花子", "ヤマダ　ハナコ")))
    refused(platform, clerk, "REGISTRY_HOUSEHOLD_WITHOUT_HEAD",
            **move_in_of(person(zokugara="妻"), person("山田　花子", "ヤマダ　ハナコ", zokugara="子")))


@pytest.mark.parametrize("kind", ["tenkyo", "shibou", "shimei_henko", "tenshutsu", "shokken_shusei"])
def test_an_unknown_atena_no_is_refused(platform, clerk, kind):
    family(platform, clerk)
    cases = {
        "tenkyo": dict(atena_nos=["0000009999"], address={"address": "長井市栄町1"}),
        "shibou": dict(atena_no="0000009999"),
        "shimei_henko": dict(atena_no="0000009999", shimei="佐藤　花子", shimei_kana="サトウ　ハナコ"),
        "tenshutsu": dict(atena_nos=["0000009999"], destination="東京都"),
        "shokken_shusei": dict(atena_no="0000009999", changes={"sex": "2"}, note="誤り"),
    }
    refused(platform, clerk, "REGISTRY_RESIDENT_NOT_FOUND", kind=kind, ido_date=days_ago(1), **cases[kind])


def test_an_address_attribute_the_tenant_does_not_use_is_refused(platform, clerk, nagai):
    family(platform, clerk)
    refused(platform, clerk, "REGISTRY_ADDRESS_ATTRIBUTE_UNKNOWN",
            **move_in_of(person(), address={**ADDRESS, "attributes": {"校区": "長井小学校"}}))
    admin = context(platform, nagai, "tenant_admin")
    set_override(platform.uow(nagai), admin, "registry.address.attributes", date(2000, 4, 1), ["校区"], "校区で案内するため")
    refused(platform, clerk, "REGISTRY_ADDRESS_ATTRIBUTE_UNKNOWN",
            **move_in_of(person(), address={**ADDRESS, "attributes": {"自治区": "本町"}}))

    result = register(platform, clerk, **move_in_of(person(), address={**ADDRESS, "attributes": {"校区": "長井小学校"}}))
    assert result.atena_nos


def test_a_juminhyo_code_already_held_by_someone_else_is_refused(platform, clerk):
    first = move_in(platform, clerk)
    taken = resident(platform, clerk, first.atena_nos[0]).juminhyo_code
    refused(platform, clerk, "REGISTRY_CODE_DUPLICATE", **move_in_of(person(juminhyo_code=taken)))
