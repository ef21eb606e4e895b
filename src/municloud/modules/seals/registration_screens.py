"""印鑑の登録画面: entry (multipart, with the impression image) → confirmation → 登録 → the
印鑑登録証.

* ``GET  /t/{tenant}/seals/new?atena_no=…`` — the form: 申請者 (本人／代理人), 本人確認の方法
  (書類・保証人・照会書と回答書) with the 保証人's 宛名番号 or the 照会書's date and the
  回答書 received, 成年被後見人, the impression's 一辺 (mm) and its image;
* ``POST /t/{tenant}/seals/new`` (CSRF, ``multipart/form-data``) with ``action``:
  ``confirm`` (default) → ``register_seal`` as a dry run → every problem at once on the
  form with a banner saying the registration cannot be made (under 15, 成年被後見人, an
  impression too large …), or the confirmation: the image as it will be stored, its
  measured type, pixels and bytes, the size, the registration that a 再登録 ends;
  ``edit`` → the form again; ``register`` → ``register_seal`` for real → the 印鑑登録証
  (its number shown in full this once, printable).

The image travels from the entry to the confirmation and on to 登録 as base64 in a hidden
field (a file input cannot be filled again), and every step checks it again.  The
registration in force when the clerk confirmed travels too (``expected_registration_no``):
a second 登録 of the same confirmation (reload, double click) is refused, not registered
over the first.
"""

from __future__ import annotations

import base64
import binascii
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import Response

from municloud.errors import MuniError, Problems, ValidationError
from municloud.modules.registry.api import ATENA_NO
from municloud.modules.seals import domain
from municloud.modules.seals.catalog import P_MANAGE, P_VIEW
from municloud.modules.seals.fields import INQUIRY_SENT_ON, SIZE_MM
from municloud.modules.seals.schemas import SealRegistrationIn
from municloud.modules.seals.services.registrations import get_registrations, register_seal
from municloud.modules.seals.web import UPLOAD_CAP
from municloud.web.screens.access import requires
from municloud.web.screens.deps import Screen, TenantForm, TenantScreen
from municloud.web.screens.route import ScreenRoute

router = APIRouter(route_class=ScreenRoute, include_in_schema=False)
T = "seals/"
FIELDS = ("atena_no", "requester", "identity_method", "guarantor_atena_no", "inquiry_sent_on", "answer_received",
          "adult_ward", "size_mm", "image_data", "expected_registration_no")
LABELS = {"atena_no": "宛名番号", "requester": "申請者", "identity_method": "本人確認の方法",
          "guarantor_atena_no": "保証人の宛名番号", "inquiry_sent_on": "照会書の送付日", "answer_received": "回答書",
          "adult_ward": "成年被後見人", "size_mm": "印影の一辺の長さ", "image": "印影の画像"}
#: The typed items and their definitions (``kernel.fields``): a multipart body is not
#: checked at the edge (its file may hold any byte), so the text items are checked here,
#: with the same rules and messages as the API's form fields.
TEXT_ITEMS = {"atena_no": ATENA_NO, "guarantor_atena_no": ATENA_NO, "size_mm": SIZE_MM,
              "inquiry_sent_on": INQUIRY_SENT_ON}
#: Codes that mean "this person cannot register" (not a typing mistake): the banner says so.
REFUSALS = {"SEALS_UNDER_AGE", "SEALS_ADULT_WARD", "SEALS_IMPRESSION_TOO_LARGE", "SEALS_IMPRESSION_TOO_SMALL",
            "SEALS_NOT_RESIDENT", "SEALS_GUARANTOR_INVALID", "SEALS_AGENT_NEEDS_INQUIRY"}


def _entry(screen: Screen, form: dict, *, errors=None, status: int = 200) -> Response:
    seals = get_registrations(screen.uow(), screen.ctx, form["atena_no"]) if screen.ctx.has(P_VIEW) else None
    if not form.get("expected_registration_no"):
        form["expected_registration_no"] = str(seals.active.registration_no if seals and seals.active else 0)
    refusals = []
    if errors is not None:
        problems = getattr(errors, "problems", None) or [{"code": errors.code, "message": errors.message}]
        refusals = [p["message"] for p in problems if p["code"] in REFUSALS]
    return screen.render(
        T + "new.html", title="印鑑の登録", status=status, errors=errors, form=form, seals=seals, labels=LABELS,
        methods=list(domain.IDENTITY_METHODS.items()), refusals=refusals, kept_uri=_kept_uri(form),
        shortcuts={"Alt+K": "入力内容を確認する"},
    )


@router.get("/t/{tenant}/seals/new", summary="印鑑の登録の入力", dependencies=[requires(P_MANAGE, also=[P_VIEW])])
def new(screen: TenantScreen, atena_no: Annotated[str, Query()] = "") -> Response:
    atena_no = atena_no.strip()
    if not atena_no:
        return screen.render(T + "lookup.html", title="印鑑の登録", target="new")
    return _entry(screen, {"atena_no": atena_no, "requester": "本人", "identity_method": "document"})


def _kept_uri(form: dict) -> str | None:
    """A preview of the image carried from the previous step (PNG or JPEG by its first bytes,
    as base64: ``iVBOR`` / ``/9j/``); anything else is not shown (the service refuses it)."""
    data = form.get("image_data", "")
    mime = "image/png" if data.startswith("iVBOR") else "image/jpeg" if data.startswith("/9j/") else None
    return f"data:{mime};base64,{data}" if mime else None


async def _form(request: Request) -> dict:
    posted = await request.form()
    return {k: v for k in (*FIELDS, "action") if isinstance(v := posted.get(k), str)}


def _check_text(form: dict) -> None:
    """Every typed item's character and length rules at once (MULTIPLE_PROBLEMS when several)."""
    problems = Problems()
    for name, spec in TEXT_ITEMS.items():
        if form.get(name):
            with problems.catch():
                spec.check(form[name], name)
    problems.raise_if_any()


def _image(form: dict, upload: UploadFile | None) -> bytes:
    """The newly chosen file, else the one carried from the previous step."""
    if upload is not None and upload.filename:
        data = upload.file.read(UPLOAD_CAP + 1)
        if data:
            return data
    try:
        return base64.b64decode(form.get("image_data", ""), validate=True)
    except (binascii.Error, ValueError):
        return b""


def _request(form: dict, image: bytes) -> SealRegistrationIn:
    expected = form.get("expected_registration_no", "")
    return SealRegistrationIn(
        atena_no=form.get("atena_no", ""), size_mm=form.get("size_mm", ""), image=image,
        requester=form.get("requester", ""), identity_method=form.get("identity_method", ""),
        guarantor_atena_no=form.get("guarantor_atena_no") or None, inquiry_sent_on=form.get("inquiry_sent_on") or None,
        answer_received=form.get("answer_received") == "1", adult_ward=form.get("adult_ward") == "1",
        expected_registration_no=int(expected) if expected.isdigit() else None,
    )


@router.post("/t/{tenant}/seals/new", summary="印鑑の登録（確認・登録）",
             dependencies=[requires(P_MANAGE, also=[P_VIEW])])
def submit(screen: TenantForm, form: Annotated[dict, Depends(_form)],
           image: Annotated[UploadFile | None, File()] = None) -> Response:
    action = form.pop("action", "") or "confirm"
    data = _image(form, image)
    form["image_data"] = base64.b64encode(data).decode("ascii") if data else ""
    try:
        _check_text(form)
    except ValidationError as exc:
        if "atena_no" in exc.fields:  # a hidden field: never typed, so not shown on the form
            raise
        return _entry(screen, form, errors=exc, status=422)
    if action == "edit":
        return _entry(screen, form)
    dry_run = action != "register"
    try:
        result = register_seal(screen.uow(dry_run=dry_run), screen.ctx, _request(form, data))
    except MuniError as exc:
        if exc.status in (401, 403, 404):
            raise
        return _entry(screen, form, errors=exc, status=exc.status)
    if dry_run:
        return screen.render(
            T + "confirm.html", title="印鑑の登録の確認", form=form, result=result,
            hidden=[(k, form.get(k, "")) for k in FIELDS], methods=domain.IDENTITY_METHODS,
            image_uri=f"data:{result.image_mime};base64,{form['image_data']}",
            shortcuts={"Alt+T": "登録する", "Alt+B": "修正する（入力画面に戻る）"},
        )
    return screen.render(T + "registered.html", title="印鑑を登録しました（印鑑登録証）", result=result,
                         methods=domain.IDENTITY_METHODS, shortcuts={"Alt+C": "印鑑登録証明書の交付"})
