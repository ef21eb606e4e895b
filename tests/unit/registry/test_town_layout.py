"""The 町字 file (ABR 町字マスター layout): read all or nothing with line numbers, and the
dating of 町字 — created, renamed, abolished — as matching sees it."""

from __future__ import annotations

from datetime import date

import pytest

from municloud.bootstrap import import_all_fields
from municloud.modules.registry.towns.layout import TownsRefused, parse_towns
from municloud.modules.registry.towns.matching import TownName, match, town_key

import_all_fields()

HEADER = "lg_code,machiaza_id,machiaza_type,oaza_cho,oaza_cho_kana,chome,chome_kana,efct_date,ablt_date,post_code,attr:校区"


def parse(*lines: str, tenant: str = "062090", wards: tuple[str, ...] = ()):
    return parse_towns("\n".join((HEADER, *lines)).encode(), tenant, wards)


def problems(*lines: str, header: str = HEADER, **kw) -> set[tuple[int, str, str]]:
    with pytest.raises(TownsRefused) as caught:
        parse_towns("\n".join((header, *lines)).encode(), "062090", **kw)
    assert caught.value.code == "REGISTRY_TOWNS_FILE_INVALID"
    return {(p.row, p.column, p.code) for p in caught.value.problems}


def test_a_row_gives_the_town_its_name_kana_period_postal_code_and_attributes():
    [town] = parse("062090,0001002,2,本町,ほんちょう,二丁目,ニチョウメ,1980-04-01,,993-0011,長井小学校区")
    assert (town.line, town.machiaza_id, town.name, town.kana) == (2, "0001002", "本町二丁目", "ホンチョウニチョウメ")
    assert (town.valid_from, town.valid_to, town.postal_code) == (date(1980, 4, 1), None, "9930011")
    assert town.attributes == {"校区": "長井小学校区"}


def test_a_bom_is_accepted_and_any_other_abr_column_is_ignored():
    data = ("\ufefflg_code,machiaza_id,oaza_cho,pref,remarks\n062090,0009000,大字成田,山形県,備考\n").encode()
    assert [t.name for t in parse_towns(data, "062090")] == ["大字成田"]


def test_every_problem_is_reported_with_its_line_and_nothing_is_read():
    found = problems(
        "062090,0001000,1,本町,ホンチョウ,,,,,993-0011,",
        "062091,0002000,1,栄町,サカエマチ,,,,,,",  # another tenant
        "062090,12,1,館町,タテマチ,,,,,,",  # a bad id
        "062090,0004000,1,成田,成田,,,2000-13-01,,99,",  # kanji kana, bad date, bad postal code
        "062090,0005000,1,,,,,,,,",  # no name
        "062090,0006000,1,小出",  # too short
    )
    assert found == {
        (3, "lg_code", "REGISTRY_TOWNS_OTHER_TENANT"), (4, "machiaza_id", "REGISTRY_TOWNS_ID_INVALID"),
        (5, "oaza_cho_kana", "JP_FURIGANA_INVALID"), (5, "efct_date", "REGISTRY_TOWNS_DATE_INVALID"),
        (5, "post_code", "JP_POSTAL_CODE_INVALID"), (6, "oaza_cho", "REGISTRY_TOWNS_NAME_REQUIRED"),
        (7, "", "REGISTRY_TOWNS_ROW_LENGTH"),
    }


def test_a_header_without_a_required_column_or_with_an_unknown_one_is_refused():
    assert problems("0001000,本町", header="machiaza_id,oaza_cho") == {
        (1, "lg_code", "REGISTRY_TOWNS_COLUMN_MISSING")}
    assert problems("062090,0001000,本町,x", header="lg_code,machiaza_id,oaza_cho,school") == {
        (1, "school", "REGISTRY_TOWNS_COLUMN_UNKNOWN")}


def test_a_file_the_csv_reader_cannot_read_is_refused_not_an_error():
    data = f"{HEADER}\n062090,0001000,1,{'本' * 200_000}\n".encode()
    with pytest.raises(TownsRefused) as caught:
        parse_towns(data, "062090")
    assert [(p.row, p.code) for p in caught.value.problems] == [(2, "REGISTRY_TOWNS_CSV_INVALID")]


def test_an_empty_or_non_utf8_file_is_refused():
    for data, code in ((b"", "REGISTRY_TOWNS_EMPTY"), (b"lg_code,machiaza_id,oaza_cho\n", "REGISTRY_TOWNS_EMPTY"),
                       ("lg_code,machiaza_id,oaza_cho\n062090,0001000,本町\n".encode("cp932"),
                        "REGISTRY_TOWNS_ENCODING")):
        with pytest.raises(TownsRefused) as caught:
            parse_towns(data, "062090")
        assert caught.value.problems[0].code == code


def test_overlapping_periods_of_one_id_and_two_towns_of_one_name_at_once_are_refused():
    assert problems(
        "062090,0002000,1,新栄町,シンサカエマチ,,,,1975-04-02,,",
        "062090,0002000,1,栄町,サカエマチ,,,1975-04-01,,,",
        "062090,0003000,1,館町,タテマチ,,,,,,",
        "062090,0004000,1,大字館町,タテマチ,,,,,,",
    ) == {(3, "machiaza_id", "REGISTRY_TOWNS_PERIOD_OVERLAP"), (5, "oaza_cho", "REGISTRY_TOWNS_NAME_TWICE")}
    assert problems("062090,0002000,1,栄町,サカエマチ,,,1975-04-01,1975-04-01,,") == {
        (2, "ablt_date", "REGISTRY_TOWNS_PERIOD_INVALID")}


def test_a_designated_citys_rows_name_one_of_its_wards_and_may_carry_the_wards_code():
    header = "lg_code,machiaza_id,ward,oaza_cho"
    data = f"{header}\n341011,0001000,中区,基町\n341002,0002000,,大手町\n".encode()
    with pytest.raises(TownsRefused) as caught:
        parse_towns(data, "341002", ("中区", "東区"))
    assert {(p.row, p.column) for p in caught.value.problems} == {(3, "ward")}
    [town] = parse_towns(f"{header}\n341011,0001000,中区,基町\n".encode(), "341002", ("中区", "東区"))
    assert town.name == "中区基町" and town.key(("中区",)) == "中区基町"


# dating: created, renamed, abolished -------------------------------------------------------

RENAMED = [
    TownName("0002000", town_key("新栄町"), date(1873, 1, 1), date(1975, 4, 1)),
    TownName("0002000", town_key("栄町"), date(1975, 4, 1), None),
    TownName("9001000", town_key("館町"), date(1873, 1, 1), date(1975, 4, 1)),
    TownName("0003000", town_key("館町北"), date(1975, 4, 1), None),
    TownName("0009000", town_key("大字成田"), date(1873, 1, 1), None),
]


def test_a_renamed_town_answers_to_its_old_name_before_the_day_and_its_new_name_from_it():
    assert match(RENAMED, "新栄町2番3号", date(1975, 3, 31))[0].machiaza_id == "0002000"
    assert match(RENAMED, "新栄町2番3号", date(1975, 4, 1))[0] is None
    assert match(RENAMED, "栄町2番3号", date(1975, 4, 1))[0].machiaza_id == "0002000"
    assert match(RENAMED, "栄町2番3号", date(1975, 3, 31))[0] is None


def test_an_abolished_town_is_gone_from_its_abolition_day_and_a_created_one_starts_on_its_day():
    assert match(RENAMED, "館町3番", date(1970, 1, 1))[0].machiaza_id == "9001000"
    assert match(RENAMED, "館町3番", date(2026, 1, 1))[0] is None
    assert match(RENAMED, "館町北3番", date(1975, 3, 31))[0] is None
    assert match(RENAMED, "館町北3番4号", date(2026, 1, 1)) == (RENAMED[3], "3番4号")


def test_matching_ignores_oaza_and_width_and_needs_a_number_after_the_town():
    on = date(2026, 1, 1)
    assert match(RENAMED, "成田１２３番地", on)[0].machiaza_id == "0009000"
    assert match(RENAMED, "大字成田123番地", on)[0].machiaza_id == "0009000"
    assert match(RENAMED, "成田東123番地", on)[0] is None  # another 町字 that begins the same
    assert match(RENAMED, "大字成田字北原45番地", on)[0].machiaza_id == "0009000"  # a 小字 the master lacks
    assert match(RENAMED, "成田甲12番地", on)[0].machiaza_id == "0009000"
    assert match(RENAMED, "館町北", on) == (RENAMED[3], "")  # the 番地 is missing: the service says so
