"""The ordinary (access) log never carries personal data: no query strings, no record numbers."""

from __future__ import annotations

import logging

from tests.integration.api.helpers import person, tennyu


def test_the_access_log_names_routes_not_residents_or_search_words(api, nagai, caplog):
    clerk = api.login_as(nagai, "registry_clerk")
    moved_in = api.client.post(
        f"/api/v1/t/{nagai}/notifications", json=tennyu(person("鈴木　花子", "スズキ　ハナコ")), headers=clerk
    )
    atena_no = moved_in.json()["atena_nos"][0]
    with caplog.at_level(logging.INFO, logger="municloud.access"):
        api.client.get(f"/api/v1/t/{nagai}/residents", params={"q": "スズキ　ハナコ"}, headers=clerk)
        api.client.get(f"/api/v1/t/{nagai}/residents/{atena_no}", headers=clerk)
    lines = [r.getMessage() for r in caplog.records if r.name == "municloud.access"]
    assert any(line.startswith("GET /api/v1/t/{tenant}/residents 200") for line in lines)
    assert any(line.startswith("GET /api/v1/t/{tenant}/residents/{atena_no} 200") for line in lines)
    text = "\n".join(lines)
    assert "スズキ" not in text and "%E3" not in text and "q=" not in text
    assert atena_no not in text
