"""Server-rendered Japanese screens for the clerks (窓口), auditors and administrators.

``install_screens(app, modules)`` (called by ``create_app``) sets up the Jinja2 templates
(``web/templates`` + each module's ``templates/``), the static files (``/static``: CSS and
``shortcuts.js``; nothing from a CDN), the security headers, the HTML error pages, the
kernel's screen routes, and each module's ``screens.router`` with its ``MENU`` and its
``RESIDENT_PANELS`` (panels on the registry's resident page: ``panels.py``).

How to write a screen (what the registry's ``screens.py`` does):

* ``router = APIRouter(route_class=ScreenRoute, include_in_schema=False)``;
* take :data:`~deps.TenantScreen` (GET) or :data:`~deps.TenantForm` (POST: CSRF checked);
* call one service with ``screen.uow()`` and ``screen.ctx``; on a ``ValidationError`` render
  the form again: ``screen.render("x.html", title=…, status=422, errors=exc, form=typed)``;
* templates extend ``base.html`` and use ``macros/forms.html`` (``forms.csrf()``,
  ``forms.error_summary(labels)``, ``forms.input(name, label)`` …).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from municloud.kernel.catalog import (
    P_API_CLIENT_MANAGE,
    P_AUDIT_READ,
    P_PARAMETER_MANAGE,
    P_USER_MANAGE,
)
from municloud.web.errors import http_exception_handler
from municloud.web.screens import admin, api_clients, audit, auth, guide, home, panels
from municloud.web.screens.rendering import MenuItem, make_environment
from municloud.web.screens.route import html_http_errors
from municloud.web.screens.security import SecurityHeadersMiddleware

STATIC = Path(__file__).resolve().parent.parent / "static"

KERNEL_MENU = [
    MenuItem("監査ログ", "/audit", P_AUDIT_READ, "操作の記録を利用者・住民・操作・期間で絞り込み、改ざんがないか確かめます"),
    MenuItem("利用者とロール", "/admin/users", P_USER_MANAGE, "利用者の追加・ロールの付与と、二要素認証の登録状況"),
    MenuItem("パラメータ", "/admin/parameters", P_PARAMETER_MANAGE, "国の既定値と団体の上書き（適用日・理由）"),
    MenuItem("APIクライアント", "/admin/api-clients", P_API_CLIENT_MANAGE,
             "他のシステム・一括処理のための資格情報（権限の範囲・有効期限）の登録と失効"),
    MenuItem("情報セキュリティの心得", "/security-guide", None,
             "住民の情報を扱う職員が守ること（全員が読み、版ごとに「内容を理解しました」を記録します）"),
]


def module_screens(modules: list) -> Iterator:
    """Each installed module's ``screens`` submodule, when it has one."""
    for module in modules:
        name = f"{module.__name__}.screens"
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


def module_template_dirs(modules: list) -> list[Path]:
    """Each installed module's ``templates/`` directory, when it has one."""
    dirs = [Path(module.__file__).resolve().parent / "templates" for module in modules]
    return [d for d in dirs if d.is_dir()]


def install_screens(app: FastAPI, modules: list) -> None:
    app.state.templates = make_environment(module_template_dirs(modules))
    menu: list[MenuItem] = []
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for router in (auth.router, home.router, audit.router, admin.router, api_clients.router, guide.router):
        app.include_router(router)
    screen_modules = list(module_screens(modules))
    for screens in screen_modules:
        menu.extend(getattr(screens, "MENU", []))
        app.include_router(screens.router)
    app.state.screen_menu = menu + KERNEL_MENU
    app.state.resident_panels = panels.collect(screen_modules)
    app.add_exception_handler(StarletteHTTPException, html_http_errors(http_exception_handler))
    app.add_middleware(SecurityHeadersMiddleware)
