"""Shared fixtures: the real flow, a real SQLite file per test, a controllable clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.conversation import Conversation
from bot.core.flow import load_flow
from bot.service import ChatService
from storage import Store, open_database

ROOT = Path(__file__).resolve().parent.parent
TOKYO = ZoneInfo("Asia/Tokyo")


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
