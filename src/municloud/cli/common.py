"""What every command shares: the platform, the CLI's system context, errors, output."""

from __future__ import annotations

import functools
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import OperationalError, ProgrammingError

from municloud.errors import MuniError, ValidationError

F = TypeVar("F", bound=Callable[..., Any])
NOT_INITIALISED = "データベースが初期化されていません。先に「municloud db upgrade」を実行してください"


def console() -> Console:
    """A console on the current stdout (tests swap sys.stdout, so never cache one)."""
    interactive = sys.stdout.isatty()
    # piped or captured output is not cut to 80 columns: passwords must stay on one line
    return Console(file=sys.stdout, highlight=False, soft_wrap=False, width=None if interactive else 200)


def fail(message: str, code: str) -> NoReturn:
    typer.echo(f"エラー: {message} [{code}]", err=True)
    raise typer.Exit(1)


def tenant_code(code: str) -> str:
    """A ``--tenant`` option: a valid 団体コード (check digit included), or the error."""
    from municloud.jp.codes import validate_local_government_code

    return validate_local_government_code(code)


def fail_with_report(exc: Any, report: Any, default: str, line: Callable[[Any], str]) -> NoReturn:
    """A refused file (``exc.problems``): every problem written to *report* (or *default*),
    the first ten printed with *line*, then :func:`fail`."""
    from pathlib import Path

    from municloud.interchange.importer import write_report

    path = report or Path(default)
    write_report(exc.problems, path)
    for p in exc.problems[:10]:
        typer.echo(line(p), err=True)
    fail(f"{exc.message} 一覧：{path}", exc.code)


def _missing_table(exc: Exception) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def handle_errors(fn: F) -> F:
    """Map expected errors to a Japanese message + ``[CODE]`` on stderr and exit 1."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except MuniError as exc:
            for name, message in exc.fields.items():
                typer.echo(f"  {name}: {message}", err=True)
            fail(exc.message, exc.code)
        except (OperationalError, ProgrammingError) as exc:
            if _missing_table(exc):
                fail(NOT_INITIALISED, "DB_NOT_INITIALISED")
            if isinstance(exc, OperationalError):
                fail(f"データベースを使えません（{getattr(exc, 'orig', exc)}）", "DB_UNAVAILABLE")
            raise

    return wrapper  # type: ignore[return-value]


@contextmanager
def open_platform() -> Iterator[Any]:
    """The platform built from the environment's settings, disposed afterwards."""
    from municloud.bootstrap import create_platform
    from municloud.config import load_settings

    platform = create_platform(load_settings())
    try:
        yield platform
    finally:
        platform.dispose()


def cli_actor() -> str:
    """Who acts: the operating-system user at the terminal (recorded in the audit log)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in this environment
        user = "unknown"
    return f"cli:{user}"[:64]


def system_context(platform: Any, tenant_code: str | None, *roles: str) -> Any:
    """The CLI acts with the roles its command needs: whoever can run it holds the database."""
    from municloud.kernel.context import Context

    perms = platform.catalog.permissions_of(frozenset(roles))
    return Context.system(tenant_code, perms, actor=cli_actor(), roles=frozenset(roles), terminal="cli", place="CLI")


def parse_day(value: str, label: str) -> date:
    from municloud.jp.wareki import parse_date

    try:
        return parse_date(value)
    except ValidationError as exc:
        raise ValidationError(exc.code, f"{label}：{exc.message}") from None


def read_password(prompt: str = "パスワード: ") -> str:
    """The password from the terminal (hidden) or, when stdin is not a terminal, its first line."""
    if sys.stdin is not None and sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("もう一度: ") != first:
            raise ValidationError("PASSWORD_MISMATCH", "2回入力したパスワードが一致しません")
        return first
    line = sys.stdin.readline() if sys.stdin is not None else ""
    password = line.rstrip("\r\n")
    if not password:
        raise ValidationError("PASSWORD_REQUIRED", "パスワードを標準入力から1行で与えてください")
    return password


def table(*columns: str, title: str | None = None) -> Table:
    t = Table(title=title, show_lines=False, header_style="bold")
    for column in columns:
        t.add_column(column, overflow="fold")
    return t


def add_row(t: Table, *values: object) -> None:
    """Add a row of plain text (never Rich markup: "[校区]" stays as typed)."""
    t.add_row(*(Text("" if v is None else str(v)) for v in values))
