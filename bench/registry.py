"""Registry benchmark (issue #2 §8) on generated data for a city of N residents.

* load rate (``load_households``: validation, search keys, history + index rows) vs a bare
  DBAPI ``executemany`` of the very same rows into an empty copy of the schema;
* search p50/p95 by name and by フリガナ through the service (permission check, query,
  protected-person check, audit entry, commit) vs the bare indexed SELECT it issues;
* paginated search with its total, the search screen and the resident page (``bench/search.py``,
  issue #10 §7);
* notification registration rate (転居 of whole households through the service) vs bare
  transactions writing the same rows (INSERT history row, UPDATE index, COMMIT).
"""

from __future__ import annotations

import random
import time
from datetime import date

from sqlalchemy import select

from bench import search
from bench.common import Report, add_profile_tenant, fresh_platform, percentiles, timer
from municloud.kernel.context import Context
from municloud.modules.registry.orm import ResidentIndex, ResidentRecord
from municloud.modules.registry.schemas import Tenkyo
from municloud.modules.registry.services.bulk import load_households
from municloud.modules.registry.services.notifications import register_notification
from municloud.modules.registry.services.queries import SearchQuery, search_residents

TENANT = "341002"


def generate(n_residents: int, seed: int) -> list[list[dict]]:
    from municloud.demo import generate_households, profile_for

    return list(generate_households(profile_for(TENANT), n_residents, seed))


def _ctx(platform, *roles: str) -> Context:
    perms = platform.catalog.permissions_of(frozenset(roles))
    return Context(TENANT, "bench-clerk", roles=frozenset(roles), permissions=perms, terminal="bench", place="bench")


def _placeholders(dialect: str, n: int) -> str:
    return ", ".join(["?" if dialect == "sqlite" else "%s"] * n)


def _copy_rows(src_platform, dst_platform, table, batch: int) -> float:
    """executemany the rows of *table* from src into dst; returns seconds spent inserting."""
    cols = [c.name for c in table.columns]
    dialect = dst_platform.engine.dialect.name
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({_placeholders(dialect, len(cols))})"
    src = src_platform.engine.raw_connection()
    dst = dst_platform.engine.raw_connection()
    spent = 0.0
    try:
        read = src.cursor()
        read.execute(f"SELECT {', '.join(cols)} FROM {table.name}")
        write = dst.cursor()
        if dialect == "sqlite":
            write.execute("BEGIN")
        wrap = _json_wrapper(dialect)
        while True:
            rows = read.fetchmany(batch)
            if not rows:
                break
            rows = [tuple(wrap(v) for v in r) for r in rows] if wrap else rows
            start = time.perf_counter()
            write.executemany(sql, rows)
            spent += time.perf_counter() - start
        start = time.perf_counter()
        dst.commit() if dialect != "sqlite" else write.execute("COMMIT")
        spent += time.perf_counter() - start
    finally:
        src.close()
        dst.close()
    return spent


def _json_wrapper(dialect: str):
    if dialect != "postgresql":
        return None
    from psycopg.types.json import Json

    return lambda v: Json(v) if isinstance(v, dict | list) else v


def run(n_residents: int, database_url: str | None, searches: int, notifications: int, seed: int) -> Report:
    report = Report(f"registry: {n_residents:,} residents ({'PostgreSQL' if database_url else 'SQLite'})")
    with timer() as t:
        households = generate(n_residents, seed)
    residents = sum(len(h) for h in households)
    report.notes.append(f"generated {len(households):,} households / {residents:,} residents in {t['seconds']:.1f} s (not timed below)")
    print(report.notes[-1], flush=True)
    with fresh_platform(database_url, "registry") as platform, fresh_platform(database_url, "floor") as floor:
        add_profile_tenant(platform, TENANT)
        clerk = _ctx(platform, "registry_clerk")
        with timer() as t:
            load_households(platform.uow(TENANT), clerk, households, ido_date=date(2026, 4, 1), batch_size=5000)
        del households
        load_rate = residents / t["seconds"]
        tables = ResidentRecord.__table__.metadata.tables
        spent = sum(_copy_rows(platform, floor, tables[name], 5000) for name in (
            "registry_notifications", "registry_households", "registry_resident_history", "registry_residents"))
        report.add("load (residents/s)", load_rate, "/s", floor=residents / spent,
                   floor_name="bare executemany of the same rows", higher_is_better=True)
        _search(platform, clerk, report, searches, seed)
        search.measure(platform, clerk, report, _sample(platform, min(searches, search.SAMPLE), seed + 2), TENANT)
        _notifications(platform, clerk, report, notifications, seed)
    return report


def _sample(platform, k: int, seed: int) -> list[tuple[str, str, str]]:
    with platform.session_factory() as s:
        total = s.scalar(select(ResidentIndex.atena_no).order_by(ResidentIndex.atena_no.desc()).limit(1))
        rng = random.Random(seed)
        picks = [f"{rng.randint(1, int(total)):010d}" for _ in range(k)]
        rows = s.execute(
            select(ResidentRecord.atena_no, ResidentRecord.shimei, ResidentRecord.shimei_kana, ResidentRecord.setai_no)
            .where(ResidentRecord.atena_no.in_(picks))
        ).all()
    return [(r.atena_no, r.shimei, r.shimei_kana, r.setai_no) for r in rows]


def _search(platform, clerk, report: Report, k: int, seed: int) -> None:
    sample = _sample(platform, k, seed)
    dialect = platform.engine.dialect.name
    ph = "?" if dialect == "sqlite" else "%s"
    # the same SQL the service's search issues first (prefix as an index range)
    bare = (
        f"SELECT atena_no FROM registry_residents WHERE tenant_code = {ph} AND status = 'resident' "
        f"AND (({{col}} >= {ph} AND {{col}} < {ph}) OR (alt_{{col}} >= {ph} AND alt_{{col}} < {ph})) "
        f"ORDER BY kana_key || '', atena_no LIMIT 50"
    )
    from municloud.jp.chars import name_search_key
    from municloud.jp.kana import kana_search_key

    for label, field, col, keyfn in (("name", 1, "name_key", name_search_key),
                                     ("フリガナ", 2, "kana_key", kana_search_key)):
        times, floors = [], []
        raw = platform.engine.raw_connection()
        try:
            cur = raw.cursor()
            for row in sample:
                q = row[field]
                start = time.perf_counter()
                search_residents(platform.uow(TENANT), clerk, SearchQuery(name=q) if field == 1 else SearchQuery(kana=q))
                times.append(time.perf_counter() - start)
                start = time.perf_counter()
                key = keyfn(q)
                cur.execute(bare.format(col=col), (TENANT, key, key + "\U0010FFFF", key, key + "\U0010FFFF"))
                cur.fetchall()
                floors.append(time.perf_counter() - start)
        finally:
            raw.close()
        p50, p95 = percentiles(times)
        f50, f95 = percentiles(floors)
        report.add(f"search by {label} p50 (ms)", p50 * 1000, "ms", floor=f50 * 1000, floor_name="bare indexed SELECT")
        report.add(f"search by {label} p95 (ms)", p95 * 1000, "ms", floor=f95 * 1000, floor_name="bare indexed SELECT")


def _notifications(platform, clerk, report: Report, k: int, seed: int) -> None:
    sample = _sample(platform, k * 3, seed + 1)
    seen, targets = set(), []
    for _atena_no, _, _, setai_no in sample:
        if setai_no not in seen:
            seen.add(setai_no)
            targets.append(setai_no)
    targets = targets[:k]
    with platform.session_factory() as s:
        members = {}
        for setai_no in targets:
            members[setai_no] = list(s.scalars(select(ResidentIndex.atena_no).where(
                ResidentIndex.setai_no == setai_no, ResidentIndex.status == "resident")))
    persons = sum(len(v) for v in members.values())
    start = time.perf_counter()
    for i, setai_no in enumerate(targets):
        register_notification(platform.uow(TENANT), clerk, Tenkyo(
            kind="tenkyo", ido_date="2026-10-01", todoke_date="2026-10-02", atena_nos=members[setai_no],
            address={"address": f"広島県広島市中区基町{i % 20 + 1}番{i % 7 + 1}号"}))
    service = time.perf_counter() - start
    floor = _bare_moves(platform, members)
    report.add("notification (転居) registration (/s)", len(targets) / service, "/s",
               floor=len(targets) / floor, floor_name="bare INSERT+UPDATE+COMMIT per notification", higher_is_better=True)
    report.notes.append(f"{len(targets)} 転居 notifications moved {persons} residents")


def _bare_moves(platform, members: dict[str, list[str]]) -> float:
    """The same row work as the service's 転居, as bare SQL: copy the current row with
    rireki_no + 1 and a new address, move the index pointer; one transaction each."""
    table = ResidentRecord.__table__
    cols = [c.name for c in table.columns]
    dialect = platform.engine.dialect.name
    ph = "?" if dialect == "sqlite" else "%s"
    copy_cols = ", ".join("rireki_no + 1" if c == "rireki_no" else (f"{ph}" if c == "address" else c) for c in cols)
    insert_sql = (
        f"INSERT INTO {table.name} ({', '.join(cols)}) SELECT {copy_cols} FROM {table.name} "
        f"WHERE tenant_code = {ph} AND atena_no = {ph} AND rireki_no = "
        f"(SELECT rireki_no FROM registry_residents WHERE tenant_code = {ph} AND atena_no = {ph})"
    )
    update_sql = f"UPDATE registry_residents SET rireki_no = rireki_no + 1, version = version + 1 WHERE tenant_code = {ph} AND atena_no = {ph}"
    raw = platform.engine.raw_connection()
    try:
        cur = raw.cursor()
        start = time.perf_counter()
        for i, atena_nos in enumerate(members.values()):
            if dialect == "sqlite":
                cur.execute("BEGIN IMMEDIATE")
            for a in atena_nos:
                cur.execute(insert_sql, (f"広島県広島市南区{i}番", TENANT, a, TENANT, a))
                cur.execute(update_sql, (TENANT, a))
            cur.execute("COMMIT") if dialect == "sqlite" else raw.commit()
        return time.perf_counter() - start
    finally:
        raw.close()
