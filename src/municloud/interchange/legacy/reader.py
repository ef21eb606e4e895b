"""Readers of a legacy system's files: fixed-width records and CSV, both CP932.

Fixed-width widths are in BYTES (a full-width character takes 2), as old systems wrote
them; each field is cut from the record's bytes and decoded on its own, so a field never
swallows half of its neighbour.  Padding (half- and full-width spaces) is removed on the
right.  Characters of the user-defined area (0xF040–0xF9FC) decode to U+E000–U+E757 and
are kept as they are: the mapping decides what they become.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from municloud.interchange.legacy.mapping import Mapping

PADDING = " \u3000"


@dataclass(frozen=True)
class Record:
    """One record: its line (from 1) and byte offset in the file, and its raw field values."""

    file: str
    line: int
    offset: int
    values: dict[str, str]
    error: str | None = None  # the record itself could not be cut (wrong length, bad bytes)


def read_fixed(path: Path, mapping: Mapping) -> Iterator[Record]:
    """Records of a fixed-width CP932 file (one record per line, CRLF or LF)."""
    data = Path(path).read_bytes()
    offset = 0
    for line_no, raw in enumerate(data.splitlines(keepends=True), start=1):
        body = raw.rstrip(b"\r\n")
        start = offset
        offset += len(raw)
        if not body.strip():
            continue
        if len(body) != mapping.record_length:
            yield Record(path.name, line_no, start, {},
                         f"レコード長が {len(body)} バイトです（対応表では {mapping.record_length} バイト）")
            continue
        values: dict[str, str] = {}
        try:
            for field in mapping.layout:
                chunk = body[field.start : field.start + field.length]
                values[field.name] = chunk.decode("cp932").rstrip(PADDING)
        except UnicodeDecodeError as exc:
            yield Record(path.name, line_no, start, values, f"CP932 として読めないバイトがあります（{exc.reason}）")
            continue
        yield Record(path.name, line_no, start, values)


def read_csv(path: Path) -> Iterator[Record]:
    """Rows of a CP932 CSV file with a header line (line numbers count the header as 1)."""
    text = Path(path).read_bytes().decode("cp932")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    for row in reader:
        yield Record(path.name, reader.line_num, -1, {k: (v or "").strip(PADDING) for k, v in row.items()})
