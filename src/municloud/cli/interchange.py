"""``municloud export`` / ``municloud import`` — the standard layout (docs/standard-layout.md)."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from municloud.cli.common import console, fail, handle_errors, open_platform, system_context


@contextmanager
def _bar(label: str, totals: dict[str, int] | None = None):
    """One line per file: rows done (of the manifest's count, on import) and time."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    totals = totals or {}
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed:,}行"),
               TimeElapsedColumn())
    with Progress(*columns, console=console(), transient=False) as bar:
        tasks: dict[str, int] = {}

        def progress(file: str, rows: int) -> None:
            if file not in tasks:
                tasks[file] = bar.add_task(f"{label} {file}", total=totals.get(file))
            bar.update(tasks[file], completed=rows)

        yield progress


@handle_errors
def export_command(
    tenant: Annotated[str, typer.Option(help="書き出す団体の団体コード")],
    out: Annotated[Path, typer.Option(help="書き出し先のディレクトリ")],
) -> None:
    """団体の全データを標準レイアウト（CSV＋manifest.json）で書き出します。監査ログに記録します。"""
    from municloud.interchange.exporter import export_tenant
    from municloud.jp.codes import validate_local_government_code

    tenant = validate_local_government_code(tenant)
    with open_platform() as platform, _bar("書き出し") as progress:
        ctx = system_context(platform, tenant)
        result = export_tenant(platform, tenant, out, actor_ctx=ctx, progress=progress)
    rows = sum(f["rows"] for f in result.files.values())
    typer.echo(f"{len(result.files)}ファイル・{rows:,}行を {out} に書き出しました（manifest.json）")


@handle_errors
def import_command(
    directory: Annotated[Path, typer.Argument(help="書き出したディレクトリ（manifest.json のある所）")],
    tenant: Annotated[str, typer.Option(help="取り込み先の団体コード。団体は取り込みが manifest.json から作成します"
                                              "（`municloud tenant add` で先に作成しないでください）")],
    report: Annotated[Path | None, typer.Option(help="問題の一覧を書くディレクトリ（既定：取り込み元）")] = None,
) -> None:
    """標準レイアウトのデータを取り込みます。すべてを検査し、問題があれば何も書き込みません。

    団体は取り込みが manifest.json（団体名・種類）から作成します。`municloud tenant add` で先に作成した団体には
    取り込めません（作成の記録で監査ログが始まっており、移行元の監査ログを 1 番から引き継げないため。
    IMPORT_TENANT_CREATED_BEFOREHAND）。取り込んだ利用者はパスワードなしで作成され、管理者が設定するまでログインできません。
    """
    from municloud.interchange.importer import import_tenant
    from municloud.jp.codes import validate_local_government_code
    from municloud.kernel.tenants.orm import PLATFORM_SCOPE

    tenant = validate_local_government_code(tenant)
    report_path = report / "import-report.csv" if report else None
    try:
        files = json.loads((directory / "manifest.json").read_text(encoding="utf-8")).get("files") or {}
        totals = {name: int(info.get("rows") or 0) for name, info in files.items()}
    except (OSError, ValueError, AttributeError):
        totals = {}  # the checks report an unreadable manifest
    with open_platform() as platform, _bar("取り込み", totals) as progress:
        ctx = system_context(platform, PLATFORM_SCOPE)
        result = import_tenant(platform, tenant, directory, ctx=ctx, report=report_path, progress=progress)
    if not result.ok:
        typer.echo(f"{len(result.problems)}件の問題があるため、何も取り込みませんでした。一覧: {result.report}", err=True)
        for p in [p for p in result.problems if p.row == 0][:5]:  # about the target or a whole file: shown here too
            typer.echo(f"  {p.file or '取り込み先'}: {p.reason}（{p.code}）", err=True)
        fail("取り込めません", "IMPORT_REFUSED")
    typer.echo(f"{sum(result.rows.values()):,}行を団体 {tenant} に取り込みました")
    if result.created_users:
        typer.echo(f"利用者 {len(result.created_users)}人をパスワードなしで作成しました。"
                   "管理者がパスワードを設定するまでログインできません: " + ", ".join(result.created_users))
