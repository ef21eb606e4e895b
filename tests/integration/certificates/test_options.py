"""Optional items are left out unless asked for; 住民票コード and 個人番号 also need a right."""

from __future__ import annotations

import json

import pytest

from municloud.errors import PermissionDeniedError, ValidationError
from municloud.kernel.context import Context
from municloud.modules.registry.catalog import P_JUMINHYO_CODE
from tests.factories import audit_entries, registry_footprint, resident
from tests.integration.certificates.helpers import has, household, issue, pages

ISSUE = "registry:certificate:issue"


def _values(platform, ctx, atena_no):
    record = resident(platform, ctx, atena_no)
    return record.juminhyo_code, record.honseki


def test_the_optional_items_are_left_out_unless_asked_for(platform, mayor, supervisor):
    family = household(platform, supervisor, members=2)
    head = family.atena_nos[0]
    code, honseki = _values(platform, supervisor, head)
    [page] = pages(issue(platform, supervisor, setai_no=family.setai_nos[0]).pdf)

    assert has(page, "山田　太郎")
    for absent in ("本籍", honseki, "筆頭者", "続柄", "世帯主", "妻", "住民票コード", code, "個人番号"):
        assert not has(page, absent), absent


@pytest.mark.parametrize(("option", "labels"), [
    ("include_head_and_relationship", ["世帯主山田　太郎", "続柄世帯主", "続柄妻"]),
    ("include_honseki", ["本籍山形県西置賜郡白鷹町大字荒砥甲100番地", "筆頭者山田　太郎"]),
    ("include_juminhyo_code", ["住民票コード"]),
    ("include_my_number", ["個人番号"]),
])
def test_each_optional_item_is_printed_when_asked_for(platform, mayor, supervisor, option, labels):
    family = household(platform, supervisor, members=2)
    [page] = pages(issue(platform, supervisor, setai_no=family.setai_nos[0], **{option: True}).pdf)
    for label in labels:
        assert has(page, label), label
    others = {"include_head_and_relationship": "続柄", "include_honseki": "本籍",
              "include_juminhyo_code": "住民票コード", "include_my_number": "個人番号"}
    assert [label for opt, label in others.items() if opt != option and has(page, label)] == []
    if option == "include_juminhyo_code":
        assert has(page, _values(platform, supervisor, family.atena_nos[0])[0])


def test_the_my_number_is_printed_only_with_its_permission_and_the_refusal_is_audited(platform, mayor, clerk,
                                                                                      supervisor):
    family = household(platform, clerk, members=2)
    before = registry_footprint(platform, mayor)
    with pytest.raises(PermissionDeniedError) as caught:
        issue(platform, clerk, atena_no=family.atena_nos[0], include_my_number=True)
    assert caught.value.code == "PERMISSION_DENIED"
    assert registry_footprint(platform, mayor) == before
    [denied] = [e for e in audit_entries(platform, mayor, ISSUE) if e.outcome == "denied"]
    assert json.loads(denied.detail)["missing_permission"] == "registry:my_number:view" and denied.actor == clerk.actor

    cert = issue(platform, supervisor, atena_no=family.atena_nos[0], include_my_number=True)
    [entry] = [e for e in audit_entries(platform, mayor, ISSUE) if e.outcome == "success"]
    assert entry.my_number_shown is True and json.loads(entry.detail)["issue_no"] == cert.issue_no
    assert has(pages(cert.pdf)[0], "個人番号")


def test_the_juminhyo_code_needs_a_right_of_its_own(platform, mayor, clerk):
    family = household(platform, clerk, members=2)
    without = Context(tenant_code=mayor, actor="counter-contractor", roles=frozenset({"registry_clerk"}),
                      permissions=clerk.permissions - {P_JUMINHYO_CODE})
    with pytest.raises(PermissionDeniedError):
        issue(platform, without, atena_no=family.atena_nos[0], include_juminhyo_code=True)
    [denied] = [e for e in audit_entries(platform, mayor, ISSUE) if e.outcome == "denied"]
    assert json.loads(denied.detail)["missing_permission"] == P_JUMINHYO_CODE
    assert has(pages(issue(platform, clerk, atena_no=family.atena_nos[0], include_juminhyo_code=True).pdf)[0],
               "住民票コード")


@pytest.mark.parametrize("option", ["include_my_number", "include_juminhyo_code"])
def test_a_third_party_never_gets_the_my_number_or_the_juminhyo_code(platform, mayor, supervisor, option):
    family = household(platform, supervisor, members=2)
    with pytest.raises(ValidationError) as caught:
        issue(platform, supervisor, atena_no=family.atena_nos[0], requester_type="third_party",
              purpose="債権回収のため", **{option: True})
    assert caught.value.code == "REGISTRY_CERTIFICATE_NOT_FOR_THIRD_PARTY"
    assert list(caught.value.fields) == [option]
