"""Issued documents (証明書): PDF rendering, 公印, QR codes, 発行番号, 確認コード and verification.

Any module that issues a certificate calls :func:`services.issue_document` inside its own
use case; the kernel numbers it per tenant, gives it a random 確認コード (``codes.py``)
printed beside the number and carried in the QR code, renders it, records its SHA-256 and
lets anyone holding the paper confirm it at ``/verify/{発行番号}?code=…``
(``verification.py``) without seeing personal data.
"""
