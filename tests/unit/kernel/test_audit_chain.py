"""The hash chain rules (pure): each kind of tampering is named with the first bad entry."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from municloud.kernel.audit.chain import GENESIS, REASONS, check_chain, compute_hash, entry_fields

T0 = datetime(2025, 4, 1, 8, 30)


def fields(seq: int, **changes) -> dict:
    base = dict(
        tenant_code="062090",
        seq=seq,
        occurred_at=T0 + timedelta(seconds=seq),
        actor="sato",
        actor_id=7,
        action="registry:resident:view",
        outcome="success",
        subjects=f'["resident:{seq:010d}"]',
        request_id=f"req-{seq}",
        client_addr="192.0.2.1",
        terminal="T-01",
        my_number_shown=False,
        detail="{}",
    )
    return entry_fields(**{**base, **changes})


def chain(n: int) -> list[tuple[dict, str, str]]:
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        f = fields(seq)
        digest = compute_hash(prev, f)
        rows.append((f, prev, digest))
        prev = digest
    return rows


def head_of(rows):
    return (rows[-1][0]["seq"], rows[-1][2]) if rows else (0, GENESIS)


def first_problem(rows, head, **kw):
    problem = next(iter(check_chain(rows, head, **kw)), None)
    return None if problem is None else (problem.seq, problem.reason_code)


def test_an_intact_chain_has_no_problem():
    rows = chain(5)
    assert first_problem(rows, head_of(rows)) is None


def test_an_empty_chain_is_intact_unless_it_must_exist():
    assert first_problem([], None) is None
    assert first_problem([], None, required=True) == (1, "AUDIT_CHAIN_MISSING")


def test_the_hash_covers_every_field_of_the_entry():
    f = fields(1)
    digest = compute_hash(GENESIS, f)
    for name, value in f.items():
        changed = {**f, name: (not value) if isinstance(value, bool) else f"{value}x"}
        assert compute_hash(GENESIS, changed) != digest, name


def test_the_hash_is_sha256_over_the_previous_hash_and_canonical_json():
    import hashlib
    import json

    f = fields(1)
    text = GENESIS + "\n" + json.dumps(f, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert compute_hash(GENESIS, f) == hashlib.sha256(text.encode()).hexdigest()


def test_a_modified_entry_is_named_by_verify():
    rows = chain(5)
    f, prev, digest = rows[2]
    rows[2] = ({**f, "my_number_shown": True}, prev, digest)
    assert first_problem(rows, head_of(chain(5))) == (3, "AUDIT_ENTRY_MODIFIED")


def test_a_deleted_middle_entry_is_named_by_verify():
    rows = chain(5)
    head = head_of(rows)
    del rows[1]
    assert first_problem(rows, head) == (2, "AUDIT_ENTRY_MISSING")


def test_a_deleted_last_entry_is_named_by_verify():
    rows = chain(5)
    head = head_of(rows)
    assert first_problem(rows[:-1], head) == (5, "AUDIT_TAIL_MISSING")


def test_a_forged_entry_appended_behind_the_heads_back_is_named_by_verify():
    rows = chain(5)
    head = head_of(rows)
    forged = fields(6, actor="mallory")
    rows.append((forged, rows[-1][2], compute_hash(rows[-1][2], forged)))
    assert first_problem(rows, head) == (6, "AUDIT_ENTRY_INSERTED")


def test_two_swapped_entries_are_named_by_verify():
    rows = chain(5)
    head = head_of(rows)
    (f2, p2, h2), (f4, p4, h4) = rows[1], rows[3]
    rows[1] = ({**f4, "seq": 2}, p4, h4)
    rows[3] = ({**f2, "seq": 4}, p2, h2)
    assert first_problem(rows, head) == (2, "AUDIT_ENTRY_REORDERED")


def test_an_entry_rewritten_with_a_fresh_hash_is_exposed_by_its_successor():
    rows = chain(5)
    head = head_of(rows)
    f, prev, _ = rows[2]
    forged = {**f, "actor": "mallory"}
    rows[2] = (forged, prev, compute_hash(prev, forged))
    assert first_problem(rows, head) == (3, "AUDIT_ENTRY_REPLACED")


def test_the_last_entry_rewritten_with_a_fresh_hash_is_exposed_by_the_head():
    rows = chain(5)
    head = head_of(rows)
    f, prev, _ = rows[-1]
    forged = {**f, "actor": "mallory"}
    rows[-1] = (forged, prev, compute_hash(prev, forged))
    assert first_problem(rows, head) == (5, "AUDIT_HEAD_MISMATCH")


def test_a_first_entry_that_does_not_start_from_genesis_is_named():
    rows = chain(3)
    f, _, _ = rows[0]
    rows[0] = (f, "f" * 64, compute_hash("f" * 64, f))
    assert first_problem(rows, head_of(chain(3))) == (1, "AUDIT_CHAIN_BROKEN")


def test_entries_without_a_head_are_reported():
    assert first_problem(chain(3), None) == (3, "AUDIT_HEAD_MISSING")


def test_only_the_first_problem_is_reported():
    rows = chain(5)
    head = head_of(rows)
    del rows[3]
    f, prev, digest = rows[1]
    rows[1] = ({**f, "actor": "mallory"}, prev, digest)
    assert list(check_chain(rows, head)) == [next(iter(check_chain(rows, head)))]
    assert first_problem(rows, head) == (2, "AUDIT_ENTRY_MODIFIED")


@pytest.mark.parametrize("code", sorted(REASONS))
def test_every_reason_code_is_a_stable_upper_case_name(code):
    assert code.startswith("AUDIT_") and code.isupper()
