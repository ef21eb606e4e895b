"""Every registered permission, audit action, role and parameter is documented, with the
registered Japanese description, and the docs name nothing that is not registered."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from municloud.bootstrap import create_platform
from municloud.config import Settings
from municloud.kernel.audit.chain import REASONS

DOCS = Path(__file__).resolve().parents[3] / "docs"
TICKED = re.compile(r"`([^`]+)`")


def rows_of(doc: str) -> dict[str, list[str]]:
    """Table rows of *doc* keyed by the backticked name in their first cell."""
    rows = {}
    for line in (DOCS / doc).read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        name = TICKED.fullmatch(cells[0])
        if name:
            rows[name.group(1)] = cells
    return rows


@pytest.fixture(scope="module")
def platform_catalog():
    platform = create_platform(Settings(database_url="sqlite://", mode="test", secret_key="test-secret-key-for-the-catalog-test"))
    yield platform
    platform.dispose()


@pytest.fixture(scope="module")
def catalog(platform_catalog):
    return platform_catalog.catalog


def test_every_permission_is_documented_with_its_description(catalog):
    rows = rows_of("permissions.md")
    missing = [
        name for name, p in catalog.permissions.items()
        if name not in rows or p.description not in rows[name]
    ]
    assert missing == [], "document these in docs/permissions.md (name in backticks + registered description)"


def test_the_documented_roles_of_each_permission_are_the_roles_that_hold_it(catalog):
    rows = rows_of("permissions.md")
    wrong = {}
    for name in catalog.permissions:
        holders = {r for r, role in catalog.roles.items() if name in role.permissions}
        documented = set(TICKED.findall(rows.get(name, [""])[-1]))
        if documented != holders:
            wrong[name] = sorted(holders)
    assert wrong == {}


def test_every_role_is_documented_with_its_description(catalog):
    rows = rows_of("permissions.md")
    missing = [name for name, r in catalog.roles.items() if name not in rows or r.description not in rows[name]]
    assert missing == []


def test_every_audit_action_is_documented_with_its_description(catalog):
    rows = rows_of("audit-actions.md")
    missing = [
        name for name, a in catalog.audit_actions.items()
        if name not in rows or a.description not in rows[name]
    ]
    assert missing == [], "document these in docs/audit-actions.md (name in backticks + registered description)"


def test_the_docs_name_no_permission_role_or_action_that_is_not_registered(catalog):
    known = set(catalog.permissions) | set(catalog.roles)
    stale = [n for n in rows_of("permissions.md") if n not in known]
    stale += [n for n in rows_of("audit-actions.md") if n not in catalog.audit_actions and n not in REASONS]
    for cells in rows_of("audit-actions.md").values():
        stale += [p for p in TICKED.findall(cells[-1]) if p not in catalog.permissions]
    assert stale == []


def test_every_chain_problem_reason_code_is_documented():
    rows = rows_of("audit-actions.md")
    assert [code for code in REASONS if code not in rows] == []


def test_every_parameter_is_documented_with_description_unit_reference_and_dated_defaults(platform_catalog):
    rows = rows_of("parameters.md")
    wrong = []
    for key, d in platform_catalog.parameters.definitions.items.items():
        row = " | ".join(rows.get(key, []))
        dated = [f"{day.isoformat()}: {json.dumps(value, ensure_ascii=False)}" for day, value in zip(d.dates, d.values, strict=True)]
        if not row or not all(text in row for text in (d.description, d.unit, d.reference, *dated)):
            wrong.append(key)
    assert wrong == [], "document these in docs/parameters.md as they are in the YAML"


def test_the_parameter_docs_name_no_key_that_is_not_defined(platform_catalog):
    defined = platform_catalog.parameters.definitions.items
    assert [key for key in rows_of("parameters.md") if key not in defined] == []


def test_the_documentation_check_finds_rows_at_all():
    assert len(rows_of("permissions.md")) > 5 and len(rows_of("audit-actions.md")) > 10
