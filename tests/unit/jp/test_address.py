import pytest
from hypothesis import given
from hypothesis import strategies as st

from municloud.jp.address import HYPHEN_LOOKALIKES, address_search_key, normalize_hyphens

CANONICAL = "東京都千代田区千代田1-1-1"


@pytest.mark.parametrize(
    "text",
    [
        "東京都千代田区千代田1-1-1",
        "東京都千代田区千代田１丁目１番１号",
        "東京都千代田区千代田1丁目1番地1",
        "東京都千代田区千代田1丁目1-1",
        "東京都千代田区千代田1−1−1",  # U+2212 minus
        "東京都千代田区千代田１－１－１",  # full-width hyphen-minus
        "東京都千代田区千代田1ー1ー1",  # 長音符 between digits
        "東京都千代田区千代田1ｰ1ｰ1",  # half-width 長音符
        "東京都 千代田区\u3000千代田 1-1-1",
        "東京都千代田区千代田1‐1―1",
    ],
)
def test_spellings_share_one_key(text):
    assert address_search_key(text) == CANONICAL


@pytest.mark.parametrize("dash", list(HYPHEN_LOOKALIKES))
def test_every_lookalike_maps(dash):
    assert normalize_hyphens(f"1{dash}2") == "1-2"
    assert address_search_key(f"1{dash}2") == "1-2"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("字大原123番地の4", "字大原123-4"),
        ("字大原123の4", "字大原123-4"),
        ("字大原123番地", "字大原123"),
        ("本町2丁目", "本町2"),
        ("千代田一丁目1番1号", "千代田一丁目1-1"),  # kanji digits are left alone
        ("四番町5番地", "四番町5"),
        ("4番町5", "4番町5"),  # 番町 is a place name
        ("国道1号線沿い", "国道1号線沿い"),
        ("本町1-2-3 ハイツ101号室", "本町1-2-3ハイツ101号室"),
        ("本町1--2", "本町1-2"),
        ("ＡＢＣマンション", "abcマンション"),
    ],
)
def test_rules(text, expected):
    assert address_search_key(text) == expected


def test_choon_is_kept_in_words():
    assert normalize_hyphens("センター1ー2") == "センター1-2"
    assert address_search_key("コーポ") == "コーポ"


def test_normalize_hyphens_changes_nothing_else():
    assert normalize_hyphens("１丁目　２番") == "１丁目　２番"


@given(st.text(max_size=40))
def test_key_never_raises_and_is_idempotent(text):
    key = address_search_key(text)
    assert address_search_key(key) == key
    assert not any(ch.isspace() for ch in key)
    assert not any(ch in HYPHEN_LOOKALIKES for ch in key)


def test_odd_input():
    assert address_search_key(None) == ""
    assert address_search_key("") == ""
