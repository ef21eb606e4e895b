"""Property: any sequence of valid notifications keeps the registry consistent.

Each Hypothesis example runs in a tenant of its own (a fresh 団体コード with a valid check
digit), because the ``platform`` fixture empties the tables only after the whole test.
Operations are drawn against the registry's current state; an operation may be refused
(e.g. a date before someone became a resident, or a cancellation that would leave a
household without a head), and then nothing at all may have changed.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from municloud.errors import MuniError
from municloud.jp.codes import local_government_check_digit
from municloud.kernel.audit.services import verify_chains
from municloud.modules.registry.orm import Household, Notification, ResidentIndex, ResidentRecord
from tests.factories import context, days_ago, make_tenant, person, register, registry_footprint

_tenants = count(50001)
SURNAMES = [("山田", "ヤマダ"), ("髙橋", "タカハシ"), ("辻\U000E0102", "ツジ"), ("𠮷野", "ヨシノ"), ("渡邊", "ワタナベ")]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("一", "ハジメ"), ("神\ufa19", "シンジ")]
OPERATIONS = ["move_in", "move_in", "join", "birth", "move_household", "move_out_member", "death_member",
              "head_change", "split", "merge", "rename", "cancel_last", "cancel_any", "plan_move_out"]


def fresh_tenant(platform) -> str:
    first5 = f"{next(_tenants):05d}"
    return make_tenant(platform, first5 + str(local_government_check_digit(first5)), f"検証町{first5}", kind="町")


def current_state(platform, tenant: str) -> dict[str, list[ResidentIndex]]:
    """Current residents by household (head first)."""
    with platform.session_factory() as s:
        rows = s.scalars(select(ResidentIndex).where(ResidentIndex.tenant_code == tenant, ResidentIndex.status == "resident")
                         .order_by(ResidentIndex.is_head.desc(), ResidentIndex.atena_no)).all()
    households: dict[str, list] = defaultdict(list)
    for row in rows:
        households[row.setai_no].append(row)
    return dict(sorted(households.items()))


def check_invariants(platform, tenant: str) -> None:
    with platform.session_factory() as s:
        index = {r.atena_no: r for r in s.scalars(select(ResidentIndex).where(ResidentIndex.tenant_code == tenant))}
        records = defaultdict(list)
        for r in s.scalars(select(ResidentRecord).where(ResidentRecord.tenant_code == tenant)
                           .order_by(ResidentRecord.atena_no, ResidentRecord.rireki_no)):
            records[r.atena_no].append(r)
        households = {h.setai_no: h for h in s.scalars(select(Household).where(Household.tenant_code == tenant))}
        assert all(r.ok for r in verify_chains(s, tenant)), "audit chain broken"
    assert set(index) == set(records)
    members = defaultdict(list)
    for atena_no, rows in records.items():
        assert [r.rireki_no for r in rows] == list(range(1, len(rows) + 1)), f"{atena_no}: 履歴番号 not dense"
        latest, pointer = rows[-1], index[atena_no]
        assert pointer.rireki_no == latest.rireki_no, f"{atena_no}: index not at the highest 履歴番号"
        assert (pointer.status, pointer.setai_no) == (latest.status, latest.setai_no)
        assert pointer.is_head == (latest.status == "resident" and latest.zokugara == "世帯主")
        if latest.status == "resident":
            assert latest.setai_no in households, f"{atena_no}: household missing"
            members[latest.setai_no].append(latest)
    for setai_no, household in households.items():
        group = members.get(setai_no, [])
        if not group:
            assert household.dissolved_on is not None, f"empty household {setai_no} not dissolved"
            continue
        assert household.dissolved_on is None, f"household {setai_no} with residents is dissolved"
        assert [p.zokugara for p in group].count("世帯主") == 1, f"household {setai_no}: not exactly one head"
        assert len({p.address for p in group}) == 1, f"household {setai_no}: members at different addresses"


def history_rows(platform, tenant: str) -> int:
    with platform.session_factory() as s:
        return s.scalar(select(func.count()).select_from(ResidentRecord).where(ResidentRecord.tenant_code == tenant))


def cancellable(platform, tenant: str) -> list[int]:
    """Notifications not yet cancelled (newest first)."""
    with platform.session_factory() as s:
        return list(s.scalars(select(Notification.notification_id).where(
            Notification.tenant_code == tenant, Notification.kind != "torikeshi", Notification.cancelled_by.is_(None),
        ).order_by(Notification.notification_id.desc())))


def group_address(platform, member: ResidentIndex) -> str:
    with platform.session_factory() as s:
        return s.get(ResidentRecord, (member.tenant_code, member.atena_no, member.rireki_no)).address


def a_name(data) -> tuple[str, str]:
    (sur, sur_kana), (given_, given_kana) = data.draw(st.sampled_from(SURNAMES)), data.draw(st.sampled_from(GIVEN))
    return f"{sur}　{given_}", f"{sur_kana}　{given_kana}"


def build(op: str, data, state: dict, step: int, platform, tenant: str) -> dict | None:
    """A notification for *op* against *state*, or None when it does not apply."""
    day = days_ago(300 - 20 * step)
    base = {"ido_date": day, "todoke_date": day}
    big = {s: m for s, m in state.items() if len(m) >= 2}
    town = f"検証町{tenant[:5]}本町{data.draw(st.integers(1, 3))}番"  # inside the tenant (its name)
    if op == "move_in":
        size = data.draw(st.integers(1, 3))
        people = []
        for i in range(size):
            shimei, kana = a_name(data)
            people.append(person(shimei, kana, "1970-01-01", str(1 + i % 2), "世帯主" if i == 0 else "世帯員"))
        return {**base, "kind": "tennyu", "previous_address": "東京都千代田区1-1",
                "address": {"address": town}, "persons": people}
    if op.startswith("cancel"):
        targets = cancellable(platform, tenant)
        if not targets:
            return None
        target = targets[0] if op == "cancel_last" else data.draw(st.sampled_from(targets))
        return {"kind": "torikeshi", "notification_id": target, "note": "入力誤り"}
    if not state:
        return None
    setai_no = data.draw(st.sampled_from(sorted(state)))
    group = state[setai_no]
    if op == "join":
        shimei, kana = a_name(data)
        return {**base, "kind": "tennyu", "previous_address": "東京都千代田区1-1", "join_setai_no": setai_no,
                "address": {"address": data.draw(st.sampled_from([town, group_address(platform, group[0])]))},
                "persons": [person(shimei, kana, "1990-01-01", "1", "同居人")]}
    if op == "merge":
        if len(state) < 2:
            return None
        into = data.draw(st.sampled_from(sorted(set(state) - {setai_no})))
        return {**base, "kind": "setai_henko", "type": "merge", "setai_no": setai_no, "into_setai_no": into,
                "zokugara": {p.atena_no: "同居人" for p in group}}
    if op == "birth":
        shimei, kana = a_name(data)
        return {**base, "kind": "shussei", "setai_no": setai_no,
                "person": {"shimei": shimei, "shimei_kana": kana, "sex": "2", "zokugara": "子"}}
    if op == "move_household":
        return {**base, "kind": "tenkyo", "atena_nos": [p.atena_no for p in group], "address": {"address": town}}
    if op == "rename":
        shimei, kana = a_name(data)
        atena_no = data.draw(st.sampled_from([p.atena_no for p in group]))
        return {**base, "kind": "shimei_henko", "atena_no": atena_no, "shimei": shimei, "shimei_kana": kana,
                "kyu_uji": data.draw(st.sampled_from([None, "旧姓"]))}
    if not big:
        return None
    setai_no = data.draw(st.sampled_from(sorted(big)))
    head, others = big[setai_no][0], big[setai_no][1:]
    member = data.draw(st.sampled_from([p.atena_no for p in others]))
    if op == "move_out_member":
        return {**base, "kind": "tenshutsu", "atena_nos": [member], "destination": "東京都新宿区"}
    if op == "plan_move_out":  # filed ahead: the person stays in the household until the 予定日
        return {"ido_date": days_ago(-5), "todoke_date": days_ago(0), "kind": "tenshutsu", "atena_nos": [member],
                "destination": "東京都新宿区"}
    if op == "death_member":
        return {**base, "kind": "shibou", "atena_no": member}
    if op == "head_change":
        return {**base, "kind": "setai_henko", "type": "head_change", "setai_no": setai_no, "new_head": member,
                "zokugara": {head.atena_no: "世帯員"}}
    everyone = [p.atena_no for p in big[setai_no]]
    movers = data.draw(st.lists(st.sampled_from(everyone), min_size=1, max_size=len(everyone) - 1, unique=True))
    new_head = data.draw(st.sampled_from(movers))
    staying = [a for a in everyone if a not in movers]
    return {**base, "kind": "setai_henko", "type": "split", "setai_no": setai_no, "atena_nos": movers,
            "new_head": new_head, "zokugara": {a: "世帯員" for a in movers if a != new_head},
            "remaining_head": staying[0] if head.atena_no in movers else None}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_sequence_of_valid_notifications_keeps_the_registry_consistent(platform, data):
    tenant = fresh_tenant(platform)
    ctx = context(platform, tenant, "registry_clerk")
    operations = data.draw(st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=12), label="operations")
    for step, op in enumerate(operations):
        notification = build(op, data, current_state(platform, tenant), step, platform, tenant)
        if notification is None:
            continue
        before = registry_footprint(platform, tenant)
        rows_before = history_rows(platform, tenant)
        try:
            result = register(platform, ctx, **notification)
        except MuniError as refusal:
            assert registry_footprint(platform, tenant) == before, f"{op} refused ({refusal.code}) but wrote"
        else:
            assert history_rows(platform, tenant) == rows_before + len(result.atena_nos)
        check_invariants(platform, tenant)
