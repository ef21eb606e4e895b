import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from municloud.errors import ValidationError
from municloud.jp.codes import (
    format_postal_code,
    generate_juminhyo_code,
    generate_my_number,
    juminhyo_code_check_digit,
    local_government_check_digit,
    local_government_code,
    mask_my_number,
    my_number_check_digit,
    validate_juminhyo_code,
    validate_local_government_code,
    validate_my_number,
    validate_postal_code,
)


def digits(n):
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def is_valid(validate, code):
    try:
        validate(code)
    except ValidationError:
        return False
    return True


def single_digit_changes(code):
    for i, old in enumerate(code):
        for new in "0123456789":
            if new != old:
                yield i, code[:i] + new + code[i + 1 :]


def weighted_mod11(body, weights):
    return sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11


# --- 全国地方公共団体コード ------------------------------------------------------------


@pytest.mark.parametrize(
    "first5, cd", [("06209", 0), ("34100", 2), ("13101", 6), ("13000", 1), ("01100", 2)]
)
def test_local_government_known(first5, cd):
    assert local_government_check_digit(first5) == cd
    assert validate_local_government_code(first5 + str(cd)) == first5 + str(cd)
    assert local_government_code(first5) == first5 + str(cd)


def test_local_government_normalises_input():
    assert validate_local_government_code("１３１０１６") == "131016"
    assert validate_local_government_code(" 13101-6 ") == "131016"


@pytest.mark.parametrize("code", ["131017", "13101", "1310160", "13101a", "", None, "١٣١٠١٦"])
def test_local_government_refused(code):
    with pytest.raises(ValidationError) as exc:
        validate_local_government_code(code)
    assert exc.value.code == "JP_LG_CODE_INVALID"
    assert "団体コード" in exc.value.message


@given(digits(5))
def test_local_government_single_digit_errors(first5):
    code = local_government_code(first5)
    assert validate_local_government_code(code) == code
    r = weighted_mod11(first5, (6, 5, 4, 3, 2))
    for i, changed in single_digit_changes(code):
        if i == 5:  # the check digit itself: always detected
            assert not is_valid(validate_local_government_code, changed)
            continue
        # A body change always changes r (11 is prime; weight*delta is never a multiple of
        # 11), but cd = (11 - r) % 10 maps r=0 and r=10 both to 1: exactly those changes
        # slip through, and nothing else does.
        r2 = weighted_mod11(changed[:5], (6, 5, 4, 3, 2))
        assert r2 != r
        collides = {r, r2} == {0, 10}
        assert is_valid(validate_local_government_code, changed) is collides


# --- 個人番号 -------------------------------------------------------------------------


def test_my_number_known():
    assert my_number_check_digit("12345678901") == 8
    assert validate_my_number("123456789018") == "123456789018"
    assert validate_my_number("1234 5678 9018") == "123456789018"
    assert validate_my_number("１２３４－５６７８－９０１８") == "123456789018"


@pytest.mark.parametrize("code", ["123456789012", "12345678901", "1234567890180", "", None])
def test_my_number_refused_without_echoing(code):
    with pytest.raises(ValidationError) as exc:
        validate_my_number(code)
    assert exc.value.code == "JP_MY_NUMBER_INVALID"
    assert "123456789" not in exc.value.message  # protected number never echoed


def test_mask_my_number_never_shows_digits():
    assert mask_my_number("123456789018") == "************"
    assert mask_my_number("1234 5678 9018") == "************"
    assert mask_my_number("") == ""
    assert mask_my_number(None) == ""


MN_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)  # Qn read left to right


@given(st.integers(min_value=0, max_value=2**32))
def test_generated_my_numbers_validate(seed):
    code = generate_my_number(random.Random(seed))
    assert len(code) == 12 and code.isdigit()
    assert validate_my_number(code) == code
    r = weighted_mod11(code[:11], MN_WEIGHTS)
    for i, changed in single_digit_changes(code):
        if i == 11:
            assert not is_valid(validate_my_number, changed)
            continue
        # cd = 0 for both r=0 and r=1: a body change between those remainders is invisible.
        r2 = weighted_mod11(changed[:11], MN_WEIGHTS)
        assert is_valid(validate_my_number, changed) is ({r, r2} == {0, 1})


def test_generation_is_deterministic():
    assert generate_my_number(random.Random(7)) == generate_my_number(random.Random(7))
    assert generate_juminhyo_code(random.Random(7)) == generate_juminhyo_code(random.Random(7))


# --- 住民票コード ---------------------------------------------------------------------

JC_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)  # Qn read left to right


@pytest.mark.parametrize(
    "first10, cd",
    [
        # hand-computed: Σ = 1*5+2*4+3*3+4*2+5*7+6*6+7*5+8*4+9*3+0*2 = 195, 195 % 11 = 8 → 3
        ("1234567890", 3),
        ("0000000000", 0),  # r = 0 → 0
    ],
)
def test_juminhyo_known(first10, cd):
    assert juminhyo_code_check_digit(first10) == cd
    assert validate_juminhyo_code(first10 + str(cd)) == first10 + str(cd)


def test_juminhyo_remainder_rules():
    assert juminhyo_code_check_digit("0000000005") == 1  # r = 10 → 11 - 10
    assert juminhyo_code_check_digit("0000000006") == 0  # 12 % 11 = 1 → 0
    assert juminhyo_code_check_digit("0000000001") == 9  # r = 2 → 9


@pytest.mark.parametrize("code", ["12345678904", "1234567890", "", None, "abcdefghijk"])
def test_juminhyo_refused_without_echoing(code):
    with pytest.raises(ValidationError) as exc:
        validate_juminhyo_code(code)
    assert exc.value.code == "JP_JUMINHYO_CODE_INVALID"
    assert "1234567890" not in exc.value.message


@given(st.integers(min_value=0, max_value=2**32))
def test_generated_juminhyo_codes_validate(seed):
    code = generate_juminhyo_code(random.Random(seed))
    assert len(code) == 11 and code.isdigit()
    assert validate_juminhyo_code(code) == code
    r = weighted_mod11(code[:10], JC_WEIGHTS)
    for i, changed in single_digit_changes(code):
        if i == 10:
            assert not is_valid(validate_juminhyo_code, changed)
            continue
        r2 = weighted_mod11(changed[:10], JC_WEIGHTS)
        assert is_valid(validate_juminhyo_code, changed) is ({r, r2} == {0, 1})


# --- 郵便番号 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["100-0001", "1000001", "〒100-0001", "〒 １００－０００１", "100−0001", " 1000001 "]
)
def test_postal_code_accepted(text):
    assert validate_postal_code(text) == "1000001"
    assert format_postal_code(text) == "100-0001"


@pytest.mark.parametrize("text", ["1000-001", "100001", "10000001", "100-00a1", "", None])
def test_postal_code_refused(text):
    with pytest.raises(ValidationError) as exc:
        validate_postal_code(text)
    assert exc.value.code == "JP_POSTAL_CODE_INVALID"
