"""Settings are built from the environment by a factory and refused when unsafe; the
installation's secret key is made once, kept private, and never a published default."""

from __future__ import annotations

import ipaddress
import stat
import threading

import jwt
import pytest

from municloud.config import Settings, load_settings, with_instance_secret
from municloud.errors import ConfigurationError

PUBLIC = "https://juki.city.example.lg.jp"
STRONG_SECRET = "s" * 40


def test_without_environment_the_database_is_a_sqlite_file_under_var():
    settings = load_settings({})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("var/municloud.db")
    assert settings.is_sqlite
    assert settings.mode == "development"


def test_the_database_url_and_secret_key_are_read_from_the_environment():
    settings = load_settings(
        {
            "MUNICLOUD_DATABASE_URL": "postgresql+psycopg://u@127.0.0.1:5432/municloud",
            "MUNICLOUD_SECRET_KEY": STRONG_SECRET,
        }
    )
    assert settings.database_url == "postgresql+psycopg://u@127.0.0.1:5432/municloud"
    assert not settings.is_sqlite
    assert settings.secret_key == STRONG_SECRET


def test_log_in_throttle_settings_are_read_from_the_environment():
    settings = load_settings({"MUNICLOUD_LOGIN_FREE_FAILURES": "2", "MUNICLOUD_LOGIN_ADDRESS_FREE_FAILURES": "9",
                              "MUNICLOUD_LOGIN_MAX_DELAY": "60", "MUNICLOUD_LOGIN_FAILURE_WINDOW": "600"})
    assert (settings.login_free_failures, settings.login_address_free_failures, settings.login_max_delay_seconds,
            settings.login_failure_window_seconds) == (2, 9, 60, 600)


def test_the_old_lock_out_settings_are_refused_with_their_new_names():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_LOGIN_MAX_FAILURES": "5"})
    assert caught.value.code == "CONFIG_SETTING_RENAMED" and "MUNICLOUD_LOGIN_FREE_FAILURES" in caught.value.message


def test_without_a_configured_key_there_is_no_default_key_at_all():
    for mode in ("development", "test", "production"):
        assert load_settings({"MUNICLOUD_MODE": mode, "MUNICLOUD_PUBLIC_URL": PUBLIC}).secret_key is None


def test_the_published_development_key_is_refused_in_every_mode():
    for mode in ("development", "test", "production"):
        with pytest.raises(ConfigurationError) as caught:
            load_settings({"MUNICLOUD_MODE": mode, "MUNICLOUD_SECRET_KEY": "dev-insecure-secret-key-change-me"})
        assert caught.value.code == "CONFIG_PUBLISHED_SECRET"


def test_a_random_key_is_made_on_first_start_in_the_instance_directory_readable_by_the_owner_only(tmp_path):
    settings = with_instance_secret(load_settings({"MUNICLOUD_DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'm.db'}"}))
    path = tmp_path / "db" / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.secret_key == path.read_text().strip() and len(settings.secret_key) >= 48
    again = with_instance_secret(load_settings({"MUNICLOUD_DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'm.db'}"}))
    assert again.secret_key == settings.secret_key  # the same installation keeps its key
    other = with_instance_secret(Settings(instance_dir=tmp_path / "elsewhere"))
    assert other.secret_key != settings.secret_key  # every installation has its own


def test_the_instance_directory_can_be_set_and_a_configured_key_wins(tmp_path):
    settings = with_instance_secret(load_settings({"MUNICLOUD_INSTANCE_DIR": str(tmp_path / "inst"),
                                                   "MUNICLOUD_DATABASE_URL": "postgresql+psycopg://u@h/db"}))
    assert (tmp_path / "inst" / "secret_key").read_text().strip() == settings.secret_key
    configured = with_instance_secret(load_settings({"MUNICLOUD_INSTANCE_DIR": str(tmp_path / "none"),
                                                     "MUNICLOUD_SECRET_KEY": STRONG_SECRET}))
    assert configured.secret_key == STRONG_SECRET and not (tmp_path / "none").exists()


def test_processes_starting_at_once_end_up_with_one_key(tmp_path):
    settings, keys = Settings(instance_dir=tmp_path), []
    barrier = threading.Barrier(6)

    def start():
        barrier.wait()
        keys.append(with_instance_secret(settings).secret_key)

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(keys)) == 1 and [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_a_key_file_others_may_read_is_refused(tmp_path):
    with_instance_secret(Settings(instance_dir=tmp_path))
    (tmp_path / "secret_key").chmod(0o644)
    with pytest.raises(ConfigurationError) as caught:
        with_instance_secret(Settings(instance_dir=tmp_path))
    assert caught.value.code == "CONFIG_SECRET_FILE_PERMISSIONS" and "chmod 600" in caught.value.message


def test_a_truncated_key_file_is_refused(tmp_path):
    (tmp_path / "secret_key").write_text("short\n")
    (tmp_path / "secret_key").chmod(0o600)
    with pytest.raises(ConfigurationError) as caught:
        with_instance_secret(Settings(instance_dir=tmp_path))
    assert caught.value.code == "CONFIG_SECRET_FILE_INVALID"


def test_a_token_signed_with_the_published_key_is_not_accepted_by_a_new_installation(tmp_path):
    from municloud.kernel.identity.tokens import read_token

    settings = with_instance_secret(Settings(instance_dir=tmp_path))
    forged = jwt.encode({"typ": "user", "sub": "1", "ver": 0, "iat": 0, "exp": 4_000_000_000},
                        "dev-insecure-secret-key-change-me", algorithm="HS256")
    with pytest.raises(Exception) as caught:
        read_token(settings, forged)
    assert caught.value.code == "TOKEN_INVALID"


def test_trusted_proxies_are_read_as_addresses_and_networks():
    settings = load_settings({"MUNICLOUD_TRUSTED_PROXIES": "10.0.0.5, 192.0.2.0/24,2001:db8::/32"})
    assert settings.trusted_proxies == (ipaddress.ip_network("10.0.0.5/32"), ipaddress.ip_network("192.0.2.0/24"),
                                        ipaddress.ip_network("2001:db8::/32"))
    assert load_settings({}).trusted_proxies == ()
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_TRUSTED_PROXIES": "10.0.0.5, proxy.example"})
    assert caught.value.code == "CONFIG_TRUSTED_PROXIES_INVALID"


def test_production_mode_with_a_short_secret_is_refused():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_MODE": "production", "MUNICLOUD_SECRET_KEY": "short"})
    assert caught.value.code == "CONFIG_WEAK_SECRET"


def test_production_mode_with_a_strong_secret_starts():
    settings = load_settings({"MUNICLOUD_MODE": "production", "MUNICLOUD_SECRET_KEY": STRONG_SECRET,
                              "MUNICLOUD_PUBLIC_URL": PUBLIC})
    assert settings.mode == "production"


def test_production_mode_refuses_a_public_url_only_this_machine_can_open():
    """The URL goes into every certificate's QR code: 127.0.0.1 is useless on paper."""
    for url in ("http://127.0.0.1:8000", "http://localhost"):
        with pytest.raises(ConfigurationError) as caught:
            load_settings({"MUNICLOUD_MODE": "production", "MUNICLOUD_SECRET_KEY": STRONG_SECRET,
                           "MUNICLOUD_PUBLIC_URL": url})
        assert caught.value.code == "CONFIG_PUBLIC_URL_LOCAL"
    assert load_settings({"MUNICLOUD_PUBLIC_URL": "http://127.0.0.1:8000"}).public_url  # fine for the demo


def test_the_public_url_must_be_an_address_the_verification_path_can_be_added_to():
    """``{MUNICLOUD_PUBLIC_URL}/verify/{発行番号}?code=…`` is printed on every certificate."""
    for url in ("juki.example.lg.jp", "ftp://juki.example.lg.jp", "https://juki.example.lg.jp/?x=1",
                "https://juki.example.lg.jp/#top", "https://"):
        with pytest.raises(ConfigurationError) as caught:
            load_settings({"MUNICLOUD_PUBLIC_URL": url})
        assert caught.value.code == "CONFIG_PUBLIC_URL_INVALID", url
    assert load_settings({"MUNICLOUD_PUBLIC_URL": "https://juki.example.lg.jp/nagai/"}).public_url == (
        "https://juki.example.lg.jp/nagai")  # a path prefix (behind a reverse proxy) is kept


def test_an_unknown_mode_is_refused():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_MODE": "prod"})
    assert caught.value.code == "CONFIG_MODE_INVALID"


def test_a_number_setting_that_is_not_a_number_is_refused_with_its_name():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_LOGIN_FREE_FAILURES": "five"})
    assert caught.value.code == "CONFIG_NUMBER_INVALID"
    assert "MUNICLOUD_LOGIN_FREE_FAILURES" in caught.value.message


def test_a_throttle_threshold_below_one_is_refused():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_LOGIN_FREE_FAILURES": "0"})
    assert caught.value.code == "CONFIG_NUMBER_INVALID"


def test_changing_settings_revalidates_them():
    with pytest.raises(ConfigurationError):
        Settings(secret_key="short").with_(mode="production")


def test_loading_settings_opens_no_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'never' / 'created.db'}"
    load_settings({"MUNICLOUD_DATABASE_URL": url})
    assert not (tmp_path / "never").exists()
