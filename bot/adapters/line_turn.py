"""What the parts of the LINE door share: an applied event's :class:`Turn`, its answer as LINE's JSON,
and what an inbox event says about itself.

The door (:mod:`bot.adapters.line`) is made of small parts: the webhook's checking and intake
(:mod:`.line_webhook`), the application of inbox events (:mod:`.line_events`), the replies
(:mod:`.line_replies`), the pushes (:mod:`.line_push`) and the loading animation
(:mod:`.line_loading`). This module holds the few names they all need, so that none of them
imports another part only for those.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

# line-bot-sdk ships no type information (no py.typed marker, no stubs package): its names are Any.
from linebot.v3.models.events import UnknownEvent  # type: ignore[import-untyped]
from linebot.v3.webhooks import Event  # type: ignore[import-untyped]

from bot.adapters.line_render import to_messages
from bot.app import App
from bot.core.dialogue import texts
from bot.core.dialogue.messages import Reply, ResultCard
from bot.service import DatabaseUnavailable

PLATFORM = "line"
# Every part of the door logs under the door's one logger name, as the door did when it was one
# module: an operator filtering on it sees all of the door's lines.
LOG_NAME = "bot.adapters.line"
# LINE's "mode" of an event sent while another channel (a module) is in charge of the chat.
STANDBY = "standby"
# Marks an inbox event whose text was dropped before storing because it looked like a secret.
WITHHELD = "x-withheld"
# A late-reply note or a kept answer's bookkeeping that cannot be stored: the database is
# unavailable, or the door is closing (its database thread is shut down, RuntimeError).
NOTE_LOST: tuple[type[Exception], ...] = (*DatabaseUnavailable, RuntimeError)


@dataclass(frozen=True, slots=True)
class Turn:
    """What one applied event asks of the door: reply with these, to this token (or late, to this user).

    ``messages`` and ``late`` are LINE's JSON of the reply and of the push that replaces it once the
    token is no longer good (None: a note with the next answer instead), rendered when the turn was
    applied; ``messages_json`` is the JSON text of ``messages`` (as kept with the turn), so that the
    reply is not serialised again on the event loop. ``kept``: the answer is stored with its turn until sent (durable answers); ``retried``:
    it was taken over from an instance that died while sending it, so a reply token LINE refuses may
    have been used already and is not followed by a push.
    """

    event_id: str
    reply_token: str | None
    replies: list[Reply]
    user_id: str = ""
    received_at: datetime | None = None
    messages: list[dict[str, Any]] | None = None
    late: list[dict[str, Any]] | None = None
    messages_json: str | None = None
    kept: bool = False
    retried: bool = False


def local_now(app: App) -> datetime:
    """Now in the bot's timezone (the datetime picker offers no earlier time)."""
    return app.service.clock().astimezone(app.settings.tz)


def render(replies: list[Reply], now: datetime) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
    """LINE's JSON of a reply, and of the push that replaces it when the token is no longer good.

    Only a diagnosis result is worth a push (it is what the user waits for, maybe urgent): anything
    else becomes a delivery note with the user's next answer (None here).
    """
    late = None
    if any(r.important for r in replies):
        first, *rest = replies
        if isinstance(first.card, ResultCard):
            # The apology goes inside the result, not before it: the notification must show the result.
            card = replace(first.card, lead=" ".join(x for x in (texts.LATE_REPLY_LEAD, first.card.lead) if x))
            pushed = [replace(first, text=f"{texts.LATE_REPLY_LEAD}\n{first.text}", card=card), *rest]
        else:
            pushed = [Reply(texts.LATE_REPLY_LEAD), *replies]
        late = to_messages(pushed, now)
    return to_messages(replies, now), late


def is_standby(raw: dict[str, Any]) -> bool:
    """True for an event LINE sent while another channel answers this chat (not ours to act on)."""
    return raw.get("mode") == STANDBY


def read_event(raw: dict[str, Any]) -> Any:
    """An inbox event back as the SDK's model, exactly as ``WebhookParser.parse`` builds it."""
    try:
        return Event.from_dict(raw)
    except ValueError:
        return UnknownEvent.new_from_json_dict(raw)
