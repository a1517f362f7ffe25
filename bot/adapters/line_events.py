"""Applying acknowledged LINE events from the inbox to the main database, on its thread.

The inbox worker (:mod:`bot.inbox_worker`) hands each waiting event to :meth:`EventApplier.apply`.
A 1:1 message, postback or follow is one conversation turn of the core; its answer is rendered as
LINE's JSON and kept with the turn, in the turn's transaction (durable answers,
:mod:`.line_replies`). A group or room keeps no personal data: only the event id and a one-time
notice. Events LINE marks ``"mode": "standby"`` (another channel of the account is answering) are
recorded as seen and not acted on. Every event is applied once (dedup on ``webhookEventId``, in the
same transaction as the turn).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

# line-bot-sdk ships no type information (no py.typed marker, no stubs package): its names are Any.
from linebot.v3.webhooks import (  # type: ignore[import-untyped]
    FollowEvent,
    JoinEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)

from bot.adapters.line_loading import LoadingAnimation
from bot.adapters.line_render import PICKER, messages_json, parse_postback
from bot.adapters.line_replies import kept_answer
from bot.adapters.line_turn import LOG_NAME, PLATFORM, WITHHELD, Turn, is_standby, local_now, read_event, render
from bot.app import App
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Incoming, Reply, UserRef
from bot.inbox_worker import Arrival, InboxItem
from bot.service import DatabaseUnavailable

log = logging.getLogger(LOG_NAME)

WELCOME_BACK = Command("welcome_back")
WITHHELD_TEXT = Command("withheld")
# Parsed models kept at most: above this, those of events another instance applied are dropped.
MODELS_KEPT = 20_000


class EventApplier:
    """Applies one inbox event at a time (on the main database's thread) and says what to answer."""

    def __init__(self, app: App, stats: dict[str, int], loading: LoadingAnimation, owner: str) -> None:
        self.app = app
        # The door's counters for /healthz (events and duplicates are counted here).
        self.stats = stats
        self.loading = loading
        # The name this instance claims the answers it keeps under (see KeptAnswers).
        self.owner = owner
        # The SDK models of events this instance acknowledged, by event id, until they are applied.
        self._models: dict[str, Any] = {}

    def remember(self, events: list[dict[str, Any]], arrivals: list[Arrival], models: list[Any]) -> None:
        """Keep the models the webhook parsed, so that applying its events does not parse them again; only
        of events it kept as they came (a text in which it found no secret)."""
        if len(self._models) > MODELS_KEPT:
            self._models.clear()  # events another instance applied: their models are not needed here
        for event, arrival, model in zip(events, arrivals, models, strict=True):
            if arrival.event_id and arrival.body is event:  # nothing was hidden: the model is the event's
                self._models[arrival.event_id] = model

    def apply(self, item: InboxItem) -> Turn | None:
        """Apply one inbox event. Database errors propagate (the worker retries); anything else is
        answered with a polite generic reply and logged once (the worker then drops the event)."""
        self.stats["events"] += 1
        duplicates = self.stats["duplicates"]
        if is_standby(item.body):
            self._standby_event(item)
            return None
        try:
            turn = self._apply_event(item)
        except DatabaseUnavailable:
            self.app.metrics.webhook_event("retried")
            raise
        except Exception as exc:  # noqa: BLE001 - a poisonous event: answered, logged, not retried
            self.app.metrics.webhook_event("poisoned")
            turn = self._poisoned(item, exc)
            if turn is None:
                return None  # no reply token: nothing can be answered
        else:
            self.app.metrics.webhook_event("duplicate" if self.stats["duplicates"] > duplicates else "applied")
        return self._addressed(item, turn)

    def _apply_event(self, item: InboxItem) -> Turn | None:
        model = self._models.pop(item.event_id, None) if item.event_id else None
        event = model if model is not None else read_event(item.body)
        # An event without an id (LINE always sends one) still gets a stable one: a crash between
        # applying it and removing it from the inbox must not apply it twice. A model the webhook kept
        # is of an event whose text it found no secret in (see ``remember``).
        event_id = item.event_id or f"inbox-{item.seq}"
        return self._apply_one(event, event_id, bool(item.body.get(WITHHELD)), item.received_at, model is not None)

    def _poisoned(self, item: InboxItem, exc: Exception) -> Turn | None:
        """An event that broke its turn: logged once; a polite generic reply when it has a reply token."""
        log.error(
            "event %s: could not be applied (%s)",
            item.event_id or f"#{item.seq}",
            type(exc).__name__,
            extra={"event_id": item.event_id, "user": item.user_key},
        )
        token = item.body.get("replyToken")
        if not isinstance(token, str):
            return None
        return Turn(item.event_id, token, [Reply(texts.TURN_FAILED)])

    def _addressed(self, item: InboxItem, turn: Turn | None) -> Turn | None:
        """The turn with whom and when it answers, rendered; None when nothing is to be sent."""
        if turn is None or not turn.replies:
            self.loading.answered_soon(item.event_id)  # nothing will be sent
            return None
        received = datetime.fromisoformat(item.received_at)
        user_id = item.user_key if item.body.get("source", {}).get("type") == "user" else ""
        if turn.messages is not None:
            return replace(turn, user_id=user_id, received_at=received)
        # Not kept with a turn (a group's notice, a failed turn): rendered here, off the event loop.
        messages, late = render(turn.replies, local_now(self.app))
        text = messages_json(messages)
        return replace(turn, user_id=user_id, received_at=received, messages=messages, late=late, messages_json=text)

    def _standby_event(self, item: InboxItem) -> None:
        """An event from a chat another channel answers: recorded as seen, nothing else.

        No turn, no user row, no reply, no push. Only a block (``unfollow``) still holds the user's
        reminders: it is the account that was blocked, and a push to them would only cost quota.
        """
        event_id = item.event_id or f"inbox-{item.seq}"
        source = item.body.get("source")
        source = source if isinstance(source, dict) else {}
        user_id = source.get("userId") if source.get("type") == "user" else None
        service = self.app.service
        try:
            if isinstance(user_id, str) and user_id:
                blocked = item.body.get("type") == "unfollow"
                held = service.no_turn_event(event_id, UserRef(PLATFORM, user_id), blocked)
            else:
                held = 0 if service.group_event(event_id, "", False) is not None else None
        except DatabaseUnavailable:
            self.app.metrics.webhook_event("retried")
            raise
        if held is None:
            self.stats["duplicates"] += 1
        log.info(
            "event %s: standby (another channel answers this chat); recorded, not acted on",
            event_id,
            extra={"event_id": event_id, "user": item.user_key},
        )
        self.app.metrics.webhook_event("duplicate" if held is None else "applied")
        self.loading.answered_soon(item.event_id)

    def _apply_one(
        self, event: Any, event_id: str, withheld: bool = False, received_at: str = "", screened: bool = False
    ) -> Turn | None:
        """One event: a group's notice, a 1:1 conversation turn, or an event that needs no turn."""
        source = getattr(event, "source", None)
        token = getattr(event, "reply_token", None)
        user_id = getattr(source, "user_id", None)
        if getattr(source, "type", None) in ("group", "room") or not user_id:
            return self._group_event(event, event_id, source, token)
        user = UserRef(PLATFORM, user_id)
        incoming = self._incoming(event, user, event_id)
        if screened and incoming is not None and incoming.text:
            incoming = replace(incoming, screened=incoming.text)  # the webhook found no secret in it
        if withheld and incoming is not None and not (incoming.text or "").strip():
            # Nothing of the message could be kept: the core warns and asks again.
            incoming = Incoming(user, choice=WITHHELD_TEXT, event_id=event_id)
        if incoming is None:
            self._no_turn_event(event, event_id, user)
            return None
        return self._turn(event, incoming, event_id, user, token, received_at)

    def _group_event(self, event: Any, event_id: str, source: Any, token: str | None) -> Turn | None:
        """A group's or room's event: no personal data is kept, just the event id (dedup) and a one-time notice."""
        group_id = getattr(source, "group_id", None) or getattr(source, "room_id", None) or ""
        notice = self.app.service.group_event(event_id, group_id, isinstance(event, MessageEvent | JoinEvent))
        if notice is None:
            self.stats["duplicates"] += 1
            return None
        return Turn(event_id, token, [Reply(texts.GROUP_ONLY)]) if notice else None

    def _no_turn_event(self, event: Any, event_id: str, user: UserRef) -> None:
        """A 1:1 event that needs no conversation turn: recorded; a block holds the user's sends."""
        blocked = isinstance(event, UnfollowEvent)
        held = self.app.service.no_turn_event(event_id, user, blocked)
        if held is None:
            self.stats["duplicates"] += 1
        elif blocked:
            log.info(
                "event %s: user %s blocked the bot; %d sends held",
                event_id,
                user.key,
                held,
                extra={"event_id": event_id, "user": user.key},
            )
        else:
            log.info("event %s: %s ignored", event_id, type(event).__name__, extra={"event_id": event_id})

    def _turn(
        self, event: Any, incoming: Incoming, event_id: str, user: UserRef, token: str | None, received_at: str
    ) -> Turn | None:
        """One conversation turn; its answer is kept with it (same transaction) until sent."""
        service = self.app.service
        resume = None
        if isinstance(event, FollowEvent) and incoming.choice == WELCOME_BACK:
            # Unblocked: release the held sends in the same transaction as the welcome-back turn,
            # so a crash cannot mark the event seen and leave the sends held for good.
            def resume() -> bool:
                return service.resume_sends(user)

        kept: dict[str, Any] = {}

        def keep(replies: list[Reply]) -> None:
            # In the turn's transaction: the answer is committed with the turn, claimed by this instance
            # for the moment it takes to send it; if this instance dies first, another one sends it.
            messages, late = render(replies, local_now(self.app))
            answer = kept_answer(event_id, user.user_id, token, received_at, messages, late, self.owner)
            kept.update(messages=messages, late=late, messages_json=answer["messages"])
            service.keep_reply(answer)

        replies = service.handle(incoming, once=event_id, also=resume, keep=keep)
        if replies is None:
            self.stats["duplicates"] += 1
            return None
        if not kept:
            return Turn(event_id, token, replies)
        return Turn(event_id, token, replies, kept=True, **kept)

    @staticmethod
    def _incoming(event: Any, user: UserRef, event_id: str) -> Incoming | None:
        """The core message for a 1:1 event, or None for events that need no conversation turn."""
        if isinstance(event, MessageEvent):
            if isinstance(event.message, TextMessageContent):
                return Incoming(user, text=event.message.text, event_id=event_id)
            return Incoming(user, choice=Command("nontext"), event_id=event_id)
        if isinstance(event, PostbackEvent):
            action = parse_postback(event.postback.data)
            params = {k: v for k, v in (event.postback.params or {}).items() if isinstance(v, str)}
            if action == PICKER:
                return Incoming(user, event_id=event_id, params=params)
            return Incoming(user, choice=action, event_id=event_id, params=params, stale=action is None)
        if isinstance(event, FollowEvent):
            unblocked = bool(getattr(getattr(event, "follow", None), "is_unblocked", False))
            return Incoming(user, choice=WELCOME_BACK if unblocked else Command("resume"), event_id=event_id)
        return None
