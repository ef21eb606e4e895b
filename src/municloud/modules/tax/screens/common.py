"""What the tax screens share: the 年度 in a URL, and telling a refusal from a form error."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from municloud.errors import MuniError, NotFoundError
from municloud.modules.tax.rules import FIRST_YEAR, LAST_YEAR

T = "tax/"
#: 年度 in a screen URL: only the years whose rules are written down.
Year = Annotated[int, Path(ge=FIRST_YEAR, le=LAST_YEAR)]
AtenaNo = Annotated[str, Path(min_length=1, max_length=12, pattern=r"^[0-9A-Za-z]+$")]


def is_refusal(exc: MuniError) -> bool:
    """Errors that are not the form's to show (a 401/403, a missing page, a server fault)."""
    return exc.status >= 500 or exc.status in (401, 403) or isinstance(exc, NotFoundError)
