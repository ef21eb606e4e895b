"""Certificates benchmark (issue #3 §5): time to issue a 住民票の写し, beside WeasyPrint's floor.

* a one-page 住民票の写し (個人票, one person) and a four-member 世帯連記式 through
  ``issue_certificate``: permission and 支援措置 checks, reading the records and history, the
  発行番号, Jinja2 → HTML → WeasyPrint PDF with IPAmj明朝, SHA-256, the register row, the
  交付履歴 rows, two audit entries, commit;
* floor: ``kernel.documents.pdf.render_pdf(minimal_page())`` — WeasyPrint rendering a
  one-line page with the same font, in the same process, the same number of runs.

Each is timed over ``runs`` warm runs after ``warmup`` runs, the three taking turns (so load
on a shared machine hits floor and figures alike); p50 and p95 in milliseconds.
"""

from __future__ import annotations

from datetime import date

from bench.common import Report, fresh_platform, percentiles, time_each
from municloud.kernel.context import Context
from municloud.kernel.documents.pdf import minimal_page, render_pdf
from municloud.kernel.parameters.services import set_override
from municloud.kernel.tenants.services import add_tenant
from municloud.modules.registry.certificates.schemas import CertificateRequest
from municloud.modules.registry.certificates.services import issue_certificate
from municloud.modules.registry.schemas import Tennyu
from municloud.modules.registry.services.notifications import register_notification

TENANT = "062090"
MEMBERS = [
    ("辻\U000E0102　太郎", "ツジ　タロウ", "1958-04-01", "1", "世帯主"),
    ("辻\U000E0102　花子", "ツジ　ハナコ", "1960-05-05", "2", "妻"),
    ("辻\U000E0102　一郎", "ツジ　イチロウ", "1988-06-06", "1", "子"),
    ("\U00020BB7野　次郎", "ヨシノ　ジロウ", "1992-07-07", "1", "子の配偶者"),
]


def _ctx(platform, *roles: str) -> Context:
    perms = platform.catalog.permissions_of(frozenset(roles))
    return Context(TENANT, "bench-clerk", roles=frozenset(roles), permissions=perms, terminal="bench", place="bench")


def _setup(platform) -> tuple[Context, str, str]:
    operator = Context.system(None, platform.catalog.permissions_of({"operator"}), actor="bench-operator")
    add_tenant(platform.uow(None), operator, TENANT, "長井市", "市")
    admin = _ctx(platform, "tenant_admin")
    for key, value in (("tenant.mayor.title", "長井市長"), ("tenant.mayor.name", "長井　正義")):
        set_override(platform.uow(TENANT), admin, key, date(2000, 4, 1), value, "bench")
    clerk = _ctx(platform, "registry_clerk")
    persons = [{"shimei": s, "shimei_kana": k, "birth_date": b, "sex": x, "zokugara": z, "resident_kind": "日本人"}
               for s, k, b, x, z in MEMBERS]
    notice = Tennyu(kind="tennyu", ido_date="2025-04-01", todoke_date="2025-04-02", previous_address="東京都千代田区千代田1番1号",
                    address={"address": "山形県長井市本町一丁目1番1号", "postal_code": "993-0011"}, persons=persons)
    result = register_notification(platform.uow(TENANT), clerk, notice)
    return clerk, result.atena_nos[0], result.setai_nos[0]


def _interleaved(fns: list, runs: int, warmup: int) -> list[list[float]]:
    """Milliseconds of each of *fns*, run in turn (floor, figure, figure, floor, …) so that
    a change of load on a shared machine hits the floor and the figures alike."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    samples: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            samples[i].append(time_each(fn) * 1000)
    return samples


def run(database_url: str | None, runs: int = 30, warmup: int = 3) -> Report:
    report = Report(f"certificates (warm runs: {runs} after {warmup} warm-up; ms)")
    with fresh_platform(database_url, "certificates") as platform:
        clerk, head, setai_no = _setup(platform)
        one = CertificateRequest(atena_no=head, form="kojin", requester_type="self", requester_name="辻　太郎")
        four = CertificateRequest(setai_no=setai_no, members="all", include_head_and_relationship=True,
                                  requester_type="self", requester_name="辻　太郎")
        pages = {}

        def issue(request: CertificateRequest) -> None:
            cert = issue_certificate(platform.uow(TENANT), clerk, request)
            pages[request.resolved_form] = cert.pages

        floor, single, household = _interleaved(
            [lambda: render_pdf(minimal_page()), lambda: issue(one), lambda: issue(four)], runs, warmup)
        floor_p50, floor_p95 = percentiles(floor)
        for name, samples in (("住民票の写し 個人票 1名", single), ("住民票の写し 世帯連記式 4名", household)):
            p50, p95 = percentiles(samples)
            report.add(f"{name} p50", p50, "ms", floor=floor_p50, floor_name="render_pdf(minimal_page()) p50")
            report.add(f"{name} p95", p95, "ms", floor=floor_p95, floor_name="render_pdf(minimal_page()) p95")
        report.notes.append(f"pages: 個人票 {pages.get('kojin')}, 世帯連記式 {pages.get('setai')}; "
                            f"database: {platform.engine.dialect.name}")
    return report
