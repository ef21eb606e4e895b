"""``municloud registry towns load|list``: the 住所マスター from the command line."""

from __future__ import annotations

from municloud.demo.profiles import NAGAI
from municloud.demo.towns import town_csv


def test_a_town_file_is_loaded_listed_and_a_bad_one_refused_with_its_lines(migrated, cli, tmp_path):
    assert cli("tenant", "add", "062090", "長井市").exit_code == 0
    good = tmp_path / "towns.csv"
    good.write_text(town_csv(NAGAI), encoding="utf-8")
    loaded = cli("registry", "towns", "load", "--tenant", "062090", str(good))
    assert loaded.exit_code == 0, loaded.output
    assert "町字 19件を取り込みました" in loaded.stdout and "今日有効なもの 17件" in loaded.stdout
    listed = cli("registry", "towns", "list", "--tenant", "062090", "--q", "たてまち")
    assert listed.exit_code == 0 and "館町北" in listed.stdout and "2件" in listed.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(town_csv(NAGAI).replace("9930051", "99-30051", 1), encoding="utf-8")
    report = tmp_path / "report.csv"
    refused = cli("registry", "towns", "load", "--tenant", "062090", str(bad), "--report", str(report))
    assert refused.exit_code != 0 and "13行目 post_code" in refused.output
    assert "REGISTRY_TOWNS_FILE_INVALID" in refused.output and "JP_POSTAL_CODE_INVALID" in report.read_text("utf-8")
    assert "19件" in cli("registry", "towns", "list", "--tenant", "062090", "--all").stdout  # the old master kept
