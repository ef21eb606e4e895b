"""Every parameter of a tenant at once (the tenant-admin screen): values in force and overrides.

A read function beside :func:`services.explain_parameter`: parameters hold no personal data,
so reading them is not audited, and callers admit the user to the tenant first (the web
layer's tenant context does).  Setting an override stays :func:`services.set_override`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from municloud.errors import NotFoundError
from municloud.kernel.clock import today_jst
from municloud.kernel.db import UnitOfWork
from municloud.kernel.parameters.services import ParameterValue


@dataclass(frozen=True)
class ParameterRow:
    """One definition with the value in force on the day (``value`` None: none in force yet)."""

    key: str
    type: str
    choices: tuple | None
    in_force: ParameterValue | None
    description: str
    unit: str
    reference: str


@dataclass(frozen=True)
class OverrideRow:
    """A tenant's own dated value for a key, with the reason and who set it."""

    key: str
    effective_from: date
    value: Any
    reason: str
    set_by: str
    set_at: datetime


@dataclass(frozen=True)
class ParameterSheet:
    on: date
    parameters: list[ParameterRow]
    overrides: list[OverrideRow]


def parameter_sheet(uow: UnitOfWork, on: date | None = None) -> ParameterSheet:
    """Every definition with its value in force on *on* (default today) in the unit of
    work's tenant, and all the tenant's overrides (past, current and future)."""
    on = on or today_jst()
    definitions = uow.platform.parameters.definitions
    with uow:
        rows = []
        for key in sorted(definitions.items):
            definition = definitions.get(key)
            try:
                in_force = uow.params.explain(key, on)
            except NotFoundError:
                in_force = None
            rows.append(ParameterRow(
                key, definition.type, definition.choices, in_force, definition.description,
                definition.unit, definition.reference,
            ))
        overrides = [
            OverrideRow(o.key, o.effective_from, json.loads(o.value), o.reason, o.set_by, o.set_at)
            for o in uow.params.overrides()
        ]
        return ParameterSheet(on, rows, overrides)
