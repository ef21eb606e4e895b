"""届出期間 (住民基本台帳法第22条〜第25条: 14日) and the order of 届出日 and 異動日.

The period is counted from the day after the event (民法第140条, 初日不算入) and a deadline
on a closed day moves to the next open day (地方自治法第4条の2第4項): 土日 and 12月29日〜1月3日.
"""

from __future__ import annotations

from datetime import date

import pytest

from municloud.errors import ValidationError
from municloud.modules.registry.periods import check_order, lateness, notice_deadline


def test_fourteen_days_are_counted_from_the_day_after_the_event():
    # 2026-04-01 (Wed) + 14 days = 2026-04-15 (Wed), an open day
    assert notice_deadline(date(2026, 4, 1), 14) == date(2026, 4, 15)


def test_a_deadline_on_a_weekend_moves_to_monday():
    # 2026-04-04 (Sat) + 14 = 2026-04-18 (Sat) → 2026-04-20 (Mon)
    assert notice_deadline(date(2026, 4, 4), 14) == date(2026, 4, 20)


def test_a_deadline_in_the_new_year_holidays_moves_past_them():
    # 2025-12-20 + 14 = 2026-01-03 (Sat, 年末年始) → 01-04 (Sun) → 2026-01-05 (Mon)
    assert notice_deadline(date(2025, 12, 20), 14) == date(2026, 1, 5)


@pytest.mark.parametrize("kind", ["tennyu", "tenkyo", "tenshutsu", "setai_henko"])
def test_a_notification_after_the_deadline_is_late_and_on_it_is_not(kind):
    assert lateness(kind, None, date(2026, 4, 1), date(2026, 4, 15), 14).late is False
    late = lateness(kind, None, date(2026, 4, 1), date(2026, 4, 16), 14)
    assert late.late and late.deadline == date(2026, 4, 15)


@pytest.mark.parametrize("kind", ["shussei", "shibou", "shimei_henko", "shokken_shusei", "torikeshi"])
def test_kinds_without_a_juki_ho_period_are_never_late(kind):
    assert lateness(kind, None, date(2026, 1, 1), date(2026, 6, 1), 14).late is False


def test_a_move_out_confirmation_and_an_ex_officio_entry_are_never_late():
    assert lateness("tenshutsu", "kakutei", date(2026, 1, 1), date(2026, 6, 1), 14).late is False
    assert lateness("tenkyo", None, date(2026, 1, 1), None, 14).late is False


def test_a_notification_before_its_event_is_refused_except_a_move_out_filed_ahead():
    with pytest.raises(ValidationError) as caught:
        check_order("tenkyo", None, date(2026, 4, 10), date(2026, 4, 9))
    assert caught.value.code == "REGISTRY_NOTIFIED_BEFORE_EVENT" and "todoke_date" in caught.value.fields
    check_order("tenshutsu", "yotei", date(2026, 4, 10), date(2026, 4, 1))  # 住基法第24条「あらかじめ」
    check_order("torikeshi", None, date(2026, 4, 10), date(2026, 4, 1))
    check_order("tenkyo", None, date(2026, 4, 10), None)  # 職権: no 届出日
    with pytest.raises(ValidationError):
        check_order("tenshutsu", "kakutei", date(2026, 4, 10), date(2026, 4, 9))
