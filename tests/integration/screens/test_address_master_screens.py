"""The 住所マスター on the screens: a tenant with a master gets 町字 + 番地・号 instead of a free
住所 on the 転入・転居 forms (郵便番号 and 校区 derived, shown on the confirmation), the
type-ahead's JSON, and the admin's view of the master."""

from __future__ import annotations

import pytest

from municloud.demo.profiles import NAGAI
from municloud.demo.towns import town_csv
from municloud.modules.registry.services.towns import load_towns
from tests.factories import context, days_ago, family, resident
from tests.integration.registry.test_addresses import override
from tests.integration.screens.helpers import text_of
from tests.integration.screens.test_notification_errors import summary_links
from tests.integration.screens.test_notification_screens import (
    confirm,
    open_form,
    register_through_screens,
    send,
)


@pytest.fixture
def master(platform, nagai):
    override(platform, nagai, "registry.address.attributes", ["校区"])
    load_towns(platform.uow(nagai), context(platform, nagai, "tenant_admin"), town_csv(NAGAI).encode())


@pytest.fixture
def b(signed_in, nagai):
    return signed_in(nagai, "registry_clerk")


def test_without_a_master_the_address_stays_free_text(b, nagai, platform, clerk):
    home = family(platform, clerk)
    page = open_form(b, nagai, "tenkyo", setai_no=home.setai_nos[0])
    assert 'name="address.address"' in page and 'name="address.town"' not in page


def test_with_a_master_the_clerk_picks_a_town_and_the_postal_code_and_school_follow(b, nagai, platform, clerk,
                                                                                      master):
    home = family(platform, clerk)
    page = open_form(b, nagai, "tenkyo", setai_no=home.setai_nos[0])
    assert 'name="address.town"' in page and 'role="combobox"' in page and 'src="/static/towns.js"' in page
    assert 'name="address.address"' not in page and 'name="address.postal_code"' not in page
    changes = {"ido_date": days_ago(2), "address.town": "大字成田", "address.banchi": "123番地"}
    shown = text_of(confirm(b, platform, nagai, "tenkyo", changes, setai_no=home.setai_nos[0]))
    assert "山形県長井市大字成田123番地" in shown and "9930051" in shown and "西根小学校区" in shown
    register_through_screens(b, platform, nagai, "tenkyo", changes, setai_no=home.setai_nos[0])
    moved = resident(platform, clerk, home.atena_nos[0])
    assert (moved.address, moved.postal_code, moved.address_attributes) == (
        "山形県長井市大字成田123番地", "9930051", {"校区": "西根小学校区"})


def test_a_town_not_in_the_master_is_shown_on_the_town_box(b, nagai, platform, clerk, master):
    home = family(platform, clerk)
    page = open_form(b, nagai, "tenkyo", setai_no=home.setai_nos[0])
    response = send(b, nagai, "tenkyo", page, {"ido_date": days_ago(2), "address.town": "緑町",
                                              "address.banchi": "3番4号"})
    assert response.status_code == 422
    assert "住所マスターにありません" in summary_links(response.text)["f-address-town"]


def test_the_type_ahead_answers_json_for_kana(b, nagai, master):
    found = b.get(f"/t/{nagai}/towns/suggest", params={"q": "たてまち"}).json()
    assert [(t["name"], t["postal_code"], t["attributes"]) for t in found] == [
        ("館町北", "9930014", {"校区": "長井小学校区"}), ("館町南", "9930015", {"校区": "長井小学校区"})]


def test_the_master_screen_lists_towns_with_their_periods(b, nagai, master):
    shown = text_of(b.get(f"/t/{nagai}/towns", params={"include_ended": "1", "q": "さかえ"}).text)
    assert "栄町" in shown and "新栄町" in shown and "昭和50年4月1日" in shown
    assert "館町" in text_of(b.get(f"/t/{nagai}/towns", params={"on": "昭和49年1月1日"}).text)
    assert "館町北" not in text_of(b.get(f"/t/{nagai}/towns", params={"on": "昭和49年1月1日"}).text)


def test_the_search_box_of_the_search_screen_finds_the_residents_of_a_town(b, nagai, platform, clerk, master):
    from tests.factories import person
    from tests.integration.registry.test_address_master import move_in_to

    move_in_to(platform, clerk, "山形県長井市館町北3番4号", person("館山　一郎", "タテヤマ　イチロウ"))
    move_in_to(platform, clerk, "山形県長井市栄町1番1号", person("栄　次郎", "サカエ　ジロウ"))
    shown = text_of(b.get(f"/t/{nagai}/residents", params={"q": "館町北"}).text)
    assert "館山　一郎" in shown and "栄　次郎" not in shown


def test_the_tenant_admin_checks_then_loads_a_file_on_the_screen(signed_in, nagai, platform):
    import hashlib

    from tests.integration.screens.helpers import csrf_of

    admin = signed_in(nagai, "tenant_admin")
    url = f"/t/{nagai}/towns"
    page = admin.get(url).text
    assert 'enctype="multipart/form-data"' in page and "住所マスターが取り込まれていません" in text_of(page)
    data = town_csv(NAGAI).encode()

    def post(content: bytes, **form):
        return admin.client.post(f"{url}/load", data={"csrf_token": csrf_of(admin.get(url).text), **form},
                                 files={"file": ("towns-062090.csv", content, "text/csv")})

    bad = post(data.replace(b"9930051", b"99", 1))
    assert bad.status_code == 422 and "13" in text_of(bad.text) and "JP_POSTAL_CODE_INVALID" in bad.text
    checked = post(data)
    assert checked.status_code == 200 and "町字 19件" in text_of(checked.text) and "まだ取り込んでいません" in checked.text
    assert "住所マスターが取り込まれていません" in text_of(checked.text)  # the check wrote nothing
    other = post(data.replace(b"9930051", b"9930052", 1), action="load", confirmed=hashlib.sha256(data).hexdigest())
    assert other.status_code == 422 and "確認したファイルと違います" in other.text
    loaded = post(data, action="load", confirmed=hashlib.sha256(data).hexdigest())
    assert loaded.status_code == 303
    shown = admin.get(loaded.headers["location"]).text
    assert "住所マスター（町字）を取り込みました" in shown and "館町北" in shown


def test_a_clerk_sees_the_master_but_no_load_form(b, nagai, master):
    page = b.get(f"/t/{nagai}/towns").text
    assert "館町北" in page and 'name="file"' not in page


def test_an_attribute_the_town_leaves_blank_gets_an_input_and_its_error(b, nagai, platform, clerk, master):
    """自治区 is wanted but no 町字 of the master gives it (and nothing else does): the form
    then offers exactly that input, the error points at it, and what the clerk types is
    confirmed and recorded — the 届出 does not get stuck."""
    home = family(platform, clerk)
    override(platform, nagai, "registry.address.attributes", ["校区", "自治区"])
    page = open_form(b, nagai, "tenkyo", setai_no=home.setai_nos[0])
    assert 'name="address.attributes.' not in page  # no 町字 chosen yet
    changes = {"ido_date": days_ago(2), "address.town": "大字成田", "address.banchi": "123番地"}
    response = send(b, nagai, "tenkyo", page, changes)
    assert response.status_code == 422
    assert "自治区を入力してください" in summary_links(response.text)["f-address-attributes-自治区"]
    assert 'id="f-address-attributes-自治区"' in response.text
    assert 'name="address.attributes.校区"' not in response.text  # the 町字 gives that one
    shown = text_of(confirm(b, platform, nagai, "tenkyo", {**changes, "address.attributes.自治区": "第3自治区"},
                            setai_no=home.setai_nos[0]))
    assert "校区：西根小学校区" in shown and "自治区：第3自治区" in shown
    register_through_screens(b, platform, nagai, "tenkyo", {**changes, "address.attributes.自治区": "第3自治区"},
                             setai_no=home.setai_nos[0])
    assert resident(platform, clerk, home.atena_nos[0]).address_attributes == {
        "校区": "西根小学校区", "自治区": "第3自治区"}


def test_the_confirmation_shows_the_address_as_the_registration_derives_it(b, nagai, platform, clerk, master):
    """An attribute the 町字 leaves blank comes from ``attribute_areas``: the confirmation
    shows it, as the registration records it."""
    home = family(platform, clerk)
    override(platform, nagai, "registry.address.attributes", ["校区", "自治区"])
    override(platform, nagai, "registry.address.attribute_areas", {"大字成田": {"自治区": "第7自治区"}})
    changes = {"ido_date": days_ago(2), "address.town": "大字成田", "address.banchi": "123番地"}
    shown = text_of(confirm(b, platform, nagai, "tenkyo", changes, setai_no=home.setai_nos[0]))
    assert "校区：西根小学校区、自治区：第7自治区" in shown and "9930051" in shown
    register_through_screens(b, platform, nagai, "tenkyo", changes, setai_no=home.setai_nos[0])
    assert resident(platform, clerk, home.atena_nos[0]).address_attributes == {
        "校区": "西根小学校区", "自治区": "第7自治区"}


def test_a_date_before_the_rules_is_shown_on_the_form_not_as_an_error_page(b, nagai, platform, clerk, master):
    # the form asks which 付加情報 the 町字 leaves blank on the 異動日; on a date before the
    # rules are in force that question has no answer, and the dry run's message must win
    home = family(platform, clerk)
    page = open_form(b, nagai, "tenkyo", setai_no=home.setai_nos[0])
    response = send(b, nagai, "tenkyo", page, {"ido_date": "1999-04-01", "address.town": "大字成田",
                                              "address.banchi": "123番地"})
    assert response.status_code == 422
    assert 'name="address.town"' in response.text and "DATE_BEFORE_RULES" not in text_of(response.text)
    assert summary_links(response.text), "the problem is listed in the form's error summary"
