"""印鑑登録's input items: kind (character policy), label and maximum length (one place;
``kernel.fields``).  Persons are named by the registry's 宛名番号 item (``registry.api``)."""

from __future__ import annotations

from municloud.jp.policy import TextKind
from municloud.kernel.fields import text_field

CARD_NO = text_field("seals.card_no", "印鑑登録証の番号", TextKind.TEXT, 20, note="全角数字も読む（8桁で照合）")
SIZE_MM = text_field("seals.size_mm", "印影の一辺の長さ", TextKind.TEXT, 10, note="ミリメートル、小数点以下1桁まで")
PURPOSE = text_field("seals.purpose", "使用目的", TextKind.TEXT, 100, columns=("seal_certificate_issues.purpose",))
INQUIRY_SENT_ON = text_field("seals.inquiry_sent_on", "照会書の送付日", TextKind.TEXT, 30, note="西暦または和暦")
