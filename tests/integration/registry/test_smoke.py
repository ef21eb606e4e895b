from municloud.kernel.audit.services import verify_chains
from municloud.modules.registry.services.queries import (
    SearchQuery,
    get_history,
    get_household,
    get_resident,
    search_residents,
)
from tests.factories import days_ago, family, register


def test_a_family_moves_in_and_is_found_by_name_and_kana(platform, clerk):
    result = family(platform, clerk)
    assert len(result.atena_nos) == 3
    found = search_residents(platform.uow(clerk.tenant_code), clerk, SearchQuery(q="山田")).rows
    assert {r.atena_no for r in found} == set(result.atena_nos)
    found = search_residents(platform.uow(clerk.tenant_code), clerk, SearchQuery(q="やまだ はなこ")).rows
    assert [r.shimei for r in found] == ["山田　花子"]
    household = get_household(platform.uow(clerk.tenant_code), clerk, result.setai_nos[0])
    assert household.head_atena_no == result.atena_nos[0]
    detail = get_resident(platform.uow(clerk.tenant_code), clerk, result.atena_nos[0])
    assert detail.my_number is None and detail.my_number_masked
    register(platform, clerk, kind="tenkyo", ido_date=days_ago(3), todoke_date=days_ago(2),
             atena_nos=result.atena_nos, address={"address": "山形県長井市栄町2番3号"})
    history = get_history(platform.uow(clerk.tenant_code), clerk, result.atena_nos[1])
    assert [h.rireki_no for h in history] == [1, 2]
    assert history[-1].ido_jiyu == "転居"
    with platform.session_factory() as s:
        assert all(r.ok for r in verify_chains(s))
