"""Helpers for the certificate tests: issuing, reading the PDF as text, households."""

from __future__ import annotations

import hashlib
import random
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from municloud.jp.codes import generate_my_number
from municloud.modules.registry.certificates.schemas import CertificateRequest
from municloud.modules.registry.certificates.services import issue_certificate
from tests.factories import days_ago, move_in, person, register

_rng = random.Random(20261127)
CERTIFIED = "この写しは、住民票の原本と相違ないことを証明する。"
CERTIFIED_REMOVED = "この写しは、住民票の除票の原本と相違ないことを証明する。"
CERTIFIED_ITEMS = "上記のとおり住民票に記載されていることを証明する。"


def issue(platform, ctx, **fields):
    fields.setdefault("requester_name", "申請　太郎")
    fields.setdefault("requester_type", "self")
    return issue_certificate(platform.uow(ctx.tenant_code), ctx, CertificateRequest(**fields))


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return path


def _run(tool: str, pdf: bytes, *args: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{hashlib.sha256(pdf).hexdigest()[:12]}.pdf"
        path.write_bytes(pdf)
        return subprocess.run([_poppler(tool), *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                              capture_output=True, check=True).stdout.decode("utf-8")


def pages(pdf: bytes) -> list[str]:
    """The text of each page, as ``pdftotext -enc UTF-8 -layout`` extracts it."""
    text = _run("pdftotext", pdf, "-enc", "UTF-8", "-layout")
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def fonts(pdf: bytes) -> list[str]:
    """Font names listed by ``pdffonts`` (subset prefix included)."""
    lines = _run("pdffonts", pdf).splitlines()[2:]
    return [line.split()[0] for line in lines if line.strip()]


def squash(text: str) -> str:
    """Text without any white space (layout spacing, U+3000 between 氏 and 名)."""
    return re.sub(r"\s+", "", text)


def has(page: str, text: str) -> bool:
    return squash(text) in squash(page)


def household(platform, ctx, *, members: int = 4, moves: int = 0, days: int = 400, **first):
    """A household of *members* (head, wife, children) with 本籍, a 個人番号 for the head, and
    *moves* 転居 of the whole household after the 転入. Returns the NotificationResult."""
    people = [person("山田　太郎", "ヤマダ　タロウ", "1970-04-01", "1", "世帯主", honseki="山形県西置賜郡白鷹町大字荒砥甲100番地",
                     hittosha="山田　太郎", my_number=generate_my_number(_rng), **first),
              person("山田　花子", "ヤマダ　ハナコ", "1972-05-05", "2", "妻", honseki="山形県西置賜郡白鷹町大字荒砥甲100番地",
                     hittosha="山田　太郎")]
    for i in range(members - 2):
        people.append(person(f"山田　{'一二三四五六'[i]}郎", f"ヤマダ　{['イチ', 'ジ', 'サブ', 'シ', 'ゴ', 'ロク'][i]}ロウ",
                             f"200{i}-06-0{i + 1}", "1", "子"))
    result = move_in(platform, ctx, people[:members], days=days)
    for n in range(moves):
        register(platform, ctx, kind="tenkyo", ido_date=days_ago(days - 50 * (n + 1)),
                 todoke_date=days_ago(days - 50 * (n + 1) - 1), atena_nos=result.atena_nos,
                 address={"address": f"山形県長井市栄町{n + 2}番{n + 3}号", "katagaki": "メゾン長井101号室"})
    return result


CODE = re.compile(r"確認コード([0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5})")


def printed_code(pdf: bytes) -> str:
    """The 確認コード printed beside the 発行番号, read from the PDF's text as a person reads
    the paper (the same code on every page)."""
    found = {code for page in pages(pdf) for code in CODE.findall(squash(page))}
    assert len(found) == 1, found
    return found.pop()


def capture_html(monkeypatch) -> list[str]:
    """Every document's HTML as the kernel renders it to PDF (to look at its QR code)."""
    from municloud.kernel.documents import services

    seen: list[str] = []
    real = services.render_pdf

    def render(html: str, **kw):
        seen.append(html)
        return real(html, **kw)

    monkeypatch.setattr(services, "render_pdf", render)
    return seen


def assert_code_printed_and_in_the_qr(pdf: bytes, html: str, public_url: str, issue_no: str) -> str:
    """The code is printed beside the number, in the printed address, and in the QR code's
    address; returns it."""
    from municloud.kernel.documents.qr import qr_svg

    code = printed_code(pdf)
    url = f"{public_url}/verify/{issue_no}?code={code}"
    text = "".join(pages(pdf))
    assert has(text, f"発行番号{issue_no}確認コード{code}")  # beside the number
    assert has(text, url), url
    assert qr_svg(url) in html
    return code
