"""The 町字 CSV: the アドレス・ベース・レジストリ (ABR) 町字マスター layout, read all or nothing.

A file is UTF-8 (a BOM is allowed), comma-separated, its first line the ABR column names.
The columns read (ABR names; every other ABR column may be present and is ignored):

=================  ======================  =============================================
column             ABR item                use
=================  ======================  =============================================
lg_code            全国地方公共団体コード      required; the tenant's code (a designated
                                           city's ward codes are accepted for its wards)
machiaza_id        町字ID                   required; 7 digits; the same id over a rename
machiaza_type      町字区分コード             optional; 1 大字・町 2 丁目 3 小字 …, kept
ward               政令市区名                 the ward of a designated city (中区)
oaza_cho           大字・町名                 the name as addresses write it (大字 kept)
chome              丁目名                    e.g. 一丁目 (as addresses write it)
koaza              小字名
oaza_cho_kana …    ward_kana, oaza_cho_kana,  katakana (the type-ahead searches it)
                   chome_kana, koaza_kana
efct_date          効力発生日                 YYYY-MM-DD; blank: in force from the start
ablt_date          廃止日                    YYYY-MM-DD; blank: still in force; the 町字 is
                                           no longer in force *on* this day
post_code          郵便番号                  7 digits (hyphen allowed); optional
attr:NAME          (not ABR)                the tenant's attribute NAME (attr:校区 …)
=================  ======================  =============================================

Beyond the ABR, a tenant adds its own attributes as ``attr:`` columns (``attr:校区``,
``attr:投票区``); a blank cell means "none for this 町字".  A rename (住居表示 …) is two
rows with the same ``machiaza_id``: the old name with ``ablt_date``, the new one with the
same day as ``efct_date``.  Refused, with every problem and its line number: a missing
required column, an unknown column, a bad value, two periods of one ``machiaza_id`` that
overlap, two 町字 of the same name in force on the same day.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from municloud.errors import ValidationError
from municloud.interchange.checks import Problem
from municloud.jp.codes import validate_postal_code
from municloud.jp.kana import to_furigana
from municloud.jp.policy import DATE_MIN
from municloud.kernel.fields import TextField
from municloud.modules.registry import fields as f
from municloud.modules.registry.towns.matching import town_key

__all__ = ["ABR_COLUMNS", "ATTRIBUTE_PREFIX", "READ_COLUMNS", "REQUIRED", "TownRow", "TownsRefused", "parse_towns"]

#: Every column of the ABR 町字マスター (mt_town), in its order.
ABR_COLUMNS = (
    "lg_code", "machiaza_id", "machiaza_type", "pref", "pref_kana", "pref_roma", "county", "county_kana",
    "county_roma", "city", "city_kana", "city_roma", "ward", "ward_kana", "ward_roma", "oaza_cho",
    "oaza_cho_kana", "oaza_cho_roma", "chome", "chome_kana", "chome_number", "koaza", "koaza_kana", "koaza_roma",
    "machiaza_dist", "rsdt_addr_flg", "rsdt_addr_mtd_code", "oaza_cho_aka_flg", "koaza_aka_code",
    "oaza_cho_gsi_uncmn", "koaza_gsi_uncmn", "status_flg", "wake_num_flg", "efct_date", "ablt_date", "src_code",
    "post_code", "remarks",
)
REQUIRED = ("lg_code", "machiaza_id", "oaza_cho")
READ_COLUMNS = ("lg_code", "machiaza_id", "machiaza_type", "ward", "oaza_cho", "chome", "koaza", "ward_kana",
                "oaza_cho_kana", "chome_kana", "koaza_kana", "efct_date", "ablt_date", "post_code")
ATTRIBUTE_PREFIX = "attr:"
NAME_PARTS = (("ward", f.TOWN_WARD), ("oaza_cho", f.TOWN_NAME), ("chome", f.TOWN_CHOME), ("koaza", f.TOWN_NAME))


@dataclass
class TownRow:
    """One row of the file: a 町字 over one period [valid_from, valid_to)."""

    line: int
    machiaza_id: str
    valid_from: date
    valid_to: date | None
    machiaza_type: str | None
    ward: str
    name: str  # ward + 大字・町 + 丁目 + 小字, as addresses write it
    kana: str
    postal_code: str | None
    attributes: dict[str, str] = field(default_factory=dict)

    def key(self, wards: tuple[str, ...] = ()) -> str:
        return town_key(self.name, wards or ((self.ward,) if self.ward else ()))


class TownsRefused(ValidationError):
    """The file had problems: nothing was loaded; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]) -> None:
        first = "／".join(f"{p.row}行目 {p.column}：{p.reason}" if p.row else p.reason for p in problems[:3])
        super().__init__(
            "REGISTRY_TOWNS_FILE_INVALID",
            f"町字のファイルに {len(problems)} 件の問題があります。何も取り込んでいません（{first}"
            + ("／…" if len(problems) > 3 else "") + "）",
        )
        self.problems = problems


def _day(text: str) -> date:
    return date.fromisoformat(text)


class _Reader:
    def __init__(self, file: str, tenant_code: str, wards: tuple[str, ...]) -> None:
        self.file, self.tenant_code, self.wards = file, tenant_code, wards
        self.problems: list[Problem] = []

    def problem(self, line: int, column: str, reason: str, code: str) -> None:
        self.problems.append(Problem(self.file, line, column, reason, code))

    def text(self, line: int, row: dict[str, str], column: str, item: TextField) -> str:
        value = (row.get(column) or "").strip()
        problem = item.problem(value) if value else None
        if problem is not None:
            self.problem(line, column, item.message(problem), problem.code)
            return ""
        return value

    def header(self, header: list[str]) -> bool:
        unknown = [h for h in header if h not in ABR_COLUMNS and not h.startswith(ATTRIBUTE_PREFIX)]
        unknown += [h for h in header if h.startswith(ATTRIBUTE_PREFIX) and not h[len(ATTRIBUTE_PREFIX):].strip()]
        missing = [c for c in REQUIRED if c not in header]
        twice = sorted({h for h in header if header.count(h) > 1})
        for names, reason, code in ((missing, "必要な列がありません", "REGISTRY_TOWNS_COLUMN_MISSING"),
                                    (unknown, "知らない列です（付加情報は attr:校区 のように書きます）",
                                     "REGISTRY_TOWNS_COLUMN_UNKNOWN"),
                                    (twice, "同じ列が2回あります", "REGISTRY_TOWNS_COLUMN_TWICE")):
            if names:
                self.problem(1, "、".join(names), reason, code)
        for name in (h[len(ATTRIBUTE_PREFIX):] for h in header if h.startswith(ATTRIBUTE_PREFIX)):
            problem = f.ATTRIBUTE_NAME.problem(name.strip())
            if problem:
                self.problem(1, ATTRIBUTE_PREFIX + name, f.ATTRIBUTE_NAME.message(problem), problem.code)
        return not self.problems

    def row(self, line: int, row: dict[str, str]) -> TownRow | None:
        before = len(self.problems)
        lg_code = row["lg_code"].strip()
        ward = self.text(line, row, "ward", f.TOWN_WARD)
        own = lg_code == self.tenant_code or (ward and ward in self.wards and lg_code[:3] == self.tenant_code[:3])
        if not own:
            self.problem(line, "lg_code", f"団体コード {self.tenant_code} の町字ではありません（{lg_code or '空欄'}）",
                         "REGISTRY_TOWNS_OTHER_TENANT")
        if self.wards and ward not in self.wards:
            self.problem(line, "ward", f"区の名前がありません、または区の名前が違います（{ward or '空欄'}）",
                         "REGISTRY_TOWNS_WARD_UNKNOWN")
        machiaza_id = row["machiaza_id"].strip()
        if not (len(machiaza_id) == 7 and machiaza_id.isascii() and machiaza_id.isdigit()):
            self.problem(line, "machiaza_id", f"町字IDは7桁の数字です（{machiaza_id or '空欄'}）",
                         "REGISTRY_TOWNS_ID_INVALID")
        kind = (row.get("machiaza_type") or "").strip() or None
        if kind is not None and (len(kind) != 1 or kind not in "1234567"):
            self.problem(line, "machiaza_type", f"町字区分コードは1桁の数字です（{kind}）", "REGISTRY_TOWNS_TYPE_INVALID")
        parts = [self.text(line, row, column, item) for column, item in NAME_PARTS]
        if not parts[1].strip():
            self.problem(line, "oaza_cho", "大字・町名がありません", "REGISTRY_TOWNS_NAME_REQUIRED")
        kana = "".join(self._kana(line, row, c) for c in ("ward_kana", "oaza_cho_kana", "chome_kana", "koaza_kana"))
        valid_from, valid_to = self._period(line, row)
        postal = (row.get("post_code") or "").strip()
        if postal:
            try:
                postal = validate_postal_code(postal)
            except ValidationError as exc:
                self.problem(line, "post_code", exc.message, exc.code)
        attributes = {h[len(ATTRIBUTE_PREFIX):].strip(): self.text(line, row, h, f.ATTRIBUTE_VALUE)
                      for h in row if h.startswith(ATTRIBUTE_PREFIX)}
        if len(self.problems) > before:
            return None
        return TownRow(line, machiaza_id, valid_from or DATE_MIN, valid_to, kind, ward, "".join(parts), kana,
                       postal or None, {k: v for k, v in attributes.items() if v})

    def _kana(self, line: int, row: dict[str, str], column: str) -> str:
        value = (row.get(column) or "").strip()
        if not value:
            return ""
        try:
            return to_furigana(value).replace("\u3000", "")
        except ValidationError as exc:
            self.problem(line, column, exc.message, exc.code)
            return ""

    def _period(self, line: int, row: dict[str, str]) -> tuple[date | None, date | None]:
        days: list[date | None] = []
        for column, label in (("efct_date", "効力発生日"), ("ablt_date", "廃止日")):
            value = (row.get(column) or "").strip()
            try:
                days.append(_day(value) if value else None)
            except ValueError:
                self.problem(line, column, f"{label}は YYYY-MM-DD で書きます（{value}）", "REGISTRY_TOWNS_DATE_INVALID")
                days.append(None)
        start, end = days
        if start and start < DATE_MIN:
            self.problem(line, "efct_date", f"効力発生日が古すぎます（{DATE_MIN.isoformat()} 以降）",
                         "REGISTRY_TOWNS_DATE_INVALID")
        if end and end <= (start or DATE_MIN):
            self.problem(line, "ablt_date", "廃止日は効力発生日より後の日にしてください", "REGISTRY_TOWNS_PERIOD_INVALID")
        return start, end

    def overlaps(self, rows: list[TownRow]) -> None:
        """One 町字ID's periods may not overlap, nor two 町字 of one name in force together."""
        for label, group_of, code in (
            ("町字ID", lambda r: r.machiaza_id, "REGISTRY_TOWNS_PERIOD_OVERLAP"),
            ("名前", lambda r: r.key(self.wards), "REGISTRY_TOWNS_NAME_TWICE"),
        ):
            seen: dict[str, list[TownRow]] = {}
            for r in rows:
                for other in seen.get(group_of(r), []):
                    if _overlap(r, other):
                        column = "machiaza_id" if code.endswith("OVERLAP") else "oaza_cho"
                        self.problem(r.line, column, f"{label}が同じ町字（{other.line}行目）と期間が重なっています",
                                     code)
                        break
                seen.setdefault(group_of(r), []).append(r)


def _overlap(a: TownRow, b: TownRow) -> bool:
    return (b.valid_to is None or a.valid_from < b.valid_to) and (a.valid_to is None or b.valid_from < a.valid_to)


def parse_towns(data: bytes, tenant_code: str, wards: tuple[str, ...] = (), file: str = "towns.csv") -> list[TownRow]:
    """Every row of *data* (the file's bytes), or :class:`TownsRefused` with every problem.

    Line numbers are the file's (the header is line 1)."""
    reader = _Reader(file, tenant_code, wards)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TownsRefused([Problem(file, 0, "", "UTF-8 で読めません（Shift_JIS なら UTF-8 に変換してください）",
                                    "REGISTRY_TOWNS_ENCODING")]) from None
    lines = csv.reader(io.StringIO(text, newline=""))
    rows: list[TownRow] = []
    try:
        header = [h.strip() for h in next(lines, [])]
        if not header or header == [""]:
            raise TownsRefused([Problem(file, 0, "", "ファイルが空です（1行目に列の名前が必要です）",
                                        "REGISTRY_TOWNS_EMPTY")])
        if not reader.header(header):
            raise TownsRefused(reader.problems)
        for values in lines:
            line = lines.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                reader.problem(line, "", f"項目の数が {len(values)} です（{len(header)} 必要）",
                               "REGISTRY_TOWNS_ROW_LENGTH")
                continue
            parsed = reader.row(line, dict(zip(header, values, strict=True)))
            if parsed is not None:
                rows.append(parsed)
    except csv.Error as exc:  # an over-long field, a broken quote: the rest of the file cannot be read
        reader.problem(lines.line_num, "", f"CSVとして読めません（{exc}）", "REGISTRY_TOWNS_CSV_INVALID")
        raise TownsRefused(reader.problems) from None
    reader.overlaps(rows)
    if not rows and not reader.problems:
        reader.problem(0, "", "町字が1行もありません", "REGISTRY_TOWNS_EMPTY")
    if reader.problems:
        raise TownsRefused(reader.problems)
    return rows
