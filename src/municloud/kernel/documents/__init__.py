"""Issued documents (証明書): PDF rendering, 公印, QR codes, 発行番号 and verification.

Any module that issues a certificate calls :func:`services.issue_document` inside its own
use case; the kernel numbers it per tenant, renders it, records its SHA-256 and lets
anyone confirm it at ``/verify/{発行番号}`` without seeing personal data.
"""
