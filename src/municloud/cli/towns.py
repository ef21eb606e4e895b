"""``municloud registry towns load|list`` — the tenant's 住所マスター (町字).

``load`` replaces the master with a CSV in the アドレス・ベース・レジストリ 町字 layout
(columns in docs/address-master.md): every row is checked first; one problem and nothing
is loaded (each problem printed with its line, and all of them written to a report CSV).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from municloud.cli.common import (
    add_row,
    console,
    fail_with_report,
    handle_errors,
    open_platform,
    parse_day,
    system_context,
    table,
    tenant_code,
)

app = typer.Typer(help="住所マスター（町字）の取込みと表示", no_args_is_help=True)


@app.command("load")
@handle_errors
def load_command(
    tenant: Annotated[str, typer.Option(help="団体コード")],
    file: Annotated[Path, typer.Argument(help="町字のファイル（CSV、UTF-8、アドレス・ベース・レジストリの町字の列名）",
                                         exists=True, dir_okay=False, readable=True)],
    report: Annotated[Path | None, typer.Option(help="問題の一覧（CSV）の書き出し先（既定：towns-report.csv）")] = None,
) -> None:
    """住所マスターをファイルの内容で置き換えます（問題が1件でもあれば何も変えません）。"""
    from municloud.modules.registry.services.towns import load_towns
    from municloud.modules.registry.towns.layout import TownsRefused

    code = tenant_code(tenant)
    with open_platform() as platform:
        ctx = system_context(platform, code, "tenant_admin")
        try:
            done = load_towns(platform.uow(code), ctx, file.read_bytes(), file.name)
        except TownsRefused as exc:
            fail_with_report(exc, report, "towns-report.csv", lambda p: f"  {p.row}行目 {p.column}：{p.reason}（{p.code}）")
    typer.echo(f"町字 {done.rows:,}件を取り込みました（今日有効なもの {done.in_force:,}件、置き換えた前の町字 "
               f"{done.replaced:,}件、SHA-256 {done.sha256}）")


@app.command("list")
@handle_errors
def list_command(
    tenant: Annotated[str, typer.Option(help="団体コード")],
    q: Annotated[str | None, typer.Option(help="町字の名前またはフリガナの一部")] = None,
    on: Annotated[str | None, typer.Option(help="基準日（既定：今日。西暦・和暦）")] = None,
    all_periods: Annotated[bool, typer.Option("--all", help="廃止・改称前の町字も表示する")] = False,
) -> None:
    """住所マスターの町字を表示します。"""
    from municloud.modules.registry.services.towns import MAX_TOWNS, list_towns

    code = tenant_code(tenant)
    day = parse_day(on, "基準日") if on else None
    with open_platform() as platform:
        ctx = system_context(platform, code, "tenant_admin")
        towns = list_towns(platform.uow(code), ctx, q, day, include_ended=all_periods, limit=MAX_TOWNS)
    t = table("町字ID", "町字", "フリガナ", "郵便番号", "付加情報", "効力発生日", "廃止日", title="住所マスター（町字）")
    for town in towns:
        add_row(t, town.machiaza_id, town.name, town.kana, town.postal_code or "",
                "、".join(f"{k}：{v}" for k, v in town.attributes.items()),
                town.valid_from.isoformat() if town.valid_from else "", town.valid_to.isoformat() if town.valid_to else "")
    console().print(t)
    typer.echo(f"{len(towns)}件")
