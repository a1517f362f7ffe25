"""LINE webhook load: the bot vs a bare SDK endpoint, from this (separate) process on loopback.

This process runs the fake LINE API (which timestamps each reply) and the load generator; the
target runs in its own process. Throughput is measured to the reply; latency from request to reply.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret"
_TOKEN = re.compile(rb'"replyToken":\s*"([^"]+)"')


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Fake:
    """Fake LINE API: records when each reply token was answered."""

    def __init__(self) -> None:
        self.replied: dict[str, float] = {}

    async def reply(self, request: web.Request) -> web.Response:
        # A regex, not a JSON parse: this process shares the machine with the target, and richer
        # replies must not make the load generator itself slower.
        match = _TOKEN.search(await request.read())
        if match:
            self.replied[match.group(1).decode()] = time.perf_counter()
        return web.json_response({"sentMessages": [{"id": "1", "quoteToken": "q"}]})

    def routes(self) -> list[web.RouteDef]:
        """The endpoints this fake serves (a push is timed like a reply here)."""
        return [web.post("/v2/bot/message/reply", self.reply), web.post("/v2/bot/message/push", self.reply)]

    async def start(self) -> str:
        app = web.Application()
        app.add_routes(self.routes())
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        port = _port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return f"http://127.0.0.1:{port}"


def _body(n: int, run: str) -> tuple[bytes, str, str]:
    token = f"{run}-{n}"
    event = {
        "type": "message", "mode": "active", "timestamp": 1, "replyToken": token,
        "source": {"type": "user", "userId": f"U{n % 500:032d}"},
        "webhookEventId": f"{run}{n:020d}", "deliveryContext": {"isRedelivery": False},
        "message": {"id": str(n), "type": "text", "quoteToken": "q", "text": ["ヘルプ", "ログインできない", "1"][n % 3]},
    }  # fmt: skip
    body = json.dumps({"destination": "U", "events": [event]}).encode()
    signature = base64.b64encode(hmac.new(SECRET.encode(), body, hashlib.sha256).digest()).decode()
    return body, signature, token


async def _wait_ready(session: aiohttp.ClientSession, url: str) -> None:
    for _ in range(300):
        try:
            async with session.post(url, data=b"{}", headers={"X-Line-Signature": "x"}) as resp:
                if resp.status in (400, 200):
                    return
        except aiohttp.ClientError:
            await asyncio.sleep(0.05)
    raise RuntimeError("target did not start")


async def _throughput(session, url, fake: Fake, count: int, run: str, concurrency: int = 32) -> float:
    bodies = [_body(n, run) for n in range(count)]
    queue = list(reversed(bodies))
    start = time.perf_counter()

    async def worker():
        while queue:
            body, signature, _ = queue.pop()
            async with session.post(url, data=body, headers={"X-Line-Signature": signature}) as resp:
                await resp.read()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    tokens = [b[2] for b in bodies]
    deadline = time.perf_counter() + 30
    while not all(t in fake.replied for t in tokens) and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    done = [fake.replied[t] for t in tokens if t in fake.replied]
    return len(done) / (max(done) - start)


async def paced(bodies: list[tuple[bytes, str, str]], rate: float, send) -> None:
    """Start ``send(body, signature, token)`` for each body at a steady ``rate`` per second; wait for all."""
    start = time.perf_counter()
    tasks = []
    for i, (body, signature, token) in enumerate(bodies):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(body, signature, token)))
    await asyncio.gather(*tasks)


async def _latency(session, url, fake: Fake, rate: float, seconds: float, run: str) -> tuple[float, float]:
    count = int(rate * seconds)
    bodies = [_body(n, run) for n in range(count)]
    sent: dict[str, float] = {}

    async def one(body, signature, token):
        sent[token] = time.perf_counter()
        async with session.post(url, data=body, headers={"X-Line-Signature": signature}) as resp:
            await resp.read()

    await paced(bodies, rate, one)
    await asyncio.sleep(1.0)
    latencies = sorted(fake.replied[t] - sent[t] for t in sent if t in fake.replied)
    missing = count - len(latencies)
    p50 = latencies[len(latencies) // 2] * 1e3
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e3 if not missing else float("inf")
    return p50, p99


async def measure(count: int = 2000, profile: bool = False) -> dict[str, float]:
    """Run both targets and return their figures."""
    fake = Fake()
    base = await fake.start()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        targets = {
            "bare": [sys.executable, "-m", "bench.bare_line", "{port}", base, SECRET],
            "bot": [sys.executable, *(["-m", "cProfile", "-o", f"{tmp}/bot.prof"] if profile else []), "-m", "bot", "run"],
        }  # fmt: skip
        for name, command in targets.items():
            port = _port()
            env = {
                **os.environ, "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": "t",
                "LINE_API_BASE_URL": base, "BOT_PORT": str(port), "BOT_DB_PATH": f"{tmp}/{name}.db",
                "LOG_LEVEL": "WARNING", "DISCORD_TOKEN": "",
            }  # fmt: skip
            proc = subprocess.Popen([c.format(port=port) for c in command], cwd=ROOT, env=env)
            try:
                url = f"http://127.0.0.1:{port}/line/webhook"
                async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as session:
                    await _wait_ready(session, url)
                    await _throughput(session, url, fake, 200, f"warm{name}")
                    results[f"{name}_rps"] = await _throughput(session, url, fake, count, f"tp{name}")
                    p50, p99 = await _latency(session, url, fake, 200.0, 10.0, f"lat{name}")
                    results[f"{name}_p50_ms"], results[f"{name}_p99_ms"] = p50, p99
            finally:
                proc.send_signal(2)
                proc.wait(timeout=30)
        if profile:
            import pstats

            stats = pstats.Stats(f"{tmp}/bot.prof")
            stats.sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(30)
    return results


def run(profile: bool = False) -> dict[str, float]:
    """Synchronous entry point."""
    return asyncio.run(measure(profile=profile))


if __name__ == "__main__":
    print(run(profile="--profile" in sys.argv))
