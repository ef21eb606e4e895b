"""The review report of a legacy migration: what was held back or rejected, and the counts.

``review.csv`` — one line per problem: file, line, byte offset, legacy 宛名番号 and 世帯番号,
field, what (the code point of a gaiji with its CP932 code, or the unmapped code, or the
validation message), candidates (for a gaiji: the vendor table's approximate character
and its MJ 縮退 candidates), and the outcome (held / rejected).
``counts.csv`` — per entity: read, loaded, already loaded, held, rejected (read is their sum).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

HELD = "held"  # 保留: the mapping lacks something; a later run picks the row up
REJECTED = "rejected"  # 不正: the data itself is wrong; fix it in the legacy system
REVIEW_HEADER = ("file", "line", "byte_offset", "legacy_atena_no", "legacy_setai_no", "field", "what",
                 "candidates", "outcome")
COUNT_HEADER = ("entity", "read", "loaded", "already_loaded", "held", "rejected")


@dataclass(frozen=True)
class Issue:
    file: str
    line: int
    offset: int
    atena_no: str
    setai_no: str
    field: str
    what: str
    candidates: str
    outcome: str = HELD


@dataclass
class Counts:
    read: int = 0
    loaded: int = 0
    already_loaded: int = 0
    held: int = 0
    rejected: int = 0

    @property
    def balanced(self) -> bool:
        return self.read == self.loaded + self.already_loaded + self.held + self.rejected


@dataclass
class MigrationReport:
    households: Counts = field(default_factory=Counts)
    residents: Counts = field(default_factory=Counts)
    issues: list[Issue] = field(default_factory=list)

    @property
    def balanced(self) -> bool:
        return self.households.balanced and self.residents.balanced

    def rows(self) -> list[tuple]:
        return [(name, c.read, c.loaded, c.already_loaded, c.held, c.rejected)
                for name, c in (("households", self.households), ("residents", self.residents))]

    def write(self, directory: Path) -> tuple[Path, Path]:
        directory.mkdir(parents=True, exist_ok=True)
        review, counts = directory / "review.csv", directory / "counts.csv"
        with review.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(REVIEW_HEADER)
            for i in self.issues:
                writer.writerow((i.file, i.line, i.offset, i.atena_no, i.setai_no, i.field, i.what, i.candidates,
                                 i.outcome))
        with counts.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(COUNT_HEADER)
            writer.writerows(self.rows())
        return review, counts
