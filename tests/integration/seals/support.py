"""Helpers of the seal tests: residents, registrations, certificates, and reading PDFs back."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from municloud.modules.seals.schemas import CertificateIn, SealRegistrationIn
from municloud.modules.seals.services.certificates import issue_certificate
from municloud.modules.seals.services.registrations import (
    end_registration,
    get_registrations,
    register_seal,
)
from tests.factories import move_in, person
from tests.unit.seals.impressions import png


def resident(platform, ctx, shimei="印影　太郎", kana="インエイ　タロウ", birth="1980-04-01", sex="1", **extra) -> str:
    """宛名番号 of a new resident (a 転入 into a household of their own)."""
    return move_in(platform, ctx, [person(shimei, kana, birth, sex, "世帯主", **extra)]).atena_nos[0]


def register(platform, ctx, atena_no: str, size_mm: str = "15", image: bytes | None = None):
    request = SealRegistrationIn(atena_no, size_mm, png() if image is None else image)
    return register_seal(platform.uow(ctx.tenant_code), ctx, request)


def seals_of(platform, ctx, atena_no: str):
    return get_registrations(platform.uow(ctx.tenant_code), ctx, atena_no)


def end(platform, ctx, registration_no: int, reason: str):
    return end_registration(platform.uow(ctx.tenant_code), ctx, registration_no, reason)


def certificate(platform, ctx, atena_no: str, card_no: str, **extra):
    """A 印鑑登録証明書 asked for by the registrant in person unless *extra* says otherwise
    (the API assumes no requester)."""
    extra.setdefault("requester", "本人")
    return issue_certificate(platform.uow(ctx.tenant_code), ctx, CertificateIn(atena_no=atena_no, card_no=card_no, **extra))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    return subprocess.run([_tool("pdftotext"), str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_images(pdf: bytes, tmp_path) -> list[dict]:
    """``pdfimages -list`` rows of the images (soft masks left out) as dicts by column name."""
    path = tmp_path / "images.pdf"
    path.write_bytes(pdf)
    out = subprocess.run([_tool("pdfimages"), "-list", str(path)], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    header = lines[0].split()
    rows = [dict(zip(header, line.split(), strict=False)) for line in lines[2:] if line.strip()]
    return [r for r in rows if r.get("type") == "image"]
