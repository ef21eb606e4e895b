"""Which 町字 an address lies in — pure rules, no database.

Names are compared by a key (never stored as the address): white space removed, NFKC (so
full-width digits and ASCII are one), and a leading 大字 or 字 dropped — after the ward of
a designated city, if there is one ("中区大字…" is rare but allowed).  "山形県長井市大字小出
123番地" and "長井市小出123番地" are then both in the 町字 小出 (key 小出).

An address matches a 町字 when the 町字's key is the longest that begins the address's
locality (the part after the municipality, :meth:`municloud.jp.area.Area.locality`) and
what follows begins with a number — an ASCII or kanji digit (番地・号, or the 丁目 of a
町字 kept without its 丁目), a 甲乙丙丁 地番, or a 字 (a 小字 the master does not list): "本町田1番"
is not in "本町", "館町北3番4号" is in "館町北", "大字平山字北原45番地" is in "大字平山".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = ["NUMBER_START", "TownName", "in_force", "locality_key", "match", "town_key"]

#: Characters what follows a 町字 may begin with: a 番地 (or a 丁目 in kanji), a 甲乙丙丁 地番, a 字.
NUMBER_START = frozenset("0123456789一二三四五六七八九十〇甲乙丙丁字")
_OAZA = ("大字", "字")


def _strip_oaza(text: str) -> str:
    for word in _OAZA:
        if text.startswith(word) and len(text) > len(word):
            return text[len(word):]
    return text


def town_key(text: str, wards: Iterable[str] = ()) -> str:
    """The comparison key of a 町字's name or of a locality (see the module's doc)."""
    s = unicodedata.normalize("NFKC", "".join((text or "").split()))
    for ward in wards:
        ward = unicodedata.normalize("NFKC", ward)
        if ward and s.startswith(ward):
            return ward + _strip_oaza(s[len(ward):])
    return _strip_oaza(s)


locality_key = town_key


@dataclass(frozen=True)
class TownName:
    """What matching needs of a 町字: its id, key and period [valid_from, valid_to)."""

    machiaza_id: str
    key: str
    valid_from: date
    valid_to: date | None


def in_force(valid_from: date, valid_to: date | None, on: date) -> bool:
    """A 町字 is in force from its 効力発生日 up to the day before its 廃止日."""
    return valid_from <= on and (valid_to is None or on < valid_to)


def match(towns: Iterable[TownName], locality: str, on: date, wards: Iterable[str] = ()) -> tuple[TownName | None, str]:
    """The 町字 in force on *on* that *locality* lies in, and the rest (番地・号 …) after its
    name; ``(None, "")`` when none.  The rest is "" when the address stops at the 町字."""
    key = locality_key(locality, tuple(wards))
    best: TownName | None = None
    for town in towns:
        if not town.key or not key.startswith(town.key) or not in_force(town.valid_from, town.valid_to, on):
            continue
        rest = key[len(town.key):]
        if rest and rest[0] not in NUMBER_START:
            continue
        if best is None or len(town.key) > len(best.key):
            best = town
    return (best, key[len(best.key):]) if best else (None, "")
