"""``municloud param show|set`` — a tenant's parameters (national default or its override)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from municloud.cli.common import (
    add_row,
    console,
    fail,
    handle_errors,
    open_platform,
    parse_day,
    system_context,
    table,
)

app = typer.Typer(help="団体パラメータの表示・上書き（適用日・理由つき）", no_args_is_help=True)


def _show(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


@app.command()
@handle_errors
def show(
    key: Annotated[str, typer.Argument(help="パラメータ名（例 registry.certificate.fee）")],
    tenant: Annotated[str, typer.Option(help="団体コード")],
    on: Annotated[str | None, typer.Option(help="基準日（西暦・和暦。既定：今日）")] = None,
) -> None:
    """その日に適用される値と、その出どころ（国の既定値／団体の上書き）を表示します。"""
    from municloud.kernel.tenants.services import get_tenant

    day = parse_day(on, "基準日") if on else None
    with open_platform() as platform:
        get_tenant(platform.uow(None), tenant)
        uow = platform.uow(tenant)
        with uow:
            value = uow.params.explain(key, day)
    t = table("項目", "内容", title=f"{tenant} のパラメータ {key}")
    add_row(t, "値", _show(value.value))
    add_row(t, "出どころ", "団体の上書き" if value.source == "tenant" else "国の既定値")
    add_row(t, "適用開始日", value.effective_from)
    if value.source == "tenant":
        add_row(t, "上書きの理由", value.reason)
        add_row(t, "設定者", value.set_by)
    add_row(t, "説明", value.description)
    add_row(t, "単位", value.unit)
    add_row(t, "根拠", value.reference)
    console().print(t)


@app.command("set")
@handle_errors
def set_(
    key: Annotated[str, typer.Argument(help="パラメータ名")],
    tenant: Annotated[str, typer.Option(help="団体コード")],
    from_: Annotated[str, typer.Option("--from", help="適用開始日（西暦・和暦）")],
    value: Annotated[str, typer.Option(help='値（JSON。例 300, "大字", ["校区"], true）')],
    reason: Annotated[str, typer.Option(help="国の既定値と異なる値にする理由")],
) -> None:
    """団体の値を、適用開始日と理由をつけて設定します（監査ログに記録）。"""
    from municloud.kernel.parameters.services import set_override
    from municloud.kernel.tenants.services import get_tenant

    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        fail(f'値は JSON で入力してください（文字列は "大字" のように二重引用符で囲みます）：{value}', "CLI_VALUE_NOT_JSON")
    day = parse_day(from_, "適用開始日")
    with open_platform() as platform:
        get_tenant(platform.uow(None), tenant)
        result = set_override(platform.uow(tenant), system_context(platform, tenant, "tenant_admin"), key, day, parsed, reason)
    typer.echo(f"{tenant} の {key} を {_show(result.value)} に設定しました（{result.effective_from} から・理由：{result.reason}）")
