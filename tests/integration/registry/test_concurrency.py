"""Two clerks on the same resident: the second gets a conflict, nothing is lost."""

from __future__ import annotations

import threading

import pytest

from municloud.errors import ConflictError
from tests.factories import context, days_ago, family, history_of, register, resident
from tests.integration.registry.checks import chains_ok


def rename(platform, ctx, atena_no: str, shimei: str, kana: str, **extra):
    return register(platform, ctx, kind="shimei_henko", ido_date=days_ago(1), atena_no=atena_no, shimei=shimei,
                    shimei_kana=kana, **extra)


def test_the_second_clerk_working_from_a_stale_record_gets_a_conflict(platform, clerk, nagai):
    fam = family(platform, clerk)
    wife = fam.atena_nos[1]
    other = context(platform, nagai, "registry_clerk")
    seen_by_first = resident(platform, clerk, wife).rireki_no
    seen_by_second = resident(platform, other, wife).rireki_no
    assert seen_by_first == seen_by_second == 1

    first = rename(platform, clerk, wife, "佐藤　花子", "サトウ　ハナコ", expected_rireki={wife: seen_by_first})
    with pytest.raises(ConflictError) as caught:
        rename(platform, other, wife, "鈴木　花子", "スズキ　ハナコ", expected_rireki={wife: seen_by_second})

    assert caught.value.code == "REGISTRY_STALE_RECORD" and "他の職員" in caught.value.message
    history = history_of(platform, clerk, wife)
    assert [(h.rireki_no, h.shimei, h.notification_id) for h in history] == [
        (1, "山田　花子", fam.notification_id), (2, "佐藤　花子", first.notification_id),
    ]
    assert history[-1].processed_by == clerk.actor


def test_a_stale_expectation_on_a_household_member_refuses_the_whole_notification(platform, clerk):
    fam = family(platform, clerk)
    head, wife, son = fam.atena_nos
    rename(platform, clerk, wife, "佐藤　花子", "サトウ　ハナコ")
    with pytest.raises(ConflictError):
        register(platform, clerk, kind="tenkyo", ido_date=days_ago(1), atena_nos=fam.atena_nos,
                 address={"address": "山形県長井市栄町2番3号"}, expected_rireki={head: 1, wife: 1, son: 1})
    assert [resident(platform, clerk, a).rireki_no for a in fam.atena_nos] == [1, 2, 1]


def run_together(*jobs):
    """Run each job in its own thread, released together by a barrier; (results, errors)."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []
    lock = threading.Lock()

    def run(job):
        barrier.wait()
        try:
            value = job()
        except Exception as exc:  # noqa: BLE001 - collected and asserted on below
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(value)

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return results, errors


def assert_dense_and_nothing_lost(platform, ctx, atena_no: str, results: list) -> None:
    history = history_of(platform, ctx, atena_no)
    assert [h.rireki_no for h in history] == list(range(1, len(history) + 1))
    recorded = [h.notification_id for h in history]
    assert len(set(recorded)) == len(recorded)
    for result in results:
        assert result.notification_id in recorded
    assert resident(platform, ctx, atena_no).rireki_no == len(history)


@pytest.mark.parametrize("round_", range(3))
def test_two_clerks_changing_the_same_person_at_once_both_land_in_order(platform, clerk, nagai, round_):
    fam = family(platform, clerk)
    wife = fam.atena_nos[1]
    other = context(platform, nagai, "registry_clerk")
    results, errors = run_together(
        lambda: rename(platform, clerk, wife, "佐藤　花子", "サトウ　ハナコ"),
        lambda: rename(platform, other, wife, "鈴木　花子", "スズキ　ハナコ"),
    )

    assert all(isinstance(e, ConflictError) for e in errors), errors
    assert len(results) >= 1 and len(results) + len(errors) == 2
    assert_dense_and_nothing_lost(platform, clerk, wife, results)
    assert len(history_of(platform, clerk, wife)) == 1 + len(results)
    assert chains_ok(platform)


@pytest.mark.parametrize("round_", range(3))
def test_two_clerks_with_the_same_expectation_at_once_exactly_one_wins(platform, clerk, nagai, round_):
    fam = family(platform, clerk)
    wife = fam.atena_nos[1]
    other = context(platform, nagai, "registry_clerk")
    results, errors = run_together(
        lambda: rename(platform, clerk, wife, "佐藤　花子", "サトウ　ハナコ", expected_rireki={wife: 1}),
        lambda: rename(platform, other, wife, "鈴木　花子", "スズキ　ハナコ", expected_rireki={wife: 1}),
    )

    assert len(results) == 1 and len(errors) == 1, (results, errors)
    assert isinstance(errors[0], ConflictError)
    assert_dense_and_nothing_lost(platform, clerk, wife, results)
    winner = history_of(platform, clerk, wife)[-1]
    assert winner.notification_id == results[0].notification_id and winner.rireki_no == 2
    assert chains_ok(platform)


def test_two_births_into_one_household_at_once_get_distinct_numbers(platform, clerk, nagai):
    fam = family(platform, clerk)
    other = context(platform, nagai, "registry_clerk")

    def birth(ctx, name, kana):
        return lambda: register(platform, ctx, kind="shussei", ido_date=days_ago(1), setai_no=fam.setai_nos[0],
                                person={"shimei": name, "shimei_kana": kana, "sex": "1", "zokugara": "子"})

    results, errors = run_together(birth(clerk, "山田　二郎", "ヤマダ　ジロウ"), birth(other, "山田　三郎", "ヤマダ　サブロウ"))

    assert all(isinstance(e, ConflictError) for e in errors), errors
    babies = [a for r in results for a in r.atena_nos]
    assert len(set(babies)) == len(babies) == len(results)
    assert len({r.notification_id for r in results}) == len(results)
    assert chains_ok(platform)


def test_the_same_request_key_registers_a_notification_only_once(platform, clerk):
    from municloud.errors import ConflictError
    from tests.factories import move_in, person

    first = move_in(platform, clerk, [person()], request_key="counter-7-confirm-1")
    with pytest.raises(ConflictError) as caught:
        move_in(platform, clerk, [person()], request_key="counter-7-confirm-1")
    assert caught.value.code == "REGISTRY_ALREADY_REGISTERED"
    assert str(first.notification_id) in caught.value.message
    again = move_in(platform, clerk, [person()], request_key="counter-7-confirm-2")
    assert again.notification_id == first.notification_id + 1
