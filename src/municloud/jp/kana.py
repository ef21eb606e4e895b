"""Kana (フリガナ) conversion, validation and search folding.

* :func:`to_furigana` — the value we STORE in a フリガナ field: full-width katakana,
  words separated by one ideographic space (U+3000).
* :func:`kana_search_key` — a folded key for SEARCH only (never stored as the reading).
* :func:`is_kana_query` — lets search decide between a kana search and a name search.

Hiragana→katakana is a fixed code-point shift (U+3041–U+3096 → U+30A1–U+30F6, ゝゞ → ヽヾ);
jaconv is not needed for it and ``jaconv.normalize`` must not be used here (it turns 〜 into ー).
"""

from __future__ import annotations

import re
import unicodedata

from municloud.errors import ValidationError

__all__ = [
    "FURIGANA_RE",
    "hiragana_to_katakana",
    "is_kana_query",
    "kana_search_key",
    "to_furigana",
]

FURIGANA_RE = re.compile("[\u30a1-\u30f6\u30fc\u30fb\u3000]+")
"""What a stored フリガナ may contain: ァ–ヶ, ー (長音), ・ (中点), U+3000 (全角空白)."""

_HIRA_TO_KATA = {cp: cp + 0x60 for cp in range(0x3041, 0x3097)}  # ぁ..ゖ → ァ..ヶ
_HIRA_TO_KATA.update({0x309D: 0x30FD, 0x309E: 0x30FE})  # ゝゞ → ヽヾ

# 小書き仮名 → 並字 (small → large) for search keys. ヴ stays ヴ.
_SMALL_TO_LARGE = str.maketrans(
    "ァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ",
    "アイウエオツヤユヨワカケクシストヌハヒフヘホムラリルレロ",
)
_SEARCH_TABLE: dict[int, int | None] = {**_SMALL_TO_LARGE}
for _h, _k in _HIRA_TO_KATA.items():  # one pass: ぁ → ア directly
    _SEARCH_TABLE[_h] = _SMALL_TO_LARGE.get(_k, _k)
_SEARCH_TABLE[0x30FB] = None  # ・ removed

_WS_RE = re.compile(r"\s+")  # str patterns: \s includes U+3000
_KANA_QUERY_RE = re.compile("[\u30a1-\u30fe\u31f0-\u31ff]+")  # ァ..ヾ incl. ・ー, ㇰ..ㇿ


def hiragana_to_katakana(text: str) -> str:
    """ひらがな → カタカナ (only hiragana change; everything else is kept)."""
    return text.translate(_HIRA_TO_KATA)


def to_furigana(text: str) -> str:
    """Normalise and validate a フリガナ (reading) for storage.

    Recipe (reference/characters.md): NFKC (joins half-width ﾊﾟ into パ, ｰ into ー)
    → hiragana to katakana → every run of whitespace (ASCII or U+3000) becomes one U+3000,
    ends stripped → must match ``^[ァ-ヶー・\u3000]+$``.

    "ﾔﾏﾀﾞ ﾀﾛｳ" → "ヤマダ　タロウ"; "やまだ" → "ヤマダ".
    Refused (JP_FURIGANA_INVALID): kanji, Latin letters, digits, ヽヾ, ヷ–ヺ, 〜.
    Empty or blank: JP_FURIGANA_REQUIRED.
    """
    if text is None or not isinstance(text, str) or not text.strip():
        raise ValidationError("JP_FURIGANA_REQUIRED", "フリガナを入力してください")
    s = unicodedata.normalize("NFKC", text).translate(_HIRA_TO_KATA)
    s = _WS_RE.sub("\u3000", s).strip()
    if not s:
        raise ValidationError("JP_FURIGANA_REQUIRED", "フリガナを入力してください")
    if not FURIGANA_RE.fullmatch(s):
        bad = "".join(dict.fromkeys(ch for ch in s if not FURIGANA_RE.fullmatch(ch)))
        raise ValidationError(
            "JP_FURIGANA_INVALID",
            f"フリガナはカタカナ（またはひらがな）で入力してください：「{text}」"
            f"（使えない文字：{'、'.join(bad)}）",
        )
    return s


def kana_search_key(text: str) -> str:
    """Fold a reading for search (never raises; best effort on odd input).

    NFKC → hiragana to katakana → small kana to large (ァ→ア, ッ→ツ, ャ→ヤ, ヵ→カ, ヶ→ケ,
    ㇰ→ク …) → remove all whitespace and ・.  ヴ, voiced marks (゛゜) and ー are kept, so
    "ヴ" and "ブ" stay different.  Non-kana characters pass through (after NFKC).
    "きょうこ" → "キヨウコ"; "ｷｮｳｺ" → "キヨウコ"; "ジョン・スミス" → "ジヨンスミス".
    """
    if not isinstance(text, str):
        return ""
    try:
        s = unicodedata.normalize("NFKC", text)
    except Exception:  # pragma: no cover - defensive: lone surrogates etc.
        s = text
    return "".join(s.translate(_SEARCH_TABLE).split())


def is_kana_query(text: str) -> bool:
    """True when ``text`` is only kana (hiragana/katakana, ー・ヽヾ) and spaces.

    Used by search to choose the kana index over the name index.  Empty → False.
    """
    if not isinstance(text, str):
        return False
    s = "".join(unicodedata.normalize("NFKC", text).translate(_HIRA_TO_KATA).split())
    return bool(s) and _KANA_QUERY_RE.fullmatch(s) is not None
