"""Every kind of bad input is refused with a report row naming file/row/column; nothing is written."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import func, select

from municloud.interchange.exporter import sha256_of
from municloud.interchange.importer import tenant_tables
from municloud.interchange.layout import LAYOUT_VERSION
from municloud.kernel.tenants.orm import Tenant
from tests.integration.interchange.helpers import export, fill, import_, second_platform


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """One export of a filled tenant, made on a platform of its own (shared by the tests)."""
    tmp = tmp_path_factory.mktemp("source")
    source = second_platform(tmp, "source.db")
    from tests.factories import make_tenant

    make_tenant(source, "062090", "長井市")
    fill(source, "062090")
    export(source, "062090", tmp / "out")
    source.dispose()
    return tmp / "out"


@pytest.fixture
def target(tmp_path):
    platform = second_platform(tmp_path, "target.db")
    yield platform
    platform.dispose()


def copy(exported, tmp_path):
    out = tmp_path / "in"
    out.mkdir()
    for p in exported.iterdir():
        (out / p.name).write_bytes(p.read_bytes())
    return out


def edit(directory, file: str, change, *, fix_checksum: bool = True) -> None:
    """Apply *change* to the rows (header first) of *file*, then re-sign it in the manifest."""
    path = directory / file
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    if fix_checksum:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        manifest["files"][file] = {"rows": len(rows) - 1, "sha256": sha256_of(path)}
        (directory / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def nothing_written(platform) -> bool:
    from municloud.kernel.identity.orm import User

    with platform.session_factory() as s:
        return s.scalar(select(func.count()).select_from(Tenant)) == 0 and all(
            s.scalar(select(func.count()).select_from(t)) == 0 for t in [*tenant_tables(), User.__table__])


def refused(platform, directory, code: str) -> list:
    result = import_(platform, "062090", directory)
    assert not result.ok
    assert nothing_written(platform)
    with result.report.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["ファイル", "行", "項目", "理由", "コード"]
    hits = [r for r in rows[1:] if r[4] == code]
    assert hits, rows
    return hits


def column(rows, header: str) -> int:
    return rows[0].index(header)


def test_a_clean_export_imports(exported, target, tmp_path):
    assert import_(target, "062090", copy(exported, tmp_path)).ok


def test_a_tampered_file_fails_its_checksum(exported, target, tmp_path):
    d = copy(exported, tmp_path)
    edit(d, "households.csv", lambda rows: rows[1].__setitem__(1, "2001-01-01"), fix_checksum=False)
    [hit] = refused(target, d, "IMPORT_CHECKSUM")
    assert hit[:3] == ["households.csv", "0", ""] and "SHA-256" in hit[3]


def test_a_wrong_check_digit(exported, target, tmp_path):
    d = copy(exported, tmp_path)

    def spoil(rows):
        i = column(rows, "住民票コード")
        code = rows[1][i]
        rows[1][i] = code[:-1] + str((int(code[-1]) + 1) % 10)

    edit(d, "resident_history.csv", spoil)
    [hit] = refused(target, d, "IMPORT_CHECK_DIGIT")
    assert hit[:3] == ["resident_history.csv", "1", "住民票コード"]


def test_a_gap_in_the_history_numbers(exported, target, tmp_path):
    d = copy(exported, tmp_path)
    edit(d, "resident_history.csv", lambda rows: rows[1].__setitem__(column(rows, "履歴番号"), "2"))
    hits = refused(target, d, "IMPORT_RIREKI_GAP")
    assert hits[0][:3] == ["resident_history.csv", "1", "履歴番号"]


def test_a_dangling_household_number(exported, target, tmp_path):
    d = copy(exported, tmp_path)
    edit(d, "resident_history.csv", lambda rows: rows[1].__setitem__(column(rows, "世帯番号"), "999999999999"))
    hits = refused(target, d, "IMPORT_DANGLING_REFERENCE")
    assert hits[0][:3] == ["resident_history.csv", "1", "世帯番号"]


def test_an_edited_audit_entry(exported, target, tmp_path):
    d = copy(exported, tmp_path)
    edit(d, "audit_entries.csv", lambda rows: rows[2].__setitem__(column(rows, "操作者"), "someone-else"))
    [hit] = refused(target, d, "AUDIT_ENTRY_MODIFIED")
    assert hit[:3] == ["audit_entries.csv", "2", "ハッシュ"]


def test_bad_values_and_codes_are_all_reported_at_once(exported, target, tmp_path):
    d = copy(exported, tmp_path)

    def spoil(rows):
        rows[1][column(rows, "性別")] = "9"
        rows[2][column(rows, "生年月日")] = "昭和55年4月1日"

    edit(d, "resident_history.csv", spoil)
    result = import_(target, "062090", d)
    found = {(p.file, p.row, p.column, p.code) for p in result.problems}
    assert ("resident_history.csv", 1, "性別", "IMPORT_BAD_VALUE") in found
    assert ("resident_history.csv", 2, "生年月日", "IMPORT_BAD_VALUE") in found
    assert nothing_written(target)


def test_a_tenant_added_beforehand_is_refused_with_its_own_code_and_its_chain_untouched(exported, target, tmp_path):
    from municloud.kernel.audit.services import verify_chains
    from municloud.kernel.db import plain_session
    from tests.factories import audit_entries, make_tenant

    make_tenant(target, "062090", "長井市")  # adding a tenant starts its audit chain with entry 1
    before = [(e.seq, e.action, e.hash) for e in audit_entries(target, "062090")]
    assert [a for _, a, _ in before] == ["kernel:tenant:add"]
    result = import_(target, "062090", copy(exported, tmp_path))
    assert not result.ok
    [problem] = [p for p in result.problems if p.code == "IMPORT_TENANT_CREATED_BEFOREHAND"]
    assert (problem.file, problem.row) == ("", 0)
    assert "manifest.json" in problem.reason and "municloud tenant add" in problem.reason
    assert "IMPORT_TENANT_NOT_EMPTY" not in {p.code for p in result.problems}
    # nothing imported, the creation entry neither deleted nor renumbered, every chain still verifies
    assert [(e.seq, e.action, e.hash) for e in audit_entries(target, "062090")] == before
    with plain_session(target) as session:
        assert all(r.ok for r in verify_chains(session))
    with target.session_factory() as s:
        assert all(s.scalar(select(func.count()).select_from(t).where(t.c.tenant_code == "062090")) == 0
                   for t in tenant_tables() if not t.name.startswith("audit_"))


def test_a_tenant_with_more_than_its_creation_is_refused_as_not_empty(exported, target, tmp_path):
    from tests.factories import context, make_tenant

    make_tenant(target, "062090", "長井市")
    from municloud.kernel.identity.services import add_user

    add_user(target.uow("062090"), context(target, "062090", "tenant_admin"), "someone", "correct-horse-battery-9",
             ["registry_clerk"], "誰か")
    result = import_(target, "062090", copy(exported, tmp_path))
    assert not result.ok and result.problems[0].code == "IMPORT_TENANT_NOT_EMPTY"
    assert "IMPORT_TENANT_CREATED_BEFOREHAND" not in {p.code for p in result.problems}


def test_another_tenant_code_is_refused(exported, target, tmp_path):
    result = import_(target, "341002", copy(exported, tmp_path))
    assert "IMPORT_TENANT_MISMATCH" in {p.code for p in result.problems}
    assert nothing_written(target)


def test_a_taken_user_name_is_refused(exported, target, tmp_path):
    from municloud.kernel.identity.orm import User

    with target.session_factory() as s:
        s.add(User(username="clerk062090", display_name="別人", password_hash="x", is_operator=False, active=True,
                   token_version=0, created_at=__import__("datetime").datetime(2026, 1, 1)))
        s.commit()
    result = import_(target, "062090", copy(exported, tmp_path))
    assert [(p.file, p.column, p.code) for p in result.problems] == [("users.csv", "利用者名", "IMPORT_USER_EXISTS")]


@pytest.mark.parametrize(("file", "header", "value"), [
    ("support_measures.csv", "宛名番号", "999999999999"),
    ("certificate_subjects.csv", "発行番号", "X-0000-999999"),
    ("memberships.csv", "利用者名", "nobody"),
])
def test_other_dangling_references(exported, target, tmp_path, file, header, value):
    d = copy(exported, tmp_path)
    edit(d, file, lambda rows: rows[1].__setitem__(column(rows, header), value))
    hits = refused(target, d, "IMPORT_DANGLING_REFERENCE")
    assert any(h[0] == file and h[2] == header for h in hits), hits


def test_an_interrupted_import_leaves_nothing(exported, target, tmp_path, monkeypatch):
    from municloud.interchange import importer

    calls = []
    real = importer._flush

    def failing(session, table, batch, index):
        calls.append(table.name)
        if table.name == "registry_support_measures":
            raise RuntimeError("power cut")
        return real(session, table, batch, index)

    monkeypatch.setattr(importer, "_flush", failing)
    with pytest.raises(RuntimeError):
        import_(target, "062090", copy(exported, tmp_path))
    assert "registry_resident_history" in calls
    assert nothing_written(target)


def test_an_existing_empty_tenant_row_is_filled(exported, target, tmp_path):
    from datetime import datetime

    from municloud.kernel.audit.services import verify_chains
    from municloud.kernel.db import plain_session

    with target.session_factory() as s:
        s.add(Tenant(code="062090", name="長井市", kind="市", active=True, created_at=datetime(2026, 1, 1)))
        s.commit()
    assert import_(target, "062090", copy(exported, tmp_path)).ok
    with plain_session(target) as session:
        assert all(r.ok for r in verify_chains(session))


# Bad text and numbers in a field: one report line each (file, row, column, code), nothing loaded ------------


def spoil_bytes(directory, file: str, old: bytes, new: bytes) -> None:
    """Replace the first *old* with *new* in the raw bytes of *file*, then re-sign it in the manifest
    (the export's checksum is "fixed up": the import must find the bad byte itself)."""
    path = directory / file
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))
    manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][file]["sha256"] = sha256_of(path)
    (directory / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_an_invalid_utf8_byte_is_a_report_line_not_a_crash(exported, target, tmp_path):
    d = copy(exported, tmp_path)
    spoil_bytes(d, "resident_history.csv", "山田　花子".encode(), "山田　花".encode() + b"\xff")
    hits = refused(target, d, "IMPORT_BAD_ENCODING")
    row = 1 + next(i for i, r in enumerate(_rows(exported, "resident_history.csv")[1:]) if "山田　花子" in r)
    assert [h[:3] for h in hits] == [["resident_history.csv", str(row), "氏名"]]
    assert "0xFF" in hits[0][3]


def test_an_invalid_byte_in_a_json_column_is_reported_too(exported, target, tmp_path):
    d = copy(exported, tmp_path)
    spoil_bytes(d, "audit_entries.csv", b"registry:", b"regis\xc3try:")  # \xc3 starts a sequence "t" cannot end
    hits = refused(target, d, "IMPORT_BAD_ENCODING")
    assert hits[0][0] == "audit_entries.csv" and hits[0][1] != "0"


@pytest.mark.parametrize(("header", "value", "code"), [
    ("氏名", "山田\u202e花子", "INPUT_CONTROL_CHARACTER"),  # bidi control: the name policy of the API
    ("氏名", "山田\u200b花子", "INPUT_CONTROL_CHARACTER"),
    ("氏名", "山" * 101, "INPUT_TOO_LONG"),
    ("氏名", "山田😀", "INPUT_CHARACTER_NOT_ALLOWED"),
    ("住所", "長井市\x00本町", "INPUT_CONTROL_CHARACTER"),
    ("転入前住所", "東京都" * 100, "INPUT_TOO_LONG"),
    ("入力端末", "T" * 65, "INPUT_TOO_LONG"),  # no declared item: the column's own length
    ("入力端末", "T\x00", "INPUT_CONTROL_CHARACTER"),  # PostgreSQL cannot store NUL in text
    ("生年月日", "0001-01-01", "INPUT_DATE_OUT_OF_RANGE"),
    ("履歴番号", str(10**20), "IMPORT_BAD_VALUE"),  # would overflow the column (and SQLite's integers)
])
def test_a_field_the_api_would_refuse_is_refused(exported, target, tmp_path, header, value, code):
    d = copy(exported, tmp_path)
    edit(d, "resident_history.csv", lambda rows: rows[1].__setitem__(column(rows, header), value))
    hits = refused(target, d, code)
    assert any(h[:3] == ["resident_history.csv", "1", header] for h in hits), hits
    assert all(not h[3].isascii() for h in hits)


def _rows(directory, file: str) -> list[list[str]]:
    with (directory / file).open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_an_export_of_the_layout_before_this_one_is_refused_by_its_version(exported, target, tmp_path):
    """Issue #9 added columns and files (1.1), issue #10 the 住所マスター (1.2): a 1.0 export is refused by its
    version (with a line in the report) rather than by a puzzle of header mismatches."""
    d = copy(exported, tmp_path)
    manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    manifest["layout_version"] = "1.0"
    (d / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    [hit] = refused(target, d, "IMPORT_LAYOUT_VERSION")
    assert hit[0] == "manifest.json" and "1.0" in hit[3] and LAYOUT_VERSION in hit[3]
