"""異動届の入力画面 for part of a household: the member table's checkboxes, head radios and
続柄 inputs reach the service as the notification's atena_nos / new_head / zokugara."""

from __future__ import annotations

import pytest

from tests.factories import days_ago, family, household_of, resident
from tests.integration.screens.helpers import text_of
from tests.integration.screens.test_notification_screens import (
    history_text,
    register_through_screens,
    send,
)


@pytest.fixture
def b(signed_in, nagai):
    return signed_in(nagai, "registry_clerk")


@pytest.fixture
def home(platform, clerk):
    return family(platform, clerk)


def test_part_of_a_household_moves_into_a_new_household(b, platform, clerk, nagai, home):
    head, wife, child = home.atena_nos
    changes = {"ido_date": days_ago(2), "address.address": "山形県長井市栄町5番1号", "atena_nos": [wife, child],
               "new_household": "1", "new_head": wife, f"zokugara.{child}": "子"}
    done = register_through_screens(b, platform, nagai, "tenkyo", changes, atena_no=wife)
    assert "転居" in done
    moved = resident(platform, clerk, wife)
    assert moved.zokugara == "世帯主" and moved.setai_no != home.setai_nos[0]
    assert [m.atena_no for m in household_of(platform, clerk, moved.setai_no).members] == [wife, child]
    assert resident(platform, clerk, head).address == "山形県長井市本町一丁目1番1号"


def test_the_head_moves_out_and_the_wife_becomes_head(b, platform, clerk, nagai, home):
    head, wife, child = home.atena_nos
    changes = {"ido_date": days_ago(1), "destination": "東京都新宿区西新宿二丁目8番1号", "new_head": wife}
    done = register_through_screens(b, platform, nagai, "tenshutsu", changes, atena_no=head)
    assert "転出" in done and f"/residents/{wife}" in done
    assert resident(platform, clerk, wife).zokugara == "世帯主"
    assert "世帯主変更" in history_text(b, nagai, wife)


def test_the_death_of_the_head_without_a_new_head_is_refused_on_the_form(b, platform, nagai, home):
    head = home.atena_nos[0]
    page = b.get(f"/t/{nagai}/notifications/new/shibou", params={"atena_no": head}).text
    response = send(b, nagai, "shibou", page, {"ido_date": days_ago(1)})  # refused at 入力内容を確認する
    assert response.status_code == 422
    assert "新しい世帯主" in text_of(response.text)
    assert 'id="f-new_head"' in response.text  # the summary's link has its target above the table


def test_a_split_of_the_household(b, platform, clerk, nagai, home):
    head, wife, child = home.atena_nos
    changes = {"ido_date": days_ago(1), "type": "split", "atena_nos": [child], "new_head": child}
    done = register_through_screens(b, platform, nagai, "setai_henko", changes, setai_no=home.setai_nos[0])
    assert "世帯分離" in done
    split = resident(platform, clerk, child)
    assert split.setai_no != home.setai_nos[0] and split.zokugara == "世帯主"


def test_a_move_out_is_confirmed_by_the_new_towns_notice(b, platform, clerk, nagai, home):
    child = home.atena_nos[2]
    register_through_screens(b, platform, nagai, "tenshutsu",
                             {"ido_date": days_ago(10), "destination": "東京都新宿区西新宿二丁目8番1号",
                              "atena_nos": [child]}, atena_no=child)
    page = b.get(f"/t/{nagai}/notifications/new/tenshutsu", params={"atena_no": child}).text
    assert 'value="kakutei" checked' in page  # a removed person: the form starts at 転出確定
    done = register_through_screens(b, platform, nagai, "tenshutsu",
                                    {"destination": "東京都新宿区西新宿二丁目8番1号", "notified_on": days_ago(3),
                                     "ido_date": days_ago(3)}, atena_no=child)
    assert "転出確定" in done
