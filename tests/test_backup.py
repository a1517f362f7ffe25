"""`python -m bot backup PATH`: a consistent copy of the SQLite database while it is being written."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import threading
import time

import pytest

from storage import open_database
from storage.backup import BackupError, backup_sqlite
from tests.conftest import ROOT


def _writer(path, stop: threading.Event, written: list[int]) -> None:
    """Another connection inserting rows (one commit each) until told to stop, like a busy bot."""
    conn = sqlite3.connect(path, timeout=5.0, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=5000")
    try:
        n = 0
        while not stop.is_set():
            n += 1
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(
                "INSERT INTO users (platform, platform_user_id, created_at, last_seen_at) VALUES ('console', ?, 'x', 'x')",
                (f"writer-{n}",),
            )
            conn.execute("COMMIT")
            written.append(n)
    finally:
        conn.close()


def _database(tmp_path, rows: int = 20000):
    path = tmp_path / "bot.db"
    db = open_database(str(path))
    conn = db.conn
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO users (platform, platform_user_id, created_at, last_seen_at) VALUES ('line', ?, 'x', ?)",
        ((f"U{i:032x}", "y" * 200) for i in range(rows)),
    )
    conn.execute("COMMIT")
    return path, conn


def test_a_backup_taken_while_another_connection_writes_is_consistent(tmp_path):
    path, bot_conn = _database(tmp_path)
    stop, written = threading.Event(), []
    writer = threading.Thread(target=_writer, args=(path, stop, written))
    writer.start()
    try:
        while len(written) < 20:
            time.sleep(0.001)
        # Small steps: many writes land between them, and the copy still finishes from one snapshot.
        result = backup_sqlite(path, tmp_path / "copy.db", step_pages=8)
        during = len(written)
        while len(written) < during + 20:
            time.sleep(0.001)  # the bot kept writing while the copy was made
    finally:
        stop.set()
        writer.join()
    assert result.path == tmp_path / "copy.db" and result.size == os.path.getsize(tmp_path / "copy.db")
    assert not (tmp_path / "copy.db-wal").exists()
    assert stat.S_IMODE(os.stat(tmp_path / "copy.db").st_mode) == 0o600  # personal data: the owner only
    copy = sqlite3.connect(tmp_path / "copy.db")
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
        assert copy.execute("SELECT COUNT(*) FROM users WHERE platform = 'line'").fetchone()[0] == 20000
        copied = copy.execute("SELECT COUNT(*) FROM users WHERE platform = 'console'").fetchone()[0]
        # A snapshot: every writer row up to some point, none missing in between.
        assert 20 <= copied <= during
        assert (
            copy.execute(
                "SELECT COUNT(*) FROM users WHERE platform = 'console' AND CAST(substr(platform_user_id, 8) AS INTEGER) <= ?",
                (copied,),
            ).fetchone()[0]
            == copied
        )
        assert copy.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] is not None
    finally:
        copy.close()
    bot_conn.close()
    # The copy opens as a bot database (WAL turned back on, nothing left to migrate).
    assert open_database(str(tmp_path / "copy.db")).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_existing_file_is_kept_unless_forced(tmp_path):
    path, conn = _database(tmp_path, rows=10)
    target = tmp_path / "copy.db"
    target.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="already exists"):
        backup_sqlite(path, target)
    assert target.read_bytes() == b"keep me"
    backup_sqlite(path, target, force=True)
    assert sqlite3.connect(target).execute("SELECT COUNT(*) FROM users").fetchone()[0] == 10
    conn.close()


def test_bad_paths_are_one_clear_error(tmp_path):
    path, conn = _database(tmp_path, rows=1)
    with pytest.raises(BackupError, match="no database file"):
        backup_sqlite(tmp_path / "missing.db", tmp_path / "copy.db")
    assert not (tmp_path / "missing.db").exists()  # never created by looking
    with pytest.raises(BackupError, match="does not exist"):
        backup_sqlite(path, tmp_path / "no" / "such" / "copy.db")
    with pytest.raises(BackupError, match="is a folder"):
        backup_sqlite(path, tmp_path)
    with pytest.raises(BackupError, match="database itself"):
        backup_sqlite(path, path, force=True)
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello " * 1000)
    with pytest.raises(BackupError, match="cannot"):
        backup_sqlite(not_a_db, tmp_path / "copy.db")
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("bot.db")) == ["notes.txt"]
    conn.close()


def _cli(*args: str, env_db: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "BOT_", "DATABASE_URL"))}
    env["BOT_DB_PATH"] = env_db
    env.update(extra)
    return subprocess.run(
        [sys.executable, "-m", "bot", "backup", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_command_prints_one_line_and_fails_with_one_line(tmp_path):
    path, conn = _database(tmp_path, rows=100)
    target = tmp_path / "copy.db"
    out = _cli(str(target), env_db=str(path))
    assert out.returncode == 0, out.stderr
    [line] = out.stdout.splitlines()
    assert str(target) in line and f"{target.stat().st_size:,} bytes" in line
    again = _cli(str(target), env_db=str(path))
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1 and "--force" in again.stderr
    assert _cli(str(target), "--force", env_db=str(path)).returncode == 0
    bad = _cli(str(tmp_path / "nowhere" / "copy.db"), "--db", str(path), env_db=str(tmp_path / "other.db"))
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1 and "nowhere" in bad.stderr
    conn.close()


def test_on_postgresql_the_command_points_to_pg_dump(tmp_path):
    out = _cli(str(tmp_path / "copy.db"), env_db=str(tmp_path / "bot.db"), DATABASE_URL="postgresql://u@127.0.0.1/db")
    assert out.returncode == 1 and "pg_dump" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and not (tmp_path / "copy.db").exists()
