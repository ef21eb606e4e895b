"""Signed bearer tokens for the JSON API (JWT, HS256, signed with the installation's key).

Two kinds, told apart by the ``typ`` claim:

* ``user`` — a person (``sub`` = user id, ``ver`` = the user's ``token_version`` when it
  was issued: a password change or a deactivation raises the version and every earlier
  token is refused when its Context is built);
* ``client`` — an API client (``sub`` = ``client:<client id>``, ``tnt`` = its tenant);
  refused as soon as the client is revoked or expired (checked on every request).

Every token must carry ``exp``, ``iat`` and ``sub`` (a token without an expiry is refused,
whoever signed it), and is read only with HS256 (no ``alg: none``, no key confusion).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt

from municloud.config import Settings
from municloud.errors import AuthenticationError

ALGORITHM = "HS256"
USER, CLIENT = "user", "client"
REQUIRED = ["exp", "iat", "sub", "typ"]
INVALID = "認証の有効期限が切れたか、認証情報が正しくありません"


@dataclass(frozen=True)
class Claims:
    kind: str  # USER or CLIENT
    user_id: int | None = None
    version: int | None = None
    client_id: str | None = None
    tenant_code: str | None = None


def _key(settings: Settings) -> str:
    if not settings.secret_key:  # create_platform always sets one (config.with_instance_secret)
        raise AuthenticationError("TOKEN_INVALID", INVALID)
    return settings.secret_key


def issue_token(settings: Settings, user_id: int, username: str, token_version: int) -> str:
    """A person's token, valid for ``token_ttl_seconds``."""
    now = int(time.time())
    claims = {
        "typ": USER, "sub": str(user_id), "name": username, "ver": token_version,
        "iat": now, "exp": now + settings.token_ttl_seconds, "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, _key(settings), algorithm=ALGORITHM)


def issue_client_token(settings: Settings, client_id: str, tenant_code: str, expires_at: datetime) -> tuple[str, int]:
    """An API client's token and its lifetime in seconds: ``client_token_ttl_seconds``, or
    less when the client itself expires sooner (*expires_at*, naive UTC)."""
    now = int(time.time())
    end = min(now + settings.client_token_ttl_seconds, int(expires_at.replace(tzinfo=UTC).timestamp()))
    claims = {
        "typ": CLIENT, "sub": f"client:{client_id}", "tnt": tenant_code,
        "iat": now, "exp": end, "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, _key(settings), algorithm=ALGORITHM), max(0, end - now)


def read_token(settings: Settings, token: str) -> Claims:
    """The claims of a valid token, or AuthenticationError ``TOKEN_INVALID``."""
    try:
        claims = jwt.decode(token, _key(settings), algorithms=[ALGORITHM], options={"require": REQUIRED})
        if claims["typ"] == USER:
            return Claims(USER, user_id=int(claims["sub"]), version=int(claims["ver"]))
        if claims["typ"] == CLIENT and str(claims["sub"]).startswith("client:"):
            return Claims(CLIENT, client_id=str(claims["sub"])[len("client:"):], tenant_code=str(claims["tnt"]))
        raise ValueError("unknown token type")
    except (jwt.PyJWTError, KeyError, ValueError, TypeError) as exc:
        raise AuthenticationError("TOKEN_INVALID", INVALID) from exc
