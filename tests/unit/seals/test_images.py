"""Impression images: the type comes from the bytes (and must decode); size and pixels are bounded."""

from __future__ import annotations

import pytest

from municloud.errors import ValidationError
from municloud.modules.seals.images import inspect_image
from tests.unit.seals.impressions import gif, impression, jpeg, png

MB = 1024 * 1024


def test_a_png_is_recognised_by_its_bytes():
    found = inspect_image(png(200), MB)
    assert (found.mime, found.width, found.height, len(found.sha256)) == ("image/png", 200, 200, 64)


def test_a_jpeg_is_recognised_by_its_bytes():
    assert inspect_image(jpeg(), MB).mime == "image/jpeg"


def test_a_png_with_transparency_is_accepted():
    assert inspect_image(impression("PNG", mode="RGBA"), MB).mime == "image/png"


def refused(data: bytes, max_bytes: int = MB) -> str:
    with pytest.raises(ValidationError) as caught:
        inspect_image(data, max_bytes)
    assert "image" in caught.value.fields
    return caught.value.code


@pytest.mark.parametrize("data", [gif(), b"This is a text file, not an impression.\n", b"%PDF-1.7\n", b"BM" + b"\0" * 100])
def test_anything_but_png_or_jpeg_is_refused(data):
    assert refused(data) == "SEALS_IMAGE_TYPE"


def test_an_empty_upload_is_refused():
    assert refused(b"") == "SEALS_IMAGE_REQUIRED"


def test_a_file_over_the_size_limit_is_refused_before_decoding():
    data = png(400)
    assert refused(data, max_bytes=len(data) - 1) == "SEALS_IMAGE_TOO_LARGE"
    assert inspect_image(data, len(data)).mime == "image/png"


@pytest.mark.parametrize("data", [png()[:60], jpeg()[:200], b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, b"\xff\xd8\xff\xe0rest"])
def test_a_truncated_or_forged_image_is_refused(data):
    assert refused(data) == "SEALS_IMAGE_BROKEN"


def test_an_image_too_small_or_too_large_in_pixels_is_refused():
    assert refused(png(16)) == "SEALS_IMAGE_PIXELS"
    assert refused(impression("PNG", 4100), max_bytes=50 * MB) == "SEALS_IMAGE_PIXELS"


def test_a_truncated_image_is_refused_even_when_pillow_was_told_to_load_truncated_images(monkeypatch):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing WeasyPrint does
    assert refused(png()[:-40]) == "SEALS_IMAGE_BROKEN"
    assert refused(jpeg()[:-40]) == "SEALS_IMAGE_BROKEN"
    assert inspect_image(png(), MB).mime == "image/png"


def test_a_png_with_a_damaged_chunk_is_refused():
    data = bytearray(png())
    data[60] ^= 0xFF  # inside the image data: its CRC no longer matches
    assert refused(bytes(data)) == "SEALS_IMAGE_BROKEN"
