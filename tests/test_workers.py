"""BOT_WORKERS=2: two processes serve the webhook on one port (SO_REUSEPORT), on one SQLite file and
its shared inbox, or on PostgreSQL; every event is applied and answered once, in each user's order, and
a stop ends both."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections import Counter

import aiohttp

from tests.bot_process import start_bot, wait_healthy
from tests.fake_line import FakeLine, dumps, flat_text
from tests.test_line import SECRET, free_port, sign, text_event


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def test_two_worker_processes_share_the_port_and_answer_every_event_once(tmp_path) -> None:
    _two_workers(tmp_path, "")


def test_two_worker_processes_on_postgresql(tmp_path, pg_database) -> None:
    _two_workers(tmp_path, pg_database)


def _two_workers(tmp_path, database_url: str) -> None:
    users = [f"U{n:031x}w" for n in range(12)]
    steps = ("ログインできない", "1")
    events = {u: [text_event(t, user=u) for t in steps] for u in users}
    for user in users:
        events[user][1]["timestamp"] += 10
    fake = FakeLine(single_use_tokens=True)

    async def scenario() -> tuple[bytes, list[int]]:
        url = await fake.start()
        port = free_port()
        proc = start_bot(
            LINE_CHANNEL_SECRET=SECRET,
            LINE_CHANNEL_ACCESS_TOKEN="workers",
            LINE_API_BASE_URL=url,
            BOT_PORT=str(port),
            BOT_DB_PATH=str(tmp_path / "bot.db"),
            DATABASE_URL=database_url,
            BOT_WORKERS="2",
        )
        try:
            # Many connections, so that the kernel hands some to each process.
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
                await wait_healthy(http, port, seconds=30)
                deadline = asyncio.get_running_loop().time() + 30
                # Each process listens with a socket of its own on the port (SO_REUSEPORT).
                while len(_children(proc.pid)) < 1 or _listening(port) < 2:
                    assert asyncio.get_running_loop().time() < deadline, "the second process does not listen"
                    await asyncio.sleep(0.1)
                children = _children(proc.pid)

                async def post(event: dict) -> int:
                    body = dumps({"destination": "U", "events": [event]})
                    headers = {"X-Line-Signature": sign(body), "Content-Type": "application/json"}
                    async with http.post(f"http://127.0.0.1:{port}/line/webhook", data=body, headers=headers) as r:
                        return r.status

                for k in range(len(steps)):
                    assert await asyncio.gather(*(post(events[u][k]) for u in users)) == [200] * len(users)
                tokens = {e["replyToken"] for u in users for e in events[u]}
                while {r["replyToken"] for r in fake.replies} < tokens:
                    assert asyncio.get_running_loop().time() < deadline, "not every event was answered"
                    await asyncio.sleep(0.05)
                await asyncio.sleep(0.5)
            proc.send_signal(signal.SIGTERM)
            _, err = await asyncio.to_thread(proc.communicate, timeout=30)
            return err, children
        finally:
            if proc.poll() is None:
                proc.kill()
            await fake.stop()

    err, children = asyncio.run(scenario())
    assert set(Counter(r["replyToken"] for r in fake.replies).values()) == {1}
    texts = {r["replyToken"]: " ".join(flat_text(m) for m in r["messages"]) for r in fake.replies}
    for user in users:
        assert "0120-24-0365" in texts[events[user][1]["replyToken"]]  # "1" answered its own question
    assert b"Traceback" not in err, err.decode(errors="replace")
    assert err.count(b"listening on") == 2  # both processes served the port (their logs share stderr)
    assert all(not _alive(pid) for pid in children)


def _listening(port: int) -> int:
    out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True).stdout
    return len(out.splitlines())


def _alive(pid: int) -> bool:
    return subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode == 0
