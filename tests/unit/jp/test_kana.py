import pytest
from hypothesis import given
from hypothesis import strategies as st

from municloud.errors import ValidationError
from municloud.jp.kana import (
    FURIGANA_RE,
    hiragana_to_katakana,
    is_kana_query,
    kana_search_key,
    to_furigana,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ\u3000タロウ"),
        ("やまだ", "ヤマダ"),
        ("ヤマダ　タロウ", "ヤマダ\u3000タロウ"),
        ("  やまだ \u3000 たろう  ", "ヤマダ\u3000タロウ"),
        ("ﾊﾟｰｸ", "パーク"),  # NFKC joins ﾊ + ﾟ
        ("ゔぃくとる", "ヴィクトル"),
        ("ジョン・スミス", "ジョン・スミス"),
        ("ｼﾞｮﾝ･ｽﾐｽ", "ジョン・スミス"),
        ("ケ", "ケ"),
        ("ヵヶ", "ヵヶ"),
    ],
)
def test_to_furigana_converts(text, expected):
    assert to_furigana(text) == expected


@pytest.mark.parametrize(
    "text", ["山田", "ABC", "ヤマダ1", "ヤマダ〜", "ヤマダ-タロウ", "サヽキ", "ヷ", "ヤマダ\n山"]
)
def test_to_furigana_refuses(text):
    with pytest.raises(ValidationError) as exc:
        to_furigana(text)
    assert exc.value.code == "JP_FURIGANA_INVALID"
    assert "カタカナ" in exc.value.message
    assert text in exc.value.message


@pytest.mark.parametrize("text", ["", "   ", "\u3000", None])
def test_to_furigana_required(text):
    with pytest.raises(ValidationError) as exc:
        to_furigana(text)
    assert exc.value.code == "JP_FURIGANA_REQUIRED"


def test_refusal_names_the_bad_characters():
    with pytest.raises(ValidationError) as exc:
        to_furigana("やま田")
    assert "使えない文字：田" in exc.value.message


_KANA = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(0x3041, 0x3097)]
        + [chr(c) for c in range(0x30A1, 0x30F7)]
        + [" ", "\u3000", "ー"]
    ),
    min_size=1,
    max_size=20,
)


@given(_KANA)
def test_to_furigana_output_is_always_valid_and_idempotent(text):
    try:
        out = to_furigana(text)
    except ValidationError as e:
        assert e.code == "JP_FURIGANA_REQUIRED"  # only blank kana input can fail
        assert not text.strip()
        return
    assert FURIGANA_RE.fullmatch(out)
    assert out == out.strip()
    assert "\u3000\u3000" not in out
    assert to_furigana(out) == out


@pytest.mark.parametrize(
    "text, expected",
    [
        ("きょうこ", "キヨウコ"),
        ("ｷｮｳｺ", "キヨウコ"),
        ("キョウコ", "キヨウコ"),
        ("がっこう", "ガツコウ"),
        ("ジョン・スミス", "ジヨンスミス"),
        ("ヤマダ　タロウ", "ヤマダタロウ"),
        ("ヴァイオリン", "ヴアイオリン"),  # ヴ kept
        ("ヵヶ", "カケ"),
        ("ゕゖ", "カケ"),
        ("ㇰㇱ", "クシ"),
        ("ヮ", "ワ"),
    ],
)
def test_kana_search_key(text, expected):
    assert kana_search_key(text) == expected


def test_kana_search_key_same_for_spellings():
    assert (
        kana_search_key("やまだ たろう")
        == kana_search_key("ﾔﾏﾀﾞﾀﾛｳ")
        == kana_search_key("ヤマダ・タロウ")
    )


@given(st.text(max_size=30))
def test_kana_search_key_never_raises(text):
    out = kana_search_key(text)
    assert isinstance(out, str)
    assert " " not in out and "\u3000" not in out and "・" not in out


def test_kana_search_key_odd_input():
    assert kana_search_key(None) == ""
    assert kana_search_key("\ud800") == "\ud800"
    assert kana_search_key("") == ""


@pytest.mark.parametrize(
    "text, expected",
    [
        ("やまだ", True),
        ("ヤマダ タロウ", True),
        ("ｷｮｳｺ", True),
        ("ジョン・スミス", True),
        ("山田", False),
        ("やま田", False),
        ("yamada", False),
        ("", False),
        ("   ", False),
        (None, False),
    ],
)
def test_is_kana_query(text, expected):
    assert is_kana_query(text) is expected


def test_hiragana_to_katakana_leaves_others():
    assert hiragana_to_katakana("やまだ山田ABCゝ") == "ヤマダ山田ABCヽ"
