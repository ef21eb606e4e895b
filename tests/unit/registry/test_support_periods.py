"""Periods of a 支援措置: one year by default, ending the day before the corresponding day."""

from __future__ import annotations

from datetime import date

import pytest

from municloud.modules.registry.services.support import add_months, period_end


@pytest.mark.parametrize(("start", "end"), [
    (date(2026, 1, 15), date(2027, 1, 14)),
    (date(2026, 1, 1), date(2026, 12, 31)),
    (date(2024, 3, 1), date(2025, 2, 28)),
    (date(2023, 3, 1), date(2024, 2, 29)),
    (date(2024, 2, 29), date(2025, 2, 28)),  # no 29 Feb in 2025: the month's last day (民法143条2項)
])
def test_a_twelve_month_period_ends_the_day_before_the_same_day_a_year_later(start, end):
    assert period_end(start, 12) == end


def test_a_month_is_added_without_overflowing_into_the_next_month():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2026, 12, 15), 12) == date(2027, 12, 15)
