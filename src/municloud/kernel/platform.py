"""The running platform: settings, engine, catalog and parameters, built once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from municloud.config import Settings
from municloud.kernel.catalog import Catalog, register_kernel
from municloud.kernel.db import UnitOfWork, make_engine, make_session_factory
from municloud.kernel.events import EventBus
from municloud.kernel.fees import FeeSources
from municloud.kernel.identity.passwords import make_hasher
from municloud.kernel.parameters.definitions import Definitions
from municloud.kernel.parameters.services import ParameterService

KERNEL_PARAMETERS = Path(__file__).parent / "parameters" / "defaults"


@dataclass
class Platform:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    catalog: Catalog
    parameters: ParameterService
    password_hasher: PasswordHasher
    dummy_hash: str = field(default="")
    events: EventBus = field(default_factory=EventBus)
    fee_sources: FeeSources = field(default_factory=FeeSources)  # 手数料の収納元 (kernel.fees)

    def uow(
        self, tenant_code: str | None, *, read_only: bool = False, dry_run: bool = False,
        lock_wait_ms: int | None = None,
    ) -> UnitOfWork:
        """A unit of work bound to *tenant_code* (``None``: platform level).

        ``read_only``: for lookups that write nothing on success (e.g. resolving a
        request's Context); on SQLite it takes no write lock.  Refusals it records are
        still written, in a transaction of their own.

        ``dry_run``: the use case runs in full and is then rolled back (see
        :class:`~municloud.kernel.db.UnitOfWork`) — a confirmation step's check.

        ``lock_wait_ms``: wait at most this long for a lock another transaction holds
        (e.g. a long 当初賦課 holding SQLite's write lock), then fail with an
        ``OperationalError`` (``kernel.db.is_lock_timeout``) — for writes that may be skipped.
        """
        return UnitOfWork(self, tenant_code, read_only=read_only, dry_run=dry_run, lock_wait_ms=lock_wait_ms)

    def dispose(self) -> None:
        self.engine.dispose()


def build_platform(settings: Settings, modules: list) -> Platform:
    """Assemble the platform; each module in *modules* registers itself.

    A module is any object with ``register(catalog)``, an optional ``PARAMETERS_DIR`` path
    holding its YAML parameter files and an optional ``register_fee_sources(sources)`` that
    adds what it takes at the window to the 交付日計表 (``kernel.fees``).
    """
    if not settings.secret_key:
        from municloud.errors import ConfigurationError

        raise ConfigurationError(  # bootstrap.create_platform reads or makes the installation's key
            "CONFIG_NO_SECRET", "秘密鍵がありません（bootstrap.create_platform から作成してください）"
        )
    catalog = Catalog()
    register_kernel(catalog)
    definitions = Definitions()
    definitions.load_dir(KERNEL_PARAMETERS)
    for module in modules:
        module.register(catalog)
        directory = getattr(module, "PARAMETERS_DIR", None)
        if directory is not None:
            definitions.load_dir(directory)
    engine = make_engine(settings.database_url, echo=settings.sql_echo)
    hasher = make_hasher(settings.mode)
    platform = Platform(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        catalog=catalog,
        parameters=ParameterService(definitions),
        password_hasher=hasher,
        dummy_hash=hasher.hash("dummy-password-for-timing"),
    )
    for module in modules:
        register_fee_sources = getattr(module, "register_fee_sources", None)
        if register_fee_sources is not None:
            register_fee_sources(platform.fee_sources)
    return platform
