"""What a certificate prints: records in, HTML out (pure; the service renders it to PDF).

Every optional item is decided here, in Python, so that "omitted unless asked for" is one
place to read and test: 世帯主・続柄, 本籍・筆頭者, 住民票コード and 個人番号 appear only when
the request asks (the service has already checked the permissions), and a 記載事項証明書
prints 氏名 plus the items asked for, nothing else.  An empty item is never printed (no blank
本籍・筆頭者 row).  Each dated item carries the 異動 that wrote it and its 届出年月日
(``origins.py``: 住所を定めた年月日 with the 転居/転入's 届出, 前住所 with the 転入's, 消除日
with the 死亡/転出's) — not the record's latest 届出.  After the last entry of each sheet
「以下余白」 closes it, and every sheet carries the 認証文.

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
from municloud.modules.registry.certificates.origins import Origin, origins
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


@dataclass(frozen=True)
class Item:
    label: str
    value: str
    wide: bool = False  # takes a whole row (addresses)
    note: tuple[str, ...] = ()  # the 異動 that wrote the item (its 届出年月日), lines printed beside it


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
    """A person on the certificate: the current snapshot, the whole history (oldest first) and
    the 世帯主's name (``subjects.py``)."""

    current: Any  # a ResidentRecord (snapshot incl. 異動事由・異動日・届出日)
    history: list[Any]
    head_name: str | None = None


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


def notified(origin: Origin | None) -> tuple[str, ...]:
    """(「転居　令和5年6月3日届出」,): the 異動 that wrote an item and its 届出年月日 (職権: no 届出)."""
    if origin is None:
        return ()
    return (f"{origin.jiyu}　{wareki(origin.todoke_date)}届出" if origin.todoke_date else origin.jiyu,)


def dated(origin: Origin | None) -> tuple[str, ...]:
    """(「令和2年4月1日転入」, 「令和2年4月2日届出」): 法第7条第8号 — the 届出年月日 of the 転入
    (entered 職権: the date of that entry) printed with the 従前の住所."""
    if origin is None:
        return ()
    moved = f"{wareki(origin.ido_date)}{origin.jiyu}"
    return (moved, f"{wareki(origin.todoke_date)}届出") if origin.todoke_date else (moved,)


def _pairs(items: list[Item]) -> list[list[Item]]:
    """Two items per table row; a wide item (an address) or one with a note takes its own row."""
    rows: list[list[Item]] = []
    for item in items:
        alone = item.wide or item.note
        if alone or not rows or len(rows[-1]) == 2 or rows[-1][0].wide or rows[-1][0].note:
            rows.append([item])
        else:
            rows[-1].append(item)
    return rows


def person_items(req: CertificateRequest, s: Subject, *, address_in_block: bool) -> list[Item]:
    """What is printed of one person, in the order of 法第7条, each dated item with the 異動
    that wrote it (``origins.py``).  An empty item is not printed (no blank 本籍 row)."""
    r = s.current
    # a 記載事項証明書 prints the items asked for; a 写し every basic item ("full": 旧氏,
    # the foreign residents' items — those a 記載事項証明書 cannot be asked for here)
    asked = set(req.items or ()) if req.kind == "kisai_jiko" else {*KISAI_ITEMS, "full"}
    came = origins(printed_history(s))
    with_dates = "todoke_date" in asked
    items: list[Item] = []

    def put(label: str, value: str | None, wide: bool = False, note: tuple[str, ...] = ()) -> None:
        if value:
            items.append(Item(label, value, wide, note if with_dates else ()))

    def add(key: str, label: str, value: str | None, wide: bool = False, note: tuple[str, ...] = ()) -> None:
        if key in asked:
            put(label, value, wide, note)

    add("birth_date", "生年月日", wareki(r.birth_date))
    add("sex", "性別", SEX.get(r.sex, r.sex))
    if req.include_head_and_relationship:  # 法第7条第4号 (世帯連記式: the 世帯主 is in the header)
        if address_in_block:
            put("世帯主", s.head_name)
        put("続柄", r.zokugara)
    if r.kyu_uji:
        add("full", "旧氏", r.kyu_uji)
    add("became_resident_on", "住民となった年月日", wareki(r.became_resident_on))
    if address_in_block:
        add("address", "住所", with_katagaki(r.address, r.katagaki), wide=True)
    add("address_fixed_on", "住所を定めた年月日", wareki(r.address_fixed_on), note=notified(came.get("address")))
    add("previous_address", "前住所", r.previous_address, wide=True, note=dated(came.get("previous_address")))
    if with_dates and not ({"address_fixed_on", "previous_address"} & asked):
        # a 記載事項証明書 of the 届出年月日 alone: 第8号's (the 転入), else the 住所's
        origin = came.get("previous_address") if r.previous_address else came.get("address")
        add("todoke_date", "届出年月日", wareki(origin.todoke_date) if origin else "",
            note=(origin.jiyu,) if origin else ())
    if r.resident_kind == "外国人":
        for label, value in (("通称", r.tsusho), ("国籍・地域", r.nationality), ("在留資格", r.zairyu_shikaku),
                             ("在留期間", r.zairyu_kikan), ("在留期間の満了の日", wareki(r.zairyu_kikan_end)),
                             ("在留カード番号", r.zairyu_card_no)):
            add("full", label, value)
    if req.include_honseki and r.resident_kind == "日本人":  # 法第7条第5号
        put("本籍", r.honseki, wide=True)
        put("筆頭者", r.hittosha)
    if req.include_juminhyo_code:
        put("住民票コード", r.juminhyo_code)
    if req.include_my_number:
        put("個人番号", r.my_number or "（記録なし）")
    if req.kind == "joshu":  # 消除 (令第8条), dated by the 異動 that removed the person
        put("消除事由", r.removal_reason)
        put("消除日", wareki(r.removed_on), note=notified(came.get("removal")))
        if r.moved_out_to:
            stage = f"（{r.move_out_stage}）" if r.move_out_stage else ""
            put("転出先", f"{r.moved_out_to}{stage}", wide=True, note=dated(came.get("moved_out_to")))
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
    """世帯連記式: one sheet with the household's address (and 世帯主) on top.  個人票: one
    sheet per person.  Every sheet ends with 以下余白 and its own 認証文 (the template): a
    個人票 is a whole 住民票の写し of one person, still certified when the sheets are handed
    out apart, while one request stays one 交付 — one 発行番号, one PDF to verify."""
    if req.resolved_form == "kojin":
        return [Sheet([], [person_block(req, s, address_in_block=True)]) for s in subjects]
    first = subjects[0].current
    header: list[Item] = []
    if req.kind != "kisai_jiko" or "address" in (req.items or ()):
        header.append(Item("住所", with_katagaki(first.address, first.katagaki), wide=True))
    if req.include_head_and_relationship and subjects[0].head_name:
        header.append(Item("世帯主", subjects[0].head_name))
    persons = [person_block(req, s, address_in_block=False) for s in subjects]
    return [Sheet(_pairs(header), persons)]


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
