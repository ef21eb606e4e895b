"""Screen dependencies: the signed-in session, the tenant Context, CSRF on POST.

A screen handler takes one of:

* :data:`SignedIn` — a complete session (password + second factor), no tenant;
* :data:`TenantScreen` — the same plus the user's Context in ``/t/{tenant}/…``
  (``context_for`` refuses, and audits, a user without a role there → 403 page);
* :data:`TenantForm` — :data:`TenantScreen` for a POST: the form's ``csrf_token`` must equal
  the session's (else 403 and the handler never runs);
* :data:`OperatorScreen` / :data:`OperatorForm` — the platform Context of an operator.

Each resolves the ``municloud_session`` cookie with ``resolve_session`` (which refreshes the
idle clock); no cookie, an ended or expired session → redirect to ``/login`` with a notice;
a session still waiting for its second factor → ``/login/second-factor``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request

from municloud.kernel.context import Context
from municloud.kernel.identity.services import context_for
from municloud.kernel.identity.sessions import SessionInfo, resolve_session
from municloud.kernel.platform import Platform
from municloud.kernel.tenants.services import TenantInfo, get_tenant
from municloud.web.deps import Meta, PlatformDep, RequestMeta, TenantCode
from municloud.web.screens.rendering import FormErrors, Page, render
from municloud.web.screens.security import (
    SESSION_COOKIE,
    CsrfRefused,
    form_csrf_token,
    tokens_match,
)

PLACE = "窓口"


class ScreenRedirect(Exception):
    """Leave the screen for *url* (answered with a 303 by the screen route)."""

    def __init__(self, url: str, notice: str | None = None, *, clear_cookie: bool = False) -> None:
        super().__init__(url)
        self.url, self.notice, self.clear_cookie = url, notice, clear_cookie


@dataclass(frozen=True)
class Screen:
    """What a screen handler needs: who, where, and how to answer."""

    request: Request
    platform: Platform
    meta: RequestMeta
    session: SessionInfo
    ctx: Context | None = None
    tenant: TenantInfo | None = None

    @property
    def csrf_token(self) -> str:
        return self.session.csrf_token

    @property
    def base(self) -> str:
        """``/t/{tenant}`` (empty outside a tenant)."""
        return f"/t/{self.tenant.code}" if self.tenant else ""

    def uow(self, *, read_only: bool = False, dry_run: bool = False, lock_wait_ms: int | None = None):
        """A unit of work bound to the screen's tenant (None for the operator); ``dry_run``
        for a confirmation step (the use case runs and is rolled back); ``lock_wait_ms`` to
        give up on a lock held that long by another transaction (``kernel.db.is_lock_timeout``)."""
        return self.platform.uow(self.ctx.tenant_code if self.ctx else None, read_only=read_only, dry_run=dry_run,
                                 lock_wait_ms=lock_wait_ms)

    def page(self, title: str, shortcuts: dict[str, str] | None = None) -> Page:
        menu = [m for m in self.request.app.state.screen_menu
                if self.ctx and (m.permission is None or self.ctx.has(m.permission))]
        keys: dict[str, str] = {}
        if self.tenant:
            keys["Alt+H"] = "この団体のホーム"
        keys.update({f"Alt+{m.shortcut.upper()}": m.label for m in menu if m.shortcut})
        keys.update(shortcuts or {})
        keys["Alt+L"] = "ログアウト"
        return Page(title, self.session, self.tenant, self.ctx, self.csrf_token, menu if self.tenant else [],
                    shortcuts=keys)

    def render(
        self, template: str, *, title: str, status: int = 200, errors: Any = None, form: dict | None = None,
        shortcuts: dict[str, str] | None = None, **values: Any,
    ):
        """The page *template* in the frame (header, menu, log-out button, shortcuts box).

        *errors*: a MuniError or :class:`FormErrors` — shown as the error summary at the top
        and next to each field; *form*: the values typed, to fill the form again."""
        if errors is not None and not isinstance(errors, FormErrors):
            errors = FormErrors.of(errors)
        return render(self.request, template, self.page(title, shortcuts), status=status, errors=errors,
                      form=form, **values)


def _session(request: Request, platform: Platform) -> SessionInfo:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise ScreenRedirect("/login", "required")
    info = resolve_session(platform.uow(None, read_only=True), token)  # AuthenticationError → /login
    if not info.complete:
        raise ScreenRedirect("/login/second-factor", "second_factor")
    return info


def signed_in(request: Request, platform: PlatformDep, meta: Meta) -> Screen:
    return Screen(request, platform, meta, _session(request, platform))


SignedIn = Annotated[Screen, Depends(signed_in)]


def _context(platform: Platform, tenant: str | None, screen: Screen) -> Context:
    meta = screen.meta
    return context_for(
        platform.uow(tenant, read_only=True), screen.session.user_id, place=PLACE,
        terminal=meta.terminal or meta.client_addr, client_addr=meta.client_addr, request_id=meta.request_id,
    )


def tenant_screen(tenant: TenantCode, platform: PlatformDep, screen: SignedIn) -> Screen:
    ctx = _context(platform, tenant, screen)
    info = get_tenant(platform.uow(None, read_only=True), tenant)
    return Screen(screen.request, platform, screen.meta, screen.session, ctx, info)


def operator_screen(platform: PlatformDep, screen: SignedIn) -> Screen:
    ctx = _context(platform, None, screen)
    return Screen(screen.request, platform, screen.meta, screen.session, ctx)


async def verify_csrf(request: Request, screen: SignedIn) -> None:
    if not tokens_match(screen.session.csrf_token, await form_csrf_token(request)):
        raise CsrfRefused()


TenantScreen = Annotated[Screen, Depends(tenant_screen)]
OperatorScreen = Annotated[Screen, Depends(operator_screen)]


def tenant_form(_: Annotated[None, Depends(verify_csrf)], screen: TenantScreen) -> Screen:
    return screen


def operator_form(_: Annotated[None, Depends(verify_csrf)], screen: OperatorScreen) -> Screen:
    return screen


def signed_in_form(_: Annotated[None, Depends(verify_csrf)], screen: SignedIn) -> Screen:
    return screen


TenantForm = Annotated[Screen, Depends(tenant_form)]
OperatorForm = Annotated[Screen, Depends(operator_form)]
SignedInForm = Annotated[Screen, Depends(signed_in_form)]
