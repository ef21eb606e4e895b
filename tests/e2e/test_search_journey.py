"""A clerk works through a common name and a household's move with the keyboard only:
searches 「たかはし」 (56 people), reads the total, pages to page 2; opens a household member,
starts a 転居 and finds the whole household ticked, registers it and reads the names on the
result; on a 転入, 「人を追加」 puts the cursor in the new person's 氏名.  Screenshots of each
screen are kept under ``test-artifacts/screenshots/``."""

from __future__ import annotations

from tests.e2e.conftest import screenshot
from tests.e2e.flows import log_in_with_keyboard, make_clerk, tab_to
from tests.factories import days_ago, family
from tests.search_city import common_name_city


def _focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_a_clerk_pages_through_a_common_name_with_the_keyboard(live_server, page, platform, nagai, clerk):
    city = common_name_city(platform, clerk)
    log_in_with_keyboard(page, live_server, make_clerk(platform, nagai, "pager"), nagai)

    page.keyboard.press("Alt+s")  # the menu's 住民検索; the search box has the focus
    page.wait_for_selector("#f-q")
    assert _focused_id(page) == "f-q"
    page.keyboard.type("たかはし")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-count")
    assert page.inner_text("#search-count") == "56件中 1〜50件を表示（1／2ページ）"
    assert page.locator("tbody tr").count() == 50
    headers = page.locator("thead th").all_inner_texts()
    assert headers[:9] == ["宛名番号", "氏名", "フリガナ", "生年月日", "年齢", "性別", "住所", "世帯主", "状態"]
    married = page.locator("tbody tr", has_text=city.kyu_uji)
    assert "旧氏で一致" in married.inner_text() and "佐藤　花子" in married.inner_text()
    screenshot(page, "search-01-common-name-page-1")

    tab_to(page, "a[rel=next]", limit=400)  # the page navigation is in the tab order
    page.keyboard.press("Enter")
    page.wait_for_url("**page=2")
    assert page.inner_text("#search-count") == "56件中 51〜56件を表示（2／2ページ）"
    assert page.locator("tbody tr").count() == 6
    assert page.locator('.pager [aria-current="page"]').inner_text() == "2"
    screenshot(page, "search-02-common-name-page-2")

    page.keyboard.press("Alt+k")  # back to page 1 by the listed shortcut (前のページ)
    page.wait_for_url("**page=1")
    assert page.inner_text("#search-count").startswith("56件中 1〜50件")


def test_a_household_move_starts_with_everyone_ticked_and_the_result_names_them(live_server, page, platform,
                                                                                nagai, clerk):
    home = family(platform, clerk)
    log_in_with_keyboard(page, live_server, make_clerk(platform, nagai, "household"), nagai)
    page.keyboard.press("Alt+s")
    page.wait_for_selector("#f-q")
    page.keyboard.type("やまだ　はなこ")
    page.keyboard.press("Enter")
    page.wait_for_selector("tbody tr a")
    page.keyboard.press("Enter")  # the first result has the focus
    page.wait_for_url(f"**/residents/{home.atena_nos[1]}")
    page.keyboard.press("Alt+n")  # この方の異動届の入力
    page.wait_for_selector("text=届け出の種類を選んでください")
    tab_to(page, "a[href*='/notifications/new/tenkyo']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#f-ido_date")
    ticked = page.locator("input[name=atena_nos]:checked")
    assert sorted(ticked.evaluate_all("els => els.map(e => e.value)")) == sorted(home.atena_nos)
    screenshot(page, "search-03-tenkyo-whole-household")

    assert _focused_id(page) == "f-ido_date"
    page.keyboard.type(days_ago(2))
    tab_to(page, "#f-address-address")
    page.keyboard.type("山形県長井市栄町5番1号")
    page.keyboard.press("Alt+k")  # 入力内容を確認する
    page.wait_for_selector("button[value=register]")
    page.keyboard.press("Enter")  # 登録する has the focus
    page.wait_for_selector("text=異動番号")
    result = page.inner_text("main")
    for name in ("山田　太郎", "山田　花子", "山田　一郎"):
        assert name in result
    screenshot(page, "search-04-registered-with-names")


def test_adding_a_person_to_a_move_in_puts_the_cursor_in_the_new_name(live_server, page, platform, nagai):
    log_in_with_keyboard(page, live_server, make_clerk(platform, nagai, "adder"), nagai)
    page.goto(f"{live_server}/t/{nagai}/notifications/new/tennyu")
    tab_to(page, "#f-persons-0-shimei")
    page.keyboard.type("長井　一子")
    page.keyboard.press("Alt+p")  # 人を追加
    page.wait_for_selector("#f-persons-1-shimei")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'f-persons-1-shimei'")
    page.keyboard.type("長井　二郎")
    assert page.locator("#f-persons-1-shimei").input_value() == "長井　二郎"
    assert page.locator("#f-persons-0-shimei").input_value() == "長井　一子"
    screenshot(page, "search-05-added-person-focused")
