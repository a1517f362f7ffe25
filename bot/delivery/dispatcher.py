"""The dispatcher: claim due sends, send them through the platform's sender, record the outcome.

Claim -> send -> mark. A claimed row is "sending" until its outcome is recorded; a crash in between
leaves it "sending", and :meth:`Dispatcher.recover` (at start-up) makes it pending again so it is
retried with the same key. Transient errors are retried with exponential backoff and jitter, then
marked failed with the reason; permanent errors are recorded and never retried.

A send the platform holds (LINE's monthly message limit) is neither failed nor retried: it becomes
"held" until the date the platform gave (the 1st of next month), a delivery note
(``held:<send id>``) lets the user's next reply carry the reminder itself, and a repeating
reminder's chain moves on. On that date a held send the user has not seen yet goes back to pending,
and is sent if it is still useful (else skipped).

A user who asks to be forgotten while a batch with their sends is running loses those sends, and
nobody else's: a send of theirs not yet made is not made (told at once by :meth:`Dispatcher.forget`
in this process; a send that waited over a second for its turn looks again whether its row still
exists, which covers a forget on another instance), and the outcome of one already made is dropped
with the rows it would have been recorded on, while the rest of the batch is recorded as usual.
"""

from __future__ import annotations

import asyncio
import logging
import random
import threading
import time as systime
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.diagnosis.flow import Flow
from bot.core.export.view import HELD_NOTE_PREFIX
from bot.core.reminders.kinds import fire_message, kind_of
from bot.core.reminders.model import ReminderView
from bot.core.situation import previews
from bot.delivery.planner import Planner
from bot.delivery.senders import Sender, SendResult
from bot.metrics import Metrics
from storage import DATABASE_ERRORS, StorePort
from storage.reminders import Claimed, from_iso, iso

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff with jitter: base * 2^(attempt-1), capped, times 0.5-1.5.

    A send is retried for as long as its reminder is still useful (:func:`useful_until`); the
    attempt limit is only a safety net.
    """

    base: float = 5.0
    cap: float = 1800.0
    max_attempts: int = 200

    def delay(self, attempts: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait before the next attempt."""
        backoff = min(self.base * 2 ** min(max(attempts - 1, 0), 30), self.cap) * rng.uniform(0.5, 1.5)
        # A server's Retry-After is honoured up to a bound: a huge or garbled one must not park a
        # reminder for days (or overflow a date).
        wait = retry_after if retry_after is not None and retry_after == retry_after else 0.0  # NaN -> 0
        return max(backoff, min(max(wait, 0.0), MAX_RETRY_AFTER))


MAX_RETRY_AFTER = 3600.0
NOTE_REMINDER_FAILED = "reminder_failed"
# The outcome of a send whose user was forgotten before it was made (never recorded: the rows are gone).
FORGOTTEN = "forgotten"
# Seconds a send may wait for its turn in a batch (rate limit, concurrency) before it checks that its
# row still exists: a forget on another instance meanwhile deleted it.
RECHECK_AFTER = 1.0
# A held send's delivery note: the prefix and the outbox row's id (the reply shows that reminder).
NOTE_HELD = HELD_NOTE_PREFIX
HELD_ERROR = "held: monthly message limit"
# How long a claimed send belongs to the process that claimed it (far longer than one send takes).
CLAIM_LEASE = timedelta(minutes=2)


def useful_until(row: Claimed) -> datetime:
    """Until when a send is still worth retrying: a repayment until the end of its due date, the
    evening-before message until the visit, a visit a few hours after its time, others half a day."""
    reminder = row.reminder
    tz = ZoneInfo(reminder["tz"])
    due = from_iso(row.due_at)
    if row.real_due:
        return datetime.combine(date.fromisoformat(row.real_due) + timedelta(days=1), time(0, 0), tz)
    if row.slot == "eve" and reminder.get("at"):
        return from_iso(reminder["at"])
    return due + kind_of(reminder["kind"]).useful_for


class RateLimiter:
    """A token bucket: at most ``rate`` sends per second on average (bursts up to one second's worth)."""

    def __init__(self, rate: float | None) -> None:
        self.rate = rate
        self._tokens = 1.0 if rate else 0.0  # start nearly empty: no burst above the rate at start-up
        self._last = systime.monotonic()

    async def wait(self) -> None:
        """Wait for one token."""
        if not self.rate:
            return
        while True:
            now = systime.monotonic()
            self._tokens = min(self.rate, self._tokens + (now - self._last) * self.rate)
            self._last = now
            if self._tokens >= 1:
                self._tokens -= 1
                return
            await asyncio.sleep((1 - self._tokens) / self.rate)


class Dispatcher:
    """Sends due reminders for the platforms it has senders for (optionally for one user only)."""

    def __init__(
        self,
        store: StorePort,
        flow: Flow,
        senders: dict[str, Sender],
        clock: Callable[[], datetime] | None = None,
        *,
        only_user: str | None = None,
        batch: int = 500,
        concurrency: int = 64,
        rate: float | None = None,
        policy: RetryPolicy | None = None,
        seed: int | None = None,
        metrics: Metrics | None = None,
        lease: timedelta = CLAIM_LEASE,
        flow_for: Callable[[str | None], Flow] | None = None,
    ) -> None:
        self.store = store
        self.flow = flow
        # The flow of the lender a reminder is about (its ``lender``); one flow: always ``flow``.
        self.flow_for = flow_for or (lambda lender: flow)
        self.senders = senders
        self.clock = clock or (lambda: datetime.now(UTC))
        self.only_user = only_user
        self.batch = batch
        self.lease = lease
        self.policy = policy or RetryPolicy()
        self.limiter = RateLimiter(rate)
        # The next send of a repayment chain follows its lender's rules (whether a due date moves).
        self.planner = Planner(store.reminders, lambda lender: self.flow_for(lender))
        self._semaphore = asyncio.Semaphore(concurrency)
        self._running = asyncio.Lock()
        self._rng = random.Random(seed)
        self.metrics = metrics
        # Users forgotten lately, (platform, platform user id) -> when (monotonic): sends of theirs claimed
        # before that moment are not made. A send claimed later belongs to whoever writes in anew.
        self._forgotten: dict[tuple[str, str], float] = {}
        self._forgotten_lock = threading.Lock()
        self._detailed: set[int] = set()  # users of the batch in flight who chose detailed previews

    @property
    def platforms(self) -> tuple[str, ...]:
        """The platforms this dispatcher sends for."""
        return tuple(sorted(self.senders))

    def recover(self) -> int:
        """Sends whose claim (lease) expired go back to pending, keeping their keys.

        Run at start-up and before every dispatch: a process killed mid-send leaves its claims, which
        are taken over once their lease expires; a claim another live process holds is left alone.
        """
        with self.store.transaction():
            count = self.store.reminders.recover(claimed_before=self.clock() - self.lease)
            released = self.store.reminders.release_held(self.clock())
        if released:
            log.info("%d held sends are due again (the platform's quota period has turned)", released)
        if count:
            log.warning("recovered %d sends whose claim expired (a process stopped mid-send)", count)
        return count

    def next_due(self) -> datetime | None:
        """When the next pending send for our platforms falls due."""
        with self.store.locked():
            return self.store.reminders.next_due(self.platforms)

    def forget(self, platform: str, platform_user_id: str) -> None:
        """A user's data was deleted: sends of theirs in the running batch are not made (thread-safe:
        a set add). Their rows are gone already; only what is in flight in this process remains."""
        with self._forgotten_lock:
            self._forgotten[(platform, platform_user_id)] = systime.monotonic()

    async def idle(self) -> None:
        """Return once no dispatch is in progress."""
        async with self._running:
            return

    async def run_due(self) -> int:
        """Send everything due now, batch after batch; return how many sends were processed."""
        if not self.senders:
            return 0
        async with self._running:
            total = 0
            await asyncio.to_thread(self.recover)
            while True:
                now = self.clock()
                # Database work runs off the loop: a database locked by another process must not
                # stall the webhook and the other doors while SQLite waits for it.
                claimed_at = systime.monotonic()
                claimed = await asyncio.to_thread(self._claim, now)
                if not claimed:
                    self._forget_old(claimed_at)
                    return total
                outcomes = await asyncio.gather(*(self._one(c, now, claimed_at) for c in claimed))
                await asyncio.to_thread(self._record, claimed, outcomes)
                total += len(claimed)

    def _claim(self, now: datetime) -> list[Claimed]:
        with self.store.transaction():
            claimed = self.store.reminders.claim(now, self.batch, self.platforms, self.only_user)
            # Whose notifications may show what the reminder is about (their choice; else discreet).
            users = {row.user_id for row in claimed}
            self._detailed = {u for u in users if self.store.load_situation(u).get(previews.FACT) is True}
            return claimed

    def _forget_old(self, before: float) -> None:
        """Drop forgets older than any batch still running (none is, between runs)."""
        with self._forgotten_lock:
            for key in [k for k, at in self._forgotten.items() if at < before]:
                del self._forgotten[key]

    def _forgotten_since(self, row: Claimed, claimed_at: float) -> bool:
        with self._forgotten_lock:
            return self._forgotten.get((row.platform, row.platform_user_id), -1.0) >= claimed_at

    async def _still_there(self, row: Claimed, claimed_at: float) -> bool:
        """After a long wait in the batch: whether the send's row still exists (one read, off the loop)."""
        if systime.monotonic() - claimed_at < RECHECK_AFTER:
            return True

        def look() -> bool:
            with self.store.locked():
                return row.id in self.store.reminders.still_there([row.id], lock=False)

        try:
            return await asyncio.to_thread(look)
        except DATABASE_ERRORS:
            return True  # cannot tell: send (recording it finds out)

    async def _one(self, row: Claimed, now: datetime, claimed_at: float) -> SendResult | str:
        reminder = row.reminder
        if reminder["status"] not in ("active", "sent"):
            return "cancelled"
        tz = ZoneInfo(reminder["tz"])
        real_due = date.fromisoformat(row.real_due) if row.real_due else None
        if real_due is not None and row.slot != "snooze" and real_due < now.astimezone(tz).date():
            return "skipped"  # a repayment date that passed while the bot was down: plan the next one
        if (row.last_error or "").startswith(HELD_ERROR) and now > useful_until(row):
            return "skipped"  # held for the monthly limit until it was of no more use
        flow = self.flow_for(reminder.get("lender"))
        view = ReminderView.from_row(reminder, flow.repayment)
        detailed = row.user_id in self._detailed
        reply = fire_message(view, flow, from_iso(row.due_at), now, real_due, row.slot, detailed)
        async with self._semaphore:
            await self.limiter.wait()
            if self._forgotten_since(row, claimed_at) or not await self._still_there(row, claimed_at):
                return FORGOTTEN  # deleted while this batch waited its turn: nothing is sent
            try:
                result = await self.senders[row.platform].send(row.platform_user_id, reply, row.key)
            except Exception as exc:  # noqa: BLE001 - a sender bug must not stop the other sends
                result = SendResult("retry", error=type(exc).__name__)
        if self.metrics is not None:
            self.metrics.push(row.platform, result.status)
        return result

    def _record(self, claimed: list[Claimed], outcomes: list[SendResult | str]) -> None:
        now = self.clock()
        marks: list[tuple[str, str | None, str | None, int]] = []
        with self.store.transaction():
            # Rows deleted meanwhile (their user was forgotten) have nothing left to record on: a note
            # or a next send for them would refer to a user who is gone and fail the whole batch.
            present = self.store.reminders.still_there([row.id for row in claimed])
            for row, outcome in zip(claimed, outcomes, strict=True):
                if row.id not in present:
                    log.info(
                        "send %s (reminder %s): its user was forgotten meanwhile; nothing recorded",
                        row.key,
                        row.reminder_id,
                        extra={"send_key": row.key, "reminder_id": row.reminder_id},
                    )
                    continue
                status, next_at, error = self._decide(row, outcome, now)
                marks.append((status, next_at, error, row.id))
                if status != "retry":
                    self._after_send(row, status, now)
                if status == "held":
                    # Told with the user's next reply, reminder and all (a reply costs no quota).
                    self.store.notes.add(row.user_id, row.platform, f"{NOTE_HELD}{row.id}", now)
                if status in ("failed", "undeliverable", "retry"):
                    log.warning(
                        "send %s (reminder %s) %s: %s",
                        row.key,
                        row.reminder_id,
                        status,
                        error,
                        extra={"send_key": row.key, "reminder_id": row.reminder_id},
                    )
            self.store.reminders.mark_many([("pending" if s == "retry" else s, n, e, i) for s, n, e, i in marks], now)

    def _decide(self, row: Claimed, outcome: SendResult | str, now: datetime) -> tuple[str, str | None, str | None]:
        if isinstance(outcome, str):
            return ("cancelled" if outcome == FORGOTTEN else outcome), None, None
        if outcome.status == "sent":
            return "sent", None, None
        if outcome.status == "retry":
            delay = self.policy.delay(row.attempts, outcome.retry_after, self._rng)
            retry_at = now + timedelta(seconds=delay)
            if row.attempts >= self.policy.max_attempts:
                return "failed", None, f"gave up after {row.attempts} attempts: {outcome.error}"
            if retry_at > useful_until(row):
                # Too late to be of use: stop, and tell the user the next time they write.
                self.store.notes.add(row.user_id, row.platform, NOTE_REMINDER_FAILED, now)
                return "failed", None, f"no longer useful after {row.attempts} attempts: {outcome.error}"
            return "retry", iso(retry_at), outcome.error
        if outcome.status == "held":
            until = outcome.until or now + timedelta(days=1)
            return "held", iso(until), f"{HELD_ERROR} until {iso(until)}"
        return outcome.status, None, outcome.error

    def _after_send(self, row: Claimed, status: str, now: datetime) -> None:
        """What follows a send that is over (sent, skipped, failed, undeliverable, cancelled)."""
        # Read the reminder again: the user may have changed, cancelled or deleted it while the send
        # was in flight, and the copy read at claim time would plan from stale data.
        reminder = self.store.reminders.get(row.reminder_id)
        if reminder is None or reminder["status"] not in ("active", "sent"):
            return
        if reminder["revision"] != row.reminder["revision"]:
            return  # changed meanwhile: the change planned its own next send
        if kind_of(reminder["kind"]).repeats:
            if row.slot != "snooze":
                # Every outcome moves a monthly chain on: one failed month must not end the reminders.
                # From "now" when late: a due-day send that also fell due meanwhile is not sent twice.
                after = max(from_iso(row.due_at), now) if status == "sent" else from_iso(row.due_at)
                self.planner.plan_next(reminder, row.platform, row.platform_user_id, after)
        elif status == "sent" and row.slot in ("once", "snooze"):
            if not self.store.reminders.pending_for(reminder["id"]):
                self.store.reminders.set_status(reminder["id"], "sent", now, only_if="active")
