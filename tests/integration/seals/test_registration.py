"""Registering a seal: who may register, which impressions, one in force per person, 亡失・廃止."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from municloud.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from municloud.modules.seals.orm import SealRegistration
from tests.factories import audit_entries, context, days_ago
from tests.factories import register as notify
from tests.integration.seals.support import end, register, resident, seals_of
from tests.unit.seals.impressions import gif, jpeg, noisy_png

TODAY = "municloud.modules.seals.services.registrations.today_jst"


def test_a_resident_registers_a_seal_and_gets_an_eight_digit_card_number(platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    result = register(platform, clerk, atena_no, "15")
    assert (result.status, result.size_mm, result.image_mime) == ("登録", "15", "image/png")
    assert result.card_no == "00000001" and result.registration_no == 1
    shown = seals_of(platform, clerk, atena_no)
    assert shown.active.registration_no == 1 and shown.active.card_no_masked == "******01" and shown.past == []
    [entry] = audit_entries(platform, nagai, "seals:registration:register")
    assert entry.subjects == f'["resident:{atena_no}", "seal_registration:1"]' and entry.outcome == "success"


def test_the_image_is_stored_with_its_hash_and_real_type(platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    data = jpeg()
    result = register(platform, clerk, atena_no, "12.5", data)
    with platform.session_factory() as s:
        row = s.get(SealRegistration, (nagai, result.registration_no))
        assert (row.image, row.image_mime, row.size_tenth_mm, row.image_width) == (data, "image/jpeg", 125, 240)
        assert row.image_sha256 == result.image_sha256 and len(row.image_sha256) == 64


def test_a_person_who_turns_fifteen_by_the_legal_rule_today_may_register(platform, nagai, clerk, monkeypatch):
    atena_no = resident(platform, clerk, birth="2011-04-01")
    monkeypatch.setattr(TODAY, lambda: date(2026, 3, 31))  # the day before the 15th birthday
    assert register(platform, clerk, atena_no).registered_on == date(2026, 3, 31)


def test_a_person_one_day_short_of_fifteen_is_refused(platform, nagai, clerk, monkeypatch):
    atena_no = resident(platform, clerk, birth="2011-04-01")
    monkeypatch.setattr(TODAY, lambda: date(2026, 3, 30))
    with pytest.raises(ValidationError) as caught:
        register(platform, clerk, atena_no)
    assert caught.value.code == "SEALS_UNDER_AGE"
    assert _rows(platform) == 0


def test_the_minimum_age_is_a_tenant_parameter(platform, nagai, clerk, monkeypatch):
    from municloud.kernel.parameters.services import set_override

    atena_no = resident(platform, clerk, birth="2011-04-01")
    admin = context(platform, nagai, "tenant_admin")
    set_override(platform.uow(nagai), admin, "seals.registration.min_age", date(2020, 4, 1), 18, "印鑑条例で18歳以上")
    monkeypatch.setattr(TODAY, lambda: date(2026, 3, 31))
    with pytest.raises(ValidationError, match="18歳未満"):
        register(platform, clerk, atena_no)


def test_a_removed_resident_cannot_register(platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    notify(platform, clerk, kind="shibou", ido_date=days_ago(0), atena_no=atena_no)
    with pytest.raises(ValidationError) as caught:
        register(platform, clerk, atena_no)
    assert caught.value.code == "SEALS_NOT_RESIDENT" and "死亡" in caught.value.message


def test_an_unknown_person_is_not_found(platform, nagai, clerk):
    with pytest.raises(NotFoundError):
        register(platform, clerk, "9999999999")


@pytest.mark.parametrize(("size", "code"), [("8", "SEALS_IMPRESSION_TOO_SMALL"), ("25.1", "SEALS_IMPRESSION_TOO_LARGE"),
                                            ("大きい", "SEALS_SIZE_INVALID")])
def test_an_impression_outside_the_accepted_size_is_refused(platform, nagai, clerk, size, code):
    atena_no = resident(platform, clerk)
    with pytest.raises(ValidationError) as caught:
        register(platform, clerk, atena_no, size)
    assert caught.value.code == code and "size_mm" in caught.value.fields


@pytest.mark.parametrize("size", ["8.1", "25"])
def test_an_impression_at_the_edges_of_the_accepted_size_is_registered(platform, nagai, clerk, size):
    assert register(platform, clerk, resident(platform, clerk), size).status == "登録"


@pytest.mark.parametrize(("data", "code"), [(gif(), "SEALS_IMAGE_TYPE"), (b"just text\n", "SEALS_IMAGE_TYPE"),
                                            (noisy_png(640), "SEALS_IMAGE_TOO_LARGE")])
def test_a_gif_a_text_file_or_a_file_over_one_megabyte_is_refused(platform, nagai, clerk, data, code):
    assert len(noisy_png(640)) > 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        register(platform, clerk, resident(platform, clerk), image=data)
    assert caught.value.code == code and _rows(platform) == 0


def test_re_registration_ends_the_old_registration_and_issues_a_new_card(platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    first = register(platform, clerk, atena_no)
    second = register(platform, clerk, atena_no, "18", jpeg())
    assert second.replaced_registration_no == first.registration_no and second.card_no != first.card_no
    shown = seals_of(platform, clerk, atena_no)
    assert shown.active.registration_no == second.registration_no
    [old] = shown.past
    assert (old.status, old.end_reason, old.replaced_by) == ("廃止", "再登録による廃止", second.registration_no)
    assert [e.detail for e in audit_entries(platform, nagai, "seals:registration:end")][0].count("reregistration") == 1


def test_only_one_registration_is_in_force_per_person_even_in_the_database(platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    register(platform, clerk, atena_no)
    register(platform, clerk, atena_no)
    with platform.session_factory() as s:
        active = s.scalar(select(func.count()).select_from(SealRegistration).where(SealRegistration.status == "登録"))
        assert active == 1
    from municloud.kernel.db import UnitOfWork

    uow = UnitOfWork(platform, nagai)
    with pytest.raises(ConflictError), uow:  # the unique constraint maps to a conflict
        row = uow.session.scalars(select(SealRegistration).where(SealRegistration.status == "登録")).one()
        uow.session.add(SealRegistration(**{c.name: getattr(row, c.name) for c in SealRegistration.__table__.c}
                                         | {"registration_no": 99, "card_no": "99999999", "version": 1}))
        uow.session.flush()


@pytest.mark.parametrize(("reason", "status"), [("lost", "亡失"), ("withdrawn", "廃止")])
def test_a_registration_ends_when_the_card_is_lost_or_it_is_withdrawn(platform, nagai, clerk, reason, status):
    atena_no = resident(platform, clerk)
    result = register(platform, clerk, atena_no)
    ended = end(platform, clerk, result.registration_no, reason)
    assert (ended.status, ended.ended_on is not None) == (status, True)
    shown = seals_of(platform, clerk, atena_no)
    assert shown.active is None and shown.past[0].status == status
    with pytest.raises(ConflictError):
        end(platform, clerk, result.registration_no, "withdrawn")
    assert register(platform, clerk, atena_no).status == "登録"  # a new registration after it


def test_a_viewer_may_look_but_not_register_and_the_refusal_is_audited(platform, nagai, clerk):
    atena_no = resident(platform, clerk)
    viewer = context(platform, nagai, "registry_viewer")
    with pytest.raises(PermissionDeniedError):
        register(platform, viewer, atena_no)
    [denied] = audit_entries(platform, nagai, "seals:registration:register")
    assert (denied.outcome, denied.actor) == ("denied", viewer.actor)
    result = register(platform, clerk, atena_no)
    with pytest.raises(PermissionDeniedError):
        end(platform, viewer, result.registration_no, "lost")
    assert seals_of(platform, viewer, atena_no).active.status == "登録"
    assert audit_entries(platform, nagai, "seals:registration:view")[-1].actor == viewer.actor


def test_another_tenants_registration_is_invisible(platform, nagai, hiroshima, clerk):
    result = register(platform, clerk, resident(platform, clerk))
    other = context(platform, hiroshima, "registry_clerk")
    with pytest.raises(NotFoundError):
        end(platform, other, result.registration_no, "lost")


def _rows(platform) -> int:
    with platform.session_factory() as s:
        return s.scalar(select(func.count()).select_from(SealRegistration))
