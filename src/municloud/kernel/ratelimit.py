"""A small in-process rate limiter (token bucket per key, e.g. per client address).

Used on anything public (``/verify``): each key may make ``limit`` requests at once, and
gets them back evenly over ``window`` seconds (one every ``window / limit`` seconds) — so
at most ``limit`` + the refill in any window, and a steady client is never cut off for the
whole window.  :meth:`RateLimiter.hit` answers 0 when a request may go on, else the
seconds until it could (the ``Retry-After``).

* In process: each server process counts on its own (several workers: the effective limit
  is per worker).  Enough for what it is for — stopping one client from hammering a public
  page — without a shared store.
* Bounded memory: at most ``max_keys`` buckets; past that the least recently used one is
  forgotten (its client starts again with a full bucket), which only ever errs towards
  letting a request through.
* Thread-safe (sync handlers run in a thread pool).  The clock is injectable, so tests
  advance time instead of sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from municloud.errors import MuniError

RATE_LIMITED_CODE = "RATE_LIMITED"


class RateLimitedError(MuniError):
    """Too many requests from one client (HTTP 429, with ``Retry-After``)."""

    status = 429
    default_code = RATE_LIMITED_CODE

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(
            RATE_LIMITED_CODE,
            f"短い時間に多くの要求がありました。{retry_after}秒ほど待ってから、もう一度お試しください",
        )


class RateLimiter:
    def __init__(
        self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000,
    ) -> None:
        if limit < 1 or window <= 0 or max_keys < 1:
            raise ValueError("limit, window and max_keys must be positive")
        self.limit = limit
        self.window = window
        self.rate = limit / window  # tokens per second
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key → (tokens, at)
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Take one request for *key*: 0.0 when allowed, else seconds to wait (> 0)."""
        with self._lock:
            now = self._clock()
            tokens, at = self._buckets.pop(key, (float(self.limit), now))
            tokens = min(float(self.limit), tokens + (now - at) * self.rate)
            if tokens >= 1.0:
                tokens -= 1.0
                wait = 0.0
            else:
                wait = (1.0 - tokens) / self.rate
            self._buckets[key] = (tokens, now)  # most recently used last
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return wait

    def check(self, key: str) -> None:
        """:meth:`hit`, raising :class:`RateLimitedError` (whole seconds, at least 1) when refused."""
        wait = self.hit(key)
        if wait > 0:
            raise RateLimitedError(max(1, math.ceil(wait)))

    def __len__(self) -> int:
        return len(self._buckets)


__all__ = ["RATE_LIMITED_CODE", "RateLimitedError", "RateLimiter"]
