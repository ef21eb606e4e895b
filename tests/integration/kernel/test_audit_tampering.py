"""Tampering with the audit log directly in the database is caught by verify_chains,
which names the tenant, the first bad entry and a reason code."""

from __future__ import annotations

from datetime import timedelta

import pytest

from municloud.kernel.tenants.orm import PLATFORM_SCOPE
from tests.integration.kernel.audit_helpers import (
    COLUMNS,
    fill_chain,
    forged_hash,
    problem,
    report,
    rewrite,
    row,
    sql,
)


@pytest.fixture
def chains(platform, nagai, hiroshima):
    """Two tenants with seven entries each (tenant added + six reads)."""
    fill_chain(platform, nagai, 6)
    fill_chain(platform, hiroshima, 6)
    return nagai, hiroshima


def test_untouched_chains_verify_for_every_tenant_and_the_platform(platform, chains):
    reports = report(platform)
    assert set(reports) == {*chains, PLATFORM_SCOPE}
    assert all(r.ok for r in reports.values())
    assert reports[chains[0]].entries == 7


@pytest.mark.parametrize(
    ("column", "value"),
    [("actor", "someone-else"), ("my_number_shown", True), ("subjects", '["resident:9999999999"]'),
     ("action", "kernel:auth:login"), ("outcome", "denied"), ("detail", "{}")],
)
def test_an_updated_field_names_the_entry(platform, chains, column, value):
    nagai, hiroshima = chains
    rewrite(platform, nagai, 4, {column: value})
    assert problem(platform, nagai) == (4, "AUDIT_ENTRY_MODIFIED")
    assert problem(platform, hiroshima) is None


def test_a_changed_time_names_the_entry(platform, chains):
    nagai, _ = chains
    original = row(platform, nagai, 3)["occurred_at"]
    if isinstance(original, str):  # SQLite returns the stored text
        from datetime import datetime

        original = datetime.fromisoformat(original)
    rewrite(platform, nagai, 3, {"occurred_at": original - timedelta(days=1)})
    assert problem(platform, nagai) == (3, "AUDIT_ENTRY_MODIFIED")


def test_a_deleted_middle_entry_names_the_gap(platform, chains):
    nagai, _ = chains
    sql(platform, "DELETE FROM audit_entries WHERE tenant_code = :t AND seq = 4", t=nagai)
    assert problem(platform, nagai) == (4, "AUDIT_ENTRY_MISSING")


def test_a_deleted_last_entry_names_it(platform, chains):
    nagai, _ = chains
    sql(platform, "DELETE FROM audit_entries WHERE tenant_code = :t AND seq = 7", t=nagai)
    assert problem(platform, nagai) == (7, "AUDIT_TAIL_MISSING")


def test_a_forged_entry_appended_without_moving_the_head_is_named(platform, chains):
    nagai, _ = chains
    last = row(platform, nagai, 7)
    forged = {**last, "seq": 8, "actor": "mallory", "prev_hash": last["hash"]}
    forged["hash"] = forged_hash(forged)
    names = ("tenant_code", "seq", *COLUMNS)
    sql(
        platform,
        f"INSERT INTO audit_entries ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})",
        **{n: forged[n] for n in names},
    )
    assert problem(platform, nagai) == (8, "AUDIT_ENTRY_INSERTED")


def test_two_swapped_entries_are_named_at_the_first(platform, chains):
    nagai, _ = chains
    second, fifth = row(platform, nagai, 2), row(platform, nagai, 5)
    rewrite(platform, nagai, 2, {c: fifth[c] for c in COLUMNS})
    rewrite(platform, nagai, 5, {c: second[c] for c in COLUMNS})
    assert problem(platform, nagai) == (2, "AUDIT_ENTRY_REORDERED")


def test_renumbered_entries_are_named(platform, chains):
    nagai, _ = chains
    sql(platform, "DELETE FROM audit_entries WHERE tenant_code = :t AND seq = 3", t=nagai)
    for seq in range(4, 8):
        sql(platform, "UPDATE audit_entries SET seq = :n WHERE tenant_code = :t AND seq = :s", t=nagai, s=seq, n=seq - 1)
    sql(platform, "UPDATE audit_chain_heads SET last_seq = 6 WHERE tenant_code = :t", t=nagai)
    assert problem(platform, nagai) == (3, "AUDIT_ENTRY_REORDERED")


def test_an_entry_rewritten_with_a_recomputed_hash_is_named(platform, chains):
    nagai, _ = chains
    forged = {**row(platform, nagai, 3), "actor": "mallory"}
    rewrite(platform, nagai, 3, {"actor": "mallory", "hash": forged_hash(forged)})
    assert problem(platform, nagai) == (3, "AUDIT_ENTRY_REPLACED")


def test_the_last_entry_rewritten_with_a_recomputed_hash_is_named(platform, chains):
    nagai, _ = chains
    forged = {**row(platform, nagai, 7), "actor": "mallory"}
    rewrite(platform, nagai, 7, {"actor": "mallory", "hash": forged_hash(forged)})
    assert problem(platform, nagai) == (7, "AUDIT_HEAD_MISMATCH")


def test_a_deleted_chain_head_is_reported(platform, chains):
    nagai, _ = chains
    sql(platform, "DELETE FROM audit_chain_heads WHERE tenant_code = :t", t=nagai)
    assert problem(platform, nagai) == (7, "AUDIT_HEAD_MISSING")


def test_a_tenants_whole_chain_deleted_is_reported(platform, chains):
    nagai, hiroshima = chains
    sql(platform, "DELETE FROM audit_entries WHERE tenant_code = :t", t=nagai)
    sql(platform, "DELETE FROM audit_chain_heads WHERE tenant_code = :t", t=nagai)
    assert problem(platform, nagai) == (1, "AUDIT_CHAIN_MISSING")
    assert report(platform)[nagai].problem.reason_code == "AUDIT_CHAIN_MISSING"
    assert problem(platform, hiroshima) is None


def test_every_problem_carries_a_japanese_message_naming_the_entry(platform, chains):
    nagai, _ = chains
    rewrite(platform, nagai, 5, {"actor": "mallory"})
    found = report(platform, nagai)[nagai].problem
    assert "5番" in found.message and "改ざん" in found.message


def test_appending_after_tampering_does_not_hide_it(platform, chains):
    nagai, _ = chains
    rewrite(platform, nagai, 2, {"actor": "mallory"})
    fill_chain(platform, nagai, 3)
    assert problem(platform, nagai) == (2, "AUDIT_ENTRY_MODIFIED")
