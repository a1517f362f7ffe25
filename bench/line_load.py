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
import shutil
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

    async def count(self, prefix: str) -> int:
        """How many reply tokens starting with ``prefix`` were answered."""
        return sum(1 for t in self.replied if t.startswith(prefix))

    async def times(self, prefix: str) -> dict[str, float]:
        """When each reply token starting with ``prefix`` was answered (perf_counter seconds)."""
        return {t: at for t, at in self.replied.items() if t.startswith(prefix)}

    async def _count(self, request: web.Request) -> web.Response:
        return web.json_response(await self.count(request.query["prefix"]))

    async def _times(self, request: web.Request) -> web.Response:
        return web.json_response(await self.times(request.query["prefix"]))

    async def start(self, port: int = 0) -> str:
        app = web.Application()
        app.add_routes(self.routes())
        app.add_routes([web.get("/bench/count", self._count), web.get("/bench/times", self._times)])
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        port = port or _port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return f"http://127.0.0.1:{port}"


class FakeProcess:
    """The same fake LINE API in a process of its own (``python -m bench.line_load --fake PORT``), so that
    the load generator has a core's worth of time for itself; reply times come back over HTTP. On Linux
    ``perf_counter`` is CLOCK_MONOTONIC, the same clock in every process."""

    def __init__(self) -> None:
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.session: aiohttp.ClientSession | None = None

    async def start(self) -> str:
        command = [sys.executable, "-m", "bench.line_load", "--fake", str(self.port)]
        self.proc = subprocess.Popen(command, cwd=ROOT)
        self.session = aiohttp.ClientSession()
        for _ in range(300):
            try:
                await self.count("-")
                return self.url
            except aiohttp.ClientError:
                await asyncio.sleep(0.05)
        raise RuntimeError("the fake LINE API did not start")

    async def count(self, prefix: str) -> int:
        assert self.session is not None
        async with self.session.get(f"{self.url}/bench/count", params={"prefix": prefix}) as resp:
            return int(await resp.json())

    async def times(self, prefix: str) -> dict[str, float]:
        assert self.session is not None
        async with self.session.get(f"{self.url}/bench/times", params={"prefix": prefix}) as resp:
            return {str(k): float(v) for k, v in (await resp.json()).items()}

    async def stop(self) -> None:
        if self.session is not None:
            await self.session.close()
        if self.proc is not None:
            self.proc.send_signal(2)
            self.proc.wait(timeout=10)


async def _serve_fake(port: int) -> None:
    await Fake().start(port)
    stop = asyncio.Event()
    for sig in (2, 15):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await stop.wait()


def _cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and the processes it started (Linux /proc):
    a figure that other load on the machine does not change, unlike requests per second."""
    total = 0.0
    pending = [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue
    return total


def _py_spy() -> str:
    """py-spy beside this Python (installed into .venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy") or str(beside)


async def _listening(port: int, count: int, timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True).stdout
        if len(out.splitlines()) >= count:
            return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{count} processes did not listen on port {port}")


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


async def _wait_ready(session: aiohttp.ClientSession, url: str, timeout: float = 60.0) -> None:
    # A deadline rather than a number of tries: on a busy machine the bot's start-up (loading the
    # understanding) takes longer than 300 short sleeps.
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            async with session.post(url, data=b"{}", headers={"X-Line-Signature": "x"}) as resp:
                if resp.status in (400, 200):
                    return
        except aiohttp.ClientError:
            await asyncio.sleep(0.05)
    raise RuntimeError("target did not start")


async def _throughput(
    session, url, fake: Fake | FakeProcess, count: int, run: str, concurrency: int = 50
) -> tuple[float, float, float]:
    """Requests/s to the reply with ``concurrency`` senders, and the reply latency's p50 and p99 (ms)."""
    bodies = [_body(n, run) for n in range(count)]
    queue = list(reversed(bodies))
    sent: dict[str, float] = {}
    start = time.perf_counter()

    async def worker():
        while queue:
            body, signature, token = queue.pop()
            sent[token] = time.perf_counter()
            async with session.post(url, data=body, headers={"X-Line-Signature": signature}) as resp:
                await resp.read()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    tokens = [b[2] for b in bodies]
    deadline = time.perf_counter() + 30
    while await fake.count(f"{run}-") < count and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    replied = await fake.times(f"{run}-")
    done = [replied[t] for t in tokens if t in replied]
    latencies = sorted(replied[t] - sent[t] for t in tokens if t in replied)
    p50 = latencies[len(latencies) // 2] * 1e3
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e3 if len(done) == count else float("inf")
    return len(done) / (max(done) - start), p50, p99


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


async def _latency(
    session, url, fake: Fake | FakeProcess, rate: float, seconds: float, run: str
) -> tuple[float, float]:
    count = int(rate * seconds)
    bodies = [_body(n, run) for n in range(count)]
    sent: dict[str, float] = {}

    async def one(body, signature, token):
        sent[token] = time.perf_counter()
        async with session.post(url, data=body, headers={"X-Line-Signature": signature}) as resp:
            await resp.read()

    await paced(bodies, rate, one)
    await asyncio.sleep(1.0)
    replied = await fake.times(f"{run}-")
    latencies = sorted(replied[t] - sent[t] for t in sent if t in replied)
    missing = count - len(latencies)
    p50 = latencies[len(latencies) // 2] * 1e3
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1e3 if not missing else float("inf")
    return p50, p99


async def measure(count: int = 3000, profile: bool = False, workers: int = 0, spy: str = "") -> dict[str, float]:
    """Run the bare SDK endpoint and the bot (one process; with ``workers`` > 1 also BOT_WORKERS=N) in
    one run against the same fake LINE API, and return their figures."""
    fake = FakeProcess()
    base = await fake.start()
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        bot = [sys.executable, *(["-m", "cProfile", "-o", f"{tmp}/bot.prof"] if profile else []), "-m", "bot", "run"]
        # py-spy samples every thread (cProfile sees only the event loop's), as collapsed stacks;
        # BENCH_PY_SPY="--gil" keeps only the samples that hold the GIL (CPU, not waits).
        py_spy = [_py_spy(), "record", "--format", "raw", "--rate", "250", *os.environ.get("BENCH_PY_SPY", "").split()]
        if spy:
            bot = [*py_spy, "--output", spy, "--", *bot]
        targets: dict[str, tuple[list[str], dict[str, str]]] = {
            "bare": ([sys.executable, "-m", "bench.bare_line", "{port}", base, SECRET], {}),
            "bot": (bot, {"BOT_WORKERS": "1"}),
        }
        if workers > 1:
            many = [sys.executable, "-m", "bot", "run"]
            if spy:
                many = [*py_spy, "--subprocesses", "--output", f"{spy}.workers", "--", *many]
            targets[f"bot{workers}"] = (many, {"BOT_WORKERS": str(workers)})
        for name, (command, extra) in targets.items():
            port = _port()
            env = {
                **os.environ, "LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": "t",
                "LINE_API_BASE_URL": base, "BOT_PORT": str(port), "BOT_DB_PATH": f"{tmp}/{name}.db",
                "LOG_LEVEL": "WARNING", "DISCORD_TOKEN": "", "DATABASE_URL": "", **extra,
            }  # fmt: skip
            proc = subprocess.Popen([c.format(port=port) for c in command], cwd=ROOT, env=env)
            try:
                url = f"http://127.0.0.1:{port}/line/webhook"
                async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=256)) as session:
                    await _wait_ready(session, url)
                    # Every worker process listening (each has a socket of its own on the port) before the
                    # warm-up: a worker still starting would be measured with its start-up.
                    await _listening(port, int(extra.get("BOT_WORKERS", "1")))
                    await _throughput(session, url, fake, 300, f"warm{name}")
                    cpu = _cpu_seconds(proc.pid)
                    rps, c50_p50, c50_p99 = await _throughput(session, url, fake, count, f"tp{name}")
                    results[f"{name}_cpu_ms"] = (_cpu_seconds(proc.pid) - cpu) * 1e3 / count
                    results[f"{name}_rps"], results[f"{name}_c50_p50_ms"], results[f"{name}_c50_p99_ms"] = (
                        rps,
                        c50_p50,
                        c50_p99,
                    )
                    p50, p99 = await _latency(session, url, fake, 200.0, 10.0, f"lat{name}")
                    results[f"{name}_p50_ms"], results[f"{name}_p99_ms"] = p50, p99
            finally:
                proc.send_signal(2)
                proc.wait(timeout=30)
        await fake.stop()
        if profile:
            import pstats

            stats = pstats.Stats(f"{tmp}/bot.prof")
            stats.sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(40)
    return results


def report(w: dict[str, float]) -> str:
    """The bot against the bare SDK endpoint, side by side (one process, and N workers when measured)."""
    lines = [
        "LINE webhook to reply, against a bare line-bot-sdk endpoint in the same run (c=50, then 200 req/s):",
        f"  {'target':<16}{'req/s c=50':>11}{'ratio':>7}{'p50 c=50':>11}{'p99 c=50':>11}{'p50 200/s':>11}"
        f"{'p99 200/s':>11}{'CPU/event':>11}",
    ]
    for name in [k.removesuffix("_rps") for k in w if k.endswith("_rps")]:
        label = {"bare": "bare SDK", "bot": "bot, 1 process"}.get(name, f"bot, {name[3:]} workers")
        lines.append(
            f"  {label:<16}{w[name + '_rps']:>11.0f}{w[name + '_rps'] / w['bare_rps']:>6.2f}x"
            f"{w[name + '_c50_p50_ms']:>9.0f}ms{w[name + '_c50_p99_ms']:>9.0f}ms"
            f"{w[name + '_p50_ms']:>9.1f}ms{w[name + '_p99_ms']:>9.1f}ms{w[name + '_cpu_ms']:>9.2f}ms"
        )
    lines.append("  targets: 1 process >= 0.75x, p99 c=50 < 1000 ms, p99 200/s < 30 ms; 2 workers >= 1.3x")
    lines.append(f"  (load average when done: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    return "\n".join(lines)


def run(profile: bool = False, workers: int = 0, count: int = 3000, spy: str = "") -> dict[str, float]:
    """Synchronous entry point."""
    return asyncio.run(measure(count=count, profile=profile, workers=workers, spy=spy))


if __name__ == "__main__":
    # python -m bench.line_load [--profile] [--workers N] [--count N] [--py-spy FILE]
    args = sys.argv[1:]
    if args[:1] == ["--fake"]:  # the fake LINE API's own process (see FakeProcess)
        asyncio.run(_serve_fake(int(args[1])))
        sys.exit(0)
    opts = {a: int(args[i + 1]) for i, a in enumerate(args) if a in ("--workers", "--count")}
    spy = args[args.index("--py-spy") + 1] if "--py-spy" in args else ""
    print(report(run("--profile" in args, opts.get("--workers", 0), opts.get("--count", 3000), spy)))
