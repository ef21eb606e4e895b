"""The verification address printed on a certificate and carried in its QR code comes from
``MUNICLOUD_PUBLIC_URL`` (README, configuration), and that address opens the verification."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from municloud.bootstrap import create_platform
from municloud.config import load_settings
from municloud.web.app import create_app
from tests.conftest import TEST_SECRET
from tests.factories import move_in
from tests.integration.certificates.helpers import (
    assert_code_printed_and_in_the_qr,
    capture_html,
    issue,
)

PUBLIC = "https://juki.example.lg.jp/nagai/"  # behind a reverse proxy, under a path


def test_the_printed_address_and_the_qr_code_come_from_municloud_public_url(platform, mayor, clerk, monkeypatch,
                                                                           tmp_path):
    settings = load_settings({"MUNICLOUD_PUBLIC_URL": PUBLIC, "MUNICLOUD_DATABASE_URL": platform.settings.database_url,
                              "MUNICLOUD_SECRET_KEY": TEST_SECRET, "MUNICLOUD_MODE": "test",
                              "MUNICLOUD_INSTANCE_DIR": str(tmp_path)})
    configured = create_platform(settings)
    try:
        [atena] = move_in(configured, clerk).atena_nos
        html = capture_html(monkeypatch)
        cert = issue(configured, clerk, atena_no=atena)
    finally:
        configured.dispose()

    public = PUBLIC.rstrip("/")
    code = assert_code_printed_and_in_the_qr(cert.pdf, html[-1], public, cert.issue_no)
    assert "127.0.0.1" not in html[-1]
    # the proxy sends {PUBLIC}verify/… to this installation's /verify/…
    path = f"{public}/verify/{cert.issue_no}?code={code}".removeprefix(public)
    assert urlsplit(path).path == f"/verify/{cert.issue_no}"
    with TestClient(create_app(platform=platform)) as client:
        page = client.get(path)
    assert page.status_code == 200 and cert.issue_no in page.text and "長井市" in page.text
