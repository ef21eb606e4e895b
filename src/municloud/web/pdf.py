"""The answer carrying an issued PDF (a certificate, a 領収書 …), for the API and the screens alike."""

from __future__ import annotations

from fastapi.responses import Response


def pdf_response(pdf: bytes, issue_no: str) -> Response:
    """*pdf* shown inline as ``{発行番号}.pdf``, the number in ``X-Issue-Number``, never cached."""
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{issue_no}.pdf"', "X-Issue-Number": issue_no,
        "Cache-Control": "no-store",
    })
