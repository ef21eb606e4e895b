"""Parameter lookup (by key, date and tenant) and tenant overrides as a use case."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from municloud.errors import ValidationError
from municloud.jp.policy import check_date
from municloud.jp.wareki import format_wareki
from municloud.kernel.catalog import A_PARAMETER_SET, P_PARAMETER_MANAGE
from municloud.kernel.clock import today_jst, utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.fields import PARAMETER_REASON
from municloud.kernel.parameters.definitions import Definitions, ParameterNotInForceError
from municloud.kernel.parameters.orm import ParameterOverride


@dataclass(frozen=True)
class ParameterValue:
    """A value in force, with where it came from (国の既定値 or 団体の上書き)."""

    key: str
    value: Any
    source: str  # "national" | "tenant"
    effective_from: date
    description: str
    unit: str
    reference: str
    reason: str | None = None
    set_by: str | None = None


CACHE = "parameter_overrides"  # session.info: key → the tenant's overrides, newest first


class BoundParameters:
    """Parameters seen from one unit of work (its tenant and session)."""

    def __init__(self, definitions: Definitions, uow: UnitOfWork) -> None:
        self._defs = definitions
        self._uow = uow

    def get(self, key: str, on: date | None = None, *, entered: tuple[str, str] | None = None) -> Any:
        """The value of *key* in force on *on* (today if omitted).

        ``entered=(field, label)``: *on* is a date a person entered in the form field
        *field* (labelled *label*); a day before the parameter's first value is then their
        input error (see :func:`entered_date`).
        """
        if entered is None:
            return self.explain(key, on).value
        with entered_date(on, *entered):
            return self.explain(key, on).value

    def explain(self, key: str, on: date | None = None) -> ParameterValue:
        on = on or today_jst()
        definition = self._defs.get(key)
        override = None
        if self._uow.tenant_code is not None:
            override = next((o for o in self._overrides_of(key) if o.effective_from <= on), None)
        national_from, national = (None, None)
        try:
            national_from, national = definition.value_on(on)
        except ParameterNotInForceError:
            if override is None:
                raise
        if override is not None and (national_from is None or override.effective_from >= national_from):
            return ParameterValue(
                key, json.loads(override.value), "tenant", override.effective_from,
                definition.description, definition.unit, definition.reference,
                override.reason, override.set_by,
            )
        return ParameterValue(
            key, national, "national", national_from, definition.description, definition.unit,
            definition.reference,
        )

    def _overrides_of(self, key: str) -> list[ParameterOverride]:
        """The tenant's overrides of *key*, newest first.  All of the tenant's overrides
        (a few dozen) are read in one query, once per transaction: a notification looks up
        half a dozen parameters, and a query each (flushing the session each time) was a
        quarter of its time.  ``set_override`` drops the cache."""
        cache = self._uow.session.info.get(CACHE)
        if cache is None:
            cache = self._uow.session.info[CACHE] = {}
            for row in self._uow.session.scalars(
                select(ParameterOverride)
                .where(ParameterOverride.tenant_code == self._uow.tenant_code)
                .order_by(ParameterOverride.key, ParameterOverride.effective_from.desc())
            ):
                cache.setdefault(row.key, []).append(row)
        return cache.get(key, [])

    def overrides(self) -> list[ParameterOverride]:
        return list(
            self._uow.session.scalars(
                select(ParameterOverride).order_by(ParameterOverride.key, ParameterOverride.effective_from)
            )
        )


def _day(d: date) -> str:
    try:
        return format_wareki(d)
    except ValidationError:  # before 明治6年
        return d.isoformat()


@contextmanager
def entered_date(on: date | None, field: str, label: str) -> Iterator[None]:
    """Inside a use case: *on* is a date a person entered (e.g. a notification's 異動日).

    A parameter looked up for that day before its first value is then not an internal
    error but theirs — the day is earlier than any rule the platform holds for it (a 出生
    dated 昭和50年1月1日 under ``registry.address.attributes``, in force from 2000):
    ``ValidationError`` ``DATE_BEFORE_RULES`` naming *field*, in Japanese, without the
    parameter's key.  Lookups for other days (today's fee, …) and unknown keys
    (``PARAMETER_UNKNOWN``) stay internal errors: those are the platform's to fix.
    """
    try:
        yield
    except ParameterNotInForceError as exc:
        first = exc.detail.get("first")
        if on is None or exc.detail.get("on") != on.isoformat() or first is None:
            raise
        message = (f"{label}（{_day(on)}）が古すぎます。{_day(date.fromisoformat(first))}より前の"
                   f"{label}では登録できません（その日に適用する定めがありません）")
        raise ValidationError("DATE_BEFORE_RULES", message, fields={field: message},
                              detail=dict(exc.detail)) from None


def explain_parameter(uow: UnitOfWork, key: str, on: date | None = None) -> ParameterValue:
    """The value of *key* in force on *on* in the unit of work's tenant, with its source.

    Parameters hold no personal data: reading one is not audited.  Callers admit the user
    to the tenant first (the web layer's tenant context does).
    """
    with uow:
        return uow.params.explain(key, on)


def set_override(
    uow: UnitOfWork, ctx: Context, key: str, effective_from: date, value: Any, reason: str
) -> ParameterValue:
    """Set a tenant's own value for *key* from *effective_from* (団体パラメータの上書き).

    A reason is required (why this municipality departs from the national default, R12).
    Setting the same key and date again replaces the value; both are in the audit log.
    """
    with uow:
        uow.require(ctx, P_PARAMETER_MANAGE, A_PARAMETER_SET, subjects=[f"parameter:{key}"])
        if uow.tenant_code is None:
            raise ValidationError(
                "PARAMETER_TENANT_REQUIRED",
                "上書きする団体を指定してください（国の既定値はYAMLファイルで改正します）",
            )
        definition = uow.platform.parameters.definitions.get(key)
        definition.check(value)
        if not reason or not reason.strip():
            raise ValidationError(
                "PARAMETER_REASON_REQUIRED",
                "上書きの理由を入力してください",
                fields={"reason": "理由を入力してください"},
            )
        PARAMETER_REASON.check(reason, "reason")  # the declared item (kernel.fields): the screens' door too
        check_date(effective_from, label="適用開始日", field_name="effective_from")
        row = uow.session.get(ParameterOverride, (uow.tenant_code, key, effective_from))
        previous = json.loads(row.value) if row else None
        if row is None:
            row = ParameterOverride(tenant_code=uow.tenant_code, key=key, effective_from=effective_from)
            uow.session.add(row)
        row.value = json.dumps(value, ensure_ascii=False)
        row.reason = reason.strip()
        row.set_by = ctx.actor
        row.set_at = utcnow()
        uow.audit.record(
            ctx,
            A_PARAMETER_SET,
            subjects=[f"parameter:{key}"],
            detail={"effective_from": effective_from.isoformat(), "value": value, "previous": previous},
        )
        uow.flush()
        uow.session.info.pop(CACHE, None)
        result = uow.params.explain(key, effective_from)
        uow.commit()
        return result


class ParameterService:
    """Holds the loaded definitions; ``bound(uow)`` gives the tenant-scoped view."""

    def __init__(self, definitions: Definitions) -> None:
        self.definitions = definitions

    def bound(self, uow: UnitOfWork) -> BoundParameters:
        return BoundParameters(self.definitions, uow)
