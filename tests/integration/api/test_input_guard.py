"""The edge (web/input_guard.py): body limits (413) and text no database can store (422),
before any route runs — on the API and the screens alike."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from municloud.config import load_settings
from municloud.errors import ConfigurationError
from municloud.web.app import create_app
from tests.factories import registry_footprint
from tests.integration.api.access_helpers import footprint
from tests.integration.api.helpers import Api, person, tennyu


@pytest.fixture
def small(platform):
    """The app with small limits (4 KiB bodies, 16 KiB uploads), to cross them cheaply."""
    from dataclasses import replace

    limited = replace(platform, settings=replace(platform.settings, max_body_bytes=4096, max_upload_bytes=16384))
    with TestClient(create_app(platform=limited)) as client:
        yield Api(client, limited)


def notifications(tenant: str) -> str:
    return f"/api/v1/t/{tenant}/notifications"


def test_a_body_over_the_limit_is_refused_before_the_route_with_the_limit_named(small, nagai, platform):
    clerk = small.login_as(nagai, "registry_clerk")
    body = {**tennyu(person()), "note": "備考" * 2000}  # ~12 KB of JSON: a 10 MB note used to be stored
    before = registry_footprint(platform, nagai)
    response = small.client.post(notifications(nagai), json=body, headers=clerk)
    assert response.status_code == 413
    assert response.json()["code"] == "REQUEST_BODY_TOO_LARGE" and "4 KiB" in response.json()["message"]
    assert response.headers["x-request-id"]  # still answered through the request-id middleware
    assert registry_footprint(platform, nagai) == before


def test_a_body_without_content_length_is_counted_as_it_streams(small, nagai):
    clerk = small.login_as(nagai, "registry_clerk")

    def chunks():
        yield b'{"kind": "tennyu", "note": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    response = small.client.post(notifications(nagai), content=chunks(),
                                 headers={**clerk, "content-type": "application/json"})
    assert response.status_code == 413 and response.json()["code"] == "REQUEST_BODY_TOO_LARGE"


def test_an_upload_has_its_own_larger_limit_counted_while_streaming(small, nagai, platform):
    officer = small.login_as(nagai, "tax_officer")
    url = f"/api/v1/t/{nagai}/tax/2026/inputs:import"
    # 8 KB: over the body limit, under the upload limit — the route answers (a CSV problem, not 413)
    fits = small.client.post(url, files={"inputs": ("kazei.csv", b"x" * 8000)}, headers=officer)
    assert fits.status_code == 422 and fits.json()["code"] == "TAX_INPUT_FILE_INVALID"

    boundary = "b0undary"

    def multipart():
        yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"inputs\"; filename=\"k.csv\"\r\n"
               "Content-Type: text/csv\r\n\r\n").encode()
        for _ in range(40):
            yield b"x" * 1000
        yield f"\r\n--{boundary}--\r\n".encode()

    before = registry_footprint(platform, nagai)
    response = small.client.post(url, content=multipart(),
                                 headers={**officer, "content-type": f"multipart/form-data; boundary={boundary}"})
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "REQUEST_BODY_TOO_LARGE" and "16 KiB" in response.json()["message"]
    assert registry_footprint(platform, nagai) == before


@pytest.mark.parametrize(("body", "field", "code"), [
    ({"persons": [{"shimei": "山田\ud800"}]}, "persons.0.shimei", "INPUT_LONE_SURROGATE"),
    ({"zokugara": {"\udfff": "子"}}, "zokugara", "INPUT_LONE_SURROGATE"),  # a key: never echoed in the path
    ({"note": "a\u0000b"}, "note", "INPUT_CONTROL_CHARACTER"),  # PostgreSQL cannot store NUL
    ({"changes": {"shimei": ["\ud83d"]}}, "changes.shimei.0", "INPUT_LONE_SURROGATE"),  # any depth, any shape
])
def test_unstorable_text_anywhere_in_a_json_body_is_refused_naming_the_field(api, nagai, body, field, code):
    clerk = api.login_as(nagai, "registry_clerk")
    response = api.client.post(notifications(nagai), content=json.dumps({"kind": "tennyu", **body}),
                               headers={**clerk, "content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["code"] == code and list(response.json()["fields"]) == [field]
    assert "\\ud" not in response.text.lower()  # the input is not echoed


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_a_json_body_must_be_utf8_where_the_edge_can_see_into_it(api, nagai, platform, encoding):
    """JSON may legally be UTF-16/32, where "\\ud800" is no run of bytes the edge can find:
    such a body was parsed and a lone surrogate reached the item checks unseen."""
    clerk = api.login_as(nagai, "registry_clerk")
    before = footprint(platform)
    body = json.dumps({**tennyu(person()), "note": "a\ud800"}).encode(encoding)
    response = api.client.post(notifications(nagai), content=body,
                               headers={**clerk, "content-type": "application/json"})
    assert response.status_code == 422 and response.json()["code"] == "INPUT_NOT_UTF8"
    assert footprint(platform) == before


def test_an_escaped_surrogate_pair_is_one_character_and_passes_the_edge(api, nagai):
    clerk = api.login_as(nagai, "registry_clerk")
    body = {**tennyu(person()), "note": "引越しの挨拶 \U0001F600"}  # 😀 in free text, sent as "\ud83d\ude00"
    response = api.client.post(notifications(nagai), content=json.dumps(body, ensure_ascii=True),
                               headers={**clerk, "content-type": "application/json"})
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("url", ["/api/v1/t/{t}/residents/0000%00001", "/api/v1/t/{t}/residents?q=%00",
                                 "/api/v1/t/{t}/residents?q=a&name=%00b"])
def test_a_nul_in_the_url_is_refused(api, nagai, url):
    clerk = api.login_as(nagai, "registry_clerk")
    response = api.client.get(url.replace("{t}", nagai), headers=clerk)
    assert response.status_code == 422 and response.json()["code"] == "INPUT_CONTROL_CHARACTER"


def test_a_nul_in_a_screen_form_is_refused(api):
    response = api.client.post("/login", content=b"username=a%00&password=b",
                               headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 422 and response.json()["code"] == "INPUT_CONTROL_CHARACTER"


def test_the_limits_are_settings_refused_when_not_positive():
    settings = load_settings({"MUNICLOUD_MAX_BODY_BYTES": "2048", "MUNICLOUD_MAX_UPLOAD_BYTES": "1048576",
                              "MUNICLOUD_SECRET_KEY": "x" * 40})
    assert (settings.max_body_bytes, settings.max_upload_bytes) == (2048, 1 << 20)
    assert (load_settings({}).max_body_bytes, load_settings({}).max_upload_bytes) == (1 << 20, 512 << 20)
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_MAX_BODY_BYTES": "0"})
    assert "MUNICLOUD_MAX_BODY_BYTES" in caught.value.message
