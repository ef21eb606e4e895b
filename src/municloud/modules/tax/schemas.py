"""Shapes of the resident-tax JSON API (pydantic).

The 課税資料 body is built from the CSV layout (``inputs.AMOUNT_COLUMNS``, ``FLAG_COLUMNS``),
so the API and the file always carry the same items under the same names.  Every figure
and flag of the body is required — zeros included: a 課税資料 decides a person's tax, and
an item left out must not silently become 0 (``PUT … {}`` used to zero a person's data).
Text items take their limits from ``fields.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from municloud.kernel.fields import DateValue
from municloud.modules.registry.api import ATENA_NO
from municloud.modules.tax import fields as f
from municloud.modules.tax.domain import EXEMPTIONS
from municloud.modules.tax.domain import LABELS as CODE_LABELS
from municloud.modules.tax.inputs import (
    AMOUNT_COLUMNS,
    FLAG_COLUMNS,
    MAX_AMOUNT,
    PersonInput,
    RelativeIn,
)
from municloud.modules.tax.services.results import PersonResults, Revision


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RelativeBody(_In):
    """A spouse or dependant: 宛名番号 when in this tenant, else 氏名・生年月日・合計所得金額."""

    relation: Literal["spouse", "dependant", "配偶者", "扶養親族"] = Field(
        description="spouse（配偶者）／dependant（扶養親族）")
    relative_atena_no: ATENA_NO.type | None = Field(None, description="親族の宛名番号（同じ団体のとき）")
    name: f.RELATIVE_NAME.type | None = Field(None, description="親族の氏名（団体外のとき）")
    birth_date: DateValue | None = Field(None, description="親族の生年月日（団体外のとき）")
    income: int | None = Field(None, ge=0, le=MAX_AMOUNT, description="親族の合計所得金額（団体外のとき、円）")
    cohabiting: bool = Field(description="同居（控除額が変わるため必須）")
    lineal_ascendant: bool = Field(description="直系尊属（控除額が変わるため必須）")


_InputFields = create_model(  # type: ignore[call-overload]
    "_InputFields",
    __base__=_In,
    **{c: (int, Field(ge=0, le=MAX_AMOUNT, description=f"{label}（円。0 も省略せずに）")) for c, label in AMOUNT_COLUMNS},
    **{c: (bool, Field(description=f"{label}（必須）")) for c, label in FLAG_COLUMNS},
)


class InputBody(_InputFields):  # type: ignore[misc, valid-type]
    """One person's 課税資料 of a 年度 (amounts of the income year before, in yen)."""

    employer_no: f.EMPLOYER_NO.type | None = Field(description="特別徴収義務者指定番号（なければ null）")
    employer_name: f.EMPLOYER_NAME.type | None = Field(description="特別徴収義務者（給与の支払者。なければ null）")
    relatives: list[RelativeBody] = Field(description="配偶者・扶養親族（いなければ []）")
    reason: f.INPUT_REASON.type | None = Field(None, description="修正の理由（任意。課税資料の修正履歴に記録）")

    def to_person(self, atena_no: str) -> PersonInput:
        relations = {"配偶者": "spouse", "扶養親族": "dependant"}
        return PersonInput(
            atena_no,
            {c: getattr(self, c) for c, _ in AMOUNT_COLUMNS},
            employer_no=(self.employer_no or "").strip() or None,
            employer_name=(self.employer_name or "").strip() or None,
            flags={c: getattr(self, c) for c, _ in FLAG_COLUMNS},
            relatives=[
                RelativeIn(relations.get(r.relation, r.relation), (r.relative_atena_no or "").strip() or None,
                           (r.name or "").strip() or None, r.birth_date, r.income, r.cohabiting, r.lineal_ascendant)
                for r in self.relatives
            ],
        )


class InputView(InputBody):
    model_config = ConfigDict(extra="ignore")

    year: int = Field(description="年度")
    atena_no: str = Field(description="宛名番号")
    reason: None = Field(None, exclude=True)

    @classmethod
    def of(cls, year: int, p: PersonInput) -> InputView:
        return cls(
            year=year, atena_no=p.atena_no, **p.amounts, **p.flags, employer_no=p.employer_no,
            employer_name=p.employer_name,
            relatives=[RelativeBody(relation=r.relation, relative_atena_no=r.relative_atena_no, name=r.name,
                                    birth_date=r.birth_date, income=r.income, cohabiting=r.cohabiting,
                                    lineal_ascendant=r.lineal_ascendant) for r in p.relatives],
        )


class ImportResult(BaseModel):
    year: int
    persons: int
    relatives: int
    replaced: int = Field(description="その年度の課税資料を置き換えた人数")


class ProblemOut(BaseModel):
    file: str
    row: int = Field(description="データ行の番号（1＝見出しの次の行、0＝ファイル全体）")
    column: str
    reason: str
    code: str


class AssessIn(_In):
    reason: f.REASON.type | None = Field(None, description="更正の理由（当初賦課の後は必須）")
    atena_nos: list[ATENA_NO.type] | None = Field(None, description="この人だけを更正する（省略：団体の全員）")


class RunSummaryOut(BaseModel):
    run_no: int
    year: int
    kind: str = Field(description="assessment（当初賦課）／reassessment（更正）")
    taxpayers: int
    written: int = Field(description="追加した結果の件数（新規・変更）")
    withdrawn: int
    taxed: int
    total_tax: int
    inputs_without_taxpayer: int


class ParameterOut(BaseModel):
    key: str
    value: Any
    source: str = Field(description="national（国の既定値）／tenant（団体の上書き）／input（試算の入力）／standard")
    effective_from: str | None
    reference: str


class TraceItemOut(BaseModel):
    key: str
    label: str
    value: int
    parameters: list[ParameterOut]


class RevisionOut(BaseModel):
    revision: int
    run_no: int
    reason: str
    status: str
    status_label: str
    collection: str
    collection_label: str
    employer_no: str | None
    total: int = Field(description="年税額（円）")
    exemption: str | None
    exemption_label: str | None
    instalments: list[int]
    assessed_at: datetime
    figures: dict[str, Any]
    trace: list[TraceItemOut]

    @classmethod
    def of(cls, r: Revision) -> RevisionOut:
        return cls(
            revision=r.revision, run_no=r.run_no, reason=r.reason, status=r.status,
            status_label=CODE_LABELS.get(r.status, r.status), collection=r.collection,
            collection_label=CODE_LABELS.get(r.collection, r.collection), employer_no=r.employer_no, total=r.total,
            exemption=r.exemption, exemption_label=EXEMPTIONS.get(r.exemption) if r.exemption else None,
            instalments=r.instalments, assessed_at=r.assessed_at, figures=r.figures,
            trace=[TraceItemOut(key=t.key, label=t.label, value=t.value,
                                parameters=[ParameterOut(**p) for p in t.parameters]) for t in r.trace],
        )


class ResultsOut(BaseModel):
    year: int
    atena_no: str
    revisions: list[RevisionOut] = Field(description="決定の履歴（古い順。最後が現在の決定）")
    parameters: list[ParameterOut] = Field(description="現在の決定の計算に使ったパラメータ（根拠つき）")

    @classmethod
    def of(cls, p: PersonResults) -> ResultsOut:
        return cls(year=p.year, atena_no=p.atena_no, revisions=[RevisionOut.of(r) for r in p.revisions],
                   parameters=[ParameterOut(**x) for x in p.parameters])


class CalcOut(BaseModel):
    year: int
    total: int = Field(description="年税額（円）")
    exemption_label: str | None
    figures: dict[str, Any] = Field(description="計算のすべての数字（`tax calc` と同じキー）")
    parameters: list[ParameterOut]


CALC_EXAMPLE = {
    "salary_income": 5_000_000, "social_insurance": 700_000, "age": 45,
    "spouse": {"income": 0, "age": 43}, "dependants": [{"income": 0, "age": 17, "cohabiting": True}],
    "life_insurance": {"general_new": 80_000}, "grade": 1, "designated_city": False,
}
