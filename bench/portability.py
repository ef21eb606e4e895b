"""Portability benchmark (issue #4 §4): export and import of a whole tenant in the standard
layout, each beside its floor measured in the same run on the same rows.

* export (`interchange.exporter.export_tenant`: every entity to CSV + manifest with SHA-256)
  vs the floor: the same tables read with a bare cursor and written with the ``csv`` module;
* import with all checks (`interchange.importer.import_tenant`: checksums, types, check
  digits, codes, references, dense 履歴番号, audit chain, then one transaction) vs the floor:
  the same CSV files read with the ``csv`` module and inserted with a bare ``executemany``.
"""

from __future__ import annotations

import csv
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.common import Report, fresh_platform, timer
from bench.registry import TENANT, _ctx, generate
from municloud.kernel.context import Context
from municloud.kernel.tenants.services import add_tenant
from municloud.modules.registry.services.bulk import load_households


def _operator(platform) -> Context:
    return Context.system(None, platform.catalog.permissions_of({"operator"}), actor="bench")


def _floor_export(platform, files: list[tuple[str, str]], out: Path) -> float:
    """Bare cursor + csv.writer over the same tables; returns seconds."""
    raw = platform.engine.raw_connection()
    started = time.perf_counter()
    try:
        cur = raw.cursor()
        for table, name in files:
            cur.execute(f"SELECT * FROM {table} WHERE tenant_code = '{TENANT}'")
            with (out / name).open("w", encoding="utf-8", newline="") as f:
                writer = csv.writer(f)
                writer.writerow([d[0] for d in cur.description])
                while rows := cur.fetchmany(5000):
                    writer.writerows(rows)
    finally:
        raw.close()
    return time.perf_counter() - started


def _floor_import(platform, files: list[tuple[str, str]], directory: Path) -> float:
    """csv.reader + bare executemany of the floor export's files into an empty schema."""
    dialect = platform.engine.dialect.name
    ph = "?" if dialect == "sqlite" else "%s"
    raw = platform.engine.raw_connection()
    started = time.perf_counter()
    try:
        cur = raw.cursor()
        if dialect == "sqlite":
            cur.execute("BEGIN")
        for table, name in files:
            with (directory / name).open(encoding="utf-8", newline="") as f:
                reader = csv.reader(f)
                header = next(reader)
                sql = f"INSERT INTO {table} ({', '.join(header)}) VALUES ({', '.join([ph] * len(header))})"
                batch = []
                for row in reader:
                    batch.append([v if v != "" else None for v in row])
                    if len(batch) >= 5000:
                        cur.executemany(sql, batch)
                        batch.clear()
                if batch:
                    cur.executemany(sql, batch)
        cur.execute("COMMIT") if dialect == "sqlite" else raw.commit()
    finally:
        raw.close()
    return time.perf_counter() - started


FLOOR_TABLES = ("registry_notifications", "registry_households", "registry_resident_history",
                "audit_chain_heads", "audit_entries", "tenant_sequences")


def run(n_residents: int, database_url: str | None, seed: int) -> Report:
    from municloud.interchange.exporter import export_tenant
    from municloud.interchange.importer import import_tenant

    report = Report(f"portability: {n_residents:,} residents ({'PostgreSQL' if database_url else 'SQLite'})")
    households = generate(n_residents, seed)
    residents = sum(len(h) for h in households)
    with (
        fresh_platform(database_url, "port_src") as src,
        fresh_platform(database_url, "port_dst") as dst,
        fresh_platform(database_url, "port_floor") as floor,
        tempfile.TemporaryDirectory(prefix="bench-port-") as tmp,
    ):
        add_tenant(src.uow(None), _operator(src), TENANT, "ベンチ市", "指定都市")
        load_households(src.uow(TENANT), _ctx(src, "registry_clerk"), households, ido_date=date(2026, 4, 1))
        del households
        out, floor_out = Path(tmp) / "export", Path(tmp) / "floor"
        floor_out.mkdir()
        with timer() as t:
            export_tenant(src, TENANT, out)
        files = [(t_, f"{t_}.csv") for t_ in FLOOR_TABLES]
        floor_seconds = _floor_export(src, files, floor_out)
        report.add("export (residents/s)", residents / t["seconds"], "/s", floor=residents / floor_seconds,
                   floor_name="bare cursor + csv.writer, same tables", higher_is_better=True)
        report.notes.append(f"export took {t['seconds']:.1f} s; floor {floor_seconds:.1f} s")
        with timer() as t:
            result = import_tenant(dst, TENANT, out, ctx=_operator(dst))
        assert result.ok, f"the benchmark's own export did not import: {result.problems[:3]}"
        floor_seconds = _floor_import(floor, files, floor_out)
        report.add("import with all checks (residents/s)", residents / t["seconds"], "/s",
                   floor=residents / floor_seconds, floor_name="csv.reader + bare executemany, same rows",
                   higher_is_better=True)
        report.notes.append(f"import took {t['seconds']:.1f} s; floor {floor_seconds:.1f} s")
    return report
