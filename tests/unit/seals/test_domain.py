"""Seal-registration rules: the legal age, the accepted impression size, the card check."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from municloud.errors import ValidationError
from municloud.modules.seals import domain


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2011, 4, 1), date(2026, 3, 30), 14),
        (date(2011, 4, 1), date(2026, 3, 31), 15),  # the day before the birthday: one year older
        (date(2011, 4, 1), date(2026, 4, 1), 15),
        (date(2011, 4, 2), date(2026, 3, 31), 14),
        (date(2008, 2, 29), date(2023, 2, 27), 14),
        (date(2008, 2, 29), date(2023, 2, 28), 15),  # common year: the day before 1 March
        (date(2008, 2, 29), date(2024, 2, 28), 16),  # leap year: the day before 29 February
        (date(2010, 1, 1), date(2024, 12, 31), 15),  # across the year end
    ],
)
def test_age_goes_up_on_the_day_before_the_birthday(birth, on, age):
    assert domain.age_on(birth, on) == age


def test_a_person_exactly_fifteen_by_the_legal_rule_may_register_and_a_day_earlier_may_not():
    domain.check_age(date(2011, 4, 1), date(2026, 3, 31), 15)
    with pytest.raises(ValidationError) as caught:
        domain.check_age(date(2011, 4, 1), date(2026, 3, 30), 15)
    assert caught.value.code == "SEALS_UNDER_AGE" and "15歳未満" in caught.value.message


@pytest.mark.parametrize(("text", "tenths"), [("15", 150), ("12.5", 125), ("１２．５", 125), (" 8.1 ", 81)])
def test_sizes_are_read_in_tenths_of_a_millimetre(text, tenths):
    assert domain.parse_size_mm(text) == tenths


@pytest.mark.parametrize("text", ["", "abc", "12.55", "-3", "0", "nan", "inf", None])
def test_a_size_that_is_not_a_positive_length_with_one_decimal_is_refused(text):
    with pytest.raises(ValidationError) as caught:
        domain.parse_size_mm(text)
    assert caught.value.code == "SEALS_SIZE_INVALID" and "size_mm" in caught.value.fields


@pytest.mark.parametrize(("tenths", "code"), [(80, "SEALS_IMPRESSION_TOO_SMALL"), (50, "SEALS_IMPRESSION_TOO_SMALL"),
                                              (251, "SEALS_IMPRESSION_TOO_LARGE"), (300, "SEALS_IMPRESSION_TOO_LARGE")])
def test_an_impression_that_fits_in_8mm_or_not_in_25mm_is_refused(tenths, code):
    with pytest.raises(ValidationError) as caught:
        domain.check_size(tenths, 8, 25)
    assert caught.value.code == code


@pytest.mark.parametrize("tenths", [81, 150, 250])
def test_an_impression_between_the_limits_is_accepted(tenths):
    domain.check_size(tenths, 8, 25)


def test_the_image_is_printed_with_its_longer_side_at_the_impression_size():
    assert domain.print_size_mm(150, 300, 300) == (Decimal("15.00"), Decimal("15.00"))
    assert domain.print_size_mm(200, 400, 200) == (Decimal("20.00"), Decimal("10.00"))
    assert domain.format_mm(125) == "12.5" and domain.format_mm(150) == "15"


def test_card_numbers_have_eight_digits_and_are_shown_masked():
    assert domain.format_card_no(42) == "00000042"
    assert domain.mask_card_no("00000042") == "******42"
    assert domain.normalise_card_no(" ００００００４２ ") == "00000042"


def test_the_card_check_names_what_is_wrong():
    ended = {"00000001": domain.LOST, "00000002": domain.WITHDRAWN}
    assert domain.card_refusal("00000003", "00000003", ended) is None
    assert domain.card_refusal("00000001", "00000003", ended)[0] == "SEALS_CARD_LOST"
    assert domain.card_refusal("00000002", "00000003", ended)[0] == "SEALS_CARD_ENDED"
    assert domain.card_refusal("00000009", "00000003", ended)[0] == "SEALS_CARD_MISMATCH"
    assert domain.card_refusal("00000009", None, {})[0] == "SEALS_NOT_REGISTERED"


def test_the_fee_is_integer_yen_per_copy():
    assert domain.fee_total(300, 3) == 900


@pytest.mark.parametrize(("copies", "requester", "code"), [(0, "本人", "SEALS_COPIES_INVALID"),
                                                          (11, "本人", "SEALS_COPIES_INVALID"),
                                                          (1, "第三者", "SEALS_REQUESTER_INVALID")])
def test_a_request_for_no_copies_too_many_or_by_a_third_party_is_refused(copies, requester, code):
    with pytest.raises(ValidationError) as caught:
        domain.check_request(copies, requester)
    assert caught.value.code == code


def test_ending_a_registration_that_already_ended_is_a_conflict():
    from municloud.errors import ConflictError

    domain.require_active(domain.ACTIVE, 1)
    with pytest.raises(ConflictError):
        domain.require_active(domain.LOST, 1)


def test_the_identity_route_fits_the_requester():
    check_identity, guarantor_refusal = domain.check_identity, domain.guarantor_refusal
    today = date(2026, 12, 1)
    ok = {"guarantor_atena_no": None, "inquiry_sent_on": None, "answer_received": False, "today": today}
    check_identity("本人", "document", **ok)
    cases = [
        (("代理人", "document"), ok, "SEALS_AGENT_NEEDS_INQUIRY"),
        (("本人", "guarantor"), ok, "SEALS_GUARANTOR_REQUIRED"),
        (("本人", "inquiry"), ok, "SEALS_INQUIRY_DATE_REQUIRED"),
        (("代理人", "inquiry"), {**ok, "inquiry_sent_on": date(2026, 12, 2)}, "SEALS_INQUIRY_DATE_FUTURE"),
        (("代理人", "inquiry"), {**ok, "inquiry_sent_on": today}, "SEALS_ANSWER_REQUIRED"),
        (("使者", "document"), ok, "SEALS_REQUESTER_INVALID"),
        (("本人", "phone"), ok, "SEALS_IDENTITY_INVALID"),
    ]
    for args, kw, code in cases:
        with pytest.raises(ValidationError) as caught:
            check_identity(*args, **kw)
        assert caught.value.code == code
    check_identity("代理人", "inquiry", **{**ok, "inquiry_sent_on": today, "answer_received": True})
    for args in (("1", "1", True, True), ("2", "1", False, True), ("2", "1", True, False)):
        with pytest.raises(ValidationError):
            guarantor_refusal(*args)
    guarantor_refusal("2", "1", True, True)


def test_the_print_fineness_is_the_longer_side_over_the_real_size():
    assert domain.print_dpi(150, 240, 240) == 406  # as pdfimages measures it on the certificate
    assert domain.print_dpi(200, 300, 150) == 381
