"""住民記録 (resident registry): households, residents, notifications (異動), 支援措置.

Registers itself with :func:`register`; web routes and CLI commands are attached by the
web app and CLI root through :data:`api_router` and :data:`cli_app` (imported lazily).
"""

from __future__ import annotations

from pathlib import Path

from municloud.kernel.catalog import Catalog

PARAMETERS_DIR = Path(__file__).parent / "parameters"


def register(catalog: Catalog) -> None:
    from municloud.modules.registry.catalog import register as register_catalog

    register_catalog(catalog)


def import_models() -> None:
    import municloud.modules.registry.orm  # noqa: F401
