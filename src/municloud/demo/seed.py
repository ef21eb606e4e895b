"""``run_demo``: the three demo tenants, their residents, a little history, demo users.

Everything goes through the platform's services (add_tenant, set_override, load_towns
(the 住所マスター of ``demo/towns.py``), load_households, register_notification, start_support_measure, add_user,
create_api_client), acting as a
``demo-setup`` system context, so the demo data is what real use would have written —
audit chains included.  Refuses to run when a demo tenant already exists.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from faker import Faker

from municloud.demo import DEFAULT_SEED
from municloud.demo.generator import generate_households
from municloud.demo.history import HistoryMaker
from municloud.demo.profiles import PROFILES, TenantProfile, overrides_for
from municloud.demo.towns import town_file
from municloud.errors import ConflictError, ValidationError
from municloud.kernel.clock import today_jst
from municloud.kernel.context import Context
from municloud.kernel.identity.clients import create_api_client
from municloud.kernel.identity.services import add_user
from municloud.kernel.parameters.services import set_override
from municloud.kernel.tenants.services import add_tenant, list_tenants
from municloud.modules.registry.services.bulk import load_households
from municloud.modules.registry.services.towns import load_towns

#: The demo population was "migrated" into municloud on this day (the 異動日 of the initial
#: 職権記載), so that it is registered on the tax 賦課期日 of 令和7・8年度.
MIGRATED_ON = date(2024, 4, 1)
#: The 年度 assessed in the demo.
TAX_YEAR = 2026

TENANT_ROLES = ("registry_clerk", "registry_viewer", "registry_supervisor", "tenant_admin", "auditor", "tax_officer",
                "tax_supervisor", "seals_clerk")
ROLE_LABELS = {
    "registry_clerk": ("clerk", "窓口担当"), "registry_viewer": ("viewer", "照会担当"),
    "registry_supervisor": ("supervisor", "市民課長"), "tenant_admin": ("admin", "団体管理者"),
    "auditor": ("auditor", "監査担当"), "operator": ("operator", "基盤運用者"),
    "tax_officer": ("tax", "税務担当"), "tax_supervisor": ("taxchief", "税務課長"),
    "seals_clerk": ("inkan", "印鑑登録担当"),
}
ACTOR = "demo-setup"
#: What the demo's API client of each tenant may do: the README's curl examples (search,
#: history, a notification) — reading and writing the registry, nothing else.
CLIENT_SCOPES = ("registry:resident:search", "registry:resident:view", "registry:notification:register")
CAPTURE = 3000  # households kept in memory to pick the demo's notifications from

#: ``progress(label, total)`` returns a function called with the number of residents done.
ProgressFactory = Callable[[str, int], Callable[[int], None]]


@dataclass(frozen=True)
class DemoUser:
    username: str
    tenant_code: str | None
    tenant_name: str
    role: str
    password: str


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    tenant_code: str
    tenant_name: str
    secret: str
    scopes: tuple[str, ...]


@dataclass
class DemoTenant:
    code: str
    name: str
    kind: str
    residents: int
    households: int
    load_seconds: float
    mayor: str
    notifications: list[str] = field(default_factory=list)  # e.g. "転居 (異動番号 2)"
    tax: object | None = None  # the 令和8年度 当初賦課 (tax.services.assessment.RunSummary)


@dataclass
class DemoResult:
    tenants: list[DemoTenant]
    users: list[DemoUser]
    seconds: float
    clients: list[DemoClient] = field(default_factory=list)


def residents_at(profile: TenantProfile, scale: float) -> int:
    return max(1, round(profile.base_residents * scale))


def demo_password(seed: int, username: str) -> str:
    """A deterministic demo password (printed at the end; never use these in production)."""
    digest = hashlib.sha256(f"municloud-demo:{seed}:{username}".encode()).digest()
    token = base64.b32encode(digest).decode().lower()
    return f"demo-{token[:4]}-{token[4:8]}-{token[8:12]}"


def demo_client_credentials(seed: int, tenant_code: str) -> tuple[str, str]:
    """A deterministic API client id and secret per tenant (printed; demo only)."""
    digest = hashlib.sha256(f"municloud-demo-client:{seed}:{tenant_code}".encode()).digest()
    secret = base64.b32encode(hashlib.sha256(digest).digest()).decode().lower().rstrip("=")
    return f"{tenant_code}-{digest.hex()[:12]}", f"demo-{secret[:40]}"


def mayor_name(profile: TenantProfile, seed: int) -> str:
    """A fictional mayor's name, from a Faker ja_JP instance seeded per tenant."""
    fake = Faker(locale="ja_JP")
    fake.seed_instance(f"{seed}:{profile.code}:mayor")
    return f"{fake.last_name()}\u3000{fake.first_name_male()}"


def system_context(platform, tenant_code: str | None, *roles: str) -> Context:
    perms = platform.catalog.permissions_of(frozenset(roles))
    return Context.system(tenant_code, perms, actor=ACTOR, roles=frozenset(roles), place="デモデータ作成")


def run_demo(
    platform, *, scale: float = 1.0, seed: int = DEFAULT_SEED, progress: ProgressFactory | None = None,
    profiles: tuple[TenantProfile, ...] = PROFILES,
) -> DemoResult:
    """Create the demo tenants with ``scale`` × their base population (see ``profiles``)."""
    started = time.perf_counter()
    if not scale > 0:
        raise ValidationError("DEMO_SCALE_INVALID", "--scale には0より大きい数を指定してください")
    operator = system_context(platform, None, "operator")
    existing = {t.code: t.name for t in list_tenants(platform.uow(None, read_only=True), operator)}
    clash = [f"{p.code} {existing[p.code]}" for p in profiles if p.code in existing]
    if clash:
        raise ConflictError(
            "DEMO_ALREADY_LOADED",
            f"デモ用の団体（{'・'.join(clash)}）はすでに登録されています。デモデータは空のデータベースに"
            "一度だけ作成できます（別の MUNICLOUD_DATABASE_URL を指定するか、データベースを作り直してください）",
        )
    tenants = []
    for profile in profiles:
        add_tenant(platform.uow(None), operator, profile.code, profile.name, profile.kind)
        tenants.append(_populate(platform, profile, scale, seed, progress))
    users = _users(platform, profiles, seed)
    clients = _clients(platform, profiles, seed)
    return DemoResult(tenants, users, time.perf_counter() - started, clients)


def _populate(platform, profile: TenantProfile, scale: float, seed: int, progress: ProgressFactory | None) -> DemoTenant:
    admin = system_context(platform, profile.code, "tenant_admin")
    mayor = mayor_name(profile, seed)
    for o in overrides_for(profile, mayor):
        set_override(platform.uow(profile.code), admin, o.key, o.effective_from, o.value, o.reason)
    towns = town_file(profile)
    load_towns(platform.uow(profile.code), admin, towns.read_bytes(), towns.name)
    n = residents_at(profile, scale)
    captured: list[list[dict]] = []

    def households() -> Iterator[list[dict]]:
        for members in generate_households(profile, n, seed):
            if len(captured) < CAPTURE:
                captured.append(members)
            yield members

    advance = progress(f"{profile.name}（{n:,}人）", n) if progress else None
    clerk = system_context(platform, profile.code, "registry_supervisor")
    report = load_households(platform.uow(profile.code), clerk, households(), progress=advance,
                             ido_date=MIGRATED_ON)
    tenant = DemoTenant(profile.code, profile.name, profile.kind, report.residents, report.households,
                        report.seconds, mayor)
    tenant.notifications = HistoryMaker(platform, profile, clerk, captured, seed).run()
    tenant.tax = _tax(platform, profile, seed)
    return tenant


def _tax(platform, profile: TenantProfile, seed: int):
    """令和8年度の課税資料 for everyone registered on 1 January 2026, and the 当初賦課."""
    from municloud.demo.tax import inputs_for
    from municloud.modules.registry.api import residents_on
    from municloud.modules.tax.services.assessment import assess
    from municloud.modules.tax.services.inputs import load_inputs

    year = TAX_YEAR
    with platform.uow(profile.code, read_only=True) as uow:
        taxpayers = residents_on(uow, date(year, 1, 1))
    officer = system_context(platform, profile.code, "tax_officer")
    load_inputs(platform.uow(profile.code), officer, year, inputs_for(taxpayers, year, seed))
    return assess(platform.uow(profile.code), system_context(platform, profile.code, "tax_supervisor"), year)


def _users(platform, profiles: tuple[TenantProfile, ...], seed: int) -> list[DemoUser]:
    users = []
    operator = system_context(platform, None, "operator")
    name = "operator"
    password = demo_password(seed, name)
    add_user(platform.uow(None), operator, name, password, ["operator"], "基盤運用者（デモ）")
    users.append(DemoUser(name, None, "（基盤）", "operator", password))
    for profile in profiles:
        admin = system_context(platform, profile.code, "tenant_admin")
        for role in TENANT_ROLES:
            short, label = ROLE_LABELS[role]
            name = f"{profile.slug}-{short}"
            password = demo_password(seed, name)
            add_user(platform.uow(profile.code), admin, name, password, [role], f"{profile.name} {label}（デモ）")
            users.append(DemoUser(name, profile.code, profile.name, role, password))
    return users


def _clients(platform, profiles: tuple[TenantProfile, ...], seed: int) -> list[DemoClient]:
    """One API client per tenant, for the README's curl examples (valid for a year)."""
    clients = []
    for profile in profiles:
        admin = system_context(platform, profile.code, "tenant_admin")
        credentials = demo_client_credentials(seed, profile.code)
        create_api_client(platform.uow(profile.code), admin, f"デモ用の連携（{profile.name}）", list(CLIENT_SCOPES),
                          today_jst() + timedelta(days=365), credentials=credentials)
        clients.append(DemoClient(credentials[0], profile.code, profile.name, credentials[1], CLIENT_SCOPES))
    return clients
