"""Parameter definitions: YAML files of dated values, each with description, unit and reference."""

from __future__ import annotations

from datetime import date

import pytest

from municloud.errors import ConfigurationError, NotFoundError, ValidationError
from municloud.kernel.parameters.definitions import Definitions
from municloud.kernel.platform import KERNEL_PARAMETERS
from municloud.modules.registry import PARAMETERS_DIR as REGISTRY_PARAMETERS

DATED = """
test.certificate.fee:
  description: 証明書の交付手数料（試験用）
  unit: 円
  type: int
  reference: 試験用の条例
  values:
    2000-04-01: 300
    2025-04-01: 350
"""


def load(tmp_path, text: str, name: str = "test.yaml") -> Definitions:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    definitions = Definitions()
    definitions.load_file(path)
    return definitions


@pytest.fixture(scope="module")
def shipped() -> Definitions:
    definitions = Definitions()
    definitions.load_dir(KERNEL_PARAMETERS)
    definitions.load_dir(REGISTRY_PARAMETERS)
    return definitions


def test_the_kernel_and_registry_files_load_with_the_parameters_the_registry_needs(shipped):
    assert {
        "registry.certificate.fee",
        "tenant.mayor.title",
        "tenant.mayor.name",
        "welfare.livelihood_grade",
        "registry.address.notation",
        "registry.address.attributes",
    } <= set(shipped.items)


def test_every_shipped_definition_has_a_description_a_unit_and_a_legal_reference(shipped):
    incomplete = [
        key for key, d in shipped.items.items()
        if not (d.description.strip() and d.unit.strip() and d.reference.strip() and d.dates)
    ]
    assert incomplete == []


def test_every_shipped_value_is_of_its_type_and_among_its_choices(shipped):
    for definition in shipped.items.values():
        for value in definition.values:
            assert definition.check(value) == value


def test_the_value_in_force_changes_on_its_effective_date_not_the_day_before(tmp_path):
    fee = load(tmp_path, DATED).get("test.certificate.fee")
    assert fee.value_on(date(2025, 3, 31)) == (date(2000, 4, 1), 300)
    assert fee.value_on(date(2025, 4, 1)) == (date(2025, 4, 1), 350)
    assert fee.value_on(date(2030, 1, 1)) == (date(2025, 4, 1), 350)


def test_a_date_before_the_first_value_has_no_value_in_force(tmp_path):
    fee = load(tmp_path, DATED).get("test.certificate.fee")
    with pytest.raises(NotFoundError) as caught:
        fee.value_on(date(2000, 3, 31))
    assert caught.value.code == "PARAMETER_NOT_IN_FORCE"


def test_values_are_sorted_by_date_whatever_their_order_in_the_file(tmp_path):
    text = DATED.replace("    2000-04-01: 300\n    2025-04-01: 350", "    2025-04-01: 350\n    2000-04-01: 300")
    fee = load(tmp_path, text).get("test.certificate.fee")
    assert fee.dates == (date(2000, 4, 1), date(2025, 4, 1))


def test_an_unknown_key_is_refused(shipped):
    with pytest.raises(NotFoundError) as caught:
        shipped.get("registry.certificate.colour")
    assert caught.value.code == "PARAMETER_UNKNOWN"


@pytest.mark.parametrize("field", ["description", "unit", "reference", "type", "values"])
def test_a_definition_missing_a_field_is_refused_at_start_up(tmp_path, field):
    text = "\n".join(line for line in DATED.splitlines() if not line.strip().startswith(f"{field}:"))
    if field == "values":
        text = text.replace("    2000-04-01: 300\n    2025-04-01: 350", "")
    with pytest.raises(ConfigurationError) as caught:
        load(tmp_path, text)
    assert caught.value.code == "PARAMETER_DEFINITION_INCOMPLETE"
    assert field in caught.value.message


def test_a_definition_whose_value_breaks_its_own_type_is_refused(tmp_path):
    with pytest.raises(ValidationError) as caught:
        load(tmp_path, DATED.replace("350", "三百五十"))
    assert caught.value.code == "PARAMETER_TYPE_INVALID"


def test_an_unknown_type_is_refused(tmp_path):
    with pytest.raises(ConfigurationError) as caught:
        load(tmp_path, DATED.replace("type: int", "type: float"))
    assert caught.value.code == "PARAMETER_TYPE_UNKNOWN"


def test_the_same_key_in_two_files_is_refused(tmp_path):
    definitions = load(tmp_path, DATED)
    (tmp_path / "again.yaml").write_text(DATED, encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        definitions.load_file(tmp_path / "again.yaml")
    assert caught.value.code == "PARAMETER_DUPLICATE"


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        ("registry.certificate.fee", "300", "PARAMETER_TYPE_INVALID"),
        ("registry.certificate.fee", True, "PARAMETER_TYPE_INVALID"),
        ("registry.certificate.fee", 300.0, "PARAMETER_TYPE_INVALID"),
        ("registry.address.notation", "住居表示", "PARAMETER_CHOICE_INVALID"),
        ("registry.address.attributes", ["校区", "学区"], "PARAMETER_CHOICE_INVALID"),
        ("welfare.livelihood_grade", 4, "PARAMETER_CHOICE_INVALID"),
        ("tenant.designated_city", "はい", "PARAMETER_TYPE_INVALID"),
    ],
)
def test_a_value_of_the_wrong_type_or_outside_the_choices_is_refused(shipped, key, value, code):
    with pytest.raises(ValidationError) as caught:
        shipped.get(key).check(value)
    assert caught.value.code == code


def test_a_list_of_allowed_choices_is_accepted(shipped):
    assert shipped.get("registry.address.attributes").check(["校区", "自治区"]) == ["校区", "自治区"]
