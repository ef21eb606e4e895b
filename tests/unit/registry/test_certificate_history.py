"""What a certificate may show of a history: before the 転出予定日 what the 転出届 recorded is
left out (住民記録システム標準仕様書 5.1); a 除票 shows everything.  Each item is dated by the
異動 that wrote it (住民基本台帳法第7条第7号・第8号), not by the record's latest 届出."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from municloud.modules.registry.certificates.origins import Origin, origins
from municloud.modules.registry.certificates.render import Subject, dated, notified, printed_history

HOME = "山形県長井市栄町1番1号"


def row(ido_jiyu: str, todoke: date | None, status: str = "resident", address: str = HOME,
        ido: date | None = None, **items):
    values = {"previous_address": "東京都千代田区霞が関1丁目1番1号", "katagaki": None, "setai_no": "1",
              "zokugara": "世帯主", "removal_reason": None, "removed_on": None, **items}
    return SimpleNamespace(ido_jiyu=ido_jiyu, todoke_date=todoke, ido_date=ido or todoke or date(2020, 1, 1),
                           status=status, address=address, **values)


def test_before_the_planned_day_the_planned_move_out_is_left_out():
    loaded = row("職権記載", None)
    planned = row("転出予定", date(2026, 11, 20))
    subject = Subject(current=planned, history=[loaded, planned])
    assert printed_history(subject) == [loaded]
    assert origins(printed_history(subject))["address"] == Origin("職権記載", date(2020, 1, 1), None)


def test_a_removed_record_shows_the_whole_history():
    planned = row("転出予定", date(2026, 11, 20))
    removed = row("転出", date(2026, 11, 20), status="removed")
    subject = Subject(current=removed, history=[row("転入", date(2020, 4, 2)), planned, removed])
    assert printed_history(subject) == subject.history


def test_each_item_keeps_the_date_of_the_notification_that_wrote_it_not_the_death():
    came = row("転入", date(2018, 4, 3), ido=date(2018, 4, 1))
    moved = row("転居", date(2021, 6, 2), ido=date(2021, 6, 1), address="山形県長井市本町2番2号")
    died = row("死亡", date(2026, 2, 12), ido=date(2026, 2, 10), address="山形県長井市本町2番2号", status="removed",
               removal_reason="死亡", removed_on=date(2026, 2, 10))
    found = origins([came, moved, died])
    assert found["previous_address"] == Origin("転入", date(2018, 4, 1), date(2018, 4, 3))
    assert found["address"] == Origin("転居", date(2021, 6, 1), date(2021, 6, 2))
    assert found["removal"] == Origin("死亡", date(2026, 2, 10), date(2026, 2, 12))
    assert dated(found["previous_address"]) == ("平成30年4月1日転入", "平成30年4月3日届出")
    assert notified(found["address"]) == ("転居　令和3年6月2日届出",)


def test_a_cancelled_move_gives_the_address_back_with_its_own_notification():
    came = row("転入", date(2018, 4, 3), ido=date(2018, 4, 1))
    moved = row("転居", date(2021, 6, 2), address="山形県長井市本町2番2号")
    cancelled = row("取消し", None, ido=date(2021, 6, 5))
    assert origins([came, moved, cancelled])["address"] == Origin("転入", date(2018, 4, 1), date(2018, 4, 3))


def test_an_entry_made_ex_officio_is_dated_by_the_entry_itself():
    loaded = row("職権記載", None, ido=date(2015, 10, 5))
    assert dated(origins([loaded])["previous_address"]) == ("平成27年10月5日職権記載",)
