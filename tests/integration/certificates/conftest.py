"""Certificate test fixtures: the mayor set in the tenant's parameters, an API client."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from municloud.kernel.parameters.services import set_override
from municloud.web.app import create_app
from tests.factories import context
from tests.integration.api.helpers import Api

MAYOR_TITLE = "長井市長"
MAYOR_NAME = "長井　正義"


@pytest.fixture
def mayor(platform, nagai):
    """長井市 with its mayor's title and name set (from 2000-04-01, as every tenant must)."""
    admin = context(platform, nagai, "tenant_admin")
    for key, value in (("tenant.mayor.title", MAYOR_TITLE), ("tenant.mayor.name", MAYOR_NAME)):
        set_override(platform.uow(nagai), admin, key, date(2000, 4, 1), value, "市長の職名・氏名")
    return nagai


@pytest.fixture
def client(platform, mayor):
    with TestClient(create_app(platform=platform)) as test_client:
        yield test_client


@pytest.fixture
def api(client, platform) -> Api:
    return Api(client, platform)
