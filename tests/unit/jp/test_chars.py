import pytest
from hypothesis import given
from hypothesis import strategies as st

from municloud.jp.chars import (
    NAME_FOLD_TABLE,
    has_ivs,
    has_variation_selector,
    is_moji_joho_ivs,
    iter_ivs,
    ivs_collection,
    name_search_key,
    strip_variation_selectors,
)

KUZU, TSUJI = "葛", "辻"
VS17, VS18, VS19 = "\U000e0100", "\U000e0101", "\U000e0102"


@pytest.mark.parametrize(
    "a, b",
    [
        ("髙橋", "高橋"),
        ("𠮷野", "吉野"),
        (TSUJI + VS19, TSUJI),
        (TSUJI + VS17, TSUJI),  # Adobe-Japan1 IVS: stripped for the key as well
        ("渡邊", "渡辺"),
        ("渡邉", "渡辺"),
        ("山田 太郎", "山田太郎"),
        ("山田\u3000太郎", "山田太郎"),
        ("山田\u200b太郎", "山田太郎"),  # zero-width space
        ("\ufa19", "\u795e"),  # 神 compatibility ideograph → unified
        ("\ufa10", "\u585a"),  # 塚
        ("﨑", "崎"),
        ("齋藤", "斎藤"),
        ("齊藤", "斉藤"),
        ("澤田", "沢田"),
        ("濱田", "浜田"),
        ("櫻井", "桜井"),
        ("廣田", "広田"),
        ("國分", "国分"),
        ("德川", "徳川"),
        ("惠子", "恵子"),
        ("眞理", "真理"),
        ("北條", "北条"),
        ("實", "実"),
        ("藏", "蔵"),
        ("龍一", "竜一"),
        ("冨田", "富田"),
        ("嶋田", "島田"),
        ("淵上", "渕上"),  # jntajis maps these two onto each other: a cycle
        ("靍田", "鶴田"),
        ("遙", "遥"),
        ("凜", "凛"),
        ("ﾔﾏﾀﾞ", "ヤマダ"),
        ("ＳＭＩＴＨ John", "smithjohn"),
    ],
)
def test_name_search_key_folds_variants(a, b):
    assert name_search_key(a) == name_search_key(b)


@pytest.mark.parametrize(
    "a, b", [("斎藤", "斉藤"), ("埼玉", "崎玉"), ("籐", "藤"), ("高橋", "髙島")]
)
def test_name_search_key_keeps_different_characters_apart(a, b):
    assert name_search_key(a) != name_search_key(b)


def test_fold_table_entries_all_work():
    for variant, target in NAME_FOLD_TABLE.items():
        assert name_search_key(variant) == name_search_key(target), variant


def test_name_search_key_is_stable_and_prefix_friendly():
    full = name_search_key("髙橋 一郎")
    assert full.startswith(name_search_key("高橋"))
    assert name_search_key(full) == full  # idempotent


@given(st.text(max_size=20))
def test_name_search_key_never_raises_and_is_idempotent(text):
    key = name_search_key(text)
    assert not has_variation_selector(key)
    assert not any(ch.isspace() for ch in key)
    assert name_search_key(key) == key


def test_strip_variation_selectors():
    assert strip_variation_selectors(KUZU + VS19 + "城" + "\ufe00") == "葛城"
    assert strip_variation_selectors("山田") == "山田"


def test_has_ivs():
    assert has_ivs(KUZU + VS19)
    assert not has_ivs("葛")
    assert not has_ivs("\u795e\ufe00")  # SVS, not IVS
    assert has_variation_selector("\u795e\ufe00")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("山田太郎", None),
        (KUZU + VS19 + "城", "Moji_Joho"),
        *[(KUZU + chr(0xE0102 + i), "Moji_Joho") for i in range(7)],  # E0102..E0108
        (TSUJI + VS19, "Moji_Joho"),
        (KUZU + VS17, "Adobe-Japan1"),
        (KUZU + VS18, "Adobe-Japan1"),
        (TSUJI + VS17, "Adobe-Japan1"),
        (TSUJI + VS18, "Adobe-Japan1"),
        (KUZU + VS19 + TSUJI + VS17, "mixed"),
        ("\u795e\ufe00", None),  # SVS belongs to no IVD collection
    ],
)
def test_ivs_collection(text, expected):
    assert ivs_collection(text) == expected


def test_iter_ivs_pairs():
    assert iter_ivs("葛" + VS19 + "城" + TSUJI + VS17) == [(KUZU, VS19), (TSUJI, VS17)]
    assert iter_ivs(VS17 + "山") == []  # selector with no base is skipped
    assert is_moji_joho_ivs(KUZU, VS19)
    assert not is_moji_joho_ivs(KUZU, VS17)


NAMES_AS_ENTERED = [
    "\ufa19田",  # 神 compatibility ideograph
    "葛" + VS19 + "城",
    "辻" + VS17,
    "髙橋\u3000太郎",
    "𠮷野",
    "ﾔﾏﾀﾞ",
]


@pytest.mark.parametrize("name", NAMES_AS_ENTERED)
def test_inspecting_functions_do_not_touch_the_name(name):
    before = name.encode("utf-8")
    has_ivs(name)
    ivs_collection(name)
    iter_ivs(name)
    key = name_search_key(name)
    assert name.encode("utf-8") == before  # str is immutable; bytes stay exact too
    assert isinstance(key, str)
    if has_variation_selector(name):
        assert key != name  # the key is derived, never the stored form


CJK_RANGES = (
    range(0x3400, 0x4DC0),  # Extension A
    range(0x4E00, 0xA000),  # URO
    range(0xF900, 0xFB00),  # compatibility ideographs
    range(0x20000, 0x2A6E0),  # Extension B
    range(0x2F800, 0x2FA20),  # compatibility supplement
)


def test_key_is_idempotent_and_follows_every_mj_shrink_edge():
    # Exhaustive over the main CJK blocks (~0.5 s): the key of a character equals the key
    # of its first MJ shrink candidate, so "take the first candidate" and our canonical
    # form agree about which characters match, and keying a key changes nothing.
    import unicodedata

    import jntajis

    for block in CJK_RANGES:
        for cp in block:
            ch = chr(cp)
            key = name_search_key(ch)
            assert name_search_key(key) == key, hex(cp)
            nfkc = unicodedata.normalize("NFKC", ch)
            if nfkc != ch:
                # Compatibility ideographs follow NFKC.  (U+FA5E is the one place where the
                # MJ map disagrees: its first candidate is 艸 U+8278, NFKC gives 艹 U+8279.)
                assert key == name_search_key(nfkc), hex(cp)
                continue
            first = jntajis.mj_shrink_candidates(ch, 15, 1)[0]
            assert name_search_key(unicodedata.normalize("NFKC", first)) == key, hex(cp)
