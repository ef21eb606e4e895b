"""Input limits, defined once: every text item's kind, label and maximum length.

A :class:`TextField` says what one item may hold — its kind (the character policy of
:mod:`municloud.jp.policy`: name, address, kana, text, note, code), its Japanese label (for
messages) and its maximum length in characters — and which table columns store it.  Each
module declares its items in its own ``fields.py`` (the kernel's are at the end of this
file); every door then takes them from there:

* the JSON API and the screens: ``field.type`` is the pydantic type of the item
  (``Annotated[str, …]``), refusing with a stable code (``INPUT_TOO_LONG``,
  ``INPUT_CHARACTER_NOT_ALLOWED``, ``INPUT_CONTROL_CHARACTER``, ``INPUT_LONE_SURROGATE``,
  ``JP_FURIGANA_INVALID``) and a Japanese message naming the item; ``web/errors.py`` maps
  it to the answer, the OpenAPI document shows ``maxLength``;
* services and pure rules: ``field.check(value, field_name)`` raises the same error as a
  :class:`~municloud.errors.ValidationError` (e.g. ``registry.domain.check_text``);
* the standard-layout import and the legacy migration: ``for_column(table, column)`` finds
  the item a CSV column holds and ``field.problem(value)`` says what is wrong with it.

Dates (:data:`DateValue`) lie in ``jp.policy``'s range; years and serial numbers in URLs
and bodies are bounded (:data:`YEAR_MIN`…, :data:`SERIAL_MAX`) so that no number reaches a
database it cannot hold.  ``docs/input-rules.md`` is generated from this registry
(``python -m municloud.input_rules``) and a test keeps it in step; another test checks
that every column named here is at least as long as its item.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Annotated, Any

from pydantic import AfterValidator, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic_core import PydanticCustomError, core_schema

from municloud.errors import ConfigurationError, ValidationError
from municloud.jp.policy import (
    DATE_MAX,
    DATE_MIN,
    YEAR_MAX,
    YEAR_MIN,
    TextKind,
    TextProblem,
    check_date,
    describe_date_range,
    text_problem,
)

__all__ = [
    "DATE_MAX", "DATE_MIN", "FIELDS", "SERIAL_MAX", "YEAR_MAX", "YEAR_MIN", "DateValue", "Serial",
    "TextField", "TextKind", "Year", "field", "for_column", "load_fields", "text_field",
]

SERIAL_MAX = 2**31 - 1
"""Largest serial number (異動番号, 支援措置番号, 印鑑登録番号, 履歴番号, 版): the PostgreSQL
``integer`` the tables use."""


@dataclass(frozen=True)
class TextField:
    """One text item: ``key`` (``module.item``), label, kind, maximum length, columns."""

    key: str
    label: str
    kind: TextKind
    max_len: int
    columns: tuple[str, ...] = ()  # "table.column" holding the value as entered
    note: str = ""

    def problem(self, value: str) -> TextProblem | None:
        return text_problem(value, self.kind, self.max_len)

    def message(self, problem: TextProblem) -> str:
        return problem.message(self.label)

    def check(self, value: str, field_name: str | None = None) -> str:
        """*value* unchanged, or a ValidationError (code of :mod:`jp.policy`, label first)."""
        problem = self.problem(value)
        if problem is None:
            return value
        message = self.message(problem)
        raise ValidationError(problem.code, message, fields={field_name: message} if field_name else None)

    def validate(self, value: str) -> str:
        """The pydantic validator: the same check, as an error pydantic collects per field."""
        problem = self.problem(value)
        if problem is None:
            return value
        raise PydanticCustomError(problem.code, self.message(problem).replace("{", "{{").replace("}", "}}"))

    @cached_property
    def type(self) -> Any:
        """``Annotated[str, …]``: use as a pydantic field's type (``str | None`` works too)."""
        return Annotated[str, _Checked(self)]


class _Checked:
    """Pydantic metadata: run :meth:`TextField.validate` and publish ``maxLength``."""

    def __init__(self, spec: TextField) -> None:
        self.spec = spec

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.spec.validate, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> dict:
        out = handler(schema)
        out["maxLength"] = self.spec.max_len
        out["x-text-kind"] = self.spec.kind.value
        return out


FIELDS: dict[str, TextField] = {}


def text_field(key: str, label: str, kind: TextKind, max_len: int, *, columns: tuple[str, ...] = (),
               note: str = "") -> TextField:
    """Declare an item (once; declaring the same key differently is a programming error)."""
    spec = TextField(key, label, kind, max_len, tuple(columns), note)
    if FIELDS.setdefault(key, spec) != spec:
        raise ConfigurationError("FIELD_DECLARED_TWICE", f"入力項目 {key} が2通りに定義されています")
    return spec


def field(key: str) -> TextField:
    return FIELDS[key]


def load_fields(modules: list) -> dict[str, TextField]:
    """Every declared item: the kernel's and those of each module's ``fields.py``
    (``bootstrap.import_all_fields`` passes the installed modules)."""
    for module in modules:
        name = f"{module.__name__}.fields"
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
    return FIELDS


def for_column(table: str, column: str) -> TextField | None:
    """The item stored in ``table.column`` (None when no declared item names it; the
    caller loads the modules' items first: ``bootstrap.import_all_fields``)."""
    wanted = f"{table}.{column}"
    return next((f for f in FIELDS.values() if wanted in f.columns), None)


def _check_day(value: date) -> date:
    try:
        return check_date(value)
    except ValidationError as exc:
        raise PydanticCustomError(exc.code, exc.message) from None


DateValue = Annotated[date, AfterValidator(_check_day),
                      Field(json_schema_extra={"x-date-range": describe_date_range()})]
"""A date item (ISO 8601) in the platform's range: 明治6年1月1日 … 2200年12月31日."""
Year = Annotated[int, Field(ge=YEAR_MIN, le=YEAR_MAX)]
"""A year (e.g. a tax 年度) in the same range as dates."""
Serial = Annotated[int, Field(ge=1, le=SERIAL_MAX)]
"""A serial number (異動番号, 支援措置番号, 履歴番号, 版 …)."""


# The kernel's own items ------------------------------------------------------------------

USERNAME = text_field("kernel.username", "利用者名", TextKind.CODE, 64, columns=("users.username",))
PASSWORD = text_field("kernel.password", "パスワード", TextKind.TEXT, 1024,
                      note="保存するのはハッシュだけ。長すぎる入力でハッシュ計算を重くさせない上限")
OTP = text_field("kernel.otp", "ワンタイムパスワード", TextKind.CODE, 10)
DISPLAY_NAME = text_field("kernel.display_name", "表示名", TextKind.NAME, 100, columns=("users.display_name",))
ROLE = text_field("kernel.role", "ロール", TextKind.CODE, 40, columns=("memberships.role",))
TENANT_CODE = text_field("kernel.tenant_code", "団体コード", TextKind.CODE, 6, columns=("tenants.code",))
TENANT_NAME = text_field("kernel.tenant_name", "団体名", TextKind.NAME, 100, columns=("tenants.name",))
TENANT_KIND = text_field("kernel.tenant_kind", "団体の種類", TextKind.TEXT, 20, columns=("tenants.kind",))
GRANT_TYPE = text_field("kernel.grant_type", "grant_type", TextKind.CODE, 40)
CLIENT_ID = text_field("kernel.client_id", "クライアントID", TextKind.CODE, 40, columns=("api_clients.client_id",))
CLIENT_SECRET = text_field("kernel.client_secret", "クライアントシークレット", TextKind.TEXT, 200,
                           note="保存するのはハッシュだけ")
CLIENT_NAME = text_field("kernel.client_name", "クライアントの名前", TextKind.TEXT, 100, columns=("api_clients.name",))
PERMISSION = text_field("kernel.permission", "権限", TextKind.CODE, 60)
PARAMETER_REASON = text_field("kernel.parameter_reason", "上書きの理由", TextKind.NOTE, 1000,
                              columns=("parameter_overrides.reason",))

