"""Settings, built by a factory from the environment and validated at start.

Nothing here opens a database or touches a file at import time, and :func:`load_settings`
only reads the environment.  The one file a platform needs besides its database — the
installation's secret key — is read, or created on first start, by
:func:`with_instance_secret` when the platform is built (``bootstrap.create_platform``).
Tests build :class:`Settings` directly, with an explicit key.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from municloud.errors import ConfigurationError

DEFAULT_VAR_DIR = Path("var")
MODES = ("development", "test", "production")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "0.0.0.0")
SECRET_FILE = "secret_key"
MIN_SECRET_LENGTH = 32
#: Keys published in earlier versions' code and documentation: refused whatever the mode,
#: since anyone can sign tokens with them.
PUBLISHED_SECRETS = frozenset({"dev-insecure-secret-key-change-me"})
#: Settings renamed when the per-account lock-out became throttling (refused with a hint).
RENAMED = {
    "MUNICLOUD_LOGIN_MAX_FAILURES": "MUNICLOUD_LOGIN_FREE_FAILURES",
    "MUNICLOUD_LOGIN_LOCK_SECONDS": "MUNICLOUD_LOGIN_MAX_DELAY",
}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Settings:
    """Runtime settings of one process.

    * ``database_url`` — SQLAlchemy URL; SQLite (default, file under ``./var/``) or
      PostgreSQL 15 (``postgresql+psycopg://…``).
    * ``secret_key`` — signs API tokens.  ``None`` (``MUNICLOUD_SECRET_KEY`` unset): the
      installation's own random key, kept in ``<instance_dir>/secret_key`` (mode 0600) and
      created on first start (:func:`with_instance_secret`).  There is no default key.
    * ``instance_dir`` — the installation's own files (the secret key); by default the
      directory of the SQLite file, else ``./var``.
    * ``mode`` — ``development`` (default), ``test`` or ``production``.
    * ``login_*`` — throttling of log-in attempts (``kernel/identity/throttle.py``).
    * ``trusted_proxies`` — addresses/networks whose ``X-Forwarded-For`` is believed
      (``web/deps.py``); empty: the peer address is the client.
    * ``public_url`` — ``MUNICLOUD_PUBLIC_URL``: the address of this installation as a bank or
      a resident opens it; every issued document prints ``{public_url}/verify/{発行番号}?code=
      {確認コード}`` and carries it in its QR code (``kernel.documents.services.verify_url``).
      http(s), no query or fragment; a path prefix is kept; not 127.0.0.1 in production.
    """

    database_url: str = f"sqlite:///{DEFAULT_VAR_DIR / 'municloud.db'}"
    secret_key: str | None = None
    instance_dir: Path | None = None
    mode: str = "development"
    token_ttl_seconds: int = 8 * 3600
    client_token_ttl_seconds: int = 3600  # API clients (machines) ask again cheaply
    public_url: str = "http://127.0.0.1:8000"  # printed in certificates' verification QR codes
    session_idle_seconds: int = 15 * 60  # screens: signed out after this long without a request
    session_max_seconds: int = 10 * 3600  # screens: signed out after this long in any case
    login_free_failures: int = 3  # failures of one user name before delays begin
    login_address_free_failures: int = 20  # failures from one client address before delays begin
    login_max_delay_seconds: int = 300  # the delays double from 1 s up to this
    login_failure_window_seconds: int = 3600  # failures are forgotten this long after the last one
    trusted_proxies: tuple[Network, ...] = ()
    verify_rate_limit: int = 20  # public /verify: requests per client address …
    verify_rate_window: int = 60  # … per this many seconds (kernel.ratelimit)
    terminal_id: str = field(default_factory=lambda: os.uname().nodename)
    sql_echo: bool = False
    max_body_bytes: int = 1 << 20  # request bodies but uploads (web/input_guard.py)
    max_upload_bytes: int = 512 << 20  # multipart/form-data uploads (課税資料 CSV, 印影, PDF to verify)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def instance_path(self) -> Path:
        """Where the installation keeps its own files (see ``instance_dir``)."""
        if self.instance_dir is not None:
            return Path(self.instance_dir)
        if self.is_sqlite:
            path = self.database_url.split("///", 1)[-1] if "///" in self.database_url else ""
            if path and path != ":memory:":
                return Path(path).parent
        return DEFAULT_VAR_DIR

    def validate(self) -> Settings:
        if self.mode not in MODES:
            raise ConfigurationError(
                "CONFIG_MODE_INVALID",
                f"MUNICLOUD_MODE は {', '.join(MODES)} のいずれかにしてください（{self.mode}）",
            )
        if self.login_failure_window_seconds < self.login_max_delay_seconds:
            raise ConfigurationError(
                "CONFIG_THROTTLE_WINDOW",
                "MUNICLOUD_LOGIN_FAILURE_WINDOW は MUNICLOUD_LOGIN_MAX_DELAY 以上にしてください",
            )
        if self.secret_key is not None:
            if self.secret_key in PUBLISHED_SECRETS:
                raise ConfigurationError(
                    "CONFIG_PUBLISHED_SECRET",
                    "MUNICLOUD_SECRET_KEY に公開されている開発用の鍵が設定されています。"
                    "設定を外して（インストールごとの鍵が作られます）か、推測できない値にしてください",
                )
            if self.mode == "production" and len(self.secret_key) < MIN_SECRET_LENGTH:
                raise ConfigurationError(
                    "CONFIG_WEAK_SECRET", f"MUNICLOUD_SECRET_KEY は{MIN_SECRET_LENGTH}文字以上にしてください"
                )
        url = urlsplit(self.public_url)
        if url.scheme not in ("http", "https") or not url.hostname or url.query or url.fragment:
            # the 発行番号's path and ?code= are added to it (kernel/documents: verify_url)
            raise ConfigurationError(
                "CONFIG_PUBLIC_URL_INVALID",
                "MUNICLOUD_PUBLIC_URL は https://（または http://）で始まる、? や # を含まないURLにしてください"
                f"（例：https://juki.example.lg.jp。今は {self.public_url}）",
            )
        if self.mode == "production" and url.hostname in LOCAL_HOSTS:
            # printed in every certificate's QR code: a bank or a resident must be able to open it
            raise ConfigurationError(
                "CONFIG_PUBLIC_URL_LOCAL",
                "本番モードでは MUNICLOUD_PUBLIC_URL に、証明書のQRコードから開ける公開のURLを設定してください"
                f"（今は {self.public_url}）",
            )
        return self

    def with_(self, **changes) -> Settings:
        return replace(self, **changes).validate()


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build and validate settings from environment variables (``MUNICLOUD_*``).

    Reads nothing but *env*: the secret key file is the platform's business
    (:func:`with_instance_secret`)."""
    env = os.environ if env is None else env
    for old, new in RENAMED.items():
        if old in env:
            raise ConfigurationError(
                "CONFIG_SETTING_RENAMED",
                f"{old} は使えなくなりました。ログインの抑止は {new} などで設定します（README の設定の表）",
            )
    d = Settings()
    instance_dir = env.get("MUNICLOUD_INSTANCE_DIR", "").strip()
    settings = Settings(
        database_url=env.get("MUNICLOUD_DATABASE_URL", d.database_url),
        secret_key=env.get("MUNICLOUD_SECRET_KEY") or None,
        instance_dir=Path(instance_dir) if instance_dir else None,
        mode=env.get("MUNICLOUD_MODE", d.mode),
        token_ttl_seconds=_positive(env, "MUNICLOUD_TOKEN_TTL", d.token_ttl_seconds),
        client_token_ttl_seconds=_positive(env, "MUNICLOUD_CLIENT_TOKEN_TTL", d.client_token_ttl_seconds),
        public_url=env.get("MUNICLOUD_PUBLIC_URL", d.public_url).rstrip("/"),
        session_idle_seconds=_positive(env, "MUNICLOUD_SESSION_IDLE", d.session_idle_seconds),
        session_max_seconds=_positive(env, "MUNICLOUD_SESSION_MAX", d.session_max_seconds),
        login_free_failures=_positive(env, "MUNICLOUD_LOGIN_FREE_FAILURES", d.login_free_failures),
        login_address_free_failures=_positive(
            env, "MUNICLOUD_LOGIN_ADDRESS_FREE_FAILURES", d.login_address_free_failures
        ),
        login_max_delay_seconds=_positive(env, "MUNICLOUD_LOGIN_MAX_DELAY", d.login_max_delay_seconds),
        login_failure_window_seconds=_positive(
            env, "MUNICLOUD_LOGIN_FAILURE_WINDOW", d.login_failure_window_seconds
        ),
        trusted_proxies=parse_networks(env.get("MUNICLOUD_TRUSTED_PROXIES", "")),
        verify_rate_limit=_positive(env, "MUNICLOUD_VERIFY_RATE_LIMIT", d.verify_rate_limit),
        verify_rate_window=_positive(env, "MUNICLOUD_VERIFY_RATE_WINDOW", d.verify_rate_window),
        terminal_id=env.get("MUNICLOUD_TERMINAL_ID", d.terminal_id),
        sql_echo=env.get("MUNICLOUD_SQL_ECHO", "") == "1",
        max_body_bytes=_positive(env, "MUNICLOUD_MAX_BODY_BYTES", d.max_body_bytes),
        max_upload_bytes=_positive(env, "MUNICLOUD_MAX_UPLOAD_BYTES", d.max_upload_bytes),
    )
    return settings.validate()


def parse_networks(raw: str) -> tuple[Network, ...]:
    """``"10.0.0.5, 192.0.2.0/24"`` → networks (a bare address is a /32 or /128)."""
    networks = []
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ConfigurationError(
                "CONFIG_TRUSTED_PROXIES_INVALID",
                f"MUNICLOUD_TRUSTED_PROXIES はカンマ区切りの IP アドレスか CIDR にしてください（{part!r}）",
            ) from None
    return tuple(networks)


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


# The installation's secret key ----------------------------------------------------------


def with_instance_secret(settings: Settings) -> Settings:
    """*settings* with a secret key: the configured one, else the installation's own.

    The installation's key is ``<instance dir>/secret_key``: read when it exists, else 48
    random bytes (``secrets``) written to a new file of mode 0600.  The file is created
    under a temporary name (``O_CREAT | O_EXCL``, mode 0600 from the start: never readable
    by others, not even for a moment) and linked to its final name, which fails if another
    process got there first — then that process's key is read: several processes starting
    at once all end up with the same key.  A key file others may read (group/other bits)
    is refused, as ssh refuses such a private key.
    """
    if settings.secret_key is not None:
        return settings
    directory = settings.instance_path
    path = directory / SECRET_FILE
    if not path.exists():
        _create_secret_file(directory, path)
    return replace(settings, secret_key=_read_secret_file(path)).validate()


def _create_secret_file(directory: Path, path: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary = directory / f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(secrets.token_urlsafe(48) + "\n")
                f.flush()
                os.fsync(f.fileno())
            with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    except OSError as exc:
        raise ConfigurationError(
            "CONFIG_SECRET_FILE_UNWRITABLE",
            f"秘密鍵のファイル {path} を作成できません（{exc.strerror}）。MUNICLOUD_INSTANCE_DIR を書き込める"
            "ディレクトリにするか、MUNICLOUD_SECRET_KEY を設定してください",
        ) from None


def _read_secret_file(path: Path) -> str:
    try:
        mode = path.stat().st_mode
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(
            "CONFIG_SECRET_FILE_UNREADABLE", f"秘密鍵のファイル {path} を読めません（{exc}）"
        ) from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(
            "CONFIG_SECRET_FILE_PERMISSIONS",
            f"秘密鍵のファイル {path} を所有者以外も読めます。chmod 600 {path} としてから起動してください",
        )
    if len(key) < MIN_SECRET_LENGTH:
        raise ConfigurationError(
            "CONFIG_SECRET_FILE_INVALID",
            f"秘密鍵のファイル {path} の鍵が短すぎます（{MIN_SECRET_LENGTH}文字以上）。"
            "壊れている場合はファイルを消すと新しい鍵が作られます（発行済みのトークンは使えなくなります）",
        )
    return key
