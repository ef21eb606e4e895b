"""Search results a clerk can work with: pages with the total (「n件中 a〜b件」), the columns
宛名番号・氏名・フリガナ・生年月日・年齢・性別・住所・世帯主・状態, and why a row matched."""

from __future__ import annotations

import json
import re

import pytest

from tests.factories import audit_entries, resident
from tests.integration.screens.helpers import text_of
from tests.search_city import common_name_city

COLUMNS = ["宛名番号", "氏名", "フリガナ", "生年月日", "年齢", "性別", "住所", "世帯主", "状態", "一致した項目", "支援措置"]


@pytest.fixture
def city(platform, clerk):
    return common_name_city(platform, clerk)


@pytest.fixture
def b(signed_in, nagai):
    return signed_in(nagai, "registry_clerk")


def _rows(html: str) -> list[str]:
    """宛名番号 of each result row, in order."""
    return re.findall(r'<td class="number">(\d+)</td>\s*<td><a href="/t/\d+/residents/\1"', html)


def test_the_first_page_says_how_many_match_and_which_rows_it_shows(b, nagai, city):
    page = b.get(f"/t/{nagai}/residents", params={"q": "たかはし"})
    assert page.status_code == 200
    text = text_of(page.text)
    assert "56件中 1〜50件を表示（1／2ページ）" in text
    assert len(_rows(page.text)) == 50
    assert re.findall(r'<th scope="col">([^<]+)</th>', page.text) == COLUMNS
    assert 'aria-current="page">1<' in page.text and 'rel="next"' in page.text
    assert 'href="?q=%E3%81%9F%E3%81%8B%E3%81%AF%E3%81%97&amp;page=2"' in page.text


def test_the_second_page_shows_the_rest_and_the_pages_cover_everyone_once(b, nagai, city):
    first = _rows(b.get(f"/t/{nagai}/residents", params={"q": "たかはし"}).text)
    page = b.get(f"/t/{nagai}/residents", params={"q": "たかはし", "page": "2"})
    assert "56件中 51〜56件を表示（2／2ページ）" in text_of(page.text)
    second = _rows(page.text)
    assert len(second) == 6 and 'rel="prev"' in page.text and 'rel="next"' not in page.text
    assert sorted(first + second) == sorted([*city.takahashi, city.kyu_uji])


def test_a_match_through_the_former_surname_is_marked_as_such(b, nagai, city):
    page = b.get(f"/t/{nagai}/residents", params={"q": "タカハシ"}).text
    row = re.search(rf"<tr>\s*<td class=\"number\">{city.kyu_uji}</td>.*?</tr>", page, re.S).group(0)
    assert "佐藤　花子" in row and "旧氏で一致（高橋）" in text_of(row)
    ordinary = re.search(rf"<tr>\s*<td class=\"number\">{city.takahashi[1]}</td>.*?</tr>", page, re.S).group(0)
    assert "旧氏で一致" not in ordinary and "フリガナ" in text_of(ordinary)


def test_each_row_shows_the_age_and_the_head_of_household(b, nagai, city, clerk):
    page = b.get(f"/t/{nagai}/residents", params={"q": "タカハシ"}).text
    child = re.search(rf"<tr>\s*<td class=\"number\">{city.takahashi[1]}</td>.*?</tr>", page, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", child, re.S)
    assert cells[1].endswith("高橋　次郎</a>") and cells[4].endswith("歳") and cells[7] == "高橋　太郎"
    head = re.search(rf"<tr>\s*<td class=\"number\">{city.takahashi[0]}</td>.*?</tr>", page, re.S).group(0)
    assert re.findall(r"<td[^>]*>(.*?)</td>", head, re.S)[7] == "本人"


def test_a_page_past_the_end_goes_to_the_last_page(b, nagai, city):
    """Not an empty page under a non-zero total (a stale link, a typed number): the last page."""
    response = b.get(f"/t/{nagai}/residents", params={"q": "タカハシ", "page": "9"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/t/{nagai}/residents?q=%E3%82%BF%E3%82%AB%E3%83%8F%E3%82%B7&page=2"
    page = b.get(response.headers["location"])
    assert "56件中 51〜56件を表示（2／2ページ）" in text_of(page.text) and len(_rows(page.text)) == 6


def test_a_nonsense_page_number_shows_the_first_page(b, nagai, city):
    page = b.get(f"/t/{nagai}/residents", params={"q": "タカハシ", "page": "abc"})
    assert "56件中 1〜50件" in text_of(page.text)


def test_few_results_need_no_page_navigation(b, nagai, city):
    page = b.get(f"/t/{nagai}/residents", params={"q": "サトウ"})
    assert "1件中 1〜1件を表示" in text_of(page.text) and 'class="pager"' not in page.text


def test_the_audit_entry_records_the_total_and_the_page(b, platform, nagai, city):
    b.get(f"/t/{nagai}/residents", params={"q": "タカハシ", "page": "2"})
    entry = audit_entries(platform, nagai, "registry:resident:search")[-1]
    assert '"total": 56' in entry.detail and '"offset": 50' in entry.detail and '"hits": 6' in entry.detail


def test_the_audit_entry_names_the_heads_whose_names_are_shown(b, platform, nagai, city, clerk):
    """A row shows its 世帯主's 氏名: that 世帯主 is a subject of the search's audit entry even
    when not among the rows found."""
    child, head = city.takahashi[1], city.takahashi[0]
    page = b.get(f"/t/{nagai}/residents", params={"kana": resident(platform, clerk, child).shimei_kana}).text
    assert _rows(page) == [child] and "高橋　太郎" in page
    entry = audit_entries(platform, nagai, "registry:resident:search")[-1]
    assert json.loads(entry.subjects) == [f"resident:{child}", f"resident:{head}"]
