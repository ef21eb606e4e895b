"""Errors on screens are Japanese HTML pages, not the API's JSON.

:class:`ScreenRoute` (the ``route_class`` of every screen router) catches what a screen's
dependencies and handler raise:

* :class:`~municloud.web.screens.deps.ScreenRedirect` → 303 to where it says;
* an ended or expired session (``AuthenticationError``) → 303 to ``/login`` with the notice
  (「一定時間操作がなかったため、ログアウトしました」 after the idle time-out), cookie cleared;
* a wrong or missing CSRF token → 403 page (the handler never ran);
* any other :class:`~municloud.errors.MuniError` (PermissionDenied, NotFound, …) → a page
  with its status and Japanese message;
* a malformed path or query (FastAPI's validation) → 404 / 422 page;
* a ``multipart/form-data`` body on a screen that takes no file → 415 page before the
  handler runs (the edge, ``web/input_guard.py``, checks the text of JSON and URL-encoded
  forms, never of multipart — whose files may hold any byte — so a form posted as
  multipart must not reach a handler that expects checked text).

Handlers that show a form catch ``ValidationError`` themselves and render the form again
with the messages (see ``Screen.render(errors=…)``).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from municloud.errors import AuthenticationError, MuniError
from municloud.web.screens.deps import ScreenRedirect
from municloud.web.screens.rendering import NO_STORE, Page, redirect, render
from municloud.web.screens.security import CsrfRefused, clear_session_cookie

TITLES = {
    400: "要求を処理できませんでした", 403: "この操作を行う権限がありません", 404: "ページが見つかりません",
    405: "この方法では使えません", 409: "他の職員が先に更新しました", 415: "この形式の送信は受け付けません",
    422: "入力内容に誤りがあります",
}
CSRF_MESSAGE = (
    "画面の有効期限が切れたか、正しくない送信です。処理は行っていません。"
    "画面を開き直してから、もう一度操作してください"
)


def error_page(request: Request, status: int, message: str, code: str = "") -> Response:
    title = TITLES.get(status, "エラーが発生しました")
    return render(request, "error.html", Page(title), status=status, message=message, code=code)


def _login_redirect(request: Request, notice: str) -> Response:
    response = redirect("/login", notice)
    clear_session_cookie(request, response)
    return response


def takes_files(route: APIRoute) -> bool:
    """Whether *route* has a file parameter (``UploadFile``)."""
    return any(_is_file(p.field_info.annotation) for p in route.dependant.body_params)


def _is_file(annotation: Any) -> bool:
    return annotation is UploadFile or UploadFile in getattr(annotation, "__args__", ())


class ScreenRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        files = takes_files(self)

        async def screen_handler(request: Request) -> Response:
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "multipart/form-data" and not files:
                return error_page(request, 415, "この画面はファイルを受け付けません。画面から送信してください",
                                  "MULTIPART_NOT_ACCEPTED")
            try:
                response = await handle(request)
            except ScreenRedirect as exc:
                response = redirect(exc.url, exc.notice)
                if exc.clear_cookie:
                    clear_session_cookie(request, response)
            except CsrfRefused:
                response = error_page(request, 403, CSRF_MESSAGE, "CSRF_REFUSED")
            except AuthenticationError as exc:
                response = _login_redirect(request, "expired" if exc.code == "SESSION_EXPIRED" else "required")
            except MuniError as exc:
                response = error_page(request, exc.status, exc.message, exc.code)
            except RequestValidationError as exc:
                in_path = any(e.get("loc", ("",))[0] == "path" for e in exc.errors())
                response = (
                    error_page(request, 404, "指定されたページはありません")
                    if in_path
                    else error_page(request, 422, "入力内容に誤りがあります。画面を開き直してください")
                )
            for name, value in NO_STORE.items():
                response.headers.setdefault(name, value)
            return response

        return screen_handler


def html_http_errors(fallback: Callable) -> Callable:
    """A Starlette HTTPException handler answering HTML to browsers outside ``/api``
    (an unknown screen URL) and delegating everything else to *fallback* (JSON)."""

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        wants_html = "text/html" in request.headers.get("accept", "")
        if wants_html and not request.url.path.startswith("/api/"):
            message = TITLES.get(exc.status_code, "要求を処理できませんでした")
            return error_page(request, exc.status_code, message)
        return await fallback(request, exc)

    return handler
