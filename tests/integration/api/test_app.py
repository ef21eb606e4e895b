"""The application shell: docs, root page, health, request ids, and unexpected errors."""

from __future__ import annotations

import logging
import re
import types

from fastapi.testclient import TestClient

from municloud.web.app import create_app, module_routers


def test_docs_and_openapi_load_and_list_every_route(client):
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/t/{tenant}/residents",
        "/api/v1/t/{tenant}/residents/{atena_no}",
        "/api/v1/t/{tenant}/residents/{atena_no}/history",
        "/api/v1/t/{tenant}/households/{setai_no}",
        "/api/v1/t/{tenant}/notifications",
        "/api/v1/t/{tenant}/residents/{atena_no}/support-measures",
        "/api/v1/t/{tenant}/audit",
    ):
        assert path in paths, path
    operations = [op for item in paths.values() for op in item.values()]
    assert all(op.get("summary") for op in operations)
    body = paths["/api/v1/t/{tenant}/notifications"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["discriminator"]["propertyName"] == "kind"


def test_the_api_docs_load_nothing_from_outside_the_installation(client):
    """Municipalities run on closed networks (LGWAN): /docs must work with no internet."""
    page = client.get("/docs").text
    urls = re.findall(r"""(?:src|href|url)\s*[:=]\s*['"]([^'"]+)['"]""", page)
    assets = [u for u in urls if not u.startswith("/openapi")]
    assert {u.rsplit("/", 1)[-1] for u in assets} >= {"swagger-ui-bundle.js", "swagger-ui.css"}
    for url in urls:
        assert url.startswith("/"), f"/docs refers to {url} outside this server"
    for url in assets:
        response = client.get(url)
        assert response.status_code == 200 and len(response.content) > 1000, url
    bundle = client.get(next(u for u in assets if u.endswith("swagger-ui-bundle.js"))).text
    assert "SwaggerUIBundle" in bundle


def test_the_root_page_is_japanese_html_linking_to_the_docs(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="ja">' in response.text
    assert 'href="/docs"' in response.text
    assert "municloud" in response.text


def test_health_touches_the_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_every_answer_carries_a_request_id(client):
    assert len(client.get("/health").headers["X-Request-ID"]) == 32
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    unsafe = client.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert unsafe.headers["X-Request-ID"] != "bad id\twith spaces"


def test_an_unknown_url_is_a_japanese_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json()["code"] == "NOT_FOUND"
    wrong_method = client.delete("/api/v1/tenants")
    assert wrong_method.status_code == 405
    assert wrong_method.json()["code"] == "METHOD_NOT_ALLOWED"


def test_an_unexpected_error_is_a_500_with_the_request_id_and_logs_no_personal_data(platform, caplog):
    app = create_app(platform=platform)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("山田　太郎 山形県長井市本町一丁目1番1号")

    with TestClient(app) as client, caplog.at_level(logging.DEBUG):
        response = client.get("/boom", headers={"X-Request-ID": "req-boom"})
    assert response.status_code == 500
    assert response.json()["code"] == "INTERNAL_ERROR"
    assert response.json()["message"].startswith("システムエラーが発生しました")
    assert response.json()["request_id"] == "req-boom"
    assert "山田" not in response.text
    logged = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records)
    assert "RuntimeError" in logged and "req-boom" in logged
    assert "山田" not in logged and "長井市" not in logged


def test_modules_are_attached_through_their_web_router():
    import municloud.modules.registry as registry
    from municloud.modules.registry.web import router

    assert list(module_routers([registry])) == [router]

    without_web = types.SimpleNamespace(__name__="municloud.jp")  # a package with no web.py
    assert list(module_routers([without_web])) == []
