"""Checking an uploaded impression image: PNG or JPEG by its bytes, decodable, sane size.

The file name and the declared content type are ignored: the type is what the first bytes
say (magic number) *and* what Pillow decodes.  A PNG named ``.jpg`` is a PNG; a GIF, a
text file or a truncated image is refused with a Japanese message.

Completeness is checked on the bytes (every PNG chunk's CRC up to IEND; a JPEG's final EOI
marker), not left to Pillow: WeasyPrint sets Pillow's global ``LOAD_TRUNCATED_IMAGES`` when
it is imported, after which Pillow decodes a truncated file without complaint.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
import zlib
from dataclasses import dataclass

from municloud.errors import ValidationError

MAGIC = {b"\x89PNG\r\n\x1a\n": ("PNG", "image/png"), b"\xff\xd8\xff": ("JPEG", "image/jpeg")}
MIN_PIXELS = 32  # per side: smaller cannot show an impression legibly
MAX_PIXELS = 4000  # per side: 25 mm at 4000 px is ~4000 dpi, far beyond any scanner setting


@dataclass(frozen=True)
class Impression:
    mime: str
    width: int
    height: int
    sha256: str
    size_bytes: int


def _refuse(code: str, message: str) -> ValidationError:
    return ValidationError(code, message, fields={"image": message})


def inspect_image(data: bytes, max_bytes: int) -> Impression:
    """The impression's real type, pixel size and SHA-256, or a ValidationError."""
    if not data:
        raise _refuse("SEALS_IMAGE_REQUIRED", "印影の画像を添付してください")
    if len(data) > max_bytes:
        raise _refuse(
            "SEALS_IMAGE_TOO_LARGE",
            f"印影の画像が大きすぎます（{max_bytes:,}バイトまで。解像度を下げて読み取り直してください）",
        )
    kind = next((v for magic, v in MAGIC.items() if data.startswith(magic)), None)
    if kind is None:
        raise _refuse("SEALS_IMAGE_TYPE", "印影の画像は PNG か JPEG にしてください（ファイルの中身で判定します）")
    pil_format, mime = kind
    if not _complete(data, pil_format):
        raise _refuse("SEALS_IMAGE_BROKEN", "印影の画像を読み取れません（ファイルが壊れているか、途中で切れています）")
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.format != pil_format:
                    raise _refuse("SEALS_IMAGE_TYPE", "印影の画像は PNG か JPEG にしてください（ファイルの中身で判定します）")
                width, height = image.size
                _check_pixels(width, height)
                if getattr(image, "n_frames", 1) != 1:
                    raise _refuse("SEALS_IMAGE_ANIMATED", "動く画像（アニメーション）は登録できません")
                image.load()  # decode every pixel: a truncated or corrupt file fails here
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombWarning,
            Image.DecompressionBombError):
        raise _refuse("SEALS_IMAGE_BROKEN", "印影の画像を読み取れません（ファイルが壊れているか、途中で切れています）") from None
    return Impression(mime, width, height, hashlib.sha256(data).hexdigest(), len(data))


def _check_pixels(width: int, height: int) -> None:
    if min(width, height) < MIN_PIXELS:
        raise _refuse("SEALS_IMAGE_PIXELS", f"印影の画像が粗すぎます（縦横とも{MIN_PIXELS}ピクセル以上にしてください）")
    if max(width, height) > MAX_PIXELS:
        raise _refuse("SEALS_IMAGE_PIXELS", f"印影の画像の画素数が多すぎます（縦横とも{MAX_PIXELS}ピクセル以下にしてください）")


def _complete(data: bytes, pil_format: str) -> bool:
    """Whether the file is whole: PNG chunks with good CRCs ending in IEND; JPEG ending in EOI."""
    if pil_format == "JPEG":
        return data.rstrip(b"\x00").endswith(b"\xff\xd9")
    offset = 8
    while offset + 12 <= len(data):
        (length,) = struct.unpack(">I", data[offset:offset + 4])
        end = offset + 12 + length
        if end > len(data):
            return False
        kind, body = data[offset + 4:offset + 8], data[offset + 8:end - 4]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[end - 4:end])[0]:
            return False
        if kind == b"IEND":
            return end == len(data)
        offset = end
    return False
