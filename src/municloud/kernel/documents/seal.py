"""The electronic official seal (電子公印) drawn for each tenant — never a scanned image.

A square red seal with the seal's legend in traditional layout: read top-to-bottom in
columns from right to left (e.g. 長井市長之印 → 長井 / 市長 / 之印).  Drawn as SVG so it
prints sharply at any size and differs per tenant by its text alone.
"""

from __future__ import annotations

from html import escape
from math import ceil

from municloud.kernel.documents.pdf import FONT_FAMILY

RED = "#c8102e"


def seal_legend(mayor_title: str) -> str:
    """The legend of the seal: the title followed by 之印 (長井市長 → 長井市長之印)."""
    title = mayor_title.strip() or "市町村長"
    return title if title.endswith("之印") else f"{title}之印"


def official_seal_svg(mayor_title: str, *, size_mm: float = 21.0) -> str:
    legend = seal_legend(mayor_title)
    columns = 3 if len(legend) > 4 else 2
    per_column = ceil(len(legend) / columns)
    cells = [legend[i : i + per_column] for i in range(0, len(legend), per_column)]
    columns = len(cells)
    inner = 100 - 2 * 9
    col_w = inner / columns
    char_h = inner / per_column
    font = min(col_w, char_h) * 0.92
    texts = []
    for c, column in enumerate(cells):
        x = 100 - 9 - col_w * (c + 0.5)  # right-most column first
        for r, ch in enumerate(column):
            y = 9 + char_h * (r + 0.5)
            texts.append(
                f'<text x="{x:.2f}" y="{y:.2f}" font-size="{font:.2f}" text-anchor="middle" '
                f'dominant-baseline="central">{escape(ch)}</text>'
            )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="{size_mm}mm" '
        f'height="{size_mm}mm" role="img" aria-label="{escape(legend)}">'
        f'<rect x="3" y="3" width="94" height="94" rx="3" fill="none" stroke="{RED}" stroke-width="5"/>'
        # thick strokes by outlining the glyphs, not font-weight="bold": a synthesised bold is
        # a second font that WeasyPrint subsets and embeds again (~60-100 ms per PDF with
        # the 46 MB IPAmj明朝)
        f'<g fill="{RED}" stroke="{RED}" stroke-width="1.6" font-family=\'{FONT_FAMILY}\'>'
        f'{"".join(texts)}</g></svg>'
    )
