"""`python -m bot run` with platforms: one event loop for the web server, the doors and the scheduler.

The aiohttp server serves ``GET /healthz``, ``GET /metrics`` and whatever routes the doors add
(LINE's webhook); each door starts inside the running loop; the reminder engine gets every door's
sender and is woken by APScheduler. Ctrl-C or SIGTERM closes everything cleanly.

Nothing here waits for the database on the event loop: a database another process holds locked at
start-up is said in one log line, ``/healthz`` answers 503 with the reason at once, webhook events
are acknowledged into the inbox meanwhile, and the bot carries on when the lock goes; it never exits
for it. A client that goes away mid-request is not an error and leaves no traceback.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import subprocess
import sys
from typing import Any, Protocol

from aiohttp import web

from bot.app import App
from bot.delivery.senders import Sender
from bot.metrics import CONTENT_TYPE
from storage import DATABASE_ERRORS

log = logging.getLogger(__name__)
# Set by the first process for the worker processes it starts (BOT_WORKERS > 1): their number, from 1.
WORKER_ENV = "BOT_WORKER_INDEX"
WORKER_RESTART_SECONDS = 2.0
HEALTH_TIMEOUT = 0.8  # seconds: /healthz answers within a second whatever the database does
METRICS_TIMEOUT = 0.8  # seconds: the same for /metrics (older outbox values, marked stale, after that)
STARTUP_PROBE = 2.0  # seconds: how long the start-up look at the database may take before it is said
# A peer that resets its connection mid-request (gone, or a load balancer's health probe) is routine.
CLIENT_GONE = (ConnectionResetError, BrokenPipeError)


class Door(Protocol):
    """A platform door as the runner sees it."""

    platform: str

    @property
    def sender(self) -> Sender:
        """Delivers reminders to this platform's users."""
        ...

    def routes(self) -> list[web.RouteDef]:
        """HTTP routes the door serves (may be empty)."""
        ...

    async def start(self) -> None:
        """Connect / log in (called inside the running loop)."""
        ...

    async def close(self) -> None:
        """Disconnect."""
        ...

    def health(self) -> dict[str, Any]:
        """A small JSON-able status for /healthz."""
        ...


@web.middleware
async def quiet_when_client_gone(request: web.Request, handler: Any) -> web.StreamResponse:
    """A client that went away while its request was read is no error: one debug line, no traceback."""
    try:
        return await handler(request)
    except CLIENT_GONE as exc:
        log.debug("%s %s: the client went away (%s)", request.method, request.path, type(exc).__name__)
        return web.Response(status=400, text="connection lost")


def build_web(app: App, doors: list[Door]) -> web.Application:
    """The aiohttp application: /healthz, /metrics and the doors' routes."""
    web_app = web.Application(client_max_size=1024 * 1024, middlewares=[quiet_when_client_gone])

    async def healthz(_: web.Request) -> web.Response:
        # The database is asked on a worker thread with a deadline: a locked database makes the bot
        # degraded, never makes /healthz (or the event loop) wait.
        doors_status = {d.platform: d.health() for d in doors}
        status: dict[str, Any] = {"status": "ok", "doors": doors_status}
        reasons: list[str] = []
        try:
            db = await asyncio.wait_for(asyncio.to_thread(app.store.health, app.service.clock()), HEALTH_TIMEOUT)
        except TimeoutError:
            reasons.append(f"database did not answer within {HEALTH_TIMEOUT:g} s")
            status["database"] = "timeout"
        except Exception as exc:  # noqa: BLE001 - health must answer even when the database does not
            reasons.append(f"database error ({type(exc).__name__})")
            status["database"] = "error"
        else:
            status["database"] = "ok" if not db["problems"] else "degraded"
            status["outbox"] = {"overdue": db["overdue"], "stuck": db["stuck"]}
            reasons.extend(db["problems"])
        reasons.extend(f"{name} {h['status']}" for name, h in doors_status.items() if h.get("status") == "closed")
        reasons.extend(p for h in doors_status.values() for p in h.get("problems", ()))
        if reasons:
            status["status"] = "degraded"
            status["reasons"] = reasons
        return web.json_response(status, status=200 if not reasons else 503)

    async def metrics(_: web.Request) -> web.Response:
        # Like /healthz: the outbox is counted on a worker thread with a deadline, never on the loop.
        now = app.service.clock()
        await app.metrics.refresh_outbox(lambda: app.store.outbox_counts(now), METRICS_TIMEOUT)
        return web.Response(body=app.metrics.render(), headers={"Content-Type": CONTENT_TYPE})

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    for door in doors:
        web_app.add_routes(door.routes())
    return web_app


async def serve(app: App, doors: list[Door], stop: asyncio.Event | None = None, **engine_options: Any) -> None:
    """Run the web server, the doors and the reminder engine until ``stop`` is set (or a signal)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread (tests)
            pass
    # A short grace at shutdown: a request still being read (a stalled client) is not waited for long.
    runner = web.AppRunner(build_web(app, doors), access_log=None, shutdown_timeout=2.0)
    await runner.setup()
    shared = app.settings.workers > 1
    # With several worker processes every one binds the same port (SO_REUSEPORT): the kernel spreads
    # the connections over them.
    site = web.TCPSite(runner, app.settings.host, app.settings.port, reuse_port=True if shared else None)
    await site.start()
    log.info("listening on %s:%s", app.settings.host, app.settings.port)
    started: list[Door] = []
    wakeup = None
    workers = None
    if shared and not os.environ.get(WORKER_ENV):
        workers = asyncio.create_task(_run_workers(app.settings.workers - 1, stop), name="workers")
    try:
        await _probe_database(app)
        for door in doors:
            await door.start()
            started.append(door)
        wakeup = app.reminder_engine({d.platform: d.sender for d in doors}, **engine_options)
        wakeup.start()
        # What start-up built (the flow, the intent model, the SDK's models) lives as long as the process:
        # kept out of the garbage collector's sweeps, which would otherwise pause every turn now and then.
        gc.collect()
        gc.freeze()
        await stop.wait()
    finally:
        # First stop taking requests (those under way finish, briefly), so that nothing new reaches a
        # door that is closing; then let the dispatch and the doors finish what they started.
        await runner.cleanup()
        if workers is not None:
            await workers
        if wakeup is not None:
            await wakeup.stop()
        for door in reversed(started):
            await door.close()
        await _final_checkpoint(app)


async def _run_workers(count: int, stop: asyncio.Event) -> None:
    """Start ``count`` more worker processes of this bot on the same port (``python -m bot run`` with the
    same settings; the Discord gateway stays with this process), start again one that exits, and stop
    them all (SIGTERM, then SIGKILL after 10 s) once ``stop`` is set."""
    env = {**os.environ, "DISCORD_GATEWAY": "off"}
    procs: dict[int, subprocess.Popen[bytes]] = {}

    def start(index: int) -> None:
        command = [sys.executable, "-m", "bot", "run"]
        procs[index] = subprocess.Popen(
            command, env={**env, WORKER_ENV: str(index)}, stdin=subprocess.DEVNULL, preexec_fn=_end_with_parent
        )

    for index in range(1, count + 1):
        start(index)
    log.info("%d more worker processes serve the same port", count)
    try:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), WORKER_RESTART_SECONDS)
            except TimeoutError:
                pass
            for index, proc in list(procs.items()):
                if proc.poll() is not None and not stop.is_set():
                    log.warning("worker %d exited with code %s; starting it again", index, proc.returncode)
                    start(index)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs.values():
            try:
                await asyncio.to_thread(proc.wait, 10)
            except subprocess.TimeoutExpired:
                proc.kill()
                await asyncio.to_thread(proc.wait)


def _end_with_parent() -> None:
    """In a worker process (Linux): SIGTERM when the first process dies, even by SIGKILL."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


async def _probe_database(app: App) -> None:
    """Say at start-up, in one line, when the database cannot be written (another process holds its
    lock, a full disk ...): the bot serves anyway and catches up as soon as it can write."""
    try:
        db = await asyncio.wait_for(asyncio.to_thread(app.store.health, app.service.clock()), STARTUP_PROBE)
        problems = [p for p in db["problems"] if "cannot be written" in p or "unavailable" in p]
    except TimeoutError:
        problems = [f"database did not answer within {STARTUP_PROBE:g} s"]
    except Exception as exc:  # noqa: BLE001 - a probe: whatever it meets is reported, not raised
        problems = [f"database error ({type(exc).__name__})"]
    if problems:
        log.warning(
            "start-up: %s; serving anyway: /healthz answers 503 and webhook events wait in the inbox until"
            " the database can be written again",
            "; ".join(problems),
        )


async def _final_checkpoint(app: App) -> None:
    """Leave a compact database file behind, off the loop; a database that cannot do it now is one line."""
    try:
        await asyncio.to_thread(app.store.checkpoint)
    except DATABASE_ERRORS as exc:
        log.warning("shutdown: final checkpoint skipped (%s: %s)", type(exc).__name__, exc)
