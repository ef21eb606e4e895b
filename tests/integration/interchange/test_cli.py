"""``municloud import`` and ``municloud export`` from the command line."""

from __future__ import annotations

import pytest

from tests.integration.cli.support import Cli, cli_env, create_database, drop_database
from tests.integration.interchange.helpers import export, files_of, fill, second_platform
from tests.integration.interchange.test_refusals import copy, edit


@pytest.fixture
def cli(tmp_path, monkeypatch):
    url = create_database("municloud_interchange", tmp_path)
    cli_env(monkeypatch, url)
    run = Cli()
    assert run("db", "upgrade").exit_code == 0
    yield run
    drop_database(url)


@pytest.fixture
def exported(tmp_path):
    source = second_platform(tmp_path, "source.db")
    from tests.factories import make_tenant

    make_tenant(source, "062090", "長井市")
    fill(source, "062090")
    export(source, "062090", tmp_path / "out")
    source.dispose()
    return tmp_path / "out"


def test_import_then_export_from_the_command_line(cli, exported, tmp_path):
    result = cli("import", "--tenant", "062090", str(exported))
    assert result.exit_code == 0, result.output
    assert "パスワードなしで作成" in result.output and "clerk062090" in result.output
    result = cli("export", "--tenant", "062090", "--out", str(tmp_path / "again"))
    assert result.exit_code == 0, result.output
    assert files_of(tmp_path / "again") == files_of(exported)
    assert cli("audit", "verify").exit_code == 0


def test_a_refused_import_exits_1_and_writes_the_report(cli, exported, tmp_path):
    d = copy(exported, tmp_path)
    edit(d, "resident_history.csv", lambda rows: rows[1].__setitem__(rows[0].index("履歴番号"), "5"))
    result = cli("import", "--tenant", "062090", str(d), "--report", str(tmp_path / "rep"))
    assert result.exit_code == 1
    assert "IMPORT_REFUSED" in result.output
    assert "IMPORT_RIREKI_GAP" in (tmp_path / "rep" / "import-report.csv").read_text(encoding="utf-8")
    assert "062090" not in cli("tenant", "list").output


def test_importing_into_a_tenant_added_beforehand_says_why_and_leaves_its_chain_alone(cli, exported, tmp_path):
    assert cli("tenant", "add", "062090", "長井市").exit_code == 0
    result = cli("import", "--tenant", "062090", str(exported), "--report", str(tmp_path / "rep"))
    assert result.exit_code == 1
    assert "IMPORT_TENANT_CREATED_BEFOREHAND" in result.output
    assert "manifest.json" in result.output and "municloud tenant add" in result.output  # shown, not only in the report
    assert "IMPORT_TENANT_CREATED_BEFOREHAND" in (tmp_path / "rep" / "import-report.csv").read_text(encoding="utf-8")
    assert cli("audit", "verify").exit_code == 0
    # the documented way: import without adding the tenant first
    assert "tenant add" in cli("import", "--help").output


def test_an_export_with_an_invalid_byte_is_refused_with_a_report_line_not_a_traceback(cli, exported, tmp_path):
    from tests.integration.interchange.test_refusals import spoil_bytes

    d = copy(exported, tmp_path)
    spoil_bytes(d, "resident_history.csv", "山田".encode(), b"\xff\xfe")
    result = cli("import", "--tenant", "062090", str(d), "--report", str(tmp_path / "rep"))
    assert result.exit_code == 1, result.output
    assert "IMPORT_REFUSED" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    report = (tmp_path / "rep" / "import-report.csv").read_text(encoding="utf-8")
    assert "IMPORT_BAD_ENCODING" in report and "resident_history.csv" in report
    assert "062090" not in cli("tenant", "list").output
