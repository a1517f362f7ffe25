"""Applies acknowledged webhook events from the durable inbox to the main database.

A webhook door stores each signed event in the inbox (:mod:`storage.inbox`) and answers 200; this
worker takes them in arrival order and hands each to the door's ``apply`` (run on the door's database
thread, never on the event loop). Order per user is kept because events are taken strictly in arrival
order and a database failure stops the round at the failing event: nothing behind it overtakes it.

* A database error (locked, full, read-only) keeps the event and retries it with capped backoff,
  for as long as it takes: the event was acknowledged, so it must be applied.
* Any other exception is a poisonous event: one log line with its id, and it is removed (never
  retried forever). The door's ``apply`` already answers such events politely where it can.
* The result of each applied event goes to the door's ``deliver`` on the event loop (a reply).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from datetime import UTC, datetime
from typing import Any

from storage import DATABASE_ERRORS
from storage.inbox import Arrival, Inbox, InboxItem

__all__ = ["Arrival", "InboxItem", "InboxWorker", "Intake"]

log = logging.getLogger(__name__)

BATCH = 100
MAX_BACKOFF = 5.0
IDLE_CHECK = 5.0  # seconds: look at the inbox now and then even without a wake-up (belt and braces)
STALE_AFTER = 30.0  # seconds: an event waiting longer than this makes /healthz degraded
# Seconds between WAL truncations of an empty inbox: often enough that an applied event's text does
# not linger, rarely enough that a steady stream of events is not slowed by a checkpoint per round.
TRUNCATE_EVERY = 2.0


class InboxWorker:
    """Drains one platform's events from the inbox, in order, until they are applied."""

    def __init__(
        self,
        inbox: Inbox,
        platform: str,
        apply: Callable[[InboxItem], Any],
        deliver: Callable[[Any], Awaitable[None]],
        executor: Executor,
    ) -> None:
        self.inbox = inbox
        self.platform = platform
        self.apply = apply
        self.deliver = deliver
        self.executor = executor
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._deliveries: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._draining = False
        self.waiting = 0
        self.oldest: str | None = None
        self.failing_since: float | None = None
        self._truncated_at = 0.0
        self.stats = {"applied": 0, "poisoned": 0, "retries": 0}

    def start(self) -> None:
        """Start draining (inside the running loop); events left by an earlier run are applied first."""
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run(), name=f"{self.platform}-inbox")
        self._wake.set()

    def wake(self) -> None:
        """New events are in the inbox."""
        self._wake.set()

    async def stop(self, timeout: float = 5.0) -> None:
        """Stop after the event being applied now; let started replies finish (bounded)."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
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
        """What makes /healthz degraded: events acknowledged but not applied for a while."""
        if not self.waiting or not self.oldest:
            return []
        age = (datetime.now(UTC) - datetime.fromisoformat(self.oldest)).total_seconds()
        if age < STALE_AFTER:
            return []
        return [f"{self.waiting} webhook events wait to be applied (oldest {age:.0f} s)"]

    # ------------------------------------------------------------------ the loop

    async def _run(self) -> None:
        backoff = 0.0
        loop = asyncio.get_running_loop()
        while True:
            # After a failure, wait the backoff unless new events arrive (a redelivery after the database
            # came back is applied at once); otherwise wait for a wake-up.
            try:
                await asyncio.wait_for(self._wake.wait(), backoff or IDLE_CHECK)
            except TimeoutError:
                pass
            self._wake.clear()
            self._draining = True
            try:
                more, failed = await loop.run_in_executor(self.executor, self._drain)
            finally:
                self._draining = False
            if failed:
                backoff = min(max(backoff * 2, 0.2), MAX_BACKOFF)
            else:
                backoff = 0.0
                if more:
                    self._wake.set()

    def _drain(self) -> tuple[bool, bool]:
        """One round on the database thread: apply waiting events in order. Returns (more, failed)."""
        try:
            items = self.inbox.pending(self.platform, BATCH)
        except sqlite3.Error as exc:
            log.error("inbox: cannot be read (%s); retrying", type(exc).__name__)
            return False, True
        if items:
            # Known before applying: while the main database stalls the first event, /healthz already
            # sees what waits and since when.
            self.waiting = max(self.waiting, len(items))
            self.oldest = items[0].received_at
        failed = False
        applied: list[int] = []
        for item in items:
            if not self._apply_one(item):
                failed = True
                break
            applied.append(item.seq)
        # Removed together at the end of the round: one commit instead of one per event. A crash before
        # it only means applying them again, which the main database's event-id dedup makes a no-op.
        if applied:
            self._safely(self.inbox.done, *applied)
        try:
            self.waiting, self.oldest = self.inbox.backlog()
            if not self.waiting and time.monotonic() - self._truncated_at > TRUNCATE_EVERY:
                self._truncated_at = time.monotonic()
                self.inbox.truncate_if_empty()
        except sqlite3.Error:
            pass  # only the health figures and the tidy-up: the next round does them again
        return len(items) == BATCH and not failed, failed

    def _apply_one(self, item: InboxItem) -> bool:
        """Apply one event; False when the database failed and the round must stop here (a poisonous
        event is removed here at once, so that no later failure of the round can bring it back)."""
        try:
            result = self.apply(item)
        except DATABASE_ERRORS as exc:
            # An operating condition (locked, full, read-only), not the event's fault: keep it.
            self.stats["retries"] += 1
            if self.failing_since is None:
                self.failing_since = time.monotonic()
                log.error(
                    "event %s: database unavailable (%s: %s); acknowledged events wait in the inbox and are retried",
                    item.event_id or f"#{item.seq}",
                    type(exc).__name__,
                    exc,
                )
            self._safely(self.inbox.failed, item.seq, type(exc).__name__)
            return False
        except Exception as exc:  # noqa: BLE001 - one poisonous event must not block the ones behind it
            self.stats["poisoned"] += 1
            log.error(
                "event %s: could not be applied (%s); dropped", item.event_id or f"#{item.seq}", type(exc).__name__
            )
            self._safely(self.inbox.done, item.seq)
            return True
        if self.failing_since is not None:
            log.info("inbox: database available again after %.0f s", time.monotonic() - self.failing_since)
            self.failing_since = None
        self.stats["applied"] += 1
        if result is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._spawn_delivery, result)
        return True

    @staticmethod
    def _safely(step: Callable[..., None], *args: Any) -> None:
        # The inbox's own bookkeeping failing (its disk full) must not stop the round: an event that
        # stays is applied again later, and the main database's event-id dedup makes that a no-op.
        try:
            step(*args)
        except sqlite3.Error as exc:
            log.error("inbox: bookkeeping failed (%s)", type(exc).__name__)

    def _spawn_delivery(self, result: Any) -> None:
        task = asyncio.ensure_future(self.deliver(result))
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)


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
                    for _, done in batch:
                        if not done.done():
                            done.set_exception(exc)
                else:
                    for _, done in batch:
                        if not done.done():
                            done.set_result(None)
        finally:
            self._writer = None
