"""支援措置 refusals, the 交付履歴 (who asked, for whom, fee) and the audit entries."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from municloud.errors import PermissionDeniedError, ValidationError
from municloud.kernel.clock import today_jst
from municloud.kernel.documents.orm import IssuedDocument
from municloud.kernel.parameters.services import set_override
from municloud.modules.registry.certificates.services import HeldRequest, list_issuances
from municloud.modules.registry.services.support import start_support_measure
from tests.factories import audit_entries, context, registry_footprint, support_measure
from tests.integration.certificates.helpers import has, household, issue, pages

ISSUE = "registry:certificate:issue"
REQUESTER = "債権回収　株式会社"


def _protected_family(platform, supervisor):
    family = household(platform, supervisor, members=3)
    start_support_measure(platform.uow(supervisor.tenant_code), supervisor, family.atena_nos[1], support_measure())
    return family


def _documents(platform) -> int:
    with platform.session_factory() as s:
        return s.scalar(select(func.count()).select_from(IssuedDocument))


@pytest.mark.parametrize("requester_type", ["third_party", "lawyer", "public_office", "第三者", "弁護士等"])
def test_a_third_party_request_touching_a_protected_person_is_held_for_review_and_audited(
    platform, mayor, supervisor, clerk, requester_type
):
    family = _protected_family(platform, supervisor)
    before = registry_footprint(platform, mayor)
    held = issue(platform, clerk, setai_no=family.setai_nos[0], requester_type=requester_type,
                 requester_name=REQUESTER, purpose="債権回収のため")
    assert isinstance(held, HeldRequest)
    assert held.code == "REGISTRY_SUPPORT_MEASURE_HELD" and "支援措置" in held.message and "保留" in held.message
    assert not any(a in held.message for a in family.atena_nos)  # never says who is protected
    after = registry_footprint(platform, mayor)
    assert after["registry_certificate_issuances"] == before["registry_certificate_issuances"]
    assert after["registry_support_holds"] == before["registry_support_holds"] + 1
    assert _documents(platform) == 0
    assert audit_entries(platform, mayor, ISSUE) == []
    [entry] = audit_entries(platform, mayor, "registry:support_hold:hold")
    detail = json.loads(entry.detail)
    assert (entry.outcome, detail["hold_no"], detail["for"], entry.actor) == ("success", held.hold_no, ISSUE, clerk.actor)
    assert sorted(json.loads(entry.subjects)) == sorted(f"resident:{a}" for a in family.atena_nos)
    assert REQUESTER not in entry.detail and "債権回収のため" not in entry.detail


def test_a_third_party_may_have_the_members_who_are_not_protected(platform, mayor, supervisor, clerk):
    family = _protected_family(platform, supervisor)
    head, _wife, child = family.atena_nos
    cert = issue(platform, clerk, atena_no=head, members=[head, child], requester_type="lawyer",
                 purpose="訴訟の準備のため", include_head_and_relationship=True)
    [page] = pages(cert.pdf)
    assert has(page, "山田　太郎") and not has(page, "山田　花子")


def test_a_third_party_must_state_a_purpose_and_hold_the_right_to_accept_it(platform, mayor, clerk):
    family = household(platform, clerk, members=2)
    with pytest.raises(ValidationError) as caught:
        issue(platform, clerk, atena_no=family.atena_nos[0], requester_type="third_party", purpose="  ")
    assert caught.value.code == "REGISTRY_PURPOSE_REQUIRED"
    from municloud.kernel.context import Context
    from municloud.modules.registry.catalog import P_THIRD_PARTY

    counter = Context(tenant_code=mayor, actor="counter-2", permissions=clerk.permissions - {P_THIRD_PARTY})
    with pytest.raises(PermissionDeniedError):
        issue(platform, counter, atena_no=family.atena_nos[0], requester_type="third_party", purpose="相続手続")


def test_every_issuance_is_recorded_with_the_fee_in_force_times_the_copies(platform, mayor, clerk):
    family = household(platform, clerk, members=2)
    head = family.atena_nos[0]
    first = issue(platform, clerk, setai_no=family.setai_nos[0], copies=3, requester_name=REQUESTER,
                  requester_type="third_party", purpose="相続手続のため", include_honseki=True)
    assert first.fee == 900 and first.copies == 3

    admin = context(platform, mayor, "tenant_admin")
    set_override(platform.uow(mayor), admin, "registry.certificate.fee", today_jst(), 350, "手数料条例の改正")
    second = issue(platform, clerk, atena_no=head, copies=2, requester_type="本人", requester_name="山田　太郎")
    assert second.fee == 700

    records = list_issuances(platform.uow(mayor), clerk, head)
    assert [r.issue_no for r in records] == [second.issue_no, first.issue_no]
    newest, oldest = records
    assert (newest.fee, newest.copies, newest.requester_type, newest.requester_type_label) == (700, 2, "self", "本人")
    assert (oldest.kind, oldest.form, oldest.requester_name, oldest.purpose) == (
        "juminhyo", "setai", REQUESTER, "相続手続のため")
    assert oldest.atena_nos == family.atena_nos and oldest.options["include_honseki"] is True
    assert oldest.issued_by == clerk.actor
    wife = list_issuances(platform.uow(mayor), clerk, family.atena_nos[1])
    assert [r.issue_no for r in wife] == [first.issue_no]


def test_the_issuance_is_audited_with_its_residents_and_the_requester_name_stays_out(platform, mayor, clerk):
    family = household(platform, clerk, members=2)
    cert = issue(platform, clerk, setai_no=family.setai_nos[0], requester_name=REQUESTER, purpose="年金の手続")
    [entry] = audit_entries(platform, mayor, ISSUE)
    [document] = audit_entries(platform, mayor, "kernel:document:issue")
    residents = [f"resident:{a}" for a in family.atena_nos]
    assert entry.outcome == "success" and json.loads(entry.subjects) == residents and not entry.my_number_shown
    detail = json.loads(entry.detail)
    assert (detail["issue_no"], detail["kind"], detail["form"], detail["fee"], detail["pages"]) == (
        cert.issue_no, "juminhyo", "setai", 300, 1)
    assert json.loads(document.subjects) == residents + [f"document:{cert.issue_no}"]
    every = [e.detail for e in audit_entries(platform, mayor)]
    assert not any(REQUESTER in d or "年金の手続" in d or "山田" in d for d in every)


def test_reading_the_issuance_record_needs_the_certificate_right_and_is_audited(platform, mayor, clerk):
    family = household(platform, clerk, members=2)
    issue(platform, clerk, atena_no=family.atena_nos[0])
    viewer = context(platform, mayor, "registry_viewer")
    with pytest.raises(PermissionDeniedError):
        list_issuances(platform.uow(mayor), viewer, family.atena_nos[0])
    assert len(list_issuances(platform.uow(mayor), clerk, family.atena_nos[0])) == 1
    outcomes = [(e.actor, e.outcome) for e in audit_entries(platform, mayor, "registry:certificate:history")]
    assert outcomes == [(viewer.actor, "denied"), (clerk.actor, "success")]
