"""The in-process rate limiter: a token bucket per key, on an injected clock (no sleeping)."""

from __future__ import annotations

import pytest

from municloud.kernel.ratelimit import RateLimitedError, RateLimiter, address_bucket


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_key_gets_its_limit_at_once_then_waits_for_one_to_come_back():
    clock = Clock()
    limiter = RateLimiter(3, 60, clock=clock)
    assert [limiter.hit("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.hit("a") == pytest.approx(20.0)  # one request comes back every 60 / 3 seconds
    clock.now += 19
    assert limiter.hit("a") == pytest.approx(1.0)
    clock.now += 1
    assert limiter.hit("a") == 0.0 and limiter.hit("a") > 0


def test_refused_requests_do_not_use_up_anything():
    clock = Clock()
    limiter = RateLimiter(1, 10, clock=clock)
    assert limiter.hit("a") == 0.0
    for _ in range(50):
        assert limiter.hit("a") > 0
    clock.now += 10
    assert limiter.hit("a") == 0.0


def test_a_quiet_key_refills_only_up_to_its_limit():
    clock = Clock()
    limiter = RateLimiter(2, 60, clock=clock)
    clock.now += 10_000
    assert [limiter.hit("a") == 0.0 for _ in range(3)] == [True, True, False]


def test_keys_are_counted_apart():
    limiter = RateLimiter(1, 60, clock=Clock())
    assert limiter.hit("192.0.2.1") == 0.0 and limiter.hit("192.0.2.2") == 0.0
    assert limiter.hit("192.0.2.1") > 0 and limiter.hit("192.0.2.2") > 0


def test_memory_is_bounded_by_forgetting_the_least_recently_seen_key():
    limiter = RateLimiter(1, 60, clock=Clock(), max_keys=3)
    for key in ("a", "b", "c"):
        limiter.hit(key)
    limiter.hit("a")  # a is seen again: b is now the oldest
    limiter.hit("d")
    assert len(limiter) == 3
    assert limiter.hit("b") == 0.0  # forgotten: starts again with a full bucket
    assert limiter.hit("a") > 0  # remembered


def test_check_raises_a_429_with_whole_seconds_to_wait():
    clock = Clock()
    limiter = RateLimiter(3, 10, clock=clock)
    for _ in range(3):
        limiter.check("a")
    with pytest.raises(RateLimitedError) as caught:
        limiter.check("a")
    error = caught.value
    assert (error.status, error.code, error.retry_after) == (429, "RATE_LIMITED", 4)  # 3.33… s rounded up
    assert "4秒" in error.message


@pytest.mark.parametrize("limit, window, max_keys", [(0, 60, 10), (1, 0, 10), (1, 60, 0)])
def test_nonsense_settings_are_refused(limit, window, max_keys):
    with pytest.raises(ValueError):
        RateLimiter(limit, window, max_keys=max_keys)


@pytest.mark.parametrize(("address", "bucket"), [
    ("203.0.113.7", "203.0.113.7"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff:ffff:ffff:fffe", "2001:db8:1:2::/64"),  # same subscriber, another address
    ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
    ("::ffff:203.0.113.7", "203.0.113.7"),  # an IPv4 client seen through an IPv6 socket
    (None, "-"),
])
def test_an_ipv6_client_is_counted_by_its_64_so_rotating_addresses_resets_nothing(address, bucket):
    assert address_bucket(address) == bucket


def test_rotating_ipv6_addresses_in_one_64_meets_the_same_limit():
    limiter = RateLimiter(2, 60, clock=lambda: 0.0)
    for i in range(2):
        limiter.check(address_bucket(f"2001:db8::{i + 1}"))
    with pytest.raises(RateLimitedError):
        limiter.check(address_bucket("2001:db8::ffff"))
