"""課税資料 use cases: the CSV import (all or nothing, with a report) and one person's
entry through the API.  Amounts, names and birth dates never go to the audit log.

The file's text items are checked by the same declared items as the API's
(``tax/fields.py``, the registry's 宛名番号: character policy and maximum length) and its
dates by the platform's range, so the file and the API accept exactly the same values."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import delete, select

from municloud.errors import ConflictError, NotFoundError, ValidationError
from municloud.interchange.checks import Problem
from municloud.jp.policy import check_date
from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.kernel.fields import TextField
from municloud.modules.registry.api import ATENA_NO, existing_atena_nos
from municloud.modules.tax import fields as f
from municloud.modules.tax.catalog import (
    A_INPUT_IMPORT,
    A_INPUT_SET,
    A_INPUT_VIEW,
    P_INPUT_MANAGE,
    P_INPUT_VIEW,
)
from municloud.modules.tax.domain import INPUT_ENTRY as ENTRY
from municloud.modules.tax.domain import INPUT_IMPORT as IMPORT
from municloud.modules.tax.inputs import (
    AMOUNT_COLUMNS,
    FLAG_COLUMNS,
    INPUT_COLUMNS,
    RELATION_NAMES,
    RELATIVE_COLUMNS,
    PersonInput,
    RelativeIn,
    claimed_twice,
    parse_amount,
    parse_flag,
    person_problems,
    relative_problems,
)
from municloud.modules.tax.orm import TaxInput, TaxRelative
from municloud.modules.tax.rules import check_year
from municloud.modules.tax.services.history import latest_revision, record_revisions


@dataclass(frozen=True)
class ImportSummary:
    year: int
    persons: int
    relatives: int
    replaced: int  # persons whose earlier 課税資料 of the year was replaced


class InputImportRefused(ValidationError):
    """The file had problems: nothing was imported; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            "TAX_INPUT_FILE_INVALID",
            f"課税資料ファイルに {len(problems)} 件の問題があります。何も取り込んでいません（問題の一覧を確認してください）",
        )
        self.problems = problems


def _read(path: Path, columns, problems: list[Problem]) -> list[tuple[int, dict[str, str]]]:
    name = path.name
    headers = {h: c for c, h in columns}
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header is None:
                problems.append(Problem(name, 0, "", "ファイルが空です（見出しの行が必要です）", "TAX_FILE_EMPTY"))
                return []
            missing = [h for h in headers if h not in header]
            unknown = [h for h in header if h not in headers]
            if missing or unknown or len(set(header)) != len(header):
                reason = "見出しが違います"
                if missing:
                    reason += f"（ない項目：{'、'.join(missing)}）"
                if unknown:
                    reason += f"（知らない項目：{'、'.join(unknown)}）"
                problems.append(Problem(name, 0, "", reason, "TAX_FILE_HEADER"))
                return []
            keys = [headers[h] for h in header]
            rows = []
            for i, values in enumerate(reader, start=1):
                if len(values) != len(keys):
                    problems.append(Problem(name, i, "", f"項目の数が {len(values)} です（{len(keys)} 必要）",
                                            "TAX_ROW_LENGTH"))
                    continue
                rows.append((i, dict(zip(keys, values, strict=True))))
            return rows
    except UnicodeDecodeError:
        problems.append(Problem(name, 0, "", "UTF-8 で読めません（Shift_JIS なら UTF-8 に変換してください）",
                                "TAX_FILE_ENCODING"))
        return []


def _item(problems: list[Problem], file: str, row: int, label: str, item: TextField, text: str) -> str | None:
    """*text* stripped (None when blank) if it follows *item*'s rules, else a problem and None."""
    value = text.strip()
    problem = item.problem(value) if value else None
    if problem is not None:
        problems.append(Problem(file, row, label, item.message(problem), problem.code))
        return None
    return value or None


def parse_files(inputs: Path, relatives: Path | None) -> tuple[list[PersonInput], dict[str, int], list[Problem]]:
    """Every person of the files with the row each came from, and every problem found
    (file, row, column, reason)."""
    problems: list[Problem] = []
    label = dict(INPUT_COLUMNS) | dict(RELATIVE_COLUMNS)
    persons: dict[str, PersonInput] = {}
    where: dict[str, int] = {}
    for i, row in _read(inputs, INPUT_COLUMNS, problems):
        atena_no = row["atena_no"].strip()
        if not atena_no:
            problems.append(Problem(inputs.name, i, "宛名番号", "宛名番号がありません", "TAX_ATENA_REQUIRED"))
            continue
        if _item(problems, inputs.name, i, "宛名番号", ATENA_NO, atena_no) is None:
            continue
        if atena_no in persons:
            problems.append(Problem(inputs.name, i, "宛名番号", f"同じ宛名番号が {where[atena_no]} 行目にもあります",
                                    "TAX_ATENA_DUPLICATE"))
            continue
        amounts, flags = {}, {}
        for col, _ in AMOUNT_COLUMNS:
            try:
                amounts[col] = parse_amount(row[col])
            except ValueError as exc:
                problems.append(Problem(inputs.name, i, label[col], str(exc), "TAX_AMOUNT_INVALID"))
        for col, _ in FLAG_COLUMNS:
            try:
                flags[col] = parse_flag(row[col])
            except ValueError as exc:
                problems.append(Problem(inputs.name, i, label[col], str(exc), "TAX_FLAG_INVALID"))
        persons[atena_no] = PersonInput(
            atena_no, amounts, employer_no=_item(problems, inputs.name, i, label["employer_no"], f.EMPLOYER_NO,
                                                 row["employer_no"]),
            employer_name=_item(problems, inputs.name, i, label["employer_name"], f.EMPLOYER_NAME,
                                row["employer_name"]), flags=flags,
        )
        where[atena_no] = i
    if relatives is not None:
        for i, row in _read(relatives, RELATIVE_COLUMNS, problems):
            owner = persons.get(row["atena_no"].strip())
            if owner is None:
                problems.append(Problem(relatives.name, i, "宛名番号", "課税資料ファイルにない宛名番号です",
                                        "TAX_RELATIVE_OWNER_UNKNOWN"))
                continue
            relation = row["relation"].strip()
            rel = RelativeIn(RELATION_NAMES.get(relation, relation),
                             relative_atena_no=_item(problems, relatives.name, i, label["relative_atena_no"], ATENA_NO,
                                                     row["relative_atena_no"]),
                             name=_item(problems, relatives.name, i, label["name"], f.RELATIVE_NAME, row["name"]), row=i)
            try:
                rel.birth_date = date.fromisoformat(row["birth_date"].strip()) if row["birth_date"].strip() else None
            except ValueError:
                problems.append(Problem(relatives.name, i, label["birth_date"], "YYYY-MM-DD で入力してください",
                                        "TAX_DATE_INVALID"))
            else:
                try:
                    rel.birth_date = check_date(rel.birth_date) if rel.birth_date else None
                except ValidationError as exc:
                    problems.append(Problem(relatives.name, i, label["birth_date"], exc.message, exc.code))
            try:
                rel.income = parse_amount(row["income"]) if row["income"].strip() else None
            except ValueError as exc:
                problems.append(Problem(relatives.name, i, label["income"], str(exc), "TAX_AMOUNT_INVALID"))
            for col in ("cohabiting", "lineal_ascendant"):
                try:
                    setattr(rel, col, parse_flag(row[col]))
                except ValueError as exc:
                    problems.append(Problem(relatives.name, i, label[col], str(exc), "TAX_FLAG_INVALID"))
            for col, reason in relative_problems(rel):
                problems.append(Problem(relatives.name, i, label.get(col, col), reason, "TAX_RELATIVE_INVALID"))
            owner.relatives.append(rel)
    for atena_no, person in persons.items():
        for col, reason in person_problems(person, with_relatives=False):
            problems.append(Problem(inputs.name, where[atena_no], label.get(col, col), reason,
                                    "TAX_INPUT_INCONSISTENT"))
    for who, taxpayers in claimed_twice(list(persons.values())).items():
        problems.append(Problem(
            relatives.name if relatives else inputs.name, where[taxpayers[-1]], "親族の宛名番号",
            f"同じ親族（{who}）を複数の納税者が控除の対象にしています："
            f"{'、'.join(taxpayers)}", "TAX_RELATIVE_CLAIMED_TWICE"))
    return list(persons.values()), where, problems


def import_inputs(
    uow: UnitOfWork, ctx: Context, year: int, inputs: Path, relatives: Path | None = None
) -> ImportSummary:
    """Import a 課税資料 CSV for *year* (年度): every row is checked first (amounts, flags,
    宛名番号 known to the registry, relatives); any problem refuses the whole file with
    :class:`InputImportRefused` listing them all, else every person's 課税資料 of the year is
    replaced in one transaction.  Audited with counts and the files' SHA-256 only."""
    check_year(year)
    with uow:
        uow.require(ctx, P_INPUT_MANAGE, A_INPUT_IMPORT, subjects=[f"tax_year:{year}"])
        persons, where, problems = parse_files(Path(inputs), Path(relatives) if relatives else None)
        known = existing_atena_nos(uow, [p.atena_no for p in persons] + [
            r.relative_atena_no for p in persons for r in p.relatives if r.relative_atena_no])
        for p in persons:
            if p.atena_no not in known:
                problems.append(Problem(Path(inputs).name, where[p.atena_no], "宛名番号",
                                        "住民記録にない宛名番号です", "TAX_ATENA_UNKNOWN"))
            for r in p.relatives:
                if r.relative_atena_no and r.relative_atena_no not in known:
                    problems.append(Problem(Path(relatives).name, r.row, "親族の宛名番号",
                                            "住民記録にない宛名番号です", "TAX_ATENA_UNKNOWN"))
        if problems:
            uow.audit.record(ctx, A_INPUT_IMPORT, subjects=[f"tax_year:{year}"], outcome="denied",
                             detail={"year": year, "problems": len(problems)}, always=True)
            raise InputImportRefused(sorted(problems, key=lambda p: (p.file, p.row)))
        replaced = _store(uow, ctx, year, persons, source=IMPORT, reason="一括取込み")
        detail = {"year": year, "persons": len(persons), "relatives": sum(len(p.relatives) for p in persons),
                  "replaced": replaced, "sha256": _digest(inputs)}
        if relatives:
            detail["relatives_sha256"] = _digest(relatives)
        uow.audit.record(ctx, A_INPUT_IMPORT, subjects=[f"tax_year:{year}"], detail=detail)
        uow.commit()
        return ImportSummary(year, len(persons), detail["relatives"], replaced)


def load_inputs(uow: UnitOfWork, ctx: Context, year: int, persons: list[PersonInput]) -> ImportSummary:
    """Store many persons' 課税資料 for *year* at once (a migration, the demo, a benchmark):
    the same checks and audit entry as the CSV import, without a file."""
    check_year(year)
    with uow:
        uow.require(ctx, P_INPUT_MANAGE, A_INPUT_IMPORT, subjects=[f"tax_year:{year}"])
        wanted = [p.atena_no for p in persons] + [r.relative_atena_no for p in persons for r in p.relatives
                                                  if r.relative_atena_no]
        known = existing_atena_nos(uow, wanted)
        bad = [a for a in wanted if a not in known]
        problems = [(p.atena_no, col, reason) for p in persons for col, reason in person_problems(p)]
        problems += [(", ".join(t), "relative", "複数の納税者が同じ親族を控除の対象にしています")
                     for t in claimed_twice(persons).values()]
        if bad or problems:
            raise ValidationError("TAX_INPUT_INVALID",
                                  f"課税資料に誤りがあります（{len(bad) + len(problems)} 件。例：{(bad or problems)[0]}）")
        replaced = _store(uow, ctx, year, persons, source=IMPORT, reason="一括登録")
        relatives = sum(len(p.relatives) for p in persons)
        uow.audit.record(ctx, A_INPUT_IMPORT, subjects=[f"tax_year:{year}"], detail={
            "year": year, "persons": len(persons), "relatives": relatives, "replaced": replaced, "source": "bulk"})
        uow.commit()
        return ImportSummary(year, len(persons), relatives, replaced)


def _digest(path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _store(uow: UnitOfWork, ctx: Context, year: int, persons: list[PersonInput], *, source: str,
           reason: str | None) -> int:
    """Replace the 課税資料 of *persons* for *year* and append a revision of each to the
    修正履歴 (:mod:`.history`); returns how many existed before."""
    session = uow.session
    if len(persons) > 1000:
        uow.prepare_bulk_load()
    atena_nos = [p.atena_no for p in persons]
    before = 0
    for i in range(0, len(atena_nos), 5000):
        chunk = atena_nos[i:i + 5000]
        before += len(session.scalars(select(TaxInput.atena_no).where(TaxInput.year == year,
                                                                      TaxInput.atena_no.in_(chunk))).all())
        session.execute(delete(TaxRelative).where(TaxRelative.tenant_code == uow.tenant_code,
                                                  TaxRelative.year == year, TaxRelative.atena_no.in_(chunk)))
        session.execute(delete(TaxInput).where(TaxInput.tenant_code == uow.tenant_code, TaxInput.year == year,
                                               TaxInput.atena_no.in_(chunk)))
    now = utcnow()
    input_rows, relative_rows = [], []
    for p in persons:
        input_rows.append({
            "tenant_code": uow.tenant_code, "year": year, "atena_no": p.atena_no, **p.amounts,
            **{c: p.flags.get(c, False) for c, _ in FLAG_COLUMNS},
            "employer_no": p.employer_no, "employer_name": p.employer_name, "updated_by": ctx.actor,
            "updated_at": now,
        })
        for seq, r in enumerate(p.relatives, start=1):
            relative_rows.append({
                "tenant_code": uow.tenant_code, "year": year, "atena_no": p.atena_no, "seq": seq,
                "relation": r.relation, "relative_atena_no": r.relative_atena_no, "name": r.name,
                "birth_date": r.birth_date, "income": r.income, "cohabiting": r.cohabiting,
                "lineal_ascendant": r.lineal_ascendant,
            })
    for table, rows in ((TaxInput.__table__, input_rows), (TaxRelative.__table__, relative_rows)):
        for i in range(0, len(rows), 10000):
            session.execute(table.insert(), rows[i:i + 10000])
    record_revisions(uow, ctx, year, persons, source=source, reason=reason, now=now)
    return before


def set_input(uow: UnitOfWork, ctx: Context, year: int, person: PersonInput, reason: str | None = None, *,
              expected_revision: int | None = None) -> bool:
    """Enter or replace one person's 課税資料 for *year* (API and screen), with the *reason*
    of a correction recorded in the 修正履歴; True when it replaced an earlier one.

    ``expected_revision``: the 修正履歴 number the confirmation was made on
    (``history.input_revision``) — if it has moved since (the same confirmation posted
    twice, another clerk's change), ``TAX_INPUT_CHANGED`` (409) and nothing is written."""
    check_year(year)
    subjects = [f"resident:{person.atena_no}"]
    with uow:
        uow.require(ctx, P_INPUT_MANAGE, A_INPUT_SET, subjects=subjects)
        reason = (reason or "").strip() or None
        problems = person_problems(person)
        reason_problem = f.INPUT_REASON.problem(reason) if reason else None
        if reason_problem is not None:
            problems.append(("reason", f.INPUT_REASON.message(reason_problem)))
        wanted = [person.atena_no] + [r.relative_atena_no for r in person.relatives if r.relative_atena_no]
        known = existing_atena_nos(uow, wanted)
        problems += [("atena_no", f"住民記録にない宛名番号です：{a}") for a in wanted if a not in known]
        if problems:
            raise ValidationError("TAX_INPUT_INVALID", "課税資料に誤りがあります", fields=dict(problems))
        if expected_revision is not None and latest_revision(uow, year, person.atena_no) != expected_revision:
            raise ConflictError("TAX_INPUT_CHANGED", "確認の後にこの課税資料は登録・修正されています（同じ内容を二度登録しないよう止めました）。"
                                                     "課税資料の画面で確かめてから、必要ならもう一度入力してください")
        before = _store(uow, ctx, year, [person], source=ENTRY, reason=reason)
        uow.audit.record(ctx, A_INPUT_SET, subjects=subjects, detail={"year": year, "replaced": bool(before)})
        uow.commit()
        return bool(before)


def get_input(uow: UnitOfWork, ctx: Context, year: int, atena_no: str) -> PersonInput:
    """One person's 課税資料 for *year* (audited look)."""
    subjects = [f"resident:{atena_no}"]
    with uow:
        uow.require(ctx, P_INPUT_VIEW, A_INPUT_VIEW, subjects=subjects)
        row = uow.session.get(TaxInput, (uow.tenant_code, year, atena_no))
        if row is None:
            raise NotFoundError("TAX_INPUT_NOT_FOUND", f"{atena_no} の {year} 年度の課税資料はありません")
        relatives = uow.session.scalars(
            select(TaxRelative).where(TaxRelative.year == year, TaxRelative.atena_no == atena_no)
            .order_by(TaxRelative.seq)
        ).all()
        uow.audit.record(ctx, A_INPUT_VIEW, subjects=subjects, detail={"year": year})
        uow.commit()
        return PersonInput(
            atena_no, {c: getattr(row, c) for c, _ in AMOUNT_COLUMNS}, row.employer_no, row.employer_name,
            {c: getattr(row, c) for c, _ in FLAG_COLUMNS},
            [RelativeIn(r.relation, r.relative_atena_no, r.name, r.birth_date, r.income, r.cohabiting,
                        r.lineal_ascendant) for r in relatives],
        )
