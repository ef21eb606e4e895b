"""HTML → PDF with WeasyPrint and IPAmj明朝 (the MJ font: it draws Moji_Joho IVS right).

Templates must declare ``<html lang="ja">`` and use :data:`FONT_FAMILY` explicitly
(DESIGN.md): with another font an IVS silently falls back to its base glyph.
"""

from __future__ import annotations

import re
import zlib

FONT_FAMILY = '"IPAmjMincho", "IPAmj明朝", serif'

_PAGES = re.compile(rb"/Type\s*/Page(?!s)")
# WeasyPrint (pydyf) packs the page objects into compressed object streams (PDF 1.5):
# their dictionaries are only visible after inflating each /ObjStm stream.
_OBJECT_STREAM = re.compile(rb"<<((?:(?!>>).)*?/Type\s*/ObjStm(?:(?!>>).)*?)>>\s*stream\r?\n", re.S)
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render *html* (a complete document) to PDF bytes."""
    from weasyprint import HTML  # imported lazily: heavy, and only needed when printing
    from weasyprint.text.fonts import FontConfiguration

    return HTML(string=html, base_url=base_url).write_pdf(font_config=FontConfiguration())


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF we rendered (one /Type /Page per page, in the file itself or
    inside its compressed object streams)."""
    count = len(_PAGES.findall(pdf))
    for match in _OBJECT_STREAM.finditer(pdf):
        length = _LENGTH.search(match.group(1))
        if length is None:
            continue
        start = match.end()
        try:
            count += len(_PAGES.findall(zlib.decompress(pdf[start:start + int(length.group(1))])))
        except zlib.error:
            continue
    return count or 1


def minimal_page(text: str = "住民票") -> str:
    """A minimal page with the certificate font (the benchmark's floor)."""
    return (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>'
        f"body{{font-family:{FONT_FAMILY}}}</style></head><body><p>{text}</p></body></html>"
    )


__all__ = ["FONT_FAMILY", "minimal_page", "page_count", "render_pdf"]
