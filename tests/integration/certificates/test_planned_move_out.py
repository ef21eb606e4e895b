"""Before its 予定日 a person who filed a 転出届 is still a resident: a 住民票の写し is issued,
and it leaves out what the 転出届 recorded (住民記録システム標準仕様書 5.1: 転出届に基づく
転出予定年月日前に証明書を交付する場合は、転出届に基づき記録を行った事項を省略して印字する)."""

from __future__ import annotations

from datetime import date

from municloud.jp.wareki import format_wareki
from tests.factories import days_ago, register
from tests.integration.certificates.helpers import CERTIFIED, has, household, issue, pages


def test_a_copy_before_the_planned_day_omits_the_planned_move_out(platform, mayor, clerk):
    family = household(platform, clerk, members=3)
    head, wife, son = family.atena_nos
    register(platform, clerk, kind="tenshutsu", ido_date=days_ago(-7), todoke_date=days_ago(0), atena_nos=[son],
             destination="東京都新宿区西新宿二丁目8番1号")
    cert = issue(platform, clerk, setai_no=family.setai_nos[0], with_history=True)
    everything = "".join(pages(cert.pdf))
    assert has(everything, CERTIFIED) and has(everything, "山田　一郎")  # still on the household's copy
    assert has(everything, "転入")
    assert not has(everything, "転出") and not has(everything, "東京都新宿区")
    assert not has(everything, format_wareki(date.fromisoformat(days_ago(-7))))  # no 転出予定年月日

    [page] = pages(issue(platform, clerk, atena_no=son).pdf)  # without history: 届出年月日 is the 転入's
    assert has(page, format_wareki(date.fromisoformat(days_ago(399)))) and not has(page, "転出")
