"""Screen test helpers: a browser (TestClient with its own cookies) that logs in through
the screens — password, then the second factor read from the enrolment page — and reads
forms back out of the HTML."""

from __future__ import annotations

import html
import re
import time
from html.parser import HTMLParser
from itertools import count

import pyotp
from fastapi.testclient import TestClient

from municloud.kernel.identity.services import add_user
from tests.factories import context, operator_context

PASSWORD = "correct-horse-battery"
_names = count(1)
_HIDDEN_CSRF = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)">')
_SECRET = re.compile(r'data-secret="([A-Z2-7]+)"')


def make_user(platform, tenant: str | None, *roles: str, username: str | None = None) -> str:
    username = username or f"{'-'.join(roles)}-{next(_names)}".replace("_", "")
    if tenant is None:
        add_user(platform.uow(None), operator_context(platform), username, PASSWORD, list(roles))
    else:
        add_user(platform.uow(tenant), context(platform, tenant, "tenant_admin"), username, PASSWORD, list(roles))
    return username


def csrf_of(page: str) -> str:
    match = _HIDDEN_CSRF.search(page)
    assert match, "no csrf_token field on the page"
    return html.unescape(match.group(1))


def text_of(page: str) -> str:
    """The page's visible text, tags removed (for 'the page says …' assertions)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


class Browser:
    """One person at one browser: its own cookie jar on the shared application."""

    secrets: dict[str, str] = {}
    steps: dict[str, int] = {}

    def __init__(self, app, platform) -> None:
        self.client = TestClient(app, follow_redirects=False)
        self.platform = platform

    def get(self, url: str, **kw):
        return self.client.get(url, **kw)

    def post(self, url: str, data: dict | None = None, *, csrf_from: str | None = None, **kw):
        """POST a form; with *csrf_from* (a page URL) its csrf_token is sent along."""
        data = dict(data or {})
        if csrf_from is not None:
            data["csrf_token"] = csrf_of(self.get(csrf_from).text)
        return self.client.post(url, data=data, **kw)

    def password(self, username: str, password: str = PASSWORD):
        page = self.get("/login").text
        return self.client.post("/login", data={"username": username, "password": password,
                                                "csrf_token": csrf_of(page)})

    def one_time_code(self, username: str, *, wrong: bool = False) -> str:
        """A code for the next unused 30-second step (the service refuses a step twice)."""
        totp = pyotp.TOTP(self.secrets[username])
        now = int(time.time()) // 30
        step = max(now, self.steps.get(username, -1) + 1)
        if step > now + 1:
            time.sleep(30 - time.time() % 30 + 0.1)
            return self.one_time_code(username, wrong=wrong)
        code = totp.at(step * 30)
        if wrong:
            return f"{(int(code) + 1) % 1_000_000:06d}"
        self.steps[username] = step
        return code

    def second_factor_page(self, username: str) -> str:
        page = self.get("/login/second-factor")
        assert page.status_code == 200, page.text
        found = _SECRET.search(page.text)
        if found:
            self.secrets[username] = found.group(1)
        return page.text

    def login(self, username: str, password: str = PASSWORD) -> str:
        """Log in with both factors; returns where the screens send the user next."""
        response = self.password(username, password)
        assert response.status_code == 303, response.text
        page = self.second_factor_page(username)
        response = self.client.post("/login/second-factor", data={
            "code": self.one_time_code(username), "csrf_token": csrf_of(page)})
        assert response.status_code == 303, response.text
        return response.headers["location"]


class FieldsAndLabels(HTMLParser):
    """Collects every input/select/textarea and every <label for>."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[dict] = []
        self.label_for: set[str] = set()
        self.html_lang: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag in ("input", "select", "textarea"):
            self.fields.append({"tag": tag, **a})
        elif tag == "label" and a.get("for"):
            self.label_for.add(a["for"])


def unlabelled_fields(page: str) -> list[dict]:
    parser = FieldsAndLabels()
    parser.feed(page)
    return [
        f for f in parser.fields
        if f.get("type") not in ("hidden", "submit", "button") and f.get("id") not in parser.label_for
    ]


def html_lang(page: str) -> str | None:
    parser = FieldsAndLabels()
    parser.feed(page)
    return parser.html_lang
