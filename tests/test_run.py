"""`python -m bot run` as operators start it: LINE configured, health answered, clean stop."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(tmp_path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DISCORD_", "BOT_"))}
    env.update(
        LINE_CHANNEL_SECRET="run-secret",
        LINE_CHANNEL_ACCESS_TOKEN="run-token",
        LINE_API_BASE_URL="http://127.0.0.1:9",  # nothing listens: no reply is sent in this test
        BOT_PORT=str(port),
        BOT_DB_PATH=str(tmp_path / "run.db"),
    )
    return env


def test_run_serves_health_and_webhook_and_stops_cleanly(tmp_path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=_env(tmp_path, port),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        health = None
        for _ in range(300):  # a loaded machine can take several seconds to start the bot
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as resp:
                    health = (resp.status, json.loads(resp.read()))
                    break
            except OSError:
                time.sleep(0.1)
        assert health is not None and health[0] == 200
        assert health[1]["status"] == "ok" and "line" in health[1]["doors"]
        request = urllib.request.Request(f"http://127.0.0.1:{port}/line/webhook", data=b"{}", method="POST")
        try:
            urllib.request.urlopen(request, timeout=2)
            status = 200
        except urllib.error.HTTPError as exc:
            status = exc.code
        assert status == 400  # no signature
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err.decode()
    assert b"Traceback" not in err and b"run-token" not in err and b"run-secret" not in err


def test_a_port_in_use_is_one_clear_line(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=_env(tmp_path, port), capture_output=True, timeout=60
        )
    err = out.stderr.decode().strip()
    assert out.returncode == 2 and "Traceback" not in err
    assert len(err.splitlines()) == 1 and "BOT_PORT" in err
