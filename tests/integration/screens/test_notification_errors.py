"""異動届の入力画面: Japanese errors next to their fields, conflicts, CSRF, permissions,
and what the keyboard needs (labels, the button Enter presses, shortcuts)."""

from __future__ import annotations

import re

import pytest

from tests.factories import (
    days_ago,
    door_refusals,
    family,
    move_in,
    register,
    registry_footprint,
)
from tests.integration.screens.helpers import csrf_of, html_lang, text_of, unlabelled_fields
from tests.integration.screens.test_notification_screens import (
    confirm,
    fields_of,
    form_of,
    open_form,
    send,
    tables_of,
)

KINDS = ("tennyu", "tenkyo", "tenshutsu", "shussei", "shibou", "setai_henko", "shimei_henko", "shokken_shusei",
         "torikeshi")
ONE_PERSON = {
    "ido_date": days_ago(3), "previous_address": "東京都千代田区千代田1番1号",
    "address.address": "山形県長井市本町一丁目2番3号",
    "persons.0.shimei": "長井　一子", "persons.0.shimei_kana": "ナガイ　イチコ",
    "persons.0.birth_date": "1980-04-01", "persons.0.sex": "2",
}


@pytest.fixture
def b(signed_in, nagai):
    return signed_in(nagai, "registry_clerk")


def summary_links(page: str) -> dict[str, str]:
    """The error summary's links: target id → text."""
    block = page.split('class="error-summary"')[1].split("</div>")[0]
    return {m.group(1): text_of(m.group(2)) for m in re.finditer(r'<a href="#([^"]+)">(.*?)</a>', block)}


def is_invalid(page: str, field_id: str) -> bool:
    tag = re.search(rf'<input id="{field_id}"[^>]*>', page, re.S)
    assert tag, field_id
    return 'aria-invalid="true"' in tag.group(0)


def test_a_furigana_with_kanji_is_refused_next_to_its_field(b, platform, nagai):
    page = open_form(b, nagai, "tennyu")
    response = send(b, nagai, "tennyu", page, {**ONE_PERSON, "persons.0.shimei_kana": "長井いちこ"})
    assert response.status_code == 422
    assert 'role="alert"' in response.text
    links = summary_links(response.text)
    assert "フリガナはカタカナ（またはひらがな）で入力してください" in links["f-persons-0-shimei_kana"]
    assert links["f-persons-0-shimei_kana"].startswith("1人目のフリガナ")
    assert is_invalid(response.text, "f-persons-0-shimei_kana")
    assert 'value="長井いちこ"' in response.text  # the input is kept
    assert registry_footprint(platform, nagai)["registry_notifications"] == 0


@pytest.mark.parametrize("typed, message", [
    ("2026-02-30", "存在しない日付です"),
    ("昭和64年1月8日", "昭和64年1月8日は存在しません"),
    ("そのうち", "日付として読み取れません"),
])
def test_an_impossible_date_is_refused_in_japanese(b, nagai, typed, message):
    page = open_form(b, nagai, "tennyu")
    response = send(b, nagai, "tennyu", page, {**ONE_PERSON, "ido_date": typed})
    assert response.status_code == 422
    assert message in summary_links(response.text)["f-ido_date"]
    assert is_invalid(response.text, "f-ido_date")


def test_a_move_in_of_two_persons_names_the_second_persons_field(b, platform, nagai):
    page = open_form(b, nagai, "tennyu")
    assert 'name="persons.1.shimei"' not in page
    added = send(b, nagai, "tennyu", page, {**ONE_PERSON, "persons.0.zokugara": "世帯主"}, action="add_person")
    assert added.status_code == 200 and "error-summary" not in added.text
    assert 'name="persons.1.shimei"' in added.text and 'value="長井　一子"' in added.text
    second = {"persons.1.shimei": "長井　二郎", "persons.1.shimei_kana": "nagai jiro", "persons.1.birth_date": "H2.3.4",
              "persons.1.sex": "1", "persons.1.zokugara": "子"}
    response = send(b, nagai, "tennyu", added.text, second)
    assert response.status_code == 422
    links = summary_links(response.text)
    assert list(links) == ["f-persons-1-shimei_kana"]
    assert links["f-persons-1-shimei_kana"].startswith("2人目のフリガナ")
    assert is_invalid(response.text, "f-persons-1-shimei_kana")
    assert not is_invalid(response.text, "f-persons-0-shimei_kana")
    fixed = send(b, nagai, "tennyu", response.text, {"persons.1.shimei_kana": "ナガイ　ジロウ"})
    assert fixed.status_code == 200 and "2人目" in text_of(fixed.text) and "ナガイ　ジロウ" in fixed.text
    assert registry_footprint(platform, nagai)["registry_notifications"] == 0


def test_the_added_person_block_can_be_removed_again(b, nagai):
    added = send(b, nagai, "tennyu", open_form(b, nagai, "tennyu"), ONE_PERSON, action="add_person")
    removed = send(b, nagai, "tennyu", added.text, {"persons.1.shimei": "消す人"}, action="remove_person")
    assert 'name="persons.1.shimei"' not in removed.text and "消す人" not in removed.text
    assert 'value="長井　一子"' in removed.text


def test_the_services_error_for_the_second_person_comes_back_on_the_form_at_confirmation(b, platform, nagai):
    page = send(b, nagai, "tennyu", open_form(b, nagai, "tennyu"), {**ONE_PERSON, "persons.0.zokugara": "世帯主"},
                action="add_person").text
    second = {"persons.1.shimei": "長井　二郎", "persons.1.shimei_kana": "ナガイ　ジロウ", "persons.1.birth_date": "2000-01-01",
              "persons.1.sex": "1", "persons.1.zokugara": "子", "persons.1.became_resident_on": "1999-01-01"}
    # only the service knows this rule: the confirmation step runs it (a dry run)
    response = send(b, nagai, "tennyu", page, second)
    assert response.status_code == 422 and "まだ登録されていません" not in response.text
    links = summary_links(response.text)
    assert "住民となった年月日が生年月日より前です" in links["f-persons-1-became_resident_on"]
    assert 'value="長井　二郎"' in response.text and 'value="1999-01-01"' in response.text
    assert registry_footprint(platform, nagai)["registry_notifications"] == 0


def test_a_date_before_residency_is_shown_on_the_entry_form_at_confirmation(b, platform, clerk, nagai):
    home = family(platform, clerk, days=60)
    page = open_form(b, nagai, "tenkyo", setai_no=home.setai_nos[0])
    response = send(b, nagai, "tenkyo", page, {"ido_date": days_ago(100), "address.address": "山形県長井市栄町5番1号"})
    assert response.status_code == 422
    assert "住民となった年月日" in summary_links(response.text)["f-ido_date"]
    assert 'value="山形県長井市栄町5番1号"' in response.text
    assert registry_footprint(platform, nagai)["registry_notifications"] == 1  # the family's 転入 only


def test_a_change_by_someone_else_after_confirmation_is_a_conflict(b, platform, clerk, nagai):
    atena_no = move_in(platform, clerk).atena_nos[0]
    page = confirm(b, platform, nagai, "shimei_henko",
                   {"ido_date": days_ago(1), "shimei": "鈴木　太郎", "shimei_kana": "スズキ　タロウ"}, atena_no=atena_no)
    register(platform, clerk, kind="shokken_shusei", ido_date=days_ago(1), atena_no=atena_no,
             changes={"honseki": "山形県長井市"}, note="本籍の追記")
    response = send(b, nagai, "shimei_henko", page, action="register")
    assert response.status_code == 409
    shown = text_of(response.text)
    assert "他の職員が更新しました" in shown and "開き直す" in shown
    assert f"/notifications/new/shimei_henko?atena_no={atena_no}" in response.text
    assert 'value="鈴木　太郎"' in response.text
    assert registry_footprint(platform, nagai)["registry_notifications"] == 2


def test_a_form_without_its_csrf_token_is_refused_with_403(b, platform, nagai):
    page = confirm(b, platform, nagai, "tennyu", ONE_PERSON)
    data = fields_of(page)
    data.pop("csrf_token")
    response = b.post(f"/t/{nagai}/notifications/new/tennyu", data={**data, "action": "register"})
    assert response.status_code == 403
    assert "正しくない送信" in text_of(response.text)
    wrong = b.post(f"/t/{nagai}/notifications/new/tennyu", data={**data, "csrf_token": "x" * 43, "action": "register"})
    assert wrong.status_code == 403
    assert registry_footprint(platform, nagai)["registry_notifications"] == 0


def test_a_registry_viewer_cannot_open_the_entry_forms(signed_in, platform, clerk, nagai):
    atena_no = move_in(platform, clerk).atena_nos[0]
    viewer = signed_in(nagai, "registry_viewer")
    for url in ("/notifications/new", "/notifications/new/tennyu", f"/notifications/new/tenkyo?atena_no={atena_no}"):
        response = viewer.get(f"/t/{nagai}{url}")
        assert response.status_code == 403, url
        assert "権限がありません" in text_of(response.text)
    token = csrf_of(viewer.get(f"/t/{nagai}/residents/{atena_no}").text)
    posted = viewer.post(f"/t/{nagai}/notifications/new/tennyu", data={**ONE_PERSON, "csrf_token": token,
                                                                       "person_count": "1", "action": "register"})
    assert posted.status_code == 403
    denied = door_refusals(platform, nagai, "registry:notification:register")
    assert [e.actor for e in denied] == [viewer.username] * 4
    assert registry_footprint(platform, nagai)["registry_notifications"] == 1


@pytest.mark.parametrize("kind", KINDS)
def test_every_entry_form_labels_every_field_and_enter_confirms(b, platform, clerk, nagai, kind):
    home = family(platform, clerk)
    page = open_form(b, nagai, kind, **({} if kind == "tennyu" else {"atena_no": home.atena_nos[0]}))
    assert html_lang(page) == "ja"
    assert unlabelled_fields(page) == []
    first = form_of(page).buttons[0]
    assert first.get("value") == "confirm" and first.get("type") == "submit"  # Enter → 入力内容を確認する
    assert 'data-shortcut="k"' in page and "Alt+K" in text_of(page)
    assert "<kbd>" in page and "キーボード操作" in page


def test_the_confirmation_page_focuses_register_and_offers_edit(b, platform, nagai):
    page = confirm(b, platform, nagai, "tennyu", ONE_PERSON)
    buttons = form_of(page).buttons
    assert [x["value"] for x in buttons] == ["register", "edit"]
    assert "autofocus" in buttons[0]
    assert "Alt+T" in text_of(page) and "Alt+B" in text_of(page)
    back = send(b, nagai, "tennyu", page, action="edit")
    assert back.status_code == 200 and "転入届の入力" in back.text and 'value="長井　一子"' in back.text
    assert registry_footprint(platform, nagai)["registry_notifications"] == 0


def test_the_menu_lists_the_nine_kinds_for_the_person_shown(b, platform, clerk, nagai):
    home = family(platform, clerk)
    page = b.get(f"/t/{nagai}/notifications/new", params={"atena_no": home.atena_nos[1]})
    assert page.status_code == 200
    links = re.findall(r'href="/t/\d+/notifications/new/(\w+)\?atena_no=(\d+)"', page.text)
    assert [k for k, _ in links] == list(KINDS)
    assert {a for _, a in links} == {home.atena_nos[1]}
    assert "山田　花子" in page.text and "autofocus" in page.text
    by_household = b.get(f"/t/{nagai}/notifications/new", params={"setai_no": home.setai_nos[0]}).text
    assert f"/notifications/new/shussei?setai_no={home.setai_nos[0]}" in by_household


def test_a_kind_acting_on_residents_asks_whom_when_nobody_is_named(b, nagai):
    page = b.get(f"/t/{nagai}/notifications/new/tenkyo")
    assert page.status_code == 200
    assert 'name="atena_no"' in page.text and 'name="setai_no"' in page.text and "住民検索" in page.text


def test_an_unknown_kind_or_a_forged_result_is_not_found(b, nagai):
    assert b.get(f"/t/{nagai}/notifications/new/kekkon").status_code == 404
    assert b.get(f"/t/{nagai}/notifications/registered", params={"r": "eyJ4IjoxfQ.0000"}).status_code == 404


def test_the_result_page_belongs_to_the_clerk_who_registered(b, signed_in, platform, nagai):
    page = confirm(b, platform, nagai, "tennyu", ONE_PERSON)
    url = send(b, nagai, "tennyu", page, action="register").headers["location"]
    other = signed_in(nagai, "registry_clerk")
    assert other.get(url).status_code == 404
    assert tables_of(platform, nagai)["registry_notifications"] == 1


@pytest.mark.parametrize("kind", KINDS)
def test_entry_confirmation_and_result_pages_have_unique_ids_and_no_inline_style(b, platform, clerk, nagai, kind):
    home = family(platform, clerk)
    page = open_form(b, nagai, kind, **({} if kind == "tennyu" else {"setai_no": home.setai_nos[0]}
                                       if kind in ("tenkyo", "shussei", "setai_henko")
                                       else {"atena_no": home.atena_nos[0]}))
    wrong = send(b, nagai, kind, page, {"ido_date": "2月30日", "note": ""}).text
    for html in (page, wrong):
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
        assert "style=" not in html and "<style" not in html
    for target in summary_links(wrong):
        assert f'id="{target}"' in wrong, target  # every link of the error summary leads to a field


def test_two_heads_in_one_move_in_points_at_the_second_head(b, platform, nagai):
    page = send(b, nagai, "tennyu", open_form(b, nagai, "tennyu"), {**ONE_PERSON, "persons.0.zokugara": "世帯主"},
                action="add_person").text
    second = {"persons.1.shimei": "長井　二郎", "persons.1.shimei_kana": "ナガイ　ジロウ", "persons.1.birth_date": "2000-01-01",
              "persons.1.sex": "1", "persons.1.zokugara": "世帯主"}
    confirmation = send(b, nagai, "tennyu", page, second)
    response = send(b, nagai, "tennyu", confirmation.text, action="register")
    assert response.status_code == 422
    assert "世帯主が2人" in text_of(response.text)
    assert list(summary_links(response.text)) == ["f-persons-1-zokugara"]
    assert is_invalid(response.text, "f-persons-1-zokugara")
