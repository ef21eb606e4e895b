"""The 当初賦課 job: refused twice (also when two start at once), and its failures logged
without personal data."""

from __future__ import annotations

import logging
import threading
from datetime import date

import pytest
from sqlalchemy import func, select, text

from municloud.errors import MuniError
from municloud.modules.tax.orm import TaxRun
from municloud.modules.tax.services import batch
from municloud.modules.tax.services.assessment import assess
from tests.factories import person
from tests.integration.tax.support import resident_since

YEAR = 2026


@pytest.fixture
def resident(platform, registrar):
    return resident_since(platform, registrar, date(2025, 4, 1), person("賦課　一郎", "フカ　イチロウ")).atena_nos[0]


def runs(platform, tenant):
    with platform.uow(tenant, read_only=True) as uow:
        return uow.session.scalar(select(func.count()).select_from(TaxRun).where(TaxRun.year == YEAR))


def test_a_second_initial_assessment_is_refused_as_already_assessed(platform, tenant, supervisor, resident):
    assess(platform.uow(tenant), supervisor, YEAR, initial=True)
    with pytest.raises(MuniError) as refused:
        assess(platform.uow(tenant), supervisor, YEAR, initial=True)
    assert refused.value.code == "TAX_ALREADY_ASSESSED" and "当初賦課は済んでいます" in refused.value.message
    assert runs(platform, tenant) == 1


def _waiting_on_a_lock(platform) -> bool:
    if platform.engine.dialect.name != "postgresql":
        return True  # SQLite: the second waits at BEGIN IMMEDIATE whatever the moment
    with platform.engine.connect() as conn:
        return bool(conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")).scalar())


def test_two_initial_assessments_at_once_make_one_run(platform, tenant, supervisor, resident):
    """The second starts while the first is computing: it waits for the first's lock, then
    sees its run and is refused — not a second 当初賦課 (nor a 更正 without reason)."""
    computing, go_on = threading.Event(), threading.Event()

    def slow(stage, done, total):
        computing.set()
        assert go_on.wait(60)

    outcomes: dict[str, object] = {}

    def run(name, **kw):
        try:
            outcomes[name] = assess(platform.uow(tenant), supervisor, YEAR, initial=True, **kw).run_no
        except MuniError as exc:
            outcomes[name] = exc.code

    first = threading.Thread(target=run, args=("first",), kwargs={"progress": slow})
    first.start()
    assert computing.wait(60)
    second = threading.Thread(target=run, args=("second",))
    second.start()
    for _ in range(600):  # until the second waits for the first's lock (PostgreSQL)
        if _waiting_on_a_lock(platform) or not second.is_alive():
            break
        threading.Event().wait(0.05)
    go_on.set()
    first.join(60)
    second.join(60)
    assert outcomes == {"first": 1, "second": "TAX_ALREADY_ASSESSED"}
    assert runs(platform, tenant) == 1


def test_a_failed_job_logs_no_traceback_nor_parameters(platform, tenant, supervisor, resident, monkeypatch,
                                                        caplog):
    def broken(uow, ctx, year, **kw):
        try:
            raise ValueError(f"INSERT ... parameters: ('{resident}', 3000000)")
        except ValueError as exc:
            raise RuntimeError("while writing") from exc

    monkeypatch.setattr(batch, "assess", broken)
    caplog.set_level(logging.DEBUG, logger=batch.__name__)
    job = batch.start_assessment(platform, supervisor, YEAR)
    job.thread.join(60)
    assert job.status == batch.FAILED and job.error_code == "INTERNAL_ERROR"
    records = [r for r in caplog.records if r.name == batch.__name__]
    assert records and all(r.exc_info is None and r.exc_text is None for r in records)
    logged = caplog.text
    assert job.job_id in logged and tenant in logged and "RuntimeError" in logged
    assert resident not in logged and "3000000" not in logged and "parameters" not in logged


def test_finished_jobs_are_kept_per_tenant(monkeypatch):
    monkeypatch.setattr(batch, "KEEP", 1)
    monkeypatch.setattr(batch, "_jobs", {})
    old = batch.Job("a" * 16, "000001", YEAR, "x", None, status=batch.DONE)
    batch._jobs[old.job_id] = old
    for n in range(3):
        other = batch.Job(f"{n:016d}", "000002", YEAR, "y", None, status=batch.DONE)
        batch._jobs[other.job_id] = other
        batch._forget_finished("000002")
    assert old.job_id in batch._jobs  # another tenant's jobs do not push it out
    assert [j.tenant_code for j in batch._jobs.values()].count("000002") == 1
