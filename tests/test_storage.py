"""Storage on real SQLite files and on PostgreSQL: migrations, situations with history, atomic turns.

Contract tests: every test taking ``store`` runs on both adapters.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime

import pytest

from storage import StorageError, Store, open_database
from storage.db import migrate
from storage.migrations import MIGRATIONS

NOW = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


@pytest.fixture
def store(contract_store):
    return contract_store


def count(store, table):
    return store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_migrates_an_empty_file_and_reruns_cleanly(tmp_path):
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    db = open_database(str(path))
    tables = set(db.table_names())
    assert {"users", "situations", "situation_history", "conversations", "schema_migrations"} <= tables
    versions = [r[0] for r in db.conn.execute("SELECT version FROM schema_migrations")]
    assert versions == [v for v, _ in MIGRATIONS]
    assert migrate(db) == MIGRATIONS[-1][0]  # re-run: nothing applied twice
    assert db.conn.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] == len(MIGRATIONS)
    db.close()
    db = open_database(str(path))  # and again in a new connection
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA secure_delete").fetchone()[0] == 1


def test_creates_missing_folder(tmp_path):
    path = tmp_path / "a" / "b" / "bot.db"
    open_database(str(path)).close()
    assert path.exists()


def test_unusable_path_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError) as err:
        open_database(str(blocker / "sub" / "bot.db"))
    assert "BOT_DB_PATH" in str(err.value) and "\n" not in str(err.value)


def test_not_a_database_is_one_clear_error(tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError) as err:
        open_database(str(path))
    assert "BOT_DB_PATH" in str(err.value)


def test_situation_facts_and_history(store):
    uid = store.ensure_user("console", "u", NOW)
    assert store.ensure_user("console", "u", NOW) == uid
    with store.transaction():
        store.record_facts(uid, {"cause": "locked", "wrong_attempts": 3, "card_lost": False}, NOW)
    with store.transaction():
        store.record_facts(uid, {"cause": "locked", "due_day": 25}, NOW)
    assert store.load_situation(uid) == {"cause": "locked", "wrong_attempts": 3, "card_lost": False, "due_day": 25}
    history = store.situation_history(uid)
    assert [h["field"] for h in history] == ["cause", "wrong_attempts", "card_lost", "due_day"]
    with pytest.raises(ValueError):
        store.record_facts(uid, {"pin": "1234"}, NOW)


def test_state_round_trip_and_damaged_row(store):
    uid = store.ensure_user("console", "s", NOW)
    with store.transaction():
        store.save_state(uid, {"node": "q_when", "back": ["start"]}, NOW)
    assert store.load_state(uid) == {"node": "q_when", "back": ["start"]}
    store.conn.execute("UPDATE conversations SET state = '{not json' WHERE user_id = ?", (uid,))
    assert store.load_state(uid) is None


def test_a_failed_turn_leaves_nothing_half_written(db_path):
    store = Store(open_database(db_path))
    uid = store.ensure_user("console", "atomic", NOW)
    with pytest.raises(RuntimeError), store.transaction():
        store.record_facts(uid, {"cause": "locked"}, NOW)
        store.save_state(uid, {"node": "locked"}, NOW)
        raise RuntimeError("crash in the middle of a turn")
    other = sqlite3.connect(db_path)
    assert other.execute("SELECT count(*) FROM situations").fetchone()[0] == 0
    assert other.execute("SELECT count(*) FROM situation_history").fetchone()[0] == 0
    assert other.execute("SELECT count(*) FROM conversations").fetchone()[0] == 0


def test_a_failed_turn_leaves_nothing_half_written_on_either_adapter(store):
    uid = store.ensure_user("console", "atomic", NOW)
    with pytest.raises(RuntimeError), store.transaction():
        store.record_facts(uid, {"cause": "locked"}, NOW)
        store.save_state(uid, {"node": "locked"}, NOW)
        raise RuntimeError("crash in the middle of a turn")
    for table in ("situations", "situation_history", "conversations"):
        assert count(store, table) == 0
    with store.transaction():  # the next transaction works as usual
        store.save_state(uid, {"node": "start"}, NOW)
    assert store.load_state(uid) == {"node": "start"}


def test_event_ids_group_notices_and_pausing(store):
    assert store.mark_seen("ev-1", NOW) is True
    assert store.mark_seen("ev-1", NOW) is False
    assert store.prune_seen(datetime(2026, 12, 2, tzinfo=UTC)) == 1
    assert store.mark_seen("ev-1", NOW) is True
    assert store.first_group_notice("G1", NOW) is True
    assert store.first_group_notice("G1", NOW) is False
    uid = store.ensure_user("line", "U1", NOW)
    assert store.find_user("line", "U1") == uid and store.find_user("line", "U2") is None
    assert store.user_row(uid) == {
        "created_at": "2026-12-01T00:00:00+00:00",
        "last_seen_at": "2026-12-01T00:00:00+00:00",
    }
    assert store.set_paused("line", "U1", paused=True) == 0
    assert store.conn.execute("SELECT paused FROM users WHERE id = ?", (uid,)).fetchone()[0] == 1


def test_rows_about_finds_every_table_that_refers_to_the_user(store):
    uid = store.ensure_user("console", "me", NOW)
    other = store.ensure_user("console", "someone", NOW)
    with store.transaction():
        store.record_facts(uid, {"cause": "locked"}, NOW)
        store.save_state(uid, {"node": "locked"}, NOW)
        store.record_facts(other, {"cause": "lost_card"}, NOW)
        store.notes.add(uid, "console", "reply_late", NOW)
    rows = store.rows_about(uid)
    assert {"users", "situations", "situation_history", "conversations", "delivery_notes"} <= set(rows)
    assert rows["users"][0]["platform_user_id"] == "me"
    assert [r["value"] for r in rows["situation_history"]] == ['"locked"']
    assert store.rows_about(999) == {}


def test_forget_user_removes_every_row(store):
    uid = store.ensure_user("console", "gone", NOW)
    with store.transaction():
        store.record_facts(uid, {"cause": "lost_card"}, NOW)
        store.save_state(uid, {"node": "lost_card"}, NOW)
        store.forget_user(uid)
    for table in ("users", "situations", "situation_history", "conversations"):
        assert count(store, table) == 0


def test_writes_do_not_checkpoint_and_the_background_checkpoint_folds_the_wal(db_path):
    store = Store(open_database(db_path))
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    for i in range(300):
        uid = store.ensure_user("console", f"user-{i}", NOW)
        with store.transaction():
            store.save_state(uid, {"node": "start", "pad": "x" * 500}, NOW)
    main_file = open(db_path, "rb").read()
    assert b"user-299" not in main_file  # still only in the WAL: no write copied it back
    store.checkpoint_passive()
    assert b"user-299" in open(db_path, "rb").read()
    other = sqlite3.connect(db_path)
    assert other.execute("SELECT count(*) FROM users").fetchone()[0] == 300


def test_folding_between_rounds_starts_the_wal_over_instead_of_growing_it(db_path, monkeypatch):
    """A steady stream of rounds, each followed by a fold: the WAL file stays the size of one round's
    writes (it starts over from its beginning) instead of growing until it must be truncated."""
    monkeypatch.setattr("storage.repo.FOLD_EVERY", 0.0)
    store = Store(open_database(db_path))
    sizes = []
    for round_ in range(20):
        for n in range(20):
            with store.transaction():
                store.mark_seen(f"event-{round_}-{n}", NOW)
        store.fold_wal()
        sizes.append(os.path.getsize(f"{db_path}-wal"))
    assert max(sizes) < 2 * sizes[1], sizes
    store.fold_wal()  # nothing written since: nothing to do
    other = sqlite3.connect(db_path)
    assert other.execute("SELECT count(*) FROM seen_events").fetchone()[0] == 400


def test_a_nested_transaction_that_fails_is_undone_alone(contract_store) -> None:
    """A round applies many turns in one transaction; one turn that fails (its own nested transaction)
    is undone without the others, on both engines."""
    store = contract_store
    with store.transaction():
        assert store.mark_seen("kept-before", NOW)
        with pytest.raises(ValueError), store.transaction():
            assert store.mark_seen("undone", NOW)
            raise ValueError("a poisonous turn")
        with store.transaction():
            assert store.mark_seen("kept-after", NOW)
    with store.transaction():
        assert not store.mark_seen("kept-before", NOW) and not store.mark_seen("kept-after", NOW)
        assert store.mark_seen("undone", NOW)  # it was never recorded
