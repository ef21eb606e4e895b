"""Loading parameter definitions from YAML (pure: no database).

A file maps each key to its definition::

    registry.certificate.fee:
      description: 住民票の写しの交付手数料（1通）
      unit: 円
      type: int            # int | str | bool | list | map (a table: a mapping of items)
      choices: [...]       # optional
      reference: 地方公共団体の手数料の標準に関する政令; 各団体の手数料条例
      values:
        2000-04-01: 300

``values`` are keyed by effective date; the value in force on a day is the one with the
latest effective date not after it.  A rule change is a new dated value, never an ``if``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from municloud.errors import ConfigurationError, NotFoundError, ValidationError

TYPES: dict[str, type | tuple[type, ...]] = {"int": int, "str": str, "bool": bool, "list": list, "map": dict}


class ParameterNotInForceError(NotFoundError):
    """A lookup for a day before the parameter's first value.

    ``detail`` carries ``key``, ``on`` and ``first`` (ISO dates).  By itself an internal
    error (404 ``PARAMETER_NOT_IN_FORCE``); a use case that looked the parameter up for a
    date a person entered turns it into that person's input error
    (:func:`municloud.kernel.parameters.services.entered_date`).
    """


@dataclass(frozen=True)
class Definition:
    key: str
    description: str
    unit: str
    reference: str
    type: str
    choices: tuple | None
    dates: tuple[date, ...]
    values: tuple[Any, ...]
    source: str = ""

    def value_on(self, on: date) -> tuple[date, Any]:
        i = bisect.bisect_right(self.dates, on) - 1
        if i < 0:
            raise ParameterNotInForceError(
                "PARAMETER_NOT_IN_FORCE",
                f"パラメータ {self.key} は {on.isoformat()} 時点で定められていません",
                detail={"key": self.key, "on": on.isoformat(), "first": self.dates[0].isoformat() if self.dates else None},
            )
        return self.dates[i], self.values[i]

    def check(self, value: Any) -> Any:
        expected = TYPES[self.type]
        ok = isinstance(value, expected) and not (self.type == "int" and isinstance(value, bool))
        if not ok:
            raise ValidationError(
                "PARAMETER_TYPE_INVALID",
                f"パラメータ {self.key} の値の型が違います（{self.type} が必要です）",
                fields={"value": f"{self.type} で入力してください"},
            )
        if self.choices is not None:
            items = value if self.type == "list" else [value]
            bad = [v for v in items if v not in self.choices]
            if bad:
                raise ValidationError(
                    "PARAMETER_CHOICE_INVALID",
                    f"パラメータ {self.key} に使える値は {', '.join(map(str, self.choices))} です",
                    fields={"value": "選択肢から選んでください"},
                )
        return value


@dataclass
class Definitions:
    items: dict[str, Definition] = field(default_factory=dict)

    def load_dir(self, directory: Path) -> None:
        for path in sorted(Path(directory).glob("*.yaml")):
            self.load_file(path)

    def load_file(self, path: Path) -> None:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        for key, spec in data.items():
            if key in self.items:
                raise ConfigurationError("PARAMETER_DUPLICATE", f"パラメータ {key} が重複しています（{path}）")
            self.items[key] = _definition(key, spec, str(path))

    def get(self, key: str) -> Definition:
        try:
            return self.items[key]
        except KeyError:
            raise NotFoundError("PARAMETER_UNKNOWN", f"パラメータ {key} は定義されていません") from None


def _definition(key: str, spec: dict, source: str) -> Definition:
    missing = [f for f in ("description", "unit", "reference", "type", "values") if f not in spec]
    if missing:
        raise ConfigurationError(
            "PARAMETER_DEFINITION_INCOMPLETE", f"パラメータ {key} に {', '.join(missing)} がありません（{source}）"
        )
    if spec["type"] not in TYPES:
        raise ConfigurationError("PARAMETER_TYPE_UNKNOWN", f"パラメータ {key} の型 {spec['type']} は使えません")
    pairs = sorted((_as_date(d), v) for d, v in spec["values"].items())
    definition = Definition(
        key=key,
        description=str(spec["description"]),
        unit=str(spec["unit"]),
        reference=str(spec["reference"]),
        type=spec["type"],
        choices=tuple(spec["choices"]) if spec.get("choices") is not None else None,
        dates=tuple(d for d, _ in pairs),
        values=tuple(v for _, v in pairs),
        source=source,
    )
    for v in definition.values:
        definition.check(v)
    return definition


def _as_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
