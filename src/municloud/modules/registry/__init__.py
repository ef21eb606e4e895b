"""住民記録 (resident registry): households, residents, notifications (異動), 支援措置.

Registers its permissions, audit actions and roles with :func:`register`, its
parameters through :data:`PARAMETERS_DIR` and the certificates' fees for the 交付日計表
with :func:`register_fee_sources` (``kernel.fees``); the web app includes ``registry.web.router``
(found by module name, see ``web/app.py``).  Other modules may import only
``registry.events`` (announcements) and ``registry.api`` (a small read interface).
"""

from __future__ import annotations

from pathlib import Path

from municloud.kernel.catalog import Catalog
from municloud.kernel.fees import FeeSources

PARAMETERS_DIR = Path(__file__).parent / "parameters"


def register(catalog: Catalog) -> None:
    from municloud.modules.registry.catalog import register as register_catalog

    register_catalog(catalog)


def register_fee_sources(sources: FeeSources) -> None:
    from municloud.modules.registry.certificates.history import SOURCE, certificate_fees

    sources.register(SOURCE, certificate_fees)


def import_models() -> None:
    import municloud.modules.registry.certificates.orm  # noqa: F401
    import municloud.modules.registry.orm  # noqa: F401
    import municloud.modules.registry.towns.orm  # noqa: F401
