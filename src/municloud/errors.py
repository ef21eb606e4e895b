"""Errors every layer shares.

Each error carries a stable machine code (``code``), a Japanese message for people
(``message``), an HTTP status the web layer maps it to, and optionally per-field messages
(``fields``: field name → Japanese message) for forms.  This module imports only the
standard library so that pure domain code (``domain.py``) and ``jp`` may raise these too.
"""

from __future__ import annotations


class MuniError(Exception):
    """Base of every error the platform reports to a person or a machine."""

    status: int = 400
    default_code: str = "ERROR"

    def __init__(
        self,
        code: str | None = None,
        message: str = "",
        *,
        fields: dict[str, str] | None = None,
        detail: dict | None = None,
    ) -> None:
        self.code = code or self.default_code
        self.message = message or self.code
        self.fields = dict(fields or {})
        self.detail = dict(detail or {})
        super().__init__(f"{self.code}: {self.message}")

    def with_fields(self, rename) -> MuniError:
        """The same error with each field name passed through *rename* (for forms whose
        fields are nested, e.g. ``shimei_kana`` → ``persons.1.shimei_kana``)."""
        renamed = type(self)(self.code, self.message, fields={rename(k): v for k, v in self.fields.items()},
                             detail=self.detail)
        return renamed

    def as_dict(self) -> dict:
        body: dict = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        return body


class ValidationError(MuniError):
    """Input that breaks a rule (入力誤り)."""

    status = 422
    default_code = "VALIDATION_ERROR"


class NotFoundError(MuniError):
    status = 404
    default_code = "NOT_FOUND"


class AuthenticationError(MuniError):
    status = 401
    default_code = "AUTH_FAILED"


class PermissionDeniedError(MuniError):
    status = 403
    default_code = "PERMISSION_DENIED"


class ConflictError(MuniError):
    """Someone else changed the record first (排他エラー)."""

    status = 409
    default_code = "CONFLICT"


class ConfigurationError(MuniError):
    status = 500
    default_code = "CONFIGURATION_ERROR"


class RateLimitedError(MuniError):
    """Too many attempts: try again after ``retry_after`` seconds (HTTP 429 + ``Retry-After``)."""

    status = 429
    default_code = "RATE_LIMITED"

    def __init__(self, code: str | None = None, message: str = "", *, retry_after: int = 1, **kw) -> None:
        super().__init__(code, message, **kw)
        self.retry_after = max(1, int(retry_after))
