"""Migration use case: legacy files + mapping → households loaded, the rest held or rejected.

It never guesses.  A row is

* **held** (保留) when the mapping lacks something: a gaiji of the user-defined area or a
  vendor code it does not list — fix the mapping and run again;
* **rejected** (不正) when the data itself is wrong: an impossible date, a bad 住民票コード,
  a household without exactly one 世帯主 … — fix it in the legacy system.

Every item is checked by the same rules as one typed into the API (``registry.domain.
normalise_person`` → ``fields.py`` → ``jp.policy``): a control or formatting character, a
character outside the standard repertoire or an over-long item rejects the row with the
item and the reason in the report (``review.csv``), as does a date outside the platform's
range or a フリガナ that is not kana.  A gaiji the mapping names must itself be a
standard character (``mapping.py`` refuses the mapping otherwise).

Households load together, so one held or rejected row holds or rejects its whole
household.  Good households go through ``registry.services.bulk.load_households`` in one
transaction, with the 異動事由 the legacy system gave each person (mapped to the standard
one) on its history row.  What was loaded before is recognised by the migration ledger
(legacy 宛名番号 → ours, written in the load's transaction: ``legacy.ledger``) or by its
住民票コード (unique to a person nationwide): a second run loads only what was not there
yet, never anything twice.  Per entity, read = loaded + already loaded + held + rejected.

The household file's 世帯主氏名 and 住所, when the mapping names their columns, go through
the same gaiji mapping (an unmapped gaiji holds the household) and must agree with the
resident file (else the household is rejected).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from sqlalchemy import select

from municloud.errors import ValidationError
from municloud.interchange.legacy.ledger import known_atena_nos, recorder
from municloud.interchange.legacy.mapping import Mapping, pua_to_code
from municloud.interchange.legacy.reader import Record, read_csv, read_fixed
from municloud.interchange.legacy.report import HELD, REJECTED, Issue, MigrationReport
from municloud.jp.codes import validate_my_number
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


@dataclass
class Row:
    record: Record
    member: dict = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def setai(self) -> str:
        return self.record.values.get("setai_no", "")

    @property
    def atena(self) -> str:
        return self.record.values.get("atena_no", "")

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
            m[f.name] = _kana(row, f.name, value)
        elif f.type == "text":
            m[f.name] = _text(row, f.name, value, mapping, table) or None
        elif f.name == "my_number":
            m[f.name] = _my_number(row, value)
        else:
            m[f.name] = value
    m.pop("atena_no", None), m.pop("setai_no", None)
    m["address_fixed_on"] = m.get("became_resident_on")
    m["postal_code"] = postal.get(row.setai) or None
    return row


def _kana(row: Row, name: str, value: str) -> str | None:
    """フリガナ as stored (full-width katakana); one that is not kana rejects the row, like any
    item the registry's rules refuse (the rules themselves run in ``normalise_person``)."""
    if not value:
        return "" if name == "shimei_kana" else None
    try:
        return to_furigana(value)
    except ValidationError as exc:
        row.issue(name, exc.message, outcome=REJECTED)
        return None


def _my_number(row: Row, value: str) -> str | None:
    if not value:
        return None
    try:
        return validate_my_number(value)
    except ValidationError:  # the message never shows the digits
        row.issue("my_number", "個人番号の形（12桁）または検査用数字が正しくありません", outcome=REJECTED)
        return None


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
    columns = mapping.household_columns or {}
    column = columns.get("setai_no", "世帯番号")
    postal_col = columns.get("postal_code")
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
    households = {k: _household(r, k, columns, mapping, table) for k, r in household_rows.items()}
    groups: dict[str, list[Row]] = {k: [] for k in household_rows}
    for record in read_fixed(directory / mapping.residents_file, mapping):
        row = convert(record, mapping, table, postal)
        if row.setai not in household_rows and not record.error:
            row.issue("setai_no", f"世帯ファイルにない世帯番号 {row.setai!r}", outcome=REJECTED)
        groups.setdefault(row.setai if row.setai in household_rows else f"?{record.line}", []).append(row)
    _reject_duplicates(groups, "juminhyo_code", "住民票コード", lambda r: r.member.get("juminhyo_code"))
    _reject_duplicates(groups, "atena_no", "旧宛名番号", lambda r: r.atena)
    existing = _existing_codes(platform, ctx.tenant_code, groups)
    ledger = known_atena_nos(platform.uow(ctx.tenant_code), mapping.system,
                             {r.atena for rows in groups.values() for r in rows})
    good: list[list[dict]] = []
    legacy_numbers: list[tuple[str, list[str]]] = []
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
        known = [r.atena in ledger or r.member.get("juminhyo_code") in existing for r in rows]
        if in_file and rows and all(known):
            report.residents.already_loaded += len(rows)
            report.households.already_loaded += 1
            continue
        household = households.get(setai)
        outcome = _household_outcome(rows, today, household)
        if outcome is None and any(known):
            rows[0].issue("atena_no", "世帯の一部だけがすでに登録されています", outcome=REJECTED)
            outcome = REJECTED
        if outcome is None:
            rows.sort(key=lambda r: r.member["zokugara"] != HEAD)
            good.append([r.member for r in rows])
            legacy_numbers.append((setai, [r.atena for r in rows]))
            report.residents.loaded += len(rows)
            report.households.loaded += 1
            continue
        for r in rows:
            if not any(i.outcome == REJECTED for i in r.issues) and not (r.issues and outcome == HELD):
                r.issue("household", "同じ世帯の他の行のため" + ("保留" if outcome == HELD else "不正"), outcome=outcome)
            report.issues.extend(replace(i, outcome=outcome) for i in r.issues)
        if household is not None:
            report.issues.extend(replace(i, outcome=outcome) for i in household.issues)
        entities = (report.residents, report.households) if in_file else (report.residents,)
        for counts, n in zip(entities, (len(rows), 1), strict=False):
            if outcome == HELD:
                counts.held += n
            else:
                counts.rejected += n
    if good:
        load_households(platform.uow(ctx.tenant_code), ctx, good, progress=progress, member_ido_jiyu=True,
                        before_commit=recorder(mapping.system, legacy_numbers))
    return report


def _household(record: Record, setai: str, columns: dict[str, str], mapping: Mapping,
               table: dict[str, str]) -> Row:
    """The household file's row: 世帯主氏名 and 住所 through the gaiji mapping, like the person file."""
    row = Row(replace(record, values={"setai_no": setai}))
    for item in ("head_name", "address"):
        if item in columns:
            row.member[item] = _text(row, item, record.values.get(columns[item], ""), mapping, table)
    return row


def _reject_duplicates(groups: dict[str, list[Row]], field_name: str, label: str, key) -> None:
    """A 住民票コード or legacy 宛名番号 given to two records is a data error: both are rejected."""
    seen: dict[str, list[Row]] = {}
    for rows in groups.values():
        for r in rows:
            if key(r) and not r.record.error:
                seen.setdefault(key(r), []).append(r)
    for value, rows in seen.items():
        if len(rows) > 1:
            for r in rows:
                r.issue(field_name, f"{label} {value} が {len(rows)} 件の行にあります", outcome=REJECTED)


def _household_outcome(rows: list[Row], today: date, household: Row | None = None) -> str | None:
    issues = [i for r in [*rows, *([household] if household else [])] for i in r.issues]
    if any(i.outcome == REJECTED for i in issues):
        return REJECTED
    if issues:
        return HELD
    for r in rows:
        try:
            items = {k: v for k, v in r.member.items() if k != "ido_jiyu"}
            normalise_person(Person(atena_no="0", setai_no="0", status=RESIDENT, **items), today=today,
                             allowed_attributes=())
        except ValidationError as exc:
            field_name = next(iter(exc.fields), "record")
            r.issue(field_name, exc.message, outcome=REJECTED)
    heads = [r for r in rows if r.member.get("zokugara") == HEAD]
    if len(heads) != 1:
        rows[0].issue("zokugara", f"世帯主が {len(heads)} 人います（1人のはずです）", outcome=REJECTED)
    elif household is not None:
        _agree(household, heads[0], rows)
    return REJECTED if any(r.issues for r in rows) or (household and household.issues) else None


def _agree(household: Row, head: Row, rows: list[Row]) -> None:
    """The household file must say what the resident file says (else one of them is wrong)."""
    name = household.member.get("head_name")
    if name and name != head.member.get("shimei"):
        household.issue("head_name", f"世帯ファイルの世帯主氏名 {name!r} が住民ファイルの世帯主 "
                        f"{head.member.get('shimei')!r} と違います", outcome=REJECTED)
    address = household.member.get("address")
    if address and any(r.member.get("address") != address for r in rows):
        household.issue("address", f"世帯ファイルの住所 {address!r} が世帯員の住所と違います", outcome=REJECTED)


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
