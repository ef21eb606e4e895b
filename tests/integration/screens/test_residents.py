"""The clerk's registry screens: search, the resident page, 個人番号 on request, 支援措置."""

from __future__ import annotations

import re

from municloud.modules.registry.services.queries import get_resident
from municloud.modules.registry.services.support import start_support_measure
from tests.factories import audit_entries, door_refusals, family, move_in, person, support_measure
from tests.integration.screens.helpers import csrf_of, text_of


def _resident(platform, ctx, **kw) -> str:
    return move_in(platform, ctx, [person(**kw)]).atena_nos[0]


def test_search_by_kana_finds_the_resident_and_links_to_the_page(signed_in, platform, nagai, clerk):
    atena = _resident(platform, clerk, shimei="髙橋　恵子", kana="タカハシ　ケイコ", birth="1980-04-01", sex="2")
    b = signed_in(nagai, "registry_clerk")
    page = b.get(f"/t/{nagai}/residents", params={"q": "たかはし"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert "髙橋　恵子" in text and "タカハシ　ケイコ" in text and "昭和55年4月1日" in text and "女" in text
    first_link = re.search(r'<a href="([^"]+)" autofocus>', page.text)
    assert first_link and first_link.group(1) == f"/t/{nagai}/residents/{atena}"
    assert page.headers["cache-control"] == "no-store"


def test_search_by_wareki_birth_date_finds_the_resident(signed_in, platform, nagai, clerk):
    _resident(platform, clerk, shimei="佐藤　一郎", kana="サトウ　イチロウ", birth="1989-01-08")
    _resident(platform, clerk, shimei="鈴木　次郎", kana="スズキ　ジロウ", birth="1989-01-07")
    b = signed_in(nagai, "registry_clerk")
    for query in ({"q": "平成元年1月8日"}, {"birth_date": "H1.1.8"}, {"q": "1989-01-08"}):
        text = text_of(b.get(f"/t/{nagai}/residents", params=query).text)
        assert "佐藤　一郎" in text and "鈴木　次郎" not in text, query


def test_a_bad_date_is_reported_next_to_its_field(signed_in, nagai):
    b = signed_in(nagai, "registry_clerk")
    page = b.get(f"/t/{nagai}/residents", params={"birth_date": "昭和64年1月8日"})
    assert page.status_code == 422
    assert 'href="#f-birth_date"' in page.text and 'role="alert"' in page.text
    assert 'id="f-birth_date"' in page.text and "昭和64年" in text_of(page.text)


def test_the_search_screen_without_words_only_shows_the_form(signed_in, platform, nagai):
    b = signed_in(nagai, "registry_clerk")
    page = b.get(f"/t/{nagai}/residents")
    assert page.status_code == 200 and 'data-shortcut="s"' in page.text and "除票" in page.text
    assert audit_entries(platform, nagai, "registry:resident:search") == []


def test_the_resident_page_shows_the_record_household_and_history_with_the_my_number_masked(
    signed_in, platform, nagai, clerk, supervisor
):
    result = family(platform, clerk)
    head = result.atena_nos[0]
    full = get_resident(platform.uow(nagai), supervisor, head, show_my_number=True)
    b = signed_in(nagai, "registry_clerk")
    page = b.get(f"/t/{nagai}/residents/{head}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "山田　太郎" in text and "山田　花子" in text and "山田　一郎" in text  # household members
    assert "転入" in text and "履歴番号" in text and "処理日時" in text
    assert "市民課窓口／T-01" in text and clerk.actor in text  # 入力場所／端末 and who processed it
    assert re.search(r"令和\d+年\d+月\d+日", text)  # dates in 和暦
    assert full.my_number_masked in text and full.my_number not in text
    assert f'href="/t/{nagai}/notifications/new?atena_no={head}"' in page.text
    assert f'href="/t/{nagai}/certificates/new?atena_no={head}"' in page.text
    assert "Alt+N" in text and "Alt+C" in text


def test_a_supervisor_shows_the_my_number_once_and_it_is_audited(signed_in, platform, nagai, clerk):
    head = family(platform, clerk).atena_nos[0]
    b = signed_in(nagai, "registry_supervisor")
    page = b.get(f"/t/{nagai}/residents/{head}").text
    assert f'action="/t/{nagai}/residents/{head}/my-number"' in page and ">表示</button>" in page
    shown = b.client.post(f"/t/{nagai}/residents/{head}/my-number", data={"csrf_token": csrf_of(page)})
    assert shown.status_code == 200
    number = re.search(r'id="my-number">(\d{12})<', shown.text)
    assert number, "the 個人番号 is shown in full"
    assert shown.headers["cache-control"] == "no-store"
    entries = audit_entries(platform, nagai, "registry:my_number:view")
    assert [(e.actor, e.my_number_shown) for e in entries] == [(b.username, True)]
    again = b.get(f"/t/{nagai}/residents/{head}").text
    assert number.group(1) not in again  # once: the next look is masked again


def test_a_clerk_has_no_show_button_and_a_forged_request_is_refused(signed_in, platform, nagai, clerk):
    head = family(platform, clerk).atena_nos[0]
    b = signed_in(nagai, "registry_clerk")
    page = b.get(f"/t/{nagai}/residents/{head}").text
    assert "/my-number" not in page and ">表示</button>" not in page
    forged = b.client.post(f"/t/{nagai}/residents/{head}/my-number", data={"csrf_token": csrf_of(page)})
    assert forged.status_code == 403 and "権限がありません" in forged.text
    assert re.search(r"\d{12}", text_of(forged.text)) is None
    entries = door_refusals(platform, nagai, "registry:my_number:view")
    assert [(e.outcome, e.my_number_shown, e.subjects) for e in entries] == [("denied", False, f'["resident:{head}"]')]
    assert audit_entries(platform, nagai, "registry:my_number:view") == []


def test_showing_the_my_number_without_the_csrf_token_does_nothing(signed_in, platform, nagai, clerk):
    head = family(platform, clerk).atena_nos[0]
    b = signed_in(nagai, "registry_supervisor")
    response = b.client.post(f"/t/{nagai}/residents/{head}/my-number", data={"csrf_token": "x" * 43})
    assert response.status_code == 403
    assert audit_entries(platform, nagai, "registry:my_number:view") == []


def test_a_protected_resident_has_a_banner_and_a_marker_in_the_results(signed_in, platform, nagai, clerk,
                                                                        supervisor):
    atena = _resident(platform, clerk, shimei="田中　真由美", kana="タナカ　マユミ", birth="1990-02-03", sex="2")
    start_support_measure(platform.uow(nagai), supervisor, atena, support_measure())
    b = signed_in(nagai, "registry_clerk")
    page = b.get(f"/t/{nagai}/residents/{atena}").text
    banner = re.search(r'<div class="banner-alert" role="alert">(.*?)</div>', page, re.S)
    assert banner and "支援措置の対象者です" in banner.group(1) and "DV" in banner.group(1)
    results = b.get(f"/t/{nagai}/residents", params={"q": "タナカ"}).text
    assert '<span class="marker">支援措置</span>' in results


def test_the_household_page_lists_the_members_head_first(signed_in, platform, nagai, clerk):
    result = family(platform, clerk)
    b = signed_in(nagai, "registry_viewer")
    page = b.get(f"/t/{nagai}/households/{result.setai_nos[0]}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert text.index("山田　太郎") < text.index("山田　花子") < text.index("山田　一郎")
    assert "世帯主" in text


def test_an_unknown_resident_is_a_japanese_404_page(signed_in, nagai):
    b = signed_in(nagai, "registry_clerk")
    page = b.get(f"/t/{nagai}/residents/999999999")
    assert page.status_code == 404 and '<html lang="ja">' in page.text
