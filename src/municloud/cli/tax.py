"""``municloud tax calc|import|assess|show`` — the individual resident tax (個人住民税).

``--year`` is always the 年度 (2026 = 令和8年度, taxing the income of 2025)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from municloud.cli.common import (
    add_row,
    console,
    fail,
    fail_with_report,
    handle_errors,
    open_platform,
    system_context,
    table,
    tenant_code,
)

app = typer.Typer(help="個人住民税：試算・課税資料の取込み・一括賦課と更正・結果の表示（--year は年度）",
                  no_args_is_help=True)

YEAR_HELP = "年度（2026 = 令和8年度。前年の所得に課税）"


@app.command("calc")
@handle_errors
def calc_command(
    year: Annotated[int, typer.Option(help=YEAR_HELP)],
    json_file: Annotated[Path, typer.Option("--json", help="1人分の入力（JSON。- で標準入力）。項目は docs/tax.md")],
    tenant: Annotated[str | None, typer.Option(help="この団体のパラメータで計算（省略時は標準税率・1級地）")] = None,
) -> None:
    """1人分の税額を試算します（データは読み書きしません）。すべての計算過程を JSON で出力します。"""
    from municloud.modules.tax.services.trial import calculate

    try:
        text = sys.stdin.read() if str(json_file) == "-" else json_file.read_text(encoding="utf-8")
        data = json.loads(text)
    except OSError as exc:
        fail(f"入力ファイルを読めません：{exc}", "CLI_FILE_UNREADABLE")
    except ValueError as exc:
        fail(f"入力が JSON ではありません：{exc}", "TAX_INPUT_NOT_JSON")
    with open_platform() as platform:
        if tenant:
            with platform.uow(tenant_code(tenant), read_only=True) as uow:
                figures, rules = calculate(platform, year, data, uow=uow)
        else:
            figures, rules = calculate(platform, year, data)
    out = {"year": year, "income_year": rules.income_year, **figures,
           "parameters": rules.trace_parameters()}
    typer.echo(json.dumps(out, ensure_ascii=False, indent=2))


@app.command("import")
@handle_errors
def import_command(
    tenant: Annotated[str, typer.Option(help="団体コード")],
    year: Annotated[int, typer.Option(help=YEAR_HELP)],
    inputs: Annotated[Path, typer.Argument(help="課税資料ファイル（CSV、UTF-8。様式は docs/tax.md）")],
    relatives: Annotated[Path | None, typer.Option(help="配偶者・扶養親族のファイル（CSV）")] = None,
    report: Annotated[Path | None, typer.Option(help="問題の一覧（CSV）の書き出し先（既定：tax-import-report.csv）")] = None,
) -> None:
    """課税資料を取り込みます。すべての行を検査し、問題が1件でもあれば何も取り込まず一覧を書き出します。"""
    from municloud.modules.tax.services.inputs import InputImportRefused, import_inputs

    tenant = tenant_code(tenant)
    with open_platform() as platform:
        ctx = system_context(platform, tenant, "tax_officer")
        try:
            summary = import_inputs(platform.uow(tenant), ctx, year, inputs, relatives)
        except InputImportRefused as exc:
            fail_with_report(exc, report, "tax-import-report.csv", lambda p: f"  {p.file} {p.row}行 {p.column}：{p.reason}")
    typer.echo(f"{year} 年度の課税資料 {summary.persons:,}人分（親族 {summary.relatives:,}件）を取り込みました"
               f"（うち {summary.replaced:,}人は前の課税資料を置き換え）")


@app.command("assess")
@handle_errors
def assess_command(
    tenant: Annotated[str, typer.Option(help="団体コード")],
    year: Annotated[int, typer.Option(help=YEAR_HELP)],
    reason: Annotated[str | None, typer.Option(help="更正の理由（2回目以降の賦課には必須）")] = None,
    atena: Annotated[list[str] | None, typer.Option(help="この宛名番号の人だけ更正する（繰り返し指定可）")] = None,
) -> None:
    """賦課期日（1月1日）の住民全員の税額を一括で計算し、結果を公開します。

    1つのトランザクションで行うため、中断（Ctrl-C）しても途中までの結果は残りません。2回目以降は更正として、
    税額などが変わった人の結果だけを新しい版として追加します（前の結果は残ります）。
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from municloud.modules.tax.services.assessment import assess

    tenant = tenant_code(tenant)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with open_platform() as platform, Progress(*columns, console=console(), transient=False) as bar:
        ctx = system_context(platform, tenant, "tax_supervisor")
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or 1)
            bar.update(tasks[stage], completed=done, total=total or 1)

        try:
            s = assess(platform.uow(tenant), ctx, year, reason=reason, atena_nos=atena or None, progress=progress)
        except KeyboardInterrupt:
            fail("中断しました。結果は何も書き込まれていません", "TAX_ASSESSMENT_INTERRUPTED")
    t = table("項目", "値", title=f"{year} 年度の{'当初賦課' if s.kind == 'assessment' else '更正'}（処理番号 {s.run_no}）")
    add_row(t, "計算した人数", f"{s.taxpayers:,}")
    add_row(t, "書いた結果（新規・変更）", f"{s.written:,}")
    add_row(t, "課税取消し", f"{s.withdrawn:,}")
    add_row(t, "課税される人", f"{s.taxed:,}")
    add_row(t, "年税額の合計", f"{s.total_tax:,} 円")
    if s.inputs_without_taxpayer:
        add_row(t, "賦課期日に住民でない人の課税資料（使わず）", f"{s.inputs_without_taxpayer:,}")
    console().print(t)


@app.command("show")
@handle_errors
def show_command(
    tenant: Annotated[str, typer.Option(help="団体コード")],
    year: Annotated[int, typer.Option(help=YEAR_HELP)],
    atena: Annotated[str, typer.Option(help="宛名番号")],
) -> None:
    """1人の賦課の結果（すべての版と、最新の版の計算過程）を表示します。照会は監査ログに記録します。"""
    from municloud.modules.tax.services.results import results_of

    tenant = tenant_code(tenant)
    with open_platform() as platform:
        ctx = system_context(platform, tenant, "tax_officer")
        r = results_of(platform.uow(tenant), ctx, year, atena)
    t = table("版", "理由", "状態", "徴収", "年税額", "各期", title=f"{atena} の {year} 年度")
    for rev in r.revisions:
        add_row(t, rev.revision, rev.reason, rev.status, rev.collection, f"{rev.total:,}",
                " / ".join(f"{x:,}" for x in rev.instalments))
    console().print(t)
    t = table("項目", "金額", "パラメータ", title="計算過程（最新の版）")
    for item in r.current.trace:
        add_row(t, item.label, f"{item.value:,}", ", ".join(p["key"] for p in item.parameters))
    console().print(t)
