"""APScheduler only wakes the dispatcher; it holds no reminder state of its own.

One date job is armed at the next due time (re-armed after every run and whenever reminders
change), plus a short interval tick as a safety net. A restart rebuilds everything from the
database: the first wake happens at start-up and sends whatever fell due while the bot was down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.delivery.dispatcher import Dispatcher
from storage import DATABASE_ERRORS

log = logging.getLogger(__name__)


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
        self.on_start: list[Callable[[], None]] = []  # more jobs to add once the scheduler exists

    def start(self) -> None:
        """Recover interrupted sends, start the scheduler (inside the running loop), wake once now."""
        self.dispatcher.recover()
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
        """(Re-)arm the date job at ``when`` or at the next due send."""
        if self.scheduler is None:
            return
        when = when or self.dispatcher.next_due()
        if when is None:
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
        task = asyncio.ensure_future(self._wake())
        self._runs.add(task)
        task.add_done_callback(self._runs.discard)

    async def _wake(self) -> None:
        try:
            await self.dispatcher.run_due()
            self.arm()
        except asyncio.CancelledError:
            # The process is exiting mid-dispatch: claimed sends are put back at the next start.
            log.info("dispatch interrupted by shutdown")
        except DATABASE_ERRORS as exc:
            # An operating condition (locked, full, read-only database): one line, the next tick retries.
            log.error("dispatch failed: database unavailable (%s: %s)", type(exc).__name__, exc)
        except Exception:  # noqa: BLE001 - keep the scheduler alive; the tick will try again
            log.exception("dispatch failed")

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
