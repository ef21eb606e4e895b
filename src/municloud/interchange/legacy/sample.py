"""The fictional legacy system 「旧システム」 (deterministic by seed) — for tests and rehearsals.

``write_sample(directory, households=40, seed=…)`` writes what such a vendor hands over:

* ``JUMIN.DAT`` — residents, fixed-width CP932, widths in BYTES (:data:`LAYOUT`), CRLF;
  氏名・住所 padded with full-width spaces, カナ氏名 in half-width katakana, dates as 和暦
  codes ("3550401": era digit 1 明治 … 5 令和 + YYMMDD), vendor codes for 性別・続柄・
  異動事由・住民種別, and vendor gaiji in the user-defined area (0xF040…, see :data:`GAIJI`);
* ``SETAI.CSV`` — households, CSV CP932 with a header line (世帯番号, 世帯主宛名番号,
  世帯主氏名 and 住所 — with the same vendor gaiji as the resident file —, 郵便番号);
* ``GAIJI.TXT`` — the vendor's gaiji table: code → the approximate JIS character printed in
  its manuals (only used to propose candidates, never to load);
* ``mapping.yaml`` — the complete mapping file for this vendor;
* ``truth.json`` — what each resident must become (names with their IVS), for the tests.

Besides 氏名 the residents carry 本籍・筆頭者 (日本人), 旧氏 (some wives), 通称 (some
foreign residents) and 個人番号; some addresses and 筆頭者 hold a gaiji too.  Two households
are wrong on purpose, and the migration must reject them as invalid, not hold them: the
last has an impossible birth date (和暦 code "3999999"), the one before a 個人番号 whose
check digit is wrong.
"""

from __future__ import annotations

import json
import random
import unicodedata
from datetime import date
from pathlib import Path

import yaml

from municloud.demo import names as N
from municloud.jp.codes import generate_juminhyo_code, generate_my_number, my_number_check_digit
from municloud.jp.kana import to_furigana
from municloud.jp.wareki import to_wareki

RESIDENTS_FILE, HOUSEHOLDS_FILE, GAIJI_FILE = "JUMIN.DAT", "SETAI.CSV", "GAIJI.TXT"
DEFAULT_SEED = 4649
#: (name, start byte, length in bytes, type) — the vendor's record layout
LAYOUT = (
    ("atena_no", 0, 10, "digits"), ("setai_no", 10, 10, "digits"), ("shimei", 20, 40, "text"),
    ("shimei_kana", 60, 40, "kana"), ("birth_date", 100, 7, "wareki"), ("sex", 107, 1, "code"),
    ("zokugara", 108, 2, "code"), ("ido_jiyu", 110, 2, "code"), ("resident_kind", 112, 1, "code"),
    ("juminhyo_code", 113, 11, "digits"), ("became_resident_on", 124, 7, "wareki"), ("address", 131, 80, "text"),
    ("katagaki", 211, 40, "text"), ("nationality", 251, 20, "text"), ("zairyu_shikaku", 271, 30, "text"),
    ("honseki", 301, 60, "text"), ("hittosha", 361, 30, "text"), ("kyu_uji", 391, 20, "text"),
    ("kyu_uji_kana", 411, 30, "kana"), ("tsusho", 441, 40, "text"), ("tsusho_kana", 481, 40, "kana"),
    ("my_number", 521, 12, "digits"),
)
RECORD_LENGTH = 533
SYSTEM = "旧システム"
#: vendor gaiji: CP932 code → (true character with IVS, collection, approximate JIS character of the manual)
GAIJI = {
    "F040": ("辻\U000e0102", "Moji_Joho", "辻"),
    "F041": ("髙", None, "高"),
    "F042": ("\U00020bb7", None, "吉"),
    "F043": ("﨑", None, "崎"),
    "F044": ("邉\U000e0110", "Moji_Joho", "辺"),
}
#: surnames written with a gaiji: (as the vendor stored it, as it must become, kana)
GAIJI_SURNAMES = (
    ("\ue000本", "辻\U000e0102本", "ツジモト"), ("\ue001橋", "髙橋", "タカハシ"), ("\ue002田", "\U00020bb7田", "ヨシダ"),
    ("山\ue003", "山﨑", "ヤマサキ"), ("渡\ue004", "渡邉\U000e0110", "ワタナベ"),
)
SURNAMES = (("佐藤", "サトウ"), ("鈴木", "スズキ"), ("高橋", "タカハシ"), ("伊藤", "イトウ"), ("渡辺", "ワタナベ"),
            ("山本", "ヤマモト"), ("中村", "ナカムラ"), ("小林", "コバヤシ"), ("加藤", "カトウ"), ("吉田", "ヨシダ"))
ZOKUGARA = {"01": "世帯主", "02": "妻", "03": "夫", "04": "子", "11": "父", "12": "母", "99": "同居人"}
IDO_JIYU = {"A1": "転入", "A2": "出生", "A3": "職権記載", "B1": "転居"}
SEX = {"M": "1", "F": "2"}
RESIDENT_KIND = {"J": "日本人", "G": "外国人"}
ERA_DIGIT = {"明治": "1", "大正": "2", "昭和": "3", "平成": "4", "令和": "5"}
REFERENCE = date(2026, 4, 1)
#: streets (as the vendor stored them, as they must become): one is written with a gaiji
STREETS = (("本町", "本町"), ("栄町", "栄町"), ("ときわ町", "ときわ町"), ("館町", "館町"), ("\ue003町", "﨑町"))
TSUSHO = (("山田　安", "ヤマダ　アン"), ("中村　花", "ナカムラ　ハナ"))


def _cp932_pool(pairs) -> list[tuple[str, str]]:
    out = []
    for kanji, kana in pairs:
        try:
            kanji.encode("cp932"), _half(kana).encode("cp932")
        except UnicodeEncodeError:
            continue
        out.append((kanji, kana))
    return out


def _half_table() -> dict[str, str]:
    table: dict[str, str] = {"\u3000": " "}
    for cp in range(0xFF61, 0xFFA0):
        half = chr(cp)
        table.setdefault(unicodedata.normalize("NFKC", half), half)
        for mark in ("\uff9e", "\uff9f"):
            full = unicodedata.normalize("NFKC", half + mark)
            if len(full) == 1:
                table.setdefault(full, half + mark)
    return table


_HALF = _half_table()


def _half(kana: str) -> str:
    """Full-width katakana → half-width (ｶﾞ for ガ), as old systems stored カナ氏名."""
    return "".join(_HALF.get(c, c) for c in kana)


def wareki_code(d: date) -> str:
    era, year = to_wareki(d)
    return f"{ERA_DIGIT[era]}{year:02d}{d.month:02d}{d.day:02d}"


def _fixed(value: str, size: int, pad: str) -> bytes:
    raw = value.encode("cp932")
    fill = pad.encode("cp932")
    while len(raw) + len(fill) <= size:
        raw += fill
    return raw + b" " * (size - len(raw))


def _birth(rng: random.Random, low: int, high: int) -> date:
    return date.fromordinal(REFERENCE.toordinal() - rng.randrange(int(low * 365.25), int(high * 365.25)))


class _Maker:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"legacy-{seed}")
        self.male = _cp932_pool(N.MALE_MID)
        self.female = _cp932_pool(N.FEMALE_MID)
        self.children = _cp932_pool(N.MALE_CHILD + N.FEMALE_CHILD)
        self.atena = 1000000

    def person(self, setai: str, surname: tuple, given: tuple, sex: str, zokugara: str, birth: date,
               address: tuple, kind: str = "J", **extra) -> dict:
        stored, true, kana = surname
        self.atena += 7
        since = max(birth, date(2000, 4, 1))
        p = {"atena_no": f"{self.atena:010d}", "setai_no": setai, "stored": f"{stored}\u3000{given[0]}",
             "shimei": f"{true}\u3000{given[0]}", "kana": f"{kana}\u3000{given[1]}", "birth_date": birth,
             "sex": sex, "zokugara": zokugara, "ido_jiyu": self.rng.choice(("A1", "A2", "A3", "B1")),
             "resident_kind": kind, "juminhyo_code": generate_juminhyo_code(self.rng), "since": since,
             "address_stored": address[0], "address": address[1], "katagaki": extra.get("katagaki", ""),
             "nationality": extra.get("nationality", ""), "zairyu_shikaku": extra.get("zairyu_shikaku", ""),
             "honseki": "", "hittosha_stored": "", "hittosha": "", "kyu_uji": "", "kyu_uji_kana": "",
             "tsusho": "", "tsusho_kana": "",
             "my_number": generate_my_number(self.rng) if self.rng.random() < 0.7 else ""}
        if kind == "J":
            head = extra.get("head") or p
            p["honseki"] = f"山形県長井市本町{int(setai) % 90 + 1}番地"
            p["hittosha_stored"], p["hittosha"] = head["stored"], head["shimei"]
        elif self.rng.random() < 0.5:
            p["tsusho"], p["tsusho_kana"] = self.rng.choice(TSUSHO)
        if zokugara == "02" and self.rng.random() < 0.5:
            p["kyu_uji"], p["kyu_uji_kana"] = self.rng.choice(SURNAMES)
        return p

    def household(self, index: int, surname: tuple, foreign_ok: bool = True) -> list[dict]:
        rng, setai = self.rng, f"{500000 + index * 3:010d}"
        street = rng.choice(STREETS)
        place = f"{rng.randint(1, 5)}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号"
        address = (f"山形県長井市{street[0]}{place}", f"山形県長井市{street[1]}{place}")
        if rng.random() < 0.1 and foreign_ok:
            name = rng.choice((("グエン", "グエン"), ("チャン", "チャン")))
            return [self.person(setai, (name[0], name[0], name[1]), ("ヴァン　アン", "ヴァン　アン"), "M", "01",
                                _birth(rng, 20, 30), address, "G", nationality="ベトナム", zairyu_shikaku="技能実習")]
        head_birth = _birth(rng, 30, 70)
        members = [self.person(setai, surname, rng.choice(self.male), "M", "01", head_birth, address)]
        head = members[0]
        shape = rng.choice(("single", "couple", "family", "family", "three", "lodger"))
        if shape != "single":
            members.append(self.person(setai, surname, rng.choice(self.female), "F", "02", _birth(rng, 30, 60),
                                       address, head=head))
        if shape in ("family", "three", "lodger"):
            for _ in range(rng.randint(1, 2)):
                given = rng.choice(self.children)
                members.append(self.person(setai, surname, given, rng.choice("MF"), "04", _birth(rng, 1, 18), address,
                                           head=head))
        if shape == "three":
            members.append(self.person(setai, surname, rng.choice(self.male), "M", "11", _birth(rng, 75, 90), address,
                                       head=head))
        if shape == "lodger":
            other = rng.choice(SURNAMES)
            members.append(self.person(setai, (other[0], other[0], other[1]), rng.choice(self.female), "F", "99",
                                       _birth(rng, 20, 40), address, katagaki="離れ"))
        return members


def _record(p: dict, birth_code: str | None = None, my_number: str | None = None) -> bytes:
    values = {
        "atena_no": p["atena_no"], "setai_no": p["setai_no"], "shimei": p["stored"], "shimei_kana": _half(p["kana"]),
        "birth_date": birth_code or wareki_code(p["birth_date"]), "sex": p["sex"], "zokugara": p["zokugara"],
        "ido_jiyu": p["ido_jiyu"], "resident_kind": p["resident_kind"], "juminhyo_code": p["juminhyo_code"],
        "became_resident_on": wareki_code(p["since"]), "address": p["address_stored"], "katagaki": p["katagaki"],
        "nationality": p["nationality"], "zairyu_shikaku": p["zairyu_shikaku"], "honseki": p["honseki"],
        "hittosha": p["hittosha_stored"], "kyu_uji": p["kyu_uji"], "kyu_uji_kana": _half(p["kyu_uji_kana"]),
        "tsusho": p["tsusho"], "tsusho_kana": _half(p["tsusho_kana"]), "my_number": my_number or p["my_number"],
    }
    out = b"".join(_fixed(values[name], size, "\u3000" if kind == "text" else " ") for name, _s, size, kind in LAYOUT)
    assert len(out) == RECORD_LENGTH
    return out + b"\r\n"


def _wrong_check_digit(my_number: str) -> str:
    """The same first 11 digits with a check digit that does not fit."""
    return my_number[:11] + str((my_number_check_digit(my_number[:11]) + 1) % 10)


def sample_mapping() -> dict:
    return {
        "system": SYSTEM,
        "record_length": RECORD_LENGTH,
        "files": {"residents": RESIDENTS_FILE, "households": HOUSEHOLDS_FILE},
        "household_columns": {"setai_no": "世帯番号", "postal_code": "郵便番号", "head_name": "世帯主氏名",
                              "address": "住所"},
        "layout": [{"name": n, "start": s, "length": size, "type": t} for n, s, size, t in LAYOUT],
        "gaiji": {code: {"char": char, **({"collection": coll} if coll else {})}
                  for code, (char, coll, _approx) in GAIJI.items()},
        "codes": {"zokugara": dict(ZOKUGARA), "sex": dict(SEX), "ido_jiyu": dict(IDO_JIYU),
                  "resident_kind": dict(RESIDENT_KIND)},
    }


def write_sample(directory: Path, households: int = 40, seed: int = DEFAULT_SEED) -> Path:
    """Write the legacy files, the vendor gaiji table, the mapping and the truth into *directory*."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    maker = _Maker(seed)
    made = []
    for i in range(households):
        if i < len(GAIJI_SURNAMES):
            surname = GAIJI_SURNAMES[i]
        elif maker.rng.random() < 0.1:
            surname = maker.rng.choice(GAIJI_SURNAMES)
        else:
            kanji, kana = maker.rng.choice(SURNAMES)
            surname = (kanji, kanji, kana)
        made.append(maker.household(i, surname, foreign_ok=i >= len(GAIJI_SURNAMES)))
    bad_date, bad_number = made[-1][0]["setai_no"], made[-2][0]["setai_no"]
    with (directory / RESIDENTS_FILE).open("wb") as out:
        for members in made:
            for j, p in enumerate(members):
                head = j == 0
                out.write(_record(p, "3999999" if p["setai_no"] == bad_date and head else None,
                                  _wrong_check_digit(p["my_number"] or "12345678901")
                                  if p["setai_no"] == bad_number and head else None))
    lines = ["世帯番号,世帯主宛名番号,世帯主氏名,住所,郵便番号"]
    lines += [f"{m[0]['setai_no']},{m[0]['atena_no']},{m[0]['stored']},{m[0]['address_stored']},993-0011"
              for m in made]
    (directory / HOUSEHOLDS_FILE).write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    table = "".join(f"{code}\t{approx}\r\n" for code, (_c, _k, approx) in GAIJI.items())
    (directory / GAIJI_FILE).write_bytes(table.encode("cp932"))
    (directory / "mapping.yaml").write_text(yaml.safe_dump(sample_mapping(), allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    truth = {
        "rejected_setai": [bad_number, bad_date],
        "residents": {p["atena_no"]: {
            "setai_no": p["setai_no"], "shimei": p["shimei"], "shimei_kana": to_furigana(p["kana"]),
            "ido_jiyu": IDO_JIYU[p["ido_jiyu"]], "address": p["address"], "honseki": p["honseki"] or None,
            "hittosha": p["hittosha"] or None, "kyu_uji": p["kyu_uji"] or None,
            "kyu_uji_kana": p["kyu_uji_kana"] or None, "tsusho": p["tsusho"] or None,
            "tsusho_kana": p["tsusho_kana"] or None, "my_number": p["my_number"] or None,
            "birth_date": p["birth_date"].isoformat(), "juminhyo_code": p["juminhyo_code"],
            "zokugara": ZOKUGARA[p["zokugara"]], "gaiji": [f"{ord(c):04X}" for c in p["stored"] if 0xE000 <= ord(c) <= 0xF8FF],
        } for members in made for p in members},
    }
    (directory / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return directory
