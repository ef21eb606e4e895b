"""The demo's 住所マスター: the shipped files are what ``demo/towns.py`` makes, they load,
and every address the generator makes lies in a 町字 of its tenant's master."""

from __future__ import annotations

from datetime import date

import pytest

from municloud.bootstrap import import_all_fields
from municloud.demo import generate_households
from municloud.demo.profiles import HIROSHIMA_WARDS, PROFILES
from municloud.demo.towns import town_csv, town_file
from municloud.jp.area import Area
from municloud.modules.registry.towns.layout import parse_towns
from municloud.modules.registry.towns.matching import TownName, match

import_all_fields()
AREAS = {"263648": Area("京都府", "笠置町", "相楽郡"), "062090": Area("山形県", "長井市"),
         "341002": Area("広島県", "広島市", wards=HIROSHIMA_WARDS)}


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.code)
def test_the_shipped_file_is_the_generated_one(profile):
    assert town_file(profile).read_text(encoding="utf-8") == town_csv(profile), "run python -m municloud.demo.towns"


@pytest.mark.parametrize("profile", PROFILES, ids=lambda p: p.code)
def test_every_generated_address_lies_in_the_master_with_its_postal_code_and_attributes(profile):
    area = AREAS[profile.code]
    rows = parse_towns(town_file(profile).read_bytes(), profile.code, area.wards)
    by_id = {(r.machiaza_id, r.valid_from): r for r in rows}
    towns = [TownName(r.machiaza_id, r.key(area.wards), r.valid_from, r.valid_to) for r in rows]
    for members in generate_households(profile, 600, 7):
        home = members[0]
        found, rest = match(towns, area.locality(home["address"]) or "", date(2026, 1, 1), area.wards)
        assert found is not None and rest, home["address"]
        town = by_id[(found.machiaza_id, found.valid_from)]
        assert town.postal_code == home["postal_code"]
        assert town.attributes == home["address_attributes"]
