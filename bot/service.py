"""The chat service: load a user's state, run the core, store the outcome in one transaction.

Every door calls :meth:`ChatService.handle`. Two messages of the same user are never processed at
the same time: a lock per user in this process, and inside the turn's transaction the store's own
per-user lock (an advisory lock on PostgreSQL, so several instances never interleave one user's
turns); different users proceed independently. Doors reach storage only through this service.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import fields
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from bot.core.diagnosis.flow import Flow
from bot.core.dialogue import texts
from bot.core.dialogue.conversation import Conversation, ConversationState
from bot.core.dialogue.messages import (
    CancelReminder,
    Choice,
    CompleteReminder,
    Effect,
    ForgetUser,
    Incoming,
    RecordFacts,
    Reply,
    SaveReminder,
    SkipReminder,
    SnoozeReminder,
    UserRef,
)
from bot.core.dialogue.state import Outcome
from bot.core.lenders.desk import LenderDesk
from bot.core.reminders.kinds import fire_message, kind_of
from bot.core.reminders.model import ReminderView
from bot.core.situation import previews
from bot.core.situation.facts import Situation
from bot.delivery.dispatcher import NOTE_HELD, NOTE_REMINDER_FAILED
from bot.delivery.planner import Planner
from bot.export import export_json
from bot.metrics import Metrics
from storage import DATABASE_ERRORS, StorePort
from storage.reminders import from_iso

# A database that is unavailable (locked, full, unreachable), as the doors may catch it.
DatabaseUnavailable = DATABASE_ERRORS

log = logging.getLogger(__name__)
# A reply that could not be delivered in time (the reply window passed): told with the next answer.
NOTE_REPLY_LATE = "reply_late"
# Delivery notes the service turns into a first bubble of the user's next answer (each shown once).
NOTE_TEXTS = {NOTE_REMINDER_FAILED: texts.REMINDER_FAILED_NOTE, NOTE_REPLY_LATE: texts.REPLY_LATE_NOTE}
_SITUATION_FIELDS = {f.name for f in fields(Situation)}


def _situation(facts: dict[str, Any]) -> Situation:
    """One stored situation row as the core's situation (a column it does not know is left out)."""
    return Situation(**{k: v for k, v in facts.items() if k in _SITUATION_FIELDS})


# Held reminders shown with one answer at most (LINE takes five messages per reply); the rest wait.
MAX_HELD_PER_REPLY = 3


class UserLocks:
    """One lock per user key, dropped again when nobody holds or waits for it (bounded memory)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    def acquire(self, key: str) -> threading.Lock:
        """Take the user's lock (blocking) and return it."""
        with self._guard:
            lock, users = self._locks.get(key, (threading.Lock(), 0))
            self._locks[key] = (lock, users + 1)
        lock.acquire()
        return lock

    def release(self, key: str) -> None:
        """Give the user's lock back."""
        with self._guard:
            lock, users = self._locks[key]
            lock.release()
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class ChatService:
    """Runs one conversation turn end to end against the store."""

    def __init__(
        self, store: StorePort, conversation: Conversation | LenderDesk, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.store = store
        self.conversation = conversation
        self.clock = clock or (lambda: datetime.now(UTC))
        self.locks = UserLocks()
        self.planner = Planner(store.reminders, self.flow_of)
        # A conversation position older than this is forgotten (retention).
        self.state_ttl = timedelta(days=30)
        # Called after a turn changed reminders (the scheduler re-arms its wake-up).
        self.on_reminders_changed: Callable[[], None] = lambda: None
        # Called after a user's data was deleted (a running dispatch drops their sends still to be made).
        self.on_user_forgotten: Callable[[UserRef], None] = lambda user: None
        # This app's metrics (turn latency here; the doors and the dispatcher count their own).
        self.metrics = Metrics()

    def flow_of(self, lender: str | None) -> Flow:
        """The flow of the lender a reminder is about (one conversation: its flow)."""
        conv = self.conversation
        return conv.flow_of(lender) if isinstance(conv, LenderDesk) else conv.flow

    def reminder_view(self, row: dict[str, Any]) -> ReminderView:
        """A stored reminder as the core sees it, with the repayment rules of its lender."""
        return ReminderView.from_row(row, self.flow_of(row.get("lender")).repayment)

    def handle(
        self,
        incoming: Incoming,
        once: str | None = None,
        also: Callable[[], bool] | None = None,
        keep: Callable[[list[Reply]], None] | None = None,
    ) -> list[Reply] | None:
        """Process one message and return the replies; the turn is stored atomically.

        With ``once`` (a webhook event id), the id is recorded in the same transaction as the turn,
        and an id seen before makes this a no-op returning None (a redelivered event). ``also`` runs
        in that transaction too (a door's own bookkeeping); returning True means reminders changed.
        ``keep`` gets the turn's replies inside the transaction (a door keeps them until sent: an
        answer is committed with its turn, see :meth:`keep_reply`).
        """
        key = incoming.user.key
        started = time.perf_counter()
        self.locks.acquire(key)
        try:
            return self._handle_locked(incoming, once, also, keep)
        finally:
            self.locks.release(key)
            self.metrics.turn(incoming.user.platform, time.perf_counter() - started)

    def _handle_locked(
        self,
        incoming: Incoming,
        once: str | None,
        also: Callable[[], bool] | None = None,
        keep: Callable[[list[Reply]], None] | None = None,
    ) -> list[Reply] | None:
        now = self.clock()
        user = incoming.user
        store = self.store
        with store.transaction():
            store.lock_user(user.key)
            if once and not store.mark_seen(once, now):
                log.info("event %s: duplicate, skipped", once, extra={"event_id": once, "user": user.key})
                return None
            user_id = store.ensure_user(user.platform, user.user_id, now)
            rows = {r["id"]: r for r in store.reminders.for_user(user_id)}
            outcome = self._turn(incoming, user_id, rows, now)
            if outcome is None:
                return [Reply(texts.TURN_FAILED, self.conversation.menu_choices())]
            changed, forgotten = self._apply_effects(outcome, user_id, user, rows, now)
            if not forgotten:
                self._save_turn(outcome, user_id, now)
            if also is not None:
                changed = also() or changed
            if keep is not None and outcome.replies:
                keep(outcome.replies)
        # Event ids only: message text never reaches the logs.
        log.info(
            "event %s user %s handled: %d replies",
            incoming.event_id or "-",
            user.key,
            len(outcome.replies),
            extra={"event_id": incoming.event_id, "user": user.key},
        )
        if forgotten:
            self.on_user_forgotten(user)
            # SQLite: secure_delete zeroed the rows, the checkpoint moves them out of the WAL file as well;
            # PostgreSQL: the tables that held them are rewritten.
            store.checkpoint()
        if changed:
            self.on_reminders_changed()
        return outcome.replies

    def _turn(self, incoming: Incoming, user_id: int, rows: dict[int, Any], now: datetime) -> Outcome | None:
        """The core's turn on the user's stored state (None: a bug met by this one message)."""
        store, user = self.store, incoming.user
        state = ConversationState.from_dict(store.load_state(user_id, now - self.state_ttl))
        situations = {lender: _situation(facts) for lender, facts in store.load_situations(user_id).items()}
        person = situations.pop("", None) or Situation()
        snoozed, planned = store.reminders.next_sends(user_id) if rows else ({}, {})
        views = [
            self.reminder_view({**r, "next_at": snoozed.get(r["id"]), "planned_at": planned.get(r["id"])})
            for r in rows.values()
        ]
        # Every row about the user is read only when the turn shows it (the export), inside this transaction.
        try:
            record = partial(store.rows_about, user_id)
            if isinstance(self.conversation, LenderDesk):
                # Each lender's facts (a desk serves several; one conversation has only the person's row).
                return self.conversation.handle(
                    state, person, incoming, now, views, record=record, by_lender=situations
                )
            return self.conversation.handle(state, person, incoming, now, views, record=record)
        except DATABASE_ERRORS:
            raise  # the database, not the message: the door answers 500 and the event comes again
        except Exception as exc:  # noqa: BLE001 - one poisonous message must not stop the others
            # A bug met by this one message: a polite answer, one log line with the event id, and
            # the event stays marked seen (applied), so a redelivery does not fail again forever.
            log.error(
                "event %s user %s: the turn failed (%s)",
                incoming.event_id or "-",
                user.key,
                type(exc).__name__,
                extra={"event_id": incoming.event_id, "user": user.key},
            )
            return None

    def _apply_effects(
        self, outcome: Outcome, user_id: int, user: UserRef, rows: dict[int, Any], now: datetime
    ) -> tuple[bool, bool]:
        """Store the turn's effects; (whether reminders changed, whether the user was forgotten)."""
        changed = forgotten = False
        for effect in outcome.effects:
            if isinstance(effect, RecordFacts):
                self.store.record_facts(user_id, effect.facts, now, lender=effect.lender or "")
            elif isinstance(effect, ForgetUser):
                self.store.forget_user(user_id)
                forgotten = True
            else:
                changed = self._apply_reminder(effect, user_id, user, rows, now) or changed
        return changed, forgotten

    def _save_turn(self, outcome: Outcome, user_id: int, now: datetime) -> None:
        """The new state, and what could not be delivered in time said once with this answer."""
        store = self.store
        store.save_state(user_id, outcome.state.to_dict(), now)
        # One read of the user's notes (nearly always none): nothing more to do for most turns.
        notes = store.notes.peek(user_id)
        if not notes:
            return
        for code, text in NOTE_TEXTS.items():
            if code in notes and store.notes.take_code(user_id, code):
                outcome.replies.insert(0, Reply(text))
        outcome.replies[:0] = self._held_reminders(user_id, now, notes)

    def _apply_reminder(self, effect: Effect, user_id: int, user: UserRef, rows: dict, now: datetime) -> bool:
        """Apply one reminder effect; reminders not owned by the user are never touched."""
        if isinstance(effect, SaveReminder):
            self.planner.save(user_id, user.platform, user.user_id, effect, now)
            return True
        row = rows.get(getattr(effect, "reminder_id", None))
        if row is None:
            return False
        if isinstance(effect, CancelReminder):
            self.planner.cancel(row["id"], now)
        elif isinstance(effect, SnoozeReminder):
            self.planner.snooze(row, user.platform, user.user_id, effect.until, now)
        elif isinstance(effect, CompleteReminder):
            self.planner.complete(row, user.platform, user.user_id, now)
        elif isinstance(effect, SkipReminder):
            self.planner.skip(row, user.platform, user.user_id, now, undo=effect.undo)
        return True

    def _held_reminders(self, user_id: int, now: datetime, notes: list[str]) -> list[Reply]:
        """Reminders the platform would not take (monthly limit), delivered with this answer instead.

        Each comes as the reminder message itself (what, for when, with its buttons); its send is
        then marked sent, so it is not pushed again when the quota comes back.
        """
        store = self.store
        held = [code for code in notes if code.startswith(NOTE_HELD)]
        replies: list[Reply] = []
        detailed = store.load_situation(user_id).get(previews.FACT) is True if held else False
        for code in held[:MAX_HELD_PER_REPLY]:
            store.notes.take_code(user_id, code)
            send_id = code.removeprefix(NOTE_HELD)
            send = store.reminders.held_send(int(send_id), user_id) if send_id.isdigit() else None
            if send is None or send["reminder"]["status"] not in ("active", "sent"):
                continue  # cancelled, deleted or already delivered meanwhile
            reminder = send["reminder"]
            real_due = date.fromisoformat(send["real_due"]) if send["real_due"] else None
            flow = self.flow_of(reminder.get("lender"))
            view = ReminderView.from_row(reminder, flow.repayment)
            replies.append(fire_message(view, flow, from_iso(send["due_at"]), now, real_due, send["slot"], detailed))
            store.reminders.set_send_status(int(send_id), "sent")
            if not kind_of(reminder["kind"]).repeats and not store.reminders.pending_for(reminder["id"]):
                store.reminders.set_status(reminder["id"], "sent", now, only_if="active")
        return [Reply(texts.HELD_REMINDER_NOTE), *replies] if replies else []

    def note(self, user: UserRef, code: str) -> None:
        """Record a delivery note for the user (shown with their next answer); unknown users: nothing."""
        with self.store.transaction():
            self.store.lock_user(user.key)
            user_id = self.store.find_user(user.platform, user.user_id)
            if user_id is not None:
                self.store.notes.add(user_id, user.platform, code, self.clock())

    def offer(self, user: UserRef, choices: Sequence[Choice]) -> None:
        """Remember choices a door showed outside a turn (a reminder in the console), for "1"/labels."""
        key = user.key
        self.locks.acquire(key)
        try:
            with self.store.transaction():
                self.store.lock_user(key)
                user_id = self.store.find_user(user.platform, user.user_id)
                if user_id is None:
                    return
                state = ConversationState.from_dict(self.store.load_state(user_id))
                # A set-up in progress (pending) stays: "はい" after the reminder still confirms it.
                state.offered = [(c.label, c.value) for c in choices]
                self.store.save_state(user_id, state.to_dict(), self.clock())
        finally:
            self.locks.release(key)

    # ------------------------------------------------------------------ a door's bookkeeping

    def group_event(self, event_id: str, group_id: str, may_notice: bool) -> bool | None:
        """A group or room event: None when seen before (a redelivery); True when the group is to be
        told, once, that the bot works in 1:1 chats (no personal data is kept for groups)."""
        now = self.clock()
        with self.store.transaction():
            if not self.store.mark_seen(event_id, now):
                return None
            return bool(group_id and may_notice and self.store.first_group_notice(group_id, now))

    def no_turn_event(self, event_id: str, user: UserRef, blocked: bool) -> int | None:
        """An event that needs no conversation turn: None when seen before; with ``blocked`` (the user
        blocked the bot), every pending send of the user is held; returns how many were held."""
        key = user.key
        self.locks.acquire(key)
        try:
            with self.store.transaction():
                self.store.lock_user(key)
                if not self.store.mark_seen(event_id, self.clock()):
                    return None
                return self.store.set_paused(user.platform, user.user_id, paused=True) if blocked else 0
        finally:
            self.locks.release(key)

    def resume_sends(self, user: UserRef) -> bool:
        """Release the held sends of a user who unblocked the bot (inside their turn: pass as ``also``)."""
        return self.store.set_paused(user.platform, user.user_id, paused=False) > 0

    # ------------------------------------------------------------------ durable answers

    def batch(self) -> AbstractContextManager[None]:
        """One transaction around several turns (a round of the webhook inbox): one commit for all."""
        return self.store.transaction()

    def between_rounds(self) -> None:
        """After a round of the webhook inbox, before the next: fold the WAL while no turn of this
        process writes (see ``Store.fold_wal``)."""
        self.store.fold_wal()

    def keep_reply(self, reply: dict) -> None:
        """Inside a turn (``keep``): store its answer until it is sent (see ``SqlStore.keep_reply``)."""
        self.store.keep_reply(reply)

    def claim_replies(self, platform: str, owner: str, lease: float, limit: int = 50) -> list[dict]:
        """Answers whose sender is gone (its claim ran out), claimed for ``owner`` to send."""
        return self.store.claim_replies(platform, owner, time.time(), lease, limit)

    def replies_done(self, event_ids: list[str]) -> None:
        """Answers sent (or sent the late way): no instance sends them again."""
        self.store.replies_done(event_ids)

    def prune_seen(self, before: datetime) -> int:
        """Forget webhook event ids recorded before ``before``."""
        return self.store.prune_seen(before)

    def take_notes(self, user: UserRef) -> list[str]:
        """The user's delivery notes, removed (each is shown once)."""
        with self.store.transaction():
            self.store.lock_user(user.key)
            user_id = self.store.find_user(user.platform, user.user_id)
            return self.store.notes.take(user_id) if user_id is not None else []

    def active_reminders(self, user: UserRef) -> list[dict]:
        """The user's active reminders (rows), oldest first."""
        with self.store.transaction():
            user_id = self.store.find_user(user.platform, user.user_id)
            return self.store.reminders.for_user(user_id) if user_id is not None else []

    def export_json(self, user: UserRef) -> bytes:
        """Everything stored about the user as pretty UTF-8 JSON."""
        return export_json(self.store, user.platform, user.user_id)
