"""Portability benchmark (issue #4 §4): export and import of a whole tenant in the standard
layout, each beside its floor measured in the same run on the same rows.

* export (`interchange.exporter.export_tenant`: every entity to CSV + manifest with SHA-256)
  vs the floor: the same tables read with a bare cursor and written with the ``csv`` module;
* import with all checks (`interchange.importer.import_tenant`: checksums, types, check
  digits, codes, references, dense 履歴番号, audit chain, then one transaction) vs the floor:
  the same CSV files read with the ``csv`` module and inserted with a bare ``executemany``;
* the tenant admin's ZIP download (`interchange.archive`: the same export, deflated and
  streamed, the bytes discarded as they come) vs the export's floor.

Each of these (and each floor) runs in a fresh process of its own (``spawn``) so that its
**peak memory** is its own: peak RSS (``VmHWM``; see ``_child``) is printed beside the floor's, with the
process's RSS before the work began (interpreter, SQLAlchemy, municloud imported) in a note.
Timings are taken inside the child, start-up excluded.
"""

from __future__ import annotations

import csv
import multiprocessing
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.common import Report, add_profile_tenant, fresh_platform
from bench.registry import TENANT, _ctx, generate
from municloud.kernel.context import Context
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


def platform_secret() -> str:
    return "bench-secret-key-not-for-production"  # as bench.common.fresh_platform


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


def _child(job: str, url: str, directory: str, files: list[tuple[str, str]]) -> dict:
    """One measured job in a fresh process: seconds, peak RSS and RSS before it (KiB)."""
    from municloud.bootstrap import create_platform, import_all_models
    from municloud.config import Settings

    import_all_models()
    platform = create_platform(Settings(database_url=url, mode="test", secret_key=platform_secret(), terminal_id="bench"))
    try:
        base = _status_kib("VmRSS")
        started = time.perf_counter()
        extra: dict = {}
        if job == "export":
            from municloud.interchange.exporter import export_tenant

            export_tenant(platform, TENANT, Path(directory))
        elif job == "archive":
            from municloud.interchange.archive import export_archive

            admin = Context(TENANT, "bench-admin", roles=frozenset({"tenant_admin"}),
                            permissions=platform.catalog.permissions_of(frozenset({"tenant_admin"})),
                            terminal="bench", place="bench")
            archive = export_archive(platform.uow(TENANT), admin)
            extra["bytes"] = sum(len(chunk) for chunk in archive.chunks())
        elif job == "import":
            from municloud.interchange.importer import import_tenant

            result = import_tenant(platform, TENANT, Path(directory), ctx=_operator(platform))
            assert result.ok, f"the benchmark's own export did not import: {result.problems[:3]}"
        elif job == "floor-export":
            _floor_export(platform, files, Path(directory))
        elif job == "floor-import":
            _floor_import(platform, files, Path(directory))
        else:
            raise ValueError(job)
        seconds = time.perf_counter() - started
    finally:
        platform.dispose()
    # VmHWM is this process image's own peak; ru_maxrss is not: Linux carries it over the
    # fork + exec that started the process from the parent, whose peak holds the generated data.
    peak = _status_kib("VmHWM")
    assert peak <= resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"seconds": seconds, "peak_kib": peak, "base_kib": base, **extra}


def _measured(job: str, platform, directory: Path, files: list[tuple[str, str]]) -> dict:
    with multiprocessing.get_context("spawn").Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(_child, (job, platform.settings.database_url, str(directory), files))


def _mib(kib: int) -> float:
    return kib / 1024


def run(n_residents: int, database_url: str | None, seed: int) -> Report:
    report = Report(f"portability: {n_residents:,} residents ({'PostgreSQL' if database_url else 'SQLite'})")
    households = generate(n_residents, seed)
    residents = sum(len(h) for h in households)
    with (
        fresh_platform(database_url, "port_src") as src,
        fresh_platform(database_url, "port_dst") as dst,
        fresh_platform(database_url, "port_floor") as floor_platform,
        tempfile.TemporaryDirectory(prefix="bench-port-") as tmp,
    ):
        add_profile_tenant(src, TENANT)
        load_households(src.uow(TENANT), _ctx(src, "registry_clerk"), households, ido_date=date(2026, 4, 1))
        del households
        out, floor_out = Path(tmp) / "export", Path(tmp) / "floor"
        floor_out.mkdir()
        files = [(t_, f"{t_}.csv") for t_ in FLOOR_TABLES]
        export = _measured("export", src, out, files)
        floor = _measured("floor-export", src, floor_out, files)
        report.add("export (residents/s)", residents / export["seconds"], "/s", floor=residents / floor["seconds"],
                   floor_name="bare cursor + csv.writer, same tables", higher_is_better=True)
        report.add("export peak RSS (MiB)", _mib(export["peak_kib"]), "MiB", floor=_mib(floor["peak_kib"]),
                   floor_name="the same floor's process")
        report.notes.append(f"export took {export['seconds']:.1f} s; floor {floor['seconds']:.1f} s; "
                            f"RSS before the work {_mib(export['base_kib']):.0f} MiB (floor {_mib(floor['base_kib']):.0f})")
        archive = _measured("archive", src, out, files)
        report.add("ZIP download, streamed (residents/s)", residents / archive["seconds"], "/s",
                   floor=residents / floor["seconds"], floor_name="the export floor (no deflate)", higher_is_better=True)
        report.add("ZIP download peak RSS (MiB)", _mib(archive["peak_kib"]), "MiB", floor=_mib(floor["peak_kib"]),
                   floor_name="the export floor's process")
        report.notes.append(f"ZIP download took {archive['seconds']:.1f} s for {archive['bytes'] / 2**20:,.0f} MiB; "
                            f"RSS before the work {_mib(archive['base_kib']):.0f} MiB")
        imported = _measured("import", dst, out, files)
        floor = _measured("floor-import", floor_platform, floor_out, files)
        report.add("import with all checks (residents/s)", residents / imported["seconds"], "/s",
                   floor=residents / floor["seconds"], floor_name="csv.reader + bare executemany, same rows",
                   higher_is_better=True)
        report.add("import peak RSS (MiB)", _mib(imported["peak_kib"]), "MiB", floor=_mib(floor["peak_kib"]),
                   floor_name="the same floor's process")
        report.notes.append(f"import took {imported['seconds']:.1f} s; floor {floor['seconds']:.1f} s; "
                            f"RSS before the work {_mib(imported['base_kib']):.0f} MiB (floor {_mib(floor['base_kib']):.0f})")
    return report
