"""A person may borrow from several lenders: what they tell is kept per lender (real SQLite files,
the console chat; the storage contract on both adapters; the migrations of existing databases)."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import UTC, datetime
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

import storage.db
import storage.postgres
from storage import Store, open_database
from storage.migrations import MIGRATIONS as SQLITE_MIGRATIONS
from storage.postgres import MIGRATIONS as PG_MIGRATIONS
from storage.postgres import open_postgres
from tests.conftest import TEST_DATABASE_URL

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)


def blocks(status: str) -> list[tuple[str, str]]:
    """The status answer's lender blocks in order: (name, its fact lines)."""
    found = []
    for part in status.split("【")[1:]:
        name, body = part.split("】", 1)
        found.append((name, "\n".join(line for line in body.splitlines() if line.startswith("・"))))
    return found


def rows(chat_db: str, sql: str) -> list[tuple]:
    with sqlite3.connect(chat_db) as conn:
        return conn.execute(sql).fetchall()


# ---------------------------------------------------------------------- the console chat


def test_switching_lender_keeps_the_previous_lenders_facts(chat_turns):
    talk = chat_turns("")
    _, _, status = talk("アコムの返済日は15日って覚えて", "プロミスのカードなくした", "何覚えてる？")
    assert "いまご案内している会社：プロミス" in status
    (first, promise), (second, acom) = blocks(status)
    assert (first, second) == ("プロミス", "アコム")  # the lender talked about first
    assert "カードの紛失・盗難：あり" in promise and "返済日" not in promise
    assert "返済日：毎月15日" in acom and "カード" not in acom
    assert "その会社の名前を送って" in status  # how another lender's record is corrected


def test_the_lender_named_again_has_its_own_facts_back(chat_turns):
    talk = chat_turns("")
    *_, status = talk("アコムの返済日は15日って覚えて", "プロミスのカードなくした", "アコムについて覚えてること教えて")
    (first, acom), (second, promise) = blocks(status)
    assert (first, second) == ("アコム", "プロミス")
    assert "返済日：毎月15日" in acom and "カード" not in acom
    assert "カードの紛失・盗難：あり" in promise
    assert "返済日の記録を修正" in status  # the buttons edit the current lender's facts


def test_deleting_one_fact_deletes_it_for_the_current_lender_only(chat_turns, tmp_path):
    talk = chat_turns("")
    talk("アコムのカードなくした", "プロミスのカードなくした")
    deleted, status = talk("カードの記録消して", "わたしの状況")
    assert "「カードの紛失・盗難」の記録を消しました" in deleted
    shown = dict(blocks(status))
    # The loss deleted takes the cause that only said so with it: nothing of it is left for プロミス.
    assert "カードの紛失・盗難" not in shown.get("プロミス", "")
    assert "カードの紛失・盗難：あり" in shown["アコム"]
    stored = rows(str(tmp_path / "chat.db"), "SELECT lender, card_lost FROM situations ORDER BY lender")
    assert ("acom", 1) in stored and ("promise", 1) not in stored


def test_the_export_shows_each_lenders_facts(chat_turns):
    talk = chat_turns("")
    talk("アコムの返済日は15日って覚えて", "プロミスのカードなくした")
    summary, listing = talk("記録を見る", "すべて見る")
    assert "・状況（アコム）：返済日 毎月15日" in summary
    assert "・状況（プロミス）：" in summary and "カードの紛失・盗難 あり" in summary
    situation = listing.split("【状況】")[1].split("【")[0]
    assert "・アコム\n　返済日：毎月15日" in situation
    assert "・プロミス\n" in situation and "カードの紛失・盗難：あり" in situation
    assert "返済日（アコム）：毎月15日" in listing  # each change says which lender it was about


def test_deleting_everything_deletes_every_lenders_facts(chat_turns, tmp_path):
    talk = chat_turns("")
    talk("アコムの返済日は15日って覚えて", "プロミスのカードなくした")
    assert len(rows(str(tmp_path / "chat.db"), "SELECT * FROM situations")) == 2
    talk("すべての記録を削除する", "はい")
    assert rows(str(tmp_path / "chat.db"), "SELECT * FROM situations") == []
    assert rows(str(tmp_path / "chat.db"), "SELECT * FROM situation_history") == []


def test_facts_told_before_a_lender_was_named_become_its_own(chat_turns, tmp_path):
    talk = chat_turns("")
    talk("返済日は20日って覚えて")
    assert rows(str(tmp_path / "chat.db"), "SELECT lender, due_day FROM situations") == [("", 20)]
    *_, status = talk("アコムのカードなくした", "プロミスのカードなくした", "何覚えてる？")
    (first, promise), (second, acom) = blocks(status)
    assert (first, second) == ("プロミス", "アコム")
    assert "返済日：毎月20日" in acom and "返済日" not in promise


def test_one_lender_bot_keeps_one_situation(chat_turns):
    talk = chat_turns("acom")
    *_, status = talk("返済日は15日って覚えて", "カードなくした", "何覚えてる？")
    assert "【" not in status  # no blocks: one lender, one situation
    assert "返済日：毎月15日" in status and "カードの紛失・盗難：あり" in status


# ---------------------------------------------------------------------- the storage contract


def test_facts_are_stored_per_lender(contract_store):
    store = contract_store
    with store.transaction():
        uid = store.ensure_user("line", "U1", NOW)
        store.record_facts(uid, {"reminder_time": "08:00"}, NOW)
        store.record_facts(uid, {"due_day": 27}, NOW, lender="acom")
        store.record_facts(uid, {"due_day": 5, "card_lost": True}, NOW, lender="promise")
    assert store.load_situation(uid) == {"reminder_time": "08:00"}
    assert store.load_situation(uid, "promise") == {"due_day": 5, "card_lost": True}
    assert store.load_situations(uid) == {
        "": {"reminder_time": "08:00"},
        "acom": {"due_day": 27},
        "promise": {"due_day": 5, "card_lost": True},
    }
    assert [h["lender"] for h in store.situation_history(uid)] == [None, "acom", "promise", "promise"]
    with store.transaction():
        store.record_facts(uid, {"due_day": None}, NOW, lender="acom")  # nothing left: the row goes
    assert set(store.load_situations(uid)) == {"", "promise"}
    assert store.conn.execute("SELECT count(*) FROM situations WHERE lender = 'acom'").fetchone()[0] == 0


# ---------------------------------------------------------------------- migrating existing databases


def test_sqlite_migration_keeps_existing_facts_as_the_persons_own(tmp_path, monkeypatch):
    path = str(tmp_path / "old.db")
    monkeypatch.setattr(storage.db, "MIGRATIONS", SQLITE_MIGRATIONS[:-1])
    db = open_database(path)
    db.conn.execute("INSERT INTO users (id, platform, platform_user_id, created_at) VALUES (1, 'line', 'U1', 'x')")
    db.conn.execute("INSERT INTO situations (user_id, due_day, card_lost, updated_at) VALUES (1, 25, 1, 'x')")
    db.conn.execute("INSERT INTO situation_history (user_id, field, value, at) VALUES (1, 'due_day', '25', 'x')")
    db.conn.commit()
    db.close()
    monkeypatch.undo()
    store = Store(open_database(path))
    assert store.load_situations(1) == {"": {"due_day": 25, "card_lost": True}}
    assert store.situation_history(1)[0]["lender"] is None
    with store.transaction():
        store.record_facts(1, {"due_day": 5}, NOW, lender="promise")
    assert store.load_situation(1, "promise") == {"due_day": 5}
    store.db.close()


@pytest.fixture
def old_pg_database():
    """A fresh PostgreSQL database of its own (migrated by the test), dropped after."""
    try:
        admin = psycopg.connect(TEST_DATABASE_URL, autocommit=True, connect_timeout=3)
    except psycopg.Error as exc:
        pytest.skip(f"PostgreSQL not reachable ({type(exc).__name__})")
    name = f"bot_test_old_{secrets.token_hex(5)}"
    admin.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(TEST_DATABASE_URL)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def test_postgres_migration_keeps_existing_facts_as_the_persons_own(old_pg_database, monkeypatch):
    monkeypatch.setattr(storage.postgres, "MIGRATIONS", PG_MIGRATIONS[:-1])
    open_postgres(old_pg_database, pool_size=1).close()
    with psycopg.connect(old_pg_database, autocommit=True) as conn:
        conn.execute("INSERT INTO users (id, platform, platform_user_id, created_at) VALUES (1, 'line', 'U1', 'x')")
        conn.execute("INSERT INTO situations (user_id, due_day, overdue, updated_at) VALUES (1, 25, 1, 'x')")
    monkeypatch.undo()
    store = open_postgres(old_pg_database, pool_size=1)
    try:
        assert store.load_situations(1) == {"": {"due_day": 25, "overdue": True}}
        with store.transaction():
            store.record_facts(1, {"due_day": 5}, NOW, lender="promise")
            store.record_facts(1, {"due_day": 27}, NOW, lender="acom")
        assert store.load_situations(1) == {
            "": {"due_day": 25, "overdue": True},
            "acom": {"due_day": 27},
            "promise": {"due_day": 5},
        }
        assert [h["lender"] for h in store.situation_history(1)] == ["promise", "acom"]
    finally:
        store.close()
