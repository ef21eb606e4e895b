"""What a certificate reads of each person: the current snapshot, the whole history and the
世帯主's name (for the issuing service; it never commits).

法第7条第4号: a person who is not the 世帯主 has 「世帯主の氏名及び世帯主との続柄」 on the
住民票, so a 個人票 asked with 世帯主・続柄 prints the 世帯主's name even though the 世帯主 is
not on it.  A 住民票 shows the household as it is now; a 除票 as it was just before the 異動
that removed the person (a 死亡 does not change who the 世帯主 was when the person died).
"""

from __future__ import annotations

from sqlalchemy import select

from municloud.kernel.db import UnitOfWork
from municloud.modules.registry import repository as repo
from municloud.modules.registry.certificates.render import Subject
from municloud.modules.registry.domain import HEAD, RESIDENT
from municloud.modules.registry.orm import ResidentIndex, ResidentRecord


def load_subjects(uow: UnitOfWork, atena_nos: list[str]) -> list[Subject]:
    """The persons of a certificate in printed order, with their histories (oldest first)."""
    current = repo.current_records(uow, atena_nos)
    rows = uow.session.scalars(
        select(ResidentRecord).where(ResidentRecord.atena_no.in_(atena_nos))
        .order_by(ResidentRecord.atena_no, ResidentRecord.rireki_no)
    )
    history: dict[str, list[ResidentRecord]] = {a: [] for a in atena_nos}
    for row in rows:
        history[row.atena_no].append(row)
    return [Subject(current[a], history[a], head_name(uow, current[a], history[a])) for a in atena_nos]


def head_name(uow: UnitOfWork, record: ResidentRecord, history: list[ResidentRecord]) -> str | None:
    """氏名 of the 世帯主 of *record*'s household (None when it has none)."""
    if record.zokugara == HEAD:
        return record.shimei
    if record.status == RESIDENT:
        head = uow.session.scalars(select(ResidentIndex.atena_no).where(
            ResidentIndex.setai_no == record.setai_no, ResidentIndex.is_head.is_(True),
            ResidentIndex.status == RESIDENT)).first()
        return repo.current_records(uow, [head])[head].shimei if head else None
    return _head_before(uow, record.setai_no, _removed_by(history))


def _removed_by(history: list[ResidentRecord]) -> int:
    """異動番号 of the 異動 that made the record a 除票 (the first of its last removed run)."""
    removing = history[-1]
    for snapshot in reversed(history):
        if snapshot.status == RESIDENT:
            break
        removing = snapshot
    return removing.notification_id


def _head_before(uow: UnitOfWork, setai_no: str, notification_id: int) -> str | None:
    """The 世帯主 of *setai_no* just before 異動 *notification_id*."""
    before = ResidentRecord.notification_id < notification_id
    candidates = uow.session.scalars(select(ResidentRecord.atena_no).distinct().where(
        ResidentRecord.setai_no == setai_no, ResidentRecord.zokugara == HEAD, before))
    for atena_no in candidates:
        last = uow.session.scalars(select(ResidentRecord).where(ResidentRecord.atena_no == atena_no, before)
                                   .order_by(ResidentRecord.rireki_no.desc()).limit(1)).first()
        if last is not None and last.setai_no == setai_no and last.zokugara == HEAD and last.status == RESIDENT:
            return last.shimei
    return None


__all__ = ["head_name", "load_subjects"]
