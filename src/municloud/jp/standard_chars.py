"""The standard character repertoire of names and addresses (標準の文字), as data.

Names and addresses may hold the characters of

* **JIS X 0213:2004, planes 1 and 2** — what the national links (番号連携) carry in UTF-8
  (``reference/standards.md``): every code point ``jntajis.jnta_encode`` accepts;
* **MJ文字 (文字情報基盤)** — the 戸籍統一文字 and 住基統一文字 a 住民票 is written in, of which
  the national 行政事務標準文字 is built: every code point of jntajis's compiled MJ文字情報一覧表.
  This is wider than JIS X 0213 on purpose: 髙 (U+9AD9) and 𠮷 (U+20BB7) are not in JIS X
  0213 but are the names of many people, and a 住民票 must carry them as they are;
* **JIS X 0201** (ASCII printable and half-width katakana), which JIS X 0213's encodings
  (Shift_JIS-2004, EUC-JIS-2004) carry beside it: romanised foreign names, house numbers;
* the **other common Unicode mapping** of the same JIS characters (〜 U+301C / ～ U+FF5E,
  − U+2212 / － U+FF0D, ‖ / ∥, — / ―, ¢ £ ¬ / ￠ ￡ ￢): jntajis maps JIS X 0208 row 1 the
  Microsoft way, the JIS X 0213 standard maps it the other way, and a clerk's keyboard
  produces either;
* **CP932** (minus its user-defined area): every character a legacy vendor's file can
  decode to, so that a migration is refused only for gaiji (which the mapping resolves).

Control and formatting characters (Unicode categories Cc Cf Cs Co Zl Zp and unassigned)
are never part of it, nor are combining marks (Mn Me: JIS X 0213's phonetic diacritics
U+0300… and the sequences it builds with them, such as か゚): a name written with a combining
mark looks exactly like another stored with the precomposed character, which is the very
confusion the policy exists to prevent.  Variation selectors are not in the table:
:mod:`municloud.jp.policy` allows them only directly after an ideograph.

The table is derived once from the installed ``jntajis-python`` (its ``_jntajis.h`` holds
the MJ table) and committed as ``data/standard_chars.txt`` — nothing is downloaded or
parsed at run time.  ``python -m municloud.jp.standard_chars > src/municloud/jp/data/standard_chars.txt``
regenerates it; ``tests/unit/jp/test_policy.py`` fails when it no longer matches jntajis.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data") / "standard_chars.txt"
EXCLUDED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp", "Cn", "Mn", "Me"})
ALTERNATE_MAPPINGS = {
    0x301C: 0xFF5E,  # 〜 WAVE DASH / ～ FULLWIDTH TILDE (JIS X 0208 1-1-33)
    0x2212: 0xFF0D,  # − MINUS SIGN / － FULLWIDTH HYPHEN-MINUS (1-1-61)
    0x2016: 0x2225,  # ‖ DOUBLE VERTICAL LINE / ∥ PARALLEL TO (1-1-34)
    0x2014: 0x2015,  # — EM DASH / ― HORIZONTAL BAR (1-1-29)
    0x00A2: 0xFFE0,  # ¢ / ￠ (1-1-81)
    0x00A3: 0xFFE1,  # £ / ￡ (1-1-82)
    0x00AC: 0xFFE2,  # ¬ / ￢ (1-2-44)
}
"""Two Unicode code points for one JIS character: the first of each pair is the JIS X 0213
standard's mapping, the second the Microsoft (CP932) one that jntajis uses."""


def _runs(points: set[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for cp in sorted(points):
        if out and cp == out[-1][1] + 1:
            out[-1] = (out[-1][0], cp)
        else:
            out.append((cp, cp))
    return out


def jis_x0213() -> set[int]:
    """Code points jntajis encodes into JIS X 0213 (planes 1 and 2), one by one."""
    import jntajis

    found = set()
    for cp in range(0x20, 0x30000):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        try:
            jntajis.jnta_encode("jis", chr(cp), jntajis.ConversionMode.SISO)
        except (UnicodeEncodeError, ValueError):
            continue
        found.add(cp)
    return found


_MJ_CHUNK = re.compile(r"static const MJMappingSet chunked_mj_mappings_[0-9a-f_]+\[\d+\] = \{")
_MJ_PAIR = re.compile(r"\{(\d+), 1, [01], \d+\}")  # UIVSPair {u, valid, has selector, selector}


def moji_joho() -> set[int]:
    """Code points of the MJ文字情報一覧表 as compiled into jntajis (its ``_jntajis.h``)."""
    import jntajis

    header = Path(jntajis.__file__).with_name("_jntajis.h")
    if not header.exists():  # pragma: no cover - a packaging change of jntajis
        raise RuntimeError(f"{header} がありません: jntajis-python の MJ 表を読めません")
    text = header.read_text(encoding="ascii")
    found: set[int] = set()
    for match in _MJ_CHUNK.finditer(text):
        end = text.index("\n};", match.end())
        found.update(int(u) for u in _MJ_PAIR.findall(text, match.end(), end))
    return found


def cp932() -> set[int]:
    """Every character CP932 decodes to, except its user-defined area (gaiji)."""
    found = set(range(0x20, 0x7F)) | set(range(0xFF61, 0xFFA0))
    for lead in [*range(0x81, 0xA0), *range(0xE0, 0xFD)]:
        for trail in range(0x40, 0xFD):
            try:
                ch = bytes((lead, trail)).decode("cp932")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1 and not 0xE000 <= ord(ch) <= 0xF8FF:
                found.add(ord(ch))
    return found


def generate() -> str:
    """The text of ``data/standard_chars.txt``: one hex range per line."""
    points = jis_x0213() | moji_joho() | cp932()
    points |= {a for a, b in ALTERNATE_MAPPINGS.items() if b in points}
    points |= {b for a, b in ALTERNATE_MAPPINGS.items() if a in points}
    points = {cp for cp in points if unicodedata.category(chr(cp)) not in EXCLUDED_CATEGORIES}
    lines = [
        "# The standard character repertoire of names and addresses (municloud.jp.standard_chars).",
        "# JIS X 0213 planes 1-2 + MJ (jntajis-python) + JIS X 0201 + CP932 (no user-defined area)",
        "# + the other mapping of JIS row 1; no control, formatting or combining characters.  Generated:",
        "#   python -m municloud.jp.standard_chars > src/municloud/jp/data/standard_chars.txt",
    ]
    lines += [f"{a:X}" if a == b else f"{a:X}-{b:X}" for a, b in _runs(points)]
    return "\n".join(lines) + "\n"


@cache
def ranges() -> tuple[tuple[int, int], ...]:
    """The committed table as (first, last) code point ranges."""
    out = []
    for line in DATA.read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            first, _, last = line.partition("-")
            out.append((int(first, 16), int(last or first, 16)))
    return tuple(out)


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.stdout.write(generate())
