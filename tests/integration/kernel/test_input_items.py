"""The kernel's services check their text items by the declared definitions (kernel.fields),
so that the screens and the CLI — which do not go through the API's shapes — refuse the same."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from municloud.errors import ValidationError
from municloud.kernel.identity.services import add_user
from municloud.kernel.parameters.orm import ParameterOverride
from municloud.kernel.parameters.services import set_override
from tests.factories import context


@pytest.mark.parametrize(("username", "display_name", "code", "field"), [
    ("u" * 65, None, "INPUT_TOO_LONG", "username"),  # PostgreSQL raised on String(64): a 500 before
    ("suzuki", "鈴木\u202e一郎", "INPUT_CONTROL_CHARACTER", "display_name"),
    ("suzuki", "鈴" * 101, "INPUT_TOO_LONG", "display_name"),
])
def test_a_user_with_a_bad_name_is_refused(platform, nagai, username, display_name, code, field):
    admin = context(platform, nagai, "tenant_admin")
    with pytest.raises(ValidationError) as caught:
        add_user(platform.uow(nagai), admin, username, "correct-horse-battery-9", ["registry_clerk"], display_name)
    assert caught.value.code == code and list(caught.value.fields) == [field]


@pytest.mark.parametrize(("day", "reason", "code"), [
    (date(2027, 4, 1), "条例改正" * 300, "INPUT_TOO_LONG"),
    (date(2027, 4, 1), "条例\x00改正", "INPUT_CONTROL_CHARACTER"),
    (date(1, 1, 1), "条例改正", "INPUT_DATE_OUT_OF_RANGE"),
])
def test_a_parameter_override_with_a_bad_reason_or_date_is_refused(platform, nagai, day, reason, code):
    admin = context(platform, nagai, "tenant_admin")
    with pytest.raises(ValidationError) as caught:
        set_override(platform.uow(nagai), admin, "registry.certificate.fee", day, 350, reason)
    assert caught.value.code == code
    with platform.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ParameterOverride)) == 0


def test_a_tenant_name_follows_the_name_policy(platform):
    from municloud.kernel.tenants.services import add_tenant
    from tests.factories import operator_context

    with pytest.raises(ValidationError) as caught:
        add_tenant(platform.uow(None), operator_context(platform), "062090", "長井市\u200b")
    assert caught.value.code == "INPUT_CONTROL_CHARACTER" and list(caught.value.fields) == ["name"]
