"""Helpers of the interchange tests: a tenant full of data, a second platform, comparing exports."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from pathlib import Path

from municloud.bootstrap import create_platform, import_all_models
from municloud.config import Settings
from municloud.errors import NotFoundError
from municloud.interchange.exporter import export_tenant
from municloud.interchange.importer import import_tenant
from municloud.kernel.context import Context
from municloud.kernel.db import Base
from municloud.kernel.documents.verification import verify_document
from municloud.kernel.identity.services import add_user
from municloud.kernel.parameters.services import set_override
from municloud.modules.registry.services.support import start_support_measure
from tests.factories import context, days_ago, family, register, support_measure
from tests.integration.certificates.helpers import issue, printed_code
from tests.integration.seals.support import certificate as seal_certificate
from tests.integration.seals.support import register as register_seal
from tests.integration.seals.support import resident as seal_resident


def fill(platform, tenant: str) -> dict:
    """A tenant with data made through the services: every entity of the layout has rows."""
    admin = context(platform, tenant, "tenant_admin")
    add_user(platform.uow(tenant), admin, f"clerk{tenant}", "correct-horse-battery-9", ["registry_clerk"], "窓口　一郎")
    set_override(platform.uow(tenant), admin, "registry.certificate.fee", date(2025, 4, 1), 250, "条例改正")
    supervisor = context(platform, tenant, "registry_supervisor")
    fam = family(platform, supervisor)
    register(platform, supervisor, kind="tenkyo", ido_date=days_ago(3), todoke_date=days_ago(2),
             atena_nos=fam.atena_nos, address={"address": "山形県長井市ままの上5番1号", "postal_code": "993-0003"})
    start_support_measure(platform.uow(tenant), supervisor, fam.atena_nos[1], support_measure())
    # the protected wife herself (identity checked) gets the copy; her household member's request is held
    certificate = issue(platform, supervisor, atena_no=fam.atena_nos[1], members="all", requester_type="self",
                        identity_checked=True)
    code = printed_code(certificate.pdf)
    verify_document(platform.uow(None), certificate.issue_no, code, pdf=certificate.pdf)  # counted
    with suppress(NotFoundError):  # a number not in the register: counted on the row with an empty 発行番号
        verify_document(platform.uow(None), f"{tenant}-2026-999999", code)
    issue(platform, supervisor, setai_no=fam.setai_nos[0], requester_type="household_member")
    owner = seal_resident(platform, supervisor)
    seal = register_seal(platform, supervisor, owner)
    seal_certificate(platform, supervisor, owner, seal.card_no)
    _ledger(platform, tenant, fam)
    _tax(platform, tenant)
    _towns(platform, tenant, admin)
    return {"family": fam, "certificate": (certificate.issue_no, code, certificate.pdf)}


def _towns(platform, tenant: str, admin) -> None:
    """The demo 長井市's 住所マスター (a renamed and an abolished 町字 among them)."""
    from municloud.demo.profiles import NAGAI
    from municloud.demo.towns import town_csv
    from municloud.modules.registry.services.towns import load_towns

    load_towns(platform.uow(tenant), admin, town_csv(NAGAI).replace("062090", tenant).encode())


def _tax(platform, tenant: str) -> None:
    """A taxpayer of 1 January 2026 with 課税資料 (a spouse by 宛名番号, a dependant living
    elsewhere), assessed and then corrected: inputs, relatives, runs and two revisions."""
    import tempfile

    from municloud.modules.tax.services.assessment import assess
    from municloud.modules.tax.services.inputs import import_inputs
    from tests.factories import person
    from tests.integration.tax.support import resident_since, write_inputs, write_relatives

    registrar = context(platform, tenant, "registry_clerk")
    payer = resident_since(platform, registrar, date(2025, 6, 1),
                           person("納税　太郎", "ノウゼイ　タロウ", "1975-03-03", "1"),
                           person("納税　花子", "ノウゼイ　ハナコ", "1977-07-07", "2", "妻"))
    head, wife = payer.atena_nos
    officer = context(platform, tenant, "tax_officer")
    boss = context(platform, tenant, "tax_supervisor")
    with tempfile.TemporaryDirectory() as tmp:
        inputs = write_inputs(Path(tmp) / "in.csv", [
            {"atena_no": head, "salary_income": 6_200_000, "social_insurance": 900_000, "employer_no": "E-1",
             "employer_name": "長井精機株式会社", "life_general_new": 80_000},
            {"atena_no": wife, "salary_income": 900_000}])
        relatives = write_relatives(Path(tmp) / "rel.csv", [
            {"atena_no": head, "relation": "配偶者", "relative_atena_no": wife, "cohabiting": 1},
            {"atena_no": head, "relation": "扶養親族", "name": "納税　梅子", "birth_date": "1950-01-01",
             "income": 0, "lineal_ascendant": 1}])
        import_inputs(platform.uow(tenant), officer, 2026, inputs, relatives)
        assess(platform.uow(tenant), boss, 2026)
        write_inputs(Path(tmp) / "fix.csv", [{"atena_no": wife, "salary_income": 1_200_000}])
        import_inputs(platform.uow(tenant), officer, 2026, Path(tmp) / "fix.csv")
        assess(platform.uow(tenant), boss, 2026, reason="配偶者の給与支払報告書の訂正")


def _ledger(platform, tenant: str, fam) -> None:
    """The family as if a legacy migration had loaded it (the ledger is part of the layout)."""
    from municloud.interchange.legacy.orm import LegacyLedgerEntry
    from municloud.modules.registry.orm import ResidentRecord

    uow = platform.uow(tenant)
    with uow:
        for n, atena in enumerate(fam.atena_nos):
            record = uow.session.get(ResidentRecord, (tenant, atena, 1))
            uow.session.add(LegacyLedgerEntry(tenant_code=tenant, system="旧システム", legacy_atena_no=f"{9000 + n:010d}",
                                              legacy_setai_no="0000500001", atena_no=atena, setai_no=record.setai_no,
                                              notification_id=record.notification_id))
        uow.commit()


def export(platform, tenant: str, out: Path, *, audited: bool = True):
    ctx = Context.system(tenant, frozenset(), actor="test-exporter") if audited else None
    return export_tenant(platform, tenant, out, actor_ctx=ctx)


def import_(platform, tenant: str, directory: Path, report: Path | None = None):
    ctx = Context.system(None, frozenset(), actor="test-importer")
    return import_tenant(platform, tenant, directory, ctx=ctx, report=report)


def second_platform(tmp_path: Path, name: str = "second.db"):
    import_all_models()
    platform = create_platform(Settings(database_url=f"sqlite:///{tmp_path / name}", mode="test", secret_key="x" * 40))
    Base.metadata.create_all(platform.engine)
    return platform


def files_of(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.glob("*.csv")) if p.name != "import-report.csv"}
