"""CP932 (Windows-31J) output for systems that still need it — never silently lossy.

``encode_cp932(text)`` returns the bytes and the list of characters CP932 cannot carry
(IVS selectors, 𠮷, characters outside JIS X 0208 + NEC/IBM extensions …): each one is
written as 〓 (U+3013, 0x81AC) **and** listed, so a person can review it.

Traps handled as Windows (WideCharToMultiByte for code page 932) does — these Unicode
characters are the JIS-mapping forms of characters CP932 *has*, so they are written as
their CP932 forms and are not problems:

    U+301C 〜 WAVE DASH            → 0x8160 (U+FF5E ～)
    U+2016 ‖ DOUBLE VERTICAL LINE  → 0x8161 (U+2225 ∥)
    U+2212 − MINUS SIGN            → 0x817C (U+FF0D －)
    U+2014 — EM DASH               → 0x815C (U+2015 ―)
    U+00A2 ¢  U+00A3 £  U+00AC ¬    → 0x8191 0x8192 0x81CA (U+FFE0 U+FFE1 U+FFE2)

U+FF0D － itself is already the CP932 form of 0x817C and encodes directly.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

GETA = "\u3013"  # 〓
WINDOWS_FORMS = {
    "\u301c": "\uff5e", "\u2016": "\u2225", "\u2212": "\uff0d", "\u2014": "\u2015",
    "\u00a2": "\uffe0", "\u00a3": "\uffe1", "\u00ac": "\uffe2",
}
_TRANSLATE = str.maketrans(WINDOWS_FORMS)


@dataclass(frozen=True)
class Problem:
    """One character CP932 cannot carry, at *index* (in characters) of the input text."""

    index: int
    char: str

    @property
    def code_point(self) -> str:
        return f"U+{ord(self.char):04X}"


def encode_cp932(text: str) -> tuple[bytes, list[Problem]]:
    """*text* as CP932 bytes (unrepresentable characters → 〓) and the list of those characters."""
    mapped = text.translate(_TRANSLATE)
    try:
        return mapped.encode("cp932"), []
    except UnicodeEncodeError:
        pass
    out = bytearray()
    problems: list[Problem] = []
    for i, ch in enumerate(mapped):
        try:
            out += ch.encode("cp932")
        except UnicodeEncodeError:
            problems.append(Problem(i, text[i]))
            out += GETA.encode("cp932")
    return bytes(out), problems


@dataclass
class ConversionReport:
    files: int = 0
    rows: int = 0
    problems: int = 0
    report_path: Path | None = None


REPORT_NAME = "cp932-report.csv"
REPORT_HEADER = ("file", "row", "column", "character", "code_point")


def convert_directory(source: Path, target: Path) -> ConversionReport:
    """Convert every ``*.csv`` (UTF-8) of *source* to CP932 in *target*; write cp932-report.csv.

    Rows are counted from 1 for the header line; columns are the header names.
    """
    target.mkdir(parents=True, exist_ok=True)
    report = ConversionReport(report_path=target / REPORT_NAME)
    found: list[tuple] = []
    for path in sorted(source.glob("*.csv")):
        if path.name == REPORT_NAME:
            continue
        report.files += 1
        with path.open(encoding="utf-8-sig", newline="") as src, (target / path.name).open("wb") as dst:
            rows = csv.reader(src)
            header: list[str] = []
            for row_no, row in enumerate(rows, start=1):
                if row_no == 1:
                    header = row
                else:
                    report.rows += 1
                cells = []
                for col, value in enumerate(row):
                    encoded, problems = encode_cp932(value)
                    cells.append(encoded)
                    name = header[col] if col < len(header) else str(col + 1)
                    found.extend((path.name, row_no, name, p.char, p.code_point) for p in problems)
                dst.write(_csv_line(cells))
    report.problems = len(found)
    with report.report_path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(REPORT_HEADER)
        writer.writerows(found)
    return report


def _csv_line(cells: list[bytes]) -> bytes:
    """One CSV line of already-encoded cells (CP932 never has b'"' or b',' as a trail byte)."""
    quoted = []
    for cell in cells:
        if any(c in cell for c in (b",", b'"', b"\n", b"\r")):
            cell = b'"' + cell.replace(b'"', b'""') + b'"'
        quoted.append(cell)
    return b",".join(quoted) + b"\r\n"
