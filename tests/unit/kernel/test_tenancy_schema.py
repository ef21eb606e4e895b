"""Every tenant-owned table leads its primary key with ``tenant_code`` and carries it in
every foreign key; every ORM query through a unit of work sees only its tenant's rows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import (
    Column,
    ForeignKeyConstraint,
    MetaData,
    String,
    Table,
    delete,
    func,
    select,
    update,
)

from municloud.bootstrap import import_all_models
from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.db import Base, TenantOwned
from municloud.kernel.identity.orm import Membership
from municloud.kernel.identity.services import add_user
from municloud.kernel.parameters.orm import ParameterOverride
from municloud.kernel.parameters.services import set_override
from tests.factories import context

# Platform-level tables: shared by every tenant, holding no tenant's business data.
PLATFORM_TABLES = {
    "tenants": "団体そのもの（運用者が管理）",
    "users": "利用者の本人確認情報。所属とロールは団体ごとの memberships にある",
    "web_sessions": "画面のログインセッション。利用者に属し、団体を選ぶ前（二要素認証の前）から存在する",
    "login_throttle": "ログイン失敗の回数（アドレス・利用者名のハッシュごと）。団体を知る前の、誰のものでもない記録",
}


def tenancy_problems(metadata: MetaData, platform_tables: set[str]) -> list[str]:
    """Every breach of the tenancy rules in *metadata*, as readable sentences."""
    owned = {name for name, t in metadata.tables.items() if "tenant_code" in t.c}
    problems = []
    for name, table in sorted(metadata.tables.items()):
        if name not in owned:
            if name not in platform_tables:
                problems.append(f"{name}: no tenant_code column and not a listed platform table")
            continue
        if name in platform_tables:
            problems.append(f"{name}: listed as a platform table but has tenant_code")
        pk = [c.name for c in table.primary_key.columns]
        if not pk or pk[0] != "tenant_code":
            problems.append(f"{name}: primary key {pk} does not start with tenant_code")
        for fk in table.foreign_key_constraints:
            target = fk.referred_table.name
            if target not in owned:
                continue
            pairs = {(e.parent.name, e.column.name) for e in fk.elements}
            if ("tenant_code", "tenant_code") not in pairs:
                problems.append(f"{name}: foreign key to {target} {sorted(pairs)} lacks tenant_code")
    return problems


@pytest.fixture(scope="module")
def metadata() -> MetaData:
    import_all_models()
    return Base.metadata


def test_every_tenant_owned_table_leads_its_key_with_tenant_code_and_keeps_it_in_foreign_keys(metadata):
    assert tenancy_problems(metadata, set(PLATFORM_TABLES)) == []


def test_the_platform_tables_are_the_only_tables_without_tenant_code(metadata):
    without = {name for name, t in metadata.tables.items() if "tenant_code" not in t.c}
    assert without == set(PLATFORM_TABLES)


def test_the_schema_check_finds_the_kernel_and_registry_tables(metadata):
    names = set(metadata.tables)
    assert {"audit_entries", "audit_chain_heads", "memberships", "parameter_overrides"} <= names
    assert any(name.startswith("registry_") for name in names)


def test_every_mapped_class_of_a_tenant_owned_table_is_scoped_by_the_unit_of_work(metadata):
    unscoped = [
        m.class_.__name__
        for m in Base.registry.mappers
        if "tenant_code" in m.local_table.c and not issubclass(m.class_, TenantOwned)
    ]
    assert unscoped == []


def test_the_schema_check_refuses_a_key_without_tenant_code_in_front():
    md = MetaData()
    Table("things", md, Column("id", String, primary_key=True), Column("tenant_code", String, primary_key=True))
    assert tenancy_problems(md, set()) == ["things: primary key ['id', 'tenant_code'] does not start with tenant_code"]


def test_the_schema_check_refuses_a_foreign_key_that_could_point_at_another_tenant():
    md = MetaData()
    Table("parents", md, Column("tenant_code", String, primary_key=True), Column("id", String, primary_key=True))
    Table(
        "children",
        md,
        Column("tenant_code", String, primary_key=True),
        Column("id", String, primary_key=True),
        Column("parent_tenant", String),
        Column("parent_id", String),
        ForeignKeyConstraint(["parent_tenant", "parent_id"], ["parents.tenant_code", "parents.id"]),
    )
    [problem] = tenancy_problems(md, set())
    assert problem.startswith("children: foreign key to parents")


def test_the_schema_check_refuses_an_unlisted_table_without_tenant_code():
    md = MetaData()
    Table("notes", md, Column("id", String, primary_key=True))
    assert tenancy_problems(md, set()) == ["notes: no tenant_code column and not a listed platform table"]


# --- automatic scoping of ORM queries -----------------------------------------------------


@pytest.fixture
def two_tenants_with_overrides(platform, nagai, hiroshima):
    for tenant, fee in ((nagai, 200), (hiroshima, 350)):
        admin = context(platform, tenant, "tenant_admin")
        set_override(platform.uow(tenant), admin, "registry.certificate.fee", date(2024, 4, 1), fee, "手数料条例の改正")
        add_user(platform.uow(tenant), admin, f"clerk{tenant}", "long-enough-password", ["registry_clerk"])
    return nagai, hiroshima


def test_a_unit_of_work_reads_only_its_own_tenants_rows_without_any_filter(platform, two_tenants_with_overrides):
    nagai, hiroshima = two_tenants_with_overrides
    with platform.uow(nagai) as uow:
        rows = uow.session.scalars(select(ParameterOverride)).all()
        assert [(r.tenant_code, r.value) for r in rows] == [(nagai, "200")]
        assert {e.tenant_code for e in uow.session.scalars(select(AuditEntry))} == {nagai}
        assert {m.tenant_code for m in uow.session.scalars(select(Membership))} == {nagai}


def test_asking_for_another_tenants_rows_explicitly_finds_nothing(platform, two_tenants_with_overrides):
    nagai, hiroshima = two_tenants_with_overrides
    with platform.uow(nagai) as uow:
        stmt = select(ParameterOverride).where(ParameterOverride.tenant_code == hiroshima)
        assert uow.session.scalars(stmt).all() == []
        assert uow.session.get(ParameterOverride, (hiroshima, "registry.certificate.fee", date(2024, 4, 1))) is None


def test_column_and_count_queries_are_scoped_too(platform, two_tenants_with_overrides):
    nagai, hiroshima = two_tenants_with_overrides
    with platform.uow(hiroshima) as uow:
        assert uow.session.scalars(select(ParameterOverride.value)).all() == ["350"]
        count = uow.session.scalar(select(func.count()).select_from(ParameterOverride))
        assert count == 1


def test_scoping_follows_each_unit_of_work_and_is_not_cached_across_tenants(platform, two_tenants_with_overrides):
    nagai, hiroshima = two_tenants_with_overrides
    seen = []
    for tenant in (nagai, hiroshima, nagai, hiroshima):
        with platform.uow(tenant) as uow:
            seen.append(uow.session.scalars(select(ParameterOverride.tenant_code)).all())
    assert seen == [[nagai], [hiroshima], [nagai], [hiroshima]]


def test_only_an_explicit_all_tenants_option_reads_across_tenants(platform, two_tenants_with_overrides):
    nagai, hiroshima = two_tenants_with_overrides
    with platform.uow(nagai) as uow:
        stmt = select(ParameterOverride.tenant_code).execution_options(all_tenants=True)
        assert sorted(uow.session.scalars(stmt)) == sorted([nagai, hiroshima])


def test_bulk_updates_and_deletes_through_a_unit_of_work_touch_only_its_tenant(platform, two_tenants_with_overrides):
    nagai, hiroshima = two_tenants_with_overrides
    with platform.uow(nagai) as uow:
        assert uow.session.execute(update(ParameterOverride).values(reason="一括変更")).rowcount == 1
        assert uow.session.execute(delete(ParameterOverride)).rowcount == 1
        uow.session.commit()
    with platform.uow(hiroshima) as uow:
        [row] = uow.session.scalars(select(ParameterOverride)).all()
        assert row.reason == "手数料条例の改正"
