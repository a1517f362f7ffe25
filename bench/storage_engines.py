"""Side by side in one run: one instance on SQLite, one on PostgreSQL, two on PostgreSQL.

Each setup runs real ``python -m bot run`` processes against a fake LINE API in this process:
webhook throughput to the reply (signed events, 32 connections, spread over the instances), then
dispatch throughput (reminders made due at once; time from then to the last push received). The
PostgreSQL setups use a fresh database on ``BENCH_DATABASE_URL`` (default: TEST_DATABASE_URL or the
local server), dropped afterwards. ``LINE_PUSH_RATE`` is 2000 per instance here (LINE's per-channel
limit; with several instances in production, divide it between them).
"""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import psycopg
from aiohttp import web

from bench import line_load
from bench.line_load import ROOT, SECRET, _body, _port
from bot.core.dialogue.messages import SaveReminder
from bot.delivery.planner import Planner
from storage import StorePort, open_store

ADMIN_URL = (
    os.environ.get("BENCH_DATABASE_URL")
    or os.environ.get("TEST_DATABASE_URL")
    or "postgresql://postgres@127.0.0.1:5432/postgres"
)


class Fake(line_load.Fake):
    """Times each reply (by token) and each push (by retry key); answers the quota and loading calls."""

    def __init__(self) -> None:
        super().__init__()
        self.pushed: list[tuple[str, float]] = []

    async def push(self, request: web.Request) -> web.Response:
        await request.read()
        self.pushed.append((request.headers.get("X-Line-Retry-Key", ""), time.perf_counter()))
        return web.json_response({"sentMessages": [{"id": "1", "quoteToken": "q"}]})

    async def quota(self, request: web.Request) -> web.Response:
        return web.json_response({"type": "none"})

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/v2/bot/message/reply", self.reply),
            web.post("/v2/bot/message/push", self.push),
            web.post("/v2/bot/chat/loading/start", self.quota),
            web.get("/v2/bot/message/quota", self.quota),
            web.get("/v2/bot/message/quota/consumption", self.quota),
        ]


def _fresh_database() -> tuple[str, str]:
    name = f"bot_bench_{secrets.token_hex(4)}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    parts = urlsplit(ADMIN_URL)
    return name, urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _drop(name: str) -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _plan(store: StorePort, count: int) -> None:
    """``count`` reminders for as many users, planned for later and then made due all at once."""
    later = datetime.now(UTC) + timedelta(hours=1)
    with store.transaction():
        for n in range(count):
            name = f"B{n:032x}"
            uid = store.ensure_user("line", name, later)
            fields = {"tz": "Asia/Tokyo", "at": later.isoformat(timespec="seconds"), "what": "bench"}
            Planner(store.reminders).save(uid, "line", name, SaveReminder("free", fields), later)


def _make_due(store: StorePort) -> None:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    with store.transaction():
        store.conn.execute("UPDATE outbox SET next_attempt_at = ?, due_at = ? WHERE status = 'pending'", (now, now))  # type: ignore[attr-defined]


async def _setup(label: str, instances: int, database_url: str, db_path: str, events: int, sends: int) -> dict:
    fake = Fake()
    base = await fake.start()
    ports = [_port() for _ in range(instances)]
    procs = []
    for port in ports:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "BOT_", "DATABASE_"))}
        env.update(
            LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN="t", LINE_API_BASE_URL=base, BOT_PORT=str(port),
            BOT_DB_PATH=db_path, DATABASE_URL=database_url, BOT_DISPATCH_TICK_SECONDS="0.2", LINE_PUSH_RATE="2000",
            LOG_LEVEL="WARNING",
        )  # fmt: skip
        procs.append(
            subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
        )
    urls = [f"http://127.0.0.1:{p}/line/webhook" for p in ports]
    try:
        async with aiohttp.ClientSession() as session:
            for url in urls:
                for _ in range(600):
                    try:
                        async with session.post(url, data=b"{}", headers={"X-Line-Signature": "x"}) as r:
                            if r.status in (200, 400):
                                break
                    except aiohttp.ClientError:
                        await asyncio.sleep(0.05)
            bodies = [_body(n, label[:2]) for n in range(events)]
            queue = list(enumerate(reversed(bodies)))
            start = time.perf_counter()

            async def worker() -> None:
                while queue:
                    n, (body, signature, _) = queue.pop()
                    url = urls[n % len(urls)]
                    async with session.post(url, data=body, headers={"X-Line-Signature": signature}) as resp:
                        await resp.read()

            await asyncio.gather(*(worker() for _ in range(32)))
            tokens = [b[2] for b in bodies]
            deadline = time.perf_counter() + 60
            while not all(t in fake.replied for t in tokens) and time.perf_counter() < deadline:
                await asyncio.sleep(0.01)
            done = [fake.replied[t] for t in tokens if t in fake.replied]
            webhook = len(done) / (max(done) - start)

        store = open_store(db_path, database_url)
        try:
            await asyncio.to_thread(_plan, store, sends)
            start = time.perf_counter()
            await asyncio.to_thread(_make_due, store)
        finally:
            store.close()
        deadline = time.perf_counter() + 120
        while len({k for k, _ in fake.pushed}) < sends and time.perf_counter() < deadline:
            await asyncio.sleep(0.02)
        delivered = Counter(k for k, _ in fake.pushed)
        dispatch = len(delivered) / (max(t for _, t in fake.pushed) - start)
        return {
            "label": label,
            "webhook_per_s": webhook,
            "dispatch_per_s": dispatch,
            "twice": sum(1 for c in delivered.values() if c > 1),
            "missing": sends - len(delivered),
        }
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


def run(events: int = 1500, sends: int = 3000) -> list[dict]:
    """Measure the three setups in one run."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(asyncio.run(_setup("SQLite, 1 instance", 1, "", f"{tmp}/s.db", events, sends)))
        for instances in (1, 2):
            name, url = _fresh_database()
            try:
                label = f"PostgreSQL, {instances} instance{'s' if instances > 1 else ''}"
                results.append(asyncio.run(_setup(label, instances, url, f"{tmp}/p{instances}.db", events, sends)))
            finally:
                _drop(name)
    return results


def report(results: list[dict]) -> str:
    lines = ["storage engines (webhook to the reply; dispatch to a fake LINE):"]
    for r in results:
        lines.append(
            f"  {r['label']:<24} webhook {r['webhook_per_s']:6.0f} events/s   dispatch {r['dispatch_per_s']:6.0f} sends/s"
            f"   (sent twice: {r['twice']}, missing: {r['missing']})"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(run()))
