"""課税資料の修正履歴 (the history of a person's 課税資料): every entry, correction and import
appends a :class:`~municloud.modules.tax.orm.TaxInputRevision` with who, when, how, why and
the whole 課税資料 as it became; :func:`input_history` reads them back with what changed
from one revision to the next (項目名, before, after).  Written by ``inputs._store`` in the
use case's own transaction, so a refused or rolled-back entry leaves no revision either."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.modules.tax.catalog import A_INPUT_VIEW, P_INPUT_MANAGE, P_INPUT_VIEW
from municloud.modules.tax.domain import INPUT_SOURCES as SOURCES
from municloud.modules.tax.domain import LABELS
from municloud.modules.tax.inputs import (
    AMOUNT_COLUMNS,
    FLAG_COLUMNS,
    TEXT_COLUMNS,
    PersonInput,
)
from municloud.modules.tax.orm import TaxInputRevision

ITEM_LABELS = dict(AMOUNT_COLUMNS) | dict(FLAG_COLUMNS) | dict(TEXT_COLUMNS) | {"relatives": "配偶者・扶養親族"}


def snapshot(person: PersonInput) -> dict:
    """The whole 課税資料 of *person* as JSON (amounts, flags, employer, relatives)."""
    return {
        "amounts": {c: int(person.amounts.get(c, 0)) for c, _ in AMOUNT_COLUMNS},
        "flags": {c: bool(person.flags.get(c, False)) for c, _ in FLAG_COLUMNS},
        "employer_no": person.employer_no, "employer_name": person.employer_name,
        "relatives": [{
            "relation": r.relation, "relative_atena_no": r.relative_atena_no, "name": r.name,
            "birth_date": r.birth_date.isoformat() if r.birth_date else None, "income": r.income,
            "cohabiting": r.cohabiting, "lineal_ascendant": r.lineal_ascendant,
        } for r in person.relatives],
    }


def record_revisions(uow: UnitOfWork, ctx: Context, year: int, persons: list[PersonInput], *, source: str,
                     reason: str | None, now: datetime) -> None:
    """Append one revision per person (inside the caller's transaction)."""
    session = uow.session
    last: dict[str, int] = {}
    atena_nos = [p.atena_no for p in persons]
    r = TaxInputRevision
    for i in range(0, len(atena_nos), 5000):
        chunk = atena_nos[i:i + 5000]
        last.update(session.execute(select(r.atena_no, func.max(r.revision)).where(
            r.year == year, r.atena_no.in_(chunk)).group_by(r.atena_no)).all())
    rows = [{"tenant_code": uow.tenant_code, "year": year, "atena_no": p.atena_no,
             "revision": last.get(p.atena_no, 0) + 1, "source": source, "reason": reason, "actor": ctx.actor,
             "changed_at": now, "snapshot": snapshot(p)} for p in persons]
    for i in range(0, len(rows), 10000):
        session.execute(r.__table__.insert(), rows[i:i + 10000])


def latest_revision(uow: UnitOfWork, year: int, atena_no: str) -> int:
    """The number of the person's last 修正履歴 entry of *year* (0: none yet)."""
    r = TaxInputRevision
    return uow.session.scalar(select(func.coalesce(func.max(r.revision), 0))
                              .where(r.year == year, r.atena_no == atena_no))


def input_revision(uow: UnitOfWork, ctx: Context, year: int, atena_no: str) -> int:
    """:func:`latest_revision` for a confirmation screen, which carries it to the register
    step (``set_input(expected_revision=…)``).  A number only, no personal data: not audited."""
    with uow:
        uow.require(ctx, P_INPUT_MANAGE, A_INPUT_VIEW, subjects=[f"resident:{atena_no}"])
        return latest_revision(uow, year, atena_no)


@dataclass(frozen=True)
class Change:
    label: str  # 項目名
    before: str
    after: str


@dataclass(frozen=True)
class InputRevision:
    revision: int
    source: str
    source_label: str
    reason: str | None
    actor: str
    changed_at: datetime
    changes: list[Change]  # against the revision before (the first: every item entered)


def _show(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "該当" if value else "非該当"
    if isinstance(value, int):
        return f"{value:,}円"
    return str(value)


def _relative_text(r: dict) -> str:
    who = f"宛名番号 {r['relative_atena_no']}" if r["relative_atena_no"] else (
        f"{r['name']}（{r['birth_date']}生、所得 {(r['income'] or 0):,}円）")
    extra = "・".join(x for x, on in (("同居", r["cohabiting"]), ("直系尊属", r["lineal_ascendant"])) if on)
    return f"{LABELS.get(r['relation'], r['relation'])} {who}{'（' + extra + '）' if extra else ''}"


def changes_between(before: dict | None, after: dict) -> list[Change]:
    """What changed from *before* to *after* (two snapshots; *before* None: the first entry —
    every item that is not zero or blank)."""
    def items(data: dict | None) -> dict:
        if data is None:
            return {}
        return {**data["amounts"], **data["flags"], "employer_no": data["employer_no"],
                "employer_name": data["employer_name"],
                "relatives": "、".join(_relative_text(r) for r in data["relatives"]) or None}

    old, new = items(before), items(after)
    out = []
    for key, label in ITEM_LABELS.items():
        a, b = old.get(key), new.get(key)
        if before is None and b in (None, 0, False, ""):
            continue
        if a != b:
            out.append(Change(label, _show(a), _show(b)))
    return out


def input_history(uow: UnitOfWork, ctx: Context, year: int, atena_no: str) -> list[InputRevision]:
    """Every revision of *atena_no*'s 課税資料 for *year*, newest first (audited look)."""
    subjects = [f"resident:{atena_no}"]
    with uow:
        uow.require(ctx, P_INPUT_VIEW, A_INPUT_VIEW, subjects=subjects)
        rows = uow.session.scalars(select(TaxInputRevision).where(
            TaxInputRevision.year == year, TaxInputRevision.atena_no == atena_no)
            .order_by(TaxInputRevision.revision)).all()
        out, before = [], None
        for row in rows:
            out.append(InputRevision(row.revision, row.source, SOURCES.get(row.source, row.source), row.reason,
                                     row.actor, row.changed_at, changes_between(before, row.snapshot)))
            before = row.snapshot
        uow.audit.record(ctx, A_INPUT_VIEW, subjects=subjects, detail={"year": year, "history": True})
        uow.commit()
        return out[::-1]
