"""``municloud import``: check everything, then load all of it in one transaction.

The import goes into an empty tenant (created from the manifest when absent) and is
recorded in the platform chain (``000000``), never in the tenant's own chain, so an
export of the imported tenant is byte-identical to the one imported.

A tenant made beforehand with ``municloud tenant add`` is *not* empty: adding a tenant
starts its audit chain (entry 1, ``kernel:tenant:add``).  The imported chain also starts at
1, and every hash covers its sequence number, its predecessor's hash and the tenant code,
so the two cannot share one chain: keeping the local entry would mean renumbering and
re-hashing every imported entry (the old vendor's chain would no longer verify, and the
round trip would no longer be byte-identical); dropping it would alter an audit chain.
Neither is done.  The import is refused with its own code, ``IMPORT_TENANT_CREATED_BEFOREHAND``,
and a message telling the operator that the import creates the tenant itself (name and
kind from manifest.json) — so the staff see the cause at once instead of a bare "not empty".
"""

from __future__ import annotations

import csv
import dataclasses
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from municloud.interchange.checks import Checks, Problem
from municloud.interchange.codec import CSV_OPTIONS, ENCODING, decode
from municloud.interchange.layout import Entity, entities
from municloud.kernel.clock import utcnow
from municloud.kernel.db import Base, TenantOwned

BATCH = 2000
REPORT_HEADERS = ["ファイル", "行", "項目", "理由", "コード"]
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class ImportResult:
    ok: bool
    problems: list[Problem]
    report: Path | None
    rows: dict[str, int]
    created_users: list[str]


def tenant_tables() -> list:
    return [m.local_table for m in Base.registry.mappers if issubclass(m.class_, TenantOwned)]


def _has_data(session, tenant_code: str) -> list[str]:
    return sorted(t.name for t in tenant_tables()
                  if session.scalar(select(func.count()).select_from(t).where(t.c.tenant_code == tenant_code)))


AUDIT_TABLES = ["audit_chain_heads", "audit_entries"]


def _only_created(session, tenant_code: str, busy: list[str]) -> bool:
    """The tenant holds nothing but the audit entries of its own creation (``tenant add``)."""
    from municloud.kernel.audit.orm import AuditEntry
    from municloud.kernel.catalog import A_TENANT_ADD

    if busy != AUDIT_TABLES:
        return False
    actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.tenant_code == tenant_code)
                                  .execution_options(all_tenants=True)))
    return actions == {A_TENANT_ADD}


def refusal_of_target(tenant_code: str, busy: list[str], only_created: bool) -> tuple[str, str]:
    """(reason, code) of a target tenant that already holds something."""
    if only_created:
        return (f"取り込み先の団体 {tenant_code} は取り込みの前に作成されています（監査ログに「団体の追加」の記録があります）。"
                "取り込みは団体を manifest.json（団体名・種類）から自分で作成し、移行元の監査ログを 1 番から同じハッシュの"
                "まま引き継ぎます。監査ログは消すことも番号を付け替えることもできないため、作成済みの団体には取り込めません。"
                f"`municloud tenant add` をせずに、団体 {tenant_code} のないデータベースで `municloud import` を"
                "実行してください（docs/operations.md「書き出しと取り込み」）", "IMPORT_TENANT_CREATED_BEFOREHAND")
    return (f"取り込み先の団体 {tenant_code} にはすでにデータがあります（{', '.join(busy)}）。空の団体にだけ取り込めます",
            "IMPORT_TENANT_NOT_EMPTY")


def write_report(problems: list[Problem], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=ENCODING, newline="") as f:
        writer = csv.writer(f, **CSV_OPTIONS)
        writer.writerow(REPORT_HEADERS)
        for p in problems:
            writer.writerow([p.file, p.row, p.column, p.reason, p.code])


def check_import(platform, tenant_code: str, directory: Path) -> Checks:
    from municloud.bootstrap import import_all_fields
    from municloud.kernel.identity.orm import User

    import_all_fields()  # every column's declared item (kernel.fields) is known to the checks
    with platform.uow(None, read_only=True) as uow:
        taken = set(uow.session.scalars(select(User.username)))
        busy = _has_data(uow.session, tenant_code)
        only_created = bool(busy) and _only_created(uow.session, tenant_code, busy)
    checks = Checks(directory, tenant_code, entities(), taken_usernames=taken)
    if busy:
        checks.add("", 0, "", *refusal_of_target(tenant_code, busy, only_created))
    checks.run()
    return checks


def import_tenant(platform, tenant_code: str, directory: Path, *, ctx, report: Path | None = None,
                  progress: Progress | None = None) -> ImportResult:
    """Check every file; if all is well load everything in one transaction, else write the report."""
    checks = check_import(platform, tenant_code, directory)
    if checks.problems:
        path = report or directory / "import-report.csv"
        write_report(checks.problems, path)
        return ImportResult(False, checks.problems, path, {}, [])
    rows, users = _load(platform, tenant_code, directory, checks, ctx, progress)
    return ImportResult(True, [], None, rows, users)


def _decoded(directory: Path, entity: Entity):
    with (directory / entity.file).open(encoding=ENCODING, newline="") as f:
        reader = csv.reader(f)
        next(reader)
        for fields in reader:
            yield {c.name: decode(c.type, t, required=c.required) for c, t in zip(entity.columns, fields, strict=True)}


def _load(platform, tenant_code: str, directory: Path, checks: Checks, ctx, progress):
    from municloud.kernel.catalog import A_TENANT_IMPORT
    from municloud.kernel.identity.orm import User
    from municloud.kernel.tenants.orm import PLATFORM_SCOPE, Tenant

    manifest = checks.manifest
    counts: dict[str, int] = {}
    created: list[str] = []
    with platform.uow(None) as uow:
        session = uow.session
        uow.prepare_bulk_load()  # PostgreSQL: plan each foreign-key check anew (kernel.db)
        if session.get(Tenant, tenant_code) is None:
            session.add(Tenant(code=tenant_code, name=manifest.get("tenant_name") or tenant_code,
                               kind=manifest.get("tenant_kind") or "市", active=True, created_at=utcnow()))
            session.flush()
        user_ids: dict[str, int] = {}
        for entity in checks.entities:
            table = Base.metadata.tables[entity.table]
            batch, index, last, n = [], [], None, 0
            for row in _decoded(directory, entity):
                n += 1
                if entity.table == "users":
                    user = User(username=row["username"], display_name=row["display_name"], active=row["active"],
                                password_hash="!import:" + secrets.token_hex(16), is_operator=False,
                                token_version=0, created_at=utcnow())
                    session.add(user)
                    session.flush()
                    user_ids[user.username] = user.id
                    created.append(user.username)
                    continue
                if entity.table == "memberships":
                    row["user_id"] = user_ids[row["user_id"]]
                batch.append({"tenant_code": tenant_code, **row})
                if entity.table == "registry_resident_history":
                    if last is not None and last["atena_no"] != row["atena_no"]:
                        index.append(_index(tenant_code, last))
                    last = row
                if len(batch) >= BATCH:
                    _flush(session, table, batch, index)
                    if progress:
                        progress(entity.file, n)
            if last is not None:
                index.append(_index(tenant_code, last))
            _flush(session, table, batch, index)
            if progress:
                progress(entity.file, n)
            counts[entity.file] = n
        uow.audit.record(ctx, A_TENANT_IMPORT, subjects=[f"tenant:{tenant_code}"], tenant_code=PLATFORM_SCOPE,
                         detail={"rows": sum(counts.values()), "exported_at": manifest.get("exported_at"),
                                 "users_without_password": len(created)})
        uow.commit()
    return counts, created


def _flush(session, table, batch: list, index: list) -> None:
    from municloud.modules.registry.orm import ResidentIndex

    if batch:
        session.execute(table.insert(), batch)
        batch.clear()
    if index:  # the index points at history rows: inserted after them
        session.execute(ResidentIndex.__table__.insert(), index)
        index.clear()


def _index(tenant_code: str, row: dict) -> dict:
    """The search-index row of a person's current (highest) 履歴番号, as the registry builds it."""
    from municloud.modules.registry.domain import Person
    from municloud.modules.registry.repository import index_row

    person = Person(**{f.name: row[f.name] for f in dataclasses.fields(Person)})
    return {**index_row(tenant_code, person, row["rireki_no"]), "version": 1}
