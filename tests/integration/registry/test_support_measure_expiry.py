"""A 支援措置 never ends silently: from one month before its end date every view carries the
alert 「終了予定日が近づいています」 (the 要領 第5-10 accepts the 延長の申出 from then); once the
date has passed without an extension it shows as 期間満了, the supervisor's review list
names both, and the lapse is written down as an audited change."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from municloud.errors import PermissionDeniedError
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import today_jst
from municloud.modules.registry.schemas import SupportMeasureChange
from municloud.modules.registry.services.support import (
    change_support_measure,
    list_support_measures,
    record_expiries,
    review_support_measures,
    start_support_measure,
)
from tests.factories import audit_entries, days_ago, family, resident, support_measure


def start(platform, supervisor, atena_no, started_days_ago: int):
    data = support_measure(start_on=days_ago(started_days_ago))
    return start_support_measure(platform.uow(supervisor.tenant_code), supervisor, atena_no, data)


@pytest.fixture
def people(platform, supervisor):
    """(head, wife, child) of a family that moved in 500 days ago."""
    return family(platform, supervisor, days=500).atena_nos


def test_a_measure_ending_within_a_month_carries_the_alert_with_its_date(platform, supervisor, clerk, people):
    measure = start(platform, supervisor, people[1], 345)  # one year from 345 days ago: ends in about 19 days
    assert timedelta(0) < measure.end_on - today_jst() <= timedelta(days=31)
    assert (measure.status, measure.active) == ("ending_soon", True)
    assert measure.alert == (f"支援措置の終了予定日（{format_wareki(measure.end_on)}）が近づいています。"
                             "延長の申出は終了予定日の1か月前から受け付けます")
    fresh = start(platform, supervisor, people[2], 10)
    assert (fresh.status, fresh.alert) == ("active", None)
    [seen] = list_support_measures(platform.uow(clerk.tenant_code), clerk, people[1])
    assert seen.status == "ending_soon" and "近づいています" in seen.alert


def test_a_measure_past_its_end_date_shows_as_expired_not_as_nothing(platform, supervisor, clerk, people):
    wife = people[1]
    start(platform, supervisor, wife, 400)  # ended about 35 days ago, never extended
    assert resident(platform, clerk, wife).protected is False
    [seen] = list_support_measures(platform.uow(clerk.tenant_code), clerk, wife)
    assert (seen.status, seen.active, seen.ended_on) == ("expired", False, None)
    assert seen.status_label == "期間満了で終了（延長の申出なし）"
    assert "期間満了で終了しました" in seen.alert and format_wareki(seen.end_on) in seen.alert


def test_the_supervisors_review_list_names_measures_ending_soon_and_expired(platform, supervisor, people):
    head, wife, child = people
    start(platform, supervisor, wife, 345)
    start(platform, supervisor, child, 400)
    start(platform, supervisor, head, 10)  # nothing to review
    review = review_support_measures(platform.uow(supervisor.tenant_code), supervisor)
    assert [(m.atena_no, m.status, m.shimei) for m in review] == [
        (child, "expired", "山田　一郎"), (wife, "ending_soon", "山田　花子")]
    entry = audit_entries(platform, supervisor.tenant_code, "registry:support_measure:view")[-1]
    assert json.loads(entry.subjects) == [f"resident:{child}", f"resident:{wife}"]
    assert json.loads(entry.detail) == {"list": "review", "rows": 2}


def test_a_lapse_is_recorded_explicitly_and_audited(platform, supervisor, clerk, people):
    wife, child = people[1], people[2]
    lapsed = start(platform, supervisor, wife, 400)
    start(platform, supervisor, child, 345)
    with pytest.raises(PermissionDeniedError):
        record_expiries(platform.uow(clerk.tenant_code), clerk)

    [recorded] = record_expiries(platform.uow(supervisor.tenant_code), supervisor)
    assert (recorded.measure_id, recorded.status, recorded.end_reason) == (lapsed.measure_id, "expired", "期間満了")
    assert recorded.ended_on == lapsed.end_on + timedelta(days=1) and recorded.version == lapsed.version + 1
    entry = audit_entries(platform, supervisor.tenant_code, "registry:support_measure:change")[-1]
    assert (entry.actor, json.loads(entry.subjects)) == (supervisor.actor, [f"resident:{wife}"])
    assert json.loads(entry.detail)["action"] == "expire"
    assert record_expiries(platform.uow(supervisor.tenant_code), supervisor) == []  # once
    still = [m.status for m in review_support_measures(platform.uow(supervisor.tenant_code), supervisor)]
    assert still == ["expired", "ending_soon"]  # a recorded expiry stays on the list for a year


def test_an_early_end_is_an_end_not_an_expiry(platform, supervisor, people):
    measure = start(platform, supervisor, people[1], 30)
    ended = change_support_measure(platform.uow(supervisor.tenant_code), supervisor, people[1], measure.measure_id,
                                   SupportMeasureChange(action="end", end_on=today_jst().isoformat(), expected_version=None,
                                                        reason="申出者から終了の申出があった", note=None))
    assert (ended.status, ended.end_reason, ended.alert) == ("ended", "終了", None)
    assert review_support_measures(platform.uow(supervisor.tenant_code), supervisor) == []
