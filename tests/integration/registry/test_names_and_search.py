"""Names stored exactly as entered; search by any form of a name, birth date, address, code."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from municloud.errors import MuniError, NotFoundError
from municloud.modules.registry.orm import ResidentRecord
from tests.factories import (
    context,
    days_ago,
    family,
    history_of,
    move_in,
    person,
    register,
    resident,
    search,
)

TSUJI_MJ = "辻\U000E0102"  # Moji_Joho IVS
KUZU_ADOBE = "葛\U000E0100"  # Adobe-Japan1 IVS
YOSHI = "\U00020BB7"  # 𠮷 (つちよし), outside the BMP
TAKA = "\u9ad9"  # 髙 (はしごだか)
KAMI_COMPAT = "\ufa19"  # 神 compatibility ideograph: NFC would turn it into U+795E

NAMES = [
    (f"{TSUJI_MJ}　一郎", "ツジ　イチロウ", "Moji_Joho"),
    (f"{KUZU_ADOBE}西　花子", "カサイ　ハナコ", "Adobe-Japan1"),
    (f"{YOSHI}野　三郎", "ヨシノ　サブロウ", None),
    (f"{TAKA}橋　四郎", "タカハシ　シロウ", None),
    (f"{KAMI_COMPAT}田　五郎", "カミタ　ゴロウ", None),
    ("渡邊　六郎", "ワタナベ　ロクロウ", None),
]


@pytest.fixture
def named(platform, clerk):
    """One household per name, each moved in; returns {shimei: atena_no}."""
    atena = {}
    for i, (shimei, kana, _) in enumerate(NAMES):
        result = move_in(platform, clerk, [person(shimei, kana, "1980-04-01" if i == 0 else f"1975-01-0{i + 1}")],
                         address=f"山形県長井市本町{i + 1}丁目1番1号")
        atena[shimei] = result.atena_nos[0]
    return atena


@pytest.mark.parametrize(("shimei", "kana", "collection"), NAMES)
def test_a_name_round_trips_byte_exact(platform, clerk, named, shimei, kana, collection):
    atena_no = named[shimei]
    record = resident(platform, clerk, atena_no)
    assert record.shimei.encode("utf-8") == shimei.encode("utf-8")
    assert record.name_ivs_collection == collection
    assert [h.shimei.encode("utf-8") for h in history_of(platform, clerk, atena_no)] == [shimei.encode("utf-8")]
    with platform.session_factory() as s:
        stored = s.scalar(select(ResidentRecord.shimei).where(ResidentRecord.atena_no == atena_no,
                                                              ResidentRecord.tenant_code == clerk.tenant_code))
    assert stored.encode("utf-8") == shimei.encode("utf-8")


def test_the_compatibility_kami_is_not_normalised_to_the_unified_one(platform, clerk, named):
    record = resident(platform, clerk, named[f"{KAMI_COMPAT}田　五郎"])
    assert KAMI_COMPAT in record.shimei and "\u795e" not in record.shimei


def test_a_name_with_ivs_survives_later_changes(platform, clerk, named):
    atena_no = named[f"{TSUJI_MJ}　一郎"]
    register(platform, clerk, kind="tenkyo", ido_date=days_ago(1), atena_nos=[atena_no],
             address={"address": "山形県長井市栄町2番3号"})
    assert [h.shimei for h in history_of(platform, clerk, atena_no)] == [f"{TSUJI_MJ}　一郎"] * 2


@pytest.mark.parametrize(("query", "expected"), [
    ("高橋", f"{TAKA}橋　四郎"),
    ("髙橋　四郎", f"{TAKA}橋　四郎"),
    ("吉野", f"{YOSHI}野　三郎"),
    ("辻", f"{TSUJI_MJ}　一郎"),
    (f"{TSUJI_MJ}一郎", f"{TSUJI_MJ}　一郎"),
    ("辻\U000E0100", f"{TSUJI_MJ}　一郎"),
    ("葛西", f"{KUZU_ADOBE}西　花子"),
    ("渡辺", "渡邊　六郎"),
    ("渡邉", "渡邊　六郎"),
    ("\u795e田", f"{KAMI_COMPAT}田　五郎"),
    ("たかはし", f"{TAKA}橋　四郎"),
    ("ﾀｶﾊｼ ｼﾛｳ", f"{TAKA}橋　四郎"),
])
def test_a_name_is_found_in_any_of_its_forms(platform, clerk, named, query, expected):
    assert [r.atena_no for r in search(platform, clerk, q=query)] == [named[expected]]


def test_a_new_form_name_finds_the_old_form_and_back(platform, clerk):
    old = move_in(platform, clerk, [person("渡邊　一", "ワタナベ　ハジメ")]).atena_nos[0]
    new = move_in(platform, clerk, [person("渡辺　二", "ワタナベ　フタバ")]).atena_nos[0]
    assert {r.atena_no for r in search(platform, clerk, q="渡邊")} == {old, new}
    assert {r.atena_no for r in search(platform, clerk, q="渡辺")} == {old, new}


@pytest.mark.parametrize("query", ["昭和55年4月1日", "S55.4.1", "s55.4.1", "1980-04-01", "1980/4/1", "19800401"])
def test_a_birth_date_is_found_in_wareki_and_seireki(platform, clerk, named, query):
    assert [r.atena_no for r in search(platform, clerk, q=query)] == [named[f"{TSUJI_MJ}　一郎"]]
    assert [r.atena_no for r in search(platform, clerk, birth_date=query)] == [named[f"{TSUJI_MJ}　一郎"]]


def test_a_resident_is_found_by_an_address_fragment(platform, clerk, named):
    assert [r.atena_no for r in search(platform, clerk, address="本町３丁目")] == [named[f"{YOSHI}野　三郎"]]
    assert len(search(platform, clerk, address="長井市本町")) == len(NAMES)


def test_a_resident_is_found_by_juminhyo_code(platform, clerk, named):
    atena_no = named[f"{TAKA}橋　四郎"]
    code = resident(platform, clerk, atena_no).juminhyo_code
    assert [r.atena_no for r in search(platform, clerk, q=code)] == [atena_no]
    assert [r.atena_no for r in search(platform, clerk, juminhyo_code=code)] == [atena_no]


def test_search_wildcards_are_taken_literally(platform, clerk, named):
    assert search(platform, clerk, q="%") == []
    assert search(platform, clerk, q="_") == []
    assert search(platform, clerk, address="%") == []


def test_an_empty_search_is_refused(platform, clerk):
    with pytest.raises(MuniError) as caught:
        search(platform, clerk, q="  ")
    assert caught.value.code == "REGISTRY_SEARCH_EMPTY"


def test_search_never_crosses_tenants(platform, clerk, hiroshima):
    nagai_family = family(platform, clerk)
    hiroshima_clerk = context(platform, hiroshima, "registry_clerk")
    theirs = move_in(platform, hiroshima_clerk, [
        person("山田　太郎", "ヤマダ　タロウ", "1980-04-01"), person("山田　次郎", "ヤマダ　ジロウ", zokugara="弟"),
        person("山田　三郎", "ヤマダ　サブロウ", zokugara="弟"), person("山田　四郎", "ヤマダ　シロウ", zokugara="弟"),
    ], address="広島県広島市中区国泰寺町一丁目6番34号")
    theirs_code = resident(platform, hiroshima_clerk, theirs.atena_nos[0]).juminhyo_code

    for query in ({"q": "山田"}, {"q": "ヤマダ"}, {"q": "1980-04-01"}, {"address": "広島"},
                  {"q": theirs_code}, {"q": "山田", "include_removed": True}):
        assert {r.atena_no for r in search(platform, clerk, **query)} <= set(nagai_family.atena_nos), query
    assert [r.address for r in search(platform, hiroshima_clerk, q="山田太郎")] == ["広島県広島市中区国泰寺町一丁目6番34号"]
    with pytest.raises(NotFoundError):
        resident(platform, clerk, theirs.atena_nos[3])


def test_removed_records_are_found_only_when_asked_for(platform, clerk):
    fam = family(platform, clerk)
    register(platform, clerk, kind="shibou", ido_date=days_ago(1), atena_no=fam.atena_nos[1])
    assert {r.atena_no for r in search(platform, clerk, q="ヤマダ")} == {fam.atena_nos[0], fam.atena_nos[2]}
    found = search(platform, clerk, q="ヤマダ　ハナコ", include_removed=True)
    assert [(r.atena_no, r.status) for r in found] == [(fam.atena_nos[1], "removed")]


@pytest.mark.parametrize("query", ["昭和64年1月8日", "H1.1.7", "1980-02-30", "12345"])
def test_a_search_by_an_impossible_date_says_so(platform, clerk, named, query):
    with pytest.raises(MuniError) as caught:
        search(platform, clerk, q=query)
    assert caught.value.code == "JP_DATE_INVALID" and not caught.value.message.isascii()


def test_a_birth_on_the_first_day_of_heisei_is_found_by_its_era_date(platform, clerk):
    born = move_in(platform, clerk, [person("平成　元", "ヘイセイ　ハジメ", "1989-01-08")]).atena_nos
    assert [r.atena_no for r in search(platform, clerk, q="H1.1.8")] == born
    assert [r.atena_no for r in search(platform, clerk, q="平成元年1月8日")] == born
    assert search(platform, clerk, q="昭和64年1月7日") == []
