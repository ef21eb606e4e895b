"""Log-in (password, then the mandatory second factor), log-out, and where to go next.

``/login`` → ``authenticate`` + ``open_session`` (cookie at stage "password") →
``/login/second-factor`` (first time: enrolment with a QR code) → ``second_factor`` gives a
new token (cookie replaced) → the user's home: one tenant → ``/t/{code}/``, several →
``/home`` (choice), operator → ``/tenants``.

While log-ins are throttled (``identity/throttle.py``) the page answers 429 and shows a
one-time password field beside the password: with both right, the session opens complete
at once — the way a rightful user gets in while someone else keeps failing.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from municloud.errors import AuthenticationError, MuniError, RateLimitedError
from municloud.kernel.documents.qr import qr_svg
from municloud.kernel.identity import sessions
from municloud.kernel.identity.login import authenticate
from municloud.kernel.identity.services import UserInfo
from municloud.kernel.identity.sessions import (
    SessionInfo,
    begin_enrolment,
    end_session,
    open_session,
    resolve_session,
    second_factor,
)
from municloud.kernel.tenants.services import tenants_named
from municloud.web.deps import Meta, PlatformDep
from municloud.web.screens.access import PUBLIC, SIGNED_IN
from municloud.web.screens.deps import SignedIn
from municloud.web.screens.rendering import FormErrors, Page, redirect, render
from municloud.web.screens.route import ScreenRoute
from municloud.web.screens.security import (
    SESSION_COOKIE,
    CsrfRefused,
    check_login_csrf,
    clear_session_cookie,
    form_csrf_token,
    login_csrf_token,
    set_login_csrf_cookie,
    set_session_cookie,
    tokens_match,
)

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)


def landing(info: SessionInfo | UserInfo) -> str:
    """Where a signed-in user starts."""
    if info.is_operator:
        return "/tenants"
    if len(info.tenants) == 1:
        return f"/t/{next(iter(info.tenants))}/"
    return "/home"


def _login_page(request: Request, *, status: int = 200, errors=None, form: dict | None = None,
                with_code: bool = False) -> Response:
    """The log-in form; *with_code*: with the one-time password field (while throttled)."""
    token = login_csrf_token(request)
    response = render(request, "auth/login.html", Page("ログイン"), status=status, errors=errors, form=form,
                      login_csrf=token, with_code=with_code)
    if isinstance(errors, RateLimitedError):
        response.headers["Retry-After"] = str(errors.retry_after)
    set_login_csrf_cookie(request, response, token)
    return response


@router.get("/", summary="最初の画面（ログインまたはホームへ）", dependencies=[PUBLIC])
def root() -> Response:
    return redirect("/home")


@router.get("/login", summary="ログイン画面", dependencies=[PUBLIC])
def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login", summary="ログイン（利用者名とパスワード）", dependencies=[PUBLIC, Depends(check_login_csrf)])
def login(
    request: Request,
    platform: PlatformDep,
    meta: Meta,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
) -> Response:
    form = {"username": username}
    missing = {k: "入力してください" for k, v in (("username", username.strip()), ("password", password)) if not v}
    if missing:
        errors = FormErrors("利用者名とパスワードを入力してください", missing)
        return _login_page(request, status=422, errors=errors, form=form, with_code=bool(code))
    try:
        login = authenticate(platform.uow(None), username.strip(), password, otp=code.strip() or None,
                             client_addr=meta.client_addr, request_id=meta.request_id, terminal=meta.terminal)
    except RateLimitedError as exc:
        return _login_page(request, status=429, errors=exc, form=form, with_code=True)
    except (AuthenticationError, MuniError) as exc:
        if exc.status >= 500:
            raise
        return _login_page(request, status=exc.status, errors=FormErrors.of(exc, rename={"otp": "code"}),
                           form=form, with_code=bool(code))
    token, _ = open_session(platform.uow(None), login.user, client_addr=meta.client_addr,
                            complete=login.second_factor)
    response = redirect(landing(login.user) if login.second_factor else "/login/second-factor")
    set_session_cookie(request, response, token)
    return response


def _second_factor_page(request: Request, platform, token: str, info: SessionInfo, *, status: int = 200,
                        errors=None) -> Response:
    enrolment = None if info.enrolled else begin_enrolment(platform.uow(None), token)
    svg = None
    if enrolment is not None:
        # the inline style of qr_svg is refused by our CSP: size it with the stylesheet instead
        svg = re.sub(r'\sstyle="[^"]*"', "", qr_svg(enrolment.uri), count=1)
        svg = svg.replace("<svg ", '<svg class="qr__image" role="img" aria-label="二要素認証の登録用QRコード" ', 1)
    title = "二要素認証の登録" if enrolment else "ワンタイムパスワードの入力"
    page = Page(title, user=info, csrf_token=info.csrf_token)
    return render(request, "auth/second_factor.html", page, status=status, errors=errors, enrolment=enrolment,
                  qr_svg=svg)


def _pending(request: Request, platform) -> tuple[str, SessionInfo] | Response:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return redirect("/login", "required")
    info = resolve_session(platform.uow(None, read_only=True), token)
    if info.complete:
        return redirect(landing(info))
    return token, info


@router.get("/login/second-factor", summary="二要素認証の画面（初回は登録）", dependencies=[PUBLIC])
def second_factor_form(request: Request, platform: PlatformDep) -> Response:
    pending = _pending(request, platform)
    if isinstance(pending, Response):
        return pending
    token, info = pending
    return _second_factor_page(request, platform, token, info)


@router.post("/login/second-factor", summary="二要素認証（ワンタイムパスワード）", dependencies=[PUBLIC])
async def second_factor_check(request: Request, platform: PlatformDep, meta: Meta) -> Response:
    pending = _pending(request, platform)
    if isinstance(pending, Response):
        return pending
    token, info = pending
    form = await request.form()
    if not tokens_match(info.csrf_token, await form_csrf_token(request)):
        raise CsrfRefused()
    code = str(form.get("code", ""))
    try:
        new_token, full = second_factor(platform.uow(None), token, code, client_addr=meta.client_addr,
                                        request_id=meta.request_id)
    except RateLimitedError as exc:  # throttled: back to the log-in page, password and code together
        return _throttled(request, exc)
    except AuthenticationError as exc:
        if exc.code == "TOTP_INVALID":
            info = resolve_session(platform.uow(None, read_only=True), token)
            return _second_factor_page(request, platform, token, info, status=401, errors=FormErrors.of(exc))
        raise
    response = redirect(landing(full))
    set_session_cookie(request, response, new_token)
    return response


def _throttled(request: Request, exc: RateLimitedError) -> Response:
    response = _login_page(request, status=429, errors=exc, with_code=True)
    clear_session_cookie(request, response)
    return response


@router.post("/logout", summary="ログアウト", dependencies=[PUBLIC])
async def logout(request: Request, platform: PlatformDep, meta: Meta) -> Response:
    """ログアウト (any stage of session; the form carries the session's CSRF token)."""
    token = request.cookies.get(SESSION_COOKIE)
    try:
        info = resolve_session(platform.uow(None, read_only=True), token)
    except AuthenticationError as exc:
        response = redirect("/login", "expired" if exc.code == "SESSION_EXPIRED" else "logout")
        clear_session_cookie(request, response)
        return response
    if not tokens_match(info.csrf_token, await form_csrf_token(request)):
        raise CsrfRefused()
    end_session(platform.uow(None, lock_wait_ms=sessions.LOGOUT_WAIT_MS), token, request_id=meta.request_id,
                client_addr=meta.client_addr)
    response = redirect("/login", "logout")
    clear_session_cookie(request, response)
    return response


@router.get("/home", summary="団体の選択", dependencies=[SIGNED_IN])
def home(screen: SignedIn) -> Response:
    """The tenant choice for a user working in several tenants."""
    info = screen.session
    target = landing(info)
    if target != "/home":
        return redirect(target)
    names = {t.code: t for t in tenants_named(screen.platform.uow(None, read_only=True), list(info.tenants))}
    roles = screen.platform.catalog.roles
    choices = [
        (names[code], [roles[r].description if r in roles else r for r in held])
        for code, held in info.tenants.items() if code in names
    ]
    return screen.render("home/choose_tenant.html", title="団体の選択", choices=choices)
