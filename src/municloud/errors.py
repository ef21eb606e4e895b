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
        self.problems: list[dict] = []  # every problem, when several were found at once (Problems)
        super().__init__(f"{self.code}: {self.message}")

    def with_fields(self, rename) -> MuniError:
        """The same error with each field name passed through *rename* (for forms whose
        fields are nested, e.g. ``shimei_kana`` → ``persons.1.shimei_kana``)."""
        renamed = type(self)(self.code, self.message, fields={rename(k): v for k, v in self.fields.items()},
                             detail=self.detail)
        renamed.problems = [{**p, "fields": {rename(k): v for k, v in p.get("fields", {}).items()}}
                            for p in self.problems]
        return renamed

    def as_dict(self) -> dict:
        body: dict = {"code": self.code, "message": self.message}
        if self.fields:
            body["fields"] = self.fields
        if self.problems:
            body["problems"] = self.problems
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

MULTIPLE_PROBLEMS = "MULTIPLE_PROBLEMS"


class Problems:
    """Collects independent input problems so that one answer names them all (DESIGN 11:
    a confirmation step shows every problem at once, not the first one).

    Usage::

        problems = Problems()
        with problems.catch():
            day = parse(...)            # a ValidationError here is kept, not raised
        with problems.catch(lambda name: f"persons.{i}.{name}"):
            check_person(...)           # its field names renamed for the form
        problems.raise_if_any()         # nothing, the one problem, or all of them

    Only :class:`ValidationError` is collected: a conflict or a refusal is raised at once.
    """

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def __len__(self) -> int:
        return len(self.errors)

    def add(self, exc: ValidationError) -> None:
        key = (exc.code, exc.message, tuple(sorted(exc.fields.items())))
        if all((e.code, e.message, tuple(sorted(e.fields.items()))) != key for e in self.errors):
            self.errors.append(exc)

    def catch(self, rename=None):
        return _Catch(self, rename)

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        if len(self.errors) == 1:
            raise self.errors[0]
        raise combined(self.errors)


class _Catch:
    def __init__(self, problems: Problems, rename) -> None:
        self._problems = problems
        self._rename = rename

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type, exc, tb) -> bool:
        if isinstance(exc, ValidationError):
            self._problems.add(exc.with_fields(self._rename) if self._rename else exc)
            return True
        return False


def combined(errors: list[ValidationError]) -> ValidationError:
    """One ``MULTIPLE_PROBLEMS`` error (422) carrying every problem: ``fields`` merged (the
    first message of each field), ``problems`` listing each one's code, message and fields
    — so a machine sees every stable code and a person every message."""
    fields: dict[str, str] = {}
    for e in errors:
        for name, message in e.fields.items():
            fields.setdefault(name, message)
    loose = [e.message for e in errors if not e.fields]
    message = f"入力内容に{len(errors)}件の誤りがあります。各項目のメッセージに従って直してください"
    if loose:
        message += "（" + "／".join(loose) + "）"
    exc = ValidationError(MULTIPLE_PROBLEMS, message, fields=fields)
    exc.problems = [e.as_dict() for e in errors]
    return exc
