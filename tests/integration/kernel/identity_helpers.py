"""Helpers of the identity tests: users with an enrolled second factor, fresh codes."""

from __future__ import annotations

import time

import pyotp

from municloud.kernel.identity.login import authenticate
from municloud.kernel.identity.services import add_user
from municloud.kernel.identity.sessions import begin_enrolment, open_session, second_factor
from tests.factories import context

PASSWORD = "kasumi-ga-seki-2024"


class Authenticator:
    """A person's authenticator app: codes of steps not used yet (±1 step is accepted)."""

    def __init__(self, secret: str) -> None:
        self.secret, self.last = secret, None

    def code(self) -> str:
        now = int(time.time()) // 30
        step = now - 1 if self.last is None else max(now - 1, self.last + 1)
        if step > now + 1:
            time.sleep(30 - time.time() % 30 + 0.1)
            return self.code()
        self.last = step
        return pyotp.TOTP(self.secret).at(step * 30)

    def wrong(self) -> str:
        valid = {pyotp.TOTP(self.secret).at(time.time() + d) for d in (-30, 0, 30)}
        return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def add_clerk(platform, tenant, username="sato", password=PASSWORD, roles=("registry_clerk",)):
    admin = context(platform, tenant, "tenant_admin")
    return add_user(platform.uow(tenant), admin, username, password, list(roles))


def enrol(platform, username: str, password: str = PASSWORD) -> Authenticator:
    """The user's first screen log-in: password, then the enrolment of an authenticator."""
    login = authenticate(platform.uow(None), username, password)
    token, _ = open_session(platform.uow(None), login.user)
    app = Authenticator(begin_enrolment(platform.uow(None), token).secret)
    second_factor(platform.uow(None), token, app.code())
    return app
