"""Core replies as LINE messages, and LINE postback data back into core choice values.

LINE limits: 5 messages per request, 13 quick-reply items, postback data ≤ 300 characters, text
≤ 5,000 UTF-16 units, action labels ≤ 20 characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.actions import Action, Command, decode, encode
from bot.core.messages import Reply

POSTBACK_VERSION = "v1"
MAX_MESSAGES = 5
MAX_QUICK_REPLIES = 13
MAX_TEXT_UTF16 = 5000
MAX_LABEL = 20
MAX_DATA = 300
PICKER = Command("picked")


def postback_data(action: Action) -> str:
    """A compact, versioned postback payload for a core action."""
    return f"{POSTBACK_VERSION}|{encode(action)}"[:MAX_DATA]


def parse_postback(data: str | None) -> Action | None:
    """The core action in a postback, or None when it comes from another version or is garbled."""
    if not data or "|" not in data:
        return None
    version, _, value = data.partition("|")
    return decode(value) if version == POSTBACK_VERSION else None


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (how LINE counts)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT_UTF16) -> list[str]:
    """Cut a text into pieces of at most ``limit`` UTF-16 units, at line breaks when possible,
    never inside a surrogate pair."""
    if utf16_len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while utf16_len(line) > limit:  # a single over-long line: cut by characters
            cut = ""
            for ch in line:
                if utf16_len(cut + ch) > limit:
                    break
                cut += ch
            if current:
                pieces.append(current)
                current = ""
            pieces.append(cut)
            line = line[len(cut) :]
        if utf16_len(current + line) > limit:
            pieces.append(current)
            current = ""
        current += line
    if current:
        pieces.append(current)
    return [p.rstrip("\n") or " " for p in pieces]


def _quick_reply(reply: Reply) -> dict[str, Any] | None:
    items: list[dict[str, Any]] = [
        {
            "type": "action",
            "action": {
                "type": "postback",
                "label": c.label[:MAX_LABEL],
                "data": postback_data(c.action),
                "displayText": c.label[:MAX_LABEL],
            },
        }
        for c in reply.choices
    ]
    if reply.ask == "datetime":
        picker = {
            "type": "datetimepicker",
            "label": "日時を選ぶ",
            "data": postback_data(PICKER),
            "mode": "datetime",
        }
        items.insert(0, {"type": "action", "action": picker})
    return {"items": items[:MAX_QUICK_REPLIES]} if items else None


def to_messages(replies: Sequence[Reply]) -> list[dict[str, Any]]:
    """At most 5 LINE text messages (Messaging API JSON); the last reply's choices become quick replies.

    Plain dicts in the API's own shape: building and serialising the SDK's pydantic models cost
    about 0.5 ms per reply, the largest part of a webhook turn (tests check that the SDK's models
    accept every dict this produces).
    """
    texts: list[str] = []
    for reply in replies:
        texts.extend(split_text(reply.text))
    if len(texts) > MAX_MESSAGES:
        # Fold the overflow into the last bubble (still within the length limit when possible).
        head, tail = texts[: MAX_MESSAGES - 1], "\n\n".join(texts[MAX_MESSAGES - 1 :])
        texts = head + [split_text(tail)[0]]
    last_with_choices = next((r for r in reversed(replies) if r.choices or r.ask), None)
    messages: list[dict[str, Any]] = [{"type": "text", "text": t} for t in texts]
    if messages and last_with_choices is not None:
        quick = _quick_reply(last_with_choices)
        if quick:
            messages[-1]["quickReply"] = quick
    return messages
