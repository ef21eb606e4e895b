"""The screens refuse what the API refuses, by the same definitions (kernel.fields, jp.policy):
the error is shown next to its field, nothing is registered, and nothing is assumed."""

from __future__ import annotations

import pytest

from tests.factories import registry_footprint
from tests.integration.screens.test_notification_errors import ONE_PERSON, is_invalid, summary_links
from tests.integration.screens.test_notification_screens import open_form, send


@pytest.fixture
def b(signed_in, nagai):
    return signed_in(nagai, "registry_clerk")


@pytest.mark.parametrize(("field", "value", "words"), [
    ("persons.0.shimei", "長井\u202e一子", "U+202E"),  # a bidi control makes the name read otherwise
    ("persons.0.shimei", "長井\u200b一子", "U+200B"),
    ("persons.0.shimei", "長" * 101, "100文字以内"),
    ("previous_address", "東京都千代田区" * 100, "200文字以内"),
    ("persons.0.birth_date", "0001-01-01", "明治6年1月1日"),
])
def test_the_entry_screen_refuses_a_bad_item_next_to_its_field(b, platform, nagai, field, value, words):
    page = open_form(b, nagai, "tennyu")
    response = send(b, nagai, "tennyu", page, {**ONE_PERSON, field: value})
    assert response.status_code == 422, response.text[:300]
    target = "f-" + field.replace(".", "-")
    assert words in summary_links(response.text)[target]
    assert is_invalid(response.text, target)
    assert registry_footprint(platform, nagai)["registry_notifications"] == 0


def test_a_form_without_the_residents_kind_asks_for_it(b, platform, nagai):
    page = open_form(b, nagai, "tennyu")
    response = send(b, nagai, "tennyu", page, {**ONE_PERSON, "persons.0.resident_kind": ""})
    assert response.status_code == 422
    assert "住民種別（日本人・外国人）を選んでください" in summary_links(response.text)["f-persons-0-resident_kind"]
    assert registry_footprint(platform, nagai)["registry_notifications"] == 0
