"""Pure item rules of a resident (domain.normalise_person)."""

from __future__ import annotations

import random
from datetime import date

import pytest

from municloud.errors import ValidationError
from municloud.jp.codes import generate_juminhyo_code, generate_my_number
from municloud.modules.registry.domain import FOREIGN, JAPANESE, RESIDENT, Person, normalise_person

TODAY = date(2026, 11, 26)
RNG = random.Random(3)
JUMINHYO = generate_juminhyo_code(RNG)
MY_NUMBER = generate_my_number(RNG)


def a_person(**changes) -> Person:
    base = Person(
        atena_no="0000000001", status=RESIDENT, resident_kind=JAPANESE, setai_no="0000000001", zokugara="世帯主",
        shimei="山田　太郎", shimei_kana="ヤマダ　タロウ", birth_date=date(1980, 4, 1), sex="1",
        juminhyo_code=JUMINHYO, address="山形県長井市本町一丁目1番1号", became_resident_on=date(2000, 1, 1),
        address_fixed_on=date(2000, 1, 1),
    )
    return base.with_(**changes)


def normalised(allowed=(), **changes) -> Person:
    return normalise_person(a_person(**changes), today=TODAY, allowed_attributes=allowed)


def refused(code: str, allowed=(), **changes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        normalised(allowed, **changes)
    assert caught.value.code == code, caught.value.message
    return caught.value


@pytest.mark.parametrize(("shimei", "collection"), [
    ("辻\U000E0102　一郎", "Moji_Joho"),
    ("葛\U000E0100西　花子", "Adobe-Japan1"),
    ("\U00020BB7野　三郎", None),
    ("\u9ad9橋　四郎", None),
    ("\ufa19田　五郎", None),
])
def test_a_name_is_kept_exactly_as_entered_with_its_ivs_collection(shimei, collection):
    person = normalised(shimei=shimei)
    assert person.shimei == shimei and person.shimei.encode() == shimei.encode()
    assert person.name_ivs_collection == collection


@pytest.mark.parametrize(("kana", "stored"), [
    ("やまだ　たろう", "ヤマダ　タロウ"), ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ　タロウ"), ("ヤマダ  タロウ", "ヤマダ　タロウ"),
])
def test_furigana_is_stored_as_full_width_katakana(kana, stored):
    assert normalised(shimei_kana=kana).shimei_kana == stored


def test_kanji_in_furigana_is_refused_naming_the_field():
    error = refused("JP_FURIGANA_INVALID", shimei_kana="山田　タロウ")
    assert "shimei_kana" in error.fields


def test_sex_is_stored_as_its_code():
    assert normalised(sex="女").sex == "2" and normalised(sex="1").sex == "1"
    refused("REGISTRY_SEX_INVALID", sex="9")


@pytest.mark.parametrize(("changes", "code"), [
    ({"nationality": "韓国"}, "REGISTRY_ITEM_FOREIGN_ONLY"),
    ({"zairyu_shikaku": "永住者"}, "REGISTRY_ITEM_FOREIGN_ONLY"),
    ({"zairyu_card_no": "AB12345678CD"}, "REGISTRY_ITEM_FOREIGN_ONLY"),
    ({"tsusho": "山田"}, "REGISTRY_ITEM_FOREIGN_ONLY"),
    ({"resident_kind": FOREIGN, "nationality": "韓国"}, "REGISTRY_ITEM_REQUIRED"),
    ({"resident_kind": FOREIGN, "zairyu_shikaku": "永住者"}, "REGISTRY_ITEM_REQUIRED"),
    ({"resident_kind": FOREIGN, "nationality": "韓国", "zairyu_shikaku": "永住者", "hittosha": "山田　太郎"},
     "REGISTRY_ITEM_JAPANESE_ONLY"),
    ({"resident_kind": FOREIGN, "nationality": "韓国", "zairyu_shikaku": "永住者", "kyu_uji": "金"},
     "REGISTRY_ITEM_JAPANESE_ONLY"),
    ({"resident_kind": FOREIGN, "nationality": "韓国", "zairyu_shikaku": "永住者", "zairyu_card_no": "ab12345678cd"},
     "REGISTRY_ZAIRYU_CARD_INVALID"),
    ({"tsusho_kana": "ヤマダ"}, "REGISTRY_TSUSHO_REQUIRED"),
    ({"kyu_uji_kana": "サトウ"}, "REGISTRY_KYU_UJI_REQUIRED"),
])
def test_items_of_the_other_kind_of_resident_are_refused(changes, code):
    refused(code, **changes)


def test_a_foreign_resident_with_nationality_and_status_is_accepted():
    person = normalised(resident_kind=FOREIGN, nationality="韓国", zairyu_shikaku="特別永住者",
                        zairyu_card_no="AB12345678CD", tsusho="金田　一", tsusho_kana="かねだ　はじめ")
    assert person.tsusho_kana == "カネダ　ハジメ" and person.zairyu_card_no == "AB12345678CD"


@pytest.mark.parametrize(("changes", "code"), [
    ({"juminhyo_code": JUMINHYO[:-1] + str((int(JUMINHYO[-1]) + 1) % 10)}, "JP_JUMINHYO_CODE_INVALID"),
    ({"my_number": MY_NUMBER[:-1] + str((int(MY_NUMBER[-1]) + 1) % 10)}, "JP_MY_NUMBER_INVALID"),
    ({"postal_code": "99300"}, "JP_POSTAL_CODE_INVALID"),
])
def test_codes_with_a_wrong_check_digit_or_length_are_refused_naming_the_field(changes, code):
    error = refused(code, **changes)
    assert set(error.fields) == set(changes)


def test_valid_codes_are_kept_as_ascii_digits():
    person = normalised(my_number=MY_NUMBER, postal_code="９９３－００１１")
    assert person.my_number == MY_NUMBER and person.postal_code == "9930011"


def test_dates_that_cannot_be_are_refused():
    refused("REGISTRY_BIRTH_DATE_FUTURE", birth_date=date(2026, 11, 27))
    refused("REGISTRY_RESIDENCY_BEFORE_BIRTH", became_resident_on=date(1980, 3, 31))


@pytest.mark.parametrize("item", ["birth_date", "became_resident_on", "address_fixed_on", "zairyu_kikan_end"])
def test_a_date_before_meiji_6_is_refused_whatever_door_it_came_through(item):
    # 0001-01-01 came in through a bulk load or a migration as a date object, not as typed text
    error = refused("INPUT_DATE_OUT_OF_RANGE", **{item: date(1, 1, 1)})
    assert error.fields == {item: error.message} and "明治6年1月1日" in error.message
    assert normalised(birth_date=date(1873, 1, 1), became_resident_on=date(2000, 1, 1)).birth_date == date(1873, 1, 1)


@pytest.mark.parametrize(("changes", "code"), [
    ({"shimei": "山田\u202e太郎"}, "INPUT_CONTROL_CHARACTER"),  # RIGHT-TO-LEFT OVERRIDE
    ({"shimei": "山田\u200b太郎"}, "INPUT_CONTROL_CHARACTER"),  # ZERO WIDTH SPACE
    ({"kyu_uji": "\u2066山田"}, "INPUT_CONTROL_CHARACTER"),  # LEFT-TO-RIGHT ISOLATE
    ({"shimei": "山田\ud800"}, "INPUT_LONE_SURROGATE"),
    ({"shimei": "山田😀"}, "INPUT_CHARACTER_NOT_ALLOWED"),  # not in JIS X 0213 nor MJ
    ({"shimei": "\U000E0102辻"}, "INPUT_CHARACTER_NOT_ALLOWED"),  # a selector with no ideograph before it
    ({"address": "長井市\u202e1-2"}, "INPUT_CONTROL_CHARACTER"),
    ({"katagaki": "\ue000荘"}, "INPUT_CONTROL_CHARACTER"),  # private use: an unmapped gaiji
    ({"previous_address": "東京都" * 100}, "INPUT_TOO_LONG"),
    ({"shimei_kana": "ヤ" * 101}, "INPUT_TOO_LONG"),
])
def test_names_and_addresses_follow_the_character_policy(changes, code):
    error = refused(code, **changes)
    [name] = error.fields
    assert name == next(iter(changes)) and not error.message.isascii()


def test_only_the_tenants_address_attributes_are_accepted():
    error = refused("REGISTRY_ADDRESS_ATTRIBUTE_UNKNOWN", address_attributes={"校区": "長井小"})
    assert "校区" in error.message
    refused("REGISTRY_ADDRESS_ATTRIBUTE_UNKNOWN", ("校区",), address_attributes={"自治区": "本町"})
    assert normalised(("校区",), address_attributes={"校区": "長井小"}).address_attributes == {"校区": "長井小"}


@pytest.mark.parametrize(("changes", "code"), [
    ({"shimei": ""}, "REGISTRY_ITEM_REQUIRED"),
    ({"shimei": "山田\t太郎"}, "INPUT_CONTROL_CHARACTER"),
    ({"shimei": "山" * 101}, "INPUT_TOO_LONG"),
    ({"address": " "}, "REGISTRY_ITEM_REQUIRED"),
    ({"zokugara": ""}, "REGISTRY_ITEM_REQUIRED"),
    ({"resident_kind": "その他"}, "REGISTRY_RESIDENT_KIND_INVALID"),
])
def test_required_text_items_are_checked(changes, code):
    error = refused(code, **changes)
    assert error.message and not error.message.isascii()
