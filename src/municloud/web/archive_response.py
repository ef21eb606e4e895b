"""The HTTP side of the tenant download (``interchange.archive``): a streamed ZIP response.

Everything that can refuse (permission, unknown tenant, the audit entry) has happened in
``export_archive`` before this response exists, so errors are the usual 403 JSON / screen
page.  The ZIP itself is sent as it is written; ``close()`` stops the export thread in every
path — finished, failed, or the client gone (ASGI 2.4 ``OSError`` or a 2.0 disconnect
message alike) — so no database snapshot outlives the request.
"""

from __future__ import annotations

from anyio import to_thread
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from municloud.interchange.archive import MEDIA_TYPE, ExportArchive


class ArchiveResponse(StreamingResponse):
    media_type = MEDIA_TYPE

    def __init__(self, archive: ExportArchive) -> None:
        super().__init__(archive.chunks(), media_type=MEDIA_TYPE, headers={
            "Content-Disposition": f'attachment; filename="{archive.filename}"',
            "Cache-Control": "no-store",
        })
        self.archive = archive

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await to_thread.run_sync(self.archive.close)
