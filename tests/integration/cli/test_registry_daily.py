"""``municloud registry daily``: the daily job from the command line (cron, systemd timer)."""

from __future__ import annotations

from datetime import timedelta

from municloud.bootstrap import create_platform
from municloud.config import load_settings
from municloud.kernel.clock import today_jst
from tests.factories import context, days_ago, family, register, resident, travel


def test_the_daily_job_removes_those_whose_planned_day_has_come_and_runs_again_harmlessly(
        migrated, cli, monkeypatch):
    assert cli("tenant", "add", "062090", "長井市").exit_code == 0
    assert cli("tenant", "add", "263648", "笠置町", "--kind", "町").exit_code == 0
    platform = create_platform(load_settings())
    try:
        clerk = context(platform, "062090", "registry_clerk")
        fam = family(platform, clerk)
        son = fam.atena_nos[2]
        planned = register(platform, clerk, kind="tenshutsu", ido_date=days_ago(-3), todoke_date=days_ago(0),
                           atena_nos=[son], destination="東京都新宿区西新宿二丁目8番1号")
        future = cli("registry", "daily", "--tenant", "062090", "--on", (today_jst() + timedelta(days=1)).isoformat())
        assert future.exit_code == 1 and "REGISTRY_DAILY_FUTURE" in future.output
        travel(monkeypatch, today_jst() + timedelta(days=3))
        first = cli("registry", "daily", "--tenant", "062090")
        assert first.exit_code == 0, first.output
        assert str(planned.notification_id) in first.stdout and "1人" in first.stdout
        assert son not in first.output  # a job's output goes to an ordinary log: no 宛名番号 (the audit has them)
        assert "1件の転出予定を除票にしました" in first.stdout
        assert resident(platform, clerk, son).status == "removed"
        again = cli("registry", "daily")  # every tenant; nothing left to do
        assert again.exit_code == 0 and "2団体：0件" in again.stdout
    finally:
        platform.dispose()
