"""支援措置 on the supervisor's screens: start, 延長, 本決定 and 終了, each entry →
confirmation (the same use case as the API, as a dry run: nothing written, every problem
shown in Japanese) → register; the person's measures page and the daily list; a plain
clerk sees none of it; every look is audited by the service."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import today_jst
from municloud.modules.registry.services.support import list_support_measures, period_end
from tests.factories import (
    audit_entries,
    context,
    family,
    registry_footprint,
)
from tests.integration.screens.helpers import csrf_of, text_of, unlabelled_fields
from tests.integration.screens.test_support_screens import protect

VIEW = "registry:support_measure:view"


@pytest.fixture
def people(platform, clerk):
    return family(platform, clerk, days=500).atena_nos


@pytest.fixture
def boss(signed_in, nagai):
    return signed_in(nagai, "registry_supervisor")


def measures_url(tenant, atena_no, tail=""):
    return f"/t/{tenant}/residents/{atena_no}/support-measures{tail}"


def start_form(today=None, **items):
    today = today or today_jst()
    return {"stage": "本", "category": "DV", "applied_on": format_wareki(today), "start_on": format_wareki(today),
            "end_on": format_wareki(period_end(today, 12)), "consult_agency": "長井警察署 生活安全課",
            "opinion_on": format_wareki(today), "opinion": "配偶者からの暴力があり、支援の必要性がある", "note": "",
            **items}


def submit(b, url, page, data, action="confirm"):
    return b.post(url, data={**data, "action": action, "csrf_token": csrf_of(page)})


def hidden_fields(page: str) -> dict:
    return {m[0]: m[1] for m in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page)
            if m[0] != "csrf_token"}


def written(platform, tenant) -> dict:
    """The registry's rows and counters (the pages' own looks at the person are audited)."""
    return {k: v for k, v in registry_footprint(platform, tenant).items() if k != "audit_success"}


def test_the_supervisor_starts_a_measure_entry_confirmation_register(boss, platform, nagai, people):
    resident = boss.get(f"/t/{nagai}/residents/{people[1]}").text
    assert f'href="{measures_url(nagai, people[1])}"' in resident  # 「支援措置」 on a person not yet protected
    page = boss.get(measures_url(nagai, people[1]))
    assert page.status_code == 200 and "この方の支援措置の記録はありません" in text_of(page.text)
    form = boss.get(measures_url(nagai, people[1], "/new"))
    assert form.status_code == 200 and unlabelled_fields(form.text) == []
    assert format_wareki(period_end(today_jst(), 12)) in form.text  # the usual year proposed, visibly
    assert 'value="本" checked' not in form.text and 'value="仮" checked' not in form.text  # stage never assumed

    before = written(platform, nagai)
    confirm = submit(boss, measures_url(nagai, people[1], "/new"), form.text, start_form())
    assert confirm.status_code == 200, text_of(confirm.text)
    shown = text_of(confirm.text)
    assert "まだ登録されていません" in shown and "長井警察署 生活安全課" in shown and "DV（支援措置）" in shown
    assert written(platform, nagai) == before  # a dry run: nothing written, no number taken

    done = submit(boss, measures_url(nagai, people[1], "/new"), confirm.text, hidden_fields(confirm.text), "register")
    assert done.status_code == 303 and done.headers["location"] == measures_url(nagai, people[1], "?done=start")
    after = text_of(boss.get(done.headers["location"]).text)
    assert "支援措置を開始しました" in after and "実施中" in after and "配偶者からの暴力があり" in after
    resident = boss.get(f"/t/{nagai}/residents/{people[1]}").text
    assert "支援措置の対象者です" in resident and "この方の支援措置（延長・本決定・終了）" in resident


def test_every_problem_of_a_start_is_shown_at_once_in_japanese(boss, platform, nagai, people):
    url = measures_url(nagai, people[1], "/new")
    form = boss.get(url).text
    before = written(platform, nagai)
    refused = submit(boss, url, form, start_form(category="", end_on="", consult_agency="", opinion=""))
    assert refused.status_code == 422
    shown = text_of(refused.text)
    assert "入力内容に4件の誤りがあります" in shown
    for message in ("区分を選んでください", "終了予定日を入力してください", "相談機関の名称を入力してください",
                    "相談機関の意見を入力してください"):
        assert message in shown
    assert 'value="長井警察署' not in refused.text and "申出日" in shown  # the form again, as entered

    no_stage = submit(boss, url, form, start_form(stage="", end_on=format_wareki(today_jst() + timedelta(days=400))))
    assert no_stage.status_code == 422
    shown = text_of(no_stage.text)
    assert "仮か本かを選んでください" in shown and "期間は12か月までです" in shown
    assert written(platform, nagai) == before


def test_a_provisional_measure_starts_without_the_opinion_and_its_confirmation_needs_it(boss, platform, nagai,
                                                                                         people):
    url = measures_url(nagai, people[1], "/new")
    form = boss.get(url).text
    confirm = submit(boss, url, form, start_form(stage="仮", category="ストーカー", consult_agency="", opinion_on="",
                                                  opinion=""))
    assert confirm.status_code == 200, text_of(confirm.text)
    submit(boss, url, confirm.text, hidden_fields(confirm.text), "register")
    measure = list_support_measures(platform.uow(nagai), context(platform, nagai, "registry_supervisor"), people[1])[0]
    assert measure.stage == "仮" and measure.opinion is None

    url = measures_url(nagai, people[1], f"/{measure.measure_id}/confirm")
    entry = boss.get(url)
    assert entry.status_code == 200 and unlabelled_fields(entry.text) == []
    refused = submit(boss, url, entry.text, hidden_fields(entry.text))
    assert refused.status_code == 422 and "相談機関の名称を入力してください" in text_of(refused.text)
    given = {**hidden_fields(entry.text), "consult_agency": "長井市配偶者暴力相談支援センター",
             "opinion_on": format_wareki(today_jst()), "opinion": "つきまといがあり支援が必要"}
    confirm = submit(boss, url, entry.text, given)
    assert "仮支援措置 → 支援措置（本決定）" in text_of(confirm.text)
    done = submit(boss, url, confirm.text, hidden_fields(confirm.text), "register")
    assert done.status_code == 303 and "本決定を登録しました" in text_of(boss.get(done.headers["location"]).text)


def test_the_supervisor_extends_a_measure_ending_soon_then_ends_it_with_a_reason(boss, platform, supervisor, nagai,
                                                                                 people):
    measure = protect(platform, supervisor, people[1], started_days_ago=345)
    page = boss.get(measures_url(nagai, people[1])).text
    assert "延長する" in page and "終了予定日が近づいています" in text_of(page)

    url = measures_url(nagai, people[1], f"/{measure.measure_id}/extend")
    entry = boss.get(url).text
    too_long = format_wareki(measure.end_on + timedelta(days=400))
    refused = submit(boss, url, entry, {**hidden_fields(entry), "end_on": too_long})
    assert refused.status_code == 422 and "期間は12か月までです" in text_of(refused.text)
    new_end = period_end(measure.end_on + timedelta(days=1), 12)
    confirm = submit(boss, url, entry, {**hidden_fields(entry), "end_on": format_wareki(new_end)})
    assert confirm.status_code == 200
    assert f"{format_wareki(measure.end_on)} → {format_wareki(new_end)}" in text_of(confirm.text)
    done = submit(boss, url, confirm.text, hidden_fields(confirm.text), "register")
    assert "支援措置を延長しました" in text_of(boss.get(done.headers["location"]).text)

    url = measures_url(nagai, people[1], f"/{measure.measure_id}/end")
    entry = boss.get(url).text
    refused = submit(boss, url, entry, {**hidden_fields(entry), "end_on": format_wareki(today_jst())})
    assert refused.status_code == 422 and "終了の理由を入力してください" in text_of(refused.text)
    confirm = submit(boss, url, entry, {**hidden_fields(entry), "end_on": format_wareki(today_jst()),
                                        "reason": "申出者から終了の申出があった"})
    assert confirm.status_code == 200 and "申出者から終了の申出があった" in text_of(confirm.text)
    done = submit(boss, url, confirm.text, hidden_fields(confirm.text), "register")
    shown = text_of(boss.get(done.headers["location"]).text)
    assert "支援措置を終了しました" in shown and "終了：申出者から終了の申出があった" in shown.replace("（", "：")
    assert "支援措置の対象者です" not in boss.get(f"/t/{nagai}/residents/{people[1]}").text


def test_registering_a_confirmation_twice_is_refused_not_repeated(boss, platform, supervisor, nagai, people):
    measure = protect(platform, supervisor, people[1], started_days_ago=345)
    url = measures_url(nagai, people[1], f"/{measure.measure_id}/end")
    entry = boss.get(url).text
    confirm = submit(boss, url, entry, {**hidden_fields(entry), "end_on": format_wareki(today_jst()),
                                        "reason": "転出した"})
    assert submit(boss, url, confirm.text, hidden_fields(confirm.text), "register").status_code == 303
    again = submit(boss, url, confirm.text, hidden_fields(confirm.text), "register")
    assert again.status_code == 409 and "他の職員が更新しました" in text_of(again.text)


def test_the_daily_list_shows_active_measures_and_those_ending_soon_with_links(boss, platform, supervisor, nagai,
                                                                             people):
    protect(platform, supervisor, people[1], started_days_ago=345)  # ends within the window
    protect(platform, supervisor, people[2], started_days_ago=10)
    page = boss.get(f"/t/{nagai}/support-measures")
    assert page.status_code == 200 and unlabelled_fields(page.text) == []
    shown = text_of(page.text)
    assert "実施中の支援措置" in shown and "今日実施中の支援措置（2件" in shown
    assert shown.index("山田　花子") < shown.index("山田　一郎")  # soonest end first
    for atena_no in people[1:]:
        assert f'href="{measures_url(nagai, atena_no)}"' in page.text
    listed = [json.loads(e.detail) for e in audit_entries(platform, nagai, VIEW) if e.actor == boss.username]
    assert {"list": "active", "rows": 2} in listed and {"list": "review", "rows": 1} in listed
    assert "支援措置の一覧" in boss.get(f"/t/{nagai}/").text  # the menu entry


def test_a_look_at_a_persons_measures_is_audited(boss, platform, supervisor, nagai, people):
    protect(platform, supervisor, people[1])
    boss.get(measures_url(nagai, people[1]))
    mine = [e for e in audit_entries(platform, nagai, VIEW) if e.actor == boss.username]
    assert mine and json.loads(mine[-1].subjects) == [f"resident:{people[1]}"] and mine[-1].outcome == "success"


def test_a_plain_clerk_sees_no_support_screen_and_no_opinion(signed_in, platform, supervisor, nagai, people):
    measure = protect(platform, supervisor, people[1], started_days_ago=345)
    b = signed_in(nagai, "registry_clerk")
    for url in (measures_url(nagai, people[1]), measures_url(nagai, people[1], "/new"),
                measures_url(nagai, people[1], f"/{measure.measure_id}/end"), f"/t/{nagai}/support-measures"):
        assert b.get(url).status_code == 403, url
    posted = b.post(measures_url(nagai, people[1], "/new"), data={**start_form(), "action": "register"},
                    csrf_from=f"/t/{nagai}/residents/{people[1]}")
    assert posted.status_code == 403
    resident = b.get(f"/t/{nagai}/residents/{people[1]}").text
    assert "支援措置の対象者です" in resident and "support-measures" not in resident  # the banner, no link
    assert "支援措置の一覧" not in b.get(f"/t/{nagai}/").text
    seen = list_support_measures(platform.uow(nagai), context(platform, nagai, "registry_clerk"), people[1])[0]
    assert seen.active and seen.opinion is None and seen.consult_agency is None  # the period, not the story
