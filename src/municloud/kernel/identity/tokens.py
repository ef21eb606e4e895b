"""Signed bearer tokens for the JSON API (JWT, HS256, signed with the secret key)."""

from __future__ import annotations

import time
import uuid

import jwt

from municloud.config import Settings
from municloud.errors import AuthenticationError

ALGORITHM = "HS256"


def issue_token(settings: Settings, user_id: int, username: str) -> str:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "name": username,
        "iat": now,
        "exp": now + settings.token_ttl_seconds,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def read_token(settings: Settings, token: str) -> int:
    """Return the user id of a valid token, or raise AuthenticationError."""
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM])
        return int(claims["sub"])
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise AuthenticationError(
            "TOKEN_INVALID", "認証の有効期限が切れたか、認証情報が正しくありません"
        ) from exc
