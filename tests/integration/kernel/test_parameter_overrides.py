"""Tenant overrides: dated, justified, audited, and never seen by another tenant."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import event, select

from municloud.errors import NotFoundError, PermissionDeniedError, ValidationError
from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.catalog import A_PARAMETER_SET
from municloud.kernel.parameters.definitions import Definitions
from municloud.kernel.parameters.services import set_override
from tests.factories import context

FEE = "registry.certificate.fee"
CHANGE = date(2025, 4, 1)
DAY_BEFORE = date(2025, 3, 31)


@pytest.fixture
def dated_fee(platform, monkeypatch, tmp_path):
    """A test parameter whose national value changes on 2025-04-01 (300 → 350)."""
    path = tmp_path / "test.yaml"
    path.write_text(
        "test.fee:\n  description: 試験用の手数料\n  unit: 円\n  type: int\n  reference: 試験用\n"
        "  values:\n    2000-04-01: 300\n    2025-04-01: 350\n",
        encoding="utf-8",
    )
    loaded = Definitions()
    loaded.load_file(path)
    monkeypatch.setitem(platform.parameters.definitions.items, "test.fee", loaded.get("test.fee"))
    return "test.fee"


def admin(platform, tenant):
    return context(platform, tenant, "tenant_admin", actor=f"admin-{tenant}")


def lookup(platform, tenant, key, on):
    with platform.uow(tenant) as uow:
        return uow.params.explain(key, on)


def set_(platform, tenant, key, on, value, reason="手数料条例の改正（令和7年条例第3号）"):
    return set_override(platform.uow(tenant), admin(platform, tenant), key, on, value, reason)


def test_the_national_value_applies_from_its_own_date(platform, nagai, dated_fee):
    assert lookup(platform, nagai, dated_fee, DAY_BEFORE).value == 300
    found = lookup(platform, nagai, dated_fee, CHANGE)
    assert (found.value, found.source, found.effective_from) == (350, "national", CHANGE)
    assert (found.unit, found.reference) == ("円", "試験用")


def test_a_tenant_override_wins_from_its_effective_date_only(platform, nagai):
    set_(platform, nagai, FEE, CHANGE, 200)
    before, on = lookup(platform, nagai, FEE, DAY_BEFORE), lookup(platform, nagai, FEE, CHANGE)
    assert (before.value, before.source) == (300, "national")
    assert (on.value, on.source, on.effective_from) == (200, "tenant", CHANGE)
    assert (on.reason, on.set_by) == ("手数料条例の改正（令和7年条例第3号）", f"admin-{nagai}")


def test_setting_an_override_returns_the_value_in_force_on_its_date(platform, nagai):
    result = set_(platform, nagai, "registry.address.notation", CHANGE, "通称")
    assert (result.value, result.source) == ("通称", "tenant")


def test_a_later_national_change_applies_to_every_tenant_until_it_overrides_again(platform, nagai, dated_fee):
    set_(platform, nagai, dated_fee, date(2010, 4, 1), 200)
    assert lookup(platform, nagai, dated_fee, DAY_BEFORE).value == 200
    assert lookup(platform, nagai, dated_fee, CHANGE).value == 350  # the law change, made once
    set_(platform, nagai, dated_fee, CHANGE, 250)
    assert lookup(platform, nagai, dated_fee, CHANGE).value == 250


def test_one_tenants_override_is_never_seen_by_another(platform, nagai, hiroshima):
    set_(platform, nagai, FEE, date(2020, 4, 1), 200)
    set_(platform, hiroshima, "welfare.livelihood_grade", date(2020, 4, 1), 1)
    assert lookup(platform, hiroshima, FEE, CHANGE).value == 300
    assert lookup(platform, nagai, "welfare.livelihood_grade", CHANGE).value == 3
    assert lookup(platform, hiroshima, "welfare.livelihood_grade", CHANGE).value == 1
    with platform.uow(hiroshima) as uow:
        assert [o.key for o in uow.params.overrides()] == ["welfare.livelihood_grade"]


def test_setting_the_same_date_again_replaces_the_value_and_both_are_audited(platform, nagai):
    set_(platform, nagai, FEE, CHANGE, 200)
    set_(platform, nagai, FEE, CHANGE, 250, reason="条例の再改正")
    assert lookup(platform, nagai, FEE, CHANGE).value == 250
    with platform.session_factory() as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.tenant_code == nagai, AuditEntry.action == A_PARAMETER_SET)
            .order_by(AuditEntry.seq)
        ).all()
    assert [json.loads(e.detail) for e in entries] == [
        {"effective_from": "2025-04-01", "value": 200, "previous": None},
        {"effective_from": "2025-04-01", "value": 250, "previous": 200},
    ]
    assert {e.subjects for e in entries} == {f'["parameter:{FEE}"]'}
    assert {e.actor for e in entries} == {f"admin-{nagai}"}


def test_an_override_of_an_unknown_key_is_refused(platform, nagai):
    with pytest.raises(NotFoundError) as caught:
        set_(platform, nagai, "registry.certificate.colour", CHANGE, "青")
    assert caught.value.code == "PARAMETER_UNKNOWN"


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        (FEE, "二百円", "PARAMETER_TYPE_INVALID"),
        ("registry.address.notation", "住居表示", "PARAMETER_CHOICE_INVALID"),
        ("registry.address.attributes", ["学区"], "PARAMETER_CHOICE_INVALID"),
    ],
)
def test_an_override_of_the_wrong_type_or_outside_the_choices_is_refused(platform, nagai, key, value, code):
    with pytest.raises(ValidationError) as caught:
        set_(platform, nagai, key, CHANGE, value)
    assert caught.value.code == code
    assert lookup(platform, nagai, key, CHANGE).source == "national"


@pytest.mark.parametrize("reason", ["", "   "])
def test_an_override_without_a_reason_is_refused(platform, nagai, reason):
    with pytest.raises(ValidationError) as caught:
        set_(platform, nagai, FEE, CHANGE, 200, reason=reason)
    assert caught.value.code == "PARAMETER_REASON_REQUIRED"
    assert "reason" in caught.value.fields
    assert lookup(platform, nagai, FEE, CHANGE).source == "national"


def test_only_a_tenant_admin_may_override_and_the_refusal_is_audited(platform, nagai):
    clerk = context(platform, nagai, "registry_clerk", actor="tanaka")
    with pytest.raises(PermissionDeniedError):
        set_override(platform.uow(nagai), clerk, FEE, CHANGE, 0, "無料にしたい")
    assert lookup(platform, nagai, FEE, CHANGE).value == 300
    with platform.session_factory() as s:
        refusal = s.scalars(select(AuditEntry).where(AuditEntry.actor == "tanaka")).one()
    assert (refusal.action, refusal.outcome) == (A_PARAMETER_SET, "denied")


def test_a_national_value_cannot_be_changed_through_an_override(platform):
    ctx = context(platform, None, "tenant_admin")
    with pytest.raises(ValidationError) as caught:
        set_override(platform.uow(None), ctx, FEE, CHANGE, 500, "全国一律の改定")
    assert caught.value.code == "PARAMETER_TENANT_REQUIRED"


def test_a_transaction_reads_the_tenants_overrides_once(platform, nagai):
    """A notification looks up half a dozen parameters: one query for all the tenant's
    overrides, not one (with a flush) per lookup."""
    admin = context(platform, nagai, "tenant_admin")
    set_override(platform.uow(nagai), admin, "registry.certificate.fee", date(2025, 4, 1), 250, "条例改正")
    statements = []

    def count(conn, cursor, statement, *args):
        if "parameter_overrides" in statement and statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(platform.engine, "before_cursor_execute", count)
    try:
        with platform.uow(nagai) as uow:
            for key in ("registry.certificate.fee", "registry.address.attributes", "registry.certificate.fee",
                        "registry.notification.period_days", "tenant.wards"):
                uow.params.get(key, date(2026, 4, 1))
            assert uow.params.get("registry.certificate.fee", date(2026, 4, 1)) == 250
    finally:
        event.remove(platform.engine, "before_cursor_execute", count)
    assert len(statements) == 1
