"""The download is streamed: written while the export runs, the same files as ``municloud export``,
bounded in memory, and nothing left behind (thread, snapshot, files) however it ends."""

from __future__ import annotations

import io
import json
import os
import tempfile
import threading
import time
import zipfile

import anyio
import pytest
from fastapi.testclient import TestClient

from municloud.interchange import archive as archive_module
from municloud.interchange.archive import ExportFailed, export_archive, sweep_stale_exports
from municloud.web.app import create_app
from tests.factories import audit_entries, context
from tests.integration.api.helpers import Api
from tests.integration.interchange.helpers import export, fill

EXPORT = "kernel:tenant:export"


@pytest.fixture
def scratch(tmp_path, monkeypatch):
    """The temporary directory every export would use: must stay empty."""
    path = tmp_path / "scratch"
    path.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(path))
    return path


@pytest.fixture
def app(platform):
    return create_app(platform=platform)


@pytest.fixture
def api(app, platform):
    with TestClient(app) as client:
        yield Api(client, platform)


def export_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("municloud-export-")]


def small_chunks(monkeypatch) -> None:
    """Chunks of 512 bytes, two of them ahead at most: even a small tenant takes many."""
    monkeypatch.setattr(archive_module, "CHUNK_BYTES", 512)
    monkeypatch.setattr(archive_module, "QUEUE_CHUNKS", 2)


def test_the_streamed_zip_holds_exactly_what_municloud_export_writes(api, platform, nagai, tmp_path, scratch):
    fill(platform, nagai)
    headers = api.login_as(nagai, "tenant_admin")
    export(platform, nagai, tmp_path / "cli", audited=False)  # the function behind `municloud export`
    response = api.client.get(f"/api/v1/t/{nagai}/export", headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert "content-length" not in response.headers  # streamed, not built first

    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        assert zf.testzip() is None
        assert zf.namelist()[-1] == "manifest.json"  # last: it holds every file's SHA-256
        members = {name: zf.read(name) for name in zf.namelist()}
    cli = {p.name: p.read_bytes() for p in (tmp_path / "cli").iterdir()}
    assert set(members) == set(cli)
    for name in cli:
        if name != "manifest.json":
            assert members[name] == cli[name], name
    streamed, written = json.loads(members["manifest.json"]), json.loads(cli["manifest.json"])
    streamed.pop("exported_at"), written.pop("exported_at")
    assert streamed == written
    assert list(scratch.iterdir()) == [] and export_threads() == []
    # audited before the first byte, after the snapshot: the archive never holds its own entry
    [entry] = audit_entries(platform, nagai, EXPORT)
    assert entry.outcome == "success"
    assert EXPORT not in members["audit_entries.csv"].decode("utf-8")


def test_the_export_waits_for_a_slow_client_instead_of_running_ahead(platform, nagai, monkeypatch, scratch):
    fill(platform, nagai)
    small_chunks(monkeypatch)
    archive = export_archive(platform.uow(nagai), context(platform, nagai, "tenant_admin"))
    try:
        chunks = archive.chunks()
        first = next(chunks)
        assert first.startswith(b"PK\x03\x04")
        time.sleep(0.5)  # the client reads nothing meanwhile
        assert archive.running  # not finished: it waits for the client
        assert archive._queue.qsize() <= archive_module.QUEUE_CHUNKS
        rest = b"".join(chunks)
    finally:
        archive.close()
    with zipfile.ZipFile(io.BytesIO(first + rest)) as zf:
        assert zf.testzip() is None
    assert not archive.running and list(scratch.iterdir()) == []


def test_a_failure_mid_way_breaks_the_stream_rather_than_ending_the_zip(platform, nagai, monkeypatch, scratch):
    fill(platform, nagai)
    small_chunks(monkeypatch)
    real = archive_module.entity_chunks

    def failing(session, entity, tenant_code, progress=None):
        if entity.file == "resident_history.csv":
            raise RuntimeError("disk on fire")
        yield from real(session, entity, tenant_code, progress)

    monkeypatch.setattr(archive_module, "entity_chunks", failing)
    archive = export_archive(platform.uow(nagai), context(platform, nagai, "tenant_admin"))
    received = bytearray()
    with pytest.raises(ExportFailed) as failed:
        for chunk in archive.chunks():
            received += chunk
    assert isinstance(failed.value.__cause__, RuntimeError)
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(bytes(received)))  # no central directory: visibly incomplete
    assert not archive.running and list(scratch.iterdir()) == []


def _asgi_get(app, path: str, headers: dict[str, str], *, spec_version: str, keep: int) -> bytes:
    """GET *path* through the ASGI app with a client that goes away after *keep* body chunks:
    with ASGI 2.4 the server's ``send`` fails (OSError), before it a disconnect message comes."""
    received: list[bytes] = []
    gone = anyio.Event()
    requested = False

    async def receive():
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await gone.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            assert message["status"] == 200
        elif message["type"] == "http.response.body" and message.get("body"):
            if len(received) >= keep:
                gone.set()
                if spec_version == "2.4":
                    raise OSError("connection reset by peer")
                await anyio.sleep(0.05)
                return
            received.append(message["body"])

    scope = {
        "type": "http", "asgi": {"version": "3.0", "spec_version": spec_version}, "http_version": "1.1",
        "method": "GET", "scheme": "http", "path": path, "raw_path": path.encode(), "root_path": "",
        "query_string": b"", "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80), "state": {},
    }

    async def main():
        try:
            await app(scope, receive, send)
        except OSError:
            pass  # the server's view of the vanished client
        except Exception as exc:  # starlette's ClientDisconnect
            if type(exc).__name__ != "ClientDisconnect":
                raise

    # in a thread of its own: the browser tests (Playwright's sync API) leave an event loop
    # running in the main thread, and anyio.run refuses to start inside one
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        pool.submit(anyio.run, main).result()
    return b"".join(received)


@pytest.mark.parametrize("spec_version", ["2.4", "2.3"])
def test_a_client_that_goes_away_mid_download_leaves_nothing_behind(
        api, app, platform, nagai, monkeypatch, scratch, spec_version):
    fill(platform, nagai)
    small_chunks(monkeypatch)
    headers = api.login_as(nagai, "tenant_admin")
    before = set(os.listdir(scratch))
    part = _asgi_get(app, f"/api/v1/t/{nagai}/export", headers, spec_version=spec_version, keep=3)
    assert part.startswith(b"PK\x03\x04")
    deadline = time.monotonic() + 10
    while export_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert export_threads() == []  # the export stopped: its snapshot is released
    assert set(os.listdir(scratch)) == before == set()
    # the abandoned download is audited all the same (recorded before the first byte)
    assert [e.outcome for e in audit_entries(platform, nagai, EXPORT)] == ["success"]


def test_stale_export_directories_are_swept_and_recent_ones_kept(tmp_path):
    old, recent, other = tmp_path / "municloud-export-old1", tmp_path / "municloud-export-new1", tmp_path / "keep-me"
    for d in (old, recent, other):
        d.mkdir()
        (d / "data.csv").write_text("x")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(old, (two_days_ago, two_days_ago))
    os.utime(other, (two_days_ago, two_days_ago))
    assert sweep_stale_exports(tmp_path) == [old]
    assert not old.exists() and recent.exists() and other.exists()


def test_each_export_sweeps_stale_directories_first(platform, nagai, scratch):
    stale = scratch / "municloud-export-abc123"
    stale.mkdir()
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(stale, (two_days_ago, two_days_ago))
    archive = export_archive(platform.uow(nagai), context(platform, nagai, "tenant_admin"))
    try:
        assert not stale.exists()
        assert b"".join(archive.chunks())
    finally:
        archive.close()
