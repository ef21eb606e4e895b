"""Alembic environment: the metadata of every installed module, one engine per run.

Run through :mod:`municloud.migrations` (``municloud db upgrade``); the URL comes from the
configuration built there, or from the settings when Alembic is driven some other way.
SQLite cannot ALTER most things, so autogenerate renders batch operations there
(``render_as_batch``), and migrations connect without the application's
``PRAGMA foreign_keys=ON`` (a batch operation recreates tables, which enforced foreign
keys would break).
"""

from __future__ import annotations

from pathlib import Path

from alembic import context
from sqlalchemy import create_engine, pool

from municloud.bootstrap import import_all_models
from municloud.kernel.db import Base

config = context.config
import_all_models()
target_metadata = Base.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        from municloud.config import load_settings

        url = load_settings().database_url
    return url


def _options(url: str) -> dict:
    return {
        "target_metadata": target_metadata,
        "render_as_batch": url.startswith("sqlite"),
        "compare_type": True,
        "compare_server_default": True,
    }


def run_migrations_offline() -> None:
    url = _url()
    context.configure(url=url, literal_binds=True, dialect_opts={"paramstyle": "named"}, **_options(url))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    url = _url()
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, **_options(url))
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
