"""The public /verify cannot be used to enumerate 発行番号 or to hammer the server: a wrong or
missing 確認コード is answered exactly as a number never issued, and every public route is
rate-limited per client address (429, RATE_LIMITED, Retry-After)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from municloud.kernel.ratelimit import RateLimiter
from municloud.web.app import create_app
from municloud.web.verify import MAX_BODY
from tests.factories import context, move_in, person
from tests.integration.certificates.helpers import printed_code

VARYING = {"x-request-id"}


def _issued(api, platform, tenant):
    clerk = context(platform, tenant, "registry_clerk")
    family = move_in(platform, clerk, [person("確認　一郎", "カクニン　イチロウ", "1970-01-01", "1", "世帯主")])
    response = api.client.post(f"/api/v1/t/{tenant}/certificates", headers=api.login_as(tenant, "registry_clerk"),
                               json={"atena_no": family.atena_nos[0], "requester_type": "本人",
                                     "requester_name": "確認　一郎"})
    assert response.status_code == 200, response.text
    return response.headers["x-issue-number"], response.content


def _answer(response) -> tuple:
    headers = {k: v for k, v in response.headers.items() if k not in VARYING}
    return response.status_code, headers, response.content


def _three_ways(client, number: str, pdf: bytes, code: str | None) -> list[tuple]:
    params = {} if code is None else {"code": code}
    files = {"file": ("c.pdf", pdf, "application/pdf")}
    return [
        _answer(client.get(f"/verify/{number}", params={"code": code or "ZZZZZ-ZZZZZ"})),
        _answer(client.post(f"/verify/{number}", data=params, files=files)),
        _answer(client.get(f"/api/v1/verify/{number}", params=params)),
    ]


def test_a_wrong_or_missing_code_is_answered_byte_for_byte_as_a_number_never_issued(api, platform, mayor):
    issue_no, pdf = _issued(api, platform, mayor)
    never_issued = f"{mayor}-2026-999999"
    right = printed_code(pdf)
    wrong = "ZZZZZ-ZZZZZ" if right != "ZZZZZ-ZZZZZ" else "YYYYY-YYYYY"

    reference = _three_ways(api.client, never_issued, pdf, wrong)
    assert [status for status, _, _ in reference] == [404, 404, 404]
    assert reference[2][2] == (
        '{"code":"DOCUMENT_NOT_FOUND","message":"この発行番号と確認コードの証明書は見つかりません。'
        '証明書に印刷された発行番号と確認コードをお確かめください","fields":{}}').encode()
    assert _three_ways(api.client, issue_no, pdf, wrong) == reference
    assert _three_ways(api.client, issue_no, pdf, None)[1:] == reference[1:]
    assert _three_ways(api.client, never_issued, pdf, right) == reference
    assert [status for status, _, _ in _three_ways(api.client, issue_no, pdf, right)] == [200, 200, 200]


def _limited_client(platform, clock, limit=2, address="192.0.2.10"):
    client = TestClient(create_app(platform=platform), client=(address, 40000))
    client.app.state.verify_limiter = RateLimiter(limit, 60, clock=clock)
    return client


def test_each_public_route_answers_429_in_japanese_once_a_client_is_over_its_limit(api, platform, mayor):
    issue_no, pdf = _issued(api, platform, mayor)
    code = printed_code(pdf)
    now = [1000.0]
    with _limited_client(platform, lambda: now[0]) as client:
        assert client.get(f"/verify/{issue_no}", params={"code": code}).status_code == 200
        assert client.get(f"/api/v1/verify/{issue_no}", params={"code": code}).status_code == 200

        page = client.get(f"/verify/{issue_no}", params={"code": code})
        assert page.status_code == 429 and page.headers["retry-after"] == "30"
        assert '<html lang="ja">' in page.text and "しばらくお待ちください" in page.text and "30秒" in page.text
        assert "長井市" not in page.text

        api_answer = client.get(f"/api/v1/verify/{issue_no}", params={"code": code})
        assert api_answer.status_code == 429 and api_answer.headers["retry-after"] == "30"
        assert api_answer.json()["code"] == "RATE_LIMITED" and "秒ほど待って" in api_answer.json()["message"]

        # refused before the body is read: a body that cannot be parsed is not even looked at
        upload = client.post(f"/verify/{issue_no}", content=b"--broken", headers={
            "content-type": "multipart/form-data; boundary=nothing"})
        assert upload.status_code == 429 and upload.headers["retry-after"] == "30"

        asking = client.get(f"/verify/{issue_no}")  # even the page asking for the code
        assert asking.status_code == 429

        now[0] += 30  # one request comes back every window / limit seconds
        assert client.get(f"/verify/{issue_no}", params={"code": code}).status_code == 200
        assert client.get(f"/verify/{issue_no}", params={"code": code}).status_code == 429


def test_the_limit_is_per_client_address_and_refused_requests_are_not_counted(api, platform, mayor):
    issue_no, pdf = _issued(api, platform, mayor)
    code = printed_code(pdf)
    auditor = api.login_as(mayor, "auditor")
    clock = [0.0]
    with _limited_client(platform, lambda: clock[0], limit=1, address="192.0.2.10") as first:
        limiter = first.app.state.verify_limiter
        with TestClient(first.app, client=("198.51.100.7", 40000)) as second:
            assert first.get(f"/api/v1/verify/{issue_no}", params={"code": code}).status_code == 200
            assert first.get(f"/api/v1/verify/{issue_no}", params={"code": code}).status_code == 429
            assert second.get(f"/api/v1/verify/{issue_no}", params={"code": code}).status_code == 200
            assert second.get(f"/api/v1/verify/{issue_no}", params={"code": code}).status_code == 429
        assert len(limiter) == 2
    [row] = api.client.get(f"/api/v1/t/{mayor}/document-verifications", headers=auditor).json()
    assert (row["issue_no"], row["confirmed"], row["refused"]) == (issue_no, 2, 0)


def test_an_anonymous_upload_is_not_read_past_what_a_certificate_can_be(platform):
    """The platform's upload limit (hundreds of MB, for a city's 課税資料) must not let anyone
    make the public /verify spool that much: past MAX_BODY the upload is refused unread."""
    app = create_app(platform=platform)
    chunk, chunks = b"\x00" * (1 << 20), 64  # 64 MiB of "PDF", sent without Content-Length
    head = (b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n"
            b"Content-Type: application/pdf\r\n\r\n")
    bodies = [head] + [chunk] * chunks + [b"\r\n--b--\r\n"]
    sent = {"bytes": 0, "index": 0}
    answer = {}

    async def receive():
        i = sent["index"]
        sent["index"] += 1
        if i >= len(bodies):
            return {"type": "http.disconnect"}
        sent["bytes"] += len(bodies[i])
        return {"type": "http.request", "body": bodies[i], "more_body": i < len(bodies) - 1}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]

    scope = {"type": "http", "method": "POST", "path": "/verify/062090-2026-000001", "raw_path": b"",
             "query_string": b"", "root_path": "", "scheme": "http", "server": ("testserver", 80),
             "client": ("192.0.2.77", 1234), "http_version": "1.1",
             "headers": [(b"content-type", b"multipart/form-data; boundary=b"), (b"host", b"testserver")]}
    # in a thread of its own: Playwright's sync API (e2e tests) leaves an event loop in the main thread
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    assert answer["status"] == 413
    assert sent["bytes"] <= MAX_BODY + len(chunk)  # stopped reading at the cap, not at 64 MiB
