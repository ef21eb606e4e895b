"""Mapping errors to HTTP: one JSON shape, Japanese messages, no personal data in logs.

Every error answer is ``{"code": stable code, "message": Japanese, "fields": {path: msg}}``.

* :class:`~municloud.errors.MuniError` → its ``status`` and ``as_dict()``.
* Request validation (pydantic) → 422 with a Japanese message per field (dotted path, e.g.
  ``persons.0.shimei_kana``).  A field refused by an item's own check (``kernel.fields``:
  ``INPUT_TOO_LONG``, ``INPUT_CHARACTER_NOT_ALLOWED``, ``JP_FURIGANA_INVALID`` …) keeps
  that check's code and message: the answer's ``code`` is the first such code and, when it
  is the only problem, its ``message`` too; otherwise ``REQUEST_INVALID``.  The rejected
  input is never echoed.
* 401 answers carry ``WWW-Authenticate: Bearer``.
* Anything unexpected → 500 ``INTERNAL_ERROR`` with the request id; the log gets only the
  exception type and the request id (messages of database errors carry the statement's
  parameters — names, addresses — and must not reach ordinary logs).

:class:`RequestIdMiddleware` gives every request an id (``X-Request-ID`` header or a new
one), returns it in the ``X-Request-ID`` response header, and is the catch-all for
unexpected exceptions (so they never reach the server's traceback logging).
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from municloud.errors import MuniError, ValidationError
from municloud.web.deps import request_id_from

log = logging.getLogger("municloud.web")

REQUEST_INVALID = "入力内容に誤りがあります"
INTERNAL_ERROR = (
    "システムエラーが発生しました。お手数ですが、受付番号（request_id）を添えて"
    "システム管理者にお知らせください"
)
FIELD_MESSAGES = {
    "missing": "必須項目です",
    "union_tag_not_found": "必須項目です",
    "string_type": "文字列で入力してください",
    "int_parsing": "数字で入力してください",
    "int_type": "数字で入力してください",
    "literal_error": "選択肢から選んでください",
    "union_tag_invalid": "選択肢から選んでください",
    "enum": "選択肢から選んでください",
    "extra_forbidden": "この項目は使えません",
    "too_short": "入力が足りません（1件以上必要です）",
}
DEFAULT_FIELD_MESSAGE = "入力形式が正しくありません"
FIELD_MESSAGES.update({
    "greater_than_equal": "値が小さすぎます", "greater_than": "値が小さすぎます",
    "less_than_equal": "値が大きすぎます", "less_than": "値が大きすぎます",
    "string_too_long": "長すぎます",
})
_UNION_MEMBER = re.compile(r"[a-z][a-z0-9_-]*\[.*\]")  # pydantic's name of a union member in an error's loc
_OWN_CODE = re.compile(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+")  # an item check's code (kernel.fields)
HTTP_MESSAGES = {
    401: ("AUTH_REQUIRED", "ログインしてください"),
    403: ("PERMISSION_DENIED", "この操作を行う権限がありません"),
    404: ("NOT_FOUND", "指定された場所（URL）はありません"),
    405: ("METHOD_NOT_ALLOWED", "この方法（HTTPメソッド）では使えません"),
    413: ("REQUEST_BODY_TOO_LARGE", ""),  # the message (with the limit) comes from web/input_guard.py
}
_SOURCES = ("body", "query", "path", "header", "cookie")


class ServiceUnavailableError(MuniError):
    status = 503
    default_code = "SERVICE_UNAVAILABLE"


def error_body(code: str, message: str, fields: dict[str, str] | None = None) -> dict:
    return {"code": code, "message": message, "fields": dict(fields or {})}


def _json(status: int, body: dict, headers: dict[str, str] | None = None) -> JSONResponse:
    headers = dict(headers or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(body, status_code=status, headers=headers)


def _request_id(request: Request) -> str:
    return getattr(request.state, "request_id", None) or "-"


async def muni_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, MuniError)
    if exc.status >= 500:
        log.error("%s %s request_id=%s", type(exc).__name__, exc.code, _request_id(request))
    body = exc.as_dict()
    body.setdefault("fields", {})
    retry_after = getattr(exc, "retry_after", None)  # RateLimitedError: 429 + Retry-After
    return _json(exc.status, body, {"Retry-After": str(retry_after)} if retry_after else None)


def field_path(loc: tuple | list, body: Any = None) -> str:
    """``("body", "tennyu", "persons", 0, "shimei_kana")`` → ``persons.0.shimei_kana``.

    Drops the source (body/query/path…) and, in a discriminated union, the tag pydantic
    inserts (``tennyu``): it is the value of a field of the body, not a field name; in
    any other union, the member pydantic names (``list[str]``, ``literal['all']``).
    """
    parts = [p for p in loc if not (isinstance(p, str) and _UNION_MEMBER.fullmatch(p))]
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and isinstance(body, dict) and isinstance(parts[0], str):
            tags = {v for v in body.values() if isinstance(v, str)}
            if parts[0] not in body and parts[0] in tags:
                parts.pop(0)
    return ".".join(str(p) for p in parts)


def validation_fields(errors: list[dict], body: Any = None) -> dict[str, str]:
    fields: dict[str, str] = {}
    for error in errors:
        kind = error.get("type", "")
        path = field_path(error.get("loc", ()), body)
        if kind in ("union_tag_invalid", "union_tag_not_found"):
            discriminator = str((error.get("ctx") or {}).get("discriminator", "")).strip("'\"")
            path = ".".join(p for p in (path, discriminator) if p)
        message = error.get("msg", "") if _OWN_CODE.fullmatch(kind) else FIELD_MESSAGES.get(kind, DEFAULT_FIELD_MESSAGE)
        fields.setdefault(path or "_", message)
    return fields


def request_error(errors: list[dict], body: Any = None) -> ValidationError:
    """Pydantic's errors as one :class:`~municloud.errors.ValidationError` (the API's 422):
    an item check's own code and message when there is one (see the module doc)."""
    fields = validation_fields(errors, body)
    own = [e for e in errors if _OWN_CODE.fullmatch(e.get("type", ""))]
    if not own:
        return ValidationError("REQUEST_INVALID", REQUEST_INVALID, fields=fields)
    message = own[0].get("msg", "") if len(errors) == 1 else REQUEST_INVALID
    return ValidationError(own[0]["type"], message, fields=fields)


async def request_validation_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    error = request_error(list(exc.errors()), getattr(exc, "body", None))
    return _json(422, error_body(error.code, error.message, error.fields))


async def http_exception_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code, message = HTTP_MESSAGES.get(exc.status_code, (f"HTTP_{exc.status_code}", ""))
    if not message:
        message = exc.detail if isinstance(exc.detail, str) else "要求を処理できませんでした"
    return _json(exc.status_code, error_body(code, message), dict(exc.headers or {}))


access_log = logging.getLogger("municloud.access")


def loggable_path(scope: Scope) -> str:
    """The request path with every path parameter replaced by its name and no query
    string: ``/api/v1/t/{tenant}/residents/{atena_no}``.  Search words and record numbers
    are personal data and never reach the ordinary log (the audit log has them)."""
    path = scope.get("path", "")
    for name, value in (scope.get("path_params") or {}).items():
        if value:
            path = path.replace(f"/{value}", f"/{{{name}}}")
    return path


class RequestIdMiddleware:
    """Request id in and out, a personal-data-free access log line, and the last line of
    defence for unexpected exceptions."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_from(Headers(scope=scope).get("x-request-id"))
        scope.setdefault("state", {})["request_id"] = request_id
        started = False
        status = 500
        began = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal started, status
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
            access_log.info(
                "%s %s %s %.0fms request_id=%s", scope.get("method"), loggable_path(scope), status,
                (time.perf_counter() - began) * 1000, request_id,
            )
        except Exception as exc:  # noqa: BLE001 — the catch-all is the point
            # Only the type and the request id: the message may hold personal data.
            log.error("unexpected %s request_id=%s", type(exc).__name__, request_id)
            if started:
                return
            body = error_body("INTERNAL_ERROR", INTERNAL_ERROR)
            body["request_id"] = request_id
            response = _json(500, body, {"X-Request-ID": request_id})
            await response(scope, receive, send)


def install_error_handling(app: FastAPI) -> None:
    app.add_exception_handler(MuniError, muni_error_handler)
    app.add_exception_handler(RequestValidationError, request_validation_handler)
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    app.add_middleware(RequestIdMiddleware)
