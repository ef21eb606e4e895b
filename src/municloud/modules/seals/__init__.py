"""印鑑登録 (seal registration): registering an impression, 亡失・廃止, re-registration,
the 印鑑登録証明書, and the 職権抹消 of a registration when its resident moves out or dies.

Registers its permissions and audit actions with :func:`register`, its parameters through
:data:`PARAMETERS_DIR`, the 印鑑登録証明書 fees for the registry's 交付日計表 with
:func:`register_fee_sources` (``kernel.fees``, aggregates only), and its reaction to the registry's ``ResidentsChanged`` with
:func:`subscribe` (called by ``bootstrap.create_platform``).  From the registry it imports
only ``registry.events`` and ``registry.api`` (a test enforces it).
"""

from __future__ import annotations

from pathlib import Path

from municloud.kernel.catalog import Catalog
from municloud.kernel.events import EventBus
from municloud.kernel.fees import FeeSources

PARAMETERS_DIR = Path(__file__).parent / "parameters"


def register(catalog: Catalog) -> None:
    from municloud.modules.seals.catalog import register as register_catalog

    register_catalog(catalog)


def register_fee_sources(sources: FeeSources) -> None:
    from municloud.modules.seals.services.certificates import certificate_fees

    sources.register("seals", certificate_fees)


def import_models() -> None:
    import municloud.modules.seals.orm  # noqa: F401


def subscribe(events: EventBus) -> None:
    """React to the registry's changes in the same transaction (職権抹消 on 転出・死亡 …)."""
    from municloud.modules.registry.events import ResidentsChanged
    from municloud.modules.seals.services.reactions import end_on_removal

    events.subscribe(ResidentsChanged, end_on_removal)
