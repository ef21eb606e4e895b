"""Small impression images for the seal tests, drawn with Pillow (a red circle with a mark)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

RED = (200, 16, 46)


def impression(fmt: str = "PNG", size: int = 240, *, mode: str = "RGB") -> bytes:
    """A red ring with a bar across, *size* pixels square, encoded as *fmt*."""
    background = (255, 255, 255, 0) if mode == "RGBA" else (255, 255, 255)
    image = Image.new(mode, (size, size), background)
    draw = ImageDraw.Draw(image)
    margin = max(2, size // 20)
    draw.ellipse((margin, margin, size - margin, size - margin), outline=RED, width=max(2, size // 16))
    draw.rectangle((size * 0.3, size * 0.45, size * 0.7, size * 0.55), fill=RED)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def png(size: int = 240) -> bytes:
    return impression("PNG", size)


def jpeg(size: int = 240) -> bytes:
    return impression("JPEG", size)


def gif(size: int = 240) -> bytes:
    return impression("GIF", size)


def noisy_png(size: int = 640) -> bytes:
    """Random pixels: a PNG that does not compress (640 px square ≈ 1.2 MB)."""
    import random

    rng = random.Random(size)
    image = Image.frombytes("RGB", (size, size), rng.randbytes(size * size * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
