"""Address (住所) search keys.  Search only: never applied to a stored address.

:func:`address_search_key` makes "千代田１丁目１番１号", "千代田1-1-1" and
"千代田1−1−1" (U+2212 minus) the same key.  Rules, in order:

1. NFKC (full-width digits and letters to ASCII, ｰ → ー, － → -).
2. All whitespace removed.
3. :func:`normalize_hyphens`: every hyphen look-alike becomes "-"; ー (長音符) only when
   it stands between two digits (so "センター" keeps its ー).
4. Block words after an ASCII digit: 丁目, 番地, 番, 号 followed by a digit (optionally
   through の) become "-"; "の" between digits becomes "-"; at the end of a number they
   are dropped.  So "1丁目2番3号", "1丁目2番地3", "1丁目2-3" and "1-2-3" all give
   "1-2-3", and "123番地の4" gives "123-4".  Not touched: 番町/番丁/番館 and
   号室/号棟/号館/号線/号地 (place and building names), and kanji numerals — "三丁目" stays
   "三丁目" because kanji digits are also parts of place names (三条, 一宮, 四日市).
5. Runs of "-" collapse to one; Latin letters are casefolded.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["HYPHEN_LOOKALIKES", "address_search_key", "normalize_hyphens"]

HYPHEN_LOOKALIKES = (
    "\u2010"  # ‐ HYPHEN
    "\u2011"  # ‑ NON-BREAKING HYPHEN
    "\u2012"  # ‒ FIGURE DASH
    "\u2013"  # – EN DASH
    "\u2014"  # — EM DASH
    "\u2015"  # ― HORIZONTAL BAR
    "\u2043"  # ⁃ HYPHEN BULLET
    "\u02d7"  # ˗ MODIFIER LETTER MINUS SIGN
    "\u2212"  # − MINUS SIGN
    "\u2500"  # ─ BOX DRAWINGS LIGHT HORIZONTAL
    "\u2501"  # ━ BOX DRAWINGS HEAVY HORIZONTAL
    "\ufe58"  # ﹘ SMALL EM DASH
    "\ufe63"  # ﹣ SMALL HYPHEN-MINUS
    "\uff0d"  # － FULLWIDTH HYPHEN-MINUS
)
"""Always mapped to "-".  ー U+30FC / ｰ U+FF70 are mapped only between digits."""

_HYPHEN_TABLE = {ord(c): "-" for c in HYPHEN_LOOKALIKES}
_CHOON_BETWEEN_DIGITS = re.compile(r"(?<=\d)[\u30fc\uff70](?=\d)")
_BLOCK_WORD = r"(?:丁目|番地|番(?![町丁館])|号(?![室棟館線地]))"
_WORD_BEFORE_DIGIT = re.compile(r"(?<=[0-9])(?:" + _BLOCK_WORD + r"の?|の)(?=[0-9])")
_WORD_AT_END = re.compile(r"(?<=[0-9])" + _BLOCK_WORD)
_HYPHEN_RUN = re.compile(r"-{2,}")


def normalize_hyphens(text: str) -> str:
    """Map hyphen look-alikes to "-" (ー/ｰ only between digits).  Nothing else changes."""
    return _CHOON_BETWEEN_DIGITS.sub("-", text.translate(_HYPHEN_TABLE))


def address_search_key(text: str) -> str:
    """Search key for an address (see module doc for the rules).  Never stored."""
    if not isinstance(text, str):
        return ""
    s = "".join(unicodedata.normalize("NFKC", text).split())
    s = unicodedata.normalize("NFKC", s)  # again: removing spaces can join combining marks
    s = normalize_hyphens(s)
    s = _WORD_BEFORE_DIGIT.sub("-", s)
    s = _WORD_AT_END.sub("", s)
    return unicodedata.normalize("NFKC", _HYPHEN_RUN.sub("-", s).casefold())
