"""Shared helpers of the tax integration tests: taxpayers in the registry, 課税資料 files."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from municloud.modules.tax.inputs import INPUT_COLUMNS, RELATIVE_COLUMNS
from tests.factories import context, make_tenant, move_in, person

TENANT = "062090"  # 長井市

#: Days before today (2026-11-26 in this project's present; computed, not assumed).
def days_before(day: date) -> int:
    from municloud.kernel.clock import today_jst

    return (today_jst() - day).days


def setup_tenant(platform, code: str = TENANT, name: str = "長井市", grade: int | None = 3):
    make_tenant(platform, code, name)
    if grade is not None:
        admin = context(platform, code, "tenant_admin")
        from municloud.kernel.parameters.services import set_override

        set_override(platform.uow(code), admin, "welfare.livelihood_grade", date(2000, 4, 1), grade, "長井市は3級地-1")
    return code


def resident_since(platform, clerk, day: date, *persons_: dict):
    """A household moved in on *day* (returns the NotificationResult)."""
    return move_in(platform, clerk, list(persons_) or [person()], days=days_before(day))


def write_inputs(path: Path, rows: list[dict]) -> Path:
    """A 課税資料 CSV; *rows* use the database column names (missing → empty)."""
    return _write(path, INPUT_COLUMNS, rows)


def write_relatives(path: Path, rows: list[dict]) -> Path:
    """A 親族 CSV (spouses and dependants), same convention."""
    return _write(path, RELATIVE_COLUMNS, rows)


def _write(path: Path, columns, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow([h for _, h in columns])
        for row in rows:
            w.writerow(["" if row.get(c) is None else row.get(c) for c, _ in columns])
    return path
