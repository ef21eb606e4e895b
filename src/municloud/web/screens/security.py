"""Cookies, CSRF tokens and security headers of the screens.

* ``municloud_session`` holds the token of :func:`identity.sessions.open_session` /
  :func:`second_factor` (the table keeps only its SHA-256).  HttpOnly, SameSite=Strict,
  Path=/, Secure in production.
* Every POST form carries ``csrf_token``: the session's own token once signed in; before
  (the log-in form) a double-submit token, equal in the form and in the
  ``municloud_login_csrf`` cookie.  Compared with :func:`secrets.compare_digest`.
* Headers on every answer: no framing, no referrer, no MIME sniffing, and a
  Content-Security-Policy allowing only this site's scripts and styles (``data:`` images)
  — except on the OpenAPI pages (``/docs``), whose Swagger UI comes from a CDN.
"""

from __future__ import annotations

import secrets

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SESSION_COOKIE = "municloud_session"
LOGIN_CSRF_COOKIE = "municloud_login_csrf"
CSRF_FIELD = "csrf_token"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
HEADERS = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
NO_CSP_PREFIXES = ("/docs", "/openapi.json")


class CsrfRefused(Exception):
    """The form's CSRF token is missing or wrong (answered 403, nothing done)."""


def _secure(request: Request) -> bool:
    return request.app.state.platform.settings.mode == "production"


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), path="/",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="strict", secure=_secure(request), path="/")


def login_csrf_token(request: Request) -> str:
    """The log-in form's double-submit token: the cookie's when it has one, else new."""
    current = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return current if 20 <= len(current) <= 100 else secrets.token_urlsafe(32)


def set_login_csrf_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request), path="/login",
    )


def tokens_match(expected: str | None, given: str | None) -> bool:
    if not expected or not given:
        return False
    return secrets.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


async def form_csrf_token(request: Request) -> str | None:
    form = await request.form()  # cached by Starlette: the handler's Form fields still work
    value = form.get(CSRF_FIELD)
    return value if isinstance(value, str) else None


async def check_login_csrf(request: Request) -> None:
    if not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE), await form_csrf_token(request)):
        raise CsrfRefused()


class SecurityHeadersMiddleware:
    """Adds :data:`HEADERS` (and :data:`CSP` outside ``/docs``) to every answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with_csp = not scope.get("path", "").startswith(NO_CSP_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if with_csp:
                    headers.setdefault("Content-Security-Policy", CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)
