"""What a notification handler returns to the common registration path."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from municloud.modules.registry.moves import Change


@dataclass
class Plan:
    ido_jiyu: str  # 異動事由 of the notification as a whole
    changes: list[Change]
    households: set[str] = field(default_factory=set)  # households to re-check
    new_households: list[str] = field(default_factory=list)
    cancels: int | None = None
    after: Callable[[], None] | None = None  # extra writes (e.g. marking a cancelled entry)
    field_prefix: dict[str, str] = field(default_factory=dict)  # 宛名番号 → "persons.0." in the form
    due_on: date | None = None  # 転出予定: the 予定日 on which the move is still to be carried out
    pending: dict | None = None  # 転出予定: what the 予定日 does to the household (Notification.plan)
    carries_out: int | None = None  # the 転出予定 (異動番号) this notification carries out
    address: dict | None = None  # 転入・転居: the new address as recorded (郵便番号・付加情報 derived)
