"""Request dependencies: request metadata, the platform, and bearer token → Context.

A handler under ``/api/v1/t/{tenant}/…`` takes :data:`TenantContext`; an operator handler
takes :data:`PlatformContext`.  Both resolve the token first, then ask
``identity.services.context_for`` — which refuses (and audits) a user without a role in
that tenant with the same answer whether or not the tenant or the record exists.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import OAuth2PasswordBearer

from municloud.errors import AuthenticationError
from municloud.kernel.context import Context
from municloud.kernel.identity.services import context_for
from municloud.kernel.identity.tokens import read_token
from municloud.kernel.platform import Platform

TOKEN_URL = "/api/v1/auth/token"
PLACE = "api"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

# auto_error=False: a missing token is answered by our own Japanese 401 (errors.py).
oauth2_scheme = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


@dataclass(frozen=True)
class RequestMeta:
    """Where a request comes from, recorded in audit entries and registry history."""

    request_id: str
    client_addr: str | None
    terminal: str | None


def request_id_from(header: str | None) -> str:
    """The caller's ``X-Request-ID`` when it is a safe token, else a new uuid4 hex."""
    if header and _SAFE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def request_meta(request: Request) -> RequestMeta:
    request_id = getattr(request.state, "request_id", None) or request_id_from(
        request.headers.get("x-request-id")
    )
    terminal = request.headers.get("x-terminal-id")
    return RequestMeta(
        request_id=request_id,
        client_addr=request.client.host if request.client else None,
        terminal=(terminal.strip()[:64] or None) if terminal else None,
    )


def get_platform(request: Request) -> Platform:
    return request.app.state.platform


PlatformDep = Annotated[Platform, Depends(get_platform)]
Meta = Annotated[RequestMeta, Depends(request_meta)]


def current_user_id(
    platform: PlatformDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> int:
    """The user id of the bearer token (401 when missing, expired or forged)."""
    if not token:
        raise AuthenticationError("AUTH_REQUIRED", "ログインしてください（認証トークンがありません）")
    return read_token(platform.settings, token)


UserId = Annotated[int, Depends(current_user_id)]
TenantCode = Annotated[
    str, Path(pattern=r"^[0-9]{6}$", description="団体コード（全国地方公共団体コード6桁）")
]


def tenant_context(tenant: TenantCode, platform: PlatformDep, user_id: UserId, meta: Meta) -> Context:
    """The Context of the token's user in *tenant* (403 without a role there)."""
    return context_for(
        platform.uow(tenant, read_only=True),
        user_id,
        request_id=meta.request_id,
        client_addr=meta.client_addr,
        terminal=meta.terminal,
        place=PLACE,
    )


def platform_context(platform: PlatformDep, user_id: UserId, meta: Meta) -> Context:
    """The Context of an operator acting on the platform (403 for everyone else)."""
    return context_for(
        platform.uow(None, read_only=True),
        user_id,
        request_id=meta.request_id,
        client_addr=meta.client_addr,
        terminal=meta.terminal,
        place=PLACE,
    )


TenantContext = Annotated[Context, Depends(tenant_context)]
PlatformContext = Annotated[Context, Depends(platform_context)]
