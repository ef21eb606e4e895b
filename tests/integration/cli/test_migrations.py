"""The packaged Alembic migrations build exactly the schema the ORM metadata describes."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from municloud.bootstrap import import_all_models
from municloud.kernel.db import Base
from municloud.migrations import MIGRATIONS_DIR, alembic_config, schema_state, upgrade
from tests.integration.cli.support import create_database, drop_database


def _differences(url: str) -> list:
    import_all_models()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_upgrading_an_empty_database_to_head_matches_the_metadata_exactly(tmp_path):
    url = create_database("municloud_migr", tmp_path)
    try:
        upgrade(url)
        assert _differences(url) == []
        state = schema_state(url)
        assert state.up_to_date and len(state.heads) == 1 and state.current == state.heads  # one line of revisions
    finally:
        drop_database(url)


def test_downgrade_to_base_removes_every_table_and_upgrade_rebuilds_them(tmp_path):
    from alembic import command

    url = create_database("municloud_migr", tmp_path)
    try:
        upgrade(url)
        command.downgrade(alembic_config(url), "base")
        engine = create_engine(url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        upgrade(url)
        assert _differences(url) == []
    finally:
        drop_database(url)


def test_the_migrations_ship_inside_the_package_with_a_url_containing_percent_signs():
    assert (MIGRATIONS_DIR / "env.py").is_file() and (MIGRATIONS_DIR / "versions" / "__init__.py").is_file()
    config = alembic_config("postgresql+psycopg://u:p%40ss@localhost/db")
    assert config.get_main_option("sqlalchemy.url") == "postgresql+psycopg://u:p%40ss@localhost/db"
