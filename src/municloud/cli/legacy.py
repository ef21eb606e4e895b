"""``municloud migrate legacy|sample`` (旧システムからの移行) and ``municloud export-cp932``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from municloud.cli.common import (
    add_row,
    console,
    fail,
    handle_errors,
    open_platform,
    system_context,
    table,
)

migrate_app = typer.Typer(help="旧システムからのデータ移行", no_args_is_help=True)
SHOWN_ISSUES = 20


@migrate_app.command("legacy")
@handle_errors
def migrate_legacy_command(
    tenant: Annotated[str, typer.Option(help="移行先の団体コード")],
    from_: Annotated[Path, typer.Option("--from", help="旧システムのファイルがあるフォルダ")],
    mapping: Annotated[Path, typer.Option(help="対応表（YAML）")],
    report: Annotated[Path | None, typer.Option(help="確認リスト review.csv と件数 counts.csv を書くフォルダ")] = None,
) -> None:
    """旧システムの住民・世帯を対応表に従って一括登録します。

    対応表にない外字・コードを含む行は推測せずに世帯ごと保留し、確認リストに載せます。対応表を直して再実行すると、保留分だけを登録します（登録済みの住民は移行台帳の旧宛名番号と住民票コードで見分け、二重に登録しません）。
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from municloud.interchange.legacy.mapping import load_mapping
    from municloud.interchange.legacy.migrate import migrate_legacy
    from municloud.jp.codes import validate_local_government_code
    from municloud.kernel.tenants.services import get_tenant

    tenant = validate_local_government_code(tenant)
    if not from_.is_dir():
        fail(f"フォルダ {from_} がありません", "LEGACY_SOURCE_NOT_FOUND")
    rules = load_mapping(mapping)
    for name in (rules.residents_file, rules.households_file):
        if not (from_ / name).is_file():
            fail(f"{from_ / name} がありません（対応表の files に書かれたファイル）", "LEGACY_FILE_NOT_FOUND")
    out = console()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with open_platform() as platform:
        get_tenant(platform.uow(None, read_only=True), tenant)  # TENANT_NOT_FOUND when not registered
        ctx = system_context(platform, tenant, "registry_supervisor")
        with Progress(*columns, console=out, transient=False) as bar:
            task = bar.add_task("住民の一括登録", total=None)
            result = migrate_legacy(platform, ctx, from_, rules, progress=lambda n: bar.advance(task, n))
            bar.update(task, total=result.residents.loaded, completed=result.residents.loaded)
    t = table("対象", "読込", "登録", "登録済み", "保留", "不正", title="件数（読込 = 登録 + 登録済み + 保留 + 不正）")
    for name, *numbers in result.rows():
        add_row(t, {"households": "世帯", "residents": "住民"}[name], *(f"{n:,}" for n in numbers))
    out.print(t)
    if result.issues:
        shown = table("ファイル", "行", "世帯番号", "項目", "内容", "候補", "扱い", title="確認が必要な行")
        for i in result.issues[:SHOWN_ISSUES]:
            add_row(shown, i.file, str(i.line), i.setai_no, i.field, i.what, i.candidates,
                    "保留" if i.outcome == "held" else "不正")
        out.print(shown)
        if len(result.issues) > SHOWN_ISSUES:
            out.print(f"ほか {len(result.issues) - SHOWN_ISSUES} 件（--report のフォルダの review.csv に全件）")
    if report is not None:
        review, counts = result.write(report)
        out.print(f"確認リスト: {review}\n件数: {counts}")
    if not result.balanced:  # cannot happen: the counts are the proof that nothing vanished
        fail("件数が合いません（読込 ≠ 登録 + 登録済み + 保留 + 不正）", "LEGACY_COUNTS_UNBALANCED")


@migrate_app.command("sample")
@handle_errors
def sample_command(
    out: Annotated[Path, typer.Option(help="架空の旧システムのファイルを書くフォルダ")],
    households: Annotated[int, typer.Option(help="世帯数")] = 40,
    seed: Annotated[int, typer.Option(help="乱数の種（同じ種なら同じデータ）")] = 4649,
) -> None:
    """架空の「旧システム」の移行用ファイル一式（住民・世帯・外字表・対応表）を作ります（練習・試験用）。"""
    from municloud.interchange.legacy.sample import write_sample

    write_sample(out, households=households, seed=seed)
    typer.echo(f"{out} に {households} 世帯分の旧システムのファイルと対応表 mapping.yaml を書きました")


@handle_errors
def export_cp932(
    from_: Annotated[Path, typer.Option("--from", help="UTF-8 の CSV があるフォルダ（標準レイアウトの出力など）")],
    out: Annotated[Path, typer.Option(help="CP932 の CSV を書くフォルダ")],
) -> None:
    """フォルダ内の CSV（UTF-8）を CP932 に変換します。

    CP932 で表せない文字（IVS、𠮷 など）は 〓 に置き換え、cp932-report.csv にすべて載せます（黙って置き換えません）。
    """
    from municloud.interchange.cp932 import convert_directory

    if not from_.is_dir():
        fail(f"フォルダ {from_} がありません", "CP932_SOURCE_NOT_FOUND")
    if from_.resolve() == out.resolve():
        fail("変換元と変換先に同じフォルダは指定できません", "CP932_SAME_FOLDER")
    result = convert_directory(from_, out)
    typer.echo(f"{result.files} ファイル・{result.rows:,} 行を CP932 に変換しました")
    typer.echo(f"CP932 で表せない文字: {result.problems:,} 個（〓 に置換。一覧: {result.report_path}）")
