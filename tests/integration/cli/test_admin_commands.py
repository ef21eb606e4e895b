"""db, tenant, user and param commands against a fresh database."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, select

from municloud.kernel.identity.orm import Membership, User


def _engine(url):
    return create_engine(url)


def test_db_upgrade_creates_the_schema_on_an_empty_database(db_url, cli):
    before = cli("db", "current")
    assert before.exit_code == 0 and "更新が必要です" in before.stdout
    result = cli("db", "upgrade")
    assert result.exit_code == 0, result.output
    from municloud.migrations import schema_state

    (head,) = schema_state(db_url).heads
    assert f"リビジョン {head}" in result.stdout
    engine = _engine(db_url)
    assert {"tenants", "users", "audit_entries", "registry_resident_history", "legacy_ledger", "tax_results"} <= set(
        inspect(engine).get_table_names())
    engine.dispose()
    assert "最新です" in cli("db", "current").stdout
    assert cli("db", "upgrade").exit_code == 0  # again: nothing to do


def test_a_command_before_db_upgrade_says_to_run_it_first(db_url, cli):
    result = cli("tenant", "list")
    assert result.exit_code == 1
    assert "municloud db upgrade" in result.stderr and "[DB_NOT_INITIALISED]" in result.stderr


def test_tenant_add_with_a_wrong_check_digit_is_refused_in_japanese(migrated, cli):
    result = cli("tenant", "add", "062091", "長井市")
    assert result.exit_code == 1
    assert "団体コードが正しくありません" in result.stderr and "[JP_LG_CODE_INVALID]" in result.stderr
    assert "062091" not in cli("tenant", "list").stdout


def test_tenant_add_then_list_shows_code_name_and_kind(migrated, cli):
    assert cli("tenant", "add", "062090", "長井市").exit_code == 0
    result = cli("tenant", "add", "341002", "広島市", "--kind", "指定都市")
    assert result.exit_code == 0 and "341002 広島市（指定都市）" in result.stdout
    listing = cli("tenant", "list").stdout
    assert "062090" in listing and "長井市" in listing and "指定都市" in listing
    again = cli("tenant", "add", "062090", "長井市")
    assert again.exit_code == 1 and "[TENANT_EXISTS]" in again.stderr


def test_user_add_reads_the_password_from_stdin_and_stores_only_an_argon2_hash(migrated, cli):
    cli("tenant", "add", "062090", "長井市")
    password = "kasumi-zakura-2026"
    result = cli("user", "add", "--tenant", "062090", "--role", "registry_clerk", "--role", "auditor",
                 "--display-name", "長井 花子", "hanako", input=password + "\n")
    assert result.exit_code == 0, result.output
    assert password not in result.output
    engine = _engine(migrated)
    with engine.connect() as conn:
        stored = conn.execute(select(User.password_hash).where(User.username == "hanako")).scalar_one()
        roles = set(conn.execute(select(Membership.role).where(Membership.tenant_code == "062090")).scalars())
    engine.dispose()
    assert stored.startswith("$argon2id$") and password not in stored
    assert roles == {"registry_clerk", "auditor"}
    listing = cli("user", "list", "--tenant", "062090")
    assert "hanako" in listing.stdout and "auditor" in listing.stdout and password not in listing.output


def test_user_add_refuses_a_short_password_and_an_unknown_role(migrated, cli):
    cli("tenant", "add", "062090", "長井市")
    short = cli("user", "add", "--tenant", "062090", "--role", "registry_clerk", "jiro", input="short\n")
    assert short.exit_code == 1 and "[PASSWORD_TOO_SHORT]" in short.stderr and "short" not in short.stdout
    unknown = cli("user", "add", "--tenant", "062090", "--role", "mayor", "jiro", input="long-enough-pass\n")
    assert unknown.exit_code == 1 and "[ROLE_UNKNOWN]" in unknown.stderr
    empty = cli("user", "add", "--tenant", "062090", "--role", "registry_clerk", "jiro", input="")
    assert empty.exit_code == 1 and "[PASSWORD_REQUIRED]" in empty.stderr


def test_operator_is_added_without_a_tenant(migrated, cli):
    result = cli("user", "add", "--operator", "ops", input="operator-pass-123\n")
    assert result.exit_code == 0 and "基盤運用者" in result.stdout
    both = cli("user", "add", "--operator", "--tenant", "062090", "ops2", input="operator-pass-123\n")
    assert both.exit_code == 1 and "[CLI_USER_SCOPE]" in both.stderr


def test_param_set_with_a_reason_then_show_explains_where_the_value_comes_from(migrated, cli):
    cli("tenant", "add", "062090", "長井市")
    shown = cli("param", "show", "--tenant", "062090", "registry.certificate.fee")
    assert shown.exit_code == 0 and "300" in shown.stdout and "国の既定値" in shown.stdout
    result = cli("param", "set", "--tenant", "062090", "registry.certificate.fee", "--from", "令和7年4月1日",
                 "--value", "350", "--reason", "手数料条例の改正")
    assert result.exit_code == 0, result.output
    after = cli("param", "show", "--tenant", "062090", "registry.certificate.fee", "--on", "2025-04-01")
    assert "350" in after.stdout and "団体の上書き" in after.stdout and "手数料条例の改正" in after.stdout
    before = cli("param", "show", "--tenant", "062090", "registry.certificate.fee", "--on", "2025-03-31")
    assert "300" in before.stdout
    bad = cli("param", "set", "--tenant", "062090", "registry.certificate.fee", "--from", "2025-04-01",
              "--value", "三百", "--reason", "x")
    assert bad.exit_code == 1 and "[CLI_VALUE_NOT_JSON]" in bad.stderr
    wrong_type = cli("param", "set", "--tenant", "062090", "registry.certificate.fee", "--from", "2025-04-01",
                     "--value", '"三百円"', "--reason", "x")
    assert wrong_type.exit_code == 1 and "[PARAMETER_TYPE_INVALID]" in wrong_type.stderr
    no_reason = cli("param", "set", "--tenant", "062090", "registry.certificate.fee", "--from", "2025-04-01",
                    "--value", "400", "--reason", " ")
    assert no_reason.exit_code == 1 and "[PARAMETER_REASON_REQUIRED]" in no_reason.stderr


def _user(url, name):
    engine = _engine(url)
    with engine.connect() as conn:
        row = conn.execute(select(User.password_hash, User.token_version, User.active)
                           .where(User.username == name)).one()
        roles = {(m.tenant_code, m.role) for m in conn.execute(
            select(Membership).where(Membership.user_id == select(User.id).where(User.username == name)
                                     .scalar_subquery(), Membership.valid_until.is_(None)))}
    engine.dispose()
    return row, roles


def test_user_link_gives_a_person_roles_in_a_second_tenant_which_user_add_may_not(migrated, cli):
    cli("tenant", "add", "062090", "長井市")
    cli("tenant", "add", "341002", "広島市", "--kind", "指定都市")
    cli("user", "add", "--tenant", "062090", "--role", "registry_clerk", "hanako", input="kasumi-zakura-2026\n")
    refused = cli("user", "add", "--tenant", "341002", "--role", "auditor", "hanako", input="kasumi-zakura-2026\n")
    assert refused.exit_code == 1 and "[USERNAME_UNAVAILABLE]" in refused.stderr
    linked = cli("user", "link", "hanako", "--tenant", "341002", "--role", "auditor")
    assert linked.exit_code == 0, linked.output
    assert _user(migrated, "hanako")[1] == {("062090", "registry_clerk"), ("341002", "auditor")}
    unknown = cli("user", "link", "nobody", "--tenant", "341002", "--role", "auditor")
    assert unknown.exit_code == 1 and "[USER_NOT_FOUND]" in unknown.stderr


def test_user_password_sets_a_new_hash_and_kills_the_tokens(migrated, cli):
    cli("tenant", "add", "062090", "長井市")
    cli("user", "add", "--tenant", "062090", "--role", "registry_clerk", "hanako", input="kasumi-zakura-2026\n")
    (before, version, _), _ = _user(migrated, "hanako")
    result = cli("user", "password", "hanako", input="a-new-password-2027\n")
    assert result.exit_code == 0, result.output
    (after, new_version, _), _ = _user(migrated, "hanako")
    assert after != before and after.startswith("$argon2id$") and new_version == version + 1
    short = cli("user", "password", "hanako", input="short\n")
    assert short.exit_code == 1 and "[PASSWORD_TOO_SHORT]" in short.stderr


def test_user_deactivate_in_one_tenant_or_everywhere(migrated, cli):
    cli("tenant", "add", "062090", "長井市")
    cli("tenant", "add", "341002", "広島市", "--kind", "指定都市")
    cli("user", "add", "--tenant", "062090", "--role", "registry_clerk", "hanako", input="kasumi-zakura-2026\n")
    cli("user", "link", "hanako", "--tenant", "341002", "--role", "auditor")
    assert cli("user", "deactivate", "hanako", "--tenant", "341002").exit_code == 0
    (_, version, active), roles = _user(migrated, "hanako")
    assert active and roles == {("062090", "registry_clerk")}  # still works for 長井市
    assert cli("user", "deactivate", "hanako").exit_code == 0
    (_, new_version, active), _ = _user(migrated, "hanako")
    assert not active and new_version == version + 1
