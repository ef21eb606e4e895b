"""The README and docs/ name only files a clone has: no link out of the repository (the
README pointed at ../shared/, which only the developers' machine holds), and every
document they name exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NAMED = re.compile(r"`((?:docs|src|tests|bench|scripts)/[^`\s*{}…]+)`|\]\(([^)\s#]+)\)")


def named_paths(text: str) -> list[str]:
    return [a or b for a, b in NAMED.findall(text) if not (a or b).startswith(("http://", "https://"))]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_a_document_names_nothing_outside_the_repository(document):
    text = document.read_text(encoding="utf-8")
    assert "../" not in " ".join(re.findall(r"`[^`]*`|\]\([^)]*\)", text)), "a path out of the repository"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_file_a_document_names_exists(document):
    missing = [p for p in named_paths(document.read_text(encoding="utf-8"))
               if not (ROOT / p).exists() and not (document.parent / p).exists()]
    assert missing == []


def test_the_check_reads_both_forms_of_naming_a_file():
    assert named_paths("see `docs/tax.md` and [the layout](docs/standard-layout.md), not https://x.jp") == [
        "docs/tax.md", "docs/standard-layout.md"]
