"""Reminder engine at scale: 1,000,000 stored reminders, dispatch throughput, rate-limit accuracy."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.diagnosis.flow import load_flow
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.senders import SENT
from storage import Store, open_database
from storage.reminders import iso

ROOT = Path(__file__).resolve().parent.parent


def fill(path: str, count: int, due_from: datetime, spread: timedelta) -> None:
    """Write ``count`` users, free reminders and pending sends straight into the database."""
    store = Store(open_database(path))
    conn = store.conn
    stamp = iso(due_from)
    with store.transaction():
        conn.executemany(
            "INSERT INTO users (id, platform, platform_user_id, created_at) VALUES (?, 'bench', ?, ?)",
            ((i, f"u{i}", stamp) for i in range(1, count + 1)),
        )
        conn.executemany(
            "INSERT INTO reminders (id, user_id, kind, what, at, tz, status, created_at, updated_at)"
            " VALUES (?, ?, 'free', 'x', ?, 'Asia/Tokyo', 'active', ?, ?)",
            ((i, i, iso(due_from + spread * (i / count)), stamp, stamp) for i in range(1, count + 1)),
        )
        conn.executemany(
            "INSERT INTO outbox (reminder_id, user_id, platform, platform_user_id, slot, due_at, key, status,"
            " attempts, next_attempt_at) VALUES (?, ?, 'bench', ?, 'once', ?, ?, 'pending', 0, ?)",
            (
                (i, i, f"u{i}", iso(due_from + spread * (i / count)), str(uuid.UUID(int=i)),
                 iso(due_from + spread * (i / count)))
                for i in range(1, count + 1)
            ),
        )  # fmt: skip
    store.db.close()


STARTUP = """
import json, resource, sys, time
t0 = time.perf_counter()
from bot.app import build_app
from bot.settings import load_settings
from bot.delivery.dispatcher import Dispatcher
app = build_app(load_settings(env={}, dotenv=None), db_path=sys.argv[1])
d = Dispatcher(app.store, app.flow, {"bench": None})
d.recover()
nxt = d.next_due()
startup = time.perf_counter() - t0
samples = []
for _ in range(200):
    t = time.perf_counter(); d.next_due(); samples.append(time.perf_counter() - t)
samples.sort()
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so it would report the parent's peak.
rss_mb = int(open("/proc/self/status").read().split("VmHWM:")[1].split()[0]) / 1024
print(json.dumps({"startup_s": startup, "next_due_ms": samples[100] * 1e3, "rss_mb": rss_mb}))
"""


class NullSender:
    """A zero-latency sender."""

    def __init__(self) -> None:
        self.count = 0

    async def send(self, platform_user_id, reply, key):
        self.count += 1
        return SENT


def _dispatch(path: str, rate: float | None) -> tuple[int, float]:
    store = Store(open_database(path))
    sender = NullSender()
    later = datetime.now(UTC) + timedelta(days=1)
    dispatcher = Dispatcher(store, load_flow(), {"bench": sender}, lambda: later, rate=rate)
    start = time.perf_counter()
    asyncio.run(dispatcher.run_due())
    return sender.count, time.perf_counter() - start


def run(count: int = 1_000_000, sends: int = 20_000) -> dict[str, float]:
    """Return start-up time, RSS and next-due lookup with ``count`` reminders, plus dispatch rates."""
    with tempfile.TemporaryDirectory() as tmp:
        big = f"{tmp}/big.db"
        fill(big, count, datetime.now(UTC) + timedelta(days=1), timedelta(days=365))
        out = subprocess.run([sys.executable, "-c", STARTUP, big], capture_output=True, text=True, cwd=ROOT)
        figures = json.loads(out.stdout)
        due = f"{tmp}/due.db"
        fill(due, sends, datetime.now(UTC) - timedelta(minutes=5), timedelta(minutes=1))
        sent, seconds = _dispatch(due, None)
        figures["sends_per_s"] = sent / seconds
        limited = f"{tmp}/limited.db"
        fill(limited, 1500, datetime.now(UTC) - timedelta(minutes=5), timedelta(minutes=1))
        sent, seconds = _dispatch(limited, 500.0)
        figures["limited_per_s"] = sent / seconds
        figures["limit_per_s"] = 500.0
    return figures
