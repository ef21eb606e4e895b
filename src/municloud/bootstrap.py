"""Composition root: the one place that knows every installed business module."""

from __future__ import annotations

from municloud.config import Settings, load_settings
from municloud.kernel.platform import Platform, build_platform


def installed_modules() -> list:
    from municloud.modules import registry

    return [registry]


def create_platform(settings: Settings | None = None) -> Platform:
    return build_platform(settings or load_settings(), installed_modules())


def import_all_models() -> None:
    """Import every ORM module so ``Base.metadata`` is complete (Alembic, tests)."""
    import municloud.kernel.audit.orm  # noqa: F401
    import municloud.kernel.documents.orm  # noqa: F401
    import municloud.kernel.identity.orm  # noqa: F401
    import municloud.kernel.parameters.orm  # noqa: F401
    import municloud.kernel.sequences  # noqa: F401
    import municloud.kernel.tenants.orm  # noqa: F401

    for module in installed_modules():
        module.import_models()
