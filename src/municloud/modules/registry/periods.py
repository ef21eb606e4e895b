"""届出期間 and the order of 届出日 and 異動日 (pure rules).

* A 届出 reports something that has happened, so its 届出日 cannot precede the 異動日 —
  except a 転出届, which 住民基本台帳法第24条 asks for in advance (「あらかじめ」): the 転出予定日
  is its 異動日.  Entries without a 届出日 (職権) and 取消し (the 異動日 of a cancellation
  is the day it is entered, not an event) are not 届出 and are not checked.
* 住民基本台帳法 第22条（転入）・第23条（転居）・第25条（世帯変更）・第30条の46・第30条の47
  (foreign residents) set 14 days from the event; a 転出届 made after the move is accepted
  and held to the same period.  The period is counted from the day after the event
  (民法第140条: 初日不算入), so an event on 4月1日 may be reported up to 4月15日; a deadline
  falling on a day the municipality is closed moves to the next open day (地方自治法第4条の2
  第4項): Saturdays, Sundays and 12月29日〜1月3日 (the 年末年始 of the usual 休日条例).
  National holidays (国民の祝日) are not known to the platform yet: a deadline on one is not
  moved, so the supervisor's list shows each deadline for review.
* A late 届出 is still registered — the record must follow the facts — and flagged
  届出期間経過: the supervisor decides whether to notify the 簡易裁判所 (第52条第2項: 5万円
  以下の過料 for a 届出 not made without good reason).

出生・死亡 (戸籍法の届出), 氏名変更, 職権修正, 転出確定 (a notice from the new municipality,
not a 届出) and 取消し are outside these periods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from municloud.modules.registry.domain import invalid

#: Notification kinds with a 住民基本台帳法 届出期間, and the article that sets it.
PERIOD_ARTICLES = {"tennyu": "第22条", "tenkyo": "第23条", "tenshutsu": "第24条", "setai_henko": "第25条"}
LATE = "届出期間経過"


@dataclass(frozen=True)
class Lateness:
    late: bool
    deadline: date | None  # 届出期限 (None: no 届出期間 for this kind, or no 届出日)


def filed_ahead(kind: str, stage: str | None) -> bool:
    """A 転出届 (予定) may be filed before its 異動日 (the 転出予定日)."""
    return kind == "tenshutsu" and stage != "kakutei"


def check_order(kind: str, stage: str | None, ido_date: date | None, todoke_date: date | None) -> None:
    """Refuse a 届出日 before the 異動日 (see the module's doc for the exceptions)."""
    if todoke_date is None or ido_date is None or kind == "torikeshi" or filed_ahead(kind, stage):
        return
    if todoke_date < ido_date:
        raise invalid(
            "REGISTRY_NOTIFIED_BEFORE_EVENT",
            f"届出日（{todoke_date.isoformat()}）が異動日（{ido_date.isoformat()}）より前です。"
            "届出は異動の後にするものです（あらかじめ届け出るのは転出届だけです）",
            "todoke_date",
        )


def is_closed(day: date) -> bool:
    """A day the municipality's offices are closed (土日・年末年始; 祝日 not yet known)."""
    return day.weekday() >= 5 or (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def notice_deadline(event: date, days: int) -> date:
    """The last day of the 届出期間 of an event on *event*: *days* days counted from the next
    day, moved past closed days."""
    end = event + timedelta(days=days)
    while is_closed(end):
        end += timedelta(days=1)
    return end


def lateness(kind: str, stage: str | None, ido_date: date | None, todoke_date: date | None, days: int) -> Lateness:
    """Whether a 届出 of *kind* made on *todoke_date* for an event on *ido_date* is late."""
    if kind not in PERIOD_ARTICLES or stage == "kakutei" or ido_date is None or todoke_date is None:
        return Lateness(False, None)
    deadline = notice_deadline(ido_date, days)
    return Lateness(todoke_date > deadline, deadline)
