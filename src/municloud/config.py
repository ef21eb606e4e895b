"""Settings, built by a factory from the environment and validated at start.

Nothing here opens a database or reads files at import time: call
:func:`load_settings` (or build :class:`Settings` directly in tests) and pass the result on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from municloud.errors import ConfigurationError

DEV_SECRET_KEY = "dev-insecure-secret-key-change-me"
DEFAULT_VAR_DIR = Path("var")
MODES = ("development", "test", "production")


@dataclass(frozen=True)
class Settings:
    """Runtime settings of one process.

    * ``database_url`` — SQLAlchemy URL; SQLite (default, file under ``./var/``) or
      PostgreSQL 15 (``postgresql+psycopg://…``).
    * ``secret_key`` — signs API tokens; refused at start-up when left at the
      development default outside development/test mode.
    * ``mode`` — ``development`` (default), ``test`` or ``production``.
    """

    database_url: str = f"sqlite:///{DEFAULT_VAR_DIR / 'municloud.db'}"
    secret_key: str = DEV_SECRET_KEY
    mode: str = "development"
    token_ttl_seconds: int = 8 * 3600
    public_url: str = "http://127.0.0.1:8000"  # printed in certificates' verification QR codes
    session_idle_seconds: int = 15 * 60  # screens: signed out after this long without a request
    session_max_seconds: int = 10 * 3600  # screens: signed out after this long in any case
    login_max_failures: int = 5
    login_lock_seconds: int = 15 * 60
    terminal_id: str = field(default_factory=lambda: os.uname().nodename)
    sql_echo: bool = False
    max_body_bytes: int = 1 << 20  # request bodies but uploads (web/input_guard.py)
    max_upload_bytes: int = 512 << 20  # multipart/form-data uploads (課税資料 CSV, 印影, PDF to verify)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def validate(self) -> Settings:
        if self.mode not in MODES:
            raise ConfigurationError(
                "CONFIG_MODE_INVALID",
                f"MUNICLOUD_MODE は {', '.join(MODES)} のいずれかにしてください（{self.mode}）",
            )
        if self.mode != "development" and self.secret_key == DEV_SECRET_KEY:
            raise ConfigurationError(
                "CONFIG_DEFAULT_SECRET",
                f"{self.mode} モードでは MUNICLOUD_SECRET_KEY を既定値以外に設定してください"
                "（既定値は開発モード専用です）",
            )
        if self.mode == "production" and len(self.secret_key) < 32:
            raise ConfigurationError(
                "CONFIG_WEAK_SECRET",
                "MUNICLOUD_SECRET_KEY は32文字以上にしてください",
            )
        return self

    def with_(self, **changes) -> Settings:
        return replace(self, **changes).validate()


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build and validate settings from environment variables (``MUNICLOUD_*``)."""
    env = os.environ if env is None else env
    defaults = Settings()
    settings = Settings(
        database_url=env.get("MUNICLOUD_DATABASE_URL", defaults.database_url),
        secret_key=env.get("MUNICLOUD_SECRET_KEY", defaults.secret_key),
        mode=env.get("MUNICLOUD_MODE", defaults.mode),
        token_ttl_seconds=_positive(env, "MUNICLOUD_TOKEN_TTL", defaults.token_ttl_seconds),
        public_url=env.get("MUNICLOUD_PUBLIC_URL", defaults.public_url).rstrip("/"),
        session_idle_seconds=_positive(env, "MUNICLOUD_SESSION_IDLE", defaults.session_idle_seconds),
        session_max_seconds=_positive(env, "MUNICLOUD_SESSION_MAX", defaults.session_max_seconds),
        login_max_failures=_positive(env, "MUNICLOUD_LOGIN_MAX_FAILURES", defaults.login_max_failures),
        login_lock_seconds=_positive(env, "MUNICLOUD_LOGIN_LOCK_SECONDS", defaults.login_lock_seconds),
        terminal_id=env.get("MUNICLOUD_TERMINAL_ID", defaults.terminal_id),
        sql_echo=env.get("MUNICLOUD_SQL_ECHO", "") == "1",
        max_body_bytes=_positive(env, "MUNICLOUD_MAX_BODY_BYTES", defaults.max_body_bytes),
        max_upload_bytes=_positive(env, "MUNICLOUD_MAX_UPLOAD_BYTES", defaults.max_upload_bytes),
    )
    return settings.validate()


def _positive(env: dict[str, str] | os._Environ, name: str, default: int) -> int:
    """A whole number of at least 1 from *env*, or a ConfigurationError naming the variable."""
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise ConfigurationError(
            "CONFIG_NUMBER_INVALID", f"{name} は1以上の整数にしてください（{raw!r}）"
        )
    return value
