"""A clerk registers a 転居 with the keyboard only, picking the new 町字 from the 住所マスター:
types the beginning of its reading in hiragana, goes down the candidates with ↓, takes one
with Enter; the 郵便番号 and 校区 appear without being typed, the confirmation shows them,
and the record gets them.  Screenshots of each step are kept as test artefacts."""

from __future__ import annotations

from municloud.demo.profiles import NAGAI
from municloud.demo.towns import town_csv
from municloud.modules.registry.services.towns import load_towns
from tests.e2e.conftest import screenshot
from tests.e2e.flows import log_in_with_keyboard, make_clerk, tab_to
from tests.factories import context, days_ago, family, resident
from tests.integration.registry.test_addresses import override


def test_a_clerk_picks_the_town_of_a_move_with_the_keyboard(live_server, page, platform, nagai, clerk):
    override(platform, nagai, "registry.address.attributes", ["校区"])
    load_towns(platform.uow(nagai), context(platform, nagai, "tenant_admin"), town_csv(NAGAI).encode())
    home = family(platform, clerk)
    username = make_clerk(platform, nagai, "tenkyo-keyboard")
    log_in_with_keyboard(page, live_server, username, nagai)

    page.goto(f"{live_server}/t/{nagai}/notifications/new/tenkyo?setai_no={home.setai_nos[0]}")
    tab_to(page, "#f-ido_date")
    page.keyboard.type(days_ago(2))
    tab_to(page, "#f-address-town")
    page.keyboard.type("たてまち")
    page.wait_for_selector("#town-options [role=option]")
    assert page.locator("#f-address-town").get_attribute("aria-expanded") == "true"
    assert page.locator("#town-options [role=option]").all_inner_texts() == [
        "館町北（タテマチキタ） 〒9930014", "館町南（タテマチミナミ） 〒9930015"]
    page.keyboard.press("ArrowDown")
    assert page.locator("#f-address-town").get_attribute("aria-activedescendant") == "town-option-0"
    screenshot(page, "address-master-01-candidates")
    page.keyboard.press("Enter")  # takes the candidate; does not submit the form
    assert page.locator("#f-address-town").input_value() == "館町北"
    derived = page.locator("#town-derived").inner_text()
    assert "〒993-0014" in derived and "校区：長井小学校区" in derived
    assert page.locator("#town-options").is_hidden()
    page.keyboard.press("Tab")  # the focus goes on to 番地・号
    assert page.locator("#f-address-banchi").evaluate("el => el === document.activeElement")
    page.keyboard.type("3番4号")
    screenshot(page, "address-master-02-picked")
    page.keyboard.press("Alt+k")  # 入力内容を確認する
    page.wait_for_selector("button[value=register]")
    shown = page.locator("main").inner_text()
    assert "山形県長井市館町北3番4号" in shown and "9930014" in shown and "校区：長井小学校区" in shown
    screenshot(page, "address-master-03-confirm")
    page.keyboard.press("Enter")  # 登録する has the focus
    page.wait_for_selector("text=異動番号")
    screenshot(page, "address-master-04-registered")

    page.goto(f"{live_server}/t/{nagai}/towns?include_ended=1")
    assert "新栄町" in page.locator("table").inner_text()
    screenshot(page, "address-master-05-master")

    page.set_viewport_size({"width": 640, "height": 900})  # 200% zoom of a 1280-pixel screen
    for path in (f"/t/{nagai}/towns", f"/t/{nagai}/notifications/new/tenkyo?setai_no={home.setai_nos[0]}"):
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1, path

    moved = resident(platform, clerk, home.atena_nos[0])
    assert (moved.address, moved.postal_code, moved.address_attributes) == (
        "山形県長井市館町北3番4号", "9930014", {"校区": "長井小学校区"})


def test_the_tenant_admin_checks_and_loads_the_master_on_the_screen(live_server, page, platform, nagai, tmp_path):
    from municloud.kernel.identity.services import add_user
    from tests.e2e.flows import PASSWORD

    add_user(platform.uow(nagai), context(platform, nagai, "tenant_admin"), "kanri", PASSWORD, ["tenant_admin"],
             display_name="管理 花子")
    log_in_with_keyboard(page, live_server, "kanri", nagai)
    file = tmp_path / "towns-062090.csv"
    file.write_text(town_csv(NAGAI), encoding="utf-8")
    page.goto(f"{live_server}/t/{nagai}/towns")
    page.set_input_files("#f-file", str(file))  # the browser's file chooser
    tab_to(page, "button[value=check]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=まだ取り込んでいません")
    assert "町字 19件" in page.locator("main").inner_text()
    screenshot(page, "address-master-06-admin-checked")
    page.set_input_files("#f-file", str(file))
    tab_to(page, "button[value=load]")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=住所マスター（町字）を取り込みました")
    assert "館町北" in page.locator("table").last.inner_text()
    screenshot(page, "address-master-07-admin-loaded")
