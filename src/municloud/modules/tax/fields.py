"""個人住民税's input items: kind (character policy), label and maximum length (one place;
``kernel.fields``) — shared by the API shapes and the 課税資料 CSV import.  Persons are
named by the registry's 宛名番号 item (``registry.api``)."""

from __future__ import annotations

from municloud.jp.policy import TextKind
from municloud.kernel.fields import text_field

EMPLOYER_NO = text_field("tax.employer_no", "特別徴収義務者指定番号", TextKind.CODE, 20,
                         columns=("tax_inputs.employer_no", "tax_results.employer_no"))
EMPLOYER_NAME = text_field("tax.employer_name", "特別徴収義務者", TextKind.NAME, 100,
                           columns=("tax_inputs.employer_name",))
RELATIVE_NAME = text_field("tax.relative_name", "親族の氏名", TextKind.NAME, 100, columns=("tax_relatives.name",))
REASON = text_field("tax.reason", "更正の理由", TextKind.NOTE, 500, columns=("tax_runs.reason", "tax_results.reason"))
INPUT_REASON = text_field("tax.input_reason", "課税資料の修正の理由", TextKind.NOTE, 500,
                          columns=("tax_input_revisions.reason",))
