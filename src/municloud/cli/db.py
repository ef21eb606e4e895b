"""``municloud db upgrade|current`` — the schema, through the packaged Alembic migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from municloud.cli.common import handle_errors

app = typer.Typer(help="データベースの作成・更新（Alembic マイグレーション）", no_args_is_help=True)


def _url() -> str:
    from municloud.config import load_settings

    return load_settings().database_url


def _safe(url: str) -> str:
    """The URL without its password, for printing."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@app.command()
@handle_errors
def upgrade(
    revision: Annotated[str, typer.Option(help="適用先のリビジョン（既定：最新）")] = "head",
) -> None:
    """スキーマを最新（または指定のリビジョン）まで更新します。空のデータベースなら作成します。"""
    from municloud.migrations import schema_state
    from municloud.migrations import upgrade as run_upgrade

    url = _url()
    run_upgrade(url, revision)
    state = schema_state(url)
    typer.echo(f"データベースを更新しました: {_safe(url)}（リビジョン {', '.join(state.current) or 'なし'}）")


@app.command()
@handle_errors
def current() -> None:
    """データベースの現在のリビジョンと、このプログラムの最新リビジョンを表示します。"""
    from municloud.migrations import schema_state

    url = _url()
    state = schema_state(url)
    typer.echo(f"データベース: {_safe(url)}")
    typer.echo(f"現在のリビジョン: {', '.join(state.current) or 'なし（未作成）'}")
    typer.echo(f"最新のリビジョン: {', '.join(state.heads)}")
    typer.echo("最新です" if state.up_to_date else "更新が必要です（municloud db upgrade）")
