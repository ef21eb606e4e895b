"""Each kind and form of certificate renders as a person would read it (text via pdftotext)."""

from __future__ import annotations

import pytest

from municloud.errors import ValidationError
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import today_jst
from tests.factories import days_ago, register
from tests.integration.certificates.conftest import MAYOR_NAME, MAYOR_TITLE
from tests.integration.certificates.helpers import (
    CERTIFIED,
    CERTIFIED_ITEMS,
    CERTIFIED_REMOVED,
    has,
    household,
    issue,
    pages,
)


def test_a_household_copy_prints_every_member_the_issue_number_and_the_certification(platform, mayor, clerk):
    family = household(platform, clerk, members=3)
    cert = issue(platform, clerk, setai_no=family.setai_nos[0])

    [page] = pages(cert.pdf)
    assert cert.pdf.startswith(b"%PDF") and cert.pages == 1 and cert.title == "住民票の写し"
    for name in ("山田　太郎", "ヤマダ　タロウ", "山田　花子", "山田　一郎"):
        assert has(page, name)
    for text in ("住民票の写し", "世帯連記式", "長井市", cert.issue_no, CERTIFIED, format_wareki(today_jst()),
                 f"{MAYOR_TITLE}　{MAYOR_NAME}", "発行番号と確認コードで真正性を確認できます: http://", "1/1",
                 "山形県長井市本町一丁目1番1号", "昭和45年4月1日", "生年月日", "住民となった年月日",
                 "住所を定めた年月日", "届出", "前住所", "東京都千代田区千代田1番1号", "以下余白"):
        assert has(page, text), text


def test_an_individual_copy_puts_each_person_on_a_page_each_with_its_own_certification(
    platform, mayor, clerk
):
    family = household(platform, clerk, members=3)
    cert = issue(platform, clerk, setai_no=family.setai_nos[0], form="kojin")

    text = pages(cert.pdf)
    assert cert.pages == len(text) == 3
    names = ["山田　太郎", "山田　花子", "山田　一郎"]
    for n, page in enumerate(text):
        assert [has(page, name) for name in names] == [i == n for i in range(3)]
        assert has(page, f"{n + 1}/3") and has(page, cert.issue_no) and has(page, "個人票")
        assert has(page, CERTIFIED) and has(page, "以下余白")


def test_four_members_with_their_history_run_over_pages_numbered_n_of_total(platform, mayor, clerk):
    family = household(platform, clerk, members=5, moves=2)
    cert = issue(platform, clerk, setai_no=family.setai_nos[0], with_history=True)

    text = pages(cert.pdf)
    assert cert.pages == len(text) >= 2
    assert [has(page, f"{n}/{len(text)}") for n, page in enumerate(text, 1)] == [True] * len(text)
    assert [has(page, CERTIFIED) for page in text] == [False] * (len(text) - 1) + [True]
    everything = "".join(text)
    assert has(everything, "異動の履歴") and has(everything, "転入") and has(everything, "転居")
    assert has(everything, "山形県長井市栄町2番3号") and has(everything, "山形県長井市栄町3番4号メゾン長井101号室")


def test_without_history_no_history_is_printed(platform, mayor, clerk):
    family = household(platform, clerk, members=2, moves=1)
    [page] = pages(issue(platform, clerk, atena_no=family.atena_nos[0]).pdf)
    assert not has(page, "異動の履歴") and not has(page, "山形県長井市本町一丁目1番1号")
    assert has(page, "山形県長井市栄町2番3号") and not has(page, "山田　花子")


def test_chosen_members_only_are_printed_and_a_stranger_is_refused(platform, mayor, clerk):
    family = household(platform, clerk, members=3)
    other = household(platform, clerk, members=2)
    head, wife, child = family.atena_nos
    [page] = pages(issue(platform, clerk, atena_no=head, members=[child, head]).pdf)
    assert has(page, "山田　太郎") and has(page, "山田　一郎") and not has(page, "山田　花子")

    with pytest.raises(ValidationError) as caught:
        issue(platform, clerk, setai_no=family.setai_nos[0], members=[head, other.atena_nos[0]])
    assert caught.value.code == "REGISTRY_CERTIFICATE_MEMBER"


def test_a_removed_residents_copy_shows_the_reason_the_date_and_the_destination(platform, mayor, clerk):
    family = household(platform, clerk, members=2)
    register(platform, clerk, kind="tenshutsu", ido_date=days_ago(3), todoke_date=days_ago(5),
             atena_nos=family.atena_nos, destination="北海道札幌市中央区北1条西2丁目")
    cert = issue(platform, clerk, kind="joshu", atena_no=family.atena_nos[0], members=family.atena_nos)

    text = pages(cert.pdf)
    assert cert.title == "住民票の除票の写し" and len(text) == 2
    for page in text:
        assert has(page, "住民票の除票の写し") and has(page, "個人票")
        assert has(page, "消除事由転出") and has(page, f"消除日{format_wareki(today_jst().fromisoformat(days_ago(3)))}")
        assert has(page, "北海道札幌市中央区北1条西2丁目（予定）")
    assert [has(page, CERTIFIED_REMOVED) for page in text] == [True, True]
    assert not has(text[1], CERTIFIED)


def test_the_removed_copy_is_only_for_removed_records_and_only_individual(platform, mayor, clerk):
    family = household(platform, clerk, members=2)
    with pytest.raises(ValidationError) as caught:
        issue(platform, clerk, kind="joshu", atena_no=family.atena_nos[0])
    assert caught.value.code == "REGISTRY_CERTIFICATE_NOT_REMOVED"
    with pytest.raises(ValidationError) as caught:
        issue(platform, clerk, kind="joshu", form="setai", atena_no=family.atena_nos[0])
    assert caught.value.code == "REGISTRY_CERTIFICATE_FORM"
    register(platform, clerk, kind="shibou", ido_date=days_ago(1), todoke_date=days_ago(0), atena_no=family.atena_nos[1])
    with pytest.raises(ValidationError) as caught:
        issue(platform, clerk, atena_no=family.atena_nos[1])
    assert caught.value.code == "REGISTRY_CERTIFICATE_REMOVED"
    [page] = pages(issue(platform, clerk, kind="joshu", atena_no=family.atena_nos[1]).pdf)
    assert has(page, "消除事由死亡")


def test_a_certificate_of_recorded_items_prints_the_name_and_only_the_items_asked_for(platform, mayor, clerk):
    family = household(platform, clerk, members=2)
    cert = issue(platform, clerk, kind="kisai_jiko", atena_no=family.atena_nos[0], items=["address"])

    [page] = pages(cert.pdf)
    assert cert.title == "住民票記載事項証明書" and has(page, "住民票記載事項証明書")
    assert has(page, "山田　太郎") and has(page, "山形県長井市本町一丁目1番1号") and has(page, CERTIFIED_ITEMS)
    for absent in ("生年月日", "昭和45年4月1日", "性別", "住民となった年月日", "前住所", "東京都千代田区", CERTIFIED):
        assert not has(page, absent), absent

    [page] = pages(issue(platform, clerk, kind="kisai_jiko", atena_no=family.atena_nos[0],
                         items=["birth_date", "sex"]).pdf)
    assert has(page, "生年月日昭和45年4月1日") and has(page, "性別男") and not has(page, "山形県長井市本町")


def test_a_certificate_of_recorded_items_needs_items_and_only_it_takes_them(platform, mayor, clerk):
    family = household(platform, clerk, members=2)
    for kind, items, code in (("kisai_jiko", None, "REGISTRY_CERTIFICATE_ITEMS_REQUIRED"),
                              ("kisai_jiko", [], "REGISTRY_CERTIFICATE_ITEMS_REQUIRED"),
                              ("juminhyo", ["address"], "REGISTRY_CERTIFICATE_ITEMS")):
        with pytest.raises(ValidationError) as caught:
            issue(platform, clerk, kind=kind, atena_no=family.atena_nos[0], items=items)
        assert caught.value.code == code


def test_the_signature_is_the_mayor_in_force_on_the_issue_date(platform, mayor, clerk):
    from datetime import timedelta

    from municloud.kernel.parameters.services import set_override
    from tests.factories import context

    admin = context(platform, mayor, "tenant_admin")
    set_override(platform.uow(mayor), admin, "tenant.mayor.name", today_jst() + timedelta(days=1), "次期　市長", "就任")
    family = household(platform, clerk, members=2)
    [page] = pages(issue(platform, clerk, atena_no=family.atena_nos[0]).pdf)
    assert has(page, f"{MAYOR_TITLE}　{MAYOR_NAME}") and not has(page, "次期")
