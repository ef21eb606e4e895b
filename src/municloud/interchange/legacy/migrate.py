"""Migration use case: legacy files + mapping → households loaded, the rest held or rejected.

It never guesses.  A row is

* **held** (保留) when the mapping lacks something: a gaiji of the user-defined area or a
  vendor code it does not list — fix the mapping and run again;
* **rejected** (不正) when the data itself is wrong: an impossible date, a bad 住民票コード,
  a household without exactly one 世帯主 … — fix it in the legacy system.

Households load together, so one held or rejected row holds or rejects its whole
household.  Good households go through ``registry.services.bulk.load_households`` in one
transaction.  What was loaded before is recognised by its 住民票コード (unique to a person
nationwide, and already stored in the registry): a second run loads only what was not
there yet, never anything twice.  Per entity, read = loaded + already loaded + held +
rejected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select

from municloud.errors import ValidationError
from municloud.interchange.legacy.mapping import Mapping, pua_to_code
from municloud.interchange.legacy.reader import Record, read_csv, read_fixed
from municloud.interchange.legacy.report import HELD, REJECTED, Issue, MigrationReport
from municloud.jp.kana import to_furigana
from municloud.jp.wareki import parse_date
from municloud.kernel.clock import today_jst
from municloud.kernel.context import Context
from municloud.modules.registry.domain import HEAD, RESIDENT, Person, normalise_person
from municloud.modules.registry.orm import ResidentIndex
from municloud.modules.registry.services.bulk import load_households

ERAS = {"1": "明治", "2": "大正", "3": "昭和", "4": "平成", "5": "令和"}
WAREKI_CODE = re.compile(r"^([1-5])(\d{2})(\d{2})(\d{2})$")
PUA = re.compile("[\ue000-\uf8ff]")
VENDOR_TABLE = "GAIJI.TXT"
TEXT_ITEMS = ("shimei", "address", "katagaki", "nationality", "zairyu_shikaku")


@dataclass
class Row:
    record: Record
    member: dict = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def setai(self) -> str:
        return self.record.values.get("setai_no", "")

    def issue(self, field_name: str, what: str, candidates: str = "", outcome: str = HELD) -> None:
        r = self.record
        self.issues.append(Issue(r.file, r.line, r.offset, r.values.get("atena_no", ""), self.setai, field_name,
                                 what, candidates, outcome))


def vendor_table(directory: Path) -> dict[str, str]:
    """The vendor's gaiji table (``GAIJI.TXT``: code, tab, approximate character), if handed over."""
    path = directory / VENDOR_TABLE
    if not path.exists():
        return {}
    table = {}
    for line in path.read_bytes().decode("cp932").splitlines():
        code, _, approx = line.partition("\t")
        if code.strip() and approx.strip():
            table[code.strip().upper()] = approx.strip()
    return table


def gaiji_candidates(approx: str | None) -> str:
    """The vendor's approximate character and what MJ 縮退 relates it to (candidates only)."""
    if not approx:
        return ""
    found = [approx]
    try:
        import jntajis

        for ch in approx:
            found += [c for c in jntajis.mj_shrink_candidates(ch, 15) if c not in found]
    except (ImportError, ValueError):
        pass
    return " ".join(found)


def convert(record: Record, mapping: Mapping, table: dict[str, str], postal: dict[str, str]) -> Row:
    """One record → the member items ``load_households`` takes, with what stops it."""
    row = Row(record)
    if record.error:
        row.issue("record", record.error, outcome=REJECTED)
        return row
    v, m = record.values, row.member
    for f in mapping.layout:
        value = v.get(f.name, "")
        if f.type == "code":
            mapped = mapping.codes[f.name].get(value)
            if mapped is None:
                row.issue(f.name, f"対応表にないコード {value!r}")
            m[f.name] = mapped
        elif f.type == "wareki":
            m[f.name] = _wareki(row, f.name, value)
        elif f.type == "kana":
            m[f.name] = to_furigana(value) if value else ""
        elif f.type == "text":
            m[f.name] = _text(row, f.name, value, mapping, table) or None
        else:
            m[f.name] = value
    m.pop("atena_no", None), m.pop("setai_no", None), m.pop("ido_jiyu", None)
    m["address_fixed_on"] = m.get("became_resident_on")
    m["postal_code"] = postal.get(row.setai) or None
    return row


def _wareki(row: Row, name: str, value: str) -> date | None:
    match = WAREKI_CODE.match(value)
    try:
        if not match:
            raise ValidationError("LEGACY_DATE", "和暦コードの形（元号1桁＋年月日6桁）ではありません")
        era, yy, mm, dd = match.groups()
        return parse_date(f"{ERAS[era]}{int(yy)}年{int(mm)}月{int(dd)}日")
    except ValidationError as exc:
        row.issue(name, f"日付 {value!r} を読めません（{exc.message}）", outcome=REJECTED)
        return None


def _text(row: Row, name: str, value: str, mapping: Mapping, table: dict[str, str]) -> str:
    def replace(match: re.Match) -> str:
        ch = match.group()
        gaiji = mapping.gaiji_for(ch)
        if gaiji is not None:
            return gaiji.char
        code = pua_to_code(ch)
        row.issue(name, f"対応表にない外字 U+{ord(ch):04X}（CP932 {code}）", gaiji_candidates(table.get(code)))
        return ch

    return PUA.sub(replace, value)


Progress = Callable[[int], None]


def migrate_legacy(platform, ctx: Context, directory: Path, mapping: Mapping,
                   progress: Progress | None = None, today: date | None = None) -> MigrationReport:
    """Read *directory* with *mapping*, load the good households, report the rest."""
    directory = Path(directory)
    report = MigrationReport()
    table = vendor_table(directory)
    column = (mapping.household_columns or {}).get("setai_no", "世帯番号")
    postal_col = (mapping.household_columns or {}).get("postal_code")
    household_rows: dict[str, Record] = {}
    for r in read_csv(directory / mapping.households_file):
        report.households.read += 1
        setai = r.values.get(column, "")
        if setai in household_rows or not setai:
            report.households.rejected += 1
            report.issues.append(Issue(r.file, r.line, -1, "", setai, "setai_no", f"世帯番号 {setai!r} が重複または空です",
                                       "", REJECTED))
        else:
            household_rows[setai] = r
    postal = {k: r.values.get(postal_col, "") for k, r in household_rows.items()} if postal_col else {}
    groups: dict[str, list[Row]] = {k: [] for k in household_rows}
    for record in read_fixed(directory / mapping.residents_file, mapping):
        row = convert(record, mapping, table, postal)
        if row.setai not in household_rows and not record.error:
            row.issue("setai_no", f"世帯ファイルにない世帯番号 {row.setai!r}", outcome=REJECTED)
        groups.setdefault(row.setai if row.setai in household_rows else f"?{record.line}", []).append(row)
    _reject_duplicate_codes(groups)
    existing = _existing_codes(platform, ctx.tenant_code, groups)
    good: list[list[dict]] = []
    today = today or today_jst()
    for setai, rows in groups.items():
        report.residents.read += len(rows)
        in_file = setai in household_rows
        if in_file and not rows:
            rec = household_rows[setai]
            report.issues.append(Issue(rec.file, rec.line, -1, "", setai, "setai_no", "世帯員が1人もいない世帯です",
                                       "", REJECTED))
            report.households.rejected += 1
            continue
        outcome = _household_outcome(rows, today)
        codes = {r.member.get("juminhyo_code") for r in rows}
        if outcome is None and rows and codes <= existing:
            report.residents.already_loaded += len(rows)
            report.households.already_loaded += 1
            continue
        if outcome is None and codes & existing:
            rows[0].issue("juminhyo_code", "世帯の一部だけがすでに登録されています", outcome=REJECTED)
            outcome = REJECTED
        if outcome is None:
            rows.sort(key=lambda r: r.member["zokugara"] != HEAD)
            good.append([r.member for r in rows])
            report.residents.loaded += len(rows)
            report.households.loaded += 1
            continue
        for r in rows:
            if not any(i.outcome == REJECTED for i in r.issues) and not (r.issues and outcome == HELD):
                r.issue("household", "同じ世帯の他の行のため" + ("保留" if outcome == HELD else "不正"), outcome=outcome)
            report.issues.extend(replace(i, outcome=outcome) for i in r.issues)
        entities = (report.residents, report.households) if in_file else (report.residents,)
        for counts, n in zip(entities, (len(rows), 1), strict=False):
            if outcome == HELD:
                counts.held += n
            else:
                counts.rejected += n
    if good:
        load_households(platform.uow(ctx.tenant_code), ctx, good, progress=progress)
    return report


def _reject_duplicate_codes(groups: dict[str, list[Row]]) -> None:
    """A 住民票コード given to two records is a data error: both are rejected."""
    seen: dict[str, list[Row]] = {}
    for rows in groups.values():
        for r in rows:
            if r.member.get("juminhyo_code"):
                seen.setdefault(r.member["juminhyo_code"], []).append(r)
    for code, rows in seen.items():
        if len(rows) > 1:
            for r in rows:
                r.issue("juminhyo_code", f"住民票コード {code} が {len(rows)} 件の行にあります", outcome=REJECTED)


def _household_outcome(rows: list[Row], today: date) -> str | None:
    issues = [i for r in rows for i in r.issues]
    if any(i.outcome == REJECTED for i in issues):
        return REJECTED
    if issues:
        return HELD
    for r in rows:
        try:
            normalise_person(Person(atena_no="0", setai_no="0", status=RESIDENT, **r.member), today=today,
                             allowed_attributes=())
        except ValidationError as exc:
            field_name = next(iter(exc.fields), "record")
            r.issue(field_name, exc.message, outcome=REJECTED)
    heads = sum(r.member.get("zokugara") == HEAD for r in rows)
    if heads != 1:
        rows[0].issue("zokugara", f"世帯主が {heads} 人います（1人のはずです）", outcome=REJECTED)
    return REJECTED if any(r.issues for r in rows) else None


def _existing_codes(platform, tenant_code: str, groups: dict[str, list[Row]]) -> set[str]:
    codes = sorted({r.member["juminhyo_code"] for rows in groups.values() for r in rows
                    if r.member.get("juminhyo_code")})
    found: set[str] = set()
    uow = platform.uow(tenant_code)
    with uow:
        for i in range(0, len(codes), 500):
            stmt = select(ResidentIndex.juminhyo_code).where(
                ResidentIndex.tenant_code == tenant_code, ResidentIndex.juminhyo_code.in_(codes[i : i + 500]))
            found.update(uow.session.scalars(stmt))
    return found
