"""The 支援措置 supervisor's journey in a real browser, keyboard only: find a person,
start a measure (entry → confirmation → register), see it in the daily list, extend the
measure the list shows as ending soon, end the new one with a reason.  Screenshots of each
screen are saved as test artefacts (``test-artifacts/screenshots/support-*.png``)."""

from __future__ import annotations

from datetime import timedelta

from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import today_jst
from municloud.kernel.identity.services import add_user
from municloud.modules.registry.services.support import period_end, start_support_measure
from tests.e2e.conftest import screenshot
from tests.e2e.flows import PASSWORD, log_in_with_keyboard, tab_to
from tests.factories import context, days_ago, family, move_in, person, support_measure


def make_supervisor(platform, tenant: str) -> str:
    add_user(platform.uow(tenant), context(platform, tenant, "tenant_admin"), "sekininsha", PASSWORD,
             ["registry_supervisor"], display_name="責任者 花子")
    return "sekininsha"


def go(page, selector: str) -> None:
    """Tab to a link or button and press Enter (the keyboard's click)."""
    tab_to(page, selector)
    page.keyboard.press("Enter")


def test_the_supervisor_starts_extends_and_ends_measures_with_the_keyboard(live_server, page, platform, nagai):
    clerk = context(platform, nagai, "registry_clerk")
    supervisor = context(platform, nagai, "registry_supervisor")
    newcomer = move_in(platform, clerk, [person("佐藤　美咲", "サトウ　ミサキ", "1990-06-01", "2")]).atena_nos[0]
    ending = family(platform, clerk, days=500).atena_nos[1]  # 山田　花子: her measure ends within the month
    old = start_support_measure(platform.uow(nagai), supervisor, ending, support_measure(start_on=days_ago(345)))
    log_in_with_keyboard(page, live_server, make_supervisor(platform, nagai), nagai)

    # find the person and open her measures page from the resident page
    page.keyboard.press("Alt+s")
    page.wait_for_selector("#f-q")
    tab_to(page, "#f-q")
    page.keyboard.type("サトウ　ミサキ")
    page.keyboard.press("Enter")
    go(page, f'tbody a[href$="/residents/{newcomer}"]')
    page.wait_for_selector("text=異動届の入力")
    go(page, f'#main a[href$="/residents/{newcomer}/support-measures"]')
    page.wait_for_selector("text=この方の支援措置の記録はありません")
    screenshot(page, "support-01-measures-none")

    # start: entry → confirmation → register
    page.keyboard.press("Alt+n")
    page.wait_for_selector("#f-consult_agency")
    tab_to(page, "#f-stage")
    page.keyboard.press("ArrowDown")  # 本 (nothing is preselected)
    assert page.locator("#f-stage-本").is_checked()
    tab_to(page, "#f-category")
    page.keyboard.press("ArrowDown")  # DV
    assert page.locator("#f-category").input_value() == "DV"
    for selector, text in (("#f-consult_agency", "長井警察署 生活安全課"), ("#f-opinion_on", format_wareki(today_jst())),
                           ("#f-opinion", "配偶者からの暴力があり、支援の必要性があると認める")):
        tab_to(page, selector)
        page.keyboard.type(text)
    screenshot(page, "support-02-start-entry")
    page.keyboard.press("Alt+k")
    page.wait_for_selector("button[value=register]")
    assert "まだ登録されていません" in page.content()
    screenshot(page, "support-03-start-confirm")
    page.keyboard.press("Enter")  # 登録する has the focus
    page.wait_for_selector("text=支援措置を開始しました")
    screenshot(page, "support-04-started")

    # the daily list: the new measure among those in force, the old one ending soon
    go(page, 'a[href$="/support-measures"]:has-text("支援措置の一覧")')
    page.wait_for_selector("text=実施中の支援措置")
    active = page.locator("#active-caption").locator("xpath=..").inner_text()
    assert "佐藤　美咲" in active and "山田　花子" in active
    assert "山田　花子" in page.locator("#review-caption").locator("xpath=..").inner_text()
    screenshot(page, "support-05-list")

    # extend the one ending soon
    go(page, f'a[href$="/residents/{ending}/support-measures"]')
    go(page, f'a[href$="/support-measures/{old.measure_id}/extend"]')
    page.wait_for_selector("#f-end_on")
    new_end = period_end(old.end_on + timedelta(days=1), 12)
    tab_to(page, "#f-end_on")
    page.keyboard.type(format_wareki(new_end))
    screenshot(page, "support-06-extend-entry")
    page.keyboard.press("Enter")  # the form's first submit: 入力内容を確認する
    page.wait_for_selector("button[value=register]")
    assert f"{format_wareki(old.end_on)} → {format_wareki(new_end)}" in page.inner_text("main")
    screenshot(page, "support-07-extend-confirm")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=支援措置を延長しました")
    screenshot(page, "support-08-extended")

    # end the new one, with a reason
    go(page, 'a[href$="/support-measures"]:has-text("支援措置の一覧")')
    go(page, f'a[href$="/residents/{newcomer}/support-measures"]')
    go(page, 'a[href$="/end"]')
    page.wait_for_selector("#f-reason")
    tab_to(page, "#f-reason")
    page.keyboard.type("申出者から終了の申出があった")
    page.keyboard.press("Alt+k")
    page.wait_for_selector("button[value=register]")
    screenshot(page, "support-09-end-confirm")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=支援措置を終了しました")
    assert "申出者から終了の申出があった" in page.inner_text("main")
    screenshot(page, "support-10-ended")
