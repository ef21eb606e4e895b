"""``municloud audit verify`` — check every tenant's audit hash chain."""

from __future__ import annotations

from typing import Annotated

import typer

from municloud.cli.common import handle_errors, open_platform, system_context

app = typer.Typer(help="監査ログ（ハッシュチェーン）の検証", no_args_is_help=True)


@app.command()
@handle_errors
def verify(tenant: Annotated[str | None, typer.Option(help="この団体だけを検証（既定：すべて）")] = None) -> None:
    """各団体の監査ログのハッシュチェーンを検証します。

    すべて正常なら終了コード 0。改ざん・削除・挿入・並べ替えを見つけたら、最初の不正な記録の番号・理由コード・説明を表示して終了コード 1 で終わります。
    """
    from municloud.jp.codes import validate_local_government_code
    from municloud.kernel.audit.services import verify_chains
    from municloud.kernel.db import plain_session
    from municloud.kernel.tenants.orm import PLATFORM_SCOPE
    from municloud.kernel.tenants.services import list_tenants

    if tenant is not None and tenant != PLATFORM_SCOPE:
        tenant = validate_local_government_code(tenant)
    with open_platform() as platform:
        operator = system_context(platform, None, "operator")
        names = {t.code: t.name for t in list_tenants(platform.uow(None, read_only=True), operator)}
        names[PLATFORM_SCOPE] = "基盤（運用者）"
        with plain_session(platform) as session:
            reports = verify_chains(session, tenant)
    broken = 0
    for report in reports:
        label = f"{report.tenant_code} {names.get(report.tenant_code, '（未登録の団体）')}"
        if report.ok:
            typer.echo(f"OK    {label}: {report.entries}件 正常")
        else:
            broken += 1
            p = report.problem
            typer.echo(f"NG    {label}: {p.seq}番 [{p.reason_code}] {p.message}（{report.entries}件目まで確認）")
    if not reports:
        typer.echo("検証する監査ログがありません")
    if broken:
        typer.echo(f"エラー: {broken}団体の監査ログに不整合があります [AUDIT_CHAIN_INVALID]", err=True)
        raise typer.Exit(1)
    typer.echo(f"すべての監査ログ（{len(reports)}チェーン）は正常です")
