"""The delays of the log-in throttle: free failures first, then 1, 2, 4 … seconds, capped."""

from __future__ import annotations

from municloud.kernel.identity.throttle import delay_after, name_key, throttled


def test_the_first_failures_are_free_then_the_delay_doubles_up_to_the_cap():
    assert [delay_after(n, 3, 300) for n in range(1, 14)] == [0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300]
    assert delay_after(10_000, 3, 300) == 300


def test_a_name_is_keyed_by_the_hash_of_its_lower_case_form():
    assert name_key(" Sato ") == name_key("sato") != name_key("satou")
    assert "sato" not in name_key("sato")


def test_the_throttled_answer_says_how_long_to_wait_in_japanese():
    assert throttled(30).retry_after == 30 and "約30秒" in throttled(30).message
    assert "約5分" in throttled(300).message and throttled(0).retry_after == 1
