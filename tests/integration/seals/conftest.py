"""Seal API fixtures: a TestClient around the test platform, as in ``tests/integration/api``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from municloud.web.app import create_app
from tests.integration.api.helpers import Api


@pytest.fixture
def client(platform):
    with TestClient(create_app(platform=platform)) as test_client:
        yield test_client


@pytest.fixture
def api(client, platform) -> Api:
    return Api(client, platform)
