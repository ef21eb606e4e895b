"""Public events of the registry (other modules may import this file, nothing else).

``ResidentsChanged`` is published inside the transaction of every registered
notification; e.g. the seal-registration module ends a registration when its resident
moves out or dies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class ResidentsChanged:
    tenant_code: str
    notification_id: int
    ido_jiyu: str  # 異動事由
    residents: tuple[tuple[str, str, str | None], ...]  # (宛名番号, status, 消除事由)
    ido_date: date

    def removed(self) -> list[str]:
        """宛名番号 of those whose record was removed (転出・死亡 …) by this change."""
        return [a for a, status, _ in self.residents if status == "removed"]


def publish(uow: Any, event: ResidentsChanged) -> None:
    uow.platform.events.publish(uow, event)
