"""Settings are built from the environment by a factory and refused when unsafe."""

from __future__ import annotations

import pytest

from municloud.config import DEV_SECRET_KEY, Settings, load_settings
from municloud.errors import ConfigurationError

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


def test_login_lock_out_settings_are_read_from_the_environment():
    settings = load_settings({"MUNICLOUD_LOGIN_MAX_FAILURES": "3", "MUNICLOUD_LOGIN_LOCK_SECONDS": "60"})
    assert (settings.login_max_failures, settings.login_lock_seconds) == (3, 60)


def test_development_mode_accepts_the_development_secret():
    assert load_settings({"MUNICLOUD_MODE": "development"}).secret_key == DEV_SECRET_KEY


def test_production_mode_with_the_development_default_secret_is_refused():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_MODE": "production"})
    assert caught.value.code == "CONFIG_DEFAULT_SECRET"
    assert "MUNICLOUD_SECRET_KEY" in caught.value.message


def test_test_mode_with_the_development_default_secret_is_refused_too():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_MODE": "test"})
    assert caught.value.code == "CONFIG_DEFAULT_SECRET"


def test_production_mode_with_a_short_secret_is_refused():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_MODE": "production", "MUNICLOUD_SECRET_KEY": "short"})
    assert caught.value.code == "CONFIG_WEAK_SECRET"


def test_production_mode_with_a_strong_secret_starts():
    settings = load_settings({"MUNICLOUD_MODE": "production", "MUNICLOUD_SECRET_KEY": STRONG_SECRET})
    assert settings.mode == "production"


def test_an_unknown_mode_is_refused():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_MODE": "prod"})
    assert caught.value.code == "CONFIG_MODE_INVALID"


def test_a_number_setting_that_is_not_a_number_is_refused_with_its_name():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_LOGIN_MAX_FAILURES": "five"})
    assert caught.value.code == "CONFIG_NUMBER_INVALID"
    assert "MUNICLOUD_LOGIN_MAX_FAILURES" in caught.value.message


def test_a_lock_out_threshold_below_one_is_refused():
    with pytest.raises(ConfigurationError) as caught:
        load_settings({"MUNICLOUD_LOGIN_MAX_FAILURES": "0"})
    assert caught.value.code == "CONFIG_NUMBER_INVALID"


def test_changing_settings_revalidates_them():
    with pytest.raises(ConfigurationError):
        Settings().with_(mode="production")


def test_loading_settings_opens_no_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'never' / 'created.db'}"
    load_settings({"MUNICLOUD_DATABASE_URL": url})
    assert not (tmp_path / "never").exists()
