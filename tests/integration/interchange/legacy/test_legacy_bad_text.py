"""Legacy migration applies the registry's input rules (jp.policy through kernel.fields): a
control character, a フリガナ that is not kana, a date before 明治6年 or a mapping whose
gaiji is not a standard character is a report line — never a crash, never a loaded row."""

from __future__ import annotations

import json

import pytest
import yaml

from municloud.interchange.legacy.mapping import MappingError, load_mapping
from municloud.interchange.legacy.migrate import migrate_legacy
from municloud.interchange.legacy.report import REJECTED
from municloud.interchange.legacy.sample import write_sample
from tests.integration.interchange.legacy.test_legacy_ledger_and_items import history, ledger

SHIMEI, KANA = (20, 40), (60, 40)  # byte ranges of the sample layout (interchange/legacy/sample.py)


def spoil(directory, line: int, start: int, new: bytes) -> None:
    """Overwrite bytes of one fixed-width record (same length: the record stays valid)."""
    path = directory / "JUMIN.DAT"
    data = path.read_bytes()
    sep = b"\r\n" if b"\r\n" in data else b"\n"
    lines = data.split(sep)
    record = bytearray(lines[line - 1])
    record[start:start + len(new)] = new
    lines[line - 1] = bytes(record)
    path.write_bytes(sep.join(lines))


def households_of(directory) -> list[str]:
    data = (directory / "JUMIN.DAT").read_bytes()
    return [r[10:20].decode() for r in data.replace(b"\r\n", b"\n").split(b"\n") if r.strip()]


@pytest.fixture
def legacy(tmp_path):
    return write_sample(tmp_path / "legacy", households=6, seed=11)


@pytest.mark.parametrize(("where", "bytes_", "field", "words"), [
    (SHIMEI, b"\x01 ", "shimei", "制御文字"),  # a C0 control (CP932 decodes it) in a name
    (KANA, "山".encode("cp932"), "shimei_kana", "フリガナ"),  # a kanji in the half-width kana column
])
def test_a_bad_item_rejects_its_household_with_a_reason(platform, nagai, supervisor, legacy, where, bytes_, field,
                                                       words):
    facts = json.loads((legacy / "truth.json").read_text(encoding="utf-8"))
    clean = [s for s in households_of(legacy) if s not in facts["rejected_setai"]]
    line = 1 + households_of(legacy).index(clean[0])  # the first row of a household that loads otherwise
    spoil(legacy, line, where[0], bytes_)
    report = migrate_legacy(platform, supervisor, legacy, load_mapping(legacy / "mapping.yaml"))

    assert report.balanced
    [issue] = [i for i in report.issues if i.line == line and i.field == field]
    assert issue.outcome == REJECTED and words in issue.what
    loaded = {e.legacy_setai_no for e in ledger(platform, nagai)}
    assert households_of(legacy)[line - 1] not in loaded and loaded  # the others are loaded
    assert all("\x01" not in r.shimei for r in history(platform, nagai).values())


def test_a_mapping_whose_gaiji_is_a_bidi_control_is_refused(legacy, tmp_path):
    data = yaml.safe_load((legacy / "mapping.yaml").read_text(encoding="utf-8"))
    code = next(iter(data["gaiji"]))
    data["gaiji"][code] = {"char": "\u202e"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(bad)
    assert caught.value.code == "LEGACY_MAPPING_INVALID" and "U+202E" in caught.value.message
