"""年齢 (age) by the legal rule, shared by every module that shows or checks an age."""

from __future__ import annotations

from datetime import date, timedelta


def age_on(birth: date, on: date) -> int:
    """Age on *on* by the legal rule (年齢計算ニ関スル法律・民法第143条).

    A year of age is completed at the end of the day before the birthday, so the age
    goes up *on* that day: born 2011-04-01 → 15 on 2026-03-31.  Born on 29 February →
    a year older on 28 February of common years (the day before 1 March).
    """
    after = on + timedelta(days=1)
    return after.year - birth.year - ((after.month, after.day) < (birth.month, birth.day))


__all__ = ["age_on"]
