"""What a certificate prints: records in, HTML out (pure; the service renders it to PDF).

Every optional item is decided here, in Python, so that "omitted unless asked for" is one
place to read and test: 世帯主・続柄, 本籍・筆頭者, 住民票コード and 個人番号 appear only when
the request asks (the service has already checked the permissions), and a 記載事項証明書
prints 氏名 plus the items asked for, nothing else.

Names are printed exactly as stored (IVS and rare characters kept, never normalised); the
templates set IPAmj明朝 (:data:`~municloud.kernel.documents.pdf.FONT_FAMILY`) on every
element and every page-margin box, so a Moji_Joho IVS gets its own glyph.

What holds (checked with WeasyPrint 70, poppler's pdftotext, IPAmj明朝 005.01): HarfBuzz
shapes 辻+U+E0102 through the font's cmap format 14 to glyph MJ025760 (plain 辻 draws
MJ025761), and WeasyPrint's ToUnicode map sends that glyph back to both code points, so
``pdftotext -enc UTF-8`` returns 辻 U+E0102 — likewise 葛+U+E0102, 𠮷 U+20BB7, 髙 U+9AD9.
The ideographic space between 氏 and 名 comes back as layout white space, not U+3000.
Only one font is embedded: the seal draws thick strokes, not a synthesised bold (a second
subset of the 46 MB font costs ~60–100 ms per PDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from municloud.errors import ValidationError
from municloud.jp.wareki import format_wareki
from municloud.kernel.documents.pdf import FONT_FAMILY
from municloud.kernel.documents.seal import official_seal_svg
from municloud.modules.registry.certificates.schemas import (
    FORMS,
    KISAI_ITEMS,
    TITLES,
    CertificateRequest,
)
from municloud.modules.registry.moves import TENSHUTSU_YOTEI

TEMPLATES = Path(__file__).parent / "templates"
SEX = {"1": "男", "2": "女"}
STATEMENTS = {
    "juminhyo": "この写しは、住民票の原本と相違ないことを証明する。",
    "joshu": "この写しは、住民票の除票の原本と相違ないことを証明する。",
    "kisai_jiko": "上記のとおり住民票に記載されていることを証明する。",
}
ADDRESS_CHANGES = ("転入", "国外からの転入", "転居")


@dataclass(frozen=True)
class Item:
    label: str
    value: str
    wide: bool = False  # takes a whole row (addresses)


@dataclass
class PersonBlock:
    shimei: str
    kana: str
    rows: list[list[Item]]
    history_columns: list[str] = field(default_factory=list)
    history: list[list[str]] | None = None  # None: history not asked for


@dataclass
class Sheet:
    """One 住民票: a household (世帯連記式) or one person (個人票)."""

    header: list[list[Item]]
    persons: list[PersonBlock]


@dataclass(frozen=True)
class Subject:
    """A person on the certificate: the current snapshot and the whole history (oldest first)."""

    current: Any  # a ResidentRecord (snapshot incl. 異動事由・異動日・届出日)
    history: list[Any]


@dataclass(frozen=True)
class Signature:
    municipality: str
    mayor_title: str
    mayor_name: str
    issued_on: date


def wareki(d: date | None) -> str:
    if d is None:
        return ""
    try:
        return format_wareki(d)
    except ValidationError:  # before 明治6年: the Gregorian date, unconverted
        return f"{d.year}年{d.month}月{d.day}日"


def with_katagaki(address: str | None, katagaki: str | None) -> str:
    return "　".join(x for x in (address, katagaki) if x)


def printed_history(subject: Subject) -> list[Any]:
    """The snapshots a certificate may show.  Before the 転出予定日 (the person is still a
    resident) what the 転出届 recorded is left out (標準仕様書 5.1: 転出予定年月日前に証明書を
    交付する場合は、転出届に基づき記録を行った事項を省略して印字する)."""
    if subject.current.status == "resident":
        return [r for r in subject.history if r.ido_jiyu != TENSHUTSU_YOTEI]
    return list(subject.history)


def notified_on(subject: Subject) -> date | None:
    """届出年月日: the notification date of the snapshot that set the current address."""
    shown = printed_history(subject)
    for record in reversed(shown):
        if record.ido_jiyu in ADDRESS_CHANGES and record.address == subject.current.address:
            return record.todoke_date
    return shown[-1].todoke_date if shown else subject.current.todoke_date


def _pairs(items: list[Item]) -> list[list[Item]]:
    """Two items per table row; a wide item (an address) takes its own row."""
    rows: list[list[Item]] = []
    for item in items:
        if item.wide or not rows or len(rows[-1]) == 2 or rows[-1][0].wide:
            rows.append([item])
        else:
            rows[-1].append(item)
    return rows


def person_items(req: CertificateRequest, s: Subject, *, address_in_block: bool) -> list[Item]:
    r = s.current
    # a 記載事項証明書 prints the items asked for; a 写し every basic item ("full": 旧氏,
    # the foreign residents' items — those a 記載事項証明書 cannot be asked for here)
    asked = set(req.items or ()) if req.kind == "kisai_jiko" else {*KISAI_ITEMS, "full"}
    items: list[Item] = []

    def add(key: str, label: str, value: str | None, wide: bool = False) -> None:
        if key in asked and value:
            items.append(Item(label, value, wide))

    add("birth_date", "生年月日", wareki(r.birth_date))
    add("sex", "性別", SEX.get(r.sex, r.sex))
    if req.include_head_and_relationship:
        items.append(Item("続柄", r.zokugara))
    if r.kyu_uji:
        add("full", "旧氏", r.kyu_uji)
    add("became_resident_on", "住民となった年月日", wareki(r.became_resident_on))
    if address_in_block:
        add("address", "住所", with_katagaki(r.address, r.katagaki), wide=True)
    add("address_fixed_on", "住所を定めた年月日", wareki(r.address_fixed_on))
    add("todoke_date", "届出年月日", wareki(notified_on(s)))
    add("previous_address", "前住所", r.previous_address, wide=True)
    if r.resident_kind == "外国人":
        for label, value in (("通称", r.tsusho), ("国籍・地域", r.nationality), ("在留資格", r.zairyu_shikaku),
                             ("在留期間", r.zairyu_kikan), ("在留期間の満了の日", wareki(r.zairyu_kikan_end)),
                             ("在留カード番号", r.zairyu_card_no)):
            add("full", label, value)
    if req.include_honseki and r.resident_kind == "日本人":
        items.append(Item("本籍", r.honseki or "", wide=True))
        items.append(Item("筆頭者", r.hittosha or ""))
    if req.include_juminhyo_code:
        items.append(Item("住民票コード", r.juminhyo_code))
    if req.include_my_number:
        items.append(Item("個人番号", r.my_number or "（記録なし）"))
    if req.kind == "joshu":
        items.append(Item("消除事由", r.removal_reason or ""))
        items.append(Item("消除日", wareki(r.removed_on)))
        if r.moved_out_to:
            stage = f"（{r.move_out_stage}）" if r.move_out_stage else ""
            items.append(Item("転出先", f"{r.moved_out_to}{stage}", wide=True))
    return items


def history_table(req: CertificateRequest, s: Subject) -> tuple[list[str], list[list[str]]]:
    """The 異動 history of a person: one line per snapshot (only items the request prints)."""
    show_address = req.kind != "kisai_jiko" or "address" in (req.items or ())
    columns = ["異動日", "届出日", "異動事由", "氏名"]
    if req.include_head_and_relationship:
        columns.append("続柄")
    if show_address:
        columns.append("住所")
    lines = []
    for r in printed_history(s):
        line = [wareki(r.ido_date), wareki(r.todoke_date), r.ido_jiyu, r.shimei]
        if req.include_head_and_relationship:
            line.append(r.zokugara)
        if show_address:
            line.append(with_katagaki(r.address, r.katagaki))
        lines.append(line)
    return columns, lines


def person_block(req: CertificateRequest, s: Subject, *, address_in_block: bool) -> PersonBlock:
    block = PersonBlock(s.current.shimei, s.current.shimei_kana,
                        _pairs(person_items(req, s, address_in_block=address_in_block)))
    if req.with_history:
        block.history_columns, block.history = history_table(req, s)
    return block


def sheets(req: CertificateRequest, subjects: list[Subject]) -> list[Sheet]:
    """世帯連記式: one sheet with the household's address (and head) on top; 個人票: one sheet each."""
    if req.resolved_form == "kojin":
        return [Sheet([], [person_block(req, s, address_in_block=True)]) for s in subjects]
    first = subjects[0].current
    header: list[Item] = []
    if req.kind != "kisai_jiko" or "address" in (req.items or ()):
        header.append(Item("住所", with_katagaki(first.address, first.katagaki), wide=True))
    if req.include_head_and_relationship:
        head = next((s.current.shimei for s in subjects if s.current.zokugara == "世帯主"), None)
        header.append(Item("世帯主", head or "（この写しに記載のない方）"))
    return [Sheet(_pairs(header), [person_block(req, s, address_in_block=False) for s in subjects])]


def css_string(value: str) -> Markup:
    """A CSS string literal for the page-margin boxes, safe inside ``<style>`` (raw text)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '\\"<>&\n' else c for c in value)
    return Markup(f'"{escaped}"')


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["css"] = css_string
    return env


def render_html(req: CertificateRequest, subjects: list[Subject], sig: Signature, stamp: Any) -> str:
    """The certificate as a complete HTML document (*stamp*: the kernel's 発行番号 and QR)."""
    signer = "　".join(x for x in (sig.mayor_title, sig.mayor_name) if x)
    return environment().get_template("certificate.html").render(
        font=Markup(FONT_FAMILY),
        title=TITLES[req.kind],
        form_label=FORMS[req.resolved_form],
        municipality=sig.municipality,
        sheets=sheets(req, subjects),
        statement=STATEMENTS[req.kind],
        issued_on=wareki(sig.issued_on),
        signer=signer,
        seal=Markup(official_seal_svg(sig.mayor_title)),
        issue_no=stamp.issue_no,
        verify_code=stamp.verify_code,
        verify_url=stamp.verify_url,
        qr=Markup(stamp.qr_svg),
    )
