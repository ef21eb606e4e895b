from __future__ import annotations

import pytest

from tests.factories import context
from tests.integration.tax.support import TENANT, setup_tenant


@pytest.fixture
def tenant(platform):
    return setup_tenant(platform)


@pytest.fixture
def registrar(platform, tenant):
    return context(platform, tenant, "registry_clerk")


@pytest.fixture
def officer(platform, tenant):
    return context(platform, tenant, "tax_officer")


@pytest.fixture
def supervisor(platform, tenant):
    return context(platform, tenant, "tax_supervisor")


__all__ = ["TENANT"]
