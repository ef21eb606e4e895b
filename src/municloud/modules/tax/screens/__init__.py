"""個人住民税の画面 (the tax office's screens), on the same services as the JSON API:

* ``search.py``  — 納税者の検索 (by 宛名番号) and the taxpayer's years;
* ``inputs.py``  — 課税資料: view with its 修正履歴, entry/correction → confirmation (dry run) → 登録;
* ``results.py`` — 賦課の結果 (every revision with its trace), 更正 (reason → dry run → 登録),
  the 税額決定通知書 (PDF);
* ``calc.py``    — 試算 (the ``tax calc`` inputs; every figure with its legal reference; printable);
* ``batch.py``   — 当初賦課 started from a screen, its progress and the run's summary.

Attached by ``web/screens`` (it looks for ``router`` and ``MENU`` here); templates are in
``templates/tax/``.  The services check permissions and audit every look; this package translates.
"""

from __future__ import annotations

from fastapi import APIRouter

from municloud.modules.tax.catalog import P_ASSESS, P_RESULT_VIEW
from municloud.modules.tax.screens import batch, calc, inputs, results, search
from municloud.web.screens.rendering import MenuItem

MENU = [
    MenuItem("納税者の検索", "/tax", P_RESULT_VIEW, "宛名番号で納税者を探し、課税資料・賦課の結果・更正・税額決定通知書へ進みます", "z"),
    MenuItem("住民税の試算", "/tax/calc", P_RESULT_VIEW, "収入・控除を入力して税額を計算します（記録は残りません。印刷できます）"),
    MenuItem("当初賦課（一括）", "/tax/batch", P_ASSESS, "年度を選んで当初賦課を実行し、経過と結果の集計・賦課できなかった人を確認します"),
]

router = APIRouter()
for _screens in (search, inputs, results, calc, batch):
    router.include_router(_screens.router)
