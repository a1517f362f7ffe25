"""Shared fixtures: the real flow, a real SQLite file per test, a controllable clock, and PostgreSQL.

PostgreSQL: one fresh database per run (``bot_test_<random>``) on the ``TEST_DATABASE_URL`` server
(default: the local server), dropped at the end; each test starts on empty tables. When the server
cannot be reached, the PostgreSQL tests are skipped with one reason, unless ``CI`` or
``REQUIRE_POSTGRES`` is set: then they fail (CI must run them).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import psycopg
import pytest

from bench.scenarios import FRIDAY_EVENING, ticking_clock
from bot.core.diagnosis.flow import load_flow
from bot.core.dialogue.conversation import Conversation
from bot.service import ChatService
from storage import Store, open_database
from storage.postgres import PostgresStore, open_postgres, redact

ROOT = Path(__file__).resolve().parent.parent
TOKYO = ZoneInfo("Asia/Tokyo")
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
TABLES = (
    "users, situations, situation_history, conversations, reminders, outbox, seen_events, group_notices, delivery_notes,"
    " replies, inbox, inbox_probe"
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session")
def flow():
    return load_flow()


@pytest.fixture
def conversation(flow):
    return Conversation(flow, TOKYO)


@pytest.fixture
def clock():
    return Clock(datetime(2026, 12, 3, 1, 0, tzinfo=UTC))  # Thursday 10:00 in Tokyo


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "bot.db")


@pytest.fixture
def store(db_path):
    s = Store(open_database(db_path))
    yield s
    s.db.close()


@pytest.fixture
def service(store, conversation, clock):
    return ChatService(store, conversation, clock=clock)


def postgres_required() -> bool:
    """CI (or .ci/run) must run the PostgreSQL tests: an unreachable server fails them there."""
    return bool(os.environ.get("CI") or os.environ.get("REQUIRE_POSTGRES"))


@pytest.fixture(scope="session")
def pg_url():
    """The URL of a fresh database for this run (created through TEST_DATABASE_URL, dropped after)."""
    try:
        admin = psycopg.connect(TEST_DATABASE_URL, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        reason = f"PostgreSQL not reachable at {redact(TEST_DATABASE_URL)} (TEST_DATABASE_URL): {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}"
        if postgres_required():
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"bot_test_{secrets.token_hex(5)}"
    admin.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(TEST_DATABASE_URL)
    url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))
    try:
        yield url
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def empty_tables(url: str) -> None:
    """Every table emptied and its ids restarted (the schema stays)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE")


@pytest.fixture(scope="session")
def _pg_shared(pg_url):
    store = open_postgres(pg_url)
    yield store
    store.close()


@pytest.fixture
def pg_database(pg_url, _pg_shared):
    """The run's PostgreSQL database, migrated and empty."""
    empty_tables(pg_url)
    return pg_url


@pytest.fixture
def postgres_store(pg_database, _pg_shared) -> PostgresStore:
    return _pg_shared


@pytest.fixture
def sqlite_store(db_path):
    s = Store(open_database(db_path))
    yield s
    s.db.close()


@pytest.fixture(params=["sqlite", "postgres"])
def contract_store(request):
    """The same test on both storage adapters."""
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture
def chat_turns(tmp_path, monkeypatch):
    """A function that opens the console chat of a fresh bot (real service, real SQLite file, the
    clock of :data:`ORDINARY_MORNING`) for the lenders given (``BOT_LENDERS``; "" for all) and returns
    ``talk(*turns) -> [answer, ...]``."""
    from bot.adapters.console import ConsoleChat
    from bot.app import build_app
    from bot.settings import load_settings

    def open_chat(lenders: str = "") -> Callable[..., list[str]]:
        monkeypatch.setenv("BOT_LENDERS", lenders)
        app = build_app(load_settings(dotenv=None), db_path=str(tmp_path / "chat.db"))
        app.service.clock = ticking_clock(ORDINARY_MORNING)
        chat = ConsoleChat(app.service, "sora")
        chat.greet()
        return lambda *turns: [chat.say(t) for t in turns]

    return open_chat


# Wednesday 2026-12-09 11:00 in Japan: an ordinary weekday morning, far from holidays and month ends,
# so that what a chat test reads ("日曜", "明日", "月末") never depends on the day the suite runs.
ORDINARY_MORNING = datetime(2026, 12, 9, 2, 0, tzinfo=UTC)


# FRIDAY_EVENING (Friday 2026-12-04 21:30 in Japan, the moment the fresh scenarios were written for)
# and its ticking clock are the scenario runner's (bench/scenarios.py).


@pytest.fixture
def friday_app(tmp_path, monkeypatch):
    """A fresh bot for every lender (real service, real SQLite file) whose clock starts on Friday
    2026-12-04 at 21:30 in Japan and moves 30 seconds at each reading."""
    from bot.app import build_app
    from bot.settings import load_settings

    monkeypatch.setenv("BOT_LENDERS", "")
    app = build_app(load_settings(dotenv=None), db_path=str(tmp_path / "chat.db"))
    app.service.clock = ticking_clock(FRIDAY_EVENING)
    return app


@pytest.fixture
def friday_talk(friday_app):
    """``talk(*turns) -> [answer, ...]``: one console user of :func:`friday_app`."""
    from bot.adapters.console import ConsoleChat

    chat = ConsoleChat(friday_app.service, "sora")
    chat.greet()
    return lambda *turns: [chat.say(t) for t in turns]
