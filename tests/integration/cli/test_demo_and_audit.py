"""``municloud demo`` at a tiny scale, then ``municloud audit verify`` on what it wrote."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, text, update

from municloud.demo.profiles import PROFILES
from municloud.demo.seed import demo_password, residents_at
from municloud.kernel.audit.orm import AuditEntry
from municloud.modules.registry.orm import Notification, ResidentIndex, SupportMeasure
from municloud.modules.registry.towns.orm import Town
from tests.integration.cli.support import Cli, cli_env, create_database, drop_database

SCALE = 0.02


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    """One database with the demo loaded (the tests below only read it, or restore what they change)."""
    url = create_database("municloud_demo", tmp_path_factory.mktemp("demo"))
    with pytest.MonkeyPatch.context() as mp:
        cli_env(mp, url)
        cli = Cli()
        assert cli("db", "upgrade").exit_code == 0
        result = cli("demo", "--scale", str(SCALE))
        yield url, cli, result, mp
    drop_database(url)


def test_demo_creates_the_three_tenants_with_their_residents_and_history(demo_db):
    url, _cli, result, _mp = demo_db
    assert result.exit_code == 0, result.output
    engine = create_engine(url)
    with engine.connect() as conn:
        for profile in PROFILES:
            n = conn.execute(select(func.count()).select_from(ResidentIndex)
                             .where(ResidentIndex.tenant_code == profile.code)).scalar_one()
            born = 1 if any(k == "出生" for k in conn.execute(
                select(Notification.ido_jiyu).where(Notification.tenant_code == profile.code)).scalars()) else 0
            assert n == residents_at(profile, SCALE) + born
        kinds = set(conn.execute(select(Notification.ido_jiyu).where(Notification.tenant_code == "341002")).scalars())
        assert {"転居", "出生", "死亡", "転出予定"} <= kinds  # the 転出 is planned for next week: not yet 除票
        pending = conn.execute(select(Notification.due_on).where(Notification.tenant_code == "341002",
                                                                 Notification.due_on.is_not(None))).scalars().all()
        assert len(pending) == 1
        assert conn.execute(select(func.count()).select_from(SupportMeasure)).scalar_one() == 3
        towns = dict(conn.execute(select(Town.tenant_code, func.count()).group_by(Town.tenant_code)).all())
        assert towns == {"263648": 4, "062090": 19, "341002": 119}  # each tenant's 住所マスター (demo/towns.py)
    engine.dispose()


def test_demo_assesses_the_resident_tax_of_reiwa_8_for_everyone_of_1_january(demo_db):
    from municloud.modules.tax.orm import TaxInput, TaxRelative, TaxResult

    url, _cli, result, _mp = demo_db
    assert "令和8年度 個人住民税の当初賦課" in result.output
    engine = create_engine(url)
    with engine.connect() as conn:
        for profile in PROFILES:
            def count(table, *where, code=profile.code):
                return conn.execute(select(func.count()).select_from(table)
                                    .where(table.tenant_code == code, *where)).scalar_one()
            results = count(TaxResult, TaxResult.year == 2026)
            assert results == count(TaxInput, TaxInput.year == 2026) > 0
            assert count(TaxResult, TaxResult.total > 0) > results // 4
            assert count(TaxRelative) > 0
        hiroshima = conn.execute(select(TaxResult.figures).where(
            TaxResult.tenant_code == "341002", TaxResult.taxable_income > 0)).first()[0]
        assert hiroshima["income_levy_municipal_gross"] == hiroshima["taxable_income"] * 8 // 100  # 政令市 8%
    engine.dispose()


def test_demo_prints_one_user_per_role_per_tenant_and_an_operator_with_their_passwords(demo_db):
    _url, cli, result, _mp = demo_db
    out = result.stdout
    for name in ("operator", "kasagi-clerk", "nagai-viewer", "nagai-supervisor", "hiroshima-admin", "hiroshima-auditor"):
        assert name in out and demo_password(20261126, name) in out
    assert out.count("registry_clerk") == 3 and "tenant_admin" in out
    listing = cli("user", "list", "--tenant", "062090").stdout
    assert all(f"nagai-{r}" in listing for r in ("clerk", "viewer", "supervisor", "admin", "auditor"))


def test_demo_is_refused_when_the_demo_tenants_exist(demo_db):
    _url, cli, _result, _mp = demo_db
    again = cli("demo", "--scale", str(SCALE))
    assert again.exit_code == 1
    assert "すでに登録されています" in again.stderr and "[DEMO_ALREADY_LOADED]" in again.stderr


def test_audit_verify_passes_on_the_demo_and_names_the_entry_changed_behind_its_back(demo_db):
    url, cli, _result, _mp = demo_db
    ok = cli("audit", "verify")
    assert ok.exit_code == 0, ok.output
    assert "062090 長井市" in ok.stdout and "正常" in ok.stdout
    engine = create_engine(url)
    where = (AuditEntry.tenant_code == "062090") & (AuditEntry.seq == 3)
    with engine.begin() as conn:
        original = conn.execute(select(AuditEntry.detail).where(where)).scalar_one()
        conn.execute(update(AuditEntry).where(where).values(detail='{"kind":"forged"}'))
    try:
        broken = cli("audit", "verify")
        assert broken.exit_code == 1
        assert "062090" in broken.stdout and "3番" in broken.stdout and "AUDIT_ENTRY_MODIFIED" in broken.stdout
        assert "263648 笠置町" in broken.stdout  # the other tenants are still reported
        only = cli("audit", "verify", "--tenant", "341002")
        assert only.exit_code == 0 and "062090" not in only.stdout
    finally:
        with engine.begin() as conn:
            conn.execute(update(AuditEntry).where(where).values(detail=original))
        engine.dispose()
    assert cli("audit", "verify").exit_code == 0


def test_audit_verify_reports_a_deleted_entry(demo_db):
    url, cli, _result, _mp = demo_db
    engine = create_engine(url)
    where = (AuditEntry.tenant_code == "263648") & (AuditEntry.seq == 2)
    with engine.begin() as conn:
        row = conn.execute(select(AuditEntry.__table__).where(where)).mappings().one()
        conn.execute(text("DELETE FROM audit_entries WHERE tenant_code = '263648' AND seq = 2"))
    try:
        broken = cli("audit", "verify", "--tenant", "263648")
        assert broken.exit_code == 1 and "2番" in broken.stdout and "AUDIT_ENTRY_MISSING" in broken.stdout
    finally:
        with engine.begin() as conn:
            conn.execute(AuditEntry.__table__.insert().values(**row))
        engine.dispose()


def test_demo_prints_an_api_client_per_tenant_whose_credentials_work_as_the_readme_shows(demo_db):
    from fastapi.testclient import TestClient

    from municloud.bootstrap import create_platform
    from municloud.config import load_settings
    from municloud.demo.seed import demo_client_credentials
    from municloud.web.app import create_app

    _url, _cli, result, _mp = demo_db
    credentials = {p.code: demo_client_credentials(20261126, p.code) for p in PROFILES}
    for client_id, secret in credentials.values():
        assert client_id in result.stdout and secret in result.stdout
    platform = create_platform(load_settings())
    try:
        with TestClient(create_app(platform=platform)) as client:
            client_id, secret = credentials["062090"]
            token = client.post("/api/v1/auth/token", data={
                "grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})
            assert token.status_code == 200, token.text
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            found = client.get("/api/v1/t/062090/residents", params={"q": "ヤマダ"}, headers=headers)
            assert found.status_code == 200, found.text
            assert client.get("/api/v1/t/341002/residents", params={"q": "ヤマダ"}, headers=headers).status_code == 403
            password_only = client.post("/api/v1/auth/token", data={
                "username": "nagai-clerk", "password": demo_password(20261126, "nagai-clerk")})
            assert password_only.status_code == 403 and password_only.json()["code"] == "TOTP_NOT_ENROLLED"
    finally:
        platform.dispose()
