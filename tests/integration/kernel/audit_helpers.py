"""Helpers for the audit tests: fill a tenant's chain, tamper with it in SQL, verify it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from municloud.kernel.audit.chain import compute_hash, entry_fields
from municloud.kernel.audit.services import verify_chains
from municloud.kernel.catalog import A_AUDIT_READ
from tests.factories import context

COLUMNS = (
    "occurred_at", "actor", "actor_id", "action", "outcome", "subjects", "request_id",
    "client_addr", "terminal", "my_number_shown", "detail", "prev_hash", "hash",
)


def fill_chain(platform, tenant: str, entries: int = 5) -> int:
    """Append *entries* entries to *tenant*'s chain, each in its own use case; return last seq."""
    ctx = context(platform, tenant, "auditor", actor="suzuki")
    for i in range(entries):
        with platform.uow(tenant) as uow:
            uow.audit.record(ctx, A_AUDIT_READ, subjects=[f"resident:{i:010d}"], detail={"n": i})
            uow.commit()
    return last_seq(platform, tenant)


def sql(platform, statement: str, **params) -> None:
    with platform.engine.begin() as conn:
        conn.execute(text(statement), params)


def row(platform, tenant: str, seq: int) -> dict:
    with platform.engine.connect() as conn:
        return dict(
            conn.execute(
                text("SELECT * FROM audit_entries WHERE tenant_code = :t AND seq = :s"), {"t": tenant, "s": seq}
            ).mappings().one()
        )


def last_seq(platform, tenant: str) -> int:
    with platform.engine.connect() as conn:
        return conn.execute(
            text("SELECT max(seq) FROM audit_entries WHERE tenant_code = :t"), {"t": tenant}
        ).scalar_one()


def rewrite(platform, tenant: str, seq: int, values: dict) -> None:
    """UPDATE the given columns of one entry, as someone with database access could."""
    sets = ", ".join(f"{name} = :{name}" for name in values)
    sql(platform, f"UPDATE audit_entries SET {sets} WHERE tenant_code = :t AND seq = :s", t=tenant, s=seq, **values)


def forged_hash(values: dict) -> str:
    """The hash a forger would compute for *values* (the algorithm is public)."""
    occurred = values["occurred_at"]
    if isinstance(occurred, str):
        occurred = datetime.fromisoformat(occurred)
    fields = entry_fields(
        tenant_code=values["tenant_code"],
        seq=values["seq"],
        occurred_at=occurred,
        actor=values["actor"],
        actor_id=values["actor_id"],
        action=values["action"],
        outcome=values["outcome"],
        subjects=values["subjects"],
        request_id=values["request_id"],
        client_addr=values["client_addr"],
        terminal=values["terminal"],
        my_number_shown=bool(values["my_number_shown"]),
        detail=values["detail"],
    )
    return compute_hash(values["prev_hash"], fields)


def report(platform, tenant: str | None = None):
    with platform.session_factory() as session:
        reports = verify_chains(session, tenant)
    return {r.tenant_code: r for r in reports}


def problem(platform, tenant: str):
    found = report(platform, tenant)[tenant].problem
    return None if found is None else (found.seq, found.reason_code)
