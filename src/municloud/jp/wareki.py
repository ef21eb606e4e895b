"""Japanese era dates (和暦): parse and format, hand-rolled with exact boundaries.

Era table (元号), as Gregorian dates, both ends inclusive:

========  ======  ============  ============  ============================================
era       letter  first day     last day      note
========  ======  ============  ============  ============================================
明治      M       1873-01-01    1912-07-30    really from 1868; before 明治6年 Japan used
                                              the lunisolar calendar (太陰太陽暦), refused
大正      T       1912-07-30    1926-12-25
昭和      S       1926-12-25    1989-01-07    昭和64年1月8日 does not exist
平成      H       1989-01-08    2019-04-30
令和      R       2019-05-01    (current)
========  ======  ============  ============  ============================================

The change of era on 1912-07-30 and 1926-12-25 took effect on the day itself, so that day
has two spellings (明治45年7月30日 = 大正元年7月30日; 大正15年12月25日 = 昭和元年12月25日): both
parse to the same date, and formatting uses the NEW era.  平成 and 令和 began on the day
after the previous era ended, so there is no shared day.

Year 1 of an era is written 元年 (gannen).  Kanji numerals (令和二年) are not accepted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from municloud.errors import ValidationError
from municloud.jp.policy import check_date

__all__ = [
    "ERAS",
    "Era",
    "format_wareki",
    "format_wareki_short",
    "parse_date",
    "parse_wareki",
    "to_wareki",
]


@dataclass(frozen=True)
class Era:
    """One era (元号). ``first``/``last`` are the inclusive Gregorian range we accept."""

    name: str  # 元号, e.g. "令和"
    letter: str  # アルファベット略号, e.g. "R"
    first: date
    last: date | None  # None: current era
    offset: int  # Gregorian year = era year + offset

    def contains(self, d: date) -> bool:
        return self.first <= d and (self.last is None or d <= self.last)


ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1873, 1, 1), date(1912, 7, 30), 1867),
    Era("大正", "T", date(1912, 7, 30), date(1926, 12, 25), 1911),
    Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7), 1925),
    Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30), 1988),
    Era("令和", "R", date(2019, 5, 1), None, 2018),
)
"""Eras oldest first (元号一覧)."""

GREGORIAN_FROM = ERAS[0].first  # 1873-01-01: 改暦 (明治5年12月3日 became 明治6年1月1日)

_ERA_BY_KEY: dict[str, Era] = {}
for _era in ERAS:
    _ERA_BY_KEY[_era.name] = _era
    _ERA_BY_KEY[_era.name[0]] = _era  # 一字略記: 明 大 昭 平 令
    _ERA_BY_KEY[_era.letter] = _era
    _ERA_BY_KEY[_era.letter.lower()] = _era

_ERA_RE = "(明治|大正|昭和|平成|令和|[明大昭平令MTSHRmtshr])"
_YEAR_RE = r"(元|\d{1,3})"
_WAREKI_KANJI = re.compile(_ERA_RE + r"\s*" + _YEAR_RE + r"\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_WAREKI_SEP = re.compile(_ERA_RE + r"\s*" + _YEAR_RE + r"([./-])(\d{1,2})\3(\d{1,2})")
_GREG_SEP = re.compile(r"(\d{4})([./-])(\d{1,2})\2(\d{1,2})")
_GREG_KANJI = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_GREG_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _fmt_greg(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _clean(text: object) -> str:
    if not isinstance(text, str):
        return ""
    # NFKC: full-width digits/letters/punctuation to ASCII, ㍻→平成, ㋿→令和.
    return unicodedata.normalize("NFKC", text).strip()


def _wareki_to_date(era: Era, year_text: str, month: int, day: int, original: str) -> date:
    year = 1 if year_text == "元" else int(year_text)
    label = f"{era.name}{'元' if year == 1 else year}年{month}月{day}日"
    if year < 1:
        raise ValidationError(
            "JP_WAREKI_OUT_OF_ERA",
            f"和暦の日付が正しくありません：{era.name}{year}年は存在しません",
        )
    try:
        d = date(year + era.offset, month, day)
    except ValueError:
        raise ValidationError(
            "JP_DATE_INVALID",
            f"存在しない日付です：「{original}」（{label}＝{year + era.offset}年{month}月{day}日）",
        ) from None
    if not era.contains(d):
        if era is ERAS[0] and d < GREGORIAN_FROM:
            msg = (
                f"和暦の日付が正しくありません：{label}は扱えません（明治5年以前は太陰太陽暦のため、"
                "明治6年＝1873年1月1日以降の日付を入力してください）"
            )
        else:
            until = f"{_fmt_greg(era.last)}まで" if era.last else ""
            msg = (
                f"和暦の日付が正しくありません：{label}は存在しません"
                f"（{era.name}は{_fmt_greg(era.first)}から{until}）"
            )
        raise ValidationError("JP_WAREKI_OUT_OF_ERA", msg)
    return d


def parse_wareki(text: str) -> date:
    """Parse an era date (和暦) into a Gregorian date.

    Accepts "昭和64年1月7日", "令和元年5月1日", "令和1年5月1日", full-width digits
    ("令和２年３月４日"), one-kanji era (昭64.1.7), letter forms "R2.3.4", "H31/4/30",
    "S64-01-07" (one separator kind per date), and ㍻/㋿ ligatures.

    Errors (ValidationError):
      * JP_WAREKI_INVALID — not an era date at all (also kanji numerals, 令和二年);
      * JP_DATE_INVALID — the calendar date does not exist (平成11年2月29日, 2月30日);
      * JP_WAREKI_OUT_OF_ERA — outside the era (昭和64年1月8日, 令和元年4月30日,
        明治5年 and earlier).
    """
    s = _clean(text)
    m = _WAREKI_KANJI.fullmatch(s)
    if m:
        era_key, year, month, day = m.group(1), m.group(2), m.group(3), m.group(4)
    else:
        m = _WAREKI_SEP.fullmatch(s)
        if not m:
            raise ValidationError(
                "JP_WAREKI_INVALID",
                f"和暦の日付として読み取れません：「{text}」（例：令和6年4月1日、R6.4.1）",
            )
        era_key, year, month, day = m.group(1), m.group(2), m.group(4), m.group(5)
    return _wareki_to_date(_ERA_BY_KEY[era_key], year, int(month), int(day), str(text))


def parse_date(text: str) -> date:
    """Parse a Gregorian (西暦) or era (和暦) date typed by a person.

    Accepts "1989-01-08", "1989/1/8", "1989.1.8", "1989年1月8日", "19890108", full-width
    digits, and every form :func:`parse_wareki` accepts.  A ``datetime.date`` is returned
    as is.  Raises ValidationError code JP_DATE_INVALID for an unreadable or impossible date
    (for an era date the message is the era-specific one and ``detail["reason"]`` holds the
    era error code), and INPUT_DATE_OUT_OF_RANGE for a real date outside the platform's
    range (``jp.policy``: 明治6年1月1日 … 2200年12月31日, e.g. 0001-01-01).
    """
    if isinstance(text, date):
        return check_date(text)
    s = _clean(text)
    if not s:
        raise ValidationError("JP_DATE_INVALID", "日付が入力されていません")
    m = _GREG_SEP.fullmatch(s)
    groups = (m.group(1), m.group(3), m.group(4)) if m else None
    if groups is None:
        m = _GREG_KANJI.fullmatch(s) or _GREG_COMPACT.fullmatch(s)
        groups = m.groups() if m else None
    if groups is not None:
        try:
            day = date(int(groups[0]), int(groups[1]), int(groups[2]))
        except ValueError:
            raise ValidationError("JP_DATE_INVALID", f"存在しない日付です：「{text}」") from None
        return check_date(day)
    try:
        return check_date(parse_wareki(s))
    except ValidationError as e:
        if e.code == "INPUT_DATE_OUT_OF_RANGE":
            raise
        if e.code == "JP_WAREKI_INVALID":
            msg = f"日付として読み取れません：「{text}」（例：2024-04-01、令和6年4月1日、R6.4.1）"
        else:
            msg = e.message
        raise ValidationError("JP_DATE_INVALID", msg, detail={"reason": e.code}) from None


def to_wareki(d: date) -> tuple[str, int]:
    """Return (era name, era year) for a date; the shared boundary day gets the new era."""
    if isinstance(d, date) and d >= GREGORIAN_FROM:
        for era in reversed(ERAS):
            if d >= era.first:
                return era.name, d.year - era.offset
    raise ValidationError(
        "JP_WAREKI_OUT_OF_ERA",
        f"和暦で表せない日付です：{d}（明治6年＝1873年1月1日以降のみ扱えます）",
    )


def format_wareki(d: date, *, gannen: bool = True) -> str:
    """Format as "令和元年5月1日" (``gannen=False``: "令和1年5月1日")."""
    name, year = to_wareki(d)
    y = "元" if (year == 1 and gannen) else str(year)
    return f"{name}{y}年{d.month}月{d.day}日"


def format_wareki_short(d: date) -> str:
    """Format as "R1.5.1" (letter, era year, month, day; no 元)."""
    name, year = to_wareki(d)
    return f"{_ERA_BY_KEY[name].letter}{year}.{d.month}.{d.day}"
