"""``municloud export``: every entity of one tenant to CSV + manifest.json (streamed)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import String, select
from sqlalchemy.orm import Session

from municloud.errors import NotFoundError
from municloud.interchange.codec import CSV_OPTIONS, ENCODING, encode
from municloud.interchange.layout import LAYOUT_VERSION, Entity, entities
from municloud.kernel.db import READ_ONLY, Base

BATCH = 2000
Progress = Callable[[str, int], None]  # (file, rows written so far in it)


@dataclass(frozen=True)
class ExportResult:
    out: Path
    files: dict[str, dict]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _order(table, dialect: str) -> list:
    cols = [c for c in table.primary_key.columns if c.name != "tenant_code"]
    # byte order on every database (PostgreSQL's locale collation differs from SQLite's)
    return [c.collate("C") if dialect == "postgresql" and isinstance(c.type, String) else c for c in cols]


def _rows(session, entity: Entity, tenant_code: str) -> Any:
    tables = Base.metadata.tables
    dialect = session.get_bind().dialect.name
    if entity.table == "users":
        users, members = tables["users"], tables["memberships"]
        ids = select(members.c.user_id).where(members.c.tenant_code == tenant_code)
        stmt = select(users).where(users.c.id.in_(ids)).order_by(
            users.c.username.collate("C") if dialect == "postgresql" else users.c.username)
    elif entity.table == "memberships":
        members, users = tables["memberships"], tables["users"]
        stmt = (select(*[c for c in members.c if c.name != "user_id"], users.c.username.label("user_id"))
                .join(users, users.c.id == members.c.user_id)
                .where(members.c.tenant_code == tenant_code)
                .order_by(users.c.username.collate("C") if dialect == "postgresql" else users.c.username,
                          members.c.role))
    else:
        table = tables[entity.table]
        stmt = select(table).where(table.c.tenant_code == tenant_code).order_by(*_order(table, dialect))
    result = session.execute(stmt.execution_options(yield_per=BATCH, all_tenants=True))
    for partition in result.mappings().partitions(BATCH):
        yield from partition


@contextmanager
def snapshot(platform) -> Iterator[Session]:
    """One read-only transaction for every file: a consistent snapshot (REPEATABLE READ on
    PostgreSQL; SQLite's read transaction already is one, in WAL mode writers go on)."""
    options: dict = {READ_ONLY: True}
    if platform.engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with platform.session_factory() as session:
        session.connection(execution_options=options)
        try:
            yield session
        finally:
            session.rollback()


def read_tenant(session, tenant_code: str):
    """The tenant's row; the first read of the snapshot (it fixes what the export sees)."""
    from municloud.kernel.tenants.orm import Tenant

    tenant = session.get(Tenant, tenant_code)
    if tenant is None:
        raise NotFoundError("TENANT_NOT_FOUND", f"団体コード {tenant_code} は登録されていません")
    return tenant


def entity_chunks(session, entity: Entity, tenant_code: str,
                  progress: Progress | None = None) -> Iterator[tuple[bytes, int]]:
    """The CSV file of *entity* as encoded chunks (header first, then one chunk per BATCH
    rows), each with the number of rows written so far.  The files on disk and the members
    of the download archive are both made of these chunks, so they are the same bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, **CSV_OPTIONS)
    writer.writerow(entity.headers)
    count = 0
    for row in _rows(session, entity, tenant_code):
        writer.writerow([encode(c.type, row[c.name]) for c in entity.columns])
        count += 1
        if count % BATCH == 0:
            yield buffer.getvalue().encode(ENCODING), count
            buffer.seek(0)
            buffer.truncate()
            if progress:
                progress(entity.file, count)
    yield buffer.getvalue().encode(ENCODING), count
    if progress:
        progress(entity.file, count)


def manifest_bytes(tenant, files: dict[str, dict]) -> bytes:
    manifest = {
        "layout_version": LAYOUT_VERSION,
        "tenant_code": tenant.code,
        "tenant_name": tenant.name,
        "tenant_kind": tenant.kind,
        "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": files,
    }
    return (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode(ENCODING)


def export_tenant(platform, tenant_code: str, out: Path, *, actor_ctx=None,
                  progress: Progress | None = None) -> ExportResult:
    """Write every entity of *tenant_code* into *out*; audit the export afterwards."""
    from municloud.kernel.catalog import A_TENANT_EXPORT

    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, dict] = {}
    with snapshot(platform) as session:
        tenant = read_tenant(session, tenant_code)
        for entity in entities():
            digest, count = hashlib.sha256(), 0
            with (out / entity.file).open("wb") as f:
                for data, count in entity_chunks(session, entity, tenant_code, progress):  # noqa: B007
                    digest.update(data)
                    f.write(data)
            files[entity.file] = {"rows": count, "sha256": digest.hexdigest()}
        manifest = manifest_bytes(tenant, files)
    (out / "manifest.json").write_bytes(manifest)
    if actor_ctx is not None:  # after reading: the exported chain never holds its own export
        with platform.uow(tenant_code) as uow:
            uow.audit.record(actor_ctx, A_TENANT_EXPORT, subjects=[f"tenant:{tenant_code}"],
                             detail={"files": len(files), "rows": sum(f["rows"] for f in files.values())})
            uow.commit()
    return ExportResult(out, files)
