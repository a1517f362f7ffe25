"""Applies acknowledged webhook events from the durable inbox to the main database.

A webhook door stores each signed event in the inbox (:mod:`storage.inbox`) and answers 200; this
worker claims them and hands each to the door's ``apply`` (run on the door's database thread, never
on the event loop). Several instances may share one inbox file: a claim takes whole users, so a
user's events are applied by one worker at a time, in the order LINE sent them (their ``timestamp``,
then arrival), whichever instance acknowledged them. A database failure stops the round at the
failing event: nothing of that user behind it overtakes it.

* A database error (locked, full, read-only) keeps the event and retries it with capped backoff,
  for as long as it takes: the event was acknowledged, so it must be applied.
* Any other exception is a poisonous event: one log line with its id, and it is removed (never
  retried forever). The door's ``apply`` already answers such events politely where it can.
* The result of each applied event goes to the door's ``deliver`` on the event loop (a reply).
* A clean stop gives the worker's claims back at once; a killed worker's claims run out after
  :data:`~bot.inbox_round.CLAIM_LEASE` seconds, or are taken back at once by the instance restarting
  under its name.

A round (claim, apply in one transaction, remove) is :mod:`bot.inbox_round`'s; this module runs the
rounds from the event loop, and holds the webhook's group-committing writer (:class:`Intake`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from typing import Any

from bot.inbox_round import Figures, InboxRound, RoundOutcome
from storage import DATABASE_ERRORS
from storage.inbox import Arrival, Inbox, InboxItem, event_time

__all__ = ["Arrival", "InboxItem", "InboxWorker", "Intake", "event_time", "worker_name"]

log = logging.getLogger(__name__)
# What giving the claims back at a stop may meet: a slow or unavailable inbox.
_STOP_ERRORS: tuple[type[Exception], ...] = (TimeoutError, *DATABASE_ERRORS)

MAX_BACKOFF = 5.0
# Seconds between looks at the inbox without a wake-up: another instance sharing the file may have
# left events (it stopped, or it is busy and this one can help). A look at an empty inbox is one read.
IDLE_CHECK = 1.0
# Seconds before looking again when events wait for a user another worker is applying right now.
DEFERRED_CHECK = 0.05
# Waiting events above which the webhook holds its acknowledgement a moment (at most ACK_HOLD seconds):
# LINE then sends the next events a little later instead of a queue growing that answers seconds late.
BACKLOG = 300
PROBE_EVERY = 1.0  # seconds between write probes of an inbox that refused a write
STALE_AFTER = 30.0  # seconds: an event waiting longer than this makes /healthz degraded


class InboxWorker:
    """Drains one platform's events from the inbox, in order, until they are applied.

    The rounds themselves (claim, apply, remove) run on the door's database thread
    (:class:`~bot.inbox_round.InboxRound`); this side runs on the event loop: it starts a round when
    events arrive or the backoff has passed, hands the answers to ``deliver``, and tells the webhook
    and /healthz how many events wait.
    """

    def __init__(
        self,
        inbox: Inbox,
        platform: str,
        apply: Callable[[InboxItem], Any],
        deliver: Callable[[Any], Awaitable[None]],
        executor: Executor,
        owner: str = "",
        batch: Callable[[], AbstractContextManager[Any]] | None = None,
        between: Callable[[], None] | None = None,
    ) -> None:
        self.inbox = inbox
        self.platform = platform
        self.deliver = deliver
        self.executor = executor
        # Set (on the event loop) while few events wait; the webhook waits for it a moment before it
        # acknowledges more (back-pressure: a burst waits at the door, not in a growing queue).
        self.drained = asyncio.Event()
        self.drained.set()
        # The name this worker claims events under (see worker_name): stable across restarts.
        self.owner = owner or worker_name(0)
        # Set on the event loop by stop(), read by the round on the database thread.
        self._stopping = threading.Event()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._deliveries: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._draining = False
        self.figures = Figures()
        # One transaction of the main database around a round's turns (one commit for many turns); the
        # answers go out once it has committed.
        self._round = InboxRound(
            inbox,
            platform,
            self.owner,
            apply,
            batch or nullcontext,
            self.figures,
            self._stopping,
            deliver=self._deliver_all,
            measured=self._backlog_measured,
            between=between or (lambda: None),
        )

    @property
    def waiting(self) -> int:
        """Events acknowledged and not applied yet, as last counted."""
        return self.figures.waiting

    @property
    def stats(self) -> dict[str, int]:
        """Events applied, poisoned (dropped) and retried (a database failure) since the start."""
        return self.figures.stats

    def start(self) -> None:
        """Start draining (inside the running loop); events left by an earlier run are applied first."""
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name=f"{self.platform}-inbox")
        self._wake.set()

    def wake(self) -> None:
        """New events are in the inbox."""
        self._wake.set()

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop after the event being applied now, give the claims back, let started replies finish
        (each bounded by ``timeout``)."""
        self._stopping.set()
        self._wake.set()
        if self._task is not None:
            # The round in progress ends after its current event; a round stuck on a locked database
            # is left behind (its claims then run out, or come back with this instance).
            done, _ = await asyncio.wait({self._task}, timeout=timeout)
            if not done:
                self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):  # noqa: BLE001 - stopping either way
                pass
            self._task = None
            try:
                released = await asyncio.wait_for(asyncio.to_thread(self.inbox.release, self.owner), timeout)
            except _STOP_ERRORS as exc:
                log.warning("inbox: claims not given back at stop (%s); they run out by themselves", type(exc).__name__)
            else:
                if released:
                    log.info("inbox: %d claimed events left for the next worker", released)
        if self._deliveries:
            await asyncio.wait(self._deliveries, timeout=timeout)

    async def settled(self, timeout: float = 5.0) -> bool:
        """Wait until the inbox is empty and every reply has been attempted (tests use it to know "done")."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self._draining and not self._wake.is_set() and self.waiting == 0 and not self._deliveries:
                return True
            await asyncio.sleep(0.01)
        return False

    def problems(self) -> list[str]:
        """What makes /healthz degraded: the database refusing the events' writes (at once), events
        acknowledged but not applied for a while."""
        figures = self.figures
        if figures.failing_reason is not None:
            return [f"database cannot be written ({figures.failing_reason}); {figures.waiting} webhook events wait"]
        if not figures.waiting or not figures.oldest:
            return []
        age = (datetime.now(UTC) - datetime.fromisoformat(figures.oldest)).total_seconds()
        if age < STALE_AFTER:
            return []
        return [f"{figures.waiting} webhook events wait to be applied (oldest {age:.0f} s)"]

    # ------------------------------------------------------------------ the loop

    async def _run(self) -> None:
        backoff = 0.0
        wait = 0.0
        loop = asyncio.get_running_loop()
        while not self._stopping.is_set():
            # After a failure, wait the backoff unless new events arrive (a redelivery after the database
            # came back is applied at once); otherwise wait for a wake-up or the next look.
            try:
                await asyncio.wait_for(self._wake.wait(), wait or IDLE_CHECK)
            except TimeoutError:
                pass
            if self._stopping.is_set():
                return
            self._wake.clear()
            self._draining = True
            try:
                outcome = await loop.run_in_executor(self.executor, self._round.run)
            except Exception as exc:  # noqa: BLE001 - a bug in a round must not end the worker for good
                log.error("inbox: a round failed (%s); tried again", type(exc).__name__)
                outcome = RoundOutcome(more=False, failed=True, deferred=False)
            finally:
                self._draining = False
            if outcome.failed:
                backoff = wait = min(max(backoff * 2, 0.2), MAX_BACKOFF)
            else:
                backoff = 0.0
                wait = DEFERRED_CHECK if outcome.deferred else 0.0
                if outcome.more:
                    self._wake.set()

    def arrived(self, count: int) -> None:
        """Events were acknowledged (on the event loop): counted as waiting until the next round says."""
        self._backlog_changed(self.waiting + count)

    def _backlog_changed(self, waiting: int) -> None:
        self.figures.waiting = waiting
        if waiting <= BACKLOG:
            self.drained.set()
        else:
            self.drained.clear()

    def _backlog_measured(self, waiting: int) -> None:
        """A round counted the waiting events (on the database thread): the loop takes the count."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._backlog_changed, waiting)

    def _deliver_all(self, results: list[Any]) -> None:
        """A round's answers (on the database thread), each delivered on the event loop (handed over in
        one call: each wake-up of the loop from this thread costs a write to its self-pipe)."""
        if results and self._loop is not None:
            self._loop.call_soon_threadsafe(self._spawn_deliveries, results)

    def _spawn_deliveries(self, results: list[Any]) -> None:
        for result in results:
            self._spawn_delivery(result)

    def deliver_soon(self, result: Any) -> None:
        """Deliver a result that did not come from this worker's round (on the event loop)."""
        self._spawn_delivery(result)

    def _spawn_delivery(self, result: Any) -> None:
        task = asyncio.ensure_future(self.deliver(result))
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)


def worker_name(port: int) -> str:
    """The name a worker claims inbox events under: this machine and the instance's port.

    Stable across restarts on purpose: an instance killed mid-round and started again takes its own
    claims back at once instead of waiting for their lease. Two live instances on one machine never
    share a port; with port 0 (any free port) the process id tells them apart instead.
    """
    # A worker process of several on one port (BOT_WORKERS) adds its number.
    worker = os.environ.get("BOT_WORKER_INDEX")
    return f"{socket.gethostname()}:{port or f'pid{os.getpid()}'}{f'/w{worker}' if worker else ''}"


class Intake:
    """Writes webhook deliveries to the inbox; deliveries arriving together share one commit.

    Each commit waits for the disk (the 200 means "durable"), so under load one transaction per
    request would make the disk the bottleneck; a delivery that arrives while a commit is under way
    joins the next one instead (group commit). Each caller still learns whether its own events are durable.
    """

    def __init__(self, inbox: Inbox, platform: str, executor: Executor) -> None:
        self.inbox = inbox
        self.platform = platform
        self.executor = executor
        self._queue: list[tuple[list[Arrival], asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        # Why the last write failed ("OperationalError: database or disk is full"), until a write or a
        # probe succeeds again: /healthz is 503 meanwhile.
        self.failing: str | None = None
        self._probe: asyncio.Task[None] | None = None

    def problems(self) -> list[str]:
        """What makes /healthz degraded: the inbox refusing writes (every webhook answers 500)."""
        return [f"inbox cannot be written ({self.failing})"] if self.failing else []

    def _failed(self, exc: BaseException) -> None:
        # The webhook logs the failure itself (it answers 500); here it only becomes a /healthz reason.
        self.failing = f"{type(exc).__name__}: {exc}"
        if self._probe is None:
            self._probe = asyncio.create_task(self._probe_until_written())

    def _written(self) -> None:
        if self.failing is not None:
            log.info("inbox: can be written again")
        self.failing = None

    async def _probe_until_written(self) -> None:
        """While the inbox refuses writes, try a tiny durable write every second (no webhook needs to
        come for /healthz to see the inbox back)."""
        loop = asyncio.get_running_loop()
        try:
            while self.failing is not None:
                await asyncio.sleep(PROBE_EVERY)
                try:
                    await asyncio.wait_for(loop.run_in_executor(self.executor, self.inbox.probe), PROBE_EVERY * 2)
                except Exception as exc:  # noqa: BLE001 - still failing: say why in /healthz
                    if self.failing is not None:
                        self.failing = f"{type(exc).__name__}: {exc}"
                else:
                    self._written()
        finally:
            self._probe = None

    def close(self) -> None:
        """Stop probing (the door is closing)."""
        if self._probe is not None:
            self._probe.cancel()

    async def put(self, arrivals: list[Arrival], timeout: float) -> None:
        """Return once the events are on disk; raise TimeoutError or the database error otherwise."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        # A caller that gave up (timeout) no longer reads the outcome: mark it retrieved.
        done.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._queue.append((arrivals, done))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write())
        await asyncio.wait_for(asyncio.shield(done), timeout)

    async def _write(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._queue:
                batch, self._queue = self._queue, []
                rows = [a for arrivals, _ in batch for a in arrivals]
                try:
                    await loop.run_in_executor(self.executor, self.inbox.put, self.platform, rows, datetime.now(UTC))
                except Exception as exc:  # noqa: BLE001 - every caller of the batch gets the error
                    if isinstance(exc, DATABASE_ERRORS):
                        self._failed(exc)
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                else:
                    self._written()
                    for _, done in batch:
                        if not done.done():
                            done.set_result(None)
        finally:
            self._writer = None
