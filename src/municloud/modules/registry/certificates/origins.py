"""Which 異動 recorded each 記載事項 — its own 届出年月日 — read from the record's history (pure).

住民基本台帳法第7条 lists what a 住民票 holds, and the 施行令 says how each item gets there:
written when the 住民票 is made (令第7条 住民票の記載: 転入, 出生 …), rewritten when it
changes (令第9条 記載の修正: 転居, 世帯変更, 氏名変更 …), closed when the person leaves (令第8条
住民票の消除: 転出, 死亡), each on a 届出 or 職権 (法第8条).  So every item carries the date of
the act that wrote it: 法第7条第7号 (住所を定めた年月日 of a 転居 inside the municipality) and
第8号 (the 届出年月日 of the 転入 — or, entered 職権, the date of that entry — printed with the
従前の住所).  A certificate prints that date beside the item, never the record's latest 届出:
on a 除票 the latest is the 死亡届, years after the 前住所 was recorded.

How an item's origin is found: walking the snapshots oldest first, an item's origin is the
snapshot where its value last changed — except a change that only rewrites how the item is
written (:data:`KEEPS_ORIGIN`: a 職権修正 adding a 方書 or fixing a typo): the item keeps the
origin it had (the 転居 and its 届出年月日 stay on the certificate), unless that change also
moves the item's own date (住所を定めた年月日 …).  A 取消し (標準仕様書 4.6.0.1: the state
before the cancelled 異動 is appended) gives a value back, so it also gives back the origin
that value had — the cancelled 転居's 届出 is not the 住所's any more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from municloud.modules.registry.moves import CANCELLATION, CORRECTION

#: 記載事項 → (the snapshot columns that make its value, the column of its own date or None):
#: the item changes when any of them does; a change of its date makes a new origin even
#: under KEEPS_ORIGIN (the date printed is then the correction's)
ITEMS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "address": (("address", "katagaki"), "address_fixed_on"),  # 住所・住所を定めた年月日 (法第7条第7号)
    "previous_address": (("previous_address",), None),  # 従前の住所 (第8号), dated by its 転入
    "removal": (("status", "removal_reason"), "removed_on"),  # 消除 (令第8条)
    "moved_out_to": (("moved_out_to",), None),  # 転出先
}

#: 異動事由 that correct how an item is written, not when or why it came to be: they keep
#: its origin (a 住居表示・町名変更 事由 belongs here too once the registry records one)
KEEPS_ORIGIN = frozenset({CORRECTION})


@dataclass(frozen=True)
class Origin:
    """The 異動 that wrote an item: 異動事由, 異動日 and 届出日 (None: entered 職権)."""

    jiyu: str
    ido_date: date
    todoke_date: date | None

    @classmethod
    def of(cls, snapshot: Any) -> Origin:
        return cls(snapshot.ido_jiyu, snapshot.ido_date, snapshot.todoke_date)


def _value(snapshot: Any, columns: tuple[str, ...]) -> tuple:
    return tuple(getattr(snapshot, c, None) for c in columns)


def origins(history: Iterable[Any]) -> dict[str, Origin]:
    """Each item of :data:`ITEMS` → the :class:`Origin` of its value in the last snapshot of
    *history* (oldest first: the snapshots the certificate may show)."""
    found: dict[str, Origin] = {}
    seen: dict[str, list[tuple[tuple, Origin]]] = {item: [] for item in ITEMS}
    previous = None
    for snapshot in history:
        for item, (columns, dated_by) in ITEMS.items():
            columns = columns + ((dated_by,) if dated_by else ())
            value = _value(snapshot, columns)
            if previous is not None and value == _value(previous, columns):
                continue
            origin = Origin.of(snapshot)
            if snapshot.ido_jiyu == CANCELLATION:
                # the value before the cancelled 異動 comes back with its own origin
                origin = next((o for v, o in reversed(seen[item]) if v == value), origin)
            elif (snapshot.ido_jiyu in KEEPS_ORIGIN and item in found
                  and (dated_by is None or getattr(snapshot, dated_by, None) == getattr(previous, dated_by, None))):
                origin = found[item]  # rewritten, not moved: the 転居/転入 still dates it
            found[item] = origin
            seen[item].append((value, origin))
        previous = snapshot
    return found


__all__ = ["ITEMS", "KEEPS_ORIGIN", "Origin", "origins"]
