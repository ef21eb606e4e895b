"""Engine, declarative base and the unit of work (one tenant, one transaction).

* SQLite: WAL journal, foreign keys on, and every transaction starts with
  ``BEGIN IMMEDIATE`` so that writers are serialised (SQLite allows one writer; taking
  the lock at the start avoids "database is locked" upgrades half-way through a use case).
* PostgreSQL 15: plain READ COMMITTED; the audit chain head row is locked
  ``FOR UPDATE`` to serialise chain appends per tenant (see ``kernel.audit``).
* Tenant scoping: a session created by :class:`UnitOfWork` carries its tenant code in
  ``session.info``; every ORM SELECT, and every ORM-enabled bulk UPDATE and DELETE, on a
  :class:`TenantOwned` class gets ``tenant_code = :tenant`` added automatically
  (``with_loader_criteria``), so a query cannot read or change another tenant's rows even
  if a repository forgets the filter.  Textual SQL (``text()``) is not scoped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData, String, create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    sessionmaker,
    with_loader_criteria,
)
from sqlalchemy.orm.exc import StaleDataError

from municloud.errors import ConflictError

if TYPE_CHECKING:
    from municloud.kernel.audit.services import AuditTrail


class Base(DeclarativeBase):
    """Declarative base of every table (constraints get stable names for migrations)."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class TenantOwned:
    """Mixin for tenant-owned tables: ``tenant_code`` is the first primary-key column.

    Each subclass must declare ``tenant_code`` as its first column (use
    :func:`tenant_code_column`) and include it in every foreign key to another
    tenant-owned table; ``tests/unit/kernel/test_tenancy_schema.py`` enforces both.
    """

    __tenant_owned__ = True
    tenant_code: Mapped[str] = mapped_column(String(6), primary_key=True, sort_order=-100)


def tenant_code_column() -> Mapped[str]:
    return mapped_column(String(6), primary_key=True, sort_order=-100)


def make_engine(database_url: str, *, echo: bool = False) -> Engine:
    """Create the engine for *database_url* (no global state)."""
    if database_url.startswith("sqlite"):
        path = database_url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            database_url,
            echo=echo,
            connect_args={"timeout": 30, "check_same_thread": False},
        )
        _configure_sqlite(engine)
        return engine
    return create_engine(database_url, echo=echo, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's implicit transactions are off).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A read-only unit of work takes no write lock, so it never queues behind a writer.
        # Each transaction sets how long it waits for a busy database (a ``lock_wait`` unit
        # of work waits less than the default).
        options = conn.get_execution_options()
        conn.exec_driver_sql(f"PRAGMA busy_timeout={int(options.get(LOCK_WAIT_MS, SQLITE_BUSY_MS))}")
        conn.exec_driver_sql("BEGIN" if options.get(READ_ONLY, False) else "BEGIN IMMEDIATE")


READ_ONLY = "municloud_read_only"
LOCK_WAIT_MS = "municloud_lock_wait_ms"
SQLITE_BUSY_MS = 30000  # how long a transaction waits for SQLite's write lock by default


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(state: Any) -> None:
    tenant_code = state.session.info.get("tenant_code")
    if tenant_code is None or state.execution_options.get("all_tenants", False):
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    state.statement = state.statement.options(
        with_loader_criteria(
            TenantOwned,
            lambda cls: cls.tenant_code == tenant_code,
            include_aliases=True,
        )
    )


class UnitOfWork:
    """One use case against one tenant: one transaction, committed once.

    Usage (in a service)::

        with uow:
            ...            # queries through uow.session, scoped to uow.tenant_code
            uow.audit.record(ctx, "registry:resident:view", subjects=[...])
            uow.commit()

    Leaving the block without ``commit()`` rolls everything back; audit entries marked
    ``always`` (refusals, login failures) are then written in a transaction of their own,
    so a refused attempt is still on record while the refused work is not.  Leaving it
    normally (no exception) with audit entries recorded but not committed is a programming
    error and raises ``AUDIT_NOT_COMMITTED``: the record of what was done must not vanish.

    ``dry_run=True`` runs the very same use case in a transaction that is always rolled
    back (the confirmation step of a screen, ``?dry_run=true`` on the API): every query,
    check and write runs, ``commit()`` flushes the writes — so the database's own
    constraints are checked too — and then rolls everything back.  Numbers taken from a
    counter (``kernel.sequences``) are given back with the rest, so a dry run consumes no
    宛名番号 or 異動番号.  The use case's ordinary audit entries vanish with the rollback
    (nothing was done); entries recorded with ``always=True`` are written in a transaction
    of their own, as after any rollback — a use case that reads personal data in a dry
    run records that look that way (e.g. ``registry:notification:check``).  A use case can
    tell it is a dry run from ``uow.dry_run``.
    """

    def __init__(
        self, platform: Any, tenant_code: str | None, *, read_only: bool = False, dry_run: bool = False,
        lock_wait_ms: int | None = None,
    ) -> None:
        if read_only and dry_run:
            from municloud.errors import ConfigurationError

            raise ConfigurationError("UOW_DRY_RUN_READ_ONLY", "試行（dry run）は読み取り専用の処理には使えません")
        self.platform = platform
        self.tenant_code = tenant_code
        self.read_only = read_only
        self.dry_run = dry_run
        self.lock_wait_ms = lock_wait_ms
        self.session: Session | None = None
        self._depth = 0
        self.audit: AuditTrail
        self.committed = False

    @property
    def params(self) -> Any:
        return self.platform.parameters.bound(self)

    def prepare_bulk_load(self) -> None:
        """Before loading many rows in this transaction (inside ``with``).

        On PostgreSQL every row's foreign-key check runs a plan prepared once — when the
        referred table was still empty in this transaction, a sequential scan per row, which
        makes a bulk load quadratic (the import of 10,000 residents took 37 s instead of
        18 s; a 1M registry load did not finish in an hour).  Each check is planned anew for
        the rest of the transaction.  Nothing to do on SQLite.
        """
        assert self.session is not None, "inside the with block"
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))

    def __enter__(self) -> UnitOfWork:
        from municloud.kernel.audit.services import AuditTrail

        self._depth += 1
        if self._depth > 1:
            return self
        self.session = self.platform.session_factory()
        self.session.info["tenant_code"] = self.tenant_code
        try:
            if self.read_only:
                self.session.connection(execution_options={READ_ONLY: True})
            elif self.lock_wait_ms is not None:
                self._begin_waiting_at_most(self.lock_wait_ms)
        except Exception:
            self._depth -= 1
            self.session.close()
            self.session = None
            raise
        self.audit = AuditTrail(self)
        self.committed = False
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._depth -= 1
        if self._depth > 0:
            return
        assert self.session is not None
        forgotten = exc is None and not self.committed and not self.dry_run and self.audit.has_pending
        try:
            if not self.committed:
                self.session.rollback()
                pending = self.audit.take_always()
                if pending:
                    self._write_after_rollback(pending)
        finally:
            self.session.close()
            self.session = None
        if forgotten:
            # A use case recorded what it did but never committed: its audit entries would
            # vanish silently.  A programming error, never a user's.
            from municloud.errors import ConfigurationError

            raise ConfigurationError(
                "AUDIT_NOT_COMMITTED", "監査ログに記録した操作が確定されていません（commit 漏れ）"
            )
        if isinstance(exc, StaleDataError) or (
            isinstance(exc, IntegrityError | OperationalError) and _is_conflict(exc)
        ):
            raise ConflictError(
                "CONCURRENT_UPDATE",
                "他の職員が同じ記録を更新しました。画面を開き直してから、もう一度入力してください",
            ) from exc

    def _begin_waiting_at_most(self, ms: int) -> None:
        """Start the transaction, waiting at most *ms* for a lock held by another
        transaction (SQLite: its one write lock; PostgreSQL: any row lock met later) —
        then ``OperationalError`` (see :func:`is_lock_timeout`)."""
        assert self.session is not None
        conn = self.session.connection(execution_options={LOCK_WAIT_MS: ms})
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"SET LOCAL lock_timeout = {int(ms)}"))

    def _write_after_rollback(self, pending: list) -> None:
        session = self.platform.session_factory()
        session.info["tenant_code"] = self.tenant_code
        try:
            from municloud.kernel.audit.services import write_entries

            write_entries(session, pending)
            session.commit()
        finally:
            session.close()

    def commit(self) -> None:
        assert self.session is not None
        if self.read_only:
            from municloud.errors import ConfigurationError

            raise ConfigurationError("UOW_READ_ONLY", "読み取り専用の処理で書き込もうとしました")
        if self.dry_run:
            # Everything the use case did reaches the database (constraints checked), then
            # is undone; the ``always`` entries are written by ``__exit__`` after it.
            self.session.flush()
            self.session.rollback()
            self.audit.discard_pending()
            return
        self.audit.flush_into(self.session)
        self.session.commit()
        self.audit.committed()
        self.committed = True

    def require(
        self, ctx: Any, permission: str, action: str, *, subjects: list[str] | tuple = ()
    ) -> None:
        """Refuse (and audit the refusal of) *action* unless *ctx* holds *permission*.

        A context of one tenant is also refused in a unit of work bound to another: its
        permissions come from roles held in its own tenant only.
        """
        from municloud.errors import PermissionDeniedError

        if (
            ctx.tenant_code is not None
            and self.tenant_code is not None
            and ctx.tenant_code != self.tenant_code
        ):
            self.audit.record(
                ctx,
                action,
                subjects=subjects,
                outcome="denied",
                detail={"reason": "tenant_mismatch"},
                tenant_code=self.tenant_code,
                always=True,
            )
            raise PermissionDeniedError(
                "TENANT_MISMATCH", "この団体の業務を行う権限がありません（操作は記録されました）"
            )
        if ctx.has(permission):
            return
        self.audit.record(
            ctx,
            action,
            subjects=subjects,
            outcome="denied",
            detail={"missing_permission": permission},
            always=True,
        )
        raise PermissionDeniedError(
            "PERMISSION_DENIED", "この操作を行う権限がありません（操作は記録されました）"
        )

    def flush(self) -> None:
        assert self.session is not None
        self.session.flush()


def is_lock_timeout(exc: Exception) -> bool:
    """*exc* says another transaction held the lock longer than this one would wait."""
    text_ = str(getattr(exc, "orig", exc)).lower()
    return isinstance(exc, OperationalError) and (
        "database is locked" in text_ or "lock timeout" in text_ or "lock_timeout" in text_
    )


def _is_conflict(exc: Exception) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return any(
        marker in text
        for marker in ("unique constraint", "duplicate key", "could not serialize", "deadlock")
    )


@contextmanager
def plain_session(platform: Any) -> Iterator[Session]:
    """A session without tenant scope, for platform-level work (tenants, users)."""
    session = platform.session_factory()
    try:
        yield session
    finally:
        session.close()
