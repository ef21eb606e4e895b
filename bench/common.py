"""Shared benchmark helpers: timing, percentiles, a fresh database, the result table."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from municloud.bootstrap import create_platform, import_all_models
from municloud.config import Settings
from municloud.kernel.db import Base


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    floor: float | None = None
    floor_name: str = ""
    higher_is_better: bool = False

    @property
    def ratio(self) -> float | None:
        if not self.floor:
            return None
        return self.floor / self.value if self.higher_is_better else self.value / self.floor


@dataclass
class Report:
    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *args, **kw) -> Figure:
        fig = Figure(*args, **kw)
        self.figures.append(fig)
        print(f"  … {fig.name}: {fmt(fig.value)} {fig.unit}" + (f"  (floor {fmt(fig.floor)})" if fig.floor else ""), flush=True)
        return fig

    def print(self) -> None:
        print(f"\n== {self.title} ==")
        print(f"{'figure':44} {'value':>14} {'floor':>14}  {'ratio':>7}  floor is")
        for f in self.figures:
            ratio = f"{f.ratio:6.2f}×" if f.ratio is not None else ""
            floor = fmt(f.floor) if f.floor is not None else ""
            print(f"{f.name:44} {fmt(f.value):>10} {f.unit:<4}{floor:>13}  {ratio:>7}  {f.floor_name}")
        for note in self.notes:
            print(f"  note: {note}")


def fmt(value: float | None) -> str:
    if value is None:
        return ""
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3f}"


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return p50, p95


@contextmanager
def timer():
    box = {}
    start = time.perf_counter()
    yield box
    box["seconds"] = time.perf_counter() - start


def time_each(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@contextmanager
def fresh_platform(database_url: str | None, name: str):
    """A platform on an empty database: a temporary SQLite file, or a new PostgreSQL database."""
    import_all_models()
    with tempfile.TemporaryDirectory(prefix=f"bench-{name}-") as tmp:
        if database_url is None:
            url = f"sqlite:///{Path(tmp) / (name + '.db')}"
        else:
            url = _fresh_pg_database(database_url, name)
        platform = create_platform(Settings(database_url=url, mode="test", secret_key="bench-secret-key-not-for-production", terminal_id="bench"))
        Base.metadata.create_all(platform.engine)
        try:
            yield platform
        finally:
            platform.dispose()
            if database_url is not None:
                _drop_pg_database(database_url, url)


def _fresh_pg_database(base_url: str, name: str) -> str:
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    db = f"bench_{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db}"'))
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    admin.dispose()
    return base_url.rsplit("/", 1)[0] + "/" + db


def _drop_pg_database(base_url: str, url: str) -> None:
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"'))
    admin.dispose()


def add_profile_tenant(platform, code: str) -> None:
    """The demo tenant *code* (its name, kind and parameter overrides: wards, notation, 級地…)
    with none of its residents — the benchmarks load their own.  The generator writes the
    profile's addresses, so the tenant must be that municipality: a 転居 to an address
    outside it is refused (REGISTRY_ADDRESS_OUTSIDE_TENANT)."""
    from municloud.demo.profiles import overrides_for, profile_for
    from municloud.kernel.context import Context
    from municloud.kernel.parameters.services import set_override
    from municloud.kernel.tenants.services import add_tenant

    profile = profile_for(code)
    operator = Context.system(None, platform.catalog.permissions_of({"operator"}), actor="bench")
    add_tenant(platform.uow(None), operator, code, profile.name, profile.kind)
    admin = Context.system(code, platform.catalog.permissions_of({"tenant_admin"}), actor="bench")
    for o in overrides_for(profile, "ベンチ　太郎"):
        set_override(platform.uow(code), admin, o.key, o.effective_from, o.value, o.reason)
