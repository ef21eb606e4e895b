"""届出期間経過の一覧: the 届出 made after their 届出期間, for the supervisor.

A late 届出 (住民基本台帳法第22条〜第25条: 14 days; ``periods``) is registered like any
other and flagged.  Whether it is a 過料 case (第52条第2項: 5万円以下, imposed by the
簡易裁判所 on the municipality's notice) depends on
whether the resident had good reason, which only a person can judge: this list, filtered by
届出日, is what the supervisor reviews and prints before notifying the 簡易裁判所.  Cancelled notifications are left out
(what was cancelled was never a 届出).  Each person is shown as the notification recorded
them (氏名, 住所 of that history row).  Looking at the list is audited with the residents
shown, as any view of personal data.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from pydantic import BaseModel
from sqlalchemy import select

from municloud.errors import ValidationError
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.modules.registry import periods
from municloud.modules.registry.catalog import A_LATE, P_LATE
from municloud.modules.registry.orm import Notification, ResidentRecord

MAX_DAYS = 366
KIND_LABELS = {"tennyu": "転入届", "tenkyo": "転居届", "tenshutsu": "転出届", "setai_henko": "世帯変更届"}


class LatePerson(BaseModel):
    atena_no: str
    shimei: str
    address: str  # 住所 (with 方書) as recorded by the notification
    ido_jiyu: str


class LateNotification(BaseModel):
    notification_id: int
    kind: str
    kind_label: str  # 転入届・転居届・転出届・世帯変更届
    article: str  # 住民基本台帳法の条（届出期間を定める条）
    ido_jiyu: str
    ido_date: date
    todoke_date: date
    deadline: date  # 届出期限
    days_late: int  # 届出期限の翌日から届出日までの日数
    processed_by: str
    persons: list[LatePerson]


def list_late_notifications(uow: UnitOfWork, ctx: Context, since: date, until: date) -> list[LateNotification]:
    """Late 届出 whose 届出日 is between *since* and *until* (both included), oldest first."""
    with uow:
        uow.require(ctx, P_LATE, A_LATE)
        if until < since:
            raise ValidationError("REGISTRY_PERIOD_INVALID", "期間の終わりが始まりより前です",
                                  fields={"until": "期間の始まり以後の日付にしてください"})
        if (until - since).days >= MAX_DAYS:
            raise ValidationError("REGISTRY_PERIOD_TOO_LONG", f"期間は{MAX_DAYS}日以内で指定してください",
                                  fields={"until": f"{MAX_DAYS}日以内にしてください"})
        rows = list(uow.session.scalars(
            select(Notification)
            .where(Notification.late_notice.is_(True), Notification.cancelled_by.is_(None),
                   Notification.todoke_date >= since, Notification.todoke_date <= until)
            .order_by(Notification.todoke_date, Notification.notification_id)
        ))
        people: dict[int, list[LatePerson]] = defaultdict(list)
        if rows:
            for r in uow.session.scalars(
                select(ResidentRecord).where(ResidentRecord.notification_id.in_([n.notification_id for n in rows]))
                .order_by(ResidentRecord.notification_id, ResidentRecord.atena_no)
            ):
                address = f"{r.address}\u3000{r.katagaki}" if r.katagaki else r.address
                people[r.notification_id].append(LatePerson(atena_no=r.atena_no, shimei=r.shimei, address=address,
                                                            ido_jiyu=r.ido_jiyu))
        result = []
        for n in rows:
            days = uow.params.get("registry.notification.period_days", n.ido_date)
            deadline = periods.notice_deadline(n.ido_date, days)
            result.append(LateNotification(
                notification_id=n.notification_id, kind=n.kind, kind_label=KIND_LABELS.get(n.kind, n.kind),
                article=periods.PERIOD_ARTICLES.get(n.kind, ""), ido_jiyu=n.ido_jiyu, ido_date=n.ido_date,
                todoke_date=n.todoke_date, deadline=deadline, days_late=(n.todoke_date - deadline).days,
                processed_by=n.processed_by, persons=people[n.notification_id],
            ))
        uow.audit.record(
            ctx, A_LATE,
            subjects=[f"resident:{p.atena_no}" for n in result for p in n.persons],
            detail={"since": since.isoformat(), "until": until.isoformat(), "notifications": len(result)},
        )
        uow.commit()
        return result
