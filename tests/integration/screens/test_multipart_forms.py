"""A screen form posted as multipart/form-data is refused before its handler: the edge
checks the text of URL-encoded forms and JSON only (a multipart file may hold any byte), so
an anonymous multipart POST /login with a NUL in the user name reached PostgreSQL (a 500)."""

from __future__ import annotations

import pytest
from fastapi.routing import iter_route_contexts

from municloud.config import Settings
from municloud.web.app import create_app
from municloud.web.screens.route import ScreenRoute, takes_files
from tests.integration.api.access_helpers import footprint, url_of

SCREEN_POSTS = sorted(
    r.path for r in iter_route_contexts(
        create_app(Settings(database_url="sqlite://", mode="test", secret_key="multipart-test")).routes)
    if isinstance(r.original_route, ScreenRoute) and "POST" in r.methods and not takes_files(r.original_route)
)


def test_there_are_screen_forms_to_check():
    assert len(SCREEN_POSTS) >= 10 and "/login" in SCREEN_POSTS


@pytest.mark.parametrize("path", SCREEN_POSTS)
def test_a_screen_form_sent_as_multipart_is_refused_and_writes_nothing(signed_in, platform, nagai, path):
    b = signed_in(nagai, "tenant_admin", "registry_supervisor")
    before = footprint(platform)
    response = b.client.post(url_of(path), data={"username": "a\x00b", "password": "x", "csrf_token": "x"},
                             files={"note": ("note.txt", b"\x00", "text/plain")})
    assert response.status_code == 415, response.text[:500]
    assert "この画面はファイルを受け付けません" in response.text
    assert footprint(platform) == before
