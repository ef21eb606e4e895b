"""Legacy migration end to end on the fictional 旧システム: load, hold, report, second run."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from municloud.interchange.legacy.mapping import load_mapping
from municloud.interchange.legacy.migrate import migrate_legacy
from municloud.interchange.legacy.report import HELD, REJECTED
from municloud.interchange.legacy.sample import RECORD_LENGTH, write_sample
from municloud.modules.registry.orm import ResidentIndex, ResidentRecord
from municloud.modules.registry.services.queries import SearchQuery, search_residents

HOUSEHOLDS = 30


@pytest.fixture
def legacy(tmp_path) -> Path:
    return write_sample(tmp_path / "legacy", households=HOUSEHOLDS, seed=7)


def truth(directory: Path) -> dict:
    return json.loads((directory / "truth.json").read_text(encoding="utf-8"))


def names_in_db(platform, tenant: str) -> dict[str, str]:
    with platform.engine.connect() as conn:
        rows = conn.execute(select(ResidentRecord.juminhyo_code, ResidentRecord.shimei)
                            .where(ResidentRecord.tenant_code == tenant))
        return dict(rows.all())


def resident_count(platform) -> int:
    with platform.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(ResidentIndex)).scalar_one()


def test_sample_files_are_cp932_with_user_defined_characters(legacy):
    text = (legacy / "JUMIN.DAT").read_bytes().decode("cp932")
    assert any(0xE000 <= ord(c) <= 0xE757 for c in text)
    (legacy / "SETAI.CSV").read_bytes().decode("cp932")
    lines = (legacy / "JUMIN.DAT").read_bytes().split(b"\r\n")
    assert {len(line) for line in lines if line} == {RECORD_LENGTH}  # widths are bytes
    assert write_sample(legacy.parent / "again", households=HOUSEHOLDS, seed=7).joinpath("JUMIN.DAT").read_bytes() \
        == (legacy / "JUMIN.DAT").read_bytes()


def test_full_mapping_loads_everything_byte_for_byte(platform, nagai, supervisor, legacy):
    report = migrate_legacy(platform, supervisor, legacy, load_mapping(legacy / "mapping.yaml"))
    expected = truth(legacy)
    rejected = set(expected["rejected_setai"])
    good = {k: v for k, v in expected["residents"].items() if v["setai_no"] not in rejected}
    assert report.balanced
    assert report.residents.loaded == len(good)
    assert report.households.loaded == HOUSEHOLDS - len(rejected) and report.households.rejected == len(rejected)
    assert all(i.outcome == REJECTED and i.setai_no in rejected for i in report.issues)
    loaded = names_in_db(platform, nagai)
    assert {code: name for code, name in loaded.items()} == {v["juminhyo_code"]: v["shimei"] for v in good.values()}
    assert any("\U000e0102" in name for name in loaded.values())
    assert any("\U00020bb7" in name for name in loaded.values())
    for surname in ("辻\U000e0102本", "𠮷田", "髙橋", "山﨑", "渡邉\U000e0110"):
        wanted = {v["shimei"] for v in good.values() if v["shimei"].startswith(surname)}
        found = search_residents(platform.uow(nagai), supervisor, SearchQuery(name=surname, limit=200)).rows
        assert wanted and wanted <= {r.shimei for r in found}, surname


def test_missing_gaiji_and_code_hold_exactly_their_households(platform, nagai, supervisor, legacy, tmp_path):
    data = yaml.safe_load((legacy / "mapping.yaml").read_text(encoding="utf-8"))
    del data["gaiji"]["F042"]  # 𠮷
    del data["codes"]["zokugara"]["99"]  # 同居人
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    expected = truth(legacy)
    residents = expected["residents"].values()
    rejected = set(expected["rejected_setai"])
    held = {v["setai_no"] for v in residents if "E002" in v["gaiji"] or v["zokugara"] == "同居人"} - rejected
    assert held

    report = migrate_legacy(platform, supervisor, legacy, load_mapping(broken))
    assert report.balanced
    assert report.households.held == len(held)
    assert {i.setai_no for i in report.issues if i.outcome == HELD} == held
    gaiji = [i for i in report.issues if "U+E002" in i.what]
    assert gaiji and all(i.candidates.startswith("吉") for i in gaiji)
    assert {i.field for i in gaiji} == {"shimei", "hittosha", "head_name"}  # 筆頭者 and the household file too
    assert any(i.field == "zokugara" and "'99'" in i.what for i in report.issues)
    loaded = names_in_db(platform, nagai)
    assert not {v["juminhyo_code"] for v in residents if v["setai_no"] in held} & set(loaded)
    assert len(loaded) == report.residents.loaded

    review, counts = report.write(tmp_path / "report")
    with review.open(encoding="utf-8") as f:
        lines = list(csv.DictReader(f))
    assert {r["legacy_setai_no"] for r in lines if r["outcome"] == HELD} == held
    assert all(int(r["byte_offset"]) % (RECORD_LENGTH + 2) == 0 for r in lines if r["file"] == "JUMIN.DAT")

    second = migrate_legacy(platform, supervisor, legacy, load_mapping(legacy / "mapping.yaml"))
    assert second.balanced
    assert second.households.loaded == len(held)
    assert second.households.already_loaded == report.households.loaded
    assert second.residents.loaded == report.residents.held
    assert resident_count(platform) == report.residents.loaded + report.residents.held
    third = migrate_legacy(platform, supervisor, legacy, load_mapping(legacy / "mapping.yaml"))
    assert third.residents.loaded == 0 and third.households.already_loaded == HOUSEHOLDS - len(rejected)


def test_invalid_rows_are_rejected_and_counted(platform, nagai, supervisor, legacy):
    lines = (legacy / "JUMIN.DAT").read_bytes().split(b"\r\n")
    orphan = b"9999999998" + b"9999999999" + lines[0][20:113] + b"12345678901" + lines[0][124:]
    with (legacy / "JUMIN.DAT").open("ab") as f:
        f.write("短い行".encode("cp932") + b"\r\n" + orphan + b"\r\n")
    report = migrate_legacy(platform, supervisor, legacy, load_mapping(legacy / "mapping.yaml"))
    assert report.balanced
    assert report.residents.rejected == len([v for v in truth(legacy)["residents"].values()
                                             if v["setai_no"] in truth(legacy)["rejected_setai"]]) + 2
    whats = {i.what for i in report.issues}
    assert any("レコード長" in w for w in whats) and any("世帯ファイルにない世帯番号" in w for w in whats)
    assert any("日付 '3999999'" in w for w in whats)
    assert any(i.field == "my_number" and "検査用数字" in i.what for i in report.issues)
    assert resident_count(platform) == report.residents.loaded


def test_duplicate_numbers_are_rejected_not_merged(platform, nagai, supervisor, legacy):
    csv_lines = (legacy / "SETAI.CSV").read_bytes().split(b"\r\n")
    (legacy / "SETAI.CSV").write_bytes(b"\r\n".join(csv_lines[:2] + csv_lines[1:]))  # first household twice
    lines = (legacy / "JUMIN.DAT").read_bytes().split(b"\r\n")
    first, second = lines[0], next(x for x in lines[1:] if x[10:20] != lines[0][10:20])
    copied = second[:113] + first[113:124] + second[124:]  # another household reuses a 住民票コード
    (legacy / "JUMIN.DAT").write_bytes(b"\r\n".join([first, copied] + lines[1:]))
    report = migrate_legacy(platform, supervisor, legacy, load_mapping(legacy / "mapping.yaml"))
    assert report.balanced
    assert report.households.read == HOUSEHOLDS + 1
    assert sum("重複" in i.what for i in report.issues) == 1
    assert sum("住民票コード" in i.what and "2 件" in i.what for i in report.issues) == 2
    assert resident_count(platform) == report.residents.loaded
