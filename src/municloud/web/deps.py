"""Request dependencies: request metadata, the platform, and bearer token → Context.

A handler under ``/api/v1/t/{tenant}/…`` takes :data:`TenantContext`; an operator handler
takes :data:`PlatformContext`.  Both resolve the token first, then ask
``identity.services.context_for`` (a person: the token's version must be the user's
current one) or ``identity.clients.client_context`` (an API client: only in its own
tenant, only while neither revoked nor expired) — which refuse (and audit) an actor
without standing in that tenant with the same answer whether or not the tenant or the
record exists.  :data:`UserId` (``/me`` and such) takes a person's token only.

The client address recorded in audit entries and histories is resolved here, once, for
the API and the screens alike (:func:`client_address`).
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import OAuth2PasswordBearer

from municloud.config import Network
from municloud.errors import AuthenticationError, PermissionDeniedError
from municloud.kernel.context import Context
from municloud.kernel.identity.clients import client_context
from municloud.kernel.identity.services import context_for
from municloud.kernel.identity.tokens import CLIENT, Claims, read_token
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


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(peer: str | None, forwarded_for: list[str], proxies: Sequence[Network]) -> str | None:
    """The client's address: the peer's, unless the peer is a trusted proxy.

    Then ``X-Forwarded-For`` is read from the right (each proxy appends the address it was
    called from), skipping the trusted proxies; the first address that is not one is the
    client.  Everything left of it was written by the client itself and is never believed.
    A malformed entry stops the walk at the last trusted hop.  With no trusted proxies
    configured (the default) the header is ignored entirely — the server's own
    ``--proxy-headers`` are off (``cli/main.py``), so the peer is the real peer.
    """
    if not peer or not proxies or not _trusted(peer, proxies):
        return peer
    hops = [h.strip() for value in forwarded_for for h in value.split(",") if h.strip()]
    client = peer
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break
        client = hop
        if not _trusted(hop, proxies):
            break
    return client[:64]


def request_meta(request: Request) -> RequestMeta:
    request_id = getattr(request.state, "request_id", None) or request_id_from(
        request.headers.get("x-request-id")
    )
    terminal = request.headers.get("x-terminal-id")
    proxies = request.app.state.platform.settings.trusted_proxies
    return RequestMeta(
        request_id=request_id,
        client_addr=client_address(
            request.client.host if request.client else None, request.headers.getlist("x-forwarded-for"), proxies
        ),
        terminal=(terminal.strip()[:64] or None) if terminal else None,
    )


def get_platform(request: Request) -> Platform:
    return request.app.state.platform


PlatformDep = Annotated[Platform, Depends(get_platform)]
Meta = Annotated[RequestMeta, Depends(request_meta)]


def current_claims(platform: PlatformDep, token: Annotated[str | None, Depends(oauth2_scheme)]) -> Claims:
    """The claims of the bearer token (401 when missing, expired or forged)."""
    if not token:
        raise AuthenticationError("AUTH_REQUIRED", "ログインしてください（認証トークンがありません）")
    return read_token(platform.settings, token)


TokenClaims = Annotated[Claims, Depends(current_claims)]


def current_person(claims: TokenClaims) -> Claims:
    """A person's token (an API client's is refused: it is no one's account)."""
    if claims.kind == CLIENT:
        raise PermissionDeniedError("CLIENT_NOT_ALLOWED", "この操作は API クライアントではできません（利用者のトークンが必要です）")
    return claims


Person = Annotated[Claims, Depends(current_person)]


def current_user_id(person: Person) -> int:
    assert person.user_id is not None
    return person.user_id


UserId = Annotated[int, Depends(current_user_id)]
TenantCode = Annotated[
    str, Path(pattern=r"^[0-9]{6}$", description="団体コード（全国地方公共団体コード6桁）")
]


def _context(platform: Platform, tenant: str | None, claims: Claims, meta: RequestMeta) -> Context:
    where = dict(request_id=meta.request_id, client_addr=meta.client_addr, terminal=meta.terminal, place=PLACE)
    uow = platform.uow(tenant, read_only=True)
    if claims.kind == CLIENT:
        assert claims.client_id is not None
        return client_context(uow, claims.client_id, claims.tenant_code, **where)
    assert claims.user_id is not None
    return context_for(uow, claims.user_id, token_version=claims.version, **where)


def tenant_context(tenant: TenantCode, platform: PlatformDep, claims: TokenClaims, meta: Meta) -> Context:
    """The Context of the token's user or API client in *tenant* (403 without standing there)."""
    return _context(platform, tenant, claims, meta)


def platform_context(platform: PlatformDep, claims: TokenClaims, meta: Meta) -> Context:
    """The Context of an operator acting on the platform (403 for everyone else)."""
    return _context(platform, None, claims, meta)


TenantContext = Annotated[Context, Depends(tenant_context)]
PlatformContext = Annotated[Context, Depends(platform_context)]
