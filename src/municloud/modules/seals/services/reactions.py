"""Reacting to the registry: a registration ends by itself (職権抹消) when its resident's
record is removed — 転出, 国外転出, 死亡, an entry withdrawn by 取消し, …

Subscribed at start-up (``seals.subscribe``) to ``registry.events.ResidentsChanged``, which
the registry publishes inside every notification's transaction: the 職権抹消 commits with
the notification, or — if the notification is refused or fails — not at all.
"""

from __future__ import annotations

from municloud.kernel.clock import utcnow
from municloud.kernel.context import Context
from municloud.kernel.db import UnitOfWork
from municloud.modules.registry.events import ResidentsChanged
from municloud.modules.seals import domain
from municloud.modules.seals import repository as repo
from municloud.modules.seals.catalog import A_END
from municloud.modules.seals.services.registrations import close

SYSTEM_ACTOR = "system"
PURPOSE = "住民票の消除に伴う印鑑登録の職権抹消"


def end_on_removal(uow: UnitOfWork, event: ResidentsChanged) -> None:
    """End the registration in force of every person *event* removed (same transaction).

    No permission check: this is part of the notification the clerk was allowed to
    register.  Audited as ``system`` with the notification's 異動番号, which links it to
    the clerk's ``registry:notification:register`` entry.
    """
    removed = set(event.removed())
    if not removed:
        return
    reasons = {a: reason for a, status, reason in event.residents if a in removed}
    ctx = Context(tenant_code=event.tenant_code, actor=SYSTEM_ACTOR, purpose=PURPOSE)
    now = utcnow()
    for atena_no in sorted(removed):
        row = repo.active_for(uow, atena_no, lock=True)
        if row is None:
            continue
        reason = reasons.get(atena_no) or event.ido_jiyu
        close(row, domain.STRUCK_OUT, reason, event.ido_date, SYSTEM_ACTOR, now)
        row.ended_by_notification = event.notification_id
        uow.audit.record(
            ctx, A_END, subjects=[f"resident:{atena_no}", f"seal_registration:{row.registration_no}"],
            detail={"registration_no": row.registration_no, "status": domain.STRUCK_OUT, "reason": "removal",
                    "removal_reason": reason, "notification_id": event.notification_id},
        )
    uow.flush()
