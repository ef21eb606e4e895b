"""Composition root: the one place that knows every installed business module."""

from __future__ import annotations

from municloud.config import Settings, load_settings, with_instance_secret
from municloud.kernel.platform import Platform, build_platform


def installed_modules() -> list:
    """Installed business modules, in registration order (a module may grant its
    permissions to roles an earlier one registered: registry before seals)."""
    from municloud.modules import registry, seals, tax

    return [registry, seals, tax]


def create_platform(settings: Settings | None = None) -> Platform:
    """The platform of *settings* (default: the environment's), with the installation's
    secret key read — or created on first start — when none is configured."""
    modules = installed_modules()
    platform = build_platform(with_instance_secret(settings or load_settings()), modules)
    for module in modules:
        # A module reacting to another's events subscribes here, so the publisher never
        # imports its subscribers (kernel.events).
        subscribe = getattr(module, "subscribe", None)
        if subscribe is not None:
            subscribe(platform.events)
    return platform


def import_all_models() -> None:
    """Import every ORM module so ``Base.metadata`` is complete (Alembic, tests)."""
    import municloud.interchange.legacy.orm  # noqa: F401
    import municloud.kernel.audit.orm  # noqa: F401
    import municloud.kernel.documents.orm  # noqa: F401
    import municloud.kernel.identity.orm  # noqa: F401
    import municloud.kernel.parameters.orm  # noqa: F401
    import municloud.kernel.sequences  # noqa: F401
    import municloud.kernel.tenants.orm  # noqa: F401

    for module in installed_modules():
        module.import_models()


def import_all_fields() -> dict:
    """Every declared input item (``kernel.fields``): the kernel's and each module's."""
    from municloud.kernel.fields import load_fields

    return load_fields(installed_modules())
