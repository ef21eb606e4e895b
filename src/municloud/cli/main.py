"""The root of the ``municloud`` command: serve, db, tenant, user, param, audit, demo."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from municloud.cli import admin, audit, db, interchange, legacy, params, registry, tax
from municloud.cli.common import add_row, console, fail, handle_errors, open_platform, table
from municloud.demo import DEFAULT_SEED

app = typer.Typer(
    name="municloud",
    help="municloud — 自治体の基幹業務を複数団体で共同利用するためのプラットフォーム",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(admin.tenant_app, name="tenant")
app.add_typer(admin.user_app, name="user")
app.add_typer(params.app, name="param")
app.add_typer(audit.app, name="audit")
app.add_typer(legacy.migrate_app, name="migrate")
app.add_typer(tax.app, name="tax")
app.add_typer(registry.app, name="registry")
app.command("export-cp932")(legacy.export_cp932)
app.command("export")(interchange.export_command)
app.command("import")(interchange.import_command)


@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="待ち受けるアドレス")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="待ち受けるポート")] = 8000,
) -> None:
    """Web 画面と JSON API（/docs）を起動します。"""
    import uvicorn

    from municloud.config import load_settings, with_instance_secret

    with_instance_secret(load_settings())  # refuse bad settings (and make the key) before the server starts
    try:
        import municloud.web.app  # noqa: F401  (the web app is imported only when serving)
    except ImportError as exc:
        fail(f"Web アプリケーションを読み込めません（{exc}）", "CLI_WEB_UNAVAILABLE")
    typer.echo(f"http://{host}:{port}/ で待ち受けます（Ctrl-C で終了）")
    # uvicorn's own access log prints query strings (search words are personal data):
    # it is off, and municloud.access logs each request without them (web/errors.py).
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    # proxy_headers=False: uvicorn would otherwise take X-Forwarded-For from 127.0.0.1 as the
    # client; the address is resolved once, from MUNICLOUD_TRUSTED_PROXIES (web/deps.py).
    uvicorn.run("municloud.web.app:create_app", factory=True, host=host, port=port, access_log=False,
                proxy_headers=False)


@app.command()
@handle_errors
def demo(
    scale: Annotated[float, typer.Option(help="人口の倍率（3団体すべてに掛かる。20 で広島市が約100万人）")] = 1.0,
    seed: Annotated[int, typer.Option(help="乱数の種（同じ種と倍率なら同じデータ）")] = DEFAULT_SEED,
) -> None:
    """デモ用の3団体（笠置町・長井市・広島市）と住民・異動・支援措置・利用者を作成します。

    倍率 1.0 で笠置町 1,800人・長井市 28,000人・広島市 50,000人（--scale 20 で広島市は約100万人）。同じ種と倍率なら毎回同じデータになります。

    デモ用の団体がすでにあるデータベースでは実行できません。最後にデモ利用者とパスワードを表示します。
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from municloud.demo.seed import run_demo

    out = console()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with open_platform() as platform, Progress(*columns, console=out, transient=False) as bar:

        def progress(label: str, total: int):
            task = bar.add_task(f"住民の一括登録 {label}", total=total)
            return lambda n: bar.advance(task, n)

        result = run_demo(platform, scale=scale, seed=seed, progress=progress)
    t = table("団体コード", "団体名", "種類", "住民", "世帯", "一括登録（秒）", "首長（架空）", title="デモ団体")
    for tenant in result.tenants:
        add_row(t, tenant.code, tenant.name, tenant.kind, f"{tenant.residents:,}", f"{tenant.households:,}",
                f"{tenant.load_seconds:.1f}", tenant.mayor)
    out.print(t)
    for tenant in result.tenants:
        out.print(f"{tenant.name}の異動・支援措置:", highlight=False)
        for line in tenant.notifications:
            out.print(f"  ・{line}", markup=False, highlight=False)
        if tenant.tax is not None:
            s = tenant.tax
            out.print(f"  ・令和8年度 個人住民税の当初賦課：{s.taxpayers:,}人（課税 {s.taxed:,}人・"
                      f"年税額の合計 {s.total_tax:,}円）", markup=False, highlight=False)
    users = table("利用者名", "団体", "ロール", "パスワード", title="デモ利用者（デモ専用のパスワードです）")
    for user in result.users:
        add_row(users, user.username, f"{user.tenant_code or ''} {user.tenant_name}".strip(), user.role, user.password)
    out.print(users)
    clients = table("client_id", "団体", "client_secret", title="デモ用 API クライアント（grant_type=client_credentials）")
    for client in result.clients:
        add_row(clients, client.client_id, f"{client.tenant_code} {client.tenant_name}", client.secret)
    out.print(clients)
    if result.clients:
        out.print(f"API クライアントの権限：{'、'.join(result.clients[0].scopes)}（README の JSON API の例を参照）",
                  markup=False)
    out.print(f"完了しました（{result.seconds:.1f}秒）。municloud serve で起動し、上の利用者でログインできます。", markup=False)
