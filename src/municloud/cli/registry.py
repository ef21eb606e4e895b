"""``municloud registry daily`` — the resident registry's daily job (日次処理).

Run it once a day, shortly after midnight (docs/operations.md has a cron line and a systemd
timer): every 転出予定 whose 予定日 has come is carried out — the persons become 除票 on
their 予定日 and the other modules (印鑑登録 …) see it then.  Idempotent: running it twice,
or after missed days, is safe.  Without ``--tenant`` it runs for every active tenant.
Exit code 1 when a 転出予定 could not be carried out (listed; the others are done).
"""

from __future__ import annotations

from typing import Annotated

import typer

from municloud.cli.common import (
    add_row,
    console,
    handle_errors,
    open_platform,
    parse_day,
    system_context,
    table,
)

app = typer.Typer(help="住民記録：日次処理（転出予定日が到来した方の除票）", no_args_is_help=True)


@app.command("daily")
@handle_errors
def daily_command(
    tenant: Annotated[str | None, typer.Option(help="団体コード（省略時はすべての有効な団体）")] = None,
    on: Annotated[str | None, typer.Option(help="基準日（既定：今日。過ぎた日も可、未来は不可）")] = None,
) -> None:
    """転出予定日が基準日以前の転出予定を除票にします（何度実行しても同じ結果）。"""
    from municloud.jp.codes import validate_local_government_code
    from municloud.kernel.tenants.services import list_tenants
    from municloud.modules.registry.services.daily import apply_due_moves

    day = parse_day(on, "基準日") if on else None
    with open_platform() as platform:
        if tenant:
            codes = [validate_local_government_code(tenant)]
        else:
            operator = system_context(platform, None, "operator")
            codes = [t.code for t in list_tenants(platform.uow(None, read_only=True), operator) if t.active]
        reports = [apply_due_moves(platform.uow(code), system_context(platform, code, "registry_supervisor"), day)
                   for code in codes]
    # Numbers of notifications and counts only: this output is meant for a job's log file,
    # an ordinary log — who was removed is in the audit chain (registry:daily:run).
    t = table("団体コード", "基準日", "転出予定の異動番号", "除票にした異動番号", "転出予定日", "人数／理由のコード",
              title="日次処理（転出予定日の到来による除票）")
    failed = 0
    for report in reports:
        for c in report.carried_out:
            add_row(t, report.tenant_code, report.on.isoformat(), c.planned_id, c.notification_id, c.due_on.isoformat(),
                    f"{len(c.atena_nos)}人")
        for f in report.failed:
            failed += 1
            add_row(t, report.tenant_code, report.on.isoformat(), f.planned_id, "（できませんでした）",
                    f.due_on.isoformat(), f"{f.code}（詳細は画面の異動番号 {f.planned_id}）")
    console().print(t)
    done = sum(len(r.carried_out) for r in reports)
    typer.echo(f"{len(reports)}団体：{done}件の転出予定を除票にしました" + (f"、{failed}件はできませんでした" if failed else ""))
    if failed:
        raise typer.Exit(1)


from municloud.cli import towns as _towns  # noqa: E402 (municloud registry towns …)

app.add_typer(_towns.app, name="towns")
