"""Seal-registration rules (pure): age, impression size, statuses, the card check, the fee.

Modelled on 印鑑登録証明事務処理要領 (the national model most municipalities' 印鑑条例
follow).  Functions take and return values; they never touch the database.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from municloud.errors import ConflictError, ValidationError
from municloud.jp.age import age_on  # 年齢計算ニ関スル法律, shared with the registry

# Statuses of a registration (登録の状態).
ACTIVE = "登録"  # in force
LOST = "亡失"  # the 印鑑登録証 was lost: the registration ends, the card number is recorded as lost
WITHDRAWN = "廃止"  # ended at the registrant's request (also: replaced by a re-registration)
STRUCK_OUT = "職権抹消"  # ended by the office: the resident moved out, died, or was removed
STATUSES = (ACTIVE, LOST, WITHDRAWN, STRUCK_OUT)

#: Reasons a registrant (or agent) gives to end a registration → the status it ends in.
END_REASONS = {"lost": LOST, "withdrawn": WITHDRAWN}
END_REASON_TEXT = {"lost": "印鑑登録証の亡失の届出", "withdrawn": "印鑑登録の廃止の申請"}
REREGISTRATION = "再登録による廃止"

REQUESTERS = ("本人", "代理人")

#: How the applicant's identity and will were confirmed (本人確認の方法, 要領 第2-3):
#: 書類 and 保証人 allow registering the same day (即時登録); a 代理人's application, or
#: one the office cannot confirm on the spot, is answered by a 照会書 mailed to the
#: applicant's address and registered when the 回答書 comes back.
IDENTITY_METHODS = {
    "document": "官公署発行の顔写真付きの書類（運転免許証・マイナンバーカード・旅券など）で確認（即日登録）",
    "guarantor": "保証人（この団体で印鑑登録をしている方）の保証書で確認（即日登録）",
    "inquiry": "照会書を本人の住所へ送付し、回答書の提出を受けて確認（代理人による申請はこの方法のみ）",
}
IDENTITY_SHORT = {"document": "本人確認書類", "guarantor": "保証人", "inquiry": "照会書・回答書"}
MAX_COPIES = 10
CARD_DIGITS = 8


def check_age(birth: date, on: date, min_age: int) -> None:
    if age_on(birth, on) < min_age:
        raise ValidationError(
            "SEALS_UNDER_AGE",
            f"{min_age}歳未満の方は印鑑の登録を受けられません（登録日に{min_age}歳に達していません）",
            fields={"atena_no": f"{min_age}歳未満の方は登録できません"},
        )


def check_adult_ward(adult_ward: bool) -> None:
    """要領 第2-1: 成年被後見人 cannot have a seal registered (the clerk knows it from the
    後見登記 — a 登記事項証明書 — and ticks it; nothing in the registry records it)."""
    if adult_ward:
        raise ValidationError(
            "SEALS_ADULT_WARD",
            "成年被後見人の方は印鑑の登録を受けられません（印鑑登録証明事務処理要領 第2-1）",
            fields={"adult_ward": "成年被後見人の方は登録できません"},
        )


def check_identity(requester: str, method: str, *, guarantor_atena_no: str | None, inquiry_sent_on: date | None,
                   answer_received: bool, today: date) -> None:
    """The 本人確認 route fits the requester and carries what it needs (raises the first
    problem; the service collects them with the others)."""
    if requester not in REQUESTERS:
        raise ValidationError("SEALS_REQUESTER_INVALID", "申請者は「本人」か「代理人」を選んでください",
                              fields={"requester": "本人／代理人"})
    if method not in IDENTITY_METHODS:
        raise ValidationError("SEALS_IDENTITY_INVALID", "本人確認の方法を選んでください",
                              fields={"identity_method": "書類／保証人／照会書・回答書"})
    if requester == "代理人" and method != "inquiry":
        raise ValidationError(
            "SEALS_AGENT_NEEDS_INQUIRY",
            "代理人による申請は即日登録できません。照会書を本人の住所へ送付し、回答書の提出を受けてから登録してください",
            fields={"identity_method": "代理人の申請は照会書・回答書で確認します"},
        )
    if method == "guarantor" and not (guarantor_atena_no or "").strip():
        raise ValidationError("SEALS_GUARANTOR_REQUIRED", "保証人の宛名番号を入力してください",
                              fields={"guarantor_atena_no": "保証人の宛名番号を入力してください"})
    if method == "inquiry":
        if inquiry_sent_on is None:
            raise ValidationError("SEALS_INQUIRY_DATE_REQUIRED", "照会書を送付した日を入力してください",
                                  fields={"inquiry_sent_on": "照会書の送付日を入力してください"})
        if inquiry_sent_on > today:
            raise ValidationError("SEALS_INQUIRY_DATE_FUTURE", "照会書の送付日が未来の日付です",
                                  fields={"inquiry_sent_on": "今日以前の日付にしてください"})
        if not answer_received:
            raise ValidationError(
                "SEALS_ANSWER_REQUIRED",
                "照会書への回答書（本人の自署・登録する印鑑の押印があるもの）の提出を受けてから登録してください",
                fields={"answer_received": "回答書の提出を受けたことを確かめてください"},
            )


def guarantor_refusal(guarantor_atena_no: str, applicant: str, guarantor_is_resident: bool,
                      guarantor_registered: bool) -> None:
    """保証人: a resident of the municipality with a seal registered here, not the applicant."""
    message = None
    if guarantor_atena_no == applicant:
        message = "申請者ご本人は保証人になれません"
    elif not guarantor_is_resident:
        message = "保証人は、この団体の住民の方でなければなりません"
    elif not guarantor_registered:
        message = "保証人は、この団体で印鑑の登録をしている方でなければなりません"
    if message is not None:
        raise ValidationError("SEALS_GUARANTOR_INVALID", message, fields={"guarantor_atena_no": message})


def parse_size_mm(value: object) -> int:
    """The impression's size as entered (mm, at most one decimal) → tenths of a millimetre."""
    text = str(value if value is not None else "").strip().translate(
        str.maketrans("０１２３４５６７８９．", "0123456789.")
    )
    try:
        size = Decimal(text)
    except InvalidOperation:
        size = None
    if size is None or not size.is_finite() or size <= 0 or size.as_tuple().exponent < -1:
        raise ValidationError(
            "SEALS_SIZE_INVALID",
            "印影の大きさをミリメートルで入力してください（小数点以下1桁まで。例：15、12.5）",
            fields={"size_mm": "ミリメートルで入力してください（例：15、12.5）"},
        )
    return int(size * 10)


def check_size(size_tenths: int, min_mm: int, max_mm: int) -> None:
    """一辺の長さ: the side of the smallest square holding the impression.

    要領 第2-2: an impression that fits in a square of ``min_mm`` (8 mm) or does not fit
    in one of ``max_mm`` (25 mm) cannot be registered — so exactly 8 mm is refused and
    exactly 25 mm accepted.
    """
    if size_tenths <= min_mm * 10:
        raise ValidationError(
            "SEALS_IMPRESSION_TOO_SMALL",
            f"印影が小さすぎます（一辺{min_mm}ミリメートルの正方形に収まる印影は登録できません）",
            fields={"size_mm": f"{min_mm}ミリメートルより大きい印影にしてください"},
        )
    if size_tenths > max_mm * 10:
        raise ValidationError(
            "SEALS_IMPRESSION_TOO_LARGE",
            f"印影が大きすぎます（一辺{max_mm}ミリメートルの正方形に収まらない印影は登録できません）",
            fields={"size_mm": f"{max_mm}ミリメートル以下の印影にしてください"},
        )


def format_mm(size_tenths: int) -> str:
    whole, tenth = divmod(size_tenths, 10)
    return f"{whole}.{tenth}" if tenth else str(whole)


def print_size_mm(size_tenths: int, width_px: int, height_px: int) -> tuple[Decimal, Decimal]:
    """Width and height (mm) to print the image at its real size: its longer side is the
    impression's 一辺 (the image is the impression cropped to its bounding square)."""
    side = Decimal(size_tenths) / 10
    longer = max(width_px, height_px)
    return (side * width_px / longer).quantize(Decimal("0.01")), (side * height_px / longer).quantize(Decimal("0.01"))


def print_dpi(size_tenths: int, width_px: int, height_px: int) -> int:
    """Dots per inch of the image printed at the impression's real size (its longer side
    over the 一辺): the fineness the certificate will show (240 px over 15 mm → 406)."""
    return round(max(width_px, height_px) * Decimal("25.4") * 10 / size_tenths)


def format_card_no(number: int) -> str:
    """印鑑登録証の番号: the tenant's counter, zero-padded to 8 digits."""
    return f"{number:0{CARD_DIGITS}d}"


def normalise_card_no(value: str) -> str:
    return str(value or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def mask_card_no(card_no: str) -> str:
    """Views show only the last two digits: the number is what proves the registrant's will."""
    return "*" * (len(card_no) - 2) + card_no[-2:]


def require_active(status: str, registration_no: int) -> None:
    if status != ACTIVE:
        raise ConflictError(
            "SEALS_REGISTRATION_ENDED",
            f"登録番号 {registration_no} の印鑑登録はすでに終了しています（{status}）",
        )


def card_refusal(presented: str, active_card: str | None, ended: dict[str, str]) -> tuple[str, str] | None:
    """Why a presented 印鑑登録証 number is refused (code, message), or ``None`` if it is right.

    *ended* maps the person's earlier card numbers to the status their registration ended
    in (a 亡失 card must never produce a certificate).
    """
    if active_card is not None and presented == active_card:
        return None
    if presented in ended:
        status = ended[presented]
        if status == LOST:
            return "SEALS_CARD_LOST", "この印鑑登録証は亡失の届出がされています。証明書は交付できません"
        return "SEALS_CARD_ENDED", f"この印鑑登録証の印鑑登録は終了しています（{status}）。証明書は交付できません"
    if active_card is None:
        return "SEALS_NOT_REGISTERED", "この方の印鑑登録はありません。証明書は交付できません"
    return "SEALS_CARD_MISMATCH", "印鑑登録証の番号が登録と一致しません。証明書は交付できません"


def check_request(copies: int, requester: str) -> None:
    if not 1 <= copies <= MAX_COPIES:
        raise ValidationError(
            "SEALS_COPIES_INVALID", f"通数は1から{MAX_COPIES}までで入力してください",
            fields={"copies": f"1〜{MAX_COPIES}通"},
        )
    if requester not in REQUESTERS:
        raise ValidationError(
            "SEALS_REQUESTER_INVALID", "請求者は「本人」か「代理人」を選んでください",
            fields={"requester": "本人／代理人"},
        )


def fee_total(fee_per_copy: int, copies: int) -> int:
    """Integer yen: the per-copy fee of the 手数料条例 times the number of copies."""
    return fee_per_copy * copies
