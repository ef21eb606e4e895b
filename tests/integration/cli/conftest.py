"""Fixtures of the CLI tests: a fresh empty database per test and the ``cli`` runner.

The commands run for real with ``MUNICLOUD_DATABASE_URL`` pointing at that database.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.cli.support import Cli, cli_env, create_database, drop_database


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> Iterator[str]:
    url = create_database("municloud_cli", tmp_path)
    cli_env(monkeypatch, url)
    yield url
    drop_database(url)


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def migrated(db_url, cli) -> str:
    result = cli("db", "upgrade")
    assert result.exit_code == 0, result.output
    return db_url
