"""Screen test fixtures: the application around the test platform, and browsers."""

from __future__ import annotations

import pytest

from municloud.web.app import create_app
from tests.integration.screens.helpers import Browser, make_user


@pytest.fixture
def app(platform):
    return create_app(platform=platform)


@pytest.fixture
def browser(app, platform):
    """A factory of browsers (each its own cookies): ``browser()``."""
    made: list[Browser] = []

    def make() -> Browser:
        made.append(Browser(app, platform))
        return made[-1]

    yield make
    for b in made:
        b.client.close()


@pytest.fixture
def signed_in(browser, platform):
    """``signed_in(tenant, *roles)`` → a browser logged in (both factors) as a new user."""

    def make(tenant: str | None, *roles: str) -> Browser:
        b = browser()
        b.username = make_user(platform, tenant, *roles)
        b.landing = b.login(b.username)
        return b

    return make
