"""Whether an address is inside a municipality: 都道府県 and 郡 optional, the 市区町村名
required, one of a designated city's wards required (地方自治法第252条の20, 第259条)."""

from __future__ import annotations

import pytest

from municloud.demo.generator import HouseholdGenerator
from municloud.demo.profiles import HIROSHIMA_WARDS, PROFILES, attribute_areas
from municloud.jp.area import PREFECTURES, Area, prefecture_of

NAGAI = Area("山形県", "長井市")
KASAGI = Area("京都府", "笠置町", county="相楽郡")
HIROSHIMA = Area("広島県", "広島市", wards=HIROSHIMA_WARDS)


def test_the_prefecture_is_the_first_two_digits_of_the_local_government_code():
    # JIS X 0401: 06 山形県, 26 京都府, 34 広島県, 13 東京都, 47 沖縄県
    assert [prefecture_of(c) for c in ("062090", "263648", "341002", "131016", "472018")] == [
        "山形県", "京都府", "広島県", "東京都", "沖縄県"]
    assert len(PREFECTURES) == 47 and prefecture_of("500011") is None


@pytest.mark.parametrize("address", [
    "山形県長井市栄町2番3号", "長井市栄町2番3号", "山形県長井市大字成田123番地の4", "山形県 長井市　本町一丁目1番1号",
])
def test_a_city_address_with_or_without_the_prefecture_and_in_oaza_notation_is_inside(address):
    assert NAGAI.contains(address)


@pytest.mark.parametrize("address", [
    "東京都千代田区千代田1番1号", "山形県米沢市金池3丁目1番55号", "宮城県長井市栄町1番", "長井栄町1番", "",
])
def test_another_municipality_or_another_prefectures_namesake_is_outside(address):
    assert not NAGAI.contains(address)


@pytest.mark.parametrize("address", [
    "京都府相楽郡笠置町大字笠置45番地", "相楽郡笠置町大字有市1番地", "京都府笠置町大字切山2番地", "笠置町大字飛鳥路3番地",
])
def test_a_town_in_a_county_may_be_written_with_or_without_prefecture_and_county(address):
    assert KASAGI.contains(address)


def test_a_town_written_with_another_county_is_outside():
    assert not KASAGI.contains("京都府綴喜郡笠置町大字笠置45番地")
    assert KASAGI.name == "京都府相楽郡笠置町"


def test_a_designated_city_address_names_one_of_its_wards():
    assert HIROSHIMA.contains("広島県広島市中区基町12番3号")
    assert HIROSHIMA.contains("広島市安佐南区祇園二丁目1番1号")
    assert HIROSHIMA.locality("広島県広島市安佐南区祇園二丁目1番1号") == "安佐南区祇園二丁目1番1号"
    assert not HIROSHIMA.contains("広島県広島市基町12番3号")  # no ward
    assert not HIROSHIMA.contains("広島県広島市北区基町12番3号")  # not one of its wards
    assert Area("広島県", "広島市").contains("広島県広島市基町12番3号")  # wards not listed: the city is enough


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_every_address_the_demo_generates_is_inside_its_municipality(profile):
    area = {"263648": KASAGI, "062090": NAGAI, "341002": HIROSHIMA}[profile.code]
    gen = HouseholdGenerator(profile, 7)
    homes = [gen.address() for _ in range(300)]
    assert all(area.contains(h["address"]) for h in homes)
    if profile.code == "062090":  # and its 校区 follows from the 町字 table
        table = attribute_areas(profile)
        for h in homes:
            town = area.locality(h["address"]).removeprefix("大字")
            assert table[next(k for k in table if town.startswith(k))] == h["attributes"]
