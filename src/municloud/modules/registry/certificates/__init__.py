"""証明 — 住民票の写し (世帯連記式・個人票), 住民票の除票の写し, 住民票記載事項証明書.

* :mod:`.schemas` — the request (:class:`~.schemas.CertificateRequest`) and the answers;
* :mod:`.services` — ``issue_certificate`` (one use case, one transaction: permission and
  支援措置 checks, rendering through ``kernel.documents.issue_document``, the 交付履歴 row,
  the audit entry) and ``list_issuances`` (a resident's 交付履歴, audited);
* :mod:`.render` — what is printed (pure: records in, HTML out; Jinja2 templates in
  ``templates/``);
* :mod:`.orm` — the 交付履歴 tables.
"""
