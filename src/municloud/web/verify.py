"""Public verification of issued certificates (no log-in): ``/verify/{発行番号}``.

A bank or another office that holds a certificate reads its 発行番号 (or scans the QR code)
and learns whether it was issued, when (和暦 and time, JST), by which municipality, its
title and page count and the recorded SHA-256; uploading the PDF answers 一致します /
一致しません.  Never any personal data: the register (``kernel.documents``) holds none.
Every look-up is audited (actor ``public``) by ``verify_document``.

* ``GET  /verify/{issue_no}``             — the Japanese page (self-contained: inline CSS)
* ``POST /verify/{issue_no}``             — the same page with the uploaded file compared
* ``GET  /api/v1/verify/{issue_no}``      — JSON (``?sha256=`` to compare a digest)
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from pydantic import BaseModel

from municloud.errors import NotFoundError
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import to_jst
from municloud.kernel.documents.services import Verification, verify_document
from municloud.web.deps import Meta, PlatformDep

MAX_UPLOAD = 20 * 1024 * 1024  # a certificate is far smaller; larger files are not read

router = APIRouter(tags=["証明書の確認"])


class VerificationOut(BaseModel):
    issue_no: str
    tenant_code: str
    municipality: str
    title: str
    issued_at: datetime  # JST, with offset
    issued_at_wareki: str
    pages: int
    sha256: str
    matches: bool | None


def _jst(moment_utc: datetime) -> datetime:
    return to_jst(moment_utc)


def _wareki_time(moment_utc: datetime) -> str:
    local = _jst(moment_utc)
    return f"{format_wareki(local.date())} {local.hour}時{local.minute:02d}分"


_PAGE = Environment(autoescape=True).from_string("""<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ heading }}｜証明書の確認</title>
<style>
body { font-family: "IPAexGothic", "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif;
       max-width: 44em; margin: 2em auto; padding: 0 1em; line-height: 1.7; color: #1a1a1a; background: #fff; }
h1 { font-size: 1.4em; border-bottom: 2px solid #1f4e79; padding-bottom: .3em; }
dl { display: grid; grid-template-columns: 11em 1fr; gap: .4em 1em; }
dt { font-weight: bold; color: #333; }
dd { margin: 0; overflow-wrap: anywhere; }
code { font-size: .9em; }
.result { font-size: 1.3em; font-weight: bold; padding: .6em 1em; border-radius: 4px; margin: 1em 0; }
.match { background: #e3f4e6; border: 2px solid #1b7a33; color: #0d4d1f; }
.mismatch { background: #fdeaea; border: 2px solid #b3261e; color: #7a1410; }
.notice { background: #f3f4f6; border-left: 4px solid #1f4e79; padding: .6em 1em; }
form { margin-top: 1.5em; padding: 1em; border: 1px solid #ccd; border-radius: 4px; }
label { display: block; margin-bottom: .5em; }
button { font: inherit; padding: .3em 1.2em; margin-top: .6em; }
:focus-visible { outline: 3px solid #f5a623; outline-offset: 2px; }
</style>
</head>
<body>
<main>
<h1>{{ heading }}</h1>
{% if v %}
<p class="notice">発行番号 <code>{{ v.issue_no }}</code> の証明書は、{{ v.tenant_name }}が発行したものです。</p>
{% if v.matches is true %}<p class="result match" role="status">一致します：提出されたファイルは、発行された証明書そのものです。</p>
{% elif v.matches is false %}<p class="result mismatch" role="alert">一致しません：提出されたファイルは、発行された証明書と異なります（改変された可能性があります）。</p>{% endif %}
{% if error %}<p class="result mismatch" role="alert">{{ error }}</p>{% endif %}
<dl>
<dt>発行番号</dt><dd><code>{{ v.issue_no }}</code></dd>
<dt>発行した団体</dt><dd>{{ v.tenant_name }}（団体コード {{ v.tenant_code }}）</dd>
<dt>証明書の種類</dt><dd>{{ v.title }}</dd>
<dt>発行日時</dt><dd>{{ issued }}（日本時間）</dd>
<dt>ページ数</dt><dd>{{ v.pages }}ページ</dd>
<dt>SHA-256</dt><dd><code>{{ v.sha256 }}</code></dd>
</dl>
<form method="post" action="/verify/{{ v.issue_no }}" enctype="multipart/form-data">
<label for="file">お手元のPDFファイルが発行された証明書と同じものかを確かめられます（ファイルは保存しません）。</label>
<input id="file" name="file" type="file" accept="application/pdf,.pdf" required>
<div><button type="submit">照合する</button></div>
</form>
<p>このページには証明書に記載された個人の情報は表示されません。記載内容は証明書の原本でご確認ください。</p>
{% else %}
<p class="result mismatch" role="alert">{{ error }}</p>
<p>発行番号をお確かめください（例：<code>062090-2026-000001</code>）。</p>
{% endif %}
</main>
</body>
</html>
""")


def _page(v: Verification | None, *, error: str | None = None, status: int = 200) -> HTMLResponse:
    heading = "証明書の確認" if v else "証明書が見つかりません"
    html = _PAGE.render(heading=heading, v=v, issued=_wareki_time(v.issued_at) if v else "", error=error)
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def _verify(platform, meta, issue_no: str, **kw) -> Verification:
    return verify_document(platform.uow(None), issue_no, client_addr=meta.client_addr, request_id=meta.request_id,
                           **kw)


@router.get("/verify/{issue_no}", response_class=HTMLResponse, include_in_schema=False)
def verify_page(platform: PlatformDep, meta: Meta, issue_no: str) -> HTMLResponse:
    try:
        return _page(_verify(platform, meta, issue_no))
    except NotFoundError as exc:
        return _page(None, error=exc.message, status=404)


@router.post("/verify/{issue_no}", response_class=HTMLResponse, include_in_schema=False)
def verify_upload(
    platform: PlatformDep, meta: Meta, issue_no: str, file: Annotated[UploadFile, File()]
) -> HTMLResponse:
    data = file.file.read(MAX_UPLOAD + 1)  # sync handler: runs in the thread pool, as the DB work does
    try:
        if len(data) > MAX_UPLOAD:
            return _page(_verify(platform, meta, issue_no), status=413,
                         error="ファイルが大きすぎます（証明書のPDFを選んでください）")
        return _page(_verify(platform, meta, issue_no, pdf=data))
    except NotFoundError as exc:
        return _page(None, error=exc.message, status=404)


@router.get("/api/v1/verify/{issue_no}", response_model=VerificationOut, summary="証明書の確認（発行番号）")
def verify_api(
    platform: PlatformDep, meta: Meta, issue_no: str,
    sha256: Annotated[str | None, Query(description="照合するPDFのSHA-256（16進数64桁）")] = None,
) -> VerificationOut:
    """発行の有無・日時・団体・種類・ページ数・SHA-256。``sha256`` を渡すと ``matches`` で一致を返します。認証不要。"""
    v = _verify(platform, meta, issue_no, sha256=sha256)
    return VerificationOut(
        issue_no=v.issue_no, tenant_code=v.tenant_code, municipality=v.tenant_name, title=v.title,
        issued_at=_jst(v.issued_at), issued_at_wareki=_wareki_time(v.issued_at), pages=v.pages, sha256=v.sha256,
        matches=v.matches,
    )


__all__ = ["router"]
