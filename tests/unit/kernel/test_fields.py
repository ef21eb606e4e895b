"""Input items defined once (kernel.fields): the columns agree, the document is in step, and
the pydantic type refuses with the item's code and label."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError
from sqlalchemy import String, Text

from municloud.bootstrap import import_all_fields, import_all_models
from municloud.errors import ConfigurationError
from municloud.input_rules import render
from municloud.kernel.db import Base
from municloud.kernel.fields import FIELDS, DateValue, TextField, TextKind, for_column, text_field

DOC = Path(__file__).resolve().parents[3] / "docs" / "input-rules.md"


def test_every_column_an_item_names_holds_the_items_maximum_length():
    import_all_models()
    problems = []
    for item in import_all_fields().values():
        for name in item.columns:
            table, column = name.split(".")
            sa_type = Base.metadata.tables[table].c[column].type
            if isinstance(sa_type, Text) or not isinstance(sa_type, String):
                continue  # unbounded text
            if sa_type.length is None or sa_type.length < item.max_len:
                problems.append(f"{name} is String({sa_type.length}) but {item.key} allows {item.max_len}")
    assert not problems, problems


def test_every_stored_name_and_address_of_a_resident_is_a_declared_item():
    import_all_models()
    import_all_fields()
    for column in ("shimei", "kyu_uji", "tsusho", "hittosha", "address", "katagaki", "honseki", "previous_address",
                   "moved_out_to", "shimei_kana", "zokugara"):
        item = for_column("registry_resident_history", column)
        assert item is not None, column


def test_the_document_is_generated_from_the_definitions():
    assert DOC.read_text(encoding="utf-8") == render(), "run: python -m municloud.input_rules > docs/input-rules.md"


def test_an_item_is_declared_once():
    try:
        text_field("test.same", "同じ", TextKind.TEXT, 10)
        assert text_field("test.same", "同じ", TextKind.TEXT, 10).max_len == 10
        with pytest.raises(ConfigurationError):
            text_field("test.same", "同じ", TextKind.TEXT, 20)
    finally:
        FIELDS.pop("test.same", None)


class Shape(BaseModel):
    name: TextField("test.name", "氏名", TextKind.NAME, 10).type
    note: TextField("test.note", "備考", TextKind.NOTE, 20).type | None = None
    day: DateValue | None = None


def test_the_pydantic_type_refuses_with_the_items_code_and_label_and_publishes_its_limit():
    with pytest.raises(ValidationError) as caught:
        Shape(name="山田\u202e", note="x" * 21, day="0001-01-01")
    errors = {e["loc"][0]: (e["type"], e["msg"]) for e in caught.value.errors()}
    assert errors["name"][0] == "INPUT_CONTROL_CHARACTER" and errors["name"][1].startswith("氏名に")
    assert errors["note"] == ("INPUT_TOO_LONG", "備考は20文字以内で入力してください（21文字あります）")
    assert errors["day"][0] == "INPUT_DATE_OUT_OF_RANGE"
    schema = Shape.model_json_schema()["properties"]
    assert schema["name"]["maxLength"] == 10 and schema["name"]["x-text-kind"] == "name"
    assert Shape(name="髙橋", note="1行目\n2行目").name == "髙橋"
