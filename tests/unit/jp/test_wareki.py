from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from municloud.errors import ValidationError
from municloud.jp.wareki import (
    ERAS,
    format_wareki,
    format_wareki_short,
    parse_date,
    parse_wareki,
    to_wareki,
)

FIRST = date(1873, 1, 1)
LAST = date(2200, 12, 31)


def code_of(fn, *args):
    with pytest.raises(ValidationError) as exc:
        fn(*args)
    assert exc.value.message  # a Japanese message is always there
    return exc.value.code


@pytest.mark.parametrize(
    "text, expected",
    [
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("平成1年1月8日", date(1989, 1, 8)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("令和２年３月４日", date(2020, 3, 4)),
        ("R2.3.4", date(2020, 3, 4)),
        ("ｒ２．３．４", date(2020, 3, 4)),
        ("H31/4/30", date(2019, 4, 30)),
        ("S64-01-07", date(1989, 1, 7)),
        ("M45.7.30", date(1912, 7, 30)),
        ("T1.7.30", date(1912, 7, 30)),
        ("明治45年7月30日", date(1912, 7, 30)),  # shared day, old era spelling
        ("大正元年7月30日", date(1912, 7, 30)),  # shared day, new era spelling
        ("大正15年12月25日", date(1926, 12, 25)),
        ("昭和元年12月25日", date(1926, 12, 25)),
        ("明治6年1月1日", date(1873, 1, 1)),
        ("平成12年2月29日", date(2000, 2, 29)),  # 2000 is a leap year
        ("㍻1.1.8", date(1989, 1, 8)),
        (" 令和 6 年 4 月 1 日 ", date(2024, 4, 1)),
    ],
)
def test_parse_wareki_accepts(text, expected):
    assert parse_wareki(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "昭和64年1月8日",  # 昭和 ended 1989-01-07
        "平成元年1月7日",
        "平成31年5月1日",
        "令和1年4月30日",
        "令和元年4月30日",
        "明治45年7月31日",
        "大正元年7月29日",
        "大正15年12月26日",
        "昭和元年12月24日",
        "明治5年12月31日",  # lunisolar calendar era
        "明治1年1月1日",
        "令和0年5月1日",
    ],
)
def test_parse_wareki_out_of_era(text):
    assert code_of(parse_wareki, text) == "JP_WAREKI_OUT_OF_ERA"


@pytest.mark.parametrize(
    "text", ["令和2年2月30日", "平成11年2月29日", "R2.13.1", "令和3年4月31日", "H1.1.0"]
)
def test_parse_wareki_impossible_calendar_date(text):
    assert code_of(parse_wareki, text) == "JP_DATE_INVALID"


@pytest.mark.parametrize(
    "text", ["", "令和", "令和二年三月四日", "X2.3.4", "R2.3-4", "2020-03-04", "令和2年3月", None]
)
def test_parse_wareki_unparseable(text):
    assert code_of(parse_wareki, text) == "JP_WAREKI_INVALID"


def test_out_of_era_message_names_the_date():
    with pytest.raises(ValidationError) as exc:
        parse_wareki("昭和64年1月8日")
    assert "昭和64年1月8日" in exc.value.message


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1989-01-08", date(1989, 1, 8)),
        ("1989/1/8", date(1989, 1, 8)),
        ("1989.1.8", date(1989, 1, 8)),
        ("19890108", date(1989, 1, 8)),
        ("１９８９－０１－０８", date(1989, 1, 8)),
        ("1989年1月8日", date(1989, 1, 8)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("H1.1.8", date(1989, 1, 8)),
        ("1873-01-01", date(1873, 1, 1)),  # 明治6年1月1日: the first day of the platform's range
        ("2200-12-31", date(2200, 12, 31)),  # its last day
        ("2000-02-29", date(2000, 2, 29)),
    ],
)
def test_parse_date_accepts(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", None),
        ("1989-02-30", None),
        ("1900-02-29", None),  # 1900 is not a leap year
        ("1989/1-8", "JP_WAREKI_INVALID"),
        ("hello", "JP_WAREKI_INVALID"),
        ("昭和64年1月8日", "JP_WAREKI_OUT_OF_ERA"),
        ("平成11年2月29日", "JP_DATE_INVALID"),
    ],
)
def test_parse_date_refuses_with_one_code(text, reason):
    with pytest.raises(ValidationError) as exc:
        parse_date(text)
    assert exc.value.code == "JP_DATE_INVALID"
    assert exc.value.detail.get("reason") == reason
    if text:
        assert text in exc.value.message or "昭和64年1月8日" in exc.value.message


@pytest.mark.parametrize(
    "d, gannen, expected",
    [
        (date(2019, 5, 1), True, "令和元年5月1日"),
        (date(2019, 5, 1), False, "令和1年5月1日"),
        (date(2019, 4, 30), True, "平成31年4月30日"),
        (date(1989, 1, 7), True, "昭和64年1月7日"),
        (date(1989, 1, 8), True, "平成元年1月8日"),
        (date(1912, 7, 29), True, "明治45年7月29日"),
        (date(1912, 7, 30), True, "大正元年7月30日"),  # shared day → new era
        (date(1926, 12, 24), True, "大正15年12月24日"),
        (date(1926, 12, 25), True, "昭和元年12月25日"),
        (date(1873, 1, 1), True, "明治6年1月1日"),
    ],
)
def test_format_wareki(d, gannen, expected):
    assert format_wareki(d, gannen=gannen) == expected


def test_short_and_tuple_forms():
    assert format_wareki_short(date(2019, 5, 1)) == "R1.5.1"
    assert format_wareki_short(date(1989, 1, 7)) == "S64.1.7"
    assert to_wareki(date(1912, 7, 30)) == ("大正", 1)
    assert to_wareki(date(2024, 4, 1)) == ("令和", 6)


def test_before_gregorian_cannot_be_formatted():
    assert code_of(format_wareki, date(1872, 12, 31)) == "JP_WAREKI_OUT_OF_ERA"


def test_era_table_is_contiguous():
    for old, new in zip(ERAS, ERAS[1:], strict=False):
        # shared day (明治/大正, 大正/昭和) or the very next day (昭和/平成, 平成/令和)
        assert new.first - old.last in (timedelta(0), timedelta(days=1))


def test_round_trip_every_day_exhaustively():
    d = FIRST
    while d <= LAST:
        assert parse_wareki(format_wareki(d)) == d
        assert parse_wareki(format_wareki(d, gannen=False)) == d
        assert parse_wareki(format_wareki_short(d)) == d
        d += timedelta(days=1)


@given(st.dates(min_value=FIRST, max_value=LAST), st.booleans())
def test_round_trip_hypothesis(d, gannen):
    text = format_wareki(d, gannen=gannen)
    assert parse_wareki(text) == d
    assert parse_date(text) == d
    assert ("元年" in text) == (gannen and to_wareki(d)[1] == 1)


@given(st.dates(min_value=FIRST, max_value=LAST))
def test_every_spelling_of_a_day_parses_to_it(d):
    # A date can be written in every era that contains it; all spellings agree.
    spellings = [e for e in ERAS if e.contains(d)]
    assert 1 <= len(spellings) <= 2
    for era in spellings:
        assert parse_wareki(f"{era.name}{d.year - era.offset}年{d.month}月{d.day}日") == d


@pytest.mark.parametrize("text", ["0001-01-01", "1800-01-01", "1872-12-31", "2201-01-01", "令和300年1月1日", "99991231"])
def test_a_real_date_outside_the_platforms_range_is_refused(text):
    # Before 明治6年1月1日 a date cannot be printed in 和暦 on a certificate (jp.policy.DATE_MIN);
    # after 2200 it is a typing error.  0001-01-01 used to be accepted as a birth date.
    with pytest.raises(ValidationError) as exc:
        parse_date(text)
    assert exc.value.code == "INPUT_DATE_OUT_OF_RANGE"
    assert "明治6年1月1日" in exc.value.message
