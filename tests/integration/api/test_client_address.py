"""The client address in audit entries and the log-in throttle: the peer's, unless the peer
is a configured trusted proxy — then the right-most forwarded address that is not one."""

from __future__ import annotations

import ipaddress

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from municloud.config import parse_networks
from municloud.kernel.audit.orm import AuditEntry
from municloud.kernel.identity.orm import LoginThrottle
from municloud.web.app import create_app
from municloud.web.deps import client_address
from tests.integration.api.helpers import TOKEN

PROXIES = parse_networks("127.0.0.1, 10.0.0.0/8")


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("192.0.2.50", ["203.0.113.66"], "192.0.2.50"),  # not a proxy: the header is the client's own words
    ("127.0.0.1", [], "127.0.0.1"),
    ("127.0.0.1", ["203.0.113.66"], "203.0.113.66"),
    ("127.0.0.1", ["6.6.6.6, 198.51.100.7, 10.1.1.1"], "198.51.100.7"),  # left of the first outsider: forged
    ("127.0.0.1", ["6.6.6.6", "198.51.100.7"], "198.51.100.7"),  # several header lines read as one list
    ("127.0.0.1", ["10.2.2.2, 10.1.1.1"], "10.2.2.2"),  # proxies all the way: the farthest one
    ("127.0.0.1", ["not-an-address, 10.1.1.1"], "10.1.1.1"),  # garbage stops the walk at the last proxy
    ("127.0.0.1", ["2001:db8::7"], "2001:db8::7"),
])
def test_the_client_address_believes_only_trusted_proxies(peer, forwarded, expected):
    assert client_address(peer, forwarded, PROXIES) == expected


def test_without_trusted_proxies_the_header_is_ignored():
    assert client_address("127.0.0.1", ["203.0.113.66"], ()) == "127.0.0.1"


def failed_login_addresses(platform) -> list[str]:
    with platform.session_factory() as s:
        return list(s.scalars(select(AuditEntry.client_addr).where(AuditEntry.action == "kernel:auth:login_failed")
                              .order_by(AuditEntry.seq).execution_options(all_tenants=True)))


def test_serve_does_not_let_uvicorn_rewrite_the_peer_from_a_forged_header(platform, monkeypatch):
    """Before: ``municloud serve`` let uvicorn take X-Forwarded-For from any local caller."""
    from municloud.cli.main import app as cli

    captured: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kw: captured.update(kw))
    monkeypatch.setenv("MUNICLOUD_DATABASE_URL", platform.settings.database_url)
    monkeypatch.setenv("MUNICLOUD_SECRET_KEY", "a-secret-key-for-the-serve-test-only-000")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    config = uvicorn.Config(create_app(platform=platform), proxy_headers=captured.get("proxy_headers", True),
                            forwarded_allow_ips=captured.get("forwarded_allow_ips"))
    config.load()  # wraps the app the way the server would
    with TestClient(config.loaded_app, client=("127.0.0.1", 40000)) as client:
        client.post(TOKEN, data={"username": "nobody", "password": "x"}, headers={"X-Forwarded-For": "203.0.113.66"})
    assert failed_login_addresses(platform) == ["127.0.0.1"]


def test_behind_a_configured_proxy_the_forwarded_client_is_recorded_and_throttled(platform, monkeypatch):
    monkeypatch.setattr(platform, "settings", platform.settings.with_(trusted_proxies=PROXIES))
    headers = {"X-Forwarded-For": "6.6.6.6, 198.51.100.7, 10.1.1.1"}
    with TestClient(create_app(platform=platform), client=("127.0.0.1", 40000)) as client:
        client.post(TOKEN, data={"username": "nobody", "password": "x"}, headers=headers)
    assert failed_login_addresses(platform) == ["198.51.100.7"]
    with platform.session_factory() as s:
        assert s.get(LoginThrottle, "addr:198.51.100.7").failures == 1


def test_a_caller_that_is_not_a_proxy_cannot_escape_the_address_throttle_with_the_header(platform, monkeypatch):
    monkeypatch.setattr(platform, "settings", platform.settings.with_(trusted_proxies=PROXIES))
    with TestClient(create_app(platform=platform), client=("192.0.2.50", 40000)) as client:
        for i in range(3):
            client.post(TOKEN, data={"username": f"guess-{i}", "password": "x"},
                        headers={"X-Forwarded-For": str(ipaddress.ip_address("203.0.113.1") + i)})
    assert failed_login_addresses(platform) == ["192.0.2.50"] * 3
    with platform.session_factory() as s:
        assert s.get(LoginThrottle, "addr:192.0.2.50").failures == 3
