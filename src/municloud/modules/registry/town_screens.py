"""住所マスターの画面: the tenant's 町字 and the 届出 screens' type-ahead.

* ``GET /t/{tenant}/towns`` — the 町字 in force on a day (和暦 or 西暦; default today), or
  every period with 「廃止・改称前も表示」, filtered by part of a name or フリガナ: 町字ID,
  name, フリガナ, 郵便番号, the tenant's attributes (校区 …), 効力発生日, 廃止日;
* ``GET /t/{tenant}/towns/suggest?q=…&on=…`` — the same search as JSON for the 町字 box of
  the 転入・転居 forms (``/static/towns.js``, no CDN): at most 20 町字 with their 郵便番号
  and attributes;
* ``POST /t/{tenant}/towns/load`` (CSRF, the file) — the tenant admin's load:
  ``action=check`` runs ``load_towns`` as a dry run (nothing written) and shows what would
  be loaded or every problem with its line; ``action=load`` with the same file (its
  SHA-256 must be the one checked) loads it, then 303 back to the list.

The services check the permissions (``docs/address-master.md``).
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from municloud.errors import ValidationError
from municloud.jp.wareki import format_wareki, parse_date
from municloud.modules.registry.catalog import P_TOWN_LOAD, P_TOWN_VIEW
from municloud.modules.registry.services.towns import list_towns, load_towns, read_upload
from municloud.modules.registry.towns.layout import TownsRefused
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.rendering import FormErrors, redirect
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
SUGGESTIONS = 20
LABELS = {"q": "町字の名前・フリガナ", "on": "基準日", "file": "町字のファイル"}


@router.get("/t/{tenant}/towns", summary="住所マスター（町字）の表示", dependencies=[requires(P_TOWN_VIEW)])
def towns(screen: TenantScreen, q: Annotated[str, Query()] = "", on: Annotated[str, Query()] = "",
          include_ended: Annotated[str, Query()] = "") -> Response:
    return _page(screen, {"q": q, "on": on, "include_ended": include_ended})


def _page(screen: Screen, form: dict[str, str], *, errors: FormErrors | None = None, **load) -> Response:
    """The list (filtered by *form*) and, for the tenant admin, the load form (*load*: what a
    check found)."""
    ended = form.get("include_ended") in ("1", "on", "true")
    rows, day = [], None
    try:
        day = parse_date(form["on"]) if form.get("on", "").strip() else None
        rows = list_towns(screen.uow(), screen.ctx, form.get("q", "").strip() or None, day, include_ended=ended,
                          limit=500)
    except ValidationError as exc:
        name = "on" if exc.code.startswith("JP_DATE") else "q"
        errors = errors or FormErrors(exc.message, {name: exc.message}, exc.code)
    names = sorted({a for t in rows for a in t.attributes})
    return screen.render("registry/towns.html", title="住所マスター（町字）", status=422 if errors else 200,
                         errors=errors, form=form, towns=rows, attribute_names=names, include_ended=ended,
                         day=format_wareki(day) if day else "今日", labels=LABELS, wareki=format_wareki,
                         can_load=screen.ctx.has(P_TOWN_LOAD), **{"checked": None, "problems": [], "file_name": "", **load})


@router.post("/t/{tenant}/towns/load", summary="住所マスター（町字）の取込み（確認・取込み）",
             dependencies=[requires(P_TOWN_LOAD)])
def load(screen: TenantForm, file: Annotated[UploadFile, File()], action: Annotated[str, Form()] = "check",
         confirmed: Annotated[str, Form(max_length=64)] = "") -> Response:
    form = {"q": "", "on": "", "include_ended": ""}
    try:
        data, name = read_upload(file.file, file.filename)
        if action == "load" and hashlib.sha256(data).hexdigest() != confirmed:
            message = "確認したファイルと違います。取り込むファイルを選んで、もう一度「内容を確認する」を押してください"
            raise ValidationError("REGISTRY_TOWNS_NOT_CONFIRMED", message, fields={"file": message})
        done = load_towns(screen.uow(dry_run=action != "load"), screen.ctx, data, name)
    except TownsRefused as exc:
        return _page(screen, form, errors=FormErrors(exc.message, {"file": exc.message}, exc.code),
                     problems=exc.problems)
    except ValidationError as exc:
        return _page(screen, form, errors=FormErrors(exc.message, {"file": exc.message}, exc.code))
    if action == "load":
        return redirect(f"{screen.base}/towns", "towns_loaded")
    return _page(screen, form, checked=done, file_name=name)


@router.get("/t/{tenant}/towns/suggest", summary="町字の候補（入力中の町字の名前・フリガナから）",
            dependencies=[requires(P_TOWN_VIEW)])
def suggest(screen: TenantScreen, q: Annotated[str, Query(max_length=60)] = "",
            on: Annotated[str, Query(max_length=30)] = "") -> Response:
    try:
        day = parse_date(on) if on.strip() else None
    except ValidationError:
        day = None  # the 異動日 is still being typed: today's 町字
    try:
        found = list_towns(screen.uow(), screen.ctx, q.strip(), day, limit=SUGGESTIONS) if q.strip() else []
    except ValidationError:
        found = []
    return JSONResponse([{"name": t.name, "kana": t.kana, "postal_code": t.postal_code, "attributes": t.attributes}
                         for t in found])
