"""Alembic migrations of the municloud schema, shipped inside the package.

Departure from DESIGN.md, which draws ``migrations/`` at the top of the repository: the
migration environment lives here, in ``municloud/migrations/`` (``env.py``,
``script.py.mako``, ``versions/``), so that ``municloud db upgrade`` works from an
installed package (a wheel has no repository root), and nothing needs an ``alembic.ini``:
:func:`alembic_config` builds the configuration in code, with the database URL from the
settings (``MUNICLOUD_DATABASE_URL``).

New revision (developers)::

    .venv/bin/python -c "from municloud.migrations import revision; revision('what changed')"

autogenerates against the database named by ``MUNICLOUD_DATABASE_URL`` (upgrade it to
head first) into ``versions/``; read the result before committing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    """An Alembic configuration for *database_url*, without any ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    # configparser interpolation: a literal % (e.g. URL-encoded passwords) must be doubled
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def revision(message: str, database_url: str | None = None, rev_id: str | None = None) -> None:
    """Autogenerate a new revision against *database_url* (default: the settings')."""
    if database_url is None:
        from municloud.config import load_settings

        database_url = load_settings().database_url
    command.revision(alembic_config(database_url), message=message, autogenerate=True, rev_id=rev_id)


@dataclass(frozen=True)
class SchemaState:
    current: tuple[str, ...]  # revisions applied to the database (empty: none)
    heads: tuple[str, ...]  # newest revisions shipped with this code

    @property
    def up_to_date(self) -> bool:
        return set(self.current) == set(self.heads)


def schema_state(database_url: str) -> SchemaState:
    """Which revision the database is at, and which is the newest shipped."""
    script = ScriptDirectory.from_config(alembic_config(database_url))
    heads = tuple(sorted(script.get_heads()))
    if database_url.startswith("sqlite") and not _sqlite_file_exists(database_url):
        return SchemaState((), heads)
    engine = create_engine(database_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_heads()
    finally:
        engine.dispose()
    return SchemaState(tuple(sorted(current)), heads)


def _sqlite_file_exists(database_url: str) -> bool:
    path = database_url.split("///", 1)[-1]
    return not path or path == ":memory:" or Path(path).exists()
