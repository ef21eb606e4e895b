"""Reading the tax screens' forms into the services' inputs, with the CSV import's own checks
(``inputs.parse_amount``, the declared text items of ``fields.py``, ``relative_problems``):
every problem kept (:class:`~municloud.errors.Problems`) under the form's field names."""

from __future__ import annotations

from typing import Any

from municloud.errors import Problems, ValidationError
from municloud.jp.wareki import parse_date
from municloud.kernel.fields import TextField
from municloud.modules.registry.api import ATENA_NO
from municloud.modules.tax import fields as f
from municloud.modules.tax.case import FLAGS, LIFE_KINDS, QUAKE_KINDS
from municloud.modules.tax.domain import DEPENDANT, SPOUSE
from municloud.modules.tax.inputs import (
    AMOUNT_COLUMNS,
    FLAG_COLUMNS,
    PersonInput,
    RelativeIn,
    parse_amount,
    relative_problems,
)
from municloud.modules.tax.rules import FIRST_YEAR, LAST_YEAR

RELATIONS = [(SPOUSE, "配偶者"), (DEPENDANT, "扶養親族")]
RELATIVE_ROWS = 2  # empty rows offered beyond the relatives already entered
YEARS = [(y, f"{y}年度（令和{y - 2018}年度）") for y in range(LAST_YEAR, FIRST_YEAR - 1, -1)]
RELATIVE_LABELS = {"relation": "続柄の区分", "relative_atena_no": "親族の宛名番号", "name": "親族の氏名",
                   "birth_date": "親族の生年月日", "income": "親族の合計所得金額"}


def _bad(problems: Problems, name: str, message: str, code: str) -> None:
    problems.add(ValidationError(code, message, fields={name: message}))


def amount(problems: Problems, form: dict, name: str, *, blank: int | None = 0) -> int | None:
    text = str(form.get(name, "")).strip()
    if not text:
        return blank
    try:
        return parse_amount(text)
    except ValueError as exc:
        _bad(problems, name, str(exc), "TAX_AMOUNT_INVALID")
        return 0


def text(problems: Problems, form: dict, name: str, item: TextField) -> str | None:
    value = str(form.get(name, "")).strip()
    problem = item.problem(value) if value else None
    if problem is not None:
        _bad(problems, name, item.message(problem), problem.code)
        return None
    return value or None


def relative_count(form: dict) -> int:
    used = {int(k.split(".")[1]) for k in form if k.startswith("relatives.") and k.split(".")[1].isdigit()}
    return min(max(used, default=-1) + 1, 20)


def read_person(atena_no: str, form: dict, problems: Problems) -> PersonInput:
    """One person's 課税資料 from the entry form (a row of relatives left blank is skipped)."""
    amounts = {col: amount(problems, form, col) for col, _ in AMOUNT_COLUMNS}
    flags = {col: form.get(col) == "1" for col, _ in FLAG_COLUMNS}
    relatives = []
    for i in range(relative_count(form)):
        p = f"relatives.{i}."
        if not any(str(form.get(p + k, "")).strip() for k in ("relative_atena_no", "name", "birth_date", "income")):
            continue
        rel = RelativeIn(form.get(p + "relation", ""), text(problems, form, p + "relative_atena_no", ATENA_NO),
                         text(problems, form, p + "name", f.RELATIVE_NAME),
                         cohabiting=form.get(p + "cohabiting") == "1",
                         lineal_ascendant=form.get(p + "lineal_ascendant") == "1")
        if str(form.get(p + "birth_date", "")).strip():
            try:
                rel.birth_date = parse_date(form[p + "birth_date"])
            except ValidationError as exc:
                _bad(problems, p + "birth_date", exc.message, exc.code)
        rel.income = amount(problems, form, p + "income", blank=None)
        for col, reason in relative_problems(rel):
            _bad(problems, p + col, reason, "TAX_RELATIVE_INVALID")
        relatives.append(rel)
    return PersonInput(atena_no, amounts, text(problems, form, "employer_no", f.EMPLOYER_NO),
                       text(problems, form, "employer_name", f.EMPLOYER_NAME), flags, relatives)


def person_form(person: PersonInput) -> dict[str, Any]:
    """The entry form filled with *person*'s 課税資料 (to correct it)."""
    form: dict[str, Any] = {col: str(person.amounts.get(col, 0)) for col, _ in AMOUNT_COLUMNS}
    form |= {col: "1" for col, _ in FLAG_COLUMNS if person.flags.get(col)}
    form |= {"employer_no": person.employer_no or "", "employer_name": person.employer_name or ""}
    for i, r in enumerate(person.relatives):
        p = f"relatives.{i}."
        form |= {p + "relation": r.relation, p + "relative_atena_no": r.relative_atena_no or "",
                 p + "name": r.name or "", p + "birth_date": r.birth_date.isoformat() if r.birth_date else "",
                 p + "income": "" if r.income is None else str(r.income)}
        form |= {p + k: "1" for k in ("cohabiting", "lineal_ascendant") if getattr(r, k)}
    return form


# --- 試算 -------------------------------------------------------------------------------

CALC_AMOUNTS = (("salary_income", "給与収入"), ("pension_income", "公的年金等収入"),
                ("other_income", "その他の所得"), ("social_insurance", "社会保険料"), ("medical_expenses", "医療費"))
LIFE_LABELS = dict(zip(LIFE_KINDS, ("一般生命保険料（新）", "一般生命保険料（旧）", "介護医療保険料",
                                    "個人年金保険料（新）", "個人年金保険料（旧）"), strict=True))
QUAKE_LABELS = dict(zip(QUAKE_KINDS, ("地震保険料", "旧長期損害保険料"), strict=True))
CALC_FLAGS = [(k, dict(FLAG_COLUMNS).get(k, "ひとり親（父）"), "") for k in FLAGS]
DEPENDANT_ROWS = 4


def _age(problems: Problems, form: dict, name: str) -> int | None:
    value = str(form.get(name, "")).strip()
    if value.isascii() and value.isdigit() and int(value) <= 130:
        return int(value)
    _bad(problems, name, "年齢は0〜130の整数で入力してください", "TAX_AGE_INVALID")
    return None


def read_calc(form: dict, problems: Problems) -> dict[str, Any]:
    """The ``tax calc`` JSON from the 試算 form (the service checks it as it checks the CLI's)."""
    data: dict[str, Any] = {k: amount(problems, form, k) for k, _ in CALC_AMOUNTS}
    data["age"] = _age(problems, form, "age")
    data["flags"] = [k for k in FLAGS if form.get(f"flag.{k}") == "1"]
    data["life_insurance"] = {k: amount(problems, form, f"life.{k}") for k in LIFE_KINDS}
    data["earthquake_insurance"] = {k: amount(problems, form, f"quake.{k}") for k in QUAKE_KINDS}
    if form.get("spouse") == "1":
        data["spouse"] = {"income": amount(problems, form, "spouse.income"),
                          "age": _age(problems, form, "spouse.age")}
    dependants = []
    for i in range(DEPENDANT_ROWS):
        p = f"dependants.{i}."
        if not str(form.get(p + "age", "")).strip():
            continue
        dependants.append({"income": amount(problems, form, p + "income"), "age": _age(problems, form, p + "age"),
                           "cohabiting": form.get(p + "cohabiting") == "1",
                           "lineal_ascendant": form.get(p + "lineal_ascendant") == "1"})
    data["dependants"] = dependants
    if str(form.get("grade", "")).strip():
        data["grade"] = int(form["grade"]) if form["grade"] in ("1", "2", "3") else None
    data["designated_city"] = {"1": True, "0": False}.get(form.get("designated_city", ""))
    return data
