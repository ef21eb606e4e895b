"""One-time passwords (TOTP, RFC 6238): which time step a typed code belongs to."""

from __future__ import annotations

import time

import pyotp

ISSUER = "municloud"
INVALID_CODE = "ワンタイムパスワードが正しくありません（6桁の数字・30秒ごとに変わります）"


def accepted_step(secret: str, code: str | None, last_step: int | None) -> int | None:
    """The time step *code* belongs to (±1 step of clock drift), never one already used
    (steps at or before *last_step* are refused: no replay).  Full-width digits are read
    as digits."""
    code = (code or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(time.time()) // totp.interval
    for step in (now_step, now_step - 1, now_step + 1):
        if totp.at(step * totp.interval) == code and (last_step is None or step > last_step):
            return step
    return None
