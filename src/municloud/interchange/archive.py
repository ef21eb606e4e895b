"""The tenant admin's download: the standard-layout export of one tenant as a ZIP archive.

``export_archive`` checks ``kernel:tenant:export`` (a refusal is audited), runs
:func:`~municloud.interchange.exporter.export_tenant` into a temporary directory (its audit
entry names the admin) and zips the files (``manifest.json`` + one CSV per entity, at the
archive's root) into a temporary file, so a large tenant is streamed from disk, never held
in memory.  The caller sends ``ExportArchive.path`` and calls ``cleanup()`` afterwards.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from municloud.interchange.exporter import export_tenant
from municloud.kernel.catalog import A_TENANT_EXPORT, P_TENANT_EXPORT
from municloud.kernel.clock import JST

MEDIA_TYPE = "application/zip"


@dataclass(frozen=True)
class ExportArchive:
    filename: str  # municloud-{tenant}-{YYYYMMDD-HHMMSS}.zip (JST)
    path: Path  # the ZIP in a temporary directory
    cleanup: Callable[[], None]  # removes the temporary directory


def archive_name(tenant_code: str, moment: datetime | None = None) -> str:
    moment = (moment or datetime.now(JST)).astimezone(JST)
    return f"municloud-{tenant_code}-{moment:%Y%m%d-%H%M%S}.zip"


def export_archive(uow, ctx) -> ExportArchive:
    """The whole tenant of *uow* as a ZIP (tenant admin; refusals are audited)."""
    tenant_code = uow.tenant_code
    with uow:
        uow.require(ctx, P_TENANT_EXPORT, A_TENANT_EXPORT, subjects=[f"tenant:{tenant_code}"])
    work = Path(tempfile.mkdtemp(prefix="municloud-export-"))

    def cleanup() -> None:
        shutil.rmtree(work, ignore_errors=True)

    try:
        data = work / "data"
        export_tenant(uow.platform, tenant_code, data, actor_ctx=ctx)
        name = archive_name(tenant_code)
        path = work / name
        with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for file in sorted(data.iterdir()):
                zf.write(file, file.name)
        shutil.rmtree(data, ignore_errors=True)
    except BaseException:
        cleanup()
        raise
    return ExportArchive(name, path, cleanup)
