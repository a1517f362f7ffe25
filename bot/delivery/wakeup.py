"""APScheduler only wakes the dispatcher; it holds no reminder state of its own.

One date job is armed at the next due time (re-armed after every run and whenever reminders
change), plus a short interval tick as a safety net. A restart rebuilds everything from the
database: the first wake happens at start-up and sends whatever fell due while the bot was down.

Nothing here touches the database on the event loop: recovering interrupted sends is part of the
first dispatch (on a worker thread), and the next due time is read off the loop too. A database that
is unavailable (locked by another process, full) is said once when it starts and once when it ends;
meanwhile the dispatch is tried again with a short backoff, and start-up never fails for it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery.dispatcher import Dispatcher
from storage import DATABASE_ERRORS

log = logging.getLogger(__name__)
# Seconds before a dispatch that met an unavailable database is tried again (doubling up to the cap,
# and never later than the tick).
RETRY_FIRST = 1.0
RETRY_CAP = 30.0


class _NoShutdownCancellation(logging.Filter):
    """APScheduler reports a job task cancelled by the loop's shutdown as an error; it is not one."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, asyncio.CancelledError)


logging.getLogger("apscheduler.executors.default").addFilter(_NoShutdownCancellation())


class Wakeup:
    """Arms APScheduler jobs that call :meth:`Dispatcher.run_due`."""

    def __init__(
        self,
        dispatcher: Dispatcher,
        tick_seconds: float = 30.0,
        housekeeping: Callable[[], None] | None = None,
        housekeeping_seconds: float = 3600.0,
    ) -> None:
        self.dispatcher = dispatcher
        self.tick_seconds = tick_seconds
        self.housekeeping = housekeeping
        self.housekeeping_seconds = housekeeping_seconds
        self.scheduler: AsyncIOScheduler | None = None
        self._runs: set[asyncio.Task[None]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.on_start: list[Callable[[], None]] = []  # more jobs to add once the scheduler exists
        # Since when (monotonic) dispatches meet an unavailable database, and how long to wait next.
        self.unavailable_since: float | None = None
        self._retry = RETRY_FIRST

    def start(self) -> None:
        """Start the scheduler (inside the running loop) and wake once now.

        The first wake recovers sends a stopped process left claimed and sends what fell due while the
        bot was down, on a worker thread: a locked database delays it, never start-up itself.
        """
        self._loop = asyncio.get_running_loop()
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.scheduler.add_job(
            self._wake_job, "interval", seconds=self.tick_seconds, id="tick", coalesce=True, max_instances=1
        )
        if self.housekeeping is not None:
            self.scheduler.add_job(
                self._housekeeping, "interval", seconds=self.housekeeping_seconds, id="housekeeping",
                next_run_time=datetime.now(UTC), coalesce=True, max_instances=1,
            )  # fmt: skip
        for add_jobs in self.on_start:
            add_jobs()
        self.scheduler.start()
        self.arm(datetime.now(UTC))

    def every(self, seconds: float, job: Callable[[], Awaitable[None]], job_id: str) -> None:
        """Run a coroutine function every ``seconds`` (after :meth:`start`), e.g. WAL checkpoints."""
        if self.scheduler is not None:
            self.scheduler.add_job(job, "interval", seconds=seconds, id=job_id, coalesce=True, max_instances=1)

    async def _housekeeping(self) -> None:
        # Off the loop: deleting old rows may wait for the database, and the doors must not.
        try:
            if self.housekeeping is not None:
                await asyncio.to_thread(self.housekeeping)
        except DATABASE_ERRORS as exc:
            # A busy, full or read-only database: the next round (hourly) tries again.
            log.warning("housekeeping skipped: database unavailable (%s: %s)", type(exc).__name__, exc)
        except Exception:  # noqa: BLE001 - retention must not stop delivery
            log.exception("housekeeping failed")

    def arm(self, when: datetime | None = None) -> None:
        """(Re-)arm the date job at ``when`` or at the next due send.

        Looking up the next due send reads the database: on the event loop it is done on a worker
        thread (the loop must never wait for a lock); a caller on another thread (a turn that changed
        reminders) reads it right there.
        """
        if self.scheduler is None:
            return
        if when is None:
            if self._on_loop():
                self._track(self._arm_next())
                return
            try:
                when = self.dispatcher.next_due()
            except DATABASE_ERRORS:
                return  # the tick, or the retry after the outage, finds it
        if when is None:
            return
        self._arm_at(when)

    def _on_loop(self) -> bool:
        try:
            return asyncio.get_running_loop() is self._loop
        except RuntimeError:
            return False

    async def _arm_next(self) -> None:
        try:
            when = await asyncio.to_thread(self.dispatcher.next_due)
        except DATABASE_ERRORS:
            return  # the tick, or the retry after the outage, finds it
        if when is not None:
            self._arm_at(when)

    def _arm_at(self, when: datetime) -> None:
        if self.scheduler is None:
            return
        # misfire_grace_time=None: a wake that comes late still runs (the default would drop it).
        self.scheduler.add_job(
            self._wake_job,
            "date",
            run_date=max(when, datetime.now(UTC)) + timedelta(milliseconds=5),
            id="due",
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    async def _wake_job(self) -> None:
        """What APScheduler runs: start a tracked dispatch and return at once, so that stopping can
        wait for the dispatch itself instead of cancelling the scheduler's job mid-way."""
        self._track(self._wake())

    def _track(self, coro: Awaitable[None]) -> None:
        task = asyncio.ensure_future(coro)
        self._runs.add(task)
        task.add_done_callback(self._runs.discard)

    async def _wake(self) -> None:
        try:
            await self.dispatcher.run_due()
            when = await asyncio.to_thread(self.dispatcher.next_due)
        except asyncio.CancelledError:
            # The process is exiting mid-dispatch: claimed sends are put back at the next start.
            log.info("dispatch interrupted by shutdown")
        except DATABASE_ERRORS as exc:
            self._unavailable(exc)
        except Exception:  # noqa: BLE001 - keep the scheduler alive; the tick will try again
            log.exception("dispatch failed")
        else:
            if self.unavailable_since is not None:
                log.info("dispatch: database available again after %.0f s", time.monotonic() - self.unavailable_since)
                self.unavailable_since = None
                self._retry = RETRY_FIRST
            if when is not None:
                self._arm_at(when)

    def _unavailable(self, exc: BaseException) -> None:
        """An operating condition (locked, full, read-only database): said once, tried again soon."""
        if self.unavailable_since is None:
            self.unavailable_since = time.monotonic()
            log.warning(
                "dispatch: database unavailable (%s: %s); due reminders wait and are tried again until it answers",
                type(exc).__name__,
                exc,
            )
        self._arm_at(datetime.now(UTC) + timedelta(seconds=min(self._retry, self.tick_seconds)))
        self._retry = min(self._retry * 2, RETRY_CAP)

    async def wake_now(self) -> None:
        """Run the dispatcher at once (used right after a reminder was saved in the console)."""
        await self._wake()

    async def stop(self) -> None:
        """Stop waking, then let a dispatch in progress record its outcomes (a clean exit)."""
        self.shutdown()
        for _ in range(3):  # let job wrappers the scheduler already started hand over their run
            await asyncio.sleep(0)
        if self._runs:
            await asyncio.gather(*self._runs, return_exceptions=True)
        await self.dispatcher.idle()

    def shutdown(self) -> None:
        """Stop the scheduler without waiting for running jobs."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
