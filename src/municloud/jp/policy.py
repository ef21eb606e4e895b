"""What a text item may hold and which dates an item may hold — defined once.

Every text item of the platform has a **kind** (:class:`TextKind`); the kind decides which
characters it accepts.  :mod:`municloud.kernel.fields` gives each item its kind, label and
maximum length, and every door — the JSON API (pydantic types), the screens (the same
models), the standard-layout import and the legacy migration — checks through
:func:`check_text` here, so the rules cannot drift apart.

=========  ====================================================  ===========================
kind       characters                                            examples
=========  ====================================================  ===========================
name       the standard repertoire (:mod:`.standard_chars`:      氏名, 旧氏, 通称, 筆頭者,
           JIS X 0213 + MJ文字 + JIS X 0201 …) and a variation     請求者氏名, 親族の氏名
           selector (IVS U+E0100–E01EF, SVS U+FE00–FE0F) only
           directly after an ideograph; one line
address    the same as name                                      住所, 方書, 本籍, 転入前住所
kana       what :func:`municloud.jp.kana.to_furigana` accepts     フリガナ
text       any printable character, one line                     目的, 区分, 続柄, 表示名
note       any printable character, with line breaks and tabs    備考, 理由
code       printable ASCII without spaces                        宛名番号, 利用者名, ロール
=========  ====================================================  ===========================

Never accepted in any kind: a lone surrogate (U+D800–DFFF: what an invalid UTF-8 byte or a
broken ``\\ud800`` JSON escape becomes; no database can store it), control characters (Cc)
other than a note's line breaks and tabs, line and paragraph separators, private-use
characters (gaiji without a mapping), noncharacters, and formatting characters (Cf) —
bidirectional controls such as U+202E would make a name read differently from what is
stored, zero-width characters would make two different names look the same.  The only
formatting character free text keeps is U+200D ZERO WIDTH JOINER, which joins emoji.

Names and addresses are checked, never changed: they are stored exactly as entered.

Dates: every date item lies between :data:`DATE_MIN` and :data:`DATE_MAX` —
``check_date`` (and ``jp.wareki.parse_date``, through which people's dates are read).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from enum import StrEnum
from functools import cache
from typing import NamedTuple

from municloud.errors import ValidationError

__all__ = [
    "DATE_MAX",
    "DATE_MIN",
    "YEAR_MAX",
    "YEAR_MIN",
    "TextKind",
    "TextProblem",
    "check_date",
    "check_text",
    "describe_date_range",
    "text_problem",
    "unstorable",
]


class TextKind(StrEnum):
    NAME = "name"
    ADDRESS = "address"
    KANA = "kana"
    TEXT = "text"
    NOTE = "note"
    CODE = "code"


KIND_LABELS = {
    TextKind.NAME: "氏名など（標準の文字）",
    TextKind.ADDRESS: "住所など（標準の文字）",
    TextKind.KANA: "フリガナ",
    TextKind.TEXT: "1行の文章",
    TextKind.NOTE: "複数行の文章",
    TextKind.CODE: "番号・記号（半角英数字）",
}

DATE_MIN = date(1873, 1, 1)
"""明治6年1月1日: the first day of the Gregorian calendar in Japan (改暦ノ布告, 明治5年太政官布告
第337号: 明治5年12月3日 became 明治6年1月1日).  Certificates print every date in 和暦 and a
和暦 date before it names a day of the lunisolar calendar, not this one, so no item may
hold an earlier date (``jp.wareki`` refuses 明治5年 and earlier for the same reason)."""
DATE_MAX = date(2200, 12, 31)
"""A bound far beyond any lifetime, 在留期間 or 支援措置 period, well inside every date
type the databases and ``datetime`` hold: a later date is a typing error."""
YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year
"""Years (e.g. a tax 年度 in a URL) lie in the same range."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = "\n\r\t"
_ALLOWED_CF = {"\u200d"}  # ZERO WIDTH JOINER (emoji sequences), free text only
_CODE = re.compile(r"[!-~]*")  # printable ASCII, no space
_VS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")
_IDEOGRAPH = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


@cache
def _standard() -> re.Pattern[str]:
    from municloud.jp.standard_chars import ranges  # read once, on first use

    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges())
    vs = "\ufe00-\ufe0f\U000e0100-\U000e01ef"
    return re.compile(f"[{body}{vs}]*")


class TextProblem(NamedTuple):
    """What is wrong with a value: a stable code and a Japanese reason without the item's label."""

    code: str
    reason: str

    def message(self, label: str) -> str:
        """The reason for a person, starting with the item's *label* (氏名は… / 氏名に… / 氏名：…)."""
        if self.code == "INPUT_TOO_LONG":
            return f"{label}は{self.reason}"
        if self.code.startswith("JP_"):  # jp's own messages (フリガナ) already say what is wrong
            return f"{label}：{self.reason}"
        return f"{label}に{self.reason}"


_CONTROL_NAMES = {"\t": "タブ", "\n": "改行", "\r": "復帰", "\x00": "NUL"}


def _name_of(ch: str) -> str:
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ch, "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def _bad_char(ch: str, kind: TextKind) -> bool:
    cat = unicodedata.category(ch)
    if cat == "Cc":
        return not (kind == TextKind.NOTE and ch in _LINE_BREAKS)
    if cat == "Cf":
        return not (kind in (TextKind.TEXT, TextKind.NOTE) and ch in _ALLOWED_CF)
    if cat in ("Zl", "Zp", "Co"):
        return True
    cp = ord(ch)
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE  # noncharacters


def text_problem(value: str, kind: TextKind, max_len: int | None = None) -> TextProblem | None:
    """What is wrong with *value* for an item of *kind* (None when nothing is).

    Checked in this order: lone surrogates, length (in code points, as the databases count
    it), control and formatting characters, then the kind's repertoire.
    """
    found = _SURROGATE.search(value)
    if found:
        return TextProblem("INPUT_LONE_SURROGATE",
                           f"不正な文字（対になっていないサロゲート U+{ord(found.group()):04X}）が含まれています")
    if max_len is not None and len(value) > max_len:
        return TextProblem("INPUT_TOO_LONG", f"{max_len}文字以内で入力してください（{len(value)}文字あります）")
    if not value.isprintable():  # fast path: nothing but printable characters (U+3000 is not "printable")
        for ch in value:
            if not ch.isprintable() and _bad_char(ch, kind):
                return TextProblem("INPUT_CONTROL_CHARACTER",
                                   f"使えない制御文字・書式文字・私用領域の文字（{_name_of(ch)}）が含まれています")
    if kind in (TextKind.NAME, TextKind.ADDRESS):
        return _standard_problem(value)
    if kind == TextKind.KANA:
        from municloud.jp.kana import to_furigana

        try:
            to_furigana(value)
        except ValidationError as exc:
            return TextProblem(exc.code, exc.message)
    if kind == TextKind.CODE and not _CODE.fullmatch(value):
        return TextProblem("INPUT_CHARACTER_NOT_ALLOWED",
                           "使えない文字が含まれています（半角の英数字・記号で、空白を含めずに入力してください）")
    return None


def _standard_problem(value: str) -> TextProblem | None:
    if not _standard().fullmatch(value):
        table = _standard()
        ch = next(c for c in value if not table.fullmatch(c))
        return TextProblem(
            "INPUT_CHARACTER_NOT_ALLOWED",
            f"使えない文字「{ch}」（{_name_of(ch)}）が含まれています"
            "（JIS X 0213 と文字情報基盤（MJ文字）の文字で入力してください。外字は異体字セレクタで表します）",
        )
    for found in _VS.finditer(value):
        i = found.start()
        if i == 0 or not _IDEOGRAPH.match(value[i - 1]):
            return TextProblem(
                "INPUT_CHARACTER_NOT_ALLOWED",
                f"異体字セレクタ（{_name_of(found.group())}）は漢字の直後にだけ使えます",
            )
    return None


def check_text(value: str, kind: TextKind, *, label: str, max_len: int | None = None,
               field_name: str | None = None) -> str:
    """*value* unchanged, or a ValidationError whose message starts with *label*."""
    problem = text_problem(value, kind, max_len)
    if problem is None:
        return value
    return _raise(problem.code, problem.message(label), field_name)


UNSTORABLE_NUL = TextProblem("INPUT_CONTROL_CHARACTER", "使えない制御文字（U+0000 NUL）が含まれています")


def unstorable(value: object, path: str = "") -> tuple[str, TextProblem] | None:
    """(path, problem) of the first string in *value* (str, or dicts and lists of them, keys
    included) that no database can store: a lone surrogate (SQLite cannot encode it) or NUL
    (PostgreSQL refuses it in text).  The path (``persons.0.shimei``) never holds a bad key."""
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        if found:
            return path, TextProblem(
                "INPUT_LONE_SURROGATE", f"不正な文字（対になっていないサロゲート U+{ord(found.group()):04X}）が含まれています")
        return (path, UNSTORABLE_NUL) if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and unstorable(key) is not None:
                return unstorable(key, path or "_")
            found = unstorable(item, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = unstorable(item, f"{path}.{i}" if path else str(i))
            if found is not None:
                return found
    return None


def describe_date_range() -> str:
    return "明治6年1月1日（1873年1月1日）から2200年12月31日まで"


def check_date(value: date, *, label: str | None = None, field_name: str | None = None) -> date:
    """*value* unchanged when it lies in [DATE_MIN, DATE_MAX], else INPUT_DATE_OUT_OF_RANGE
    (the message starts with *label* when given)."""
    if DATE_MIN <= value <= DATE_MAX:
        return value
    message = f"{describe_date_range()}の日付で入力してください（{value.isoformat()}）"
    return _raise("INPUT_DATE_OUT_OF_RANGE", f"{label}は{message}" if label else message, field_name)


def _raise(code: str, message: str, field_name: str | None):
    raise ValidationError(code, message, fields={field_name: message} if field_name else None)
