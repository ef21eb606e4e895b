"""The edge of every request: body size limits, and text no database can store.

One ASGI middleware, in front of every route (API, screens, ``/verify``):

* **Body size.** A body larger than its limit is answered ``413 REQUEST_BODY_TOO_LARGE``
  (Japanese message naming the limit) before any route sees it — at once when the
  ``Content-Length`` says so, else as soon as the bytes read so far pass the limit (a
  chunked body without ``Content-Length`` is counted as it streams).  Two limits
  (``Settings``): ``max_body_bytes`` (``MUNICLOUD_MAX_BODY_BYTES``, default 1 MiB) for
  everything but file uploads — a JSON body or a screen's form is a few kilobytes, and
  every text item has its own maximum length (``kernel.fields``) far below it — and
  ``max_upload_bytes`` (``MUNICLOUD_MAX_UPLOAD_BYTES``, default 512 MiB) for
  ``multipart/form-data``: the 課税資料 CSV of a large city, a seal impression, a
  certificate to verify.  Each upload route still refuses what is too big for its purpose
  (a seal image over ``seals.impression.max_bytes`` …).
* **Unstorable text.** A JSON string (value or key) holding a lone surrogate — what a
  ``"\\ud800"`` escape decodes to; SQLite cannot encode it and PostgreSQL refuses it — is
  answered ``422 INPUT_LONE_SURROGATE``; a NUL character (``"\\u0000"``, ``%00`` in the
  path, the query or a form; PostgreSQL refuses it in text) ``422 INPUT_CONTROL_CHARACTER``.
  The answer names the field (``persons.0.shimei``) and never echoes the input.  Every
  other rule about characters belongs to the item (``jp.policy`` through
  ``kernel.fields``); this check is the one place that covers *every* string, including
  those that have no item (dictionary keys, free-form bodies).  A JSON body must be UTF-8
  (``422 INPUT_NOT_UTF8``): JSON may legally be UTF-16 or UTF-32, where the search for
  escapes would see nothing.

Non-JSON, non-form bodies are only counted.  JSON and form bodies are read whole (they
are small) and handed on unchanged.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qsl

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from municloud.jp.policy import UNSTORABLE_NUL, unstorable
from municloud.web.errors import _json, error_body

_SUSPECT = re.compile(rb"\\u(?:[dD][89a-fA-F]|0000)|%00")  # only then is the body parsed and walked
_SURROGATE = re.compile("[\ud800-\udfff]")
TOO_LARGE = "REQUEST_BODY_TOO_LARGE"
NUL = UNSTORABLE_NUL.reason
NOT_UTF8 = "送信する内容の文字コードは UTF-8 にしてください"


def _size(n: int) -> str:
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20} MiB"
    if n >= 1 << 10 and n % (1 << 10) == 0:
        return f"{n >> 10} KiB"
    return f"{n:,} バイト"


def too_large_message(limit: int, upload: bool) -> str:
    what = "アップロードするファイル" if upload else "送信する内容"
    return f"{what}が大きすぎます（上限 {_size(limit)}）。分けて送るか、システム管理者に相談してください"


class RequestTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed upload passes its limit (FastAPI re-raises
    HTTP exceptions met while reading a body; ``web/errors.py`` answers 413)."""

    def __init__(self, limit: int, upload: bool) -> None:
        super().__init__(413, detail=too_large_message(limit, upload))


def _utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\x00" not in body[:4].decode("utf-8")  # UTF-16/32 of ASCII JSON is also valid UTF-8


def _bad(text: str) -> bool:
    return "\x00" in text or _SURROGATE.search(text) is not None


class InputGuardMiddleware:
    """See the module doc.  ``max_body`` / ``max_upload`` in bytes."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        problem = self._url_problem(scope)
        if problem is not None:
            await self._refuse(scope, receive, send, 422, *problem)
            return
        kind = headers.get("content-type", "").split(";")[0].strip().lower()
        upload = kind == "multipart/form-data"
        limit = self.max_upload if upload else self.max_body
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, 413, "", TOO_LARGE, too_large_message(limit, upload))
            return
        if upload or not (kind == "" or kind.endswith("json") or kind == "application/x-www-form-urlencoded"):
            await self.app(scope, self._counted(receive, limit, upload), send)
            return
        body, more = await self._read(receive, limit)
        if more:
            await self._refuse(scope, receive, send, 413, "", TOO_LARGE, too_large_message(limit, False))
            return
        problem = self._body_problem(body, kind)
        if problem is not None:
            await self._refuse(scope, receive, send, 422, *problem)
            return
        await self.app(scope, self._replay(body, receive), send)

    @staticmethod
    def _url_problem(scope: Scope) -> tuple[str, str, str] | None:
        path = scope.get("path", "")
        if "\x00" in path:
            return "_", "INPUT_CONTROL_CHARACTER", NUL
        query = scope.get("query_string", b"")
        if query and _SUSPECT.search(query):
            for name, value in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
                if _bad(name) or _bad(value):
                    return (name if not _bad(name) else "_"), "INPUT_CONTROL_CHARACTER", NUL
        return None

    @staticmethod
    def _body_problem(body: bytes, kind: str) -> tuple[str, str, str] | None:
        if body and kind != "application/x-www-form-urlencoded" and not _utf8(body):
            # JSON may legally come in UTF-16 or UTF-32, which the byte search below cannot
            # see into (a "\ud800" escape in UTF-16 is no such run of bytes): only UTF-8
            return "_", "INPUT_NOT_UTF8", NOT_UTF8
        if not body or not _SUSPECT.search(body):
            return None
        if kind == "application/x-www-form-urlencoded":
            for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
                if _bad(name) or _bad(value):
                    return (name if not _bad(name) else "_"), "INPUT_CONTROL_CHARACTER", NUL
            return None
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return None  # not JSON: the route answers as it does for any malformed body
        found = unstorable(data)
        return (found[0] or "_", found[1].code, found[1].reason) if found else None

    @staticmethod
    async def _read(receive: Receive, limit: int) -> tuple[bytes, bool]:
        """The whole body, or (what was read, True) as soon as it passes *limit*."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks), False
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return b"", True
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), False

    @staticmethod
    def _replay(body: bytes, receive: Receive) -> Receive:
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    @staticmethod
    def _counted(receive: Receive, limit: int, upload: bool) -> Receive:
        size = 0

        async def counted() -> Message:
            nonlocal size
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    raise RequestTooLarge(limit, upload)
            return message

        return counted

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, field: str, code: str,
                      message: str) -> None:
        if status == 413:
            body = error_body(code, message)
        else:  # "_": the URL itself, or a key that cannot be named
            where = "URL" if field == "_" and scope.get("path", "").count("\x00") else "入力内容"
            body = error_body(code, f"{where}に{message}", {field: message})
        await _json(status, body)(scope, receive, send)
