"""The search API pages too: ``limit`` / ``offset``, the total in ``X-Total-Count``, the next
page in ``Link``; the body stays the list of rows it always was, each with ``matched_by``."""

from __future__ import annotations

from tests.search_city import common_name_city


def test_the_api_gives_the_total_and_the_next_page(api, platform, nagai, clerk):
    city = common_name_city(platform, clerk)
    headers = api.login_as(nagai, "registry_clerk")
    first = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "タカハシ"}, headers=headers)
    assert first.status_code == 200
    assert isinstance(first.json(), list) and len(first.json()) == 50
    assert first.headers["X-Total-Count"] == "56"
    assert 'offset=50' in first.headers["Link"] and first.headers["Link"].endswith('rel="next"')
    rest = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "タカハシ", "offset": 50}, headers=headers)
    assert rest.headers["X-Total-Count"] == "56" and len(rest.json()) == 6 and "Link" not in rest.headers
    everyone = [r["atena_no"] for r in first.json() + rest.json()]
    assert sorted(everyone) == sorted([*city.takahashi, city.kyu_uji])


def test_each_row_says_why_it_matched_and_gives_age_and_head(api, platform, nagai, clerk):
    city = common_name_city(platform, clerk, count=3)
    headers = api.login_as(nagai, "registry_clerk")
    rows = api.client.get(f"/api/v1/t/{nagai}/residents", params={"kana": "タカハシ"}, headers=headers).json()
    by_atena = {r["atena_no"]: r for r in rows}
    assert by_atena[city.kyu_uji]["matched_by"] == ["kyu_uji"] and by_atena[city.kyu_uji]["matched_alt"] == "高橋"
    assert by_atena[city.takahashi[1]]["matched_by"] == ["kana"]
    assert by_atena[city.takahashi[1]]["head_shimei"] == "高橋　太郎"
    assert isinstance(by_atena[city.takahashi[1]]["age"], int)
    both = api.client.get(f"/api/v1/t/{nagai}/residents", params={"name": "高橋", "birth_date": "2001-02-03"},
                          headers=headers).json()
    assert [r["matched_by"] for r in both] == [["name", "birth_date"]] * 2


def test_an_offset_past_the_end_gives_no_rows_and_the_total(api, platform, nagai, clerk):
    common_name_city(platform, clerk, count=3)
    headers = api.login_as(nagai, "registry_clerk")
    past = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "タカハシ", "offset": 500}, headers=headers)
    assert past.status_code == 200 and past.json() == [] and past.headers["X-Total-Count"] == "4"


def test_an_offset_deeper_than_the_search_pages_is_refused(api, nagai):
    headers = api.login_as(nagai, "registry_clerk")
    deep = api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "タカハシ", "offset": 100_001}, headers=headers)
    assert deep.status_code == 422 and deep.json()["code"]
