"""Public verification of issued certificates (no log-in): ``/verify/{発行番号}?code={確認コード}``.

A bank or another office that holds a certificate scans its QR code (or types the
発行番号 and the 確認コード printed beside it) and learns whether it was issued, when (和暦
and time, JST), by which municipality, its title and page count and the recorded SHA-256;
uploading the PDF answers 一致します / 一致しません.  Never any personal data: the
register (``kernel.documents``) holds none.

* A number alone is not enough (they are sequential): without its code the page asks for
  it; a wrong code is answered exactly as a number never issued (same status, same page,
  same JSON), so numbers cannot be enumerated.
* Every route is rate-limited per client address (``kernel.ratelimit``; settings
  ``verify_rate_limit`` per ``verify_rate_window`` seconds): 429, ``RATE_LIMITED``,
  ``Retry-After``, a Japanese page or the usual JSON error.  The upload is refused before
  its body is read.
* Look-ups are counted per document and day (``kernel.documents.verification``), not
  written one by one to the tenant's audit chain.

* ``GET  /verify/{issue_no}[?code=]``     — the Japanese page, in the site's frame and
  stylesheet (``templates/verify.html``; the site's CSP allows no inline style), readable
  on a phone
* ``POST /verify/{issue_no}``             — the same page with the uploaded file compared
  (form fields ``code`` and ``file``)
* ``GET  /api/v1/verify/{issue_no}``      — JSON (``code`` required; ``?sha256=`` to compare)
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from municloud.config import Settings
from municloud.errors import MuniError, NotFoundError, RateLimitedError
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import to_jst
from municloud.kernel.documents.verification import Verification, verify_document
from municloud.kernel.ratelimit import RateLimiter, address_bucket
from municloud.web.access import PUBLIC
from municloud.web.deps import Meta, PlatformDep, RequestMeta
from municloud.web.screens.rendering import Page, render

MAX_UPLOAD = 20 * 1024 * 1024  # a certificate is far smaller; larger files are not read
MAX_BODY = MAX_UPLOAD + 64 * 1024  # the file and the form around it: past this nothing more is read
TOO_BIG = "ファイルが大きすぎます（証明書のPDFを選んでください）"


class _TooBig(Exception):
    """The anonymous upload passed :data:`MAX_BODY` while it was being read."""


def _capped(receive, limit: int):
    """*receive*, raising :class:`_TooBig` once the body passes *limit* bytes — so an
    anonymous upload is never spooled to disk beyond what a certificate can be (the
    platform-wide upload limit is meant for a city's 課税資料)."""
    seen = 0

    async def capped_receive():
        nonlocal seen
        message = await receive()
        if message.get("type") == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooBig
        return message

    return capped_receive
ISSUE_NO = re.compile(r"^[0-9]{6}-[0-9]{4}-[0-9]{6,10}$")  # 6 digits, more past 999,999 a year

router = APIRouter(tags=["証明書の確認"], dependencies=[PUBLIC])


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


def install(app: FastAPI, settings: Settings) -> None:
    """Add the public routes and their rate limiter (one per application)."""
    app.state.verify_limiter = RateLimiter(settings.verify_rate_limit, settings.verify_rate_window)
    app.include_router(router)


def _limit(request: Request, meta: RequestMeta) -> None:
    """Count this request against its client address (RateLimitedError when over)."""
    request.app.state.verify_limiter.check(address_bucket(meta.client_addr))


def _wareki_time(moment_utc: datetime) -> str:
    local = to_jst(moment_utc)
    return f"{format_wareki(local.date())} {local.hour}時{local.minute:02d}分"


def _page(request: Request, v: Verification | None = None, *, code: str = "", error: str | None = None,
          status: int = 200, ask: str | None = None, retry: int | None = None) -> HTMLResponse:
    """The page (``templates/verify.html`` in the site's frame, no one signed in)."""
    heading = "証明書の確認" if v or ask else "しばらくお待ちください" if retry else "証明書が見つかりません"
    response = render(request, "verify.html", Page(title=heading), status=status, v=v, code=code,
                      issued=_wareki_time(v.issued_at) if v else "", error=error, ask=ask, ask_path=quote(ask or ""),
                      retry=retry)
    if retry:
        response.headers["Retry-After"] = str(retry)
    return response


def _error_page(request: Request, exc: MuniError) -> HTMLResponse:
    if isinstance(exc, RateLimitedError):
        return _page(request, error=exc.message, status=429, retry=exc.retry_after)
    return _page(request, error=exc.message, status=exc.status)


def _verify(platform, issue_no: str, code: str | None, **kw) -> Verification:
    return verify_document(platform.uow(None), issue_no, code, **kw)


@router.get("/verify/{issue_no}", summary="証明書の確認（ページ）", response_class=HTMLResponse, include_in_schema=False)
def verify_page(request: Request, platform: PlatformDep, meta: Meta, issue_no: str,
                code: str = "") -> HTMLResponse:
    try:
        _limit(request, meta)
        if not code.strip() and ISSUE_NO.fullmatch(issue_no):
            return _page(request, ask=issue_no)  # the same for every well-formed number: nothing is looked up
        return _page(request, _verify(platform, issue_no, code), code=code)
    except (NotFoundError, RateLimitedError) as exc:
        return _error_page(request, exc)


@router.post("/verify/{issue_no}", summary="証明書の確認（PDFの照合）", response_class=HTMLResponse, include_in_schema=False)
async def verify_upload(request: Request, platform: PlatformDep, meta: Meta, issue_no: str) -> HTMLResponse:
    try:
        _limit(request, meta)  # before the body is read
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY:
            return _page(request, error=TOO_BIG, status=413)
        try:
            capped = Request(request.scope, _capped(request.receive, MAX_BODY))
            form = await capped.form(max_files=1, max_fields=4, max_part_size=4096)
        except _TooBig:
            return _page(request, error=TOO_BIG, status=413)
        except StarletteHTTPException:
            return _page(request, error="送信された内容を読み取れませんでした", status=400)
        code = form.get("code")
        code = code if isinstance(code, str) else None
        upload = form.get("file")
        data = await upload.read(MAX_UPLOAD + 1) if isinstance(upload, UploadFile) else None
        if data is None or len(data) > MAX_UPLOAD:
            v = await run_in_threadpool(_verify, platform, issue_no, code)
            if data is None:
                return _page(request, v, code=code or "", status=422, error="照合するPDFファイルを選んでください")
            return _page(request, v, code=code or "", status=413, error=TOO_BIG)
        return _page(request, await run_in_threadpool(_verify, platform, issue_no, code, pdf=data), code=code or "")
    except (NotFoundError, RateLimitedError) as exc:
        return _error_page(request, exc)


@router.get(
    "/api/v1/verify/{issue_no}", response_model=VerificationOut, summary="証明書の確認（発行番号と確認コード）",
    responses={404: {"description": "発行番号か確認コードが違う（どちらかは答えません）"},
               429: {"description": "要求が多すぎる（Retry-After 秒後に再試行）"}},
)
def verify_api(
    request: Request, platform: PlatformDep, meta: Meta, issue_no: str,
    code: Annotated[str | None, Query(description="証明書の発行番号の横に印刷された確認コード（10文字）")] = None,
    sha256: Annotated[str | None, Query(description="照合するPDFのSHA-256（16進数64桁）")] = None,
) -> VerificationOut:
    """発行の有無・日時・団体・種類・ページ数・SHA-256。``sha256`` を渡すと ``matches`` で一致を返します。認証不要。

    発行番号と確認コードの両方が必要です。どちらかが違えば、発行されていない番号と同じ 404 を返します。"""
    _limit(request, meta)  # RateLimitedError: the usual JSON error, 429 with Retry-After
    v = _verify(platform, issue_no, code, sha256=sha256)
    return VerificationOut(
        issue_no=v.issue_no, tenant_code=v.tenant_code, municipality=v.tenant_name, title=v.title,
        issued_at=to_jst(v.issued_at), issued_at_wareki=_wareki_time(v.issued_at), pages=v.pages, sha256=v.sha256,
        matches=v.matches,
    )


__all__ = ["install", "router"]
