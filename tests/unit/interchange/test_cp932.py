"""CP932 encoding: nothing is lost silently; Windows forms of the JIS traps."""

from __future__ import annotations

import pytest

from municloud.interchange.cp932 import GETA, encode_cp932


def test_representable_text_round_trips():
    text = "長井市本町1丁目2番3号　ﾔﾏﾀﾞ ①髙﨑～－"
    encoded, problems = encode_cp932(text)
    assert problems == []
    assert encoded.decode("cp932") == text


def test_every_unrepresentable_character_is_listed_and_replaced():
    text = "𠮷田　辻\U000e0102本"
    encoded, problems = encode_cp932(text)
    assert [(p.index, p.code_point) for p in problems] == [(0, "U+20BB7"), (4, "U+E0102")]
    assert encoded.decode("cp932") == f"{GETA}田　辻{GETA}本"


@pytest.mark.parametrize(("char", "cp932"), [
    ("\u301c", b"\x81\x60"), ("\u2212", b"\x81\x7c"), ("\uff0d", b"\x81\x7c"), ("\u2016", b"\x81\x61"),
    ("\u2014", b"\x81\x5c"), ("\u00a2", b"\x81\x91"), ("\u00a3", b"\x81\x92"), ("\u00ac", b"\x81\xca"),
])
def test_jis_traps_take_their_windows_forms(char, cp932):
    assert encode_cp932(char) == (cp932, [])
