"""The layout covers every tenant-owned table and column, and its document is up to date."""

from __future__ import annotations

from pathlib import Path

from municloud.interchange.importer import tenant_tables
from municloud.interchange.layout import DERIVED, EXCLUDED, HEADERS, entities, render_markdown
from municloud.kernel.db import Base

DOC = Path(__file__).resolve().parents[3] / "docs" / "standard-layout.md"


def test_every_tenant_owned_table_and_column_is_in_the_layout_or_excluded_with_a_reason():
    laid_out = {(e.table, c.name) for e in entities() for c in e.columns}
    tables = {t.name for t in tenant_tables()} | {"users"}
    missing = [
        (t, c.name) for t in sorted(tables - set(DERIVED)) for c in Base.metadata.tables[t].columns
        if (t, c.name) not in laid_out and (t, c.name) not in EXCLUDED and ("*", c.name) not in EXCLUDED
    ]
    assert missing == [], "add these columns to interchange/layout.py (HEADERS) or to EXCLUDED with a reason"
    assert tables - set(DERIVED) == {e.table for e in entities()}


def test_every_column_has_a_japanese_header_unique_in_its_file():
    for entity in entities():
        assert all(c.name in HEADERS[entity.table] for c in entity.columns), entity.file
        assert len(set(entity.headers)) == len(entity.headers), entity.file


def test_the_document_is_generated_from_the_layout():
    assert DOC.read_text(encoding="utf-8") == render_markdown(), (
        "run: python -m municloud.interchange.layout > docs/standard-layout.md")
