from __future__ import annotations

import pytest

from municloud.bootstrap import create_platform
from municloud.config import Settings


@pytest.fixture(scope="session")
def tax_platform(tmp_path_factory):
    """A platform for its parameter definitions only (no table is touched)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('tax') / 'unused.db'}"
    platform = create_platform(Settings(database_url=url, mode="test", secret_key="x" * 40).validate())
    yield platform
    platform.dispose()
