"""The migration ledger, the legacy 異動事由, the optional items and the household file's gaiji."""

from __future__ import annotations

import random
import re

import yaml
from sqlalchemy import select

from municloud.interchange.legacy.mapping import load_mapping
from municloud.interchange.legacy.migrate import migrate_legacy
from municloud.interchange.legacy.orm import LegacyLedgerEntry
from municloud.interchange.legacy.report import HELD, REJECTED
from municloud.interchange.legacy.sample import write_sample
from municloud.jp.codes import generate_juminhyo_code
from municloud.modules.registry.orm import ResidentRecord
from tests.integration.interchange.legacy.test_legacy_migration import (
    HOUSEHOLDS,
    resident_count,
    truth,
)

ITEMS = ("ido_jiyu", "address", "honseki", "hittosha", "kyu_uji", "kyu_uji_kana", "tsusho", "tsusho_kana",
         "my_number", "shimei")


def history(platform, tenant: str) -> dict[str, ResidentRecord]:
    with platform.session_factory() as session:
        rows = session.scalars(select(ResidentRecord).where(ResidentRecord.tenant_code == tenant))
        return {r.atena_no: r for r in rows}


def ledger(platform, tenant: str) -> list[LegacyLedgerEntry]:
    with platform.session_factory() as session:
        return list(session.scalars(select(LegacyLedgerEntry).where(LegacyLedgerEntry.tenant_code == tenant)))


def load(platform, ctx, directory, mapping=None):
    return migrate_legacy(platform, ctx, directory, load_mapping(mapping or directory / "mapping.yaml"))


def test_history_rows_carry_the_mapped_ido_jiyu_and_every_declared_item(platform, nagai, supervisor, tmp_path):
    src = write_sample(tmp_path / "legacy", households=HOUSEHOLDS, seed=5)  # has 通称, 旧氏 and a gaiji street
    report = load(platform, supervisor, src)
    assert report.balanced and report.residents.loaded
    expected = truth(src)["residents"]
    by_ledger = {e.atena_no: e.legacy_atena_no for e in ledger(platform, nagai)}
    rows = history(platform, nagai)
    assert set(rows) == set(by_ledger)
    for atena, row in rows.items():
        want = expected[by_ledger[atena]]
        assert {k: getattr(row, k) for k in ITEMS} == {k: want[k] for k in ITEMS}, atena
    reasons = {r.ido_jiyu for r in rows.values()}
    assert {"転入", "出生", "転居"} <= reasons  # not all 職権記載
    assert any(r.kyu_uji for r in rows.values()) and any(r.tsusho for r in rows.values())
    assert any("﨑町" in r.address for r in rows.values())  # a gaiji of the address, mapped
    bad = [i for i in report.issues if i.field == "my_number"]
    assert bad and all(i.outcome == REJECTED and not re.search(r"\d{4}", i.what) for i in bad)  # digits never shown


def test_the_ledger_maps_each_loaded_legacy_number_to_ours(platform, nagai, supervisor, tmp_path):
    src = write_sample(tmp_path / "legacy", households=12, seed=5)
    report = load(platform, supervisor, src)
    entries = ledger(platform, nagai)
    assert len(entries) == report.residents.loaded
    assert {e.system for e in entries} == {"旧システム"}
    rows, expected = history(platform, nagai), truth(src)["residents"]
    for e in entries:
        assert rows[e.atena_no].shimei == expected[e.legacy_atena_no]["shimei"]
        assert rows[e.atena_no].setai_no == e.setai_no and expected[e.legacy_atena_no]["setai_no"] == e.legacy_setai_no
        assert rows[e.atena_no].notification_id == e.notification_id
    by_household: dict[str, set[str]] = {}
    for e in entries:
        by_household.setdefault(e.legacy_setai_no, set()).add(e.setai_no)
    assert len(by_household) == report.households.loaded and all(len(v) == 1 for v in by_household.values())


def test_a_rerun_recognises_loaded_people_by_the_ledger_even_with_new_juminhyo_codes(platform, nagai, supervisor,
                                                                                        tmp_path):
    src = write_sample(tmp_path / "legacy", households=12, seed=5)
    first = load(platform, supervisor, src)
    rng = random.Random(1)
    lines = (src / "JUMIN.DAT").read_bytes().split(b"\r\n")
    recoded = [line[:113] + generate_juminhyo_code(rng).encode() + line[124:] if line else line for line in lines]
    (src / "JUMIN.DAT").write_bytes(b"\r\n".join(recoded))  # the vendor re-issued every 住民票コード

    second = load(platform, supervisor, src)
    assert second.balanced
    assert second.households.already_loaded == first.households.loaded and second.households.loaded == 0
    assert second.residents.already_loaded == first.residents.loaded
    assert resident_count(platform) == first.residents.loaded
    assert len(ledger(platform, nagai)) == first.residents.loaded


def test_a_household_half_in_the_ledger_is_rejected_not_loaded_twice(platform, nagai, supervisor, tmp_path):
    src = write_sample(tmp_path / "legacy", households=8, seed=5)
    first = load(platform, supervisor, src)
    lines = (src / "JUMIN.DAT").read_bytes().split(b"\r\n")
    setai = lines[0][10:20]
    members = [line for line in lines if line[10:20] == setai]
    assert len(members) >= 2, "the first household of seed 5 has several members"
    last = members[-1]  # becomes a member neither the ledger nor the registry knows
    new = b"8" + last[1:113] + generate_juminhyo_code(random.Random(2)).encode() + last[124:]
    lines[lines.index(last)] = new
    (src / "JUMIN.DAT").write_bytes(b"\r\n".join(lines))
    second = load(platform, supervisor, src)
    assert second.balanced and second.households.rejected == first.households.rejected + 1
    assert any("一部だけ" in i.what for i in second.issues)
    assert resident_count(platform) == first.residents.loaded


def test_gaiji_in_the_household_file_is_mapped_or_holds_the_household(platform, nagai, supervisor, tmp_path):
    src = write_sample(tmp_path / "legacy", households=12, seed=5)
    lines = (src / "SETAI.CSV").read_bytes().decode("cp932").split("\r\n")
    cells = lines[8].split(",")
    cells[2] = cells[2] + "\ue010"  # F050: a gaiji the mapping does not know, only in the household file
    lines[8] = ",".join(cells)
    (src / "SETAI.CSV").write_bytes("\r\n".join(lines).encode("cp932"))
    report = load(platform, supervisor, src)
    assert report.balanced and report.households.held == 1
    held = [i for i in report.issues if i.outcome == HELD]
    assert held and {i.setai_no for i in held} == {cells[0]}
    assert any(i.file == "SETAI.CSV" and i.field == "head_name" and "U+E010" in i.what for i in held)

    data = yaml.safe_load((src / "mapping.yaml").read_text(encoding="utf-8"))
    data["gaiji"]["F050"] = {"char": "x"}
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    second = load(platform, supervisor, src, fixed)  # mapped now, but 世帯主氏名 no longer agrees
    assert second.balanced and second.households.rejected == report.households.rejected + 1
    assert any(i.field == "head_name" and "違います" in i.what for i in second.issues)


def test_a_household_file_that_disagrees_with_the_residents_is_rejected(platform, nagai, supervisor, tmp_path):
    src = write_sample(tmp_path / "legacy", households=8, seed=5)
    lines = (src / "SETAI.CSV").read_bytes().decode("cp932").split("\r\n")
    cells = lines[2].split(",")
    cells[3] = "山形県長井市どこか1番"
    lines[2] = ",".join(cells)
    (src / "SETAI.CSV").write_bytes("\r\n".join(lines).encode("cp932"))
    report = load(platform, supervisor, src)
    assert report.balanced
    assert [i.setai_no for i in report.issues if i.field == "address" and i.outcome == REJECTED] == [cells[0]]
