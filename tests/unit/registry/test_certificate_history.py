"""What a certificate may show of a history: before the 転出予定日 what the 転出届 recorded is
left out (住民記録システム標準仕様書 5.1); a 除票 shows everything."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from municloud.modules.registry.certificates.render import Subject, notified_on, printed_history


def row(ido_jiyu: str, todoke: date | None, status: str = "resident", address: str = "山形県長井市栄町1番1号"):
    return SimpleNamespace(ido_jiyu=ido_jiyu, todoke_date=todoke, status=status, address=address)


def test_before_the_planned_day_the_planned_move_out_is_left_out():
    loaded = row("職権記載", None)
    planned = row("転出予定", date(2026, 11, 20))
    subject = Subject(current=planned, history=[loaded, planned])
    assert printed_history(subject) == [loaded]
    assert notified_on(subject) is None  # not the 転出届's 届出日


def test_a_removed_record_shows_the_whole_history():
    planned = row("転出予定", date(2026, 11, 20))
    removed = row("転出", date(2026, 11, 20), status="removed")
    subject = Subject(current=removed, history=[row("転入", date(2020, 4, 2)), planned, removed])
    assert printed_history(subject) == subject.history
