"""API test helpers: signed-in users by role, and notification bodies."""

from __future__ import annotations

from itertools import count

from fastapi.testclient import TestClient

from municloud.kernel.identity.services import add_user
from tests.factories import context, days_ago, operator_context
from tests.factories import person as make_person

PASSWORD = "correct-horse-battery"
_names = count(1)


class Api:
    """The client plus ways to make users and sign them in."""

    def __init__(self, client: TestClient, platform) -> None:
        self.client = client
        self.platform = platform

    def add_user(self, tenant: str | None, *roles: str, username: str | None = None) -> str:
        username = username or f"{'-'.join(roles)}-{next(_names)}".replace("_", "")
        if tenant is None:
            add_user(self.platform.uow(None), operator_context(self.platform), username, PASSWORD, list(roles))
        else:
            admin = context(self.platform, tenant, "tenant_admin")
            add_user(self.platform.uow(tenant), admin, username, PASSWORD, list(roles))
        return username

    def token(self, username: str, password: str = PASSWORD) -> dict[str, str]:
        response = self.client.post("/api/v1/auth/token", data={"username": username, "password": password})
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
