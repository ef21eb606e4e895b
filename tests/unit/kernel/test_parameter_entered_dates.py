"""A parameter looked up for a date a person entered, before the parameter's first value,
is that person's input error (a Japanese message on the field) — not an internal 404.
Lookups for other days and unknown keys stay internal errors."""

from __future__ import annotations

from datetime import date

import pytest

from municloud.errors import NotFoundError, ValidationError
from municloud.kernel.parameters.definitions import Definitions, ParameterNotInForceError
from municloud.kernel.parameters.services import entered_date

DATED = """
test.address.attributes:
  description: 住所の付加情報（試験用）
  unit: 項目名の一覧
  type: list
  reference: 試験用
  values:
    2000-04-01: []
"""


@pytest.fixture
def definitions(tmp_path) -> Definitions:
    path = tmp_path / "test.yaml"
    path.write_text(DATED, encoding="utf-8")
    d = Definitions()
    d.load_file(path)
    return d


def test_a_day_before_the_first_value_carries_the_key_the_day_and_the_first_day(definitions):
    with pytest.raises(ParameterNotInForceError) as caught:
        definitions.get("test.address.attributes").value_on(date(1975, 1, 1))
    assert caught.value.code == "PARAMETER_NOT_IN_FORCE" and caught.value.status == 404
    assert caught.value.detail == {"key": "test.address.attributes", "on": "1975-01-01", "first": "2000-04-01"}


def test_for_the_entered_date_it_becomes_the_clerks_input_error_on_that_field(definitions):
    with pytest.raises(ValidationError) as caught, entered_date(date(1975, 1, 1), "ido_date", "異動日"):
        definitions.get("test.address.attributes").value_on(date(1975, 1, 1))
    error = caught.value
    assert (error.code, error.status) == ("DATE_BEFORE_RULES", 422)
    assert error.message.startswith("異動日（昭和50年1月1日）が古すぎます") and "平成12年4月1日" in error.message
    assert "test.address.attributes" not in error.message and "パラメータ" not in error.message
    assert list(error.fields) == ["ido_date"]


def test_a_lookup_for_another_day_stays_an_internal_error(definitions):
    with pytest.raises(ParameterNotInForceError), entered_date(date(1975, 1, 1), "ido_date", "異動日"):
        definitions.get("test.address.attributes").value_on(date(1999, 1, 1))


def test_an_unknown_parameter_stays_an_internal_error(definitions):
    with pytest.raises(NotFoundError) as caught, entered_date(date(1975, 1, 1), "ido_date", "異動日"):
        definitions.get("test.no.such.key")
    assert caught.value.code == "PARAMETER_UNKNOWN" and not isinstance(caught.value, ValidationError)
