"""Looking at the registry: every look audited, 個人番号 masked unless permitted, roles."""

from __future__ import annotations

import json

import pytest

from municloud.errors import PermissionDeniedError
from municloud.modules.registry.services.queries import get_resident
from tests.factories import (
    audit_entries,
    context,
    days_ago,
    family,
    history_of,
    household_of,
    register,
    registry_footprint,
    resident,
    search,
)


def test_the_individual_number_is_masked_in_every_view(platform, clerk):
    fam = family(platform, clerk)
    head = fam.atena_nos[0]
    record = resident(platform, clerk, head)
    assert record.my_number is None and record.my_number_masked == "*" * 12
    assert all(h.my_number is None and h.my_number_masked == "*" * 12 for h in history_of(platform, clerk, head))
    assert resident(platform, clerk, fam.atena_nos[1]).my_number_masked is None
    for summary in search(platform, clerk, q="ヤマダ"):
        assert "my_number" not in summary.model_dump()


def test_showing_the_individual_number_needs_its_permission_and_is_audited(platform, clerk, supervisor):
    head = family(platform, clerk).atena_nos[0]
    with pytest.raises(PermissionDeniedError):
        get_resident(platform.uow(clerk.tenant_code), clerk, head, show_my_number=True)
    denied = audit_entries(platform, clerk.tenant_code, "registry:my_number:view")
    assert [(e.outcome, e.actor, e.my_number_shown) for e in denied] == [("denied", clerk.actor, False)]

    shown = get_resident(platform.uow(supervisor.tenant_code), supervisor, head, show_my_number=True)
    assert shown.my_number and shown.my_number.isdigit() and len(shown.my_number) == 12
    entry = audit_entries(platform, clerk.tenant_code, "registry:my_number:view")[-1]
    assert (entry.outcome, entry.actor, entry.my_number_shown) == ("success", supervisor.actor, True)
    assert json.loads(entry.subjects) == [f"resident:{head}"]


def test_every_look_is_audited_with_its_subjects(platform, clerk):
    fam = family(platform, clerk)
    found = search(platform, clerk, q="ヤマダ　タロウ")
    resident(platform, clerk, fam.atena_nos[1])
    history_of(platform, clerk, fam.atena_nos[2])
    household_of(platform, clerk, fam.setai_nos[0])

    entries = {e.action: e for e in audit_entries(platform, clerk.tenant_code) if e.actor == clerk.actor}
    assert json.loads(entries["registry:resident:search"].subjects) == [f"resident:{r.atena_no}" for r in found]
    assert json.loads(entries["registry:resident:search"].detail)["hits"] == 1
    assert "ヤマダ" not in entries["registry:resident:search"].detail
    assert json.loads(entries["registry:resident:view"].subjects) == [f"resident:{fam.atena_nos[1]}"]
    assert json.loads(entries["registry:resident:history"].subjects) == [f"resident:{fam.atena_nos[2]}"]
    assert json.loads(entries["registry:household:view"].subjects)[0] == f"household:{fam.setai_nos[0]}"


def test_a_viewer_cannot_register_a_notification_and_the_attempt_is_audited(platform, clerk, nagai):
    fam = family(platform, clerk)
    viewer = context(platform, nagai, "registry_viewer")
    before = registry_footprint(platform, nagai)
    with pytest.raises(PermissionDeniedError) as caught:
        register(platform, viewer, kind="shibou", ido_date=days_ago(1), atena_no=fam.atena_nos[2])

    assert caught.value.code == "PERMISSION_DENIED"
    assert registry_footprint(platform, nagai) == before
    entry = audit_entries(platform, nagai, "registry:notification:register")[-1]
    assert (entry.outcome, entry.actor) == ("denied", viewer.actor)
    assert resident(platform, clerk, fam.atena_nos[2]).status == "resident"


def test_an_auditor_cannot_look_at_residents(platform, clerk, nagai):
    fam = family(platform, clerk)
    auditor = context(platform, nagai, "auditor")
    with pytest.raises(PermissionDeniedError):
        resident(platform, auditor, fam.atena_nos[0])
    with pytest.raises(PermissionDeniedError):
        search(platform, auditor, q="山田")
