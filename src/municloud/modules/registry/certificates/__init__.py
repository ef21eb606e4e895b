"""証明 — 住民票の写し (世帯連記式・個人票), 住民票の除票の写し, 住民票記載事項証明書.

* :mod:`.schemas` — the request (:class:`~.schemas.CertificateRequest`) and the answers;
* :mod:`.services` — ``issue_certificate`` (one use case, one transaction: permission and
  支援措置 checks, rendering through ``kernel.documents.issue_document``, the 交付履歴 row,
  the audit entry; as a dry run, the quote of the fee);
* :mod:`.fees` — the fee in force × copies, 免除 reasons and 本人確認書類 (dated code lists);
* :mod:`.history` — the 交付履歴 per resident and per day, the 日計表, one 発行番号's state;
* :mod:`.receipt` — the 領収書 PDF of a paid issue (once);
* :mod:`.render` — what is printed (pure: records in, HTML out; Jinja2 templates in
  ``templates/``);
* :mod:`.orm` — the 交付履歴 tables.
"""
