"""Search results a clerk works with (issue #10 §7), on the registry part's city.

* paginated search p50/p95 — ``search_residents`` for a common surname's フリガナ (「タカハシ」:
  hundreds to thousands of people in a big city), page 1 and then a page picked at random among
  the pages that exist: the page's query, the total count (``SELECT count(*)`` of the same
  query), reading the 50 records, their households' 世帯主, the 支援措置 check, the audit entry,
  commit — vs the bare indexed SELECT of the same page (``LIMIT 50 OFFSET n``, no count);
* the same page through the search screen (HTTP, a logged-in clerk: session, permission,
  the service, Jinja2 HTML of 50 rows and the page navigation) vs the same floor;
* the resident page (住民票の画面: record, history, household, 支援措置, HTML) p50/p95 through
  HTTP vs the bare read of the person's current record (one indexed SELECT joining the index
  to the history row).

Called by the registry part (same data, same run); ``python -m bench search`` loads a city and
runs only these figures.
"""

from __future__ import annotations

import html
import random
import re
import time
from datetime import date

import pyotp
from fastapi.testclient import TestClient

from bench.common import Report, percentiles
from municloud.jp.kana import kana_search_key
from municloud.kernel.context import Context
from municloud.kernel.identity.services import add_user
from municloud.modules.registry.services.queries import SearchQuery, search_residents
from municloud.web.app import create_app

PAGE = 50
SAMPLE = 100  # residents picked: their surnames searched (2 pages each), their pages opened
PASSWORD = "madoguchi-no-kagi-2026"


def measure(platform, clerk: Context, report: Report, sample: list[tuple[str, str, str, str]], tenant: str) -> None:
    """*sample*: (宛名番号, 氏名, フリガナ, 世帯番号) of residents picked at random — their
    surnames are common ones as often as the city has them."""
    surnames = [kana.replace(" ", "\u3000").split("\u3000")[0] for _, _, kana, _ in sample]
    rng = random.Random(len(sample))
    client = _logged_in(platform, tenant)
    raw = platform.engine.raw_connection()
    ph = "?" if platform.engine.dialect.name == "sqlite" else "%s"
    bare = (f"SELECT atena_no FROM registry_residents WHERE tenant_code = {ph} AND status = 'resident' "
            f"AND ((kana_key >= {ph} AND kana_key < {ph}) OR (alt_kana_key >= {ph} AND alt_kana_key < {ph})) "
            f"ORDER BY kana_key || '', atena_no LIMIT {PAGE} OFFSET {ph}")
    service, screen, floors, totals = [], [], [], []
    try:
        cur = raw.cursor()
        for surname in surnames:
            first = search_residents(platform.uow(tenant), clerk, SearchQuery(kana=surname, limit=PAGE))
            totals.append(first.total)
            pages = -(-first.total // PAGE)
            for number in (1, rng.randint(2, pages) if pages > 1 else 1):
                offset = (number - 1) * PAGE
                start = time.perf_counter()
                search_residents(platform.uow(tenant), clerk, SearchQuery(kana=surname, limit=PAGE, offset=offset))
                service.append(time.perf_counter() - start)
                start = time.perf_counter()
                response = client.get(f"/t/{tenant}/residents", params={"kana": surname, "page": number})
                screen.append(time.perf_counter() - start)
                assert response.status_code == 200 and "件中" in response.text, response.status_code
                start = time.perf_counter()
                key = kana_search_key(surname)
                cur.execute(bare, (tenant, key, key + "\U0010FFFF", key, key + "\U0010FFFF", offset))
                cur.fetchall()
                floors.append(time.perf_counter() - start)
        pages_ms, floor_ms = percentiles(service), percentiles(floors)
        screen_ms = percentiles(screen)
        for i, p in enumerate(("p50", "p95")):
            report.add(f"paginated search (page + total) {p} (ms)", pages_ms[i] * 1000, "ms",
                       floor=floor_ms[i] * 1000, floor_name="bare indexed SELECT of the page")
        for i, p in enumerate(("p50", "p95")):
            report.add(f"search screen, 50 rows + pages {p} (ms)", screen_ms[i] * 1000, "ms",
                       floor=floor_ms[i] * 1000, floor_name="bare indexed SELECT of the page")
        ordered = sorted(totals)
        report.notes.append(f"paginated search: {len(surnames)} surnames' フリガナ, matches per surname "
                            f"median {ordered[len(ordered) // 2]:,}, max {ordered[-1]:,}; page 1 and one random page each")
        _resident_page(client, cur, ph, report, [a for a, _, _, _ in sample], tenant)
    finally:
        raw.close()
        client.close()


def _resident_page(client: TestClient, cur, ph: str, report: Report, atena_nos: list[str], tenant: str) -> None:
    bare = (f"SELECT h.* FROM registry_residents i JOIN registry_resident_history h ON h.tenant_code = i.tenant_code "
            f"AND h.atena_no = i.atena_no AND h.rireki_no = i.rireki_no WHERE i.tenant_code = {ph} AND i.atena_no = {ph}")
    pages, floors = [], []
    for atena_no in atena_nos:
        start = time.perf_counter()
        response = client.get(f"/t/{tenant}/residents/{atena_no}")
        pages.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        start = time.perf_counter()
        cur.execute(bare, (tenant, atena_no))
        cur.fetchall()
        floors.append(time.perf_counter() - start)
    page_ms, floor_ms = percentiles(pages), percentiles(floors)
    for i, p in enumerate(("p50", "p95")):
        report.add(f"resident page (HTML) {p} (ms)", page_ms[i] * 1000, "ms", floor=floor_ms[i] * 1000,
                   floor_name="bare read of the current record")


def _logged_in(platform, tenant: str) -> TestClient:
    """A clerk logged in through the screens (password, then the one-time password)."""
    admin = Context.system(tenant, platform.catalog.permissions_of({"tenant_admin"}), actor="bench")
    add_user(platform.uow(tenant), admin, "bench-clerk", PASSWORD, ["registry_clerk"])
    client = TestClient(create_app(platform=platform), follow_redirects=False)
    form = client.get("/login").text
    client.post("/login", data={"username": "bench-clerk", "password": PASSWORD, "csrf_token": _csrf(form)})
    page = client.get("/login/second-factor").text
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    done = client.post("/login/second-factor", data={"code": pyotp.TOTP(secret).now(), "csrf_token": _csrf(page)})
    assert done.status_code == 303, done.text
    return client


def _csrf(page: str) -> str:
    return html.unescape(re.search(r'<input type="hidden" name="csrf_token" value="([^"]+)">', page).group(1))


def run(n_residents: int, database_url: str | None, searches: int, seed: int) -> Report:
    """Load a city of *n_residents* (as the registry part does) and measure only these figures."""
    from bench.common import add_profile_tenant, fresh_platform
    from bench.registry import TENANT, _ctx, _sample, generate
    from municloud.modules.registry.services.bulk import load_households

    report = Report(f"search and resident page: {n_residents:,} residents ({'PostgreSQL' if database_url else 'SQLite'})")
    households = generate(n_residents, seed)
    with fresh_platform(database_url, "search") as platform:
        add_profile_tenant(platform, TENANT)
        clerk = _ctx(platform, "registry_clerk")
        load_households(platform.uow(TENANT), clerk, households, ido_date=date(2026, 4, 1), batch_size=5000)
        del households
        measure(platform, clerk, report, _sample(platform, min(searches, SAMPLE), seed + 2), TENANT)
    return report
