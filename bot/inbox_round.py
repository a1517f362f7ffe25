"""One round of the inbox worker, on the main database's thread: claim, apply in order, remove, tidy.

A round claims up to :data:`BATCH` waiting events (whole users at a time, see :mod:`storage.inbox`)
and hands each to the door's ``apply`` in the order LINE sent them, inside one transaction of the
main database (one commit for many turns). A database failure stops the round at the failing event
and rolls the round back: nothing of that user behind it overtakes it, and the next rounds go one
event at a time until one succeeds, so that one user's failing event never holds back the others'
turns. The answers go to the worker once the round has committed; the applied events leave the
inbox together at the end of the round.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from storage import DATABASE_ERRORS
from storage.inbox import Claim, Inbox, InboxItem

# The round's lines are the inbox worker's: they keep its logger name, as before the round had a
# module of its own (an operator filtering on it sees all of the worker's lines).
log = logging.getLogger("bot.inbox_worker")

BATCH = 100
# Seconds a claim belongs to its worker; renewed during a long round. A killed instance's events are
# applied by another one after this long (well inside the minute a reply token lives).
CLAIM_LEASE = 20.0
# Seconds between WAL truncations of an empty inbox: often enough that an applied event's text does
# not linger, rarely enough that a steady stream of events is not slowed by a checkpoint per round.
TRUNCATE_EVERY = 2.0


@dataclass
class Figures:
    """What the rounds measure, for /healthz and the webhook's back-pressure.

    Written by the rounds on the database thread, and ``waiting`` by the webhook on the event loop too
    (a count of events acknowledged since, until the next round counts them again).
    """

    waiting: int = 0
    oldest: str | None = None  # when the oldest waiting event was received (ISO 8601)
    failing_since: float | None = None  # monotonic: since when the main database refuses the events
    # The database error that keeps events from being applied now ("OperationalError: database or
    # disk is full"), told by /healthz at once; None while events are applied.
    failing_reason: str | None = None
    stats: dict[str, int] = field(default_factory=lambda: {"applied": 0, "poisoned": 0, "retries": 0})


@dataclass(frozen=True, slots=True)
class RoundOutcome:
    """What a round tells the worker's loop: ``more`` to claim at once; ``failed``: a database failure
    (back off); ``deferred``: events wait for a user another worker is applying (look again soon)."""

    more: bool
    failed: bool
    deferred: bool


class _RoundFailed(Exception):
    """A round stops at an event the database refused (its transaction, if any, is rolled back)."""


class InboxRound:
    """Runs the worker's rounds, one at a time, on the main database's thread."""

    def __init__(
        self,
        inbox: Inbox,
        platform: str,
        owner: str,
        apply: Callable[[InboxItem], Any],
        batch: Callable[[], AbstractContextManager[Any]],
        figures: Figures,
        stopping: threading.Event,
        deliver: Callable[[list[Any]], None],
        measured: Callable[[int], None],
        between: Callable[[], None] = lambda: None,
    ) -> None:
        self.inbox = inbox
        self.platform = platform
        self.owner = owner
        self.apply = apply
        # One transaction of the main database around a round's turns.
        self.batch = batch
        self.figures = figures
        # Set by the worker's stop: the round ends after the event being applied.
        self.stopping = stopping
        # Hands answers to the event loop; tells it how many events wait after the round.
        self.deliver = deliver
        self.measured = measured
        # Run after a round's answers went out (the main database's WAL folded while no turn writes).
        self.between = between
        self._one_by_one = False  # after a failed round: one event at a time until one succeeds
        self._inbox_failing = False
        self._renewed_at = 0.0
        self._truncated_at = 0.0

    def run(self) -> RoundOutcome:
        """One round: claim waiting events and apply them in each user's order."""
        claim = self._claim()
        if claim is None:
            return RoundOutcome(more=False, failed=True, deferred=False)
        items = claim.items
        if items:
            # Known before applying: while the main database stalls the first event, /healthz already
            # sees what waits and since when (the time first: /healthz reads the count, then the time).
            self.figures.oldest = items[0].received_at
            self.figures.waiting = max(self.figures.waiting, len(items))
        applied, results, failed = self._apply_round(items)
        self._one_by_one = failed
        if not failed:
            self._database_back()
        self.deliver(results)
        # Removed together at the end of the round: one commit instead of one per event. A crash before
        # it only means applying them again, which the main database's event-id dedup makes a no-op.
        if applied:
            self._safely(self.inbox.done, *applied)
        self._tidy()
        return RoundOutcome(more=len(items) >= BATCH and not failed, failed=failed, deferred=claim.deferred > 0)

    def _claim(self) -> Claim | None:
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

    def _apply_round(self, items: list[InboxItem]) -> tuple[list[int], list[Any], bool]:
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
                    if self.stopping.is_set():
                        break  # a clean stop: the rest are given back and applied by the next worker
                    self._keep_claims()
                    ok, result = self._apply_one(item)
                    if not ok:
                        raise _RoundFailed
                    applied.append(item.seq)
                    if result is not None:
                        results.append(result)
                    if self._one_by_one:
                        self.deliver(results)
                        results = []
        except _RoundFailed:
            failed = True
        except DATABASE_ERRORS as exc:  # the round's transaction could not begin or commit
            failed = True
            self._database_failed(items[0], exc)
        if failed and batch is not nullcontext:
            return [], [], True  # rolled back together: applied again, one by one, next round
        return applied, results, failed

    def _apply_one(self, item: InboxItem) -> tuple[bool, Any]:
        """Apply one event: (False, None) when the database failed and the round must stop here (a
        poisonous event is removed here at once, so that no later failure of the round can bring it back)."""
        try:
            result = self.apply(item)
        except DATABASE_ERRORS as exc:
            self._database_failed(item, exc)
            return False, None
        except Exception as exc:  # noqa: BLE001 - one poisonous event must not block the ones behind it
            self.figures.stats["poisoned"] += 1
            log.error(
                "event %s: could not be applied (%s); dropped",
                item.event_id or f"#{item.seq}",
                type(exc).__name__,
                extra={"event_id": item.event_id, "user": item.user_key},
            )
            self._safely(self.inbox.done, item.seq)
            return True, None
        self.figures.stats["applied"] += 1
        return True, result

    def _tidy(self) -> None:
        """The health figures, the inbox file truncated when it has stayed empty a while, and the main
        database's WAL folded (here, between rounds: no turn of this process writes meanwhile)."""
        figures = self.figures
        try:
            figures.waiting, figures.oldest = self.inbox.backlog()
        except DATABASE_ERRORS:
            pass  # only the health figures: the next round counts again
        self.measured(figures.waiting)
        if figures.waiting:
            return  # events wait: they are applied first, the tidy-up waits for an idle moment
        try:
            # Only when nothing waits: a checkpoint here delays no event already acknowledged.
            self.between()
        except DATABASE_ERRORS:
            pass  # a full disk, a reader: the background checkpoint retries and tells /healthz
        try:
            if time.monotonic() - self._truncated_at > TRUNCATE_EVERY:
                self._truncated_at = time.monotonic()
                self.inbox.truncate_if_empty()
        except DATABASE_ERRORS:
            pass  # the next empty moment truncates it

    def _keep_claims(self) -> None:
        """Renew the claims when a third of the lease has gone (a slow database makes long rounds)."""
        if time.monotonic() - self._renewed_at > CLAIM_LEASE / 3:
            self._renewed_at = time.monotonic()
            self._safely(self.inbox.renew, self.owner, CLAIM_LEASE)

    def _database_failed(self, item: InboxItem, exc: BaseException) -> None:
        """An operating condition (locked, full, read-only), not the event's fault: keep it, say it once."""
        figures = self.figures
        figures.stats["retries"] += 1
        figures.failing_reason = f"{type(exc).__name__}: {exc}"
        if figures.failing_since is None:
            figures.failing_since = time.monotonic()
            log.error(
                "event %s: database unavailable (%s: %s); acknowledged events wait in the inbox and are retried",
                item.event_id or f"#{item.seq}",
                type(exc).__name__,
                exc,
                extra={"event_id": item.event_id, "user": item.user_key},
            )
        self._safely(self.inbox.failed, item.seq, type(exc).__name__)

    def _database_back(self) -> None:
        figures = self.figures
        if figures.failing_since is not None:
            log.info("inbox: database available again after %.0f s", time.monotonic() - figures.failing_since)
            figures.failing_since = None
            figures.failing_reason = None

    @staticmethod
    def _safely(step: Callable[..., None], *args: Any) -> None:
        # The inbox's own bookkeeping failing (its disk full) must not stop the round: an event that
        # stays is applied again later, and the main database's event-id dedup makes that a no-op.
        try:
            step(*args)
        except DATABASE_ERRORS as exc:
            log.error("inbox: bookkeeping failed (%s)", type(exc).__name__)
