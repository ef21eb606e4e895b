"""The answer carrying an issued PDF (a certificate, a 領収書 …), for the API and the screens alike."""

from __future__ import annotations

from fastapi.responses import Response


def pdf_response(pdf: bytes, issue_no: str, *, prefix: str = "", headers: dict[str, str] | None = None) -> Response:
    """*pdf* shown inline as ``{prefix}{発行番号}.pdf``, the number in ``X-Issue-Number``, never
    cached; *headers*: more to send (e.g. the fee)."""
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{prefix}{issue_no}.pdf"', "X-Issue-Number": issue_no,
        "Cache-Control": "no-store", **(headers or {}),
    })
