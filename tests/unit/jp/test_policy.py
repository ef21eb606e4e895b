"""The character policy of names and addresses and the date range (jp.policy), and the
committed character table (jp.standard_chars) against the installed jntajis."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from municloud.errors import ValidationError
from municloud.jp import standard_chars
from municloud.jp.policy import (
    DATE_MAX,
    DATE_MIN,
    TextKind,
    check_date,
    check_text,
    text_problem,
    unstorable,
)
from municloud.jp.wareki import GREGORIAN_FROM

NAME, ADDRESS, TEXT, NOTE, CODE, KANA = (TextKind.NAME, TextKind.ADDRESS, TextKind.TEXT, TextKind.NOTE,
                                         TextKind.CODE, TextKind.KANA)


def code_of(value: str, kind: TextKind, max_len: int | None = None) -> str | None:
    problem = text_problem(value, kind, max_len)
    return problem.code if problem else None


def test_the_committed_table_is_what_jntajis_says():
    # Regenerated from the installed jntajis-python (JIS X 0213 by encoding, MJ from its compiled
    # table): when jntajis changes, run `python -m municloud.jp.standard_chars > …/standard_chars.txt`.
    assert standard_chars.DATA.read_text(encoding="ascii") == standard_chars.generate()


@pytest.mark.parametrize("name", [
    "山田　太郎", "山田 太郎", "SMITH JOHN", "O'NEIL, Mary-Ann", "ｽﾐｽ",  # JIS X 0201 (as entered)
    "髙橋　一郎", "𠮷野　三郎", "\ufa19田",  # MJ, not JIS X 0213 / a compatibility ideograph
    "辻\U000e0102　一郎", "葛\U000e0100西", "神\ufe00",  # IVS (Moji_Joho, Adobe-Japan1), SVS after an ideograph
    "渡邊　ミュラー", "Müller", "Ωμεγα", "Дмитрий",  # Latin, Greek, Cyrillic of JIS X 0213
])
def test_names_of_the_standard_repertoire_are_accepted_as_they_are(name):
    assert code_of(name, NAME) is None and check_text(name, NAME, label="氏名") == name


@pytest.mark.parametrize("address", ["山形県長井市本町1−2−3", "長井市本町１－２－３", "本町一丁目2番3号　コーポ〜", "本町1～2"])
def test_both_mappings_of_the_jis_wave_dash_and_minus_are_accepted(address):
    assert code_of(address, ADDRESS) is None


@pytest.mark.parametrize(("value", "code"), [
    ("山田\u202e太郎", "INPUT_CONTROL_CHARACTER"),  # RIGHT-TO-LEFT OVERRIDE
    ("山田\u2066太郎", "INPUT_CONTROL_CHARACTER"),  # LEFT-TO-RIGHT ISOLATE
    ("山田\u200e太郎", "INPUT_CONTROL_CHARACTER"),  # LEFT-TO-RIGHT MARK
    ("山田\u200b太郎", "INPUT_CONTROL_CHARACTER"),  # ZERO WIDTH SPACE
    ("山田\u200d太郎", "INPUT_CONTROL_CHARACTER"),  # ZERO WIDTH JOINER (allowed in free text only)
    ("山田\ufeff", "INPUT_CONTROL_CHARACTER"),  # BOM / ZERO WIDTH NO-BREAK SPACE
    ("山田\u00ad太郎", "INPUT_CONTROL_CHARACTER"),  # SOFT HYPHEN
    ("山田\t太郎", "INPUT_CONTROL_CHARACTER"),
    ("山田\n太郎", "INPUT_CONTROL_CHARACTER"),
    ("山田\x85", "INPUT_CONTROL_CHARACTER"),  # NEXT LINE (C1)
    ("山田\u2028", "INPUT_CONTROL_CHARACTER"),  # LINE SEPARATOR
    ("山田\ue000", "INPUT_CONTROL_CHARACTER"),  # private use: a gaiji nobody mapped
    ("山田\ud800", "INPUT_LONE_SURROGATE"),
    ("山田😀", "INPUT_CHARACTER_NOT_ALLOWED"),
    ("Mu\u0308ller", "INPUT_CHARACTER_NOT_ALLOWED"),  # a combining mark: looks like "Müller", is not
    ("か\u309a", "INPUT_CHARACTER_NOT_ALLOWED"),
    ("김민준", "INPUT_CHARACTER_NOT_ALLOWED"),  # Hangul is in neither JIS X 0213 nor MJ
    ("\U000e0102辻", "INPUT_CHARACTER_NOT_ALLOWED"),  # a selector with nothing before it
    ("ア\U000e0100", "INPUT_CHARACTER_NOT_ALLOWED"),  # … or after kana
    ("辻\U000e0102\U000e0102", "INPUT_CHARACTER_NOT_ALLOWED"),  # … or after another selector
    ("山" * 101, "INPUT_TOO_LONG"),
])
def test_names_refuse_what_would_read_or_print_otherwise(value, code):
    assert code_of(value, NAME, 100) == code
    with pytest.raises(ValidationError) as caught:
        check_text(value, NAME, label="氏名", max_len=100, field_name="shimei")
    assert caught.value.code == code and caught.value.message.startswith("氏名")
    assert caught.value.fields == {"shimei": caught.value.message}


def test_free_text_takes_any_printable_character_and_a_note_its_line_breaks():
    for value in ("会議室😀", "家族👨\u200d👩\u200d👧", "한국어", "x" * 10):
        assert code_of(value, TEXT) is None and code_of(value, NOTE) is None
    assert code_of("1行目\n2行目\t終", NOTE) is None
    assert code_of("1行目\n2行目", TEXT) == "INPUT_CONTROL_CHARACTER"
    for bad in ("\x00", "\u202e", "\u200b", "\ue000", "\ufffe", "\ud800"):
        assert code_of(f"理由{bad}", NOTE) is not None, repr(bad)


def test_codes_are_printable_ascii_without_spaces_and_kana_is_what_furigana_accepts():
    assert code_of("clerk-062090@nagai.example", CODE) is None
    assert code_of("a b", CODE) == code_of("宛名", CODE) == "INPUT_CHARACTER_NOT_ALLOWED"
    assert code_of("やまだ　ﾀﾛｳ", KANA) is None
    assert code_of("山田", KANA) == "JP_FURIGANA_INVALID"


def test_length_counts_code_points_as_the_databases_do():
    assert code_of("辻\U000e0102" * 50, NAME, 100) is None  # 100 code points
    assert code_of("辻\U000e0102" * 50 + "a", NAME, 100) == "INPUT_TOO_LONG"


def test_the_order_of_checks_gives_the_most_useful_code():
    assert code_of("\ud800" + "x" * 200, NAME, 100) == "INPUT_LONE_SURROGATE"
    assert code_of("\u202e" * 200, NAME, 100) == "INPUT_TOO_LONG"  # 100,000 characters are not scanned


ALLOWED = st.sampled_from(standard_chars.ranges()).flatmap(lambda r: st.integers(r[0], r[1])).map(chr)
BAD = st.characters(categories=["Cc", "Cf", "Co", "Zl", "Zp"])


@given(st.lists(ALLOWED, min_size=1, max_size=30).map("".join))
def test_any_string_of_the_table_is_a_valid_name(name):
    assert code_of(name, NAME) is None


@given(st.lists(ALLOWED, max_size=10).map("".join), BAD, st.lists(ALLOWED, max_size=10).map("".join))
def test_a_control_or_formatting_character_anywhere_is_refused(before, bad, after):
    assert code_of(before + bad + after, NAME) == "INPUT_CONTROL_CHARACTER"
    assert unicodedata.category(bad) in ("Cc", "Cf", "Co", "Zl", "Zp")


def test_the_table_holds_no_control_or_formatting_character():
    for first, last in standard_chars.ranges():
        for cp in range(first, last + 1):
            assert unicodedata.category(chr(cp)) not in standard_chars.EXCLUDED_CATEGORIES, hex(cp)


def test_the_date_range_starts_on_meiji_6_and_ends_in_2200():
    assert DATE_MIN == GREGORIAN_FROM == date(1873, 1, 1) and date(2200, 12, 31) == DATE_MAX
    assert check_date(DATE_MIN) == DATE_MIN and check_date(DATE_MAX) == DATE_MAX
    for outside in (date(1, 1, 1), date(1872, 12, 31), date(2201, 1, 1), date(9999, 12, 31)):
        with pytest.raises(ValidationError) as caught:
            check_date(outside, label="生年月日", field_name="birth_date")
        assert caught.value.code == "INPUT_DATE_OUT_OF_RANGE" and caught.value.message.startswith("生年月日は")


def test_unstorable_finds_surrogates_and_nul_at_any_depth_without_naming_a_bad_key():
    assert unstorable({"a": [{"b": "ok"}, {"c": "x\x00"}]})[0] == "a.1.c"
    path, problem = unstorable({"a": {"\ud800": 1}})
    assert (path, problem.code) == ("a", "INPUT_LONE_SURROGATE")
    assert unstorable({"a": ["fine", 1, None, "𠮷"]}) is None
