"""The legacy mapping file: the sample is valid; mistakes are refused in Japanese."""

from __future__ import annotations

import copy

import pytest

from municloud.interchange.legacy.mapping import (
    MappingError,
    load_mapping,
    parse_mapping,
    pua_to_code,
)
from municloud.interchange.legacy.reader import read_fixed
from municloud.interchange.legacy.sample import GAIJI, RECORD_LENGTH, sample_mapping, write_sample


def test_sample_mapping_is_valid_and_keyed_by_cp932_code():
    mapping = parse_mapping(sample_mapping())
    assert set(mapping.gaiji) == set(GAIJI)
    assert pua_to_code("\ue000") == "F040" and pua_to_code("\ue757") == "F9FC"
    assert mapping.gaiji_for("\ue000").char == "辻\U000e0102"
    assert mapping.gaiji_for("\ue000").collection == "Moji_Joho"
    assert mapping.codes["zokugara"]["01"] == "世帯主"


def _broken(change) -> dict:
    data = copy.deepcopy(sample_mapping())
    change(data)
    return data


@pytest.mark.parametrize(("change", "words"), [
    (lambda d: d.pop("codes"), "codes"),
    (lambda d: d["codes"].pop("zokugara"), "zokugara"),
    (lambda d: d["codes"]["sex"].update(M="男性"), "性別"),
    (lambda d: d["gaiji"].update({"8140": {"char": "x"}}), "利用者定義領域"),
    (lambda d: d["gaiji"].update({"F045": {"char": "\ue005"}}), "私用領域"),
    (lambda d: d["gaiji"].update({"F045": {"char": "x", "collection": "JIS"}}), "collection"),
    (lambda d: d["layout"][2].update(length=600), "レコード長"),
    (lambda d: d["gaiji"]["F040"].update(collection="Adobe-Japan1"), "Moji_Joho"),
    (lambda d: d["gaiji"]["F041"].update(collection="Moji_Joho"), "IVS"),
    (lambda d: d["layout"][3].update(start=30), "重なって"),
    (lambda d: d["layout"].pop(0), "atena_no"),
    (lambda d: d["layout"][4].update(type="text"), "wareki"),
    (lambda d: d.update(extra=1), "知らない項目"),
    (lambda d: d.update(record_length="301"), "record_length"),
    (lambda d: d["codes"]["ido_jiyu"].update(A1="転入届"), "異動事由は標準の値"),
    (lambda d: d["household_columns"].update(fax="FAX"), "household_columns"),
    (lambda d: d.update(system="x" * 41), "system"),
    (lambda d: d["layout"][-1].update(type="text"), "my_number の type は digits"),
])
def test_broken_mapping_is_refused_in_japanese(change, words):
    with pytest.raises(MappingError) as info:
        parse_mapping(_broken(change))
    assert words in info.value.message and info.value.message.startswith("対応表の")


def test_unreadable_or_missing_file(tmp_path):
    with pytest.raises(MappingError, match="ありません"):
        load_mapping(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("gaiji: [unclosed", encoding="utf-8")
    with pytest.raises(MappingError, match="YAML"):
        load_mapping(bad)


def test_fixed_width_reader_cuts_bytes_and_reports_wrong_lengths(tmp_path):
    src = write_sample(tmp_path / "legacy", households=5)
    mapping = load_mapping(src / "mapping.yaml")
    records = list(read_fixed(src / "JUMIN.DAT", mapping))
    assert records[0].values["shimei"].startswith("\ue000本\u3000")
    assert records[0].offset == 0 and records[1].offset == RECORD_LENGTH + 2
    assert all(r.error is None for r in records)
    with (src / "JUMIN.DAT").open("ab") as f:
        f.write("短い行".encode("cp932") + b"\r\n")
    last = list(read_fixed(src / "JUMIN.DAT", mapping))[-1]
    assert last.error and "バイト" in last.error and last.line == len(records) + 1
