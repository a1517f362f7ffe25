"""Core replies as LINE messages, and LINE postback data back into core choice values.

A diagnosis result becomes one Flex bubble (title, summary, numbered steps with a call button under
a call, the ID list in its own section, follow-up buttons); a reminder becomes a Flex bubble whose
postback buttons stay on the message (quick replies vanish after the next message and never show
on LINE for PC). Everything else is text. The last reply's choices also come as quick replies.

LINE limits: 5 messages per request, 13 quick-reply items, postback data ≤ 300 characters, text
≤ 5,000 UTF-16 units, action labels ≤ 20 characters, a Flex bubble ≤ 30 KB of JSON, ``altText``
≤ 1,500 characters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Action, Command, decode, encode
from bot.core.dialogue.messages import CardContact, Choice, ReminderCard, Reply, ResultCard

POSTBACK_VERSION = "v1"
MAX_MESSAGES = 5
MAX_QUICK_REPLIES = 13
MAX_TEXT_UTF16 = 5000
MAX_LABEL = 20
MAX_DATA = 300
PICKER = Command("picked")
MAX_BUBBLE_BYTES = 30_000  # LINE: the JSON of one bubble
MAX_ALT_TEXT = 400  # LINE allows 1,500; a notification preview shows far less
MAX_CARD_BUTTONS = 5  # follow-up buttons on a card (more would push the content off screen)
# The datetime picker's format (LINE: "YYYY-MM-DDTHH:mm" in the user's local time).
PICKER_FORMAT = "%Y-%m-%dT%H:%M"
URGENT_COLOR = "#C62828"
MUTED_COLOR = "#666666"


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


def _picker(now: datetime | None) -> dict[str, Any]:
    """The datetime picker; with ``now`` (local), it opens on tomorrow 10:00 and offers no past time."""
    picker: dict[str, Any] = {
        "type": "datetimepicker",
        "label": "日時を選ぶ",
        "data": postback_data(PICKER),
        "mode": "datetime",
    }
    if now is not None:
        tomorrow = (now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
        picker["initial"] = tomorrow.strftime(PICKER_FORMAT)
        picker["min"] = now.strftime(PICKER_FORMAT)
    return picker


def _quick_reply(reply: Reply, now: datetime | None = None) -> dict[str, Any] | None:
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
        items.insert(0, {"type": "action", "action": _picker(now)})
    return {"items": items[:MAX_QUICK_REPLIES]} if items else None


# ---------------------------------------------------------------------- Flex


def _text(text: str, **style: Any) -> dict[str, Any]:
    return {"type": "text", "text": text or " ", "wrap": True, **style}


def _postback_button(choice: Choice, style: str = "secondary") -> dict[str, Any]:
    label = choice.label[:MAX_LABEL]
    return {
        "type": "button",
        "style": style,
        "height": "sm",
        "action": {"type": "postback", "label": label, "data": postback_data(choice.action), "displayText": label},
    }


def _call_button(contact: CardContact, primary: bool = False) -> dict[str, Any] | None:
    """A button that dials the contact (``tel:``), or None when its number has no digits to dial."""
    if not contact.dial:
        return None
    label = f"{contact.name}に電話"
    button: dict[str, Any] = {
        "type": "button",
        "style": "primary" if primary else "secondary",
        "height": "sm",
        "action": {
            "type": "uri",
            "label": label if len(label) <= MAX_LABEL else "電話をかける",
            "uri": f"tel:{contact.dial}",
        },
    }
    if primary:
        button["color"] = URGENT_COLOR
    return button


def _contact_box(contact: CardContact, with_intro: bool = True, button: bool = True) -> dict[str, Any]:
    contents = [_text(contact.intro, size="sm")] if with_intro and contact.intro else []
    contents.append(_text(f"{contact.name}：{contact.phone}", size="sm", weight="bold"))
    contents += [_text(h, size="xs", color=MUTED_COLOR) for h in contact.hours]
    call = _call_button(contact) if button else None
    if call is not None:
        contents.append(call)
    return {"type": "box", "layout": "vertical", "spacing": "xs", "contents": contents}


def _section(title: str, contents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"type": "separator", "margin": "lg"},
        _text(title, size="sm", weight="bold", margin="md"),
        {"type": "box", "layout": "vertical", "spacing": "sm", "contents": contents},
    ]


def _result_bubble(card: ResultCard, choices: Sequence[Choice]) -> dict[str, Any]:
    """A result as one bubble: the urgent call first, then summary, steps, contacts, what to bring."""
    top = next((s.contact for s in card.steps if s.contact is not None and s.contact.urgent), None)
    header_style = {"color": "#FFFFFF"} if card.urgent else {}
    bubble: dict[str, Any] = {
        "type": "bubble",
        "size": "mega",
        "header": {
            "type": "box",
            "layout": "vertical",
            "contents": [_text(_card_title(card), weight="bold", size="lg", **header_style)],
            **({"backgroundColor": URGENT_COLOR} if card.urgent else {}),
        },
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": _result_body(card, top)},
    }
    footer = [_postback_button(c, "link") for c in choices[:MAX_CARD_BUTTONS]]
    footer += [_text(line, size="xxs", color=MUTED_COLOR) for line in card.closing]
    if footer:
        bubble["footer"] = {"type": "box", "layout": "vertical", "spacing": "xs", "contents": footer}
    return bubble


def _result_body(card: ResultCard, top: CardContact | None) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = []
    if card.lead:
        body.append(_text(card.lead, size="sm", color=MUTED_COLOR))
    call = _call_button(top, primary=True) if top is not None else None
    if call is not None:
        body.append(call)  # the urgent action before anything else (a lost card: stop it now)
    if card.summary:
        body.append(_text(card.summary, size="sm"))
    steps = _step_rows(card, top)
    if steps:
        body += _section("やること", steps)
    for contact in card.contacts:
        body += _section("問い合わせ先", [_contact_box(contact)])
    if card.bring:
        body += _section(card.bring_title, [_text(f"・{item}", size="sm") for item in card.bring])
    body += [_text(note, size="xs", color=MUTED_COLOR, margin="md") for note in card.notes]
    return body


def _step_rows(card: ResultCard, top: CardContact | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for i, step in enumerate(card.steps, card.first_step):
        rows.append(
            {
                "type": "box",
                "layout": "baseline",
                "spacing": "sm",
                "contents": [_text(f"{i}.", size="sm", flex=0), _text(step.text, size="sm", flex=1)],
            }
        )
        if step.contact is not None:
            # Its button is already on top when it is the urgent call; the number and hours stay here.
            rows.append(_contact_box(step.contact, with_intro=False, button=step.contact is not top))
    return rows


def _card_title(card: ResultCard) -> str:
    return f"{card.title}（{texts.LABEL_DETAILS}）" if card.details else card.title


def _reminder_bubble(card: ReminderCard, choices: Sequence[Choice]) -> dict[str, Any]:
    """A reminder as a bubble whose postback buttons stay on the message (and work on LINE for PC)."""
    body: list[dict[str, Any]] = []
    if card.lead:
        body.append(_text(card.lead, size="xs", color=MUTED_COLOR))
    body.append(_text(card.title, weight="bold", size="md"))
    body += [_text(line, size="sm") for line in card.lines]
    bubble: dict[str, Any] = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "spacing": "sm", "contents": body},
    }
    if choices:
        bubble["footer"] = {
            "type": "box",
            "layout": "vertical",
            "spacing": "xs",
            "contents": [_postback_button(c) for c in choices[:MAX_CARD_BUTTONS]],
        }
    return bubble


def alt_text(card: ResultCard | ReminderCard) -> str:
    """What a notification and an old client show instead of the card: the card's own preview, which
    the core keeps free of the lender, money words and dates (a lock screen is not private)."""
    default = texts.PREVIEW_REMINDER if isinstance(card, ReminderCard) else texts.PREVIEW_RESULT
    text = card.preview or default
    return text if len(text) <= MAX_ALT_TEXT else text[: MAX_ALT_TEXT - 1] + "…"


class Bubble(dict[str, Any]):
    """A Flex bubble together with its JSON text, encoded once (when its size was checked) and reused by
    :func:`messages_json`; a bubble is not changed after it is made."""

    __slots__ = ("encoded",)

    def __init__(self, bubble: dict[str, Any], encoded: str) -> None:
        super().__init__(bubble)
        self.encoded = encoded


def flex_message(card: ResultCard | ReminderCard, choices: Sequence[Choice], fallback: str) -> dict[str, Any]:
    """The card as a Flex message; a plain text message when it would exceed LINE's bubble size."""
    if isinstance(card, ResultCard):
        bubble = _result_bubble(card, choices)
    else:
        bubble = _reminder_bubble(card, choices)
    encoded = json.dumps(bubble, ensure_ascii=False)
    if len(encoded.encode("utf-8")) > MAX_BUBBLE_BYTES:
        return {"type": "text", "text": split_text(fallback)[0]}
    return {"type": "flex", "altText": alt_text(card), "contents": Bubble(bubble, encoded)}


def messages_json(messages: Sequence[dict[str, Any]]) -> str:
    """The JSON text of rendered messages (what ``json.dumps`` gives, up to key order), each bubble's
    JSON taken from when its size was checked instead of encoded a second time."""
    parts = []
    for message in messages:
        contents = message.get("contents")
        if isinstance(contents, Bubble):
            rest = json.dumps({k: v for k, v in message.items() if k != "contents"}, ensure_ascii=False)
            parts.append(f'{rest[:-1]}, "contents": {contents.encoded}}}')
        else:
            parts.append(json.dumps(message, ensure_ascii=False))
    return f"[{', '.join(parts)}]"


def _pieces(replies: Sequence[Reply]) -> list[tuple[dict[str, Any] | None, str]]:
    """Each message to send as (Flex message or None, its text): a card and the bubbles it covers
    make one Flex message; other bubbles are text (cut at LINE's length limit)."""
    pieces: list[tuple[dict[str, Any] | None, str]] = []
    for i, reply in enumerate(replies):
        if reply.in_card and pieces and pieces[-1][0] is not None:
            continue  # already in the card above
        if reply.card is not None:
            group = [reply]
            for later in replies[i + 1 :]:
                if not later.in_card:
                    break
                group.append(later)
            choices = next((r.choices for r in reversed(group) if r.choices), ())
            fallback = "\n\n".join(r.text for r in group)
            pieces.append((flex_message(reply.card, choices, fallback), fallback))
            continue
        pieces.extend((None, t) for t in split_text(reply.text))
    return pieces


def to_messages(replies: Sequence[Reply], now: datetime | None = None) -> list[dict[str, Any]]:
    """At most 5 LINE messages (Messaging API JSON); the last reply's choices become quick replies.

    ``now`` (the user's local time) sets the datetime picker's first and earliest choosable time.
    Plain dicts in the API's own shape: building and serialising the SDK's pydantic models cost
    about 0.5 ms per reply, the largest part of a webhook turn (tests check that the SDK's models
    accept every dict this produces).
    """
    pieces = _pieces(replies)
    if len(pieces) > MAX_MESSAGES:
        # Fold the overflow into the last message, as text (still within the length limit when possible).
        tail = "\n\n".join(text for _flex, text in pieces[MAX_MESSAGES - 1 :])
        pieces = pieces[: MAX_MESSAGES - 1] + [(None, split_text(tail)[0])]
    last_with_choices = next((r for r in reversed(replies) if r.choices or r.ask), None)
    messages: list[dict[str, Any]] = [flex if flex is not None else {"type": "text", "text": t} for flex, t in pieces]
    if messages and last_with_choices is not None:
        quick = _quick_reply(last_with_choices, now)
        if quick:
            messages[-1]["quickReply"] = quick
    return messages
