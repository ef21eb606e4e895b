"""The synthetic-data generator: deterministic, valid for the registry, believable."""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date

import pytest

from municloud.demo import REFERENCE_DATE, generate_households, profile_for, rows_digest
from municloud.demo.generator import UniqueCodes
from municloud.demo.names import KYUJI_SURNAMES
from municloud.demo.profiles import PROFILES
from municloud.errors import NotFoundError
from municloud.jp.chars import has_ivs, ivs_collection, name_search_key
from municloud.jp.codes import (
    juminhyo_code_check_digit,
    my_number_check_digit,
    validate_juminhyo_code,
    validate_local_government_code,
    validate_my_number,
)
from municloud.modules.registry import moves
from municloud.modules.registry.domain import HEAD, RESIDENT, Person, normalise_person

WARDS = ("中区", "東区", "南区", "西区", "安佐南区", "安佐北区", "安芸区", "佐伯区")


def _households(code: str, n: int, seed: int = 7) -> list[list[dict]]:
    return list(generate_households(profile_for(code), n, seed))


def _people(households):
    return [m for h in households for m in h]


def test_the_same_seed_and_size_give_the_same_rows_and_another_seed_does_not():
    profile = profile_for("062090")
    first = rows_digest(generate_households(profile, 3_000, 20261126))
    assert first == rows_digest(generate_households(profile, 3_000, 20261126))
    assert first != rows_digest(generate_households(profile, 3_000, 20261127))
    assert first != rows_digest(generate_households(profile_for("341002"), 3_000, 20261126))


@pytest.mark.parametrize("n", [1, 2, 1_800, 10_001])
def test_exactly_the_requested_number_of_residents_head_first_one_head_each(n):
    households = _households("263648", n)
    assert sum(map(len, households)) == n
    for h in households:
        assert h[0]["zokugara"] == HEAD
        assert [m["zokugara"] for m in h].count(HEAD) == 1


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.name)
def test_every_member_passes_the_registry_rules_of_a_bulk_load(profile):
    allowed = ("校区",) if profile.code == "062090" else ()
    for i, members in enumerate(generate_households(profile, 4_000, 3)):
        people = {}
        for j, items in enumerate(members):
            person = normalise_person(Person(atena_no=f"{i}-{j}", setai_no=str(i), status=RESIDENT, **items),
                                      today=date(2026, 11, 26), allowed_attributes=allowed)
            assert person.shimei == items["shimei"]  # stored exactly as generated (IVS kept)
            assert person.became_resident_on <= person.address_fixed_on <= REFERENCE_DATE
            people[person.atena_no] = person
        moves.check_households(people, {str(i)})


def test_children_are_younger_than_their_parents_and_parents_of_the_head_older():
    for h in _households("062090", 20_000):
        parents = [m["birth_date"] for m in h if m["zokugara"] in (HEAD, "妻", "夫")]
        mother = next((m for m in h if m["zokugara"] in (HEAD, "妻", "夫") and m["sex"] == "2"), None)
        for child in (m for m in h if m["zokugara"] == "子"):
            assert all(child["birth_date"] > p for p in parents)
            if mother is not None:
                gap = (child["birth_date"] - mother["birth_date"]).days / 365.2425
                assert 16 <= gap <= 43
        for elder in (m for m in h if m["zokugara"] in ("父", "母")):
            assert (h[0]["birth_date"] - elder["birth_date"]).days > 20 * 365


def test_resident_codes_and_my_numbers_are_valid_and_unique_within_a_municipality():
    people = _people(_households("341002", 30_000))
    juminhyo = [p["juminhyo_code"] for p in people]
    my_numbers = [p["my_number"] for p in people]
    assert all(validate_juminhyo_code(c) == c for c in juminhyo)
    assert all(validate_my_number(c) == c for c in my_numbers)
    assert len(set(juminhyo)) == len(juminhyo) and len(set(my_numbers)) == len(my_numbers)


def test_the_fast_check_digit_is_the_one_of_jp_codes():
    rng = random.Random(1)
    for digits, check in ((10, juminhyo_code_check_digit), (11, my_number_check_digit)):
        codes = UniqueCodes(rng, digits)
        for _ in range(20_000):
            code = codes.next()
            assert int(code[-1]) == check(code[:-1])


def test_shares_of_ivs_kyuji_and_foreign_residents_are_about_two_percent():
    people = _people(_households("341002", 50_000))
    n = len(people)
    ivs = sum(has_ivs(p["shimei"]) for p in people) / n
    old_forms = {name for name, _kana in KYUJI_SURNAMES}
    kyuji = sum(p["shimei"].split("\u3000")[0] in old_forms for p in people) / n
    foreign = sum(p["resident_kind"] == "外国人" for p in people) / n
    assert 0.008 < ivs < 0.03 and 0.01 < kyuji < 0.04 and 0.01 < foreign < 0.04
    # and search folds them: 髙橋 is found as 高橋, 辻+IVS as 辻
    assert name_search_key("髙橋\u3000一郎") == name_search_key("高橋\u3000一郎")


def test_ivs_names_are_moji_joho_and_every_furigana_is_already_in_stored_form():
    from municloud.jp.kana import to_furigana

    people = _people(_households("062090", 20_000))
    assert {ivs_collection(p["shimei"]) for p in people if has_ivs(p["shimei"])} == {"Moji_Joho"}
    for p in people:
        assert to_furigana(p["shimei_kana"]) == p["shimei_kana"]
        if p.get("tsusho_kana"):
            assert to_furigana(p["tsusho_kana"]) == p["tsusho_kana"]


def test_foreign_residents_carry_nationality_status_and_card_number():
    foreign = [p for p in _people(_households("341002", 40_000)) if p["resident_kind"] == "外国人"]
    assert foreign
    import re

    for p in foreign:
        assert p["nationality"] and p["zairyu_shikaku"] and "honseki" not in p
        assert re.fullmatch(r"[A-Z]{2}\d{8}[A-Z]{2}", p["zairyu_card_no"])
        if p["zairyu_shikaku"] not in ("永住者", "特別永住者"):
            assert p["zairyu_kikan"] and p["zairyu_kikan_end"] > REFERENCE_DATE
    assert any(p.get("tsusho") for p in foreign)
    assert len({p["nationality"] for p in foreign}) >= 5


def test_addresses_follow_each_municipality_notation():
    kasagi = _people(_households("263648", 1_800))
    assert all(p["address"].startswith("京都府相楽郡笠置町大字") and p["postal_code"].startswith("619") for p in kasagi)
    nagai = _people(_households("062090", 5_000))
    assert all(p["address"].startswith("山形県長井市") and p["address_attributes"]["校区"].endswith("小学校区")
               for p in nagai)
    hiroshima = _people(_households("341002", 5_000))
    wards = Counter(next(w for w in sorted(WARDS, key=len, reverse=True) if p["address"].startswith("広島県広島市" + w))
                    for p in hiroshima)
    assert set(wards) == set(WARDS)
    assert sum(bool(p.get("katagaki")) for p in hiroshima) / len(hiroshima) > 0.3


def test_household_sizes_are_realistic():
    households = _households("341002", 50_000)
    sizes = Counter(len(h) for h in households)
    assert set(sizes) == {1, 2, 3, 4, 5, 6}
    assert 1.9 < 50_000 / len(households) < 2.6
    assert sizes[1] > sizes[2] > sizes[3] > sizes[5]


def test_profiles_are_real_codes_and_an_unknown_code_is_refused():
    assert [p.code for p in PROFILES] == ["263648", "062090", "341002"]
    assert all(validate_local_government_code(p.code) == p.code for p in PROFILES)
    with pytest.raises(NotFoundError):
        profile_for("131016")


def test_generation_is_fast_enough_for_a_city_of_a_million():
    started = time.perf_counter()
    n = sum(1 for h in generate_households(profile_for("341002"), 100_000, 1) for _ in h)
    rate = n / (time.perf_counter() - started)
    assert rate > 8_000, f"{rate:,.0f} residents/s"  # ~40,000/s on one loaded core; 1M ≈ 25 s
