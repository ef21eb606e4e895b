"""支援措置: start (仮・本), confirm, extend, end; third-party requests refused while active."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from municloud.errors import MuniError, PermissionDeniedError
from municloud.kernel.clock import today_jst
from municloud.modules.registry.schemas import (
    SupportMeasureChange,
    SupportMeasureIn,
    ThirdPartyRequestIn,
)
from municloud.modules.registry.services.support import (
    change_support_measure,
    list_support_measures,
    period_end,
    start_support_measure,
    third_party_request,
)
from tests.factories import (
    audit_entries,
    days_ago,
    family,
    history_of,
    household_of,
    register,
    registry_footprint,
    resident,
    search,
    support_opinion,
)

THIRD_PARTY = "registry:third_party:request"


def start(platform, ctx, atena_no, **data):
    """Start a measure with what a clerk usually enters (本, DV, applied today, from the day
    applied, for the usual year) unless *data* says otherwise: the API itself assumes nothing."""
    data.setdefault("stage", "本")
    data.setdefault("category", "DV")
    data.setdefault("applied_on", today_jst().isoformat())
    data.setdefault("start_on", data["applied_on"])
    data.setdefault("end_on", period_end(date.fromisoformat(data["start_on"]), 12).isoformat())
    if data["stage"] == "本":
        data = {**support_opinion(min(data["start_on"], today_jst().isoformat())), **data}
    return start_support_measure(platform.uow(ctx.tenant_code), ctx, atena_no, SupportMeasureIn(**data))


def change(platform, ctx, measure, **data):
    return change_support_measure(platform.uow(ctx.tenant_code), ctx, measure.atena_no, measure.measure_id,
                                  SupportMeasureChange(**data))


def request(platform, ctx, atena_nos, requester_type="third_party", **extra):
    return third_party_request(platform.uow(ctx.tenant_code), ctx,
                               ThirdPartyRequestIn(atena_nos=atena_nos, purpose="債権回収のため",
                                                   requester_type=requester_type, **extra))


def a_year_after(day: date) -> date:
    """The same day a year later (29 February → 1 March)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return date(day.year + 1, 3, 1)


def refusal(fn) -> MuniError:
    with pytest.raises(MuniError) as caught:
        fn()
    return caught.value


def test_a_measure_is_recorded_as_given(platform, supervisor):
    wife = family(platform, supervisor).atena_nos[1]
    measure = start(platform, supervisor, wife, applied_on="2026-01-10", start_on="2026-01-15", end_on="2027-01-14")

    assert (measure.stage, measure.category, measure.active) == ("本", "DV", measure.start_on <= today_jst())
    assert (measure.applied_on, measure.start_on, measure.end_on) == (date(2026, 1, 10), date(2026, 1, 15),
                                                                      date(2027, 1, 14))


@pytest.mark.parametrize(("start_on", "end_on"), [
    (date(2026, 1, 15), date(2027, 1, 14)),
    (date(2024, 3, 1), date(2025, 2, 28)),  # the day before the corresponding day
    (date(2024, 2, 29), date(2025, 2, 28)),  # no corresponding day: the last day of the month
])
def test_the_usual_period_of_a_year_ends_as_the_civil_code_counts(start_on, end_on):
    # 民法第143条第2項: a period of a year from 2024-03-01 ends with 2025-02-28 (the day before
    # the corresponding day 2025-03-01); from 2024-02-29 there is no 2025-02-29, so the month's last day.
    assert period_end(start_on, 12) == end_on


@pytest.mark.parametrize("missing", ["stage", "category", "applied_on", "start_on", "end_on"])
def test_nothing_about_who_is_protected_or_for_how_long_is_assumed(missing):
    data = {"stage": "本", "category": "DV", "applied_on": days_ago(1), "start_on": days_ago(1),
            "end_on": days_ago(-300)}
    del data[missing]
    with pytest.raises(ValueError) as caught:  # pydantic: the API answers 422 naming the item
        SupportMeasureIn(**data)
    assert [e["loc"] for e in caught.value.errors()] == [(missing,)]


def test_a_provisional_measure_is_confirmed_once(platform, supervisor):
    wife = family(platform, supervisor).atena_nos[1]
    provisional = start(platform, supervisor, wife, stage="仮", category="ストーカー")
    assert provisional.stage == "仮" and provisional.active

    assert provisional.opinion is None  # 仮: the 相談機関's opinion has not come yet
    error = refusal(lambda: change(platform, supervisor, provisional, action="confirm"))
    assert error.code == "MULTIPLE_PROBLEMS" and set(error.fields) == {"consult_agency", "opinion_on", "opinion"}
    confirmed = change(platform, supervisor, provisional, action="confirm", **support_opinion())
    assert confirmed.consult_agency == support_opinion()["consult_agency"]
    assert confirmed.stage == "本" and confirmed.end_on == provisional.end_on
    assert confirmed.version == provisional.version + 1
    assert refusal(lambda: change(platform, supervisor, confirmed, action="confirm")).code == "REGISTRY_SUPPORT_NOT_PROVISIONAL"


def test_an_extension_is_accepted_only_in_the_month_before_the_end(platform, supervisor):
    fam = family(platform, supervisor, days=400)
    fresh = start(platform, supervisor, fam.atena_nos[1])
    later = (fresh.end_on + timedelta(days=30)).isoformat()
    error = refusal(lambda: change(platform, supervisor, fresh, action="extend", end_on=later))
    assert error.code == "REGISTRY_SUPPORT_EXTEND_TOO_EARLY" and "延長" in error.message

    ending = start(platform, supervisor, fam.atena_nos[2], start_on=days_ago(340))
    assert ending.end_on - today_jst() < timedelta(days=31)
    a_year_on = a_year_after(ending.end_on + timedelta(days=1)) - timedelta(days=1)
    extended = change(platform, supervisor, ending, action="extend", end_on=a_year_on.isoformat())
    assert extended.end_on + timedelta(days=1) == a_year_after(ending.end_on + timedelta(days=1))


def test_an_extension_or_an_end_names_its_date_and_an_extension_lasts_a_year_at_most(platform, supervisor):
    """住民基本台帳事務処理要領 第5-10: the period is one year, and so is each extension; the
    end date of an extension and the day of an end decide the protection: never assumed."""
    fam = family(platform, supervisor, days=400)
    ending = start(platform, supervisor, fam.atena_nos[2], start_on=days_ago(340))
    assert refusal(lambda: change(platform, supervisor, ending, action="extend")).fields == {
        "end_on": "延長後の終了予定日を入力してください"}
    too_long = a_year_after(ending.end_on + timedelta(days=1)) + timedelta(days=1)
    error = refusal(lambda: change(platform, supervisor, ending, action="extend", end_on=too_long.isoformat()))
    assert error.code == "REGISTRY_SUPPORT_PERIOD_TOO_LONG" and list(error.fields) == ["end_on"]
    error = refusal(lambda: change(platform, supervisor, ending, action="end", end_on=""))
    assert error.code == "MULTIPLE_PROBLEMS" and set(error.fields) == {"end_on", "reason"}  # the day and why
    assert resident(platform, supervisor, fam.atena_nos[2]).protected is True


def test_empty_dates_start_nothing_and_a_start_lasts_a_year_at_most(platform, supervisor):
    wife = family(platform, supervisor).atena_nos[1]
    today = today_jst()
    given = {"applied_on": today.isoformat(), "start_on": today.isoformat(),
             "end_on": period_end(today, 12).isoformat()}
    for name in given:
        data = SupportMeasureIn(stage="本", category="DV", **support_opinion(), **{**given, name: ""})
        error = refusal(lambda data=data: start_support_measure(platform.uow(supervisor.tenant_code), supervisor,
                                                                wife, data))
        assert error.code == "REGISTRY_ITEM_REQUIRED" and list(error.fields) == [name]
    error = refusal(lambda: start(platform, supervisor, wife, start_on=today.isoformat(),
                                  end_on=a_year_after(today).isoformat()))
    assert error.code == "REGISTRY_SUPPORT_PERIOD_TOO_LONG"
    assert resident(platform, supervisor, wife).protected is False


def test_a_measure_cannot_be_started_twice_or_by_a_clerk(platform, supervisor, clerk):
    wife = family(platform, supervisor).atena_nos[1]
    start(platform, supervisor, wife)
    assert refusal(lambda: start(platform, supervisor, wife)).code == "REGISTRY_SUPPORT_ALREADY_ACTIVE"
    assert refusal(lambda: start(platform, clerk, wife)).code == "PERMISSION_DENIED"
    denied = audit_entries(platform, clerk.tenant_code, "registry:support_measure:start")[-1]
    assert (denied.outcome, denied.actor) == ("denied", clerk.actor)


def test_staff_see_that_the_person_is_protected(platform, supervisor, clerk):
    fam = family(platform, supervisor)
    wife = fam.atena_nos[1]
    assert resident(platform, clerk, wife).protected is False
    start(platform, supervisor, wife)

    assert resident(platform, clerk, wife).protected is True
    assert all(h.protected for h in history_of(platform, clerk, wife))
    assert {r.atena_no: r.protected for r in search(platform, clerk, q="ヤマダ")} == {
        fam.atena_nos[0]: False, wife: True, fam.atena_nos[2]: False,
    }
    members = household_of(platform, clerk, fam.setai_nos[0]).members
    assert [m.protected for m in members] == [False, True, False]
    assert [m.active for m in list_support_measures(platform.uow(clerk.tenant_code), clerk, wife)] == [True]


def test_a_third_party_request_about_a_protected_person_is_held_and_audited(platform, supervisor, clerk):
    fam = family(platform, supervisor)
    wife = fam.atena_nos[1]
    start(platform, supervisor, wife)
    before = registry_footprint(platform, clerk.tenant_code)

    decision = request(platform, clerk, [fam.atena_nos[0], wife])

    assert (decision.allowed, decision.held, decision.hold_no) == (False, True, 1)
    assert "支援措置" in decision.message and wife not in decision.message
    after = registry_footprint(platform, clerk.tenant_code)
    assert after["registry_support_holds"] == before["registry_support_holds"] + 1
    entry = audit_entries(platform, clerk.tenant_code, "registry:support_hold:hold")[-1]
    assert (entry.outcome, entry.actor) == ("success", clerk.actor)
    assert json.loads(entry.subjects) == [f"resident:{fam.atena_nos[0]}", f"resident:{wife}"]
    assert json.loads(entry.detail)["for"] == THIRD_PARTY
    assert not audit_entries(platform, clerk.tenant_code, THIRD_PARTY)  # not accepted
    assert request(platform, clerk, [fam.atena_nos[0]]).allowed


def test_an_agents_request_about_a_protected_person_is_refused_and_audited(platform, supervisor, clerk):
    fam = family(platform, supervisor)
    wife = fam.atena_nos[1]
    start(platform, supervisor, wife)
    before = registry_footprint(platform, clerk.tenant_code)

    with pytest.raises(PermissionDeniedError) as caught:
        request(platform, clerk, [fam.atena_nos[0], wife], requester_type="agent")

    assert caught.value.code == "REGISTRY_SUPPORT_MEASURE_ACTIVE" and "代理人" in caught.value.message
    assert wife not in caught.value.message
    assert registry_footprint(platform, clerk.tenant_code) == before
    entry = audit_entries(platform, clerk.tenant_code, THIRD_PARTY)[-1]
    assert (entry.outcome, entry.actor) == ("denied", clerk.actor)
    assert json.loads(entry.subjects) == [f"resident:{fam.atena_nos[0]}", f"resident:{wife}"]
    assert (json.loads(entry.detail)["reason"], json.loads(entry.detail)["rule"]) == ("support_measure", "agent")


def test_a_released_third_party_request_is_accepted_once(platform, supervisor, clerk):
    from municloud.modules.registry.services.holds import HoldDecisionIn, decide_hold

    fam = family(platform, supervisor)
    wife = fam.atena_nos[1]
    start(platform, supervisor, wife)
    held = request(platform, clerk, [wife], requester_type="public_office")
    assert refusal(lambda: request(platform, clerk, [wife], requester_type="public_office",
                                   hold_no=held.hold_no)).code == "REGISTRY_SUPPORT_HOLD_PENDING"
    decide_hold(platform.uow(clerk.tenant_code), supervisor, held.hold_no,
                HoldDecisionIn(decision="release", reason="児童相談所からの照会（法令に基づく事務）を公文書で確認"))
    changed = refusal(lambda: request(platform, clerk, [wife], requester_type="lawyer", hold_no=held.hold_no))
    assert changed.code == "REGISTRY_SUPPORT_HOLD_CHANGED"
    accepted = request(platform, clerk, [wife], requester_type="public_office", hold_no=held.hold_no)
    assert accepted.allowed and not accepted.held
    assert json.loads(audit_entries(platform, clerk.tenant_code, THIRD_PARTY)[-1].detail)["hold_no"] == held.hold_no
    again = refusal(lambda: request(platform, clerk, [wife], requester_type="public_office", hold_no=held.hold_no))
    assert again.code == "REGISTRY_SUPPORT_HOLD_USED"


def test_protection_carries_over_after_the_person_moves_out(platform, supervisor, clerk):
    fam = family(platform, supervisor)
    wife = fam.atena_nos[1]
    start(platform, supervisor, wife)
    register(platform, clerk, kind="tenshutsu", ido_date=days_ago(1), atena_nos=[wife], destination="東京都新宿区")
    assert request(platform, clerk, [wife]).held
    assert refusal(lambda: request(platform, clerk, [wife], requester_type="agent")).code == "REGISTRY_SUPPORT_MEASURE_ACTIVE"


def test_after_the_end_the_request_is_allowed(platform, supervisor, clerk):
    fam = family(platform, supervisor)
    wife = fam.atena_nos[1]
    measure = start(platform, supervisor, wife, start_on=days_ago(30))
    ended = change(platform, supervisor, measure, action="end", end_on=today_jst().isoformat(),
                   reason="申出者から終了の申出があった")

    assert ended.ended_on == today_jst() and ended.active is False
    assert resident(platform, clerk, wife).protected is False
    decision = request(platform, clerk, [wife])
    assert decision.allowed and decision.atena_nos == [wife]
    entry = audit_entries(platform, clerk.tenant_code, THIRD_PARTY)[-1]
    assert entry.outcome == "success"
    assert refusal(lambda: change(platform, supervisor, ended, action="extend")).code == "REGISTRY_SUPPORT_NOT_ACTIVE"


def test_the_opinion_cannot_be_dated_in_the_future_and_an_end_keeps_its_reason(platform, supervisor):
    wife = family(platform, supervisor).atena_nos[1]
    tomorrow = (today_jst() + timedelta(days=1)).isoformat()
    error = refusal(lambda: start(platform, supervisor, wife, **support_opinion(tomorrow)))
    assert error.code == "REGISTRY_SUPPORT_OPINION_FUTURE" and list(error.fields) == ["opinion_on"]
    measure = start(platform, supervisor, wife)
    ended = change(platform, supervisor, measure, action="end", end_on=today_jst().isoformat(), reason="転出した")
    assert (ended.end_reason, ended.end_note) == ("終了", "転出した")
