"""The FastAPI application: ``create_app(settings)`` (no import-time globals).

Business modules are attached generically: for every module ``bootstrap.installed_modules()``
names, a sibling ``<module>.web`` with a ``router`` (an ``APIRouter``) is included; a module
without ``web.py`` simply has no routes yet.  The screens (``web/screens``) are attached the
same way: each module's ``screens.router``, ``screens.MENU`` and ``templates/`` directory.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from municloud import __version__
from municloud.bootstrap import create_platform, installed_modules
from municloud.config import Settings
from municloud.kernel.platform import Platform
from municloud.web import kernel_api, verify
from municloud.web.access import PUBLIC
from municloud.web.errors import install_error_handling
from municloud.web.input_guard import InputGuardMiddleware
from municloud.web.screens import install_screens

DESCRIPTION = """\
自治体の基幹業務（住民記録ほか）の JSON API です。

* 認証：`POST /api/v1/auth/token` で得たトークンを `Authorization: Bearer …` で送ります。
* 団体（テナント）ごとの業務は `/api/v1/t/{団体コード}/…` の下にあります。
* 誤りは `{"code": 固定のコード, "message": 日本語の説明, "fields": {項目: 説明}}` で返ります。
* 検索・表示・変更・拒否はすべて監査ログに記録されます。
"""


DOCS_ASSETS = "/docs-assets"  # Swagger UI's files (under /docs: outside the screens' CSP)
SWAGGER_UI_FILES = Path(fastapi_offline.__file__).parent / "static"


def module_routers(modules: list | None = None) -> Iterator[APIRouter]:
    """The ``router`` of each installed module's ``web`` submodule, when it has one."""
    for module in installed_modules() if modules is None else modules:
        name = f"{module.__name__}.web"
        try:
            web = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        router = getattr(web, "router", None)
        if router is not None:
            yield router


def install_api_docs(app: FastAPI) -> None:
    """``/docs``: Swagger UI with its script and stylesheet served from the installed
    ``fastapi-offline`` package, never from a CDN — municipalities run on closed networks
    (LGWAN, R19) where a CDN page stays blank."""
    app.mount(DOCS_ASSETS, StaticFiles(directory=SWAGGER_UI_FILES), name="docs-assets")

    @app.get("/docs", include_in_schema=False, summary="API の説明（Swagger UI）", dependencies=[PUBLIC])
    def api_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="municloud API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        )


def create_app(settings: Settings | None = None, platform: Platform | None = None) -> FastAPI:
    """Build the web application around *platform* (built from *settings* when not given).

    A platform built here is disposed when the application shuts down; one passed in
    belongs to the caller.
    """
    owned = platform is None
    if platform is None:
        platform = create_platform(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            platform.dispose()

    app = FastAPI(
        title="municloud",
        description=DESCRIPTION,
        version=__version__,
        lifespan=lifespan,
        docs_url=None,  # install_api_docs: served without a CDN
        redoc_url=None,
    )
    app.state.platform = platform
    settings = platform.settings
    # added before the error handling, so that the request-id middleware stays outermost
    app.add_middleware(InputGuardMiddleware, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes)
    install_error_handling(app)
    install_api_docs(app)
    app.include_router(kernel_api.router)
    verify.install(app, platform.settings)  # public: /verify/{発行番号} (no log-in, rate-limited)
    for router in module_routers():
        app.include_router(router)
    install_screens(app, installed_modules())  # screens, templates, /static; "/" → log-in or home

    return app
