"""The PDF says what the record says, item by item (text via pdftotext), each dated item with
the 異動 that wrote it (住民基本台帳法第7条第7号・第8号), closed by 以下余白, and every sheet
certified."""

from __future__ import annotations

import re

from municloud.jp.wareki import format_wareki
from tests.factories import days_ago, move_in, person, register, resident
from tests.integration.certificates.helpers import (
    CERTIFIED,
    CERTIFIED_REMOVED,
    has,
    household,
    issue,
    pages,
    squash,
)

HOME = "山形県長井市本町一丁目1番1号"
NEW_HOME = "山形県長井市栄町2番3号"
BEFORE = "東京都千代田区千代田1番1号"


def w(iso: str) -> str:
    from datetime import date

    return format_wareki(date.fromisoformat(iso))


def row(page: str, label: str) -> str:
    """The printed row that starts with *label* (with the lines its cells wrap onto), squashed."""
    lines = page.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"{label}\s", line))
    end = start + 1
    while end < len(lines) and lines[end].startswith(" ") and lines[end].strip():
        end += 1
    return squash("".join(lines[start:end]))


def printed_as_recorded(page: str, record, *, removed: bool = False) -> None:
    """Every basic item of *record* is printed beside its label."""
    expected = [("生年月日", format_wareki(record.birth_date)), ("性別", {"1": "男", "2": "女"}.get(record.sex, record.sex)),
                ("住民となった年月日", format_wareki(record.became_resident_on)), ("住所", record.address),
                ("住所を定めた年月日", format_wareki(record.address_fixed_on)), ("前住所", record.previous_address)]
    if removed:
        expected += [("消除事由", record.removal_reason), ("消除日", format_wareki(record.removed_on))]
    for label, value in expected:
        assert has(page, label + value), (label, value)


def ends_with_blank_then_certification(page: str, last_item: str, statement: str) -> None:
    """以下余白 after the last entry, then the 認証文."""
    text = squash(page)
    assert text.index(squash(last_item)) < text.index("以下余白") < text.index(statement), text


def test_a_removed_record_dates_the_previous_address_by_the_move_in_not_by_the_death(platform, mayor, clerk):
    arrived, notified = "2016-04-01", "2016-04-08"
    moved, moved_notified = "2019-09-10", "2019-09-12"
    died, death_notified = days_ago(3), days_ago(1)
    [atena] = register(platform, clerk, kind="tennyu", ido_date=arrived, todoke_date=notified, previous_address=BEFORE,
                       address={"address": HOME}, persons=[person()]).atena_nos
    register(platform, clerk, kind="tenkyo", ido_date=moved, todoke_date=moved_notified, atena_nos=[atena],
             address={"address": NEW_HOME})
    register(platform, clerk, kind="shibou", ido_date=died, todoke_date=death_notified, atena_no=atena)

    [page] = pages(issue(platform, clerk, kind="joshu", atena_no=atena).pdf)
    printed_as_recorded(page, resident(platform, clerk, atena), removed=True)
    assert row(page, "前住所") == squash(f"前住所{BEFORE}{w(arrived)}転入{w(notified)}届出")
    assert row(page, "住所を定めた年月日") == squash(f"住所を定めた年月日{w(moved)}転居{w(moved_notified)}届出")
    assert row(page, "消除日") == squash(f"消除日{w(died)}死亡{w(death_notified)}届出")
    assert w(death_notified) not in row(page, "前住所") and not has(page, "届出年月日")
    ends_with_blank_then_certification(page, f"消除日{w(died)}死亡{w(death_notified)}届出", CERTIFIED_REMOVED)


def test_an_individual_copy_with_head_and_relationship_prints_the_heads_name(platform, mayor, clerk):
    family = household(platform, clerk, members=3)
    head, wife, child = family.atena_nos
    cert = issue(platform, clerk, setai_no=family.setai_nos[0], form="kojin", members=[wife, child],
                 include_head_and_relationship=True)

    text = pages(cert.pdf)
    assert len(text) == 2
    for page, atena, zokugara in zip(text, (wife, child), ("妻", "子"), strict=True):
        record = resident(platform, clerk, atena)
        printed_as_recorded(page, record)
        assert has(page, f"世帯主山田　太郎続柄{zokugara}")  # the 世帯主 is not on this certificate
        assert has(page, CERTIFIED)  # each person's sheet carries its own 認証文
        ends_with_blank_then_certification(page, f"前住所{record.previous_address}", CERTIFIED)


def test_a_removed_members_copy_names_the_head_of_the_household_they_left(platform, mayor, clerk):
    family = household(platform, clerk, members=2)
    register(platform, clerk, kind="shibou", ido_date=days_ago(2), todoke_date=days_ago(1), atena_no=family.atena_nos[1])
    [page] = pages(issue(platform, clerk, kind="joshu", atena_no=family.atena_nos[1],
                         include_head_and_relationship=True).pdf)
    assert has(page, "世帯主山田　太郎続柄妻")


def test_a_household_copy_names_the_head_even_when_only_others_are_asked_for(platform, mayor, clerk):
    family = household(platform, clerk, members=3)
    [page] = pages(issue(platform, clerk, setai_no=family.setai_nos[0], members=[family.atena_nos[1]],
                         include_head_and_relationship=True).pdf)
    assert has(page, "世帯主山田　太郎") and has(page, "続柄妻") and not has(page, "山田　一郎")


def test_no_empty_honseki_or_hittosha_row_is_printed(platform, mayor, clerk):
    foreigner = person("SMITH JOHN", "スミス　ジョン", "1990-02-03", "1", "世帯主", resident_kind="外国人",
                       nationality="アメリカ合衆国", zairyu_shikaku="永住者", zairyu_card_no="AB12345678CD")
    [abroad] = register(platform, clerk, kind="tennyu", from_abroad=True, ido_date=days_ago(7),
                        todoke_date=days_ago(7), previous_address="アメリカ合衆国",
                        address={"address": HOME}, persons=[foreigner]).atena_nos
    [unknown] = move_in(platform, clerk, [person("川口　次郎", "カワグチ　ジロウ")]).atena_nos
    [no_head] = move_in(platform, clerk, [person("森　三郎", "モリ　サブロウ", honseki="山形県長井市本町1番地")]).atena_nos

    for atena in (abroad, unknown):
        [page] = pages(issue(platform, clerk, atena_no=atena, include_honseki=True).pdf)
        assert not has(page, "本籍") and not has(page, "筆頭者"), atena
    [page] = pages(issue(platform, clerk, atena_no=abroad).pdf)
    assert has(page, "国籍・地域アメリカ合衆国") and has(page, "在留資格永住者")
    [page] = pages(issue(platform, clerk, atena_no=no_head, include_honseki=True).pdf)
    assert has(page, "本籍山形県長井市本町1番地") and not has(page, "筆頭者")


def test_a_certificate_of_recorded_items_dates_only_when_the_notification_date_is_asked_for(platform, mayor, clerk):
    [atena] = move_in(platform, clerk, days=200).atena_nos
    came = resident(platform, clerk, atena)
    register(platform, clerk, kind="tenkyo", ido_date=days_ago(20), todoke_date=days_ago(18), atena_nos=[atena],
             address={"address": NEW_HOME})

    def certified(*items):
        [page] = pages(issue(platform, clerk, kind="kisai_jiko", atena_no=atena, items=list(items)).pdf)
        return page

    page = certified("previous_address")
    assert row(page, "前住所") == squash(f"前住所{BEFORE}")
    page = certified("previous_address", "todoke_date")
    assert row(page, "前住所") == squash(f"前住所{BEFORE}{w(days_ago(200))}転入{w(days_ago(199))}届出")
    assert format_wareki(came.address_fixed_on) == w(days_ago(200))
    page = certified("address_fixed_on", "todoke_date")
    assert row(page, "住所を定めた年月日") == squash(f"住所を定めた年月日{w(days_ago(20))}転居{w(days_ago(18))}届出")
    page = certified("todoke_date")  # 第8号: the 転入's 届出年月日 (the 従前の住所 was recorded with it)
    assert row(page, "届出年月日") == squash(f"届出年月日{w(days_ago(199))}転入")


def test_a_correction_of_the_katagaki_keeps_the_move_and_its_notification_date(platform, mayor, clerk):
    """A 職権修正 that only adds a 方書 rewrites the 住所 but did not move anyone: the
    住所を定めた年月日 stays dated by the 転居 and its 届出年月日 (法第7条第7号); one that
    corrects the date itself is what dates it then."""
    moved, moved_notified = days_ago(30), days_ago(28)
    [atena] = move_in(platform, clerk, days=200).atena_nos
    register(platform, clerk, kind="tenkyo", ido_date=moved, todoke_date=moved_notified, atena_nos=[atena],
             address={"address": NEW_HOME})
    register(platform, clerk, kind="shokken_shusei", ido_date=days_ago(2), atena_no=atena,
             changes={"katagaki": "栄荘101号"}, note="方書の記載漏れ")
    [page] = pages(issue(platform, clerk, atena_no=atena).pdf)
    assert has(page, f"住所{NEW_HOME}栄荘101号")
    assert row(page, "住所を定めた年月日") == squash(f"住所を定めた年月日{w(moved)}転居{w(moved_notified)}届出")
    assert "職権修正" not in row(page, "住所を定めた年月日")

    fixed = days_ago(31)
    register(platform, clerk, kind="shokken_shusei", ido_date=days_ago(1), atena_no=atena,
             changes={"address_fixed_on": fixed}, note="住所を定めた年月日の誤り")
    [page] = pages(issue(platform, clerk, atena_no=atena).pdf)
    assert row(page, "住所を定めた年月日") == squash(f"住所を定めた年月日{w(fixed)}職権修正")
