"""Export of a tenant made through the services; round trip into a fresh database."""

from __future__ import annotations

import csv
import json

from municloud.interchange.exporter import sha256_of
from municloud.interchange.layout import LAYOUT_VERSION, entities
from municloud.kernel.audit.services import verify_chains
from municloud.kernel.db import plain_session
from municloud.kernel.documents.verification import verify_document
from tests.factories import audit_entries
from tests.integration.interchange.helpers import export, files_of, fill, import_, second_platform


def test_export_writes_every_file_and_a_correct_manifest(platform, nagai, tmp_path):
    fill(platform, nagai)
    out = tmp_path / "out"
    export(platform, nagai, out)

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["layout_version"] == LAYOUT_VERSION
    assert (manifest["tenant_code"], manifest["tenant_name"]) == (nagai, "長井市")
    assert set(manifest["files"]) == {e.file for e in entities()}
    for entity in entities():
        raw = (out / entity.file).read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\r\n")
        rows = list(csv.reader(raw.decode("utf-8").splitlines()))
        assert rows[0] == entity.headers
        assert manifest["files"][entity.file] == {"rows": len(rows) - 1, "sha256": sha256_of(out / entity.file)}
        assert len(rows) > 1, f"{entity.file} is empty: the test data should cover it"
    users = (out / "users.csv").read_text(encoding="utf-8")
    assert "clerk062090" in users and "argon2" not in users
    assert [e.action for e in audit_entries(platform, nagai)][-1] == "kernel:tenant:export"
    history = (out / "resident_history.csv").read_text(encoding="utf-8")
    assert "kernel:tenant:export" not in (out / "audit_entries.csv").read_text(encoding="utf-8")
    assert "山田　花子" in history


def test_round_trip_into_a_fresh_database_gives_identical_files(platform, nagai, tmp_path):
    filled = fill(platform, nagai)
    family = filled["family"]
    first = tmp_path / "first"
    export(platform, nagai, first)
    other = second_platform(tmp_path)
    try:
        result = import_(other, nagai, first)
        assert result.ok, result.problems[:5]
        assert result.created_users == ["clerk062090"]
        second = tmp_path / "second"
        export(other, nagai, second, audited=False)
        assert files_of(second) == files_of(first)
        with plain_session(other) as session:
            assert all(r.ok for r in verify_chains(session)), verify_chains(session)
        imported = [e for e in audit_entries(other, "000000") if e.action == "kernel:tenant:import"]
        assert len(imported) == 1
        # the registry works on the imported tenant: the index was rebuilt
        from tests.factories import context, search

        found = search(other, context(other, nagai, "registry_clerk"), name="山田")
        assert set(family.atena_nos) <= {r.atena_no for r in found}
        # a printed certificate stays verifiable with its 確認コード after the move
        issue_no, code, pdf = filled["certificate"]
        assert verify_document(other.uow(None), issue_no, code, pdf=pdf).matches is True
    finally:
        other.dispose()
