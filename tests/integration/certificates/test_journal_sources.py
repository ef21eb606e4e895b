"""The 交付日計表 counts every fee the window took: the registry's certificates and the
印鑑登録証明書 the seals module issued (its fee source, ``kernel.fees``) — the grand total is
the till, on the screen, in the API and in the 本日の交付's takings, one tenant only."""

from __future__ import annotations

import json
from datetime import date

import pytest

from municloud.kernel.clock import today_jst
from municloud.kernel.parameters.services import set_override
from municloud.modules.registry.certificates.history import journal, list_day
from tests.factories import audit_entries, context, family, move_in, person
from tests.integration.certificates.helpers import issue
from tests.integration.seals.support import certificate, register

SEAL = "seals:certificate"
HIROSHIMA = "広島県広島市中区国泰寺町一丁目6番34号"


def seal_certificate(platform, tenant: str, copies: int, address: str = "山形県長井市本町一丁目1番1号") -> None:
    """A resident of *tenant* registers a seal and is issued a 印鑑登録証明書 (*copies* 通)."""
    clerk = context(platform, tenant, "registry_clerk")
    atena_no = move_in(platform, clerk, [person("印影　太郎", "インエイ　タロウ", "1980-04-01", "1", "世帯主")],
                       address=address).atena_nos[0]
    seal = register(platform, clerk, atena_no)
    certificate(platform, clerk, atena_no, seal.card_no, copies=copies)


@pytest.fixture
def the_day(platform, mayor, hiroshima):
    """長井市: 2 registry certificates (2通 600円, 1通 免除) and 1 印鑑登録証明書 (2通 × 200円
    by the tenant's fee); 広島市 the same day: a registry certificate and a seal certificate."""
    admin = context(platform, mayor, "tenant_admin")
    set_override(platform.uow(mayor), admin, "seals.certificate.fee", date(2020, 4, 1), 200, "手数料条例の改正")
    clerk = context(platform, mayor, "registry_clerk")
    home = family(platform, clerk)
    issue(platform, clerk, atena_no=home.atena_nos[0], copies=2)
    issue(platform, clerk, atena_no=home.atena_nos[1], copies=1, fee_exemption="pension")
    seal_certificate(platform, mayor, copies=2)

    other_admin = context(platform, hiroshima, "tenant_admin")
    for key, value in (("tenant.mayor.title", "広島市長"), ("tenant.mayor.name", "広島　一郎")):
        set_override(platform.uow(hiroshima), other_admin, key, date(2000, 4, 1), value, "市長の職名・氏名")
    other = context(platform, hiroshima, "registry_clerk")
    issue(platform, other, atena_no=move_in(platform, other, address=HIROSHIMA).atena_nos[0], copies=5)
    seal_certificate(platform, hiroshima, copies=3, address=HIROSHIMA)
    return mayor


def _lines(j) -> dict:
    return {x.kind: (x.title, x.count, x.copies, x.charged_copies, x.fee, x.exempt_copies) for x in j.lines}


def test_the_journal_counts_the_seal_certificates_and_its_total_is_the_till(platform, the_day):
    supervisor = context(platform, the_day, "registry_supervisor")
    j = journal(platform.uow(the_day), supervisor, today_jst())
    assert _lines(j) == {"juminhyo": ("住民票の写し", 2, 3, 2, 600, 1),
                         SEAL: ("印鑑登録証明書", 1, 2, 2, 400, 0)}
    assert [x.kind for x in j.lines] == ["juminhyo", SEAL]  # the registry's first, in registration order
    assert (j.count, j.copies, j.fee) == (3, 5, 1000) == (
        sum(x.count for x in j.lines), sum(x.copies for x in j.lines), sum(x.fee for x in j.lines))
    assert [(e.reason, e.count, e.copies, e.waived) for e in j.exemptions] == [("pension", 1, 1, 300)]
    assert (j.exempt_count, j.exempt_copies, j.waived, j.receipts) == (1, 1, 300, 0)  # no 免除 for seals
    [entry] = audit_entries(platform, the_day, "registry:certificate:journal")
    assert json.loads(entry.subjects) == [] and json.loads(entry.detail)["fee"] == 1000  # aggregates, no one named

    day = list_day(platform.uow(the_day), context(platform, the_day, "registry_clerk"), today_jst())
    assert [v.fee for v in day.issuances] == [600, 0]  # the registry's own rows …
    assert [(o.kind, o.count, o.copies, o.fee) for o in day.other_fees] == [(SEAL, 1, 2, 400)]
    assert day.takings == 1000 == j.fee  # … and the till's total

    other = journal(platform.uow("341002"), context(platform, "341002", "registry_supervisor"), today_jst())
    assert {k: v[1:5] for k, v in _lines(other).items()} == {"juminhyo": (1, 5, 5, 1500), SEAL: (1, 3, 3, 900)}
    assert journal(platform.uow(the_day), supervisor, date(2001, 1, 1)).lines == []


def test_the_api_serves_the_same_journal_and_takings(api, platform, the_day):
    base = f"/api/v1/t/{the_day}/certificates"
    served = api.client.get(f"{base}/journal", headers=api.login_as(the_day, "registry_supervisor")).json()
    supervisor = context(platform, the_day, "registry_supervisor")
    assert served == journal(platform.uow(the_day), supervisor, today_jst()).model_dump(mode="json")
    assert [(x["kind"], x["copies"], x["fee"]) for x in served["lines"]] == [("juminhyo", 3, 600), (SEAL, 2, 400)]
    assert served["fee"] == 1000
    day = api.client.get(base, headers=api.login_as(the_day, "registry_clerk")).json()
    assert day["takings"] == 1000 and [(o["title"], o["fee"]) for o in day["other_fees"]] == [("印鑑登録証明書", 400)]

