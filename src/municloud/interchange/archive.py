"""The tenant admin's download: the standard-layout export of one tenant as a streamed ZIP.

``export_archive`` does everything that can refuse *before* the first byte is sent:

1. checks ``kernel:tenant:export`` (a refusal is audited and raised: the web layer answers
   403, never a broken stream);
2. starts the export thread, which opens the read snapshot and reads the tenant row (an
   unknown tenant is raised here);
3. records the success in the tenant's audit chain and commits — after the snapshot was
   taken, so the archive never holds its own export entry (as ``municloud export``), and
   before streaming, so a download the client abandons half-way is audited all the same.

Then the thread writes the ZIP while it reads: one deflated member per entity (the same
bytes as ``municloud export`` writes, see ``exporter.entity_chunks``) and ``manifest.json``
last, with every member's row count and SHA-256 computed on the way.  ``zipfile`` writes to
a non-seekable stream with data descriptors; members are ZIP64 so a city's history file may
pass 4 GiB.  Nothing is written to disk.  The bytes go through a bounded queue
(``QUEUE_CHUNKS`` × ``CHUNK_BYTES``): when the client reads slowly the export waits, so
memory stays bounded whatever the tenant's size.

The caller iterates ``chunks()`` and must call ``close()`` in every path (the web layer does
it in ``finally``): it stops the thread, waits for it and so releases the database snapshot.
A thread whose reader vanished without ``close()`` stops by itself after ``IDLE_SECONDS``.
If the export fails mid-way the stream raises, so the client gets a truncated download,
never a ZIP that looks complete.

Earlier versions built the ZIP in a ``municloud-export-*`` temporary directory; a process
killed mid-export could leave one behind, so every export first sweeps such directories
older than a day (``sweep_stale_exports``).
"""

from __future__ import annotations

import contextlib
import hashlib
import queue
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from municloud.interchange.exporter import entity_chunks, manifest_bytes, read_tenant, snapshot
from municloud.interchange.layout import entities
from municloud.kernel.catalog import A_TENANT_EXPORT, P_TENANT_EXPORT
from municloud.kernel.clock import JST

MEDIA_TYPE = "application/zip"
CHUNK_BYTES = 64 * 1024  # bytes handed to the response at a time
QUEUE_CHUNKS = 16  # chunks the export may run ahead of the client (≈ 1 MiB)
IDLE_SECONDS = 600.0  # the export stops when nobody took a chunk for this long
STALE_SECONDS = 24 * 3600
STALE_PREFIX = "municloud-export-"

_DONE = object()


class ExportAborted(Exception):
    """The download was closed before the export finished (client gone, or idle)."""


class ExportFailed(Exception):
    """The export failed after streaming had started: the download must end broken."""


def archive_name(tenant_code: str, moment: datetime | None = None) -> str:
    moment = (moment or datetime.now(JST)).astimezone(JST)
    return f"municloud-{tenant_code}-{moment:%Y%m%d-%H%M%S}.zip"


def sweep_stale_exports(directory: Path | None = None, max_age: float = STALE_SECONDS) -> list[Path]:
    """Remove ``municloud-export-*`` directories older than *max_age* seconds (left by a
    killed process); returns what was removed."""
    base = Path(directory or tempfile.gettempdir())
    limit = time.time() - max_age
    removed = []
    for path in base.glob(STALE_PREFIX + "*"):
        try:
            if path.is_dir() and not path.is_symlink() and path.stat().st_mtime < limit:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        except OSError:
            continue
    return removed


class _Sink:
    """The non-seekable file ``zipfile`` writes to: buffers CHUNK_BYTES, then hands them over."""

    def __init__(self, archive: ExportArchive) -> None:
        self._archive = archive
        self._buffer = bytearray()
        self.discard = False  # after a failure: whatever zipfile still writes goes nowhere

    def write(self, data) -> int:
        if self.discard:
            return len(data)
        self._buffer += data
        if len(self._buffer) >= CHUNK_BYTES:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer and not self.discard:
            chunk, self._buffer = bytes(self._buffer), bytearray()
            self._archive._put(chunk)


class ExportArchive:
    """One download being produced by its own thread; iterate ``chunks()``, then ``close()``."""

    def __init__(self, platform, tenant_code: str) -> None:
        self.tenant_code = tenant_code
        self.filename = archive_name(tenant_code)
        self.rows = 0
        self.files: dict[str, dict] = {}
        self._platform = platform
        self._queue: queue.Queue = queue.Queue(QUEUE_CHUNKS)
        self._stop = threading.Event()
        self._snapshot_taken = threading.Event()
        self._go = threading.Event()
        self._error: BaseException | None = None
        self._last_taken = time.monotonic()
        self._thread = threading.Thread(target=self._run, name=f"municloud-export-{tenant_code}", daemon=True)

    # the export thread -------------------------------------------------------------------

    def _run(self) -> None:
        sink = _Sink(self)
        try:
            with snapshot(self._platform) as session:
                tenant = read_tenant(session, self.tenant_code)
                self._snapshot_taken.set()
                while not self._go.wait(0.2):
                    if self._stop.is_set():
                        raise ExportAborted
                zf = zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED)
                for entity in entities():
                    digest, count = hashlib.sha256(), 0
                    with zf.open(entity.file, "w", force_zip64=True) as member:
                        for data, count in entity_chunks(session, entity, self.tenant_code):  # noqa: B007
                            digest.update(data)
                            member.write(data)
                            if self._stop.is_set():
                                raise ExportAborted
                    self.files[entity.file] = {"rows": count, "sha256": digest.hexdigest()}
                    self.rows += count
                zf.writestr("manifest.json", manifest_bytes(tenant, self.files))
                zf.close()  # the central directory
            sink.flush()
            self._put(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed to the reader
            sink.discard = True  # a failed ZIP must never be completed by zipfile's close()
            self._error = exc
            self._snapshot_taken.set()
            self._stop.set()
            self._offer(_DONE)

    def _put(self, item) -> None:
        """Hand *item* to the reader; wait while the queue is full (the client is slower)."""
        while True:
            if self._stop.is_set():
                raise ExportAborted
            try:
                self._queue.put(item, timeout=0.2)
                return
            except queue.Full:
                if time.monotonic() - self._last_taken > IDLE_SECONDS:
                    raise ExportAborted from None

    def _offer(self, item) -> None:
        with contextlib.suppress(queue.Full):  # the reader was closed; close() drains and joins
            self._queue.put_nowait(item)

    # the caller --------------------------------------------------------------------------

    def start(self) -> None:
        """Start the thread and wait until its snapshot is taken (raises what it raised)."""
        self._thread.start()
        self._snapshot_taken.wait()
        if self._error is not None:
            raise self._error

    def stream(self) -> None:
        """Let the thread write the ZIP (after the audit entry is committed)."""
        self._go.set()

    def chunks(self) -> Iterator[bytes]:
        try:
            while True:
                try:
                    item = self._queue.get(timeout=0.2)
                except queue.Empty:
                    if not self._thread.is_alive() and self._queue.empty():
                        item = _DONE
                    else:
                        continue
                self._last_taken = time.monotonic()
                if item is _DONE:
                    if self._error is not None:
                        raise ExportFailed(f"団体 {self.tenant_code} の書き出しが途中で失敗しました") from self._error
                    return
                yield item
        finally:
            self.close()

    def close(self) -> None:
        """Stop the thread (if still running), wait for it; safe to call more than once."""
        self._stop.set()
        while self._thread.is_alive():
            try:
                while True:
                    self._queue.get_nowait()
            except queue.Empty:
                pass
            self._thread.join(0.1)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()


def export_archive(uow, ctx) -> ExportArchive:
    """The whole tenant of *uow* as a ZIP stream (tenant admin; refusals are audited).

    Returns once the permission is checked, the snapshot is taken and the export is
    audited; the caller then sends ``chunks()`` and calls ``close()``."""
    tenant_code = uow.tenant_code
    with uow:
        uow.require(ctx, P_TENANT_EXPORT, A_TENANT_EXPORT, subjects=[f"tenant:{tenant_code}"])
    sweep_stale_exports()
    archive = ExportArchive(uow.platform, tenant_code)
    try:
        archive.start()
        with uow.platform.uow(tenant_code) as audit_uow:
            audit_uow.audit.record(ctx, A_TENANT_EXPORT, subjects=[f"tenant:{tenant_code}"],
                                   detail={"files": len(entities()), "archive": archive.filename})
            audit_uow.commit()
        archive.stream()
    except BaseException:
        archive.close()
        raise
    return archive
