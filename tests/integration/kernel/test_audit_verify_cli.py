"""`municloud audit verify [--tenant CODE]` exits 0 on intact chains and non-zero naming
the tenant and the first bad entry after tampering done directly in the database."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from municloud.kernel.audit.chain import REASONS
from tests.integration.kernel.audit_helpers import (
    COLUMNS,
    fill_chain,
    forged_hash,
    rewrite,
    row,
    sql,
)


@pytest.fixture
def cli(database_url):
    from municloud.cli.main import app  # written alongside; these tests wait for it

    runner = CliRunner()
    env = {"MUNICLOUD_DATABASE_URL": database_url, "MUNICLOUD_MODE": "test",
           "MUNICLOUD_SECRET_KEY": "test-secret-key-for-the-cli-tests"}

    def run(*args: str):
        result = runner.invoke(app, ["audit", "verify", *args], env=env)
        return result.exit_code, result.output + (getattr(result, "stderr", "") or "")

    return run


@pytest.fixture
def chains(platform, nagai, hiroshima):
    fill_chain(platform, nagai, 6)  # seq 1 (tenant added) … 7
    fill_chain(platform, hiroshima, 3)
    return nagai, hiroshima


def names_entry(output: str, tenant: str, seq: int) -> bool:
    return tenant in output and re.search(rf"(?<!\d){seq}(?!\d)", output.replace(tenant, "")) is not None


def test_intact_chains_exit_zero(cli, chains):
    code, output = cli()
    assert code == 0, output


def test_intact_chain_of_one_tenant_exits_zero(cli, chains):
    nagai, _ = chains
    code, output = cli("--tenant", nagai)
    assert code == 0, output


def test_a_modified_entry_makes_verify_fail_naming_it(cli, platform, chains):
    nagai, _ = chains
    rewrite(platform, nagai, 4, {"actor": "mallory"})
    code, output = cli()
    assert code != 0
    assert names_entry(output, nagai, 4), output


def test_a_deleted_middle_entry_makes_verify_fail_naming_it(cli, platform, chains):
    nagai, _ = chains
    sql(platform, "DELETE FROM audit_entries WHERE tenant_code = :t AND seq = 3", t=nagai)
    code, output = cli()
    assert code != 0
    assert names_entry(output, nagai, 3), output


def test_a_deleted_last_entry_makes_verify_fail_naming_it(cli, platform, chains):
    nagai, _ = chains
    sql(platform, "DELETE FROM audit_entries WHERE tenant_code = :t AND seq = 7", t=nagai)
    code, output = cli("--tenant", nagai)
    assert code != 0
    assert names_entry(output, nagai, 7), output


def test_a_forged_entry_at_the_end_makes_verify_fail_naming_it(cli, platform, chains):
    nagai, _ = chains
    last = row(platform, nagai, 7)
    forged = {**last, "seq": 8, "actor": "mallory", "prev_hash": last["hash"]}
    forged["hash"] = forged_hash(forged)
    names = ("tenant_code", "seq", *COLUMNS)
    sql(
        platform,
        f"INSERT INTO audit_entries ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})",
        **{n: forged[n] for n in names},
    )
    code, output = cli()
    assert code != 0
    assert names_entry(output, nagai, 8), output


def test_reordered_entries_make_verify_fail_naming_the_first(cli, platform, chains):
    nagai, _ = chains
    second, fifth = row(platform, nagai, 2), row(platform, nagai, 5)
    rewrite(platform, nagai, 2, {c: fifth[c] for c in COLUMNS})
    rewrite(platform, nagai, 5, {c: second[c] for c in COLUMNS})
    code, output = cli()
    assert code != 0
    assert names_entry(output, nagai, 2), output


def test_tampering_in_one_tenant_does_not_fail_another_tenants_verify(cli, platform, chains):
    nagai, hiroshima = chains
    rewrite(platform, nagai, 4, {"actor": "mallory"})
    code, output = cli("--tenant", hiroshima)
    assert code == 0, output
    code, output = cli("--tenant", nagai)
    assert code != 0


def test_the_failure_output_gives_a_reason(cli, platform, chains):
    nagai, _ = chains
    rewrite(platform, nagai, 4, {"actor": "mallory"})
    _, output = cli()
    assert any(code in output for code in REASONS) or "改ざん" in output, output
