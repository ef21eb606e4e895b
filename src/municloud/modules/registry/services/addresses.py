"""A new address of a 転入・転居: inside the tenant, and with its 付加情報 (校区 …).

* **Inside the tenant.**  A 転入 (住民基本台帳法第22条) and a 転居 (第23条) set an address
  *in* the municipality; a move to another municipality is a 転出 (第24条) here and a 転入
  there.  The new address must lie in the tenant's area (:mod:`municloud.kernel.tenants.area`
  — 都道府県 and 郡 optional, the 市区町村名, and for a designated city one of its wards);
  otherwise ``REGISTRY_ADDRESS_OUTSIDE_TENANT``.
* **In the 住所マスター.**  When the tenant has loaded one (``services.towns``,
  ``docs/address-master.md``), the address must lie in a 町字 in force on the 異動日 and go
  on with a 番地 (``REGISTRY_ADDRESS_NOT_IN_MASTER`` / ``REGISTRY_ADDRESS_BANCHI_REQUIRED``);
  its 郵便番号 and the attributes the master gives are derived from the 町字 — a different
  value entered is refused (``REGISTRY_ADDRESS_POSTAL_CODE_NOT_OF_TOWN`` /
  ``REGISTRY_ADDRESS_ATTRIBUTE_NOT_OF_TOWN``), never silently replaced.  A tenant without
  a master keeps free text (the rest of this list).
* **付加情報.**  When the tenant records address attributes (``registry.address.attributes``,
  e.g. 校区), each is taken, in order, from the 住所マスター's 町字; from what the clerk
  entered; when joining a household, from that household (same address); else from
  ``registry.address.attribute_areas`` — a dated table 町字 → values for a tenant without
  a master.  An attribute that cannot be derived must be entered
  (``REGISTRY_ADDRESS_ATTRIBUTE_REQUIRED``): it is never dropped silently.
"""

from __future__ import annotations

from datetime import date

from municloud.errors import ConfigurationError, ValidationError
from municloud.jp.area import Area
from municloud.jp.codes import validate_postal_code
from municloud.kernel.db import UnitOfWork
from municloud.kernel.tenants.area import tenant_area
from municloud.modules.registry.domain import Person, invalid
from municloud.modules.registry.schemas import AddressIn
from municloud.modules.registry.services.towns import WHAT, check_in_master


def check_inside(area: Area, address: str, kind: str) -> None:
    """Refuse a 転入・転居 to an address outside the tenant (a blank one is refused later as
    a missing item)."""
    if not address.strip() or area.contains(address):
        return
    municipality = area.municipality
    example = f"{area.name}{area.wards[0]}…" if area.wards else f"{area.name}…"
    if kind == "tenkyo":
        advice = (f"{municipality}の区域の外へ住所を移すときは転居ではなく転出です（転出届を登録し、"
                  f"転入は移った先の市区町村で届け出ます。住民基本台帳法第23条・第24条）")
    else:
        advice = f"転入届は{municipality}の区域内に住所を定めたときの届出です（住民基本台帳法第22条）"
    message = f"{WHAT.get(kind, '新しい')}の住所が{municipality}の区域内ではありません（例：{example}）。{advice}"
    raise invalid("REGISTRY_ADDRESS_OUTSIDE_TENANT", message, "address.address")


def _strip_oaza(text: str) -> str:
    for word in ("大字", "字"):
        if text.startswith(word):
            return text[len(word):]
    return text


def derived_attributes(uow: UnitOfWork, area: Area, address: str, on: date) -> dict[str, str]:
    """付加情報 of *address* from ``registry.address.attribute_areas``: the row whose 町字
    (the part after the municipality, 大字・字 ignored on both sides) is the longest prefix."""
    table = uow.params.get("registry.address.attribute_areas", on) or {}
    locality = _strip_oaza(area.locality(address) or "")
    best, found = -1, {}
    for key, values in table.items():
        if not isinstance(values, dict) or not all(isinstance(v, str) for v in values.values()):
            raise ConfigurationError(
                "REGISTRY_ATTRIBUTE_AREAS_INVALID",
                f"パラメータ registry.address.attribute_areas の「{key}」の値は、項目名と値の対応にしてください",
            )
        town = _strip_oaza("".join(str(key).split()))
        if town and locality.startswith(town) and len(town) > best:
            best, found = len(town), dict(values)
    return found


def attributes_for(uow: UnitOfWork, area: Area, address: str, given: dict[str, str], on: date,
                   household: dict[str, Person] | None = None, master: dict[str, str] | None = None) -> dict[str, str]:
    """The 付加情報 recorded with a new address (see the module's doc for the order);
    *master*: the attributes of its 町字 in the 住所マスター."""
    wanted = tuple(uow.params.get("registry.address.attributes", on))
    entered = {k: v for k, v in given.items() if isinstance(v, str) and v.strip()}
    if not wanted or set(entered) - set(wanted):
        return entered  # nothing recorded, or an unknown attribute: refused as unknown later
    for name in wanted:
        if (master or {}).get(name) and entered.get(name) not in (None, master[name]):
            message = f"{name}は住所マスターの町字から決まります（この住所は{master[name]}）。入力した「{entered[name]}」は使えません"
            raise invalid("REGISTRY_ADDRESS_ATTRIBUTE_NOT_OF_TOWN", message, f"address.attributes.{name}")
    if household:
        fallback = dict(next(iter(household.values())).address_attributes or {})
    else:
        fallback = derived_attributes(uow, area, address, on)
    fallback = {**fallback, **{k: v for k, v in (master or {}).items() if v}}
    result = dict(entered)
    for name in wanted:
        if name not in result and fallback.get(name):
            result[name] = fallback[name]
    missing = [name for name in wanted if not result.get(name)]
    if missing:
        table = "住所マスターのこの町字" if master is not None else "町字ごとの表"
        message = (f"{'・'.join(missing)}を入力してください（この住所の{'・'.join(missing)}は"
                   f"{table}にないため、自動では決められません）")
        raise invalid("REGISTRY_ADDRESS_ATTRIBUTE_REQUIRED", message, f"address.attributes.{missing[0]}")
    return result


def new_address(uow: UnitOfWork, address: AddressIn, on: date, kind: str,
                household: dict[str, Person] | None = None) -> dict:
    """The address items of a 転入・転居 to *address* on *on* (checked, 付加情報 filled).

    *household*: the members of the household the movers join (they share its address)."""
    area = tenant_area(uow, on)
    check_inside(area, address.address, kind)
    town = check_in_master(uow, area, address.address, on, kind)
    postal = address.postal_code
    if town is not None and town.postal_code:
        postal = _postal_of_town(town.name, town.postal_code, postal)
    master = dict(town.attributes or {}) if town is not None else None
    return {
        "address": address.address,
        "katagaki": address.katagaki,
        "postal_code": postal,
        "address_attributes": attributes_for(uow, area, address.address, dict(address.attributes), on, household,
                                             master),
    }


def _postal_of_town(name: str, derived: str, entered: str | None) -> str:
    """The 郵便番号 of the 町字; one entered must be the same (a malformed one is left for
    the address check to report)."""
    if entered:
        try:
            same = validate_postal_code(entered) == derived
        except ValidationError:
            return entered
        if not same:
            message = (f"郵便番号は住所マスターの町字から決まります（{name}は〒{derived[:3]}-{derived[3:]}）。"
                       "入力しなくてかまいません")
            raise invalid("REGISTRY_ADDRESS_POSTAL_CODE_NOT_OF_TOWN", message, "address.postal_code")
    return derived
