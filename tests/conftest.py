"""Test fixtures: one database per run (SQLite file, or the PostgreSQL server named by
``MUNICLOUD_TEST_DATABASE_URL``), emptied after every test.

Services commit real transactions (one per use case), so tests cannot be wrapped in one
rolled-back transaction as DESIGN.md suggests: a refusal's audit entry is written in a
transaction of its own after the rollback, and the concurrency tests need two real
connections.  Instead every table is emptied after each test.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text

from municloud.bootstrap import create_platform, import_all_models
from municloud.config import Settings
from municloud.kernel.db import Base

# No time limits in tests (speed lives in benchmarks): a first call that fills a cache on a
# busy CI machine must not fail a property test as "too slow".
hypothesis_settings.register_profile("municloud", deadline=None)
hypothesis_settings.load_profile("municloud")

PG_URL = os.environ.get("MUNICLOUD_TEST_DATABASE_URL")
TEST_SECRET = "test-secret-key-used-only-by-the-test-suite"


def pytest_report_header(config):
    return f"municloud test database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (temporary file)'}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if PG_URL:
        return PG_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def settings(database_url) -> Settings:
    return Settings(database_url=database_url, mode="test", secret_key=TEST_SECRET, terminal_id="test-terminal").validate()


@pytest.fixture(scope="session")
def _schema(settings):
    import_all_models()
    platform = create_platform(settings)
    Base.metadata.drop_all(platform.engine)
    Base.metadata.create_all(platform.engine)
    yield platform
    Base.metadata.drop_all(platform.engine)
    platform.dispose()


@pytest.fixture
def platform(_schema):
    yield _schema
    _empty_tables(_schema.engine)


def _empty_tables(engine) -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(t.name for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
            conn.execute(text("DELETE FROM sqlite_sequence")) if _has_sqlite_sequence(conn) else None


def _has_sqlite_sequence(conn) -> bool:
    return conn.execute(text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first() is not None


@pytest.fixture
def nagai(platform):
    """A tenant modelled on 長井市 (062090)."""
    from tests.factories import make_tenant

    return make_tenant(platform, "062090", "長井市")


@pytest.fixture
def hiroshima(platform):
    from tests.factories import make_tenant

    return make_tenant(platform, "341002", "広島市", kind="指定都市")


@pytest.fixture
def clerk(platform, nagai):
    from tests.factories import context

    return context(platform, nagai, "registry_clerk")


@pytest.fixture
def supervisor(platform, nagai):
    from tests.factories import context

    return context(platform, nagai, "registry_supervisor")
