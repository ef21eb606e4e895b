"""Rendering screens: the Jinja2 environment, filters, the page frame and form errors.

Templates are found through a :class:`jinja2.ChoiceLoader` over ``web/templates`` (base
layout, form macros, kernel screens) and each installed module's ``templates/`` directory
(``registry/search.html`` …), so a module's screens live with the module.

Every template receives:

* ``page`` — :class:`Page`: title, the signed-in user, the tenant, ``csrf_token``, the menu
  the user's roles allow, the keyboard shortcuts, a notice;
* ``errors`` — :class:`FormErrors` or ``None`` (message + per-field messages of a
  :class:`~municloud.errors.MuniError`);
* ``form`` — the values the user typed (to fill the form again after an error);
* whatever the handler passes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse

from municloud.errors import MuniError
from municloud.jp.codes import format_postal_code
from municloud.jp.wareki import format_wareki
from municloud.kernel.clock import to_jst

KERNEL_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

#: Fixed notices shown on a page after a redirect (``?notice=key``): never free text.
NOTICES = {
    "expired": "一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください",
    "required": "ログインしてください",
    "logout": "ログアウトしました",
    "second_factor": "続けて、ワンタイムパスワードを入力してください",
    "user_added": "利用者を登録しました",
    "parameter_set": "パラメータの上書きを設定しました",
    "tenant_added": "団体を追加しました",
    "api_client_revoked": "API クライアントを失効させました。そのトークンは次の要求から使えません",
    "user_deactivated": "利用者の利用を停止しました（この団体のロールを終えました）",
    "towns_loaded": "住所マスター（町字）を取り込みました",
    "guide_acknowledged": "情報セキュリティの心得を確認したことを記録しました（監査ログに版と日時が残ります）",
}


@dataclass(frozen=True)
class MenuItem:
    """One entry of the menu of a tenant (home page and navigation).

    ``path`` is relative to ``/t/{tenant}``; shown only to users holding ``permission``
    (``None``: to every member of the tenant);
    ``shortcut`` is the letter of an Alt+letter shortcut (``static/shortcuts.js``)."""

    label: str
    path: str
    permission: str | None
    description: str = ""
    shortcut: str | None = None


@dataclass(frozen=True)
class FormErrors:
    message: str
    fields: dict[str, str] = field(default_factory=dict)
    code: str = ""

    @classmethod
    def of(cls, exc: MuniError, rename: dict[str, str] | None = None,
           codes: dict[str, str] | None = None) -> FormErrors:
        """The error's message and field messages, field names renamed through *rename*.

        *codes* maps an error code to the form field it is about, for errors raised
        without ``fields`` (e.g. ``{"JP_LG_CODE_INVALID": "code"}``)."""
        rename = rename or {}
        fields = {rename.get(k, k): v for k, v in exc.fields.items()}
        if not fields and codes and exc.code in codes:
            fields = {codes[exc.code]: exc.message}
        return cls(exc.message, fields, exc.code)


@dataclass
class Page:
    title: str
    user: Any = None  # SessionInfo of the signed-in user
    tenant: Any = None  # TenantInfo
    ctx: Any = None  # Context in the tenant
    csrf_token: str | None = None
    menu: list[MenuItem] = field(default_factory=list)
    notice: str | None = None
    shortcuts: dict[str, str] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"/t/{self.tenant.code}" if self.tenant else ""

    def has(self, permission: str) -> bool:
        return bool(self.ctx and self.ctx.has(permission))


def field_id(name: str) -> str:
    """``persons.0.shimei_kana`` → ``f-persons-0-shimei_kana`` (ids the error summary links to)."""
    return "f-" + "".join(c if c.isalnum() or c in "_-" else "-" for c in str(name))


def wareki(value: date | datetime | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = value.date()
    try:
        return format_wareki(value)
    except MuniError:
        return value.isoformat()


def jst(value: datetime | None, seconds: bool = False) -> str:
    """A stored (naive UTC) time as Japanese local time: 令和7年4月1日 09:30."""
    if value is None:
        return ""
    local = to_jst(value)
    return f"{wareki(local.date())} {local:%H:%M:%S}" if seconds else f"{wareki(local.date())} {local:%H:%M}"


def group4(text: str | None) -> str:
    text = text or ""
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def postal(code: str | None) -> str:
    """郵便番号 for display: 9930011 → 〒993-0011 (as stored when it cannot be read)."""
    if not code:
        return ""
    try:
        return f"〒{format_postal_code(code)}"
    except MuniError:
        return code


def show_value(value: Any) -> str:
    """A parameter value as a person reads it."""
    if value is None:
        return "（なし）"
    if isinstance(value, bool):
        return "はい（true）" if value else "いいえ（false）"
    if isinstance(value, str):
        return value or "（空欄）"
    return json.dumps(value, ensure_ascii=False)


def make_environment(directories: Iterable[Path]) -> Environment:
    loaders = [FileSystemLoader(str(KERNEL_TEMPLATES))]
    loaders += [FileSystemLoader(str(d)) for d in directories if Path(d).is_dir()]
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(wareki=wareki, jst=jst, group4=group4, field_id=field_id, show_value=show_value,
                       postal=postal)
    env.globals.update(field_id=field_id)
    return env


def notice_of(request: Request) -> str | None:
    return NOTICES.get(request.query_params.get("notice", ""))


def render(
    request: Request,
    template: str,
    page: Page,
    *,
    status: int = 200,
    errors: FormErrors | MuniError | None = None,
    form: dict | None = None,
    **values: Any,
) -> HTMLResponse:
    """The HTML answer of *template* (never cached: screens show personal data)."""
    if isinstance(errors, MuniError):
        errors = FormErrors.of(errors)
    if page.notice is None:
        page.notice = notice_of(request)
    env: Environment = request.app.state.templates
    html = env.get_template(template).render(
        request=request, page=page, errors=errors, form=dict(form or {}), **values
    )
    return HTMLResponse(html, status_code=status, headers=NO_STORE)


def redirect(url: str, notice: str | None = None) -> RedirectResponse:
    """A 303 to *url*, optionally with one of the fixed :data:`NOTICES`."""
    if notice is not None:
        assert notice in NOTICES, notice
        url = f"{url}{'&' if '?' in url else '?'}notice={notice}"
    return RedirectResponse(url, status_code=303, headers=NO_STORE)
