"""The 印鑑登録証明書 as HTML (rendered to PDF by ``kernel.documents``).

IPAmj明朝 through ``FONT_FAMILY`` and ``<html lang="ja">`` (names keep their IVS glyphs);
the impression is embedded as a ``data:`` URI with its real MIME type and printed at its
real size in millimetres; one page per copy, all carrying the same 発行番号 and QR code.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import to_jst
from municloud.kernel.documents.pdf import FONT_FAMILY
from municloud.kernel.documents.seal import official_seal_svg
from municloud.kernel.documents.services import Stamp
from municloud.modules.registry.api import PersonCard
from municloud.modules.seals.domain import print_size_mm

TEMPLATES = Path(__file__).parent / "templates"


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))


@dataclass(frozen=True)
class CertificateContent:
    person: PersonCard
    image: bytes
    image_mime: str
    image_width: int  # pixels
    image_height: int
    size_tenth_mm: int  # 印影の一辺
    copies: int
    mayor_title: str
    mayor_name: str


def issue_date(stamp: Stamp) -> date:
    """The issue date in Japan (the stamp's time is UTC)."""
    return to_jst(stamp.issued_at).date()


def certificate_html(content: CertificateContent, stamp: Stamp) -> str:
    width_mm, height_mm = print_size_mm(content.size_tenth_mm, content.image_width, content.image_height)
    image_uri = f"data:{content.image_mime};base64,{base64.b64encode(content.image).decode('ascii')}"
    return _environment().get_template("certificate.html").render(
        font_family=FONT_FAMILY,
        person=content.person,
        birth_date=format_wareki(content.person.birth_date),
        image_uri=image_uri,
        image_width_mm=width_mm,
        image_height_mm=height_mm,
        copies=content.copies,
        issued_on=format_wareki(issue_date(stamp)),
        mayor_title=content.mayor_title,
        mayor_name=content.mayor_name,
        seal_svg=official_seal_svg(content.mayor_title),
        issue_no=stamp.issue_no,
        verify_code=stamp.verify_code,
        verify_url=stamp.verify_url,
        qr_svg=stamp.qr_svg,
    )
