"""支援措置 rules (pure): who may have a record that touches a protected person, and what
state a measure is in.

Sources:

* 住民基本台帳事務処理要領 第5-10（ドメスティック・バイオレンス、ストーカー行為等、児童虐待
  及びこれらに準ずる行為の被害者の保護のための措置）: a request by the 加害者 — or by
  someone the 加害者 sends, a 代理人 or 使者 — is refused as 不当な目的 (住民基本台帳法
  第12条第6項, 第12条の3); requests by anyone else are examined strictly (本人確認 and the
  stated reason, 厳格な審査); the 申出者 themself is served after a strict 本人確認.
* Municipalities apply it at the counter as: no request through a 代理人・使者 with a 委任状
  for a protected person (the 委任状 cannot prove the victim's will — it may be forged or
  made under pressure), no postal request by the victim, the victim in person with an
  identity document (e.g. 瀬戸市・養父市・土佐市 支援措置の案内).

So, when anyone a request touches is under an active measure:

==================  =============================================================
requester           outcome
==================  =============================================================
本人 (self)          allowed when the clerk confirmed the identity (本人確認書類) and
                    every protected person touched is the requester themself;
                    refused without the identity check; held when the request
                    also touches *another* protected person (then it is, for that
                    person, a household member's request)
代理人 (agent)       refused — never released: the perpetrator can send an agent
同一世帯員           held for a supervisor's review (the perpetrator may live in the
                    same household — DV by a spouse not yet moved out, child abuse)
第三者, 弁護士等,    held for a supervisor's review (厳格な審査: a creditor or a
国・地方公共団体     lawyer's 職務上請求 may be lawful; the supervisor checks the
                    documents and that the client is not the perpetrator)
==================  =============================================================

A held request is issued only after a supervisor's explicit release, with a reason, and
only once.  No answer ever says *which* person is protected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

ALLOW, HOLD, REFUSE = "allow", "hold", "refuse"

#: Requester types a supervisor may release after review (see the table above).
RELEASABLE = frozenset({"household_member", "third_party", "lawyer", "public_office"})

REFUSED_AGENT = (
    "支援措置の対象の方が含まれるため、代理人・使者からの請求には応じられません"
    "（ご本人が本人確認書類を持って窓口で請求してください）"
)
REFUSED_IDENTITY = (
    "支援措置の対象の方が含まれるため、本人確認書類（運転免許証など）で請求者がご本人であることを"
    "確認してから受け付けてください"
)
REFUSED_OTHER = "支援措置の対象の方が含まれるため、この請求には応じられません（担当課に引き継いでください）"
HELD = (
    "支援措置の対象の方が含まれるため、この請求は保留しました（保留番号 {hold_no}）。"
    "責任者が審査して解除するまで交付できません。請求者に対象の方の有無や住所を伝えないでください"
)
WILL_HOLD = (  # the same request tried as a dry run (確認): nothing held, no number taken yet
    "支援措置の対象の方が含まれるため、この請求は交付すると保留になり、責任者の審査を待ちます"
    "（保留番号は保留したときに付きます）。請求者に対象の方の有無や住所を伝えないでください"
)


@dataclass(frozen=True)
class Gate:
    outcome: str  # allow / hold / refuse
    rule: str  # stable reason: none / self / identity_not_checked / agent / review / not_releasable
    message: str = ""


def decide(requester_type: str, *, identity_checked: bool, requester_atena_no: str | None,
           protected: set[str]) -> Gate:
    """The gate for one request touching *protected* (those under an active measure)."""
    if not protected:
        return Gate(ALLOW, "none")
    if requester_type == "self":
        if not identity_checked:
            return Gate(REFUSE, "identity_not_checked", REFUSED_IDENTITY)
        if protected <= {requester_atena_no}:
            return Gate(ALLOW, "self")
        return Gate(HOLD, "review", HELD)  # another protected person: not 本人 for them
    if requester_type == "agent":
        return Gate(REFUSE, "agent", REFUSED_AGENT)
    if requester_type in RELEASABLE:
        return Gate(HOLD, "review", HELD)
    return Gate(REFUSE, "not_releasable", REFUSED_OTHER)


# The state of a measure ---------------------------------------------------------------

EXPIRED = "期間満了"  # end_reason of a measure that ran out without an extension
ENDED = "終了"  # end_reason of a measure ended on request (or when no longer needed)

STATUS_LABELS = {
    "scheduled": "開始前",
    "active": "実施中",
    "ending_soon": "実施中（終了予定日が近づいています）",
    "expired": "期間満了で終了（延長の申出なし）",
    "ended": "終了",
}


def measure_status(start_on: date, end_on: date, ended_on: date | None, end_reason: str | None, today: date,
                   window_days: int) -> str:
    """``scheduled`` / ``active`` / ``ending_soon`` / ``expired`` / ``ended`` on *today*.

    ``ending_soon`` from *window_days* before the end date: the 要領 第5-10 accepts the
    延長の申出 from one month before the period ends, so the alert starts when an
    extension can be asked for (``registry.support_measure.extension_window_days``).
    A period that ran out is ``expired`` (期間満了) whether or not the lapse was recorded
    yet: a measure never ends silently.
    """
    if ended_on is not None and ended_on <= today:
        return "expired" if end_reason == EXPIRED else "ended"
    if today < start_on:
        return "scheduled"
    if today > end_on:
        return "expired"
    if today >= end_on - timedelta(days=window_days):
        return "ending_soon"
    return "active"

#: 支援措置の区分 (the kinds of harm a measure protects against).
CATEGORIES = ("DV", "ストーカー", "児童虐待", "その他")
#: The states of a request held because it touches a protected person (services/holds.py).
HOLD_STATUS_LABELS = {"held": "審査待ち", "released": "解除（交付できます）", "refused": "拒否", "used": "交付済み"}
