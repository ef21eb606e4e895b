"""Time source (UTC, naive) — one place to read the clock, so tests can reason about it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

JST = ZoneInfo("Asia/Tokyo")


def utcnow() -> datetime:
    """Current time in UTC as a naive datetime (stored that way in every table)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_jst(moment_utc: datetime) -> datetime:
    """A stored time (naive UTC, as every table keeps it) as an aware time in Japan."""
    return moment_utc.replace(tzinfo=UTC).astimezone(JST)


def today_jst() -> date:
    """Today's date in Japan (業務日付)."""
    return datetime.now(JST).date()


def jst_day_bounds(day: date) -> tuple[datetime, datetime]:
    """A JST day as the stored (naive UTC) half-open interval ``[start, end)``."""
    start_utc = datetime.combine(day, time(), JST).astimezone(UTC).replace(tzinfo=None)
    return start_utc, start_utc + timedelta(days=1)
