"""Throttling of failed log-ins (ログイン試行の抑止), by client address and by user name.

Replaces the per-account lock-out, which let anyone keep a victim out by typing five wrong
passwords and answered ``AUTH_LOCKED`` only for names that exist.

* **What is counted.** Every failed attempt — unknown name, wrong password, inactive
  account, missing or wrong one-time password, wrong client secret — adds one failure to
  two rows of ``login_throttle``: ``addr:<client address>`` and ``name:<SHA-256 of the
  lower-cased submitted name>``.  The name row exists for names that exist nowhere too, so
  unknown and known names behave, answer and take time alike.
* **Growing delays.** The first ``login_free_failures`` (name) / ``login_address_free_failures``
  (address) failures cost nothing; each further one blocks the key for 1, 2, 4 … seconds,
  up to ``login_max_delay_seconds``.  Failures are forgotten ``login_failure_window_seconds``
  after the last one (and their rows deleted: the table does not grow without bound).
* **An address block is hard**: every attempt from it is refused (429) without looking at
  anything — it only slows whoever is at that address.
* **A name block is soft**: during it, only complete credentials get in (password *and* a
  valid one-time password; a client's secret), and everything else gets the same 429
  answer and counts as one more failure.  An attacker who types wrong passwords can
  therefore slow guessing without keeping the rightful user out, and learns nothing from a
  correct password guessed during the block (the answer is the same 429, and the block is
  extended just as for a wrong one).

The state is a table, so every server process sees the same counts.  Counting is an upsert
(``INSERT … ON CONFLICT DO UPDATE SET failures = failures + 1``): parallel failures each
count.  Attempts started before a block began are still checked (at most as many as run at
once).  Lock order, everywhere: the user row first, then the name's throttle row.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from municloud.errors import RateLimitedError
from municloud.kernel.identity.orm import LoginThrottle
from municloud.kernel.ratelimit import address_bucket

ADDRESS, NAME = "addr:", "name:"
THROTTLED = (
    "ログインに続けて失敗したため、しばらくの間ログインを制限しています。{wait}後にやり直してください。"
    "二要素認証を登録済みの方は、パスワードとワンタイムパスワードを一緒に入力すればすぐにログインできます"
)


def name_key(name: str) -> str:
    """The key of a submitted user name (or ``client:<id>``), existing or not."""
    folded = name.strip().lower().encode("utf-8", "surrogatepass")
    return NAME + hashlib.sha256(folded).hexdigest()


def address_key(client_addr: str | None) -> str | None:
    """The throttle key of a client address (an IPv6 address counts by its /64)."""
    return ADDRESS + address_bucket(client_addr) if client_addr else None


def delay_after(failures: int, free: int, cap: int) -> int:
    """Seconds a key is blocked after its *failures*-th failure: 0, then 1, 2, 4 … ≤ *cap*."""
    if failures <= free:
        return 0
    return min(2 ** min(failures - free - 1, 30), cap)


def wait_text(seconds: int) -> str:
    return f"約{seconds}秒" if seconds < 60 else f"約{math.ceil(seconds / 60)}分"


def throttled(seconds: int) -> RateLimitedError:
    """The one answer while a key is blocked (the same for every name, known or not)."""
    seconds = max(1, seconds)
    return RateLimitedError("LOGIN_THROTTLED", THROTTLED.format(wait=wait_text(seconds)), retry_after=seconds)


@dataclass
class Failure:
    key: str
    failures: int
    blocked_seconds: int
    began: bool  # this failure started a block (none was running)


class Throttle:
    """The throttle rows seen from one unit of work (its session, its settings, one *now*)."""

    def __init__(self, session: Session, settings, now: datetime) -> None:
        self.session, self.settings, self.now = session, settings, now

    def remaining(self, key: str | None, *, lock: bool = False) -> int:
        """Whole seconds *key* is still blocked for (0: not blocked).  With *lock*, the row
        (when there is one) stays locked until the commit: attempts on one name queue."""
        if key is None:
            return 0
        stmt = select(LoginThrottle.blocked_until).where(LoginThrottle.key == key)
        until = self.session.scalar(stmt.with_for_update() if lock else stmt)
        if until is None or until <= self.now:
            return 0
        return math.ceil((until - self.now).total_seconds())

    def free_failures(self, key: str) -> int:
        s = self.settings
        return s.login_address_free_failures if key.startswith(ADDRESS) else s.login_free_failures

    def record_failure(self, *keys: str | None) -> list[Failure]:
        """Count one failure against each key; block it when past its free failures."""
        out = []
        for key in (k for k in keys if k):
            out.append(self._count(key))
        self._sweep()
        return out

    def _count(self, key: str) -> Failure:
        table = LoginThrottle.__table__
        cutoff = self.now - timedelta(seconds=self.settings.login_failure_window_seconds)
        dialect = self.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        stmt = insert(table).values(key=key, failures=1, last_failure_at=self.now, blocked_until=None)
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case((table.c.last_failure_at < cutoff, 1), else_=table.c.failures + 1),
                "last_failure_at": self.now,
            },
        )
        self.session.execute(stmt)
        failures, until = self.session.execute(
            select(table.c.failures, table.c.blocked_until).where(table.c.key == key)
        ).one()
        delay = delay_after(failures, self.free_failures(key), self.settings.login_max_delay_seconds)
        if not delay:
            return Failure(key, failures, 0, False)
        running = until is not None and until > self.now
        new_until = max(until, self.now + timedelta(seconds=delay)) if running else self.now + timedelta(seconds=delay)
        self.session.execute(update(table).where(table.c.key == key).values(blocked_until=new_until))
        return Failure(key, failures, math.ceil((new_until - self.now).total_seconds()), not running)

    def clear(self, key: str | None) -> None:
        """The rightful user proved both factors: their name's failures are forgiven.
        (An address's are not: an attacker could clear them by logging in as themselves.)"""
        if key is not None:
            self.session.execute(delete(LoginThrottle).where(LoginThrottle.key == key))

    def _sweep(self) -> None:
        cutoff = self.now - timedelta(seconds=self.settings.login_failure_window_seconds)
        self.session.execute(
            delete(LoginThrottle).where(
                LoginThrottle.last_failure_at < cutoff,
                or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < self.now),
            )
        )
