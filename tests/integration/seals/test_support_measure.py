"""印鑑登録証明書 and 支援措置: the certificate prints the 住所, so for a protected person only
本人 (identity checked) gets it — a 代理人 holding the card and a 委任状 is refused, as for a
住民票の写し (``registry/protection.py``, 住民基本台帳事務処理要領 第5-10).  Before, the seal
module never consulted 支援措置."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from municloud.errors import PermissionDeniedError
from municloud.kernel.parameters.services import set_override
from municloud.modules.registry.services.support import start_support_measure
from municloud.modules.seals.orm import SealCertificateIssue
from tests.factories import audit_entries, context, days_ago, support_measure
from tests.integration.seals.support import certificate, register, resident
from tests.unit.seals.impressions import png


@pytest.fixture
def owner(platform, nagai, clerk):
    admin = context(platform, nagai, "tenant_admin")
    for key, value in (("tenant.mayor.title", "長井市長"), ("tenant.mayor.name", "内谷　重治")):
        set_override(platform.uow(nagai), admin, key, date(2020, 4, 1), value, "市長の就任")
    atena_no = resident(platform, clerk, "保護　花子", "ホゴ　ハナコ", "1985-02-03", "2")
    return atena_no, register(platform, clerk, atena_no, "15", png(240))


def _protect(platform, nagai, atena_no):
    supervisor = context(platform, nagai, "registry_supervisor")
    data = support_measure(start_on=days_ago(0))
    start_support_measure(platform.uow(nagai), supervisor, atena_no, data)


def _issued(platform) -> int:
    with platform.session_factory() as s:
        return s.scalar(select(func.count()).select_from(SealCertificateIssue))


def test_an_agent_with_the_card_is_refused_for_a_protected_person(platform, nagai, clerk, owner):
    atena_no, seal = owner
    _protect(platform, nagai, atena_no)
    with pytest.raises(PermissionDeniedError) as caught:
        certificate(platform, clerk, atena_no, seal.card_no, requester="代理人", identity_checked=True)
    assert caught.value.code == "REGISTRY_SUPPORT_MEASURE_ACTIVE" and "代理人" in caught.value.message
    assert atena_no not in caught.value.message
    assert _issued(platform) == 0
    [denied] = audit_entries(platform, nagai, "seals:certificate:issue")
    detail = json.loads(denied.detail)
    assert (denied.outcome, detail["reason"], detail["rule"]) == ("denied", "support_measure", "agent")


def test_the_protected_person_gets_it_once_their_identity_is_checked(platform, nagai, clerk, owner):
    atena_no, seal = owner
    _protect(platform, nagai, atena_no)
    with pytest.raises(PermissionDeniedError) as caught:
        certificate(platform, clerk, atena_no, seal.card_no, requester="本人")
    assert "本人確認書類" in caught.value.message
    issued = certificate(platform, clerk, atena_no, seal.card_no, requester="本人", identity_checked=True)
    assert issued.pdf.startswith(b"%PDF") and _issued(platform) == 1


def test_without_a_measure_an_agent_with_the_card_is_served_as_before(platform, nagai, clerk, owner):
    atena_no, seal = owner
    issued = certificate(platform, clerk, atena_no, seal.card_no, requester="代理人")
    assert issued.pdf.startswith(b"%PDF")
