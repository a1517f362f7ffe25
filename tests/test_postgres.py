"""What several instances on one PostgreSQL database rely on: each of two stores (two pools, as two
processes would have) sees the other's work, one user's turns are serialised, an event is applied once,
claims never overlap, migrations run once. And DATABASE_URL's errors are one line without the password."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import psycopg
import pytest

from bot.core.dialogue.messages import SaveReminder
from bot.delivery.planner import Planner
from bot.settings import SettingsError, load_settings
from storage import StorageError, open_store
from storage.postgres import MIGRATIONS, open_postgres, redact

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)


@pytest.fixture
def two(pg_database):
    a, b = open_postgres(pg_database, pool_size=4), open_postgres(pg_database, pool_size=4)
    yield a, b
    a.close()
    b.close()


def test_migrations_are_applied_once_by_instances_starting_together(pg_database):
    with ThreadPoolExecutor(4) as pool:
        stores = list(pool.map(lambda _: open_store("", pg_database), range(4)))
    for store in stores:
        store.close()
    with psycopg.connect(pg_database) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [v for v, _ in MIGRATIONS]


def test_a_users_turns_are_serialised_across_instances(two):
    a, b = two
    order: list[str] = []
    holding = threading.Event()

    def first() -> None:
        with a.transaction():
            a.lock_user("line:U1")
            holding.set()
            order.append("a start")
            time.sleep(0.4)
            order.append("a end")

    def second() -> None:
        holding.wait(5)
        with b.transaction():
            b.lock_user("line:U1")  # waits for a's transaction to end
            order.append("b")

    def other_user() -> float:
        holding.wait(5)
        started = time.monotonic()
        with b.transaction():
            b.lock_user("line:U2")  # another user is not held up
        return time.monotonic() - started

    with ThreadPoolExecutor(3) as pool:
        futures = [pool.submit(first), pool.submit(second), pool.submit(other_user)]
        waited = futures[2].result()
        for f in futures[:2]:
            f.result()
    assert order == ["a start", "a end", "b"]
    assert waited < 0.3


def test_an_event_delivered_to_two_instances_is_marked_once(two):
    a, b = two
    barrier = threading.Barrier(2)

    def mark(store) -> bool:
        barrier.wait()
        with store.transaction():
            seen = store.mark_seen("01SAMEEVENT", NOW)
            time.sleep(0.1)  # the other instance's insert waits for this commit
            return seen

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(mark, [a, b]))
    assert sorted(results) == [False, True]


def test_claims_by_two_instances_never_overlap(two):
    a, b = two
    uid = a.ensure_user("line", "U1", NOW)
    with a.transaction():
        for n in range(20):
            fields = {"tz": "Asia/Tokyo", "at": "2026-12-03T00:00:00+00:00", "what": f"r{n}"}
            Planner(a.reminders).save(uid, "line", "U1", SaveReminder("free", fields), NOW)
    claimed_in_open_transaction = threading.Event()
    release = threading.Event()
    got: dict[str, list[int]] = {}

    def slow_claim() -> None:
        with a.transaction():
            got["a"] = [c.id for c in a.reminders.claim(NOW, 8, ("line",))]
            claimed_in_open_transaction.set()
            release.wait(5)

    with ThreadPoolExecutor(1) as pool:
        future = pool.submit(slow_claim)
        claimed_in_open_transaction.wait(5)
        started = time.monotonic()
        with b.transaction():  # does not wait for a's locked rows: it skips them
            got["b"] = [c.id for c in b.reminders.claim(NOW, 100, ("line",))]
        assert time.monotonic() - started < 1
        release.set()
        future.result()
    assert len(got["a"]) == 8 and len(got["b"]) == 12
    assert not set(got["a"]) & set(got["b"])
    with b.transaction():
        assert b.reminders.claim(NOW, 100, ("line",)) == []


def test_a_bad_database_url_is_one_clear_line():
    with pytest.raises(SettingsError) as err:
        load_settings(env={"DATABASE_URL": "mysql://u:pw@h/db"}, dotenv=None)
    assert "DATABASE_URL" in str(err.value) and "pw" not in str(err.value)
    settings = load_settings(env={"DATABASE_URL": "postgres://u:pw@h/db"}, dotenv=None)
    assert settings.database_url.startswith("postgres://")


def test_an_unreachable_server_is_one_line_without_the_password():
    url = "postgresql://bot:s3cret-pw@127.0.0.1:1/nowhere"
    with pytest.raises(StorageError) as err:
        open_store("", url)
    message = str(err.value)
    assert message.startswith("DATABASE_URL: cannot use postgresql://bot:***@127.0.0.1:1/nowhere")
    assert "s3cret-pw" not in message and "\n" not in message
    assert redact("postgresql://u@h/db") == "postgresql://u@h/db"


def test_the_command_line_says_so_in_one_line(tmp_path):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "BOT_", "DATABASE_"))},
        "DATABASE_URL": "postgresql://bot:s3cret-pw@127.0.0.1:1/nowhere",
        "LINE_CHANNEL_SECRET": "s",
        "LINE_CHANNEL_ACCESS_TOKEN": "t",
        "BOT_DB_PATH": str(tmp_path / "x.db"),
    }
    out = subprocess.run(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "DATABASE_URL" in lines[0] and "s3cret-pw" not in out.stderr, out.stderr
