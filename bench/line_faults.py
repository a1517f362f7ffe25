"""Faults, measured: the webhook while the main database is locked, a kill -9 during the lock, and a
forget behind a long reader.

* acknowledgement latency (p50 / p99) of signed events sent at a steady rate while another
  connection holds the main database's write lock for 5 s, and how long after the lock the last
  reply arrives;
* acknowledged events lost when the bot is killed with SIGKILL while the lock is held (after a
  restart every acknowledged event must be applied: the count of those that never were);
* seconds from a forget to the moment no byte of the user is left in the database and its WAL,
  while a reader keeps a snapshot open for 30 s.

The bot runs as its own process (``python -m bot run``); this process holds the lock and plays LINE.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.line_load import ROOT, SECRET, Fake, _body, _port, _wait_ready, paced

LOCK_SECONDS = 5.0
RATE = 40.0  # events per second offered during the lock
READER_SECONDS = 30.0


def _start(db: str, port: int, fake_url: str) -> subprocess.Popen:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "BOT_"))},
        "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": "t", "LINE_API_BASE_URL": fake_url,
        "BOT_PORT": str(port), "BOT_DB_PATH": db, "LOG_LEVEL": "WARNING",
    }  # fmt: skip
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)


async def _send_during_lock(session: aiohttp.ClientSession, url: str, run: str) -> tuple[list[float], list[str], int]:
    """Send RATE events/s for LOCK_SECONDS; return ack latencies (s), the acknowledged tokens, non-200s."""
    count = int(RATE * LOCK_SECONDS)
    bodies = [_body(n, run) for n in range(count)]
    latencies: list[float] = []
    acked: list[str] = []
    refused = 0

    async def one(body: bytes, signature: str, token: str) -> None:
        nonlocal refused
        sent = time.perf_counter()
        async with session.post(url, data=body, headers={"X-Line-Signature": signature}) as resp:
            await resp.read()
            latencies.append(time.perf_counter() - sent)
            if resp.status == 200:
                acked.append(token)
            else:
                refused += 1

    await paced(bodies, RATE, one)
    return latencies, acked, refused


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


async def _until_replied(fake: Fake, tokens: list[str], seconds: float) -> float:
    """Wait until every token got a reply; return when the last one did (perf_counter) or inf."""
    deadline = time.perf_counter() + seconds
    while not all(t in fake.replied for t in tokens):
        if time.perf_counter() > deadline:
            return float("inf")
        await asyncio.sleep(0.02)
    return max(fake.replied[t] for t in tokens)


async def measure_webhook() -> dict[str, float]:
    """The lock and the kill -9 scenarios against a real bot process."""
    fake = Fake()
    fake_url = await fake.start()
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/faults.db"
        port = _port()
        url = f"http://127.0.0.1:{port}/line/webhook"
        proc = _start(db, port, fake_url)
        try:
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as session:
                await _wait_ready(session, url)
                # 1. A 5 s lock: acknowledgements stay fast, replies follow the lock.
                lock = sqlite3.connect(db, isolation_level=None)
                lock.execute("BEGIN IMMEDIATE")
                locked_at = time.perf_counter()
                sending = asyncio.create_task(_send_during_lock(session, url, "lock"))
                await asyncio.sleep(max(0.0, LOCK_SECONDS - (time.perf_counter() - locked_at)))
                lock.execute("ROLLBACK")
                released = time.perf_counter()
                latencies, acked, refused = await sending
                last = await _until_replied(fake, acked, 30)
                out["lock_ack_p50_ms"] = _percentile(latencies, 0.5) * 1e3
                out["lock_ack_p99_ms"] = _percentile(latencies, 0.99) * 1e3
                out["lock_refused"] = refused
                out["lock_drain_s"] = last - released
                # 2. The same lock, and the process killed while it is held.
                lock.execute("BEGIN IMMEDIATE")
                _, acked, refused = await _send_during_lock(session, url, "kill")
                proc.send_signal(signal.SIGKILL)
                proc.wait(timeout=10)
                lock.execute("ROLLBACK")
                lock.close()
                proc = _start(db, port, fake_url)
                await _wait_ready(session, url)
                await _until_replied(fake, acked, 30)
                conn = sqlite3.connect(db)
                seen = {row[0] for row in conn.execute("SELECT event_id FROM seen_events")}
                conn.close()
                applied = sum(1 for t in acked if f"kill{int(t.split('-')[1]):020d}" in seen)
                out["kill_acknowledged"] = len(acked)
                out["kill_lost"] = len(acked) - applied
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=30)
    return out


def measure_forget(reader_seconds: float = READER_SECONDS) -> float:
    """Seconds from a forget to zero bytes of the user on disk while a reader holds a snapshot."""
    from bot.app import TRUNCATE_RETRY_SECONDS, build_app
    from bot.core.dialogue.actions import Command
    from bot.core.dialogue.messages import Incoming, UserRef
    from bot.settings import load_settings

    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/forget.db"
        app = build_app(load_settings(env={"BOT_DB_PATH": db}, dotenv=None))
        user = UserRef("console", "bench-forget-user-7f3a")
        app.service.handle(Incoming(user, text="返済日は25日"))
        app.store.checkpoint()
        marker = user.user_id.encode()

        def on_disk() -> bool:
            # Read by another process: closing a descriptor of the database here would drop this
            # process's POSIX locks on it, the reader's snapshot included, and unblock the checkpoint.
            files = [str(p) for p in Path(tmp).glob("forget.db*") if not p.name.endswith("-shm")]
            return subprocess.run(["grep", "-q", "-a", "-F", marker.decode(), *files]).returncode == 0

        assert on_disk()
        # A reader holding a snapshot from before the forget (a second connection, as a backup tool
        # or an operator's sqlite3 shell on the same machine would).
        reader: sqlite3.Connection | None = sqlite3.connect(db, isolation_level=None)
        assert reader is not None
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM users").fetchall()
        release_at = time.monotonic() + reader_seconds
        app.service.handle(Incoming(user, choice=Command("forget")))  # asks to confirm
        app.service.handle(Incoming(user, choice=Command("forget_yes")))
        assert app.store.find_user(user.platform, user.user_id) is None
        forgot = time.monotonic()
        next_try = forgot
        while on_disk():
            if reader is not None and time.monotonic() >= release_at:
                reader.execute("ROLLBACK")
                reader.close()
                reader = None
            # What the running bot does every TRUNCATE_RETRY_SECONDS while a truncation is owed.
            if app.store.truncate_owed_since is not None and time.monotonic() >= next_try:
                app.store.checkpoint_passive()
                next_try = time.monotonic() + TRUNCATE_RETRY_SECONDS
            time.sleep(0.05)
            if time.monotonic() - forgot > reader_seconds + 30:
                return float("inf")
        return time.monotonic() - forgot


def run() -> dict[str, float]:
    """Every fault figure."""
    figures = asyncio.run(measure_webhook())
    figures["forget_to_zero_bytes_s"] = measure_forget()
    return figures


def report(f: dict[str, float]) -> str:
    """One line per figure, with its target."""
    return "\n".join(
        [
            f"webhook ack while the database is locked {LOCK_SECONDS:g} s ({RATE:g} events/s): "
            f"p50 {f['lock_ack_p50_ms']:.1f} ms, p99 {f['lock_ack_p99_ms']:.1f} ms (target p99 < 1500 ms), "
            f"{f['lock_refused']:.0f} refused; last reply {f['lock_drain_s']:.2f} s after the lock",
            f"kill -9 during the lock: {f['kill_acknowledged']:.0f} acknowledged, {f['kill_lost']:.0f} lost (target 0)",
            f"forget behind a {READER_SECONDS:g} s reader: zero bytes after {f['forget_to_zero_bytes_s']:.1f} s",
        ]
    )


if __name__ == "__main__":
    print(report(run()))
