"""Whom a 異動届 form is about (the person and household the clerk is looking at) and the
form's starting values — read through the registry's query services (audited views).

The 履歴番号 of every person shown goes into the form as ``expected_rireki.{宛名番号}``:
the service refuses with 409 if someone else changed one of them before 登録する.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from municloud.errors import NotFoundError
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import today_jst
from municloud.kernel.parameters.services import explain_parameter
from municloud.modules.registry.domain import CORRECTABLE, SEX_INPUT
from municloud.modules.registry.notification_forms import Form
from municloud.modules.registry.notification_pages import Kind
from municloud.modules.registry.services.queries import get_history, get_household, get_resident
from municloud.modules.registry.views import (
    HistoryEntry,
    HouseholdView,
    ResidentDetail,
    ResidentSummary,
)
from municloud.web.screens.deps import Screen


@dataclass
class Subject:
    person: ResidentDetail | None = None
    household: HouseholdView | None = None
    history: list[HistoryEntry] = field(default_factory=list)

    @property
    def members(self) -> list[ResidentSummary]:
        """The people the form lists: the household's current members, or the person alone
        (a removed person, e.g. for 転出確定, has no household any more)."""
        if self.household and self.household.members:
            members = list(self.household.members)
            if self.person and self.person.atena_no not in {m.atena_no for m in members}:
                members.append(self.person)
            return members
        return [self.person] if self.person else []

    @property
    def names(self) -> dict[str, str]:
        return {m.atena_no: m.shimei for m in self.members}

    @property
    def setai_no(self) -> str | None:
        if self.household:
            return self.household.setai_no
        return self.person.setai_no if self.person else None

    @property
    def cancellable(self) -> list[HistoryEntry]:
        """取消し: the person's entries, newest first (only the latest can be cancelled)."""
        return list(reversed(self.history))


def load(screen: Screen, kind: Kind, atena_no: str | None, setai_no: str | None) -> Subject | None:
    """The person / household of the form, or None when the kind needs one and none was named."""
    subject = Subject()
    uow, ctx = screen.uow, screen.ctx
    if atena_no and kind.key != "tennyu":
        subject.person = get_resident(uow(), ctx, atena_no)
        if kind.key == "torikeshi":
            subject.history = get_history(uow(), ctx, atena_no)
        if kind.target == "household" and subject.person.status == "resident":
            setai_no = subject.person.setai_no
    if setai_no and (kind.target == "household" or kind.key == "tennyu"):
        try:
            subject.household = get_household(uow(), ctx, setai_no)
        except NotFoundError:
            if not subject.person:
                raise
    if kind.target != "none" and not subject.members:
        return None
    return subject


def address_attributes(screen: Screen) -> list[str]:
    """The tenant's 住所の付加情報 (校区・自治区…), one input each."""
    return list(explain_parameter(screen.uow(read_only=True), "registry.address.attributes").value or [])


def initial_form(kind: Kind, subject: Subject, atena_no: str, setai_no: str) -> Form:
    form: Form = {"for_atena_no": atena_no, "for_setai_no": setai_no}
    if kind.key not in ("shokken_shusei", "torikeshi"):
        form["todoke_date"] = format_wareki(today_jst())
    for m in subject.members:
        form[f"expected_rireki.{m.atena_no}"] = str(m.rireki_no)
    person = subject.person
    if kind.key == "tennyu":
        form.update({"person_count": "1", "persons.0.resident_kind": "日本人"})
        if subject.household:
            form["join_setai_no"] = subject.household.setai_no
    elif kind.key == "tenkyo":
        # most 転居 move the whole household: every member starts ticked, even when opened
        # from one person's page (a partial move unticks those who stay)
        form["atena_nos"] = [m.atena_no for m in subject.members if m.status == "resident"]
    elif kind.key == "tenshutsu":
        form["atena_nos"] = [atena_no] if atena_no else [m.atena_no for m in subject.members]
        if kind.key == "tenshutsu":
            form["stage"] = "kakutei" if person and person.status != "resident" else "yotei"
    elif kind.key in ("shussei", "setai_henko"):
        form.update({"setai_no": subject.setai_no or "", "type": "head_change",
                     "person.zokugara": "子", "person.resident_kind": "日本人"})
    elif person is not None:
        form["atena_no"] = person.atena_no
    if kind.key == "shokken_shusei" and person is not None:
        form.update(record_values(person))
    if kind.key == "torikeshi" and subject.history:
        form["notification_id"] = str(subject.cancellable[0].notification_id)
    return form


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def record_values(person: ResidentDetail) -> Form:
    """職権修正: each correctable item as shown (``changes.*`` to edit, ``was.*`` to compare)."""
    values: Form = {}
    for item in CORRECTABLE:
        if item == "my_number":
            continue  # masked: typed only to change it
        if item == "address_attributes":
            for key, value in (person.address_attributes or {}).items():
                values[f"changes.address_attributes.{key}"] = values[f"was.address_attributes.{key}"] = value
            continue
        value = getattr(person, item)
        shown = SEX_INPUT.get(value, value) if item == "sex" else _shown(value)
        values[f"changes.{item}"] = values[f"was.{item}"] = shown
    return values


__all__ = ["Subject", "address_attributes", "initial_form", "load", "record_values"]
