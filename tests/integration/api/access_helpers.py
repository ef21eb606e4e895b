"""The application's routes with their declared access, and how to call each one (the
permission proofs of the API and of the screens share these)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from municloud.config import Settings
from municloud.kernel.db import Base
from municloud.web.app import create_app
from municloud.web.routes import route_rows

TENANT = "062090"
SAMPLES = {
    "tenant": TENANT, "atena_no": "0000000001", "setai_no": "0000000001", "registration_no": "1",
    "measure_id": "1", "key": "registry.certificate.fee", "year": "2026", "issue_no": f"{TENANT}-2026-000001",
    "kind": "tennyu", "client_id": "0620900000000001", "username": "someone-else", "code": TENANT,
    "hold_no": "1", "run_no": "1", "job_id": "0123456789abcdef", "change": "extend",
}
AUDIT_TABLES = {"audit_entries", "audit_chain_heads"}
ROWS = route_rows(create_app(Settings(database_url="sqlite://", mode="test", secret_key="route-permission-test")))


def rows_of(surface: str, kind: str, *, platform: bool | None = None) -> list:
    return [pytest.param(r, id=f"{r.method} {r.path}") for r in ROWS
            if r.surface == surface and r.access is not None and r.access.kind == kind
            and (platform is None or r.access.platform == platform)]


def url_of(path: str) -> str:
    missing = [name for name in _names(path) if name not in SAMPLES]
    assert not missing, f"add a sample value for the path parameter(s) {missing} to SAMPLES"
    return path.format(**SAMPLES)


def _names(path: str) -> list[str]:
    return re.findall(r"\{(\w+)(?::[^}]*)?\}", path)


def call(client, row, headers: dict | None = None):
    """The route with its path filled in and, for a write, a body no route accepts."""
    body = {"json": {"no_route_accepts_this_field": True}} if row.method in ("POST", "PUT", "PATCH") else {}
    return client.request(row.method, url_of(row.path), headers=headers or {}, **body)


def footprint(platform) -> dict[str, int]:
    with platform.engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t))
                for t in Base.metadata.sorted_tables if t.name not in AUDIT_TABLES}


def lacking_and_holding(platform, permission: str) -> tuple[str, str]:
    """The strongest tenant role without *permission* and the weakest with it."""
    roles = [r for r in platform.catalog.roles.values() if not r.platform]
    lacking = [r for r in roles if permission not in r.permissions]
    holding = [r for r in roles if permission in r.permissions]
    assert lacking and holding, permission
    return (max(lacking, key=lambda r: (len(r.permissions), r.name)).name,
            min(holding, key=lambda r: (len(r.permissions), r.name)).name)
