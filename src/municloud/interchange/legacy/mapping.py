"""The mapping file (YAML) of one legacy vendor: gaiji, vendor codes and the record layout.

Format (see docs/legacy-migration.md)::

    system: 旧システム          # name of the legacy system (the ledger's key; default 旧システム)
    record_length: 493          # bytes of one fixed-width record, line end excluded
    files: {residents: JUMIN.DAT, households: SETAI.CSV}
    household_columns: {setai_no: 世帯番号, postal_code: 郵便番号, head_name: 世帯主氏名, address: 住所}
    layout:                     # fixed-width fields, start counted from 0, in BYTES
      - {name: atena_no, start: 0, length: 10, type: digits}
      ...
    gaiji:                      # keyed by the vendor's CP932 code (4 hex digits, F040–F9FC)
      F040: {char: "辻\\U000E0102", collection: Moji_Joho}
    codes:
      zokugara: {"01": 世帯主, ...}
      sex: {M: "1", F: "2"}
      ido_jiyu: {"A1": 転入, ...}
      resident_kind: {J: 日本人, G: 外国人}

Every problem of the file itself is refused with a Japanese message (``MappingError``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from municloud.errors import ValidationError
from municloud.interchange.layout import IDO_JIYU
from municloud.jp.chars import ivs_collection
from municloud.jp.policy import TextKind, text_problem
from municloud.modules.registry.domain import RESIDENT_KINDS, SEX

FIELD_TYPES = ("digits", "text", "kana", "wareki", "code")
REQUIRED_FIELDS = {
    "atena_no": "digits", "setai_no": "digits", "shimei": "text", "shimei_kana": "kana",
    "birth_date": "wareki", "sex": "code", "zokugara": "code", "ido_jiyu": "code", "resident_kind": "code",
    "juminhyo_code": "digits", "address": "text", "became_resident_on": "wareki",
}
OPTIONAL_FIELDS = {
    "katagaki": "text", "nationality": "text", "zairyu_shikaku": "text", "honseki": "text", "hittosha": "text",
    "kyu_uji": "text", "kyu_uji_kana": "kana", "tsusho": "text", "tsusho_kana": "kana", "my_number": "digits",
}
HOUSEHOLD_COLUMNS = ("setai_no", "postal_code", "head_name", "address")
DEFAULT_SYSTEM = "旧システム"
CODE_TABLES = ("zokugara", "sex", "ido_jiyu", "resident_kind")
COLLECTIONS = ("Moji_Joho", "Adobe-Japan1", "Hanyo-Denshi")
GAIJI_KEY = re.compile(r"^F[0-9A-F][0-9A-F]{2}$")


class MappingError(ValidationError):
    default_code = "LEGACY_MAPPING_INVALID"


@dataclass(frozen=True)
class Field:
    name: str
    start: int
    length: int
    type: str


@dataclass(frozen=True)
class Gaiji:
    char: str
    collection: str | None


@dataclass(frozen=True)
class Mapping:
    record_length: int
    layout: tuple[Field, ...]
    gaiji: dict[str, Gaiji]  # CP932 code "F040" → character
    codes: dict[str, dict[str, str]]
    residents_file: str = "JUMIN.DAT"
    households_file: str = "SETAI.CSV"
    household_columns: dict[str, str] | None = None
    system: str = DEFAULT_SYSTEM

    def gaiji_for(self, pua: str) -> Gaiji | None:
        return self.gaiji.get(pua_to_code(pua))


def pua_to_code(ch: str) -> str:
    """U+E000 → "F040" (the CP932 user-defined area code the vendor wrote)."""
    return ch.encode("cp932").hex().upper()


def _bad(message: str, where: str) -> MappingError:
    return MappingError("LEGACY_MAPPING_INVALID", f"対応表の「{where}」：{message}")


def load_mapping(path: Path) -> Mapping:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MappingError("LEGACY_MAPPING_NOT_FOUND", f"対応表ファイル {path} がありません") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise MappingError("LEGACY_MAPPING_INVALID", f"対応表ファイル {path} を YAML（UTF-8）として読めません（{exc}）") from None
    return parse_mapping(data)


def parse_mapping(data: object) -> Mapping:
    if not isinstance(data, dict):
        raise _bad("全体が「キー: 値」の形（YAML の辞書）ではありません", "形式")
    unknown = set(data) - {"system", "record_length", "files", "household_columns", "layout", "gaiji", "codes"}
    if unknown:
        raise _bad(f"知らない項目 {'・'.join(sorted(map(str, unknown)))} があります", "最上位")
    length = data.get("record_length")
    if not isinstance(length, int) or length <= 0:
        raise _bad("record_length（1レコードのバイト数）を正の整数で書いてください", "record_length")
    files = data.get("files")
    if not isinstance(files, dict) or not all(isinstance(files.get(k), str) for k in ("residents", "households")):
        raise _bad("residents（住民の固定長ファイル名）と households（世帯の CSV ファイル名）を書いてください", "files")
    columns = data.get("household_columns")
    if not isinstance(columns, dict) or not isinstance(columns.get("setai_no"), str):
        raise _bad("setai_no（世帯番号の列名）を書いてください", "household_columns")
    extra = sorted(set(map(str, columns)) - set(HOUSEHOLD_COLUMNS))
    if extra:
        raise _bad(f"知らない項目 {'・'.join(extra)} があります（使えるもの：{'・'.join(HOUSEHOLD_COLUMNS)}）",
                   "household_columns")
    system = data.get("system", DEFAULT_SYSTEM)
    if not isinstance(system, str) or not system.strip() or len(system) > 40:
        raise _bad("旧システムの名前（40文字まで）を書いてください", "system")
    layout = _layout(data.get("layout"), length)
    return Mapping(length, layout, _gaiji(data.get("gaiji") or {}), _codes(data.get("codes")),
                   files["residents"], files["households"], {str(k): str(v) for k, v in columns.items()},
                   system.strip())


def _layout(items: object, record_length: int) -> tuple[Field, ...]:
    if not isinstance(items, list) or not items:
        raise _bad("項目の並び（name, start, length, type）の一覧を書いてください", "layout")
    fields: list[Field] = []
    known = {**REQUIRED_FIELDS, **OPTIONAL_FIELDS}
    for i, item in enumerate(items, start=1):
        where = f"layout の {i} 番目"
        if not isinstance(item, dict) or set(item) != {"name", "start", "length", "type"}:
            raise _bad("name・start・length・type の4つを書いてください", where)
        name, start, size, kind = item["name"], item["start"], item["length"], item["type"]
        if name not in known:
            raise _bad(f"項目名 {name} は使えません（使えるもの：{'・'.join(known)}）", where)
        if kind not in FIELD_TYPES or kind != known[name]:
            raise _bad(f"{name} の type は {known[name]} です（{kind} と書かれています）", where)
        if not (isinstance(start, int) and isinstance(size, int)) or start < 0 or size <= 0:
            raise _bad("start は0以上、length は1以上の整数（バイト数）です", where)
        if start + size > record_length:
            raise _bad(f"{name} がレコード長 {record_length} バイトを超えています", where)
        fields.append(Field(name, start, size, kind))
    names = [f.name for f in fields]
    missing = [n for n in REQUIRED_FIELDS if n not in names]
    if missing:
        raise _bad(f"必須の項目 {'・'.join(missing)} がありません", "layout")
    if len(set(names)) != len(names):
        raise _bad("同じ項目名が2回あります", "layout")
    spans = sorted(fields, key=lambda f: f.start)
    for a, b in zip(spans, spans[1:], strict=False):
        if a.start + a.length > b.start:
            raise _bad(f"{a.name} と {b.name} のバイト位置が重なっています", "layout")
    return tuple(fields)


def _gaiji(items: object) -> dict[str, Gaiji]:
    if not isinstance(items, dict):
        raise _bad("外字コード → {char, collection} の辞書にしてください", "gaiji")
    out: dict[str, Gaiji] = {}
    for key, value in items.items():
        code = str(key).upper()
        where = f"gaiji の {key}"
        if not GAIJI_KEY.match(code) or not 0xF0 <= int(code[:2], 16) <= 0xF9:
            raise _bad("キーは CP932 の利用者定義領域のコード（F040〜F9FC の16進4桁）です", where)
        try:
            pua = bytes.fromhex(code).decode("cp932")
        except UnicodeDecodeError:
            raise _bad("CP932 の利用者定義領域にないコードです", where) from None
        if not isinstance(value, dict) or not isinstance(value.get("char"), str) or not value["char"]:
            raise _bad("char（移行後の文字）を書いてください", where)
        char, collection = value["char"], value.get("collection")
        if any(0xE000 <= ord(c) <= 0xF8FF for c in char):
            raise _bad("char に私用領域の文字は使えません（標準の文字と IVS で書いてください）", where)
        problem = text_problem(char, TextKind.NAME)
        if problem is not None:  # the same policy as every name and address (jp.policy)
            raise _bad(f"char に{problem.reason}", where)
        if collection is not None and collection not in COLLECTIONS:
            raise _bad(f"collection は {'・'.join(COLLECTIONS)} のどれかです", where)
        if collection != ivs_collection(char):
            raise _bad(f"char の IVS は {ivs_collection(char) or 'なし（collection は書かない）'} です"
                       f"（collection: {collection}）", where)
        out[pua_to_code(pua)] = Gaiji(char, collection)
    return out


def _codes(items: object) -> dict[str, dict[str, str]]:
    if not isinstance(items, dict):
        raise _bad(f"コード表 {'・'.join(CODE_TABLES)} を書いてください", "codes")
    missing = [t for t in CODE_TABLES if t not in items]
    if missing:
        raise _bad(f"コード表 {'・'.join(missing)} がありません", "codes")
    out: dict[str, dict[str, str]] = {}
    for table in CODE_TABLES:
        entries = items[table]
        if not isinstance(entries, dict) or not entries:
            raise _bad("旧コード → 標準の値 の辞書にしてください", f"codes.{table}")
        out[table] = {str(k): str(v) for k, v in entries.items()}
    bad_jiyu = sorted(v for v in out["ido_jiyu"].values() if v not in IDO_JIYU)
    if bad_jiyu:
        raise _bad(f"異動事由は標準の値（{'・'.join(IDO_JIYU)}）のどれかです（{'・'.join(bad_jiyu)}）", "codes.ido_jiyu")
    bad_sex = sorted(v for v in out["sex"].values() if v not in SEX)
    if bad_sex:
        raise _bad(f"性別の値は 1（男）か 2（女）です（{'・'.join(bad_sex)}）", "codes.sex")
    bad_kind = sorted(v for v in out["resident_kind"].values() if v not in RESIDENT_KINDS)
    if bad_kind:
        raise _bad(f"住民種別の値は 日本人 か 外国人 です（{'・'.join(bad_kind)}）", "codes.resident_kind")
    return out
