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

import ipaddress
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from municloud.errors import RateLimitedError

RATE_LIMITED_CODE = "RATE_LIMITED"


def rate_limited(retry_after: int) -> RateLimitedError:
    """The refusal of a request over its limit (429, ``Retry-After``: *retry_after* s)."""
    return RateLimitedError(
        RATE_LIMITED_CODE,
        f"短い時間に多くの要求がありました。{retry_after}秒ほど待ってから、もう一度お試しください",
        retry_after=retry_after,
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
            raise rate_limited(max(1, math.ceil(wait)))

    def __len__(self) -> int:
        return len(self._buckets)


__all__ = ["RATE_LIMITED_CODE", "RateLimitedError", "RateLimiter", "address_bucket", "rate_limited"]


def address_bucket(client_addr: str | None) -> str:
    """The key a client address is counted under: an IPv4 address as it is, an IPv6 address
    by its /64 — one subscriber's network, whose 2**64 addresses are all theirs to rotate
    through (counting each address alone would let one client reset every limit at will)."""
    if not client_addr:
        return "-"
    try:
        address = ipaddress.ip_address(client_addr)
    except ValueError:
        return client_addr[:64]
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))
