"""A tenant's area (区域) as addresses write it: derived in this one place.

The 都道府県 comes from the 団体コード (JIS X 0401, its first two digits), the 市区町村名
from the tenant's name, and two dated tenant parameters say what the name alone cannot:
``tenant.county`` (the 郡 of a town or village, e.g. 相楽郡) and ``tenant.wards`` (the
wards of a designated city, e.g. 広島市's eight).  The rules are in :mod:`municloud.jp.area`.
"""

from __future__ import annotations

from datetime import date

from municloud.errors import ConfigurationError
from municloud.jp.area import Area, prefecture_of
from municloud.kernel.db import UnitOfWork
from municloud.kernel.tenants.orm import Tenant


def tenant_area(uow: UnitOfWork, on: date) -> Area:
    """The area of the unit of work's tenant on *on* (inside the caller's ``with uow``)."""
    tenant = uow.session.get(Tenant, uow.tenant_code) if uow.tenant_code else None
    if tenant is None:
        raise ConfigurationError("TENANT_NOT_FOUND", f"団体コード {uow.tenant_code} は登録されていません")
    wards = tuple(w.strip() for w in uow.params.get("tenant.wards", on) if w and w.strip())
    county = (uow.params.get("tenant.county", on) or "").strip()
    return Area(prefecture_of(tenant.code) or "", tenant.name.strip(), county, wards)
