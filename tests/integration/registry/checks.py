"""Shared assertions of the registry integration tests (not collected: no ``test_`` prefix)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import pytest

from municloud.errors import MuniError
from municloud.kernel.audit.services import verify_chains
from municloud.kernel.clock import utcnow
from tests.factories import audit_entries, days_ago, history_of, register, registry_footprint

JAPANESE = re.compile("[\u3040-\u30ff\u4e00-\u9fff]")
REGISTER = "registry:notification:register"
CANCEL = "registry:notification:cancel"


def day(n: int) -> date:
    return date.fromisoformat(days_ago(n))


def assert_recorded(platform, ctx, result, *, jiyu: str | dict, ido_date: str, todoke_date: str | None,
                    action: str = REGISTER) -> None:
    """Every touched person's newest history row carries the change metadata of *result*,
    and the audit log names exactly the affected residents and households."""
    assert result.atena_nos, "a notification touches at least one resident"
    assert result.setai_nos, "a notification touches at least one household"
    for atena_no in result.atena_nos:
        row = history_of(platform, ctx, atena_no)[-1]
        expected_jiyu = jiyu[atena_no] if isinstance(jiyu, dict) else jiyu
        assert row.notification_id == result.notification_id
        assert row.ido_jiyu == expected_jiyu
        assert row.ido_date == date.fromisoformat(ido_date)
        assert row.todoke_date == (date.fromisoformat(todoke_date) if todoke_date else None)
        assert utcnow() - timedelta(minutes=5) < row.processed_at <= utcnow()
        assert isinstance(row.processed_at, datetime)
        assert row.input_place == ctx.place
        assert row.input_terminal == ctx.terminal
        assert row.processed_by == ctx.actor
    entries = [e for e in audit_entries(platform, ctx.tenant_code, action)
               if json.loads(e.detail).get("notification_id") == result.notification_id]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.outcome == "success" and entry.actor == ctx.actor
    assert json.loads(entry.subjects) == (
        [f"resident:{a}" for a in result.atena_nos] + [f"household:{s}" for s in result.setai_nos]
    )


def refused(platform, ctx, code: str, **notification) -> MuniError:
    """Register *notification*, expect refusal *code* with a Japanese message, and check
    that nothing at all was written (tables, counters, successful audit entries)."""
    before = registry_footprint(platform, ctx.tenant_code)
    with pytest.raises(MuniError) as caught:
        register(platform, ctx, **notification)
    error = caught.value
    assert error.code == code, f"{error.code}: {error.message}"
    assert JAPANESE.search(error.message), error.message
    assert registry_footprint(platform, ctx.tenant_code) == before
    return error


def chains_ok(platform) -> bool:
    with platform.session_factory() as s:
        return all(r.ok for r in verify_chains(s))
