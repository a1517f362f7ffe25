"""`python -m bot run` as a real process for tests: started with LINE pointed at a fake API, and
waited for until it answers /healthz."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time

import aiohttp

from tests.conftest import ROOT

_OWN_SETTINGS = ("LINE_", "DISCORD_", "BOT_", "DATABASE_")


def start_bot(**settings: str) -> subprocess.Popen:
    """The bot with only these settings (none inherited from the environment); stderr is kept."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_SETTINGS)}
    # These tests pin one lender's wording and numbers; the lender question has its own tests.
    env.update({"BOT_LENDERS": "promise", **settings})
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


async def wait_healthy(http: aiohttp.ClientSession, port: int, seconds: float = 45.0) -> None:
    """Until /healthz answers (200 or 503: the process serves); fails after ``seconds`` (a loaded
    machine takes several seconds to build the understanding at start)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                if resp.status in (200, 503):
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise AssertionError(f"the bot on port {port} did not start")
