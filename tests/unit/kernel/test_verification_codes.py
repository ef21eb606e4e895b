"""確認コード: random, printed in two groups of five, read forgivingly, stored as a hash."""

from __future__ import annotations

import re

import pytest

from municloud.kernel.documents.codes import ALPHABET, code_hash, code_matches, new_code, normalise

ISSUE_NO = "062090-2026-000001"


def test_a_new_code_is_ten_unambiguous_characters_in_two_groups():
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}", code)
    assert not set("ILOU") & set(ALPHABET) and len(ALPHABET) == 32


@pytest.mark.parametrize("typed", [
    "7K3QD-M9XWA", "7k3qd-m9xwa", "7K3QDM9XWA", " 7K3QD M9XWA ", "７Ｋ３ＱＤ－Ｍ９ＸＷＡ", "7K3QD\u3000M9XWA", "7K3QD−M9XWA",
])
def test_the_code_is_read_as_people_type_it(typed):
    assert normalise(typed) == "7K3QDM9XWA"


def test_letters_read_as_the_digits_they_look_like():
    assert normalise("O1I0L-AAAAA") == "01101AAAAA"


@pytest.mark.parametrize("typed", [None, "", "7K3QD-M9XW", "7K3QD-M9XWAB", "7K3QD-M9XW!", "7K3QD-M9XWU", "x" * 1000])
def test_what_cannot_be_a_code_is_no_code(typed):
    assert normalise(typed) is None


def test_the_hash_binds_the_code_to_its_number():
    stored = code_hash(ISSUE_NO, "7K3QD-M9XWA")
    assert "7K3QD" not in stored and len(stored) == 64
    assert code_matches(ISSUE_NO, "7k3qd m9xwa", stored)
    assert not code_matches("062090-2026-000002", "7K3QD-M9XWA", stored)
    assert not code_matches(ISSUE_NO, "7K3QD-M9XWB", stored)
    assert not code_matches(ISSUE_NO, None, stored) and not code_matches(ISSUE_NO, "7K3QD-M9XWA", None)
