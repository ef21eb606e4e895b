"""The input rules of a 支援措置 (start, 延長, 本決定, 終了), collected so that one answer
names every problem (:class:`~municloud.errors.Problems`: the confirmation screen shows
them all at once, the API answers ``MULTIPLE_PROBLEMS``).

The 相談機関の意見 (住民基本台帳事務処理要領 第5-10: the municipality confirms the need for
support by hearing the opinion of the police, a 配偶者暴力相談支援センター, a 児童相談所 …)
is what makes a measure 本: a 本 measure cannot start without the agency's name, the date
and the opinion; a 仮 measure (審査中) may start before it arrives, and its 本決定 then
requires it.  Used by ``services/support.py`` only; it never commits.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from municloud.errors import Problems, ValidationError
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import today_jst
from municloud.modules.registry import protection


def day(value: str | None, field_name: str, label: str) -> date:
    """A date the clerk must give: a 支援措置's dates decide who is protected and until
    when, so none is assumed (an empty one is refused like a missing one)."""
    from municloud.modules.registry.services.notifications import parse_day

    return parse_day(value, field_name, label, required=True)


def required_text(value: str | None, field_name: str, label: str) -> str:
    if value is None or not value.strip():
        raise ValidationError("REGISTRY_ITEM_REQUIRED", f"{label}を入力してください",
                              fields={field_name: f"{label}を入力してください"})
    return value


@dataclass
class Opinion:
    """相談機関の意見: who, when, what."""

    agency: str
    on: date
    text: str


def opinion(problems: Problems, agency: str | None, on: str | None, text: str | None) -> Opinion | None:
    """The opinion given with a start or a 本決定 — every item required (each missing one a
    problem of its own); its date cannot be in the future."""
    found: dict = {}
    with problems.catch():
        found["agency"] = required_text(agency, "consult_agency", "相談機関の名称")
    with problems.catch():
        found["on"] = day(on, "opinion_on", "相談機関の意見の日付")
        if found["on"] > today_jst():
            del found["on"]
            raise ValidationError("REGISTRY_SUPPORT_OPINION_FUTURE", "相談機関の意見の日付が今日より後です",
                                  fields={"opinion_on": "今日以前の日付にしてください"})
    with problems.catch():
        found["text"] = required_text(text, "opinion", "相談機関の意見")
    return Opinion(**found) if len(found) == 3 else None


def given(*values: str | None) -> bool:
    return any(v is not None and v.strip() for v in values)


def category(problems: Problems, value: str) -> None:
    if value not in protection.CATEGORIES:
        problems.add(ValidationError(
            "REGISTRY_SUPPORT_CATEGORY_INVALID", f"支援措置の区分は {'・'.join(protection.CATEGORIES)} のいずれかです",
            fields={"category": "区分を選んでください"},
        ))


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def period_end(start: date, months: int) -> date:
    """Last day of a period of *months* months from *start* (民法第143条第2項): the day
    before the corresponding day, or the month's last day when it has none (29 Feb → 28 Feb)."""
    same_day = add_months(start, months)
    return same_day if same_day.day != start.day else same_day - timedelta(days=1)


def check_period(end: date, start: date, months: int, field_name: str) -> None:
    """A measure lasts at most *months* (住民基本台帳事務処理要領 第5-10: one year from the
    day the need for support was confirmed; each extension again at most that long)."""
    if end > period_end(start, months):
        raise ValidationError(
            "REGISTRY_SUPPORT_PERIOD_TOO_LONG",
            f"支援措置の期間は{months}か月までです（{period_end(start, months).isoformat()}まで。延長は期間満了の前に申し出ます）",
            fields={field_name: f"期間は{months}か月までです（{format_wareki(period_end(start, months))}以前にしてください）"},
        )
