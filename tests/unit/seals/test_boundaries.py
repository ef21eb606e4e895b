"""The modules built on the registry (印鑑登録, 個人住民税) use only its public surface:
``registry.events`` and ``registry.api``."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import municloud.modules.seals as seals
import municloud.modules.tax as tax

REGISTRY = "municloud.modules.registry"
ALLOWED = {f"{REGISTRY}.events", f"{REGISTRY}.api"}
PACKAGES = {"seals": Path(seals.__file__).parent, "tax": Path(tax.__file__).parent}


def imported_modules(source: str, package: str) -> set[str]:
    """Every module a source file imports, in any form (``import a.b``, ``from a import b``,
    relative imports resolved against *package*); ``from a import b`` yields ``a`` and ``a.b``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def registry_imports(source: str, package: str = "municloud.modules.seals") -> set[str]:
    """The registry modules imported, except names imported *from* an allowed module."""
    modules = {m for m in imported_modules(source, package) if m == REGISTRY or m.startswith(REGISTRY + ".")}
    return {m for m in modules if not any(m.startswith(a + ".") for a in ALLOWED)}


def _package_of(path: Path, name: str) -> str:
    relative = path.relative_to(PACKAGES[name]).with_suffix("")
    parts = ["municloud", "modules", name, *relative.parts]
    return ".".join(parts if path.name == "__init__.py" else parts[:-1]).removesuffix(".__init__")


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_the_package_imports_nothing_of_the_registry_but_its_events_and_api(name):
    offending = {}
    package = PACKAGES[name]
    for path in sorted(package.rglob("*.py")):
        bad = registry_imports(path.read_text(encoding="utf-8"), _package_of(path, name)) - ALLOWED
        if bad:
            offending[str(path.relative_to(package))] = sorted(bad)
    assert offending == {}


@pytest.mark.parametrize("name", sorted(PACKAGES))
def test_the_package_names_no_other_registry_module_in_its_text_either(name):
    package = PACKAGES[name]
    mentions = [
        f"{path.relative_to(package)}: {line.strip()}"
        for path in sorted(package.rglob("*"))
        if path.suffix in (".py", ".html", ".yaml")
        for line in path.read_text(encoding="utf-8").splitlines()
        if REGISTRY in line and not any(allowed in line for allowed in ALLOWED)
    ]
    assert mentions == []


def test_the_import_check_catches_every_form_of_importing_registry_internals():
    assert registry_imports("from municloud.modules.registry.services.queries import get_resident") == {
        f"{REGISTRY}.services.queries", f"{REGISTRY}.services.queries.get_resident"}
    assert registry_imports("import municloud.modules.registry.orm as o") == {f"{REGISTRY}.orm"}
    assert registry_imports("from municloud.modules import registry") == {REGISTRY}
    assert registry_imports("from ..registry import repository") == {REGISTRY, f"{REGISTRY}.repository"}
    assert registry_imports("from ...registry.domain import SEX", "municloud.modules.seals.services") == {
        f"{REGISTRY}.domain", f"{REGISTRY}.domain.SEX"}
    assert registry_imports("from municloud.modules.registry.events import ResidentsChanged") == {f"{REGISTRY}.events"}
    assert registry_imports("from municloud.modules.registry.api import person_for_document") == {f"{REGISTRY}.api"}
