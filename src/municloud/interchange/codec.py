"""Values ⇄ CSV fields (one rule per layout type) and the CSV dialect of the layout."""

from __future__ import annotations

import base64
import binascii
import csv
import json
from datetime import date, datetime

ENCODING = "utf-8"
CSV_OPTIONS = {"lineterminator": "\r\n", "quoting": csv.QUOTE_MINIMAL}


def encode(typ: str, value) -> str:
    if value is None:
        return ""
    if typ == "date":
        return value.isoformat()
    if typ == "datetime":
        return value.isoformat(timespec="microseconds")
    if typ == "bool":
        return "1" if value else "0"
    if typ == "json":
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if typ == "base64":
        return base64.b64encode(value).decode("ascii")
    return str(value)


class BadValue(ValueError):
    """A field that does not follow its type's format (message in Japanese)."""


def decode(typ: str, text: str, *, required: bool):
    if text == "":
        if required and typ != "text":
            raise BadValue("必須の項目が空です")
        return "" if required else None
    try:
        if typ == "int":
            if not text.lstrip("-").isdigit():
                raise ValueError
            return int(text)
        if typ == "date":
            return date.fromisoformat(text)
        if typ == "datetime":
            value = datetime.fromisoformat(text)
            if value.tzinfo is not None:
                raise ValueError
            return value
        if typ == "bool":
            if text not in ("0", "1"):
                raise ValueError
            return text == "1"
        if typ == "json":
            return json.loads(text)
        if typ == "base64":
            return base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        raise BadValue(f"{_NAMES[typ]}として読めません: {text[:40]}") from None
    return text


_NAMES = {"int": "整数", "date": "日付（YYYY-MM-DD）", "datetime": "日時（ISO 8601、UTC）", "bool": "1 または 0",
          "json": "JSON", "base64": "Base64"}
