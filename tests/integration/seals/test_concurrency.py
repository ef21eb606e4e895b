"""A registration and a 転出 of the same person at the same time: the registration never
survives the removal (the person's record is locked while the registration decides)."""

from __future__ import annotations

import threading
import time

from municloud.modules.seals.services import registrations
from tests.factories import days_ago
from tests.factories import register as notify
from tests.integration.seals.support import register, resident, seals_of


def test_a_move_out_registered_while_a_registration_is_deciding_still_strikes_it_out(platform, nagai, clerk, monkeypatch):
    atena_no = resident(platform, clerk)
    decided, go = threading.Event(), threading.Event()
    real_inspect = registrations.inspect_image

    def slow_inspect(data, max_bytes):  # runs after the person was read as a resident
        decided.set()
        go.wait(10)
        return real_inspect(data, max_bytes)

    monkeypatch.setattr(registrations, "inspect_image", slow_inspect)
    outcome: dict = {}

    def registering():
        try:
            outcome["registration"] = register(platform, clerk, atena_no)
        except Exception as exc:  # noqa: BLE001 - asserted below
            outcome["registration_error"] = exc

    def moving_out():
        try:
            outcome["move_out"] = notify(platform, clerk, kind="tenshutsu", ido_date=days_ago(0), atena_nos=[atena_no],
                                         destination="東京都千代田区千代田1番1号")
        except Exception as exc:  # noqa: BLE001
            outcome["move_out_error"] = exc

    first = threading.Thread(target=registering)
    first.start()
    assert decided.wait(10)
    second = threading.Thread(target=moving_out)
    second.start()
    time.sleep(0.5)  # unlocked, the 転出 would commit now and find no registration to end
    go.set()
    first.join(20)
    second.join(20)
    assert "move_out" in outcome and "registration" in outcome, outcome
    [ended] = seals_of(platform, clerk, atena_no).past
    assert ended.status == "職権抹消" and seals_of(platform, clerk, atena_no).active is None
