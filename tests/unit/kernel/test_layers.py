"""The layers of docs/architecture.md: ``kernel`` and ``jp`` import nothing above them
(no business module, no web, CLI, interchange or demo code)."""

from __future__ import annotations

from pathlib import Path

import pytest

import municloud
from tests.unit.seals.test_boundaries import imported_modules

ROOT = Path(municloud.__file__).parent
ABOVE = ("municloud.modules", "municloud.web", "municloud.cli", "municloud.interchange", "municloud.demo",
         "municloud.bootstrap")


def _package_of(path: Path) -> str:
    parts = ["municloud", *path.relative_to(ROOT).with_suffix("").parts]
    return ".".join(parts[:-1] if path.name != "__init__.py" else parts[:-1])


def upward(source: str, package: str) -> set[str]:
    found = imported_modules(source, package)
    return {m for m in found if any(m == a or m.startswith(a + ".") for a in ABOVE)}


def upward_imports(path: Path) -> set[str]:
    return upward(path.read_text(encoding="utf-8"), _package_of(path))


@pytest.mark.parametrize("layer", ["kernel", "jp"])
def test_the_lower_layers_import_nothing_from_the_layers_above(layer):
    offending = {str(p.relative_to(ROOT)): sorted(upward_imports(p))
                 for p in sorted((ROOT / layer).rglob("*.py")) if upward_imports(p)}
    assert offending == {}


def test_the_check_sees_every_form_of_an_upward_import():
    assert upward("from municloud.modules.registry import api", "municloud.kernel") == {
        "municloud.modules.registry", "municloud.modules.registry.api"}
    assert upward("import municloud.web.app", "municloud.jp") == {"municloud.web.app"}
    assert upward("from ...interchange import layout", "municloud.kernel.audit") == {
        "municloud.interchange", "municloud.interchange.layout"}
    assert upward("from municloud.kernel.db import Base\nfrom municloud.jp import kana", "municloud.kernel") == set()
