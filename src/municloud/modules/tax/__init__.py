"""個人住民税 (individual resident tax): 課税資料, the whole-city assessment (賦課), 更正,
the 税額決定通知書 and the 試算 — with the law as dated parameters (``parameters/``).

From the registry it imports only ``registry.api`` (taxpayers on the 賦課期日, names and
addresses for the notices); a test enforces it.
"""

from __future__ import annotations

from pathlib import Path

from municloud.kernel.catalog import Catalog

PARAMETERS_DIR = Path(__file__).parent / "parameters"


def register(catalog: Catalog) -> None:
    from municloud.modules.tax.catalog import register as register_catalog

    register_catalog(catalog)


def import_models() -> None:
    import municloud.modules.tax.orm  # noqa: F401
