"""The tenant admin's download: the standard-layout export as a ZIP, through the API and the screens."""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import zipfile

import pytest
from fastapi.testclient import TestClient

from municloud.interchange.archive import archive_name, export_archive
from municloud.interchange.layout import LAYOUT_VERSION, entities
from municloud.web.app import create_app
from tests.factories import audit_entries, context, door_refusals
from tests.integration.api.helpers import Api
from tests.integration.interchange.helpers import export, fill, import_, second_platform
from tests.integration.interchange.test_refusals import column, edit, nothing_written
from tests.integration.screens.helpers import Browser, csrf_of, make_user

EXPORT = "kernel:tenant:export"
NAME = re.compile(r'attachment; filename="municloud-(\d{6})-\d{8}-\d{6}\.zip"')


@pytest.fixture
def app(platform):
    return create_app(platform=platform)


@pytest.fixture
def api(app, platform):
    with TestClient(app) as client:
        yield Api(client, platform)


@pytest.fixture
def signed_in(app, platform):
    made: list[Browser] = []

    def make(tenant: str, *roles: str) -> Browser:
        b = Browser(app, platform)
        made.append(b)
        b.username = make_user(platform, tenant, *roles)
        b.landing = b.login(b.username)
        return b

    yield make
    for b in made:
        b.client.close()


def _members(payload: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(payload)) as zf:
        assert zf.testzip() is None
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in zf.infolist())
        return {name: zf.read(name) for name in zf.namelist()}


def _check_archive(payload: bytes, tenant: str) -> dict[str, bytes]:
    members = _members(payload)
    manifest = json.loads(members["manifest.json"].decode("utf-8"))
    assert manifest["tenant_code"] == tenant and manifest["layout_version"] == LAYOUT_VERSION
    assert set(members) == {"manifest.json"} | {e.file for e in entities()}
    for file, facts in manifest["files"].items():
        assert hashlib.sha256(members[file]).hexdigest() == facts["sha256"], file
    return members


def test_the_api_download_is_a_zip_of_the_standard_layout_that_imports_elsewhere(
        api, platform, nagai, tmp_path, monkeypatch):
    fill(platform, nagai)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    headers = api.login_as(nagai, "tenant_admin")
    response = api.client.get(f"/api/v1/t/{nagai}/export", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert NAME.fullmatch(response.headers["content-disposition"]).group(1) == nagai
    members = _check_archive(response.content, nagai)
    assert list(scratch.iterdir()) == []  # the temporary ZIP was removed after sending
    assert "山田　花子" in members["resident_history.csv"].decode("utf-8")

    # audited once, naming the admin
    [entry] = audit_entries(platform, nagai, EXPORT)
    assert entry.outcome == "success" and entry.actor.startswith("tenantadmin")

    # the unzipped archive imports into a fresh installation
    unzipped = tmp_path / "unzipped"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        zf.extractall(unzipped)
    other = second_platform(tmp_path)
    try:
        result = import_(other, nagai, unzipped)
        assert result.ok, result.problems[:5]
    finally:
        other.dispose()


def test_a_clerk_cannot_download_and_the_refusal_is_audited(api, platform, nagai):
    headers = api.login_as(nagai, "registry_clerk")
    response = api.client.get(f"/api/v1/t/{nagai}/export", headers=headers)
    assert response.status_code == 403
    assert "application/zip" not in response.headers.get("content-type", "")
    [entry] = door_refusals(platform, nagai, EXPORT)  # kernel:tenant:export is the permission's name too
    assert (entry.outcome, entry.subjects) == ("denied", "[]")
    assert audit_entries(platform, nagai, EXPORT) == []  # the export never started


def test_no_token_no_archive(api, nagai):
    assert api.client.get(f"/api/v1/t/{nagai}/export").status_code == 401


def test_export_archive_streams_the_zip_and_uses_no_temporary_files(platform, nagai, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    archive = export_archive(platform.uow(nagai), context(platform, nagai, "tenant_admin"))
    assert NAME.fullmatch(f'attachment; filename="{archive.filename}"')
    try:
        _check_archive(b"".join(archive.chunks()), nagai)
    finally:
        archive.close()
    assert not archive.running and list(scratch.iterdir()) == []


def test_archive_name_is_in_japan_time():
    from datetime import UTC, datetime

    assert archive_name("062090", datetime(2026, 3, 31, 15, 0, 1, tzinfo=UTC)) == "municloud-062090-20260401-000001.zip"


def test_the_screen_button_downloads_the_zip_for_a_tenant_admin(signed_in, platform, nagai):
    admin = signed_in(nagai, "tenant_admin")
    page = admin.get(f"/t/{nagai}/admin/users").text
    assert "全データを書き出す（ZIP）" in page and f'action="/t/{nagai}/admin/export"' in page
    response = admin.client.post(f"/t/{nagai}/admin/export", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    assert NAME.fullmatch(response.headers["content-disposition"])
    assert response.headers["cache-control"] == "no-store"
    _check_archive(response.content, nagai)
    [entry] = audit_entries(platform, nagai, EXPORT)
    assert entry.outcome == "success" and entry.actor == admin.username


def test_the_screen_export_is_refused_to_a_clerk_and_without_the_csrf_token(signed_in, platform, nagai):
    clerk = signed_in(nagai, "registry_clerk")
    page = clerk.get(f"/t/{nagai}/").text
    response = clerk.client.post(f"/t/{nagai}/admin/export", data={"csrf_token": csrf_of(page)})
    assert response.status_code == 403 and "application/zip" not in response.headers["content-type"]
    assert [e.outcome for e in door_refusals(platform, nagai, EXPORT)] == ["denied"]

    admin = signed_in(nagai, "tenant_admin")
    missing = admin.client.post(f"/t/{nagai}/admin/export", data={})
    assert missing.status_code == 403 and "application/zip" not in missing.headers["content-type"]
    assert [e.outcome for e in door_refusals(platform, nagai, EXPORT)] == ["denied"]
    assert audit_entries(platform, nagai, EXPORT) == []  # never ran


# Allowed codes on import (declared in layout.CODES, shown in docs/standard-layout.md) -----------


@pytest.mark.parametrize(("file", "header", "value"), [
    ("resident_history.csv", "異動事由", "A1"),
    ("notifications.csv", "異動事由", "引越し"),
    ("support_measures.csv", "段階", "仮決定"),
    ("support_measures.csv", "支援措置の区分", "DV等"),
    ("seal_registrations.csv", "登録の状態", "有効"),
])
def test_codes_outside_the_layout_are_refused_on_import(platform, nagai, tmp_path, file, header, value):
    fill(platform, nagai)
    out = tmp_path / "out"
    export(platform, nagai, out)

    def spoil(rows):
        rows[1][column(rows, header)] = value

    edit(out, file, spoil)
    other = second_platform(tmp_path)
    try:
        result = import_(other, nagai, out)
        assert not result.ok and nothing_written(other)
        found = {(p.file, p.row, p.column, p.code) for p in result.problems}
        assert (file, 1, header, "IMPORT_BAD_VALUE") in found, result.problems[:5]
        assert any(value in p.reason and "使えません" in p.reason for p in result.problems)
    finally:
        other.dispose()


def test_removal_reasons_and_move_out_stages_are_declared():
    history = next(e for e in entities() if e.file == "resident_history.csv")
    codes = {c.header: c.codes for c in history.columns}
    assert "職権記載" in codes["異動事由"] and "死亡" in codes["消除事由"] and codes["転出の段階"] == ("予定", "確定")
    assert codes["続柄"] == ()  # free text in the registry
