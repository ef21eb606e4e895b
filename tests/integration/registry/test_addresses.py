"""A 転入・転居 sets an address inside the tenant (住民基本台帳法第22条・第23条; a move out is a
転出, 第24条), and records the address's 校区 instead of dropping it."""

from __future__ import annotations

from datetime import date

import pytest

from municloud.demo.profiles import HIROSHIMA_WARDS
from municloud.kernel.parameters.services import set_override
from tests.factories import (
    context,
    days_ago,
    family,
    history_of,
    make_tenant,
    move_in,
    person,
    register,
    resident,
)
from tests.integration.registry.checks import refused

APR_2000 = date(2000, 4, 1)
SCHOOLS = {"本町": {"校区": "長井小学校区"}, "成田": {"校区": "西根小学校区"}, "館町北": {"校区": "長井小学校区"}}


def override(platform, tenant: str, key: str, value) -> None:
    admin = context(platform, tenant, "tenant_admin")
    set_override(platform.uow(tenant), admin, key, APR_2000, value, "試験のための設定")


@pytest.fixture
def schools(platform, nagai):
    """長井市 records the 校区 and knows the 校区 of three 町字."""
    override(platform, nagai, "registry.address.attributes", ["校区"])
    override(platform, nagai, "registry.address.attribute_areas", SCHOOLS)


def test_a_move_within_to_an_address_in_tokyo_is_refused_as_a_move_out(platform, clerk):
    fam = family(platform, clerk)
    error = refused(platform, clerk, "REGISTRY_ADDRESS_OUTSIDE_TENANT", kind="tenkyo", ido_date=days_ago(1),
                    todoke_date=days_ago(1), atena_nos=fam.atena_nos,
                    address={"address": "東京都千代田区千代田1番1号"})
    assert "転出" in error.message and "長井市" in error.message
    assert list(error.fields) == ["address.address"]
    assert resident(platform, clerk, fam.atena_nos[0]).address == "山形県長井市本町一丁目1番1号"


def test_a_move_in_to_an_address_outside_the_tenant_is_refused(platform, clerk):
    error = refused(platform, clerk, "REGISTRY_ADDRESS_OUTSIDE_TENANT", kind="tennyu", ido_date=days_ago(3),
                    todoke_date=days_ago(2), previous_address="東京都千代田区千代田1番1号",
                    address={"address": "山形県米沢市金池3丁目1番55号"}, persons=[person()])
    assert "転入" in error.message


@pytest.mark.parametrize("address", ["山形県長井市栄町2番3号", "長井市栄町2番3号", "山形県長井市大字成田123番地の4"])
def test_the_citys_own_addresses_are_accepted_with_or_without_the_prefecture(platform, clerk, address):
    fam = family(platform, clerk)
    register(platform, clerk, kind="tenkyo", ido_date=days_ago(1), atena_nos=fam.atena_nos, address={"address": address})
    assert resident(platform, clerk, fam.atena_nos[0]).address == address  # stored as entered


def test_a_town_in_a_county_accepts_its_address_as_the_demo_writes_it(platform):
    kasagi = make_tenant(platform, "263648", "笠置町", kind="町")
    override(platform, kasagi, "tenant.county", "相楽郡")
    clerk = context(platform, kasagi, "registry_clerk")
    home = move_in(platform, clerk, address="京都府相楽郡笠置町大字笠置45番地")
    register(platform, clerk, kind="tenkyo", ido_date=days_ago(1), atena_nos=home.atena_nos,
             address={"address": "笠置町大字有市12番地"})
    refused(platform, clerk, "REGISTRY_ADDRESS_OUTSIDE_TENANT", kind="tenkyo", ido_date=days_ago(1),
            atena_nos=home.atena_nos, address={"address": "京都府相楽郡南山城村大字北大河原1番地"})


def test_a_designated_city_needs_one_of_its_wards(platform, hiroshima):
    override(platform, hiroshima, "tenant.wards", list(HIROSHIMA_WARDS))
    clerk = context(platform, hiroshima, "registry_clerk")
    home = move_in(platform, clerk, address="広島県広島市中区基町12番3号")
    register(platform, clerk, kind="tenkyo", ido_date=days_ago(1), atena_nos=home.atena_nos,
             address={"address": "広島県広島市安佐南区祇園二丁目1番1号"})  # another ward: still a 転居
    error = refused(platform, clerk, "REGISTRY_ADDRESS_OUTSIDE_TENANT", kind="tenkyo", ido_date=days_ago(1),
                    atena_nos=home.atena_nos, address={"address": "広島県広島市基町12番3号"})
    assert "中区" in error.message  # the example names a ward
    refused(platform, clerk, "REGISTRY_ADDRESS_OUTSIDE_TENANT", kind="tenkyo", ido_date=days_ago(1),
            atena_nos=home.atena_nos, address={"address": "広島県呉市中央4丁目1番6号"})


def test_a_move_within_derives_the_new_addresses_school_district(platform, clerk, schools):
    home = move_in(platform, clerk, address="山形県長井市本町一丁目1番1号")
    assert resident(platform, clerk, home.atena_nos[0]).address_attributes == {"校区": "長井小学校区"}
    register(platform, clerk, kind="tenkyo", ido_date=days_ago(1), atena_nos=home.atena_nos,
             address={"address": "山形県長井市大字成田123番地"})
    assert [h.address_attributes for h in history_of(platform, clerk, home.atena_nos[0])] == [
        {"校区": "長井小学校区"}, {"校区": "西根小学校区"}]


def test_the_longest_matching_town_wins_and_the_clerks_value_wins_over_both(platform, clerk, schools):
    override(platform, clerk.tenant_code, "registry.address.attribute_areas",
             {**SCHOOLS, "館町": {"校区": "致芳小学校区"}})
    home = move_in(platform, clerk, address="山形県長井市館町北5番1号")
    assert resident(platform, clerk, home.atena_nos[0]).address_attributes == {"校区": "長井小学校区"}
    register(platform, clerk, kind="tenkyo", ido_date=days_ago(1), atena_nos=home.atena_nos,
             address={"address": "山形県長井市本町二丁目3番4号", "attributes": {"校区": "致芳小学校区"}})
    assert resident(platform, clerk, home.atena_nos[0]).address_attributes == {"校区": "致芳小学校区"}


def test_a_school_district_that_cannot_be_derived_must_be_entered(platform, clerk, schools):
    home = move_in(platform, clerk, address="山形県長井市本町一丁目1番1号")
    error = refused(platform, clerk, "REGISTRY_ADDRESS_ATTRIBUTE_REQUIRED", kind="tenkyo", ido_date=days_ago(1),
                    atena_nos=home.atena_nos, address={"address": "山形県長井市平山1000番地"})
    assert "校区" in error.message and list(error.fields) == ["address.attributes.校区"]


def test_joining_a_household_takes_its_school_district(platform, clerk, schools):
    host = move_in(platform, clerk, address="山形県長井市大字成田5番地")
    override(platform, clerk.tenant_code, "registry.address.attribute_areas", {})  # the table no longer knows 成田
    result = register(platform, clerk, kind="tennyu", ido_date=days_ago(2), todoke_date=days_ago(1),
                      previous_address="東京都千代田区千代田1番1号", join_setai_no=host.setai_nos[0],
                      address={"address": "山形県長井市大字成田5番地"},
                      persons=[person("山田　次郎", "ヤマダ　ジロウ", "1990-01-01", "1", "同居人")])
    assert resident(platform, clerk, result.atena_nos[0]).address_attributes == {"校区": "西根小学校区"}
