"""Running a 試算 through both calculators, as the tests do."""

from __future__ import annotations

from municloud.modules.tax import calc, vector
from municloud.modules.tax.rules import rules_for


def rules(platform, year: int, data: dict | None = None, parameters: dict | None = None):
    data = data or {}
    r = rules_for(platform, year, choices={"grade": data.get("grade"), "designated_city": data.get("designated_city")})
    for key, value in (parameters or {}).items():
        name = key.removeprefix("tax.resident.")
        r.values[name] = platform.parameters.definitions.get(key).check(value)
    return r


def vector_figures(case: calc.Case, r) -> dict:
    """The vector calculator's figures for one case, shaped like ``calc.compute``'s."""
    out = vector.compute(vector.Batch.from_cases([case]), r)
    figures = {k: int(v[0]) for k, v in out.items() if not k.endswith(("_first", "_each"))}
    figures["exemption"] = vector.EXEMPTION_CODES.get(figures["exemption"])
    count = len(r["ordinary_due_months"])
    figures["ordinary_instalments"] = [int(out["ordinary_first"][0])] + [int(out["ordinary_each"][0])] * (count - 1)
    figures["special_instalments"] = [int(out["special_first"][0])] + [int(out["special_each"][0])] * 11
    return figures
