"""``kernel.fees``: a fee source is registered once by name; tallies merge by kind and reason."""

from __future__ import annotations

from datetime import date

import pytest

from municloud.errors import ConfigurationError
from municloud.kernel.fees import FeeExemption, FeeLine, FeeSources, FeeTally, merge


def test_tallies_merge_by_kind_and_reason_in_first_seen_order():
    a = FeeTally([FeeLine("juminhyo", "住民票の写し", 2, 3, 2, 600, 1)], [FeeExemption("pension", "年金", 1, 1, 300)], 1)
    b = FeeTally([FeeLine("seals:certificate", "印鑑登録証明書", 1, 2, 2, 400),
                  FeeLine("juminhyo", "住民票の写し", 1, 1, 1, 300)], [FeeExemption("pension", "別名", 1, 2, 600)])
    merged = merge([a, b])
    assert [(x.kind, x.count, x.copies, x.charged_copies, x.fee, x.exempt_copies) for x in merged.lines] == [
        ("juminhyo", 3, 4, 3, 900, 1), ("seals:certificate", 1, 2, 2, 400, 0)]
    assert [(e.reason, e.label, e.count, e.copies, e.waived) for e in merged.exemptions] == [("pension", "年金", 2, 3, 900)]
    assert merged.receipts == 1


def test_a_source_is_registered_once_and_tallied_unless_excluded():
    sources = FeeSources()
    sources.register("one", lambda uow, day: FeeTally([FeeLine("x", "X", 1, 1, 1, 100)]))
    sources.register("two", lambda uow, day: FeeTally(receipts=2))
    with pytest.raises(ConfigurationError):
        sources.register("one", lambda uow, day: FeeTally())
    assert sources.names() == ["one", "two"]
    assert list(sources.tally(None, date(2026, 12, 2), exclude=["one"])) == ["two"]
    assert sources.tally(None, date(2026, 12, 2), only=["one"])["one"].lines[0].fee == 100
