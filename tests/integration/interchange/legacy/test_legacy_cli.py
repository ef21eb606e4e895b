"""``municloud migrate legacy|sample`` and ``municloud export-cp932`` run for real (CliRunner)."""

from __future__ import annotations

import csv

import pytest
import yaml

from tests.integration.cli.support import Cli, cli_env, create_database, drop_database


@pytest.fixture
def cli(tmp_path, monkeypatch):
    url = create_database("municloud_legacy", tmp_path)
    cli_env(monkeypatch, url)
    runner = Cli()
    assert runner("db", "upgrade").exit_code == 0
    assert runner("tenant", "add", "062090", "長井市").exit_code == 0
    yield runner
    drop_database(url)


def test_migrate_legacy_holds_then_loads(cli, tmp_path):
    src = tmp_path / "legacy"
    result = cli("migrate", "sample", "--out", str(src), "--households", "12", "--seed", "3")
    assert result.exit_code == 0, result.output
    data = yaml.safe_load((src / "mapping.yaml").read_text(encoding="utf-8"))
    del data["gaiji"]["F041"]  # 髙
    partial = tmp_path / "partial.yaml"
    partial.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    first = cli("migrate", "legacy", "--tenant", "062090", "--from", str(src), "--mapping", str(partial),
                "--report", str(tmp_path / "report"))
    assert first.exit_code == 0, first.output
    assert "U+E001" in first.output and "保留" in first.output
    with (tmp_path / "report" / "counts.csv").open(encoding="utf-8") as f:
        counts = {r["entity"]: r for r in csv.DictReader(f)}
    households = counts["households"]
    assert int(households["held"]) >= 1 and int(households["rejected"]) == 2  # the sample's two bad households
    for row in counts.values():
        assert int(row["read"]) == sum(int(row[k]) for k in ("loaded", "already_loaded", "held", "rejected"))

    second = cli("migrate", "legacy", "--tenant", "062090", "--from", str(src), "--mapping", str(src / "mapping.yaml"),
                 "--report", str(tmp_path / "report2"))
    assert second.exit_code == 0, second.output
    with (tmp_path / "report2" / "counts.csv").open(encoding="utf-8") as f:
        again = {r["entity"]: r for r in csv.DictReader(f)}
    assert again["households"]["loaded"] == households["held"]
    assert again["households"]["already_loaded"] == households["loaded"]


def test_migrate_legacy_refuses_a_broken_mapping(cli, tmp_path):
    src = tmp_path / "legacy"
    cli("migrate", "sample", "--out", str(src), "--households", "3")
    bad = tmp_path / "bad.yaml"
    bad.write_text("record_length: 533\nfiles: {residents: JUMIN.DAT, households: SETAI.CSV}\n"
                   "household_columns: {setai_no: 世帯番号}\nlayout: []\ncodes: {}\n", encoding="utf-8")
    result = cli("migrate", "legacy", "--tenant", "062090", "--from", str(src), "--mapping", str(bad))
    assert result.exit_code == 1
    assert "対応表の「layout」" in result.output and "LEGACY_MAPPING_INVALID" in result.output


def test_migrate_legacy_unknown_tenant(cli, tmp_path):
    src = tmp_path / "legacy"
    cli("migrate", "sample", "--out", str(src), "--households", "2")
    result = cli("migrate", "legacy", "--tenant", "341002", "--from", str(src), "--mapping", str(src / "mapping.yaml"))
    assert result.exit_code == 1 and "TENANT_NOT_FOUND" in result.output


def test_export_cp932_converts_and_reports(tmp_path):
    src, out = tmp_path / "utf8", tmp_path / "sjis"
    src.mkdir()
    (src / "residents.csv").write_text("shimei,address\n𠮷田　太郎,長井市〜本町\n辻\U000e0102　花子,\"A,B\"\n",
                                       encoding="utf-8")
    (src / "notes.txt").write_text("ignored", encoding="utf-8")
    result = Cli()("export-cp932", "--from", str(src), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "1 ファイル" in result.output and "2 個" in result.output
    text = (out / "residents.csv").read_bytes().decode("cp932")
    assert text.splitlines() == ["shimei,address", "〓田　太郎,長井市～本町", '辻〓　花子,"A,B"']
    with (out / "cp932-report.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["row"], r["column"], r["code_point"]) for r in rows] == [("2", "shimei", "U+20BB7"),
                                                                         ("3", "shimei", "U+E0102")]
    assert not (out / "notes.txt").exists()
