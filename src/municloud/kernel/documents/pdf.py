"""HTML → PDF with WeasyPrint and IPAmj明朝 (the MJ font: it draws Moji_Joho IVS right).

Templates must declare ``<html lang="ja">`` and use :data:`FONT_FAMILY` explicitly
(DESIGN.md): with another font an IVS silently falls back to its base glyph.
"""

from __future__ import annotations

import re

FONT_FAMILY = '"IPAmjMincho", "IPAmj明朝", serif'

_PAGES = re.compile(rb"/Type\s*/Page(?!s)")


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render *html* (a complete document) to PDF bytes."""
    from weasyprint import HTML  # imported lazily: heavy, and only needed when printing
    from weasyprint.text.fonts import FontConfiguration

    return HTML(string=html, base_url=base_url).write_pdf(font_config=FontConfiguration())


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF we rendered (WeasyPrint writes one /Type /Page per page)."""
    return len(_PAGES.findall(pdf)) or 1


def minimal_page(text: str = "住民票") -> str:
    """A minimal page with the certificate font (the benchmark's floor)."""
    return (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>'
        f"body{{font-family:{FONT_FAMILY}}}</style></head><body><p>{text}</p></body></html>"
    )


__all__ = ["FONT_FAMILY", "minimal_page", "page_count", "render_pdf"]
