"""The 支援措置 gate for every requester, not only third parties (issue #9, section 4).

Before, only 第三者・弁護士等・国又は地方公共団体 were checked: a 代理人 with a 委任状 — whom a
perpetrator can send — got the copy of a protected person's record.  Now (住民基本台帳事務
処理要領 第5-10; ``registry/protection.py``): 本人 with a checked identity is served; a
代理人 is refused; 同一世帯員 and third parties are held until a supervisor releases the
request with a reason, and the released request is issued once."""

from __future__ import annotations

import json

import pytest

from municloud.errors import ConflictError, MuniError, NotFoundError, PermissionDeniedError
from municloud.modules.registry.certificates.services import HeldRequest, issue_released_certificate
from municloud.modules.registry.services.holds import HoldDecisionIn, decide_hold, list_holds
from municloud.modules.registry.services.support import start_support_measure
from tests.factories import audit_entries, context, days_ago, registry_footprint, support_measure
from tests.integration.certificates.helpers import has, household, issue, pages

ISSUE = "registry:certificate:issue"


def protect(platform, supervisor, atena_no):
    data = support_measure(start_on=days_ago(0))
    return start_support_measure(platform.uow(supervisor.tenant_code), supervisor, atena_no, data)


@pytest.fixture
def family(platform, supervisor, mayor):
    """山田 family; the wife (花子) is protected."""
    result = household(platform, supervisor, members=3)
    protect(platform, supervisor, result.atena_nos[1])
    return result


def refused(fn) -> MuniError:
    with pytest.raises(MuniError) as caught:
        fn()
    return caught.value


def test_an_agent_with_a_power_of_attorney_is_refused_and_audited(platform, clerk, family):
    wife = family.atena_nos[1]
    before = registry_footprint(platform, clerk.tenant_code)
    for checked in (False, True):  # a checked identity is the agent's own, not the victim's
        error = refused(lambda c=checked: issue(platform, clerk, atena_no=wife, requester_type="agent",
                                                requester_name="代理　人", identity_checked=c))
        assert isinstance(error, PermissionDeniedError) and error.code == "REGISTRY_SUPPORT_MEASURE_ACTIVE"
        assert "代理人" in error.message and wife not in error.message
    assert registry_footprint(platform, clerk.tenant_code) == before  # nothing issued, nothing held
    entries = audit_entries(platform, clerk.tenant_code, ISSUE)
    assert [(e.outcome, json.loads(e.detail)["rule"]) for e in entries] == [("denied", "agent")] * 2
    assert all("代理　人" not in e.detail for e in entries)


def test_an_agent_for_the_household_is_refused_when_a_protected_member_is_on_it(platform, clerk, family):
    error = refused(lambda: issue(platform, clerk, setai_no=family.setai_nos[0], requester_type="代理人"))
    assert error.code == "REGISTRY_SUPPORT_MEASURE_ACTIVE"
    head, _wife, child = family.atena_nos
    cert = issue(platform, clerk, atena_no=head, members=[head, child], requester_type="agent")
    assert has(pages(cert.pdf)[0], "山田　太郎")  # without the protected person the agent is served


def test_the_protected_person_in_person_is_served_once_their_identity_is_checked(platform, clerk, family):
    wife = family.atena_nos[1]
    error = refused(lambda: issue(platform, clerk, atena_no=wife, requester_type="self", requester_name="山田　花子"))
    assert error.code == "REGISTRY_SUPPORT_MEASURE_ACTIVE" and "本人確認書類" in error.message
    assert json.loads(audit_entries(platform, clerk.tenant_code, ISSUE)[-1].detail)["rule"] == "identity_not_checked"

    cert = issue(platform, clerk, atena_no=wife, requester_type="self", requester_name="山田　花子",
                 identity_checked=True, members="all")
    assert has(pages(cert.pdf)[0], "山田　花子") and has(pages(cert.pdf)[0], "山田　太郎")
    issued = audit_entries(platform, clerk.tenant_code, ISSUE)[-1]
    assert issued.outcome == "success" and json.loads(issued.detail)["identity_checked"] is True


@pytest.mark.parametrize("who", ["household_member", "self_for_the_household"])
def test_a_household_members_request_touching_the_protected_person_is_held(platform, clerk, family, who):
    head = family.atena_nos[0]
    if who == "household_member":
        held = issue(platform, clerk, setai_no=family.setai_nos[0], requester_type="household_member")
    else:  # the head asking for himself, identity checked, but the copy names his protected wife too
        held = issue(platform, clerk, atena_no=head, members="all", requester_type="self", identity_checked=True)
    assert isinstance(held, HeldRequest) and held.hold_no == 1
    assert [h.status for h in list_holds(platform.uow(clerk.tenant_code), clerk)] == ["held"]


def test_a_released_request_is_issued_once_exactly_as_it_was_held(platform, clerk, supervisor, mayor, family):
    held = issue(platform, clerk, setai_no=family.setai_nos[0], requester_type="lawyer", requester_name="某　弁護士",
                 purpose="訴訟（債務不存在確認）の準備", include_head_and_relationship=True)
    assert refused(lambda: issue_released_certificate(platform.uow(mayor), clerk, held.hold_no)).code == (
        "REGISTRY_SUPPORT_HOLD_PENDING")

    other = context(platform, mayor, "registry_supervisor")
    decided = decide_hold(platform.uow(mayor), other, held.hold_no,
                          HoldDecisionIn(decision="release", reason="裁判所の期日呼出状と委任契約書を確認。依頼者は加害者でない"))
    assert (decided.status, decided.decided_by) == ("released", other.actor)
    cert = issue_released_certificate(platform.uow(mayor), clerk, held.hold_no)
    assert has(pages(cert.pdf)[0], "山田　花子") and has(pages(cert.pdf)[0], "世帯主")
    again = refused(lambda: issue_released_certificate(platform.uow(mayor), clerk, held.hold_no))
    assert isinstance(again, ConflictError) and again.code == "REGISTRY_SUPPORT_HOLD_USED" and cert.issue_no in again.message

    [hold] = list_holds(platform.uow(mayor), clerk)
    assert (hold.status, hold.issue_no) == ("used", cert.issue_no)
    [release] = audit_entries(platform, mayor, "registry:support_hold:release")
    assert release.actor == other.actor and "裁判所" not in release.detail  # the reason stays in the hold
    issued = audit_entries(platform, mayor, ISSUE)[-1]
    assert json.loads(issued.detail)["hold_no"] == held.hold_no


def test_a_refused_hold_is_never_issued_and_nobody_decides_their_own_hold(platform, clerk, supervisor, mayor, family):
    held = issue(platform, supervisor, setai_no=family.setai_nos[0], requester_type="third_party",
                 requester_name="債権回収　株式会社", purpose="債権回収のため")
    own = refused(lambda: decide_hold(platform.uow(mayor), supervisor, held.hold_no,
                                      HoldDecisionIn(decision="release", reason="確認済み")))
    assert isinstance(own, PermissionDeniedError) and own.code == "REGISTRY_SUPPORT_HOLD_OWN"
    no_right = refused(lambda: decide_hold(platform.uow(mayor), clerk, held.hold_no,
                                           HoldDecisionIn(decision="release", reason="確認済み")))
    assert no_right.code == "PERMISSION_DENIED"

    other = context(platform, mayor, "registry_supervisor")
    decide_hold(platform.uow(mayor), other, held.hold_no, HoldDecisionIn(decision="refuse", reason="請求事由の疎明がない"))
    assert refused(lambda: issue_released_certificate(platform.uow(mayor), clerk, held.hold_no)).code == (
        "REGISTRY_SUPPORT_HOLD_REFUSED")
    twice = refused(lambda: decide_hold(platform.uow(mayor), other, held.hold_no,
                                        HoldDecisionIn(decision="release", reason="やはり認める")))
    assert twice.code == "REGISTRY_SUPPORT_HOLD_DECIDED"
    assert isinstance(refused(lambda: issue_released_certificate(platform.uow(mayor), clerk, 99)), NotFoundError)
    assert [e.outcome for e in audit_entries(platform, mayor, "registry:support_hold:release")] == ["denied", "denied"]
    assert [e.outcome for e in audit_entries(platform, mayor, "registry:support_hold:refuse")] == ["success"]
