"""API test helpers: signed-in users by role, and notification bodies.

People get API tokens only with their second factor: :meth:`Api.token` enrols an
authenticator for the user first (through the screens' services, as a first screen
log-in would) and sends a fresh one-time password with every token request.
"""

from __future__ import annotations

import time
from itertools import count

import pyotp
from fastapi.testclient import TestClient

from municloud.kernel.identity.login import authenticate
from municloud.kernel.identity.services import add_user
from municloud.kernel.identity.sessions import begin_enrolment, open_session, second_factor
from tests.factories import context, days_ago, operator_context
from tests.factories import person as make_person

PASSWORD = "correct-horse-battery"
TOKEN = "/api/v1/auth/token"
_names = count(1)


class Api:
    """The client plus ways to make users and sign them in (both factors)."""

    def __init__(self, client: TestClient, platform) -> None:
        self.client = client
        self.platform = platform
        self.secrets: dict[str, str] = {}  # username → TOTP secret enrolled
        self.steps: dict[str, int] = {}  # username → last time step used

    def code(self, username: str) -> str:
        """A one-time password of a step not used yet (±1 step of drift is accepted)."""
        now = int(time.time()) // 30
        step = max(now - 1, self.steps.get(username, now - 2) + 1)
        if step > now + 1:
            time.sleep(30 - time.time() % 30 + 0.1)
            return self.code(username)
        self.steps[username] = step
        return pyotp.TOTP(self.secrets[username]).at(step * 30)

    def enrol(self, username: str, password: str = PASSWORD) -> str:
        """Enrol an authenticator for *username*, as their first screen log-in does."""
        login = authenticate(self.platform.uow(None), username, password)
        token, _ = open_session(self.platform.uow(None), login.user)
        self.secrets[username] = begin_enrolment(self.platform.uow(None), token).secret
        second_factor(self.platform.uow(None), token, self.code(username))
        return self.secrets[username]

    def token_response(self, username: str, password: str = PASSWORD):
        if username not in self.secrets:
            self.enrol(username, password)
        return self.client.post(TOKEN, data={"username": username, "password": password,
                                             "otp": self.code(username)})

    def add_user(self, tenant: str | None, *roles: str, username: str | None = None) -> str:
        username = username or f"{'-'.join(roles)}-{next(_names)}".replace("_", "")
        if tenant is None:
            add_user(self.platform.uow(None), operator_context(self.platform), username, PASSWORD, list(roles))
        else:
            admin = context(self.platform, tenant, "tenant_admin")
            add_user(self.platform.uow(tenant), admin, username, PASSWORD, list(roles))
        return username

    def token(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        response = self.token_response(username, password)
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def login_as(self, tenant: str | None, *roles: str) -> dict[str, str]:
        """Headers of a new user holding *roles* in *tenant* (None: a platform operator)."""
        return self.token(self.add_user(tenant, *roles))


def tennyu(*persons: dict, address: str = "山形県長井市本町一丁目1番1号", ido_date: str | None = None) -> dict:
    """A 転入 notification body (JSON) of *persons* into a new household."""
    return {
        "kind": "tennyu",
        "ido_date": ido_date or days_ago(10),
        "todoke_date": days_ago(9),
        "previous_address": "東京都千代田区千代田1番1号",
        "address": {"address": address, "postal_code": "993-0011"},
        "persons": list(persons),
    }


def person(shimei: str = "佐藤　一郎", kana: str = "サトウ　イチロウ", birth: str = "1975-03-03",
           sex: str = "1", zokugara: str = "世帯主", **extra) -> dict:
    """A person's JSON (a fresh valid 住民票コード each time)."""
    data = make_person(shimei, kana, birth, sex, zokugara, **extra)
    return {k: v for k, v in data.items() if v is not None}
