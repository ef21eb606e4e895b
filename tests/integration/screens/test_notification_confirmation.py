"""入力内容を確認する runs the registration itself as a dry run: every problem — the form's
and the service's — is shown at once on the form, and nothing is written or numbered.

Before, the confirmation step checked only what needs no database: a future 異動日, a
partial household move without a household, an over-long 方書 all passed it and failed
one at a time at 登録する (issue #9, section 4)."""

from __future__ import annotations

import json

import pytest

from tests.factories import audit_entries, days_ago, family
from tests.integration.screens.test_notification_errors import is_invalid, summary_links
from tests.integration.screens.test_notification_screens import confirm, open_form, send, tables_of

CHECK = "registry:notification:check"
NEW_ADDRESS = "山形県長井市栄町5番1号"
LONG_KATAGAKI = "メゾン長井" * 41  # 205 characters: 方書 holds 200 at most


@pytest.fixture
def b(signed_in, nagai):
    return signed_in(nagai, "registry_clerk")


@pytest.fixture
def home(platform, clerk):
    return family(platform, clerk, days=60)


def _tenkyo(b, platform, nagai, home, changes: dict):
    page = open_form(b, nagai, "tenkyo", setai_no=home.setai_nos[0])
    before = tables_of(platform, nagai)
    response = send(b, nagai, "tenkyo", page, {"ido_date": days_ago(3), "address.address": NEW_ADDRESS, **changes})
    assert tables_of(platform, nagai) == before, "the confirmation step wrote to the registry or took a number"
    return response


def test_a_future_ido_date_is_refused_at_confirmation(b, platform, nagai, home):
    response = _tenkyo(b, platform, nagai, home, {"ido_date": days_ago(-5)})
    assert response.status_code == 422 and "まだ登録されていません" not in response.text
    assert "未来の日付です" in summary_links(response.text)["f-ido_date"]
    assert is_invalid(response.text, "f-ido_date")


def test_a_partial_move_without_a_household_is_refused_at_confirmation(b, platform, nagai, home):
    child = home.atena_nos[2]
    response = _tenkyo(b, platform, nagai, home, {"atena_nos": [child]})
    assert response.status_code == 422
    assert "新しい世帯を作るか、入る世帯を指定してください" in summary_links(response.text)["f-new_household"]


def test_an_over_long_katagaki_is_refused_at_confirmation(b, platform, nagai, home):
    response = _tenkyo(b, platform, nagai, home, {"address.katagaki": LONG_KATAGAKI})
    assert response.status_code == 422
    assert "f-address-katagaki" in summary_links(response.text)
    assert is_invalid(response.text, "f-address-katagaki")
    assert LONG_KATAGAKI in response.text  # the input is kept to be corrected


def test_all_three_problems_are_shown_together_on_one_confirmation(b, platform, nagai, home):
    child = home.atena_nos[2]
    response = _tenkyo(b, platform, nagai, home,
                       {"ido_date": days_ago(-5), "atena_nos": [child], "address.katagaki": LONG_KATAGAKI})
    assert response.status_code == 422
    links = summary_links(response.text)
    assert {"f-ido_date", "f-new_household", "f-address-katagaki"} <= set(links)
    assert "未来の日付です" in links["f-ido_date"]
    assert "新しい世帯" in links["f-new_household"]


def test_the_forms_own_problems_and_the_services_are_shown_together(b, platform, nagai):
    page = open_form(b, nagai, "tennyu")
    response = send(b, nagai, "tennyu", page, {
        "ido_date": days_ago(-2), "previous_address": "東京都千代田区千代田1番1号", "address.address": NEW_ADDRESS,
        "persons.0.shimei": "長井　一子", "persons.0.shimei_kana": "ナガイ　イチコ", "persons.0.birth_date": "1980-04-01",
        "persons.0.sex": "2", "address.katagaki": LONG_KATAGAKI,
    })
    assert response.status_code == 422
    links = summary_links(response.text)
    assert "文字以内" in links["f-address-katagaki"]  # the form's own check (the declared item's length)
    assert "未来の日付です" in links["f-ido_date"]  # only the service knows this one


def test_a_wrong_required_item_is_shown_by_the_form_first(b, platform, nagai):
    """Without a valid フリガナ there is no notification to try: the form's message comes first."""
    page = open_form(b, nagai, "tennyu")
    response = send(b, nagai, "tennyu", page, {
        "ido_date": days_ago(1), "previous_address": "東京都千代田区千代田1番1号", "address.address": NEW_ADDRESS,
        "persons.0.shimei": "長井　一子", "persons.0.shimei_kana": "長井いちこ", "persons.0.birth_date": "1980-04-01",
        "persons.0.sex": "2",
    })
    assert response.status_code == 422
    assert "カタカナ" in summary_links(response.text)["f-persons-0-shimei_kana"]


def test_the_dry_run_is_audited_as_a_check_naming_only_existing_records(b, platform, clerk, nagai, home):
    head = home.atena_nos[0]
    confirm(b, platform, nagai, "tenkyo", {"ido_date": days_ago(3), "address.address": NEW_ADDRESS},
            setai_no=home.setai_nos[0])
    [entry] = audit_entries(platform, nagai, CHECK)
    assert entry.outcome == "success" and entry.actor == b.username
    assert json.loads(entry.subjects) == [f"resident:{a}" for a in home.atena_nos] + [f"household:{home.setai_nos[0]}"]
    assert json.loads(entry.detail) == {"kind": "tenkyo", "ido_jiyu": "転居"}
    assert not audit_entries(platform, nagai, "registry:notification:register")[1:]  # only the family's 転入

    refused = _tenkyo(b, platform, nagai, home, {"ido_date": days_ago(-5), "atena_nos": [head]})
    assert refused.status_code == 422
    failed = audit_entries(platform, nagai, CHECK)[-1]
    assert failed.outcome == "failure"
    detail = json.loads(failed.detail)
    assert detail["kind"] == "tenkyo" and "REGISTRY_DATE_IN_FUTURE" in detail["codes"]
    assert json.loads(failed.subjects) == [f"resident:{head}"]
    assert NEW_ADDRESS not in failed.detail


def test_a_dry_run_of_a_move_in_names_no_number_it_gave_back(b, platform, nagai):
    page = open_form(b, nagai, "tennyu")
    confirm_page = send(b, nagai, "tennyu", page, {
        "ido_date": days_ago(3), "previous_address": "東京都千代田区千代田1番1号", "address.address": NEW_ADDRESS,
        "persons.0.shimei": "長井　一子", "persons.0.shimei_kana": "ナガイ　イチコ", "persons.0.birth_date": "1980-04-01",
        "persons.0.sex": "2",
    })
    assert confirm_page.status_code == 200 and "このまま登録できる" in confirm_page.text
    [entry] = audit_entries(platform, nagai, CHECK)
    assert json.loads(entry.subjects) == []  # the new person's and household's numbers were given back
    registered = send(b, nagai, "tennyu", confirm_page.text, action="register")
    assert registered.status_code == 303  # 登録する still runs the real use case
