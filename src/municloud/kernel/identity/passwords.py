"""Password hashing (argon2id via argon2-cffi) and the password rule."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from municloud.errors import ValidationError

MIN_LENGTH = 10


def make_hasher(mode: str) -> PasswordHasher:
    """argon2id with the library's defaults; cheaper parameters in test mode only."""
    if mode == "test":
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def check_password_rule(username: str, password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise ValidationError(
            "PASSWORD_TOO_SHORT",
            f"パスワードは{MIN_LENGTH}文字以上にしてください",
            fields={"password": f"{MIN_LENGTH}文字以上にしてください"},
        )
    if username.lower() in password.lower():
        raise ValidationError(
            "PASSWORD_CONTAINS_USERNAME",
            "パスワードに利用者名を含めないでください",
            fields={"password": "利用者名を含めないでください"},
        )


def verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
