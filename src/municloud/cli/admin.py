"""``municloud tenant …`` and ``municloud user …`` — municipalities and their users."""

from __future__ import annotations

from typing import Annotated

import typer

from municloud.cli.common import (
    add_row,
    console,
    fail,
    handle_errors,
    open_platform,
    read_password,
    system_context,
    table,
)

tenant_app = typer.Typer(help="団体（テナント）の追加・一覧", no_args_is_help=True)
user_app = typer.Typer(help="利用者の追加・一覧・パスワード・利用停止・団体への結び付け（パスワードは標準入力から）", no_args_is_help=True)


@tenant_app.command("add")
@handle_errors
def tenant_add(
    code: Annotated[str, typer.Argument(help="全国地方公共団体コード（6桁・検査数字つき。例 062090）")],
    name: Annotated[str, typer.Argument(help="団体名（例 長井市）")],
    kind: Annotated[str, typer.Option(help="団体の種類：市・町・村・特別区・指定都市・一部事務組合・広域連合")] = "市",
) -> None:
    """団体を追加します（基盤運用者の操作として監査ログに記録）。"""
    from municloud.kernel.tenants.services import add_tenant

    with open_platform() as platform:
        info = add_tenant(platform.uow(None), system_context(platform, None, "operator"), code, name, kind)
    typer.echo(f"団体を追加しました: {info.code} {info.name}（{info.kind}）")


@tenant_app.command("list")
@handle_errors
def tenant_list() -> None:
    """登録されている団体の一覧。"""
    from municloud.kernel.tenants.services import list_tenants

    with open_platform() as platform:
        tenants = list_tenants(platform.uow(None, read_only=True), system_context(platform, None, "operator"))
    t = table("団体コード", "団体名", "種類", "状態", "登録日時（UTC）", title=f"団体一覧（{len(tenants)}件）")
    for info in tenants:
        add_row(t, info.code, info.name, info.kind, "有効" if info.active else "停止",
                info.created_at.strftime("%Y-%m-%d %H:%M"))
    console().print(t)


@user_app.command("add")
@handle_errors
def user_add(
    username: Annotated[str, typer.Argument(help="利用者名（半角英数字）")],
    tenant: Annotated[str | None, typer.Option(help="所属する団体のコード")] = None,
    role: Annotated[list[str] | None, typer.Option(help="ロール（繰り返し可）: registry_clerk など")] = None,
    display_name: Annotated[str | None, typer.Option(help="表示名（既定：利用者名）")] = None,
    operator: Annotated[bool, typer.Option("--operator", help="基盤運用者として追加（--tenant なし）")] = False,
) -> None:
    """利用者を追加し、ロールを付与します。パスワードは標準入力から読みます（引数では渡せません）。

    端末からは画面に表示せずに2回、パイプからは1行を読みます。その団体の既存の利用者名ならパスワードは変えず、ロールだけを追加します（他の団体の利用者は「user link」で結び付けます）。
    """
    from municloud.kernel.identity.services import add_user

    if operator == (tenant is not None):
        fail("--tenant CODE か --operator のどちらか一方を指定してください", "CLI_USER_SCOPE")
    roles = ["operator"] if operator else list(role or [])
    if not roles:
        fail("--role でロールを1つ以上指定してください", "ROLE_REQUIRED")
    password = read_password()
    with open_platform() as platform:
        ctx = system_context(platform, None, "operator") if operator else system_context(platform, tenant, "tenant_admin")
        info = add_user(platform.uow(None if operator else tenant), ctx, username, password, roles, display_name)
    held = "基盤運用者" if operator else f"{tenant} のロール: {'、'.join(info.tenants.get(tenant, []))}"
    typer.echo(f"利用者を登録しました: {info.username}（{info.display_name}）{held}")


@user_app.command("list")
@handle_errors
def user_list(tenant: Annotated[str, typer.Option(help="団体コード")]) -> None:
    """その団体でロールを持つ利用者の一覧。"""
    from municloud.kernel.identity.services import list_users
    from municloud.kernel.tenants.services import get_tenant

    with open_platform() as platform:
        get_tenant(platform.uow(None), tenant)
        users = list_users(platform.uow(tenant), system_context(platform, tenant, "tenant_admin"))
    t = table("利用者名", "表示名", "ロール", title=f"{tenant} の利用者（{len(users)}人）")
    for info in users:
        add_row(t, info.username, info.display_name, "、".join(info.tenants.get(tenant, [])))
    console().print(t)


@user_app.command("password")
@handle_errors
def user_password(username: Annotated[str, typer.Argument(help="利用者名")]) -> None:
    """利用者のパスワードを設定し直します（運用者の操作。標準入力から読みます）。

    発行済みの API トークンと画面のログインはすべて無効になります。取り込んだ団体の利用者（パスワードなし）にもこれで設定します。
    """
    from municloud.kernel.identity.accounts import reset_password

    password = read_password("新しいパスワード: ")
    with open_platform() as platform:
        info = reset_password(platform.uow(None), system_context(platform, None, "operator"), username, password)
    typer.echo(f"パスワードを設定しました: {info.username}（発行済みのトークンとログインは無効になりました）")


@user_app.command("deactivate")
@handle_errors
def user_deactivate(
    username: Annotated[str, typer.Argument(help="利用者名")],
    tenant: Annotated[str | None, typer.Option(help="この団体のロールだけを終える（既定：アカウントを停止）")] = None,
) -> None:
    """利用者の利用を停止します。--tenant を付けるとその団体のロールだけを終えます（ほかに所属がなければアカウントも停止）。"""
    from municloud.kernel.identity.accounts import deactivate_user

    with open_platform() as platform:
        ctx = system_context(platform, tenant, "tenant_admin") if tenant else system_context(platform, None, "operator")
        deactivate_user(platform.uow(tenant), ctx, username)
    where = f"団体 {tenant} のロールを終えました" if tenant else "アカウントを停止しました（発行済みのトークンとログインは無効）"
    typer.echo(f"利用を停止しました: {username}（{where}）")


@user_app.command("link")
@handle_errors
def user_link(
    username: Annotated[str, typer.Argument(help="既存の利用者名")],
    tenant: Annotated[str, typer.Option(help="結び付ける団体のコード")],
    role: Annotated[list[str], typer.Option(help="その団体で付与するロール（繰り返し可）")],
) -> None:
    """既存の利用者を別の団体にも結び付けます（運用者の操作。関係するすべての団体と基盤の監査ログに記録）。

    同じ人が複数の団体の仕事をするときに使います。団体管理者の「利用者の追加」では、他の団体の利用者名は使えません。
    """
    from municloud.kernel.identity.accounts import link_user

    with open_platform() as platform:
        info = link_user(platform.uow(tenant), system_context(platform, None, "operator"), username, list(role))
    typer.echo(f"結び付けました: {info.username} → {tenant} のロール: {'、'.join(info.tenants.get(tenant, []))}")
