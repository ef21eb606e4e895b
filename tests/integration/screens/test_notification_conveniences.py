"""Small things that save the clerk work on the 届出 screens: a 転居 starts with the whole
household ticked, the result names the people, 人を追加 puts the cursor in the new block."""

from __future__ import annotations

import json
import re

import pytest

from tests.factories import audit_entries, days_ago, family
from tests.integration.screens import test_notification_screens as forms
from tests.integration.screens.helpers import text_of


@pytest.fixture
def b(signed_in, nagai):
    return signed_in(nagai, "registry_clerk")


def test_a_move_opened_from_one_persons_page_ticks_the_whole_household(b, platform, clerk, nagai):
    home = family(platform, clerk)
    page = forms.open_form(b, nagai, "tenkyo", atena_no=home.atena_nos[1])
    assert forms.fields_of(page)["atena_nos"] == home.atena_nos
    assert "転居しない方のチェックを外してください" in text_of(page)


def test_a_move_out_opened_from_one_persons_page_still_ticks_only_that_person(b, platform, clerk, nagai):
    home = family(platform, clerk)
    page = forms.open_form(b, nagai, "tenshutsu", atena_no=home.atena_nos[2])
    assert forms.fields_of(page)["atena_nos"] == [home.atena_nos[2]]


def test_the_result_page_names_the_people_moved(b, platform, clerk, nagai):
    home = family(platform, clerk)
    done = forms.register_through_screens(b, platform, nagai, "tenkyo",
                                    {"ido_date": days_ago(2), "address.address": "山形県長井市栄町5番1号"},
                                    atena_no=home.atena_nos[0])
    text = text_of(done)
    for name, atena in zip(("山田　太郎", "山田　花子", "山田　一郎"), home.atena_nos, strict=True):
        assert name in text and f"宛名番号 {atena}" in text
    assert f'href="/t/{nagai}/residents/{home.atena_nos[1]}">山田　花子</a>' in done
    looked = audit_entries(platform, nagai, "registry:resident:view")[-1]  # one entry names them all
    assert set(json.loads(looked.subjects)) == {f"resident:{a}" for a in home.atena_nos}


def test_adding_a_person_puts_the_focus_in_the_new_persons_name(b, nagai):
    page = forms.open_form(b, nagai, "tennyu")
    response = forms.send(b, nagai, "tennyu", page, {"persons.0.shimei": "長井　一子"}, action="add_person")
    assert response.status_code == 200
    focused = re.findall(r'<input id="([^"]+)"[^>]*\bautofocus\b', response.text)
    assert focused == ["f-persons-1-shimei"]
    again = forms.send(b, nagai, "tennyu", response.text, action="add_person")
    assert re.findall(r'<input id="([^"]+)"[^>]*\bautofocus\b', again.text) == ["f-persons-2-shimei"]
