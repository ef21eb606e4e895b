"""手数料の収納元 (fee sources): what each module took at the window on a day, in aggregate.

The 交付日計表 (daily journal) the supervisor reconciles with the till counts every fee the
window took — 住民票の写し (registry), 印鑑登録証明書 (seals), … — but no module may import
another's tables.  So each module registers a *fee source* at start-up
(``register_fee_sources(sources)`` in its ``__init__.py``, called by
``kernel.platform.build_platform``): a function that, for the unit of work's tenant and a
JST day, returns a :class:`FeeTally` — lines by kind (件数・通数・手数料・免除した通数) and
免除 by reason.  Aggregates only: a source returns no personal data, and it checks no
permission — the use case that calls :meth:`FeeSources.tally` (the registry's 日計表 and
本日の交付) has checked its own and audits the look.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from municloud.errors import ConfigurationError

if TYPE_CHECKING:
    from municloud.kernel.db import UnitOfWork


@dataclass
class FeeLine:
    """One kind of document issued for a fee (e.g. 印鑑登録証明書) on the day."""

    kind: str
    title: str
    count: int = 0  # 件数 (発行番号の数)
    copies: int = 0  # 通数
    charged_copies: int = 0  # 手数料を受けた通数
    fee: int = 0  # 手数料 (円)
    exempt_copies: int = 0  # 免除した通数


@dataclass
class FeeExemption:
    """One 免除 reason: how many issues and copies, and the fee waived (円)."""

    reason: str
    label: str
    count: int = 0
    copies: int = 0
    waived: int = 0


@dataclass
class FeeTally:
    """What one source took on a day (集計のみ)."""

    lines: list[FeeLine] = field(default_factory=list)
    exemptions: list[FeeExemption] = field(default_factory=list)
    receipts: int = 0  # 領収書を発行した件数


FeeSource = Callable[["UnitOfWork", date], FeeTally]


class FeeSources:
    """The registered fee sources, by name (the module's), in registration order."""

    def __init__(self) -> None:
        self._sources: dict[str, FeeSource] = {}

    def register(self, name: str, source: FeeSource) -> None:
        if name in self._sources:
            raise ConfigurationError("FEE_SOURCE_DUPLICATE", f"手数料の収納元が二重に登録されています: {name}")
        self._sources[name] = source

    def names(self) -> list[str]:
        return list(self._sources)

    def tally(self, uow: UnitOfWork, day: date, *, only: Iterable[str] | None = None,
              exclude: Iterable[str] = ()) -> dict[str, FeeTally]:
        """Each source's tally of *day* for *uow*'s tenant (the caller checked its permission)."""
        wanted = set(self._sources) if only is None else set(only)
        skipped = set(exclude)
        return {name: source(uow, day) for name, source in self._sources.items()
                if name in wanted and name not in skipped}


def merge(tallies: Iterable[FeeTally]) -> FeeTally:
    """One tally of several: lines summed by kind, exemptions by reason (first label kept),
    in the order they first appear."""
    lines: dict[str, FeeLine] = {}
    exemptions: dict[str, FeeExemption] = {}
    receipts = 0
    for tally in tallies:
        receipts += tally.receipts
        for line in tally.lines:
            into = lines.setdefault(line.kind, FeeLine(line.kind, line.title))
            into.count += line.count
            into.copies += line.copies
            into.charged_copies += line.charged_copies
            into.fee += line.fee
            into.exempt_copies += line.exempt_copies
        for ex in tally.exemptions:
            into_ex = exemptions.setdefault(ex.reason, FeeExemption(ex.reason, ex.label))
            into_ex.count += ex.count
            into_ex.copies += ex.copies
            into_ex.waived += ex.waived
    return FeeTally(list(lines.values()), list(exemptions.values()), receipts)
