"""The chat service: load a user's state, run the core, store the outcome in one transaction.

Every door calls :meth:`ChatService.handle`. Two messages of the same user are never processed at
the same time (a lock per user); different users proceed independently.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime

from bot.core.conversation import Conversation, ConversationState
from bot.core.messages import ForgetUser, Incoming, RecordFacts, Reply
from bot.core.situation import Situation
from storage.repo import Store

log = logging.getLogger(__name__)
_SITUATION_FIELDS = {f.name for f in fields(Situation)}


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

    def __init__(self, store: Store, conversation: Conversation, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.conversation = conversation
        self.clock = clock or (lambda: datetime.now(UTC))
        self.locks = UserLocks()

    def handle(self, incoming: Incoming) -> list[Reply]:
        """Process one message and return the replies; the turn is stored atomically."""
        key = incoming.user.key
        self.locks.acquire(key)
        try:
            return self._handle_locked(incoming)
        finally:
            self.locks.release(key)

    def _handle_locked(self, incoming: Incoming) -> list[Reply]:
        now = self.clock()
        user = incoming.user
        store = self.store
        with store.transaction():
            user_id = store.ensure_user(user.platform, user.user_id, now)
            state = ConversationState.from_dict(store.load_state(user_id))
            facts = {k: v for k, v in store.load_situation(user_id).items() if k in _SITUATION_FIELDS}
            situation = Situation(**facts)
            outcome = self.conversation.handle(state, situation, incoming, now)
            forgotten = False
            for effect in outcome.effects:
                if isinstance(effect, RecordFacts):
                    store.record_facts(user_id, effect.facts, now)
                elif isinstance(effect, ForgetUser):
                    store.forget_user(user_id)
                    forgotten = True
            if not forgotten:
                store.save_state(user_id, outcome.state.to_dict(), now)
        # Event ids only: message text never reaches the logs.
        log.info("event %s user %s handled: %d replies", incoming.event_id or "-", user.key, len(outcome.replies))
        return outcome.replies
