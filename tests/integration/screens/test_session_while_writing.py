"""Screens keep answering while a long write holds the database (a 当初賦課 on SQLite holds
its only write lock for minutes): resolving the session is a read, and refreshing its idle
clock is skipped — not failed — while the database is busy."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import select

from municloud.kernel import db
from municloud.kernel.clock import utcnow
from municloud.kernel.identity import sessions
from municloud.kernel.identity.orm import User, WebSession


@pytest.fixture
def held_write_lock(platform, monkeypatch):
    """Another connection holding SQLite's write lock (BEGIN IMMEDIATE), as the 当初賦課
    does; every transaction of the test platform waits 0.3 s for it instead of 30 s."""
    if platform.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's single write lock")
    monkeypatch.setattr(db, "SQLITE_BUSY_MS", 300)
    holder = sqlite3.connect(platform.engine.url.database, isolation_level=None)

    class Lock:
        def __enter__(self):
            holder.execute("BEGIN IMMEDIATE")

        def __exit__(self, *exc):
            holder.execute("ROLLBACK")

    yield Lock()
    holder.close()


def _last_seen_back(platform, username, seconds):
    with platform.uow(None) as uow:
        user = uow.session.scalars(select(User).where(User.username == username)).one()
        for row in uow.session.scalars(select(WebSession).where(WebSession.user_id == user.id,
                                                                WebSession.ended_at.is_(None))):
            row.last_seen_at = utcnow() - timedelta(seconds=seconds)
        uow.commit()


def _last_seen(platform, username):
    with platform.uow(None, read_only=True) as uow:
        user = uow.session.scalars(select(User).where(User.username == username)).one()
        return uow.session.scalars(select(WebSession.last_seen_at).where(
            WebSession.user_id == user.id, WebSession.ended_at.is_(None))).one()


def test_a_signed_in_screen_answers_while_another_transaction_writes(signed_in, platform, nagai, held_write_lock,
                                                                     monkeypatch):
    monkeypatch.setattr(sessions, "TOUCH_EVERY", timedelta(0))  # every request refreshes
    b = signed_in(nagai, "registry_clerk")
    _last_seen_back(platform, b.username, 60)  # due for a refresh of the idle clock
    before = _last_seen(platform, b.username)
    with held_write_lock:
        page = b.get(f"/t/{nagai}/")
        assert page.status_code == 200, page.text
        assert _last_seen(platform, b.username) == before  # the refresh was skipped, not failed
    page = b.get(f"/t/{nagai}/")
    assert page.status_code == 200
    assert _last_seen(platform, b.username) > before  # refreshed once the database is free


def test_an_idle_session_still_ends_while_the_database_is_busy(signed_in, platform, nagai, held_write_lock):
    b = signed_in(nagai, "registry_clerk")
    _last_seen_back(platform, b.username, platform.settings.session_idle_seconds + 60)
    with held_write_lock:
        response = b.get(f"/t/{nagai}/")
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    response = b.get(f"/t/{nagai}/")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_session_used_during_a_long_write_is_not_signed_out_for_idleness(signed_in, platform, nagai,
                                                                            held_write_lock, monkeypatch):
    monkeypatch.setattr(sessions, "TOUCH_EVERY", timedelta(0))  # every request refreshes
    b = signed_in(nagai, "registry_clerk")
    _last_seen_back(platform, b.username, 60)
    with held_write_lock:
        assert b.get(f"/t/{nagai}/").status_code == 200  # refresh skipped, kept in memory
    # the long write went on past the idle time: the row's clock is old, the request was not
    _last_seen_back(platform, b.username, platform.settings.session_idle_seconds + 60)
    assert b.get(f"/t/{nagai}/").status_code == 200
    assert _last_seen(platform, b.username) > utcnow() - timedelta(seconds=60)  # written once free


def test_a_log_out_while_the_database_is_busy_ends_the_session_at_once_and_is_written_later(
        signed_in, platform, nagai, held_write_lock, monkeypatch):
    from municloud.web.screens.security import SESSION_COOKIE
    from tests.factories import audit_entries
    from tests.integration.screens.helpers import csrf_of

    monkeypatch.setattr(sessions, "LOGOUT_WAIT_MS", 100)
    monkeypatch.setattr(sessions, "TOUCH_EVERY", timedelta(0))  # the next request of anyone writes
    b = signed_in(nagai, "registry_clerk")
    other = signed_in(nagai, "registry_supervisor")
    home = b.get(f"/t/{nagai}/").text
    cookie = b.client.cookies.get(SESSION_COOKIE)
    with held_write_lock:
        response = b.client.post("/logout", data={"csrf_token": csrf_of(home)})
        assert response.status_code == 303 and response.headers["location"] == "/login?notice=logout"
        b.client.cookies.set(SESSION_COOKIE, cookie)  # the old cookie, replayed: refused already
        assert b.get(f"/t/{nagai}/").status_code == 303
    assert audit_entries(platform, nagai, "kernel:auth:logout") == []  # not written yet
    assert other.get(f"/t/{nagai}/").status_code == 200  # the next write that gets the lock …
    assert len(audit_entries(platform, nagai, "kernel:auth:logout")) == 1  # … writes the log-out
    with platform.session_factory() as s:
        user_id = s.scalar(select(User.id).where(User.username == b.username))
        assert s.scalar(select(WebSession.end_reason).where(WebSession.user_id == user_id,
                                                            WebSession.stage == "full")) == "logout"
    assert sessions._unwritten_ends == {}
