"""異動届の入力画面: each of the nine kinds entered → confirmed → registered, and nothing
written before 登録する.

The clerk works as in a browser: opens the form, fills what a person would type (the
rest is what the page already holds: hidden 履歴番号, checked boxes, default choices),
presses 入力内容を確認する, then 登録する on the confirmation page.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.factories import days_ago, family, move_in, person, registry_footprint
from tests.integration.screens.helpers import text_of

FORM_MARK = "/notifications/new/"


class FormFields(HTMLParser):
    """What a browser would send from the POST form whose action contains *mark*: every
    named input, checked boxes and radios only, the selected option, textareas; submit
    buttons left out (collected in ``buttons``)."""

    def __init__(self, mark: str = FORM_MARK) -> None:
        super().__init__()
        self.mark = mark
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.buttons: list[dict] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._selected = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and a.get("method") == "post" and self.mark in a.get("action", ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "button":
            self.buttons.append(a)
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select, self._first_option, self._selected = a.get("name"), None, False
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = a.get("value", "")
            if "selected" in a:
                self.fields.append((self._select, a.get("value", "")))
                self._selected = True
        elif tag == "textarea":
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data):
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            if not self._selected:
                self.fields.append((self._select, self._first_option or ""))
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, self._text.strip("\n")))
            self._textarea = None


def form_of(page: str, mark: str = FORM_MARK) -> FormFields:
    parser = FormFields(mark)
    parser.feed(page)
    assert parser.fields, "no such form on the page"
    return parser


def fields_of(page: str, mark: str = FORM_MARK, lists: tuple[str, ...] = ("atena_nos",)) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {}
    for name, value in form_of(page, mark).fields:
        if name in lists:
            data.setdefault(name, []).append(value)  # type: ignore[union-attr]
        else:
            data[name] = value
    return data


def open_form(b, tenant: str, kind: str, **query) -> str:
    response = b.get(f"/t/{tenant}/notifications/new/{kind}", params=query)
    assert response.status_code == 200, text_of(response.text)[:2000]
    return response.text


def send(b, tenant: str, kind: str, page: str, changes: dict | None = None, action: str | None = None):
    data = fields_of(page)
    data.update(changes or {})
    if action:
        data["action"] = action
    return b.post(f"/t/{tenant}{FORM_MARK}{kind}", data=data)


def tables_of(platform, tenant: str) -> dict:
    counts = registry_footprint(platform, tenant)
    counts.pop("audit_success")  # looking at records (the form, the confirmation) is audited
    return counts


def confirm(b, platform, tenant: str, kind: str, changes: dict, **query) -> str:
    """Open the form, type *changes*, press 入力内容を確認する: the confirmation page (nothing written)."""
    page = open_form(b, tenant, kind, **query)
    before = tables_of(platform, tenant)
    response = send(b, tenant, kind, page, changes)
    assert response.status_code == 200, text_of(response.text)[:3000]
    assert "まだ登録されていません" in response.text
    assert tables_of(platform, tenant) == before, "the confirmation step wrote to the registry"
    return response.text


def register_through_screens(b, platform, tenant: str, kind: str, changes: dict, **query) -> str:
    """… then 登録する: follows the redirect and returns the result page."""
    page = confirm(b, platform, tenant, kind, changes, **query)
    response = send(b, tenant, kind, page, action="register")
    assert response.status_code == 303, text_of(response.text)[:3000]
    result = b.get(response.headers["location"])
    assert result.status_code == 200
    return result.text


def history_text(b, tenant: str, atena_no: str) -> str:
    page = b.get(f"/t/{tenant}/residents/{atena_no}")
    assert page.status_code == 200
    return text_of(page.text)


@pytest.fixture
def clerk_browser(signed_in, nagai):
    return signed_in(nagai, "registry_clerk")


def test_a_move_in_is_entered_confirmed_and_registered(clerk_browser, platform, nagai):
    changes = {
        "ido_date": days_ago(3), "previous_address": "東京都千代田区千代田1番1号",
        "address.address": "山形県長井市本町一丁目2番3号", "address.postal_code": "993-0011",
        "persons.0.shimei": "長井　一子", "persons.0.shimei_kana": "ながい　いちこ",
        "persons.0.birth_date": "昭和55年4月1日", "persons.0.sex": "2",
    }
    page = confirm(clerk_browser, platform, nagai, "tennyu", changes)
    shown = text_of(page)
    assert "長井　一子" in shown and "ナガイ　イチコ" in shown and "昭和55年4月1日" in shown
    assert "新しい世帯をつくる" in shown
    result = send(clerk_browser, nagai, "tennyu", page, action="register")
    assert result.status_code == 303
    done = clerk_browser.get(result.headers["location"]).text
    assert "異動番号" in done and "転入" in done and 'data-autofocus' in done
    atena_no = done.split("/residents/")[1].split('"')[0]
    assert "転入" in history_text(clerk_browser, nagai, atena_no)
    assert clerk_browser.get(result.headers["location"]).status_code == 200  # reloading only shows it again
    assert registry_footprint(platform, nagai)["registry_notifications"] == 1


def test_a_move_within_the_city_of_the_whole_household(clerk_browser, platform, clerk, nagai):
    moved = family(platform, clerk)
    changes = {"ido_date": days_ago(5), "address.address": "山形県長井市栄町5番1号"}
    done = register_through_screens(clerk_browser, platform, nagai, "tenkyo", changes, setai_no=moved.setai_nos[0])
    assert "転居" in done
    for atena_no in moved.atena_nos:
        assert f"/residents/{atena_no}" in done
    assert "転居" in history_text(clerk_browser, nagai, moved.atena_nos[1])


def test_a_move_out_of_one_person(clerk_browser, platform, clerk, nagai):
    moved = move_in(platform, clerk)
    changes = {"ido_date": days_ago(2), "destination": "東京都新宿区西新宿二丁目8番1号"}
    done = register_through_screens(clerk_browser, platform, nagai, "tenshutsu", changes, atena_no=moved.atena_nos[0])
    assert "転出" in done
    assert "転出" in history_text(clerk_browser, nagai, moved.atena_nos[0])


def test_a_birth_into_a_household(clerk_browser, platform, clerk, nagai):
    home = family(platform, clerk)
    changes = {"ido_date": days_ago(4), "person.shimei": "山田　二郎", "person.shimei_kana": "ヤマダ　ジロウ",
               "person.sex": "1"}
    done = register_through_screens(clerk_browser, platform, nagai, "shussei", changes, setai_no=home.setai_nos[0])
    assert "出生" in done
    born = [a for a in done.split("/residents/")[1:] if a.split('"')[0] not in home.atena_nos]
    assert born and "出生" in history_text(clerk_browser, nagai, born[0].split('"')[0])


def test_a_death_of_a_household_member(clerk_browser, platform, clerk, nagai):
    home = family(platform, clerk)
    wife = home.atena_nos[1]
    done = register_through_screens(clerk_browser, platform, nagai, "shibou", {"ido_date": days_ago(1)}, atena_no=wife)
    assert "死亡" in done
    assert "死亡" in history_text(clerk_browser, nagai, wife)


def test_a_change_of_head_of_household(clerk_browser, platform, clerk, nagai):
    home = family(platform, clerk)
    head, wife = home.atena_nos[0], home.atena_nos[1]
    changes = {"ido_date": days_ago(1), "type": "head_change", "new_head": wife, f"zokugara.{head}": "夫"}
    done = register_through_screens(clerk_browser, platform, nagai, "setai_henko", changes, setai_no=home.setai_nos[0])
    assert "世帯主変更" in done
    assert "世帯主変更" in history_text(clerk_browser, nagai, wife)


def test_a_change_of_name(clerk_browser, platform, clerk, nagai):
    atena_no = move_in(platform, clerk, [person("佐藤　花子", "サトウ　ハナコ", "1990-01-01", "2")]).atena_nos[0]
    changes = {"ido_date": days_ago(1), "shimei": "鈴木　花子", "shimei_kana": "すずき　はなこ", "kyu_uji": "佐藤"}
    done = register_through_screens(clerk_browser, platform, nagai, "shimei_henko", changes, atena_no=atena_no)
    assert "氏名変更" in done
    shown = history_text(clerk_browser, nagai, atena_no)
    assert "氏名変更" in shown and "鈴木　花子" in shown


def test_a_correction_by_the_office_changes_only_the_item_rewritten(clerk_browser, platform, clerk, nagai):
    atena_no = move_in(platform, clerk).atena_nos[0]
    changes = {"ido_date": days_ago(1), "changes.honseki": "山形県長井市本町一丁目1番地", "note": "本籍の記載漏れ"}
    page = confirm(clerk_browser, platform, nagai, "shokken_shusei", changes, atena_no=atena_no)
    shown = text_of(page)
    assert "本籍" in shown and "山形県長井市本町一丁目1番地" in shown
    assert "氏名（" not in shown  # unchanged items are not listed as changes
    result = send(clerk_browser, nagai, "shokken_shusei", page, action="register")
    assert result.status_code == 303
    assert "職権修正" in history_text(clerk_browser, nagai, atena_no)


def test_a_cancellation_of_a_mistaken_move_in(clerk_browser, platform, clerk, nagai):
    atena_no = move_in(platform, clerk).atena_nos[0]
    done = register_through_screens(clerk_browser, platform, nagai, "torikeshi", {"note": "二重登録のため"},
                                    atena_no=atena_no)
    assert "取消し" in done
    shown = history_text(clerk_browser, nagai, atena_no)
    assert "取消し" in shown and "除票" in shown


def test_a_name_with_a_variation_selector_is_stored_exactly_as_typed(clerk_browser, platform, clerk, nagai):
    name = "辻\U000E0102　葛\U000E0102子"
    changes = {
        "ido_date": days_ago(3), "previous_address": "東京都千代田区千代田1番1号", "address.address": "山形県長井市本町一丁目2番3号",
        "persons.0.shimei": name, "persons.0.shimei_kana": "ツジ　カツコ", "persons.0.birth_date": "H1.1.8",
        "persons.0.sex": "2",
    }
    done = register_through_screens(clerk_browser, platform, nagai, "tennyu", changes)
    atena_no = done.split("/residents/")[1].split('"')[0]
    from tests.factories import resident

    assert resident(platform, clerk, atena_no).shimei == name


def test_pressing_register_twice_on_the_same_confirmation_registers_once(clerk_browser, platform, nagai):
    """Browser back to the confirmation page, or a double click: the one-time request key of
    the confirmation page makes the second 登録する find the first instead of a duplicate."""
    changes = {
        "ido_date": days_ago(3), "previous_address": "東京都千代田区千代田1番1号",
        "address.address": "山形県長井市本町一丁目2番3号",
        "persons.0.shimei": "二重　防止", "persons.0.shimei_kana": "にじゅう　ぼうし",
        "persons.0.birth_date": "1990-01-01", "persons.0.sex": "1",
    }
    page = confirm(clerk_browser, platform, nagai, "tennyu", changes)
    assert 'name="request_key"' in page
    first = send(clerk_browser, nagai, "tennyu", page, action="register")
    assert first.status_code == 303
    second = send(clerk_browser, nagai, "tennyu", page, action="register")
    assert second.status_code == 409
    assert "すでに登録されています" in text_of(second.text)
    assert registry_footprint(platform, nagai)["registry_notifications"] == 1
