"""The 住所マスター（町字）: a 転入・転居 inside the municipality goes to a 町字 in force on the
異動日, its 郵便番号 and 校区 come from the master, and the search box finds a 町字."""

from __future__ import annotations

import pytest

from municloud.demo.profiles import NAGAI
from municloud.demo.towns import town_csv
from municloud.errors import PermissionDeniedError
from municloud.modules.registry.services.towns import list_towns, load_towns
from municloud.modules.registry.towns.layout import TownsRefused
from tests.factories import context, days_ago, family, person, register, resident, search
from tests.integration.registry.checks import refused

TOWNS = town_csv(NAGAI).encode()


@pytest.fixture
def master(platform, nagai):
    """長井市 with its demo 住所マスター (校区 as an attribute) and records the 校区."""
    from tests.integration.registry.test_addresses import override

    override(platform, nagai, "registry.address.attributes", ["校区"])
    admin = context(platform, nagai, "tenant_admin")
    return load_towns(platform.uow(nagai), admin, TOWNS, "towns-062090.csv")


def move_in_to(platform, ctx, address: str, who: dict | None = None):
    """A 転入 with the 住所 only: the 郵便番号 and 校区 come from the master."""
    return register(platform, ctx, kind="tennyu", ido_date=days_ago(30), todoke_date=days_ago(29),
                    previous_address="東京都千代田区千代田1番1号", address={"address": address},
                    persons=[who or person()])


def test_loading_reports_the_rows_and_what_is_in_force(master):
    assert master.rows == 19 and master.in_force == 17 and master.replaced == 0
    assert len(master.sha256) == 64


def test_a_move_to_a_town_not_in_the_master_is_refused_in_japanese(platform, clerk, master):
    fam = family(platform, clerk)
    error = refused(platform, clerk, "REGISTRY_ADDRESS_NOT_IN_MASTER", kind="tenkyo", ido_date=days_ago(1),
                    todoke_date=days_ago(1), atena_nos=fam.atena_nos,
                    address={"address": "山形県長井市緑町3番4号"})
    assert "住所マスター" in error.message and list(error.fields) == ["address.address"]


def test_an_abolished_town_is_refused_after_its_abolition(platform, clerk, master):
    fam = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_ADDRESS_NOT_IN_MASTER", kind="tenkyo", ido_date=days_ago(1),
            todoke_date=days_ago(1), atena_nos=fam.atena_nos, address={"address": "山形県長井市館町3番4号"})


def test_a_town_without_a_banchi_is_refused(platform, clerk, master):
    fam = family(platform, clerk)
    error = refused(platform, clerk, "REGISTRY_ADDRESS_BANCHI_REQUIRED", kind="tenkyo", ido_date=days_ago(1),
                    todoke_date=days_ago(1), atena_nos=fam.atena_nos, address={"address": "山形県長井市館町北"})
    assert "番地" in error.message


def test_the_school_district_and_postal_code_follow_the_new_address(platform, clerk, master):
    fam = family(platform, clerk)
    first = resident(platform, clerk, fam.atena_nos[0])
    assert first.address_attributes == {"校区": "長井小学校区"} and first.postal_code == "9930011"
    register(platform, clerk, kind="tenkyo", ido_date=days_ago(1), todoke_date=days_ago(1), atena_nos=fam.atena_nos,
             address={"address": "山形県長井市大字成田123番地"})
    moved = resident(platform, clerk, fam.atena_nos[0])
    assert moved.address == "山形県長井市大字成田123番地"
    assert moved.postal_code == "9930051" and moved.address_attributes == {"校区": "西根小学校区"}


def test_a_different_postal_code_or_school_district_is_refused_not_replaced(platform, clerk, master):
    fam = family(platform, clerk)
    refused(platform, clerk, "REGISTRY_ADDRESS_POSTAL_CODE_NOT_OF_TOWN", kind="tenkyo", ido_date=days_ago(1),
            todoke_date=days_ago(1), atena_nos=fam.atena_nos,
            address={"address": "長井市成田123番地", "postal_code": "993-0011"})
    refused(platform, clerk, "REGISTRY_ADDRESS_ATTRIBUTE_NOT_OF_TOWN", kind="tenkyo", ido_date=days_ago(1),
            todoke_date=days_ago(1), atena_nos=fam.atena_nos,
            address={"address": "長井市成田123番地", "attributes": {"校区": "長井小学校区"}})


def test_a_move_in_to_an_address_outside_the_master_is_refused_and_the_previous_address_is_free(platform, clerk,
                                                                                                 master):
    refused(platform, clerk, "REGISTRY_ADDRESS_NOT_IN_MASTER", kind="tennyu", ido_date=days_ago(3),
            todoke_date=days_ago(2), previous_address="どこか遠くの町1番地",
            address={"address": "山形県長井市東町1番1号"}, persons=[person()])
    done = move_in_to(platform, clerk, "山形県長井市館町北3番4号")
    assert resident(platform, clerk, done.atena_nos[0]).postal_code == "9930014"


def test_a_renamed_town_is_in_force_under_its_old_name_before_the_change(platform, clerk, master):
    towns = list_towns(platform.uow(clerk.tenant_code), clerk, "サカエ", include_ended=True)
    assert [(t.name, t.in_force) for t in towns] == [("栄町", True), ("新栄町", False)]
    assert towns[0].machiaza_id == towns[1].machiaza_id


def test_the_type_ahead_finds_a_town_by_kana_or_kanji(platform, clerk, master):
    uow = lambda: platform.uow(clerk.tenant_code)  # noqa: E731
    assert [t.name for t in list_towns(uow(), clerk, "たてまち")] == ["館町北", "館町南"]
    assert [t.name for t in list_towns(uow(), clerk, "成田")] == ["大字成田"]
    assert list_towns(uow(), clerk, "ﾎﾝﾁｮｳ")[0].postal_code == "9930011"


def test_the_search_box_finds_the_residents_of_a_town(platform, clerk, master):
    move_in_to(platform, clerk, "山形県長井市館町北3番4号", person("館山　一郎", "タテヤマ　イチロウ"))
    move_in_to(platform, clerk, "山形県長井市本町一丁目1番1号", person("本田　二郎", "ホンダ　ジロウ"))
    assert [r.shimei for r in search(platform, clerk, q="館町北")] == ["館山　一郎"]


def test_a_town_that_is_also_a_surname_finds_both_its_residents_and_those_of_that_name(platform, clerk, master):
    move_in_to(platform, clerk, "山形県長井市大字成田12番地", person("佐藤　一郎", "サトウ　イチロウ"))
    move_in_to(platform, clerk, "山形県長井市本町一丁目1番1号", person("成田　花子", "ナリタ　ハナコ"))
    move_in_to(platform, clerk, "山形県長井市栄町1番1号", person("鈴木　次郎", "スズキ　ジロウ"))
    found = {r.shimei: r.matched_by for r in search(platform, clerk, q="成田")}
    assert found == {"佐藤　一郎": ["address"], "成田　花子": ["name"]}  # why each row matched


def test_a_file_with_problems_is_refused_whole_with_line_numbers(platform, nagai, master):
    admin = context(platform, nagai, "tenant_admin")
    bad = TOWNS.replace(b"9930051", b"99300", 1).replace(b"\n062090,0013000", b"\n999999,0013000", 1)
    with pytest.raises(TownsRefused) as caught:
        load_towns(platform.uow(nagai), admin, bad, "bad.csv")
    problems = {(p.row, p.column) for p in caught.value.problems}
    assert problems == {(13, "post_code"), (17, "lg_code")}  # lines of the file (the header is line 1)
    assert "13行目" in caught.value.message and caught.value.code == "REGISTRY_TOWNS_FILE_INVALID"
    assert len(list_towns(platform.uow(nagai), admin, include_ended=True)) == 19  # the old master is kept


def test_only_the_tenant_admin_loads_the_master(platform, clerk, master):
    with pytest.raises(PermissionDeniedError):
        load_towns(platform.uow(clerk.tenant_code), clerk, TOWNS)


def test_the_search_box_finds_a_town_of_a_designated_city_with_or_without_its_ward(platform):
    from municloud.demo.profiles import HIROSHIMA, HIROSHIMA_WARDS
    from tests.factories import make_tenant
    from tests.integration.registry.test_addresses import override

    city = make_tenant(platform, "341002", "広島市", "指定都市")
    override(platform, city, "tenant.wards", list(HIROSHIMA_WARDS))
    load_towns(platform.uow(city), context(platform, city, "tenant_admin"), town_csv(HIROSHIMA).encode())
    clerk = context(platform, city, "registry_clerk")
    move_in_to(platform, clerk, "広島県広島市中区基町12番3号", person("基山　花子", "モトヤマ　ハナコ"))
    assert [r.shimei for r in search(platform, clerk, q="中区基町")] == ["基山　花子"]
    assert [r.shimei for r in search(platform, clerk, q="基町")] == ["基山　花子"]
