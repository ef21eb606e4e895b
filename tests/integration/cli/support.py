"""Helpers of the CLI tests: throw-away databases and a runner for the ``municloud`` command.

A database is a SQLite file, or a new database on the PostgreSQL server named by
``MUNICLOUD_TEST_DATABASE_URL`` (created through an autocommit connection, dropped with
``WITH (FORCE)``) — never the session-wide schema of ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from municloud.cli.main import app

PG_URL = os.environ.get("MUNICLOUD_TEST_DATABASE_URL")


def _admin_engine():
    return create_engine(PG_URL, isolation_level="AUTOCOMMIT")


def create_database(prefix: str, tmp_path) -> str:
    """A URL of a new empty database (SQLite file under *tmp_path* or a PostgreSQL database)."""
    if not PG_URL:
        return f"sqlite:///{tmp_path / (prefix + '.db')}"
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(PG_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    if not PG_URL:
        return
    engine = _admin_engine()
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    engine.dispose()


def cli_env(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("MUNICLOUD_DATABASE_URL", url)
    monkeypatch.setenv("MUNICLOUD_MODE", "test")  # cheap argon2 parameters; still argon2id
    monkeypatch.setenv("MUNICLOUD_SECRET_KEY", "test-secret-key-for-the-cli-tests")


class Cli:
    """``cli("tenant", "list")`` → click Result; an unexpected exception fails the test."""

    def __init__(self) -> None:
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        result = self.runner.invoke(app, list(args), input=input)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert "Traceback" not in result.output
        return result
