"""住民記録 (resident registry): households, residents, notifications (異動), 支援措置.

Registers its permissions, audit actions and roles with :func:`register` and its
parameters through :data:`PARAMETERS_DIR`; the web app includes ``registry.web.router``
(found by module name, see ``web/app.py``).  Other modules may import only
``registry.events`` (announcements) and ``registry.api`` (a small read interface).
"""

from __future__ import annotations

from pathlib import Path

from municloud.kernel.catalog import Catalog

PARAMETERS_DIR = Path(__file__).parent / "parameters"


def register(catalog: Catalog) -> None:
    from municloud.modules.registry.catalog import register as register_catalog

    register_catalog(catalog)


def import_models() -> None:
    import municloud.modules.registry.certificates.orm  # noqa: F401
    import municloud.modules.registry.orm  # noqa: F401
    import municloud.modules.registry.towns.orm  # noqa: F401
