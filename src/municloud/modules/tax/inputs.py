"""The 課税資料 CSV layout (one file of persons, one of their spouses and dependants) and
the checks of one person's 課税資料 — shared by the CSV import and the API.

Layout (UTF-8, RFC 4180, header row with the Japanese item names below; ``docs/tax.md``):

* 課税資料ファイル: one row per person — :data:`INPUT_COLUMNS`.
* 親族ファイル (optional): one row per spouse or dependant — :data:`RELATIVE_COLUMNS`;
  a 親族 of the same tenant is named by 宛名番号 (age from the registry, income from their own
  課税資料), one living elsewhere by 氏名・生年月日・合計所得金額.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from municloud.modules.tax.domain import DEPENDANT, RELATIONS, SPOUSE

AMOUNT_COLUMNS = (
    ("salary_income", "給与収入"), ("pension_income", "公的年金等収入"), ("other_income", "その他の所得"),
    ("social_insurance", "社会保険料"), ("life_general_new", "一般生命保険料（新）"),
    ("life_general_old", "一般生命保険料（旧）"), ("life_care_medical", "介護医療保険料"),
    ("life_pension_new", "個人年金保険料（新）"), ("life_pension_old", "個人年金保険料（旧）"),
    ("earthquake", "地震保険料"), ("long_term_old", "旧長期損害保険料"), ("medical_expenses", "医療費"),
)
FLAG_COLUMNS = (
    ("disabled", "障害者"), ("specially_disabled", "特別障害者"),
    ("cohabiting_specially_disabled", "同居特別障害者"), ("widow", "寡婦"), ("single_parent", "ひとり親"),
    ("working_student", "勤労学生"), ("livelihood_assistance", "生活扶助"),
)
TEXT_COLUMNS = (("employer_no", "特別徴収義務者指定番号"), ("employer_name", "特別徴収義務者"))

INPUT_COLUMNS = (("atena_no", "宛名番号"), *AMOUNT_COLUMNS, *TEXT_COLUMNS, *FLAG_COLUMNS)
RELATIVE_COLUMNS = (
    ("atena_no", "宛名番号"), ("relation", "続柄の区分"), ("relative_atena_no", "親族の宛名番号"),
    ("name", "親族の氏名"), ("birth_date", "親族の生年月日"), ("income", "親族の合計所得金額"),
    ("cohabiting", "同居"), ("lineal_ascendant", "直系尊属"),
)
RELATION_NAMES = {"配偶者": SPOUSE, "扶養親族": DEPENDANT, SPOUSE: SPOUSE, DEPENDANT: DEPENDANT}
MAX_AMOUNT = 10**13  # 10兆円: anything larger is a typing error


@dataclass
class RelativeIn:
    relation: str  # spouse / dependant
    relative_atena_no: str | None = None
    name: str | None = None
    birth_date: date | None = None
    income: int | None = None
    cohabiting: bool = False
    lineal_ascendant: bool = False
    row: int = 0  # row of the 親族ファイル it came from (reports only)


@dataclass
class PersonInput:
    """One person's 課税資料 for a 年度, checked."""

    atena_no: str
    amounts: dict[str, int]
    employer_no: str | None = None
    employer_name: str | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    relatives: list[RelativeIn] = field(default_factory=list)


def parse_amount(text: str) -> int:
    """An amount in yen: digits (commas allowed), empty → 0.  Raises ValueError."""
    text = (text or "").strip().replace(",", "")
    if text == "":
        return 0
    if not text.isascii() or not text.isdigit():
        raise ValueError("0以上の整数（円）で入力してください")
    value = int(text)
    if value > MAX_AMOUNT:
        raise ValueError("金額が大きすぎます")
    return value


def parse_flag(text: str) -> bool:
    text = (text or "").strip()
    if text in ("", "0"):
        return False
    if text == "1":
        return True
    raise ValueError("1（該当）か 0・空欄（非該当）で入力してください")


def relative_problems(rel: RelativeIn) -> list[tuple[str, str]]:
    """(column, reason) for a spouse / dependant that cannot be used."""
    problems = []
    if rel.relation not in RELATIONS:
        problems.append(("relation", "配偶者 か 扶養親族 を入力してください"))
    if rel.relative_atena_no:
        if rel.name or rel.birth_date or rel.income is not None:
            problems.append(("relative_atena_no",
                             "同じ団体の親族は宛名番号だけで示します（氏名・生年月日・所得は住民記録と本人の課税資料から）"))
    elif not (rel.name and rel.birth_date):
        problems.append(("name", "団体外の親族は氏名と生年月日を入力してください（同じ団体なら宛名番号）"))
    elif rel.income is None:
        problems.append(("income", "団体外の親族は合計所得金額を入力してください（所得がなければ 0）"))
    return problems


def relative_key(rel: RelativeIn) -> tuple:
    """Who a relative is: the 宛名番号, or the name and birth date of one living elsewhere."""
    return (rel.relative_atena_no,) if rel.relative_atena_no else (rel.name, rel.birth_date)


def claimed_twice(persons: list[PersonInput]) -> dict[str, list[str]]:
    """Relatives declared by more than one taxpayer (a child claimed by both parents, two
    persons each declaring the other as spouse): who (for a message) → the taxpayers."""
    claims: dict[tuple, list[str]] = {}
    for p in persons:
        for r in p.relatives:
            claims.setdefault(relative_key(r), []).append(p.atena_no)
    twice = {"・".join(str(x) for x in k): v for k, v in claims.items() if len(v) > 1}
    spouses = {(p.atena_no, r.relative_atena_no) for p in persons for r in p.relatives
               if r.relation == SPOUSE and r.relative_atena_no}
    for a, b in spouses:
        if (b, a) in spouses and a < b:
            twice[f"配偶者どうし {a}・{b}"] = [a, b]
    return twice


def person_problems(person: PersonInput, *, with_relatives: bool = True) -> list[tuple[str, str]]:
    """(column, reason) for one person's 課税資料 (and each relative unless told not to)."""
    problems = []
    if person.amounts.get("salary_income", 0) == 0 and person.employer_no:
        problems.append(("employer_no", "給与収入がないのに特別徴収義務者が入力されています"))
    if sum(1 for r in person.relatives if r.relation == SPOUSE) > 1:
        problems.append(("relation", "配偶者は1人だけです"))
    if any(r.relative_atena_no == person.atena_no for r in person.relatives):
        problems.append(("relative_atena_no", "本人を親族にはできません"))
    keys = [relative_key(r) for r in person.relatives]
    if len(set(keys)) != len(keys):
        problems.append(("relative_atena_no", "同じ親族が2回入力されています（配偶者と扶養親族の重複を含む）"))
    if with_relatives:
        for r in person.relatives:
            problems.extend(relative_problems(r))
    return problems
