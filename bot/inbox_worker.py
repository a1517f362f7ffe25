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
  :data:`CLAIM_LEASE` seconds, or are taken back at once by the instance restarting under its name.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from typing import Any

from storage import DATABASE_ERRORS
from storage.inbox import Arrival, Inbox, InboxItem, event_time

__all__ = ["Arrival", "InboxItem", "InboxWorker", "Intake", "event_time", "worker_name"]

log = logging.getLogger(__name__)
# What giving the claims back at a stop may meet: a slow or unavailable inbox.
_STOP_ERRORS: tuple[type[Exception], ...] = (TimeoutError, *DATABASE_ERRORS)

BATCH = 100
MAX_BACKOFF = 5.0
# Seconds between looks at the inbox without a wake-up: another instance sharing the file may have
# left events (it stopped, or it is busy and this one can help). A look at an empty inbox is one read.
IDLE_CHECK = 1.0
# Seconds before looking again when events wait for a user another worker is applying right now.
DEFERRED_CHECK = 0.05
# Seconds a claim belongs to its worker; renewed during a long round. A killed instance's events are
# applied by another one after this long (well inside the minute a reply token lives).
CLAIM_LEASE = 20.0
# Waiting events above which the webhook holds its acknowledgement a moment (at most ACK_HOLD seconds):
# LINE then sends the next events a little later instead of a queue growing that answers seconds late.
BACKLOG = 300
PROBE_EVERY = 1.0  # seconds between write probes of an inbox that refused a write
STALE_AFTER = 30.0  # seconds: an event waiting longer than this makes /healthz degraded
# Seconds between WAL truncations of an empty inbox: often enough that an applied event's text does
# not linger, rarely enough that a steady stream of events is not slowed by a checkpoint per round.
TRUNCATE_EVERY = 2.0


class _RoundFailed(Exception):
    """A round stops at an event the database refused (its transaction, if any, is rolled back)."""


class InboxWorker:
    """Drains one platform's events from the inbox, in order, until they are applied."""

    def __init__(
        self,
        inbox: Inbox,
        platform: str,
        apply: Callable[[InboxItem], Any],
        deliver: Callable[[Any], Awaitable[None]],
        executor: Executor,
        owner: str = "",
        batch: Callable[[], AbstractContextManager[Any]] | None = None,
    ) -> None:
        self.inbox = inbox
        self.platform = platform
        self.apply = apply
        self.deliver = deliver
        self.executor = executor
        # One transaction of the main database around a round's turns (one commit for many turns); the
        # answers go out once it has committed. After a failed round, rounds go one event at a time until
        # one succeeds, so that one user's failing event never holds back the others' turns.
        self.batch = batch or nullcontext
        self._one_by_one = False
        # Set (on the event loop) while few events wait; the webhook waits for it a moment before it
        # acknowledges more (back-pressure: a burst waits at the door, not in a growing queue).
        self.drained = asyncio.Event()
        self.drained.set()
        # The name this worker claims events under (see worker_name): stable across restarts.
        self.owner = owner or worker_name(0)
        self._stopping = False
        self._inbox_failing = False
        self._renewed_at = 0.0
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._deliveries: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._draining = False
        self.waiting = 0
        self.oldest: str | None = None
        self.failing_since: float | None = None
        # The database error that keeps events from being applied now ("OperationalError: database or
        # disk is full"), told by /healthz at once; None while events are applied.
        self.failing_reason: str | None = None
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
        """Stop after the event being applied now, give the claims back, let started replies finish
        (each bounded by ``timeout``)."""
        self._stopping = True
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
        if self.failing_reason is not None:
            return [f"database cannot be written ({self.failing_reason}); {self.waiting} webhook events wait"]
        if not self.waiting or not self.oldest:
            return []
        age = (datetime.now(UTC) - datetime.fromisoformat(self.oldest)).total_seconds()
        if age < STALE_AFTER:
            return []
        return [f"{self.waiting} webhook events wait to be applied (oldest {age:.0f} s)"]

    # ------------------------------------------------------------------ the loop

    async def _run(self) -> None:
        backoff = 0.0
        wait = 0.0
        loop = asyncio.get_running_loop()
        while not self._stopping:
            # After a failure, wait the backoff unless new events arrive (a redelivery after the database
            # came back is applied at once); otherwise wait for a wake-up or the next look.
            try:
                await asyncio.wait_for(self._wake.wait(), wait or IDLE_CHECK)
            except TimeoutError:
                pass
            if self._stopping:
                return
            self._wake.clear()
            self._draining = True
            try:
                more, failed, deferred = await loop.run_in_executor(self.executor, self._drain)
            except Exception as exc:  # noqa: BLE001 - a bug in a round must not end the worker for good
                log.error("inbox: a round failed (%s); tried again", type(exc).__name__)
                more, failed, deferred = False, True, False
            finally:
                self._draining = False
            if failed:
                backoff = wait = min(max(backoff * 2, 0.2), MAX_BACKOFF)
            else:
                backoff = 0.0
                wait = DEFERRED_CHECK if deferred else 0.0
                if more:
                    self._wake.set()

    def _drain(self) -> tuple[bool, bool, bool]:
        """One round on the database thread: claim waiting events and apply them in each user's order.

        Returns (more, failed, deferred): more to claim at once; a database failure (back off);
        events waiting for a user another worker is applying (look again soon).
        """
        claim = self._claim()
        if claim is None:
            return False, True, False
        items = claim.items
        if items:
            # Known before applying: while the main database stalls the first event, /healthz already
            # sees what waits and since when (the time first: /healthz reads the count, then the time).
            self.oldest = items[0].received_at
            self.waiting = max(self.waiting, len(items))
        applied, results, failed = self._apply_round(items)
        self._one_by_one = failed
        if not failed:
            self._database_back()
        self._deliver_all(results)
        # Removed together at the end of the round: one commit instead of one per event. A crash before
        # it only means applying them again, which the main database's event-id dedup makes a no-op.
        if applied:
            self._safely(self.inbox.done, *applied)
        self._tidy()
        return len(items) >= BATCH and not failed, failed, claim.deferred > 0

    def _claim(self) -> Any:
        """The events this worker may apply now (None: the inbox cannot be read; said once per outage)."""
        try:
            claim = self.inbox.claim(self.platform, self.owner, BATCH, CLAIM_LEASE)
        except DATABASE_ERRORS as exc:
            if not self._inbox_failing:  # once per outage, not once per attempt
                self._inbox_failing = True
                log.error("inbox: cannot be read (%s: %s); retrying", type(exc).__name__, exc)
            return None
        if self._inbox_failing:
            self._inbox_failing = False
            log.info("inbox: readable again")
        self._renewed_at = time.monotonic()
        return claim

    def _apply_round(self, items: list[Any]) -> tuple[list[int], list[Any], bool]:
        """Apply the claimed events (one transaction for the round unless a round failed before):
        the sequence numbers applied, the answers to deliver, and whether the round failed."""
        failed = False
        applied: list[int] = []
        results: list[Any] = []
        # No transaction for a round with nothing to apply (most rounds: the idle looks).
        batch = nullcontext if self._one_by_one or not items else self.batch
        try:
            with batch():
                for item in items:
                    if self._stopping:
                        break  # a clean stop: the rest are given back and applied by the next worker
                    self._keep_claims()
                    ok, result = self._apply_one(item)
                    if not ok:
                        raise _RoundFailed
                    applied.append(item.seq)
                    if result is not None:
                        results.append(result)
                    if self._one_by_one:
                        self._deliver_all(results)
                        results = []
        except _RoundFailed:
            failed = True
        except DATABASE_ERRORS as exc:  # the round's transaction could not begin or commit
            failed = True
            self._database_failed(items[0], exc)
        if failed and batch is not nullcontext:
            return [], [], True  # rolled back together: applied again, one by one, next round
        return applied, results, failed

    def _tidy(self) -> None:
        """The health figures, and the inbox file truncated when it has stayed empty a while."""
        try:
            self.waiting, self.oldest = self.inbox.backlog()
            if not self.waiting and time.monotonic() - self._truncated_at > TRUNCATE_EVERY:
                self._truncated_at = time.monotonic()
                self.inbox.truncate_if_empty()
        except DATABASE_ERRORS:
            pass  # only the health figures and the tidy-up: the next round does them again
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._backlog_changed, self.waiting)

    def arrived(self, count: int) -> None:
        """Events were acknowledged (on the event loop): counted as waiting until the next round says."""
        self._backlog_changed(self.waiting + count)

    def _backlog_changed(self, waiting: int) -> None:
        self.waiting = waiting
        if waiting <= BACKLOG:
            self.drained.set()
        else:
            self.drained.clear()

    def _deliver_all(self, results: list[Any]) -> None:
        if results and self._loop is not None:
            for result in results:
                self._loop.call_soon_threadsafe(self._spawn_delivery, result)

    def _keep_claims(self) -> None:
        """Renew the claims when a third of the lease has gone (a slow database makes long rounds)."""
        if time.monotonic() - self._renewed_at > CLAIM_LEASE / 3:
            self._renewed_at = time.monotonic()
            self._safely(self.inbox.renew, self.owner, CLAIM_LEASE)

    def _database_failed(self, item: InboxItem, exc: BaseException) -> None:
        """An operating condition (locked, full, read-only), not the event's fault: keep it, say it once."""
        self.stats["retries"] += 1
        self.failing_reason = f"{type(exc).__name__}: {exc}"
        if self.failing_since is None:
            self.failing_since = time.monotonic()
            log.error(
                "event %s: database unavailable (%s: %s); acknowledged events wait in the inbox and are retried",
                item.event_id or f"#{item.seq}",
                type(exc).__name__,
                exc,
                extra={"event_id": item.event_id, "user": item.user_key},
            )
        self._safely(self.inbox.failed, item.seq, type(exc).__name__)

    def _database_back(self) -> None:
        if self.failing_since is not None:
            log.info("inbox: database available again after %.0f s", time.monotonic() - self.failing_since)
            self.failing_since = None
            self.failing_reason = None

    def _apply_one(self, item: InboxItem) -> tuple[bool, Any]:
        """Apply one event: (False, None) when the database failed and the round must stop here (a
        poisonous event is removed here at once, so that no later failure of the round can bring it back)."""
        try:
            result = self.apply(item)
        except DATABASE_ERRORS as exc:
            self._database_failed(item, exc)
            return False, None
        except Exception as exc:  # noqa: BLE001 - one poisonous event must not block the ones behind it
            self.stats["poisoned"] += 1
            log.error(
                "event %s: could not be applied (%s); dropped",
                item.event_id or f"#{item.seq}",
                type(exc).__name__,
                extra={"event_id": item.event_id, "user": item.user_key},
            )
            self._safely(self.inbox.done, item.seq)
            return True, None
        self.stats["applied"] += 1
        return True, result

    @staticmethod
    def _safely(step: Callable[..., None], *args: Any) -> None:
        # The inbox's own bookkeeping failing (its disk full) must not stop the round: an event that
        # stays is applied again later, and the main database's event-id dedup makes that a no-op.
        try:
            step(*args)
        except DATABASE_ERRORS as exc:
            log.error("inbox: bookkeeping failed (%s)", type(exc).__name__)

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
