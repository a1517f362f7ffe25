"""LINE rendering: limits respected and every dict accepted by the SDK's own models."""

from __future__ import annotations

from linebot.v3.messaging import ReplyMessageRequest

from bot.adapters.line_render import (
    MAX_MESSAGES,
    messages_json,
    parse_postback,
    postback_data,
    split_text,
    to_messages,
    utf16_len,
)
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command, Pick, RemindAt
from bot.core.dialogue.messages import Choice, Reply


def test_dicts_round_trip_through_the_sdk_models():
    replies = [
        Reply("ようこそ"),
        Reply(
            "えらんでください", tuple(Choice(f"選択肢{i}", Pick("start", f"c{i}")) for i in range(14)), ask="datetime"
        ),
    ]
    messages = to_messages(replies)
    model = ReplyMessageRequest.from_dict({"replyToken": "t", "messages": messages})
    assert model.to_dict()["messages"] == messages
    items = messages[-1]["quickReply"]["items"]
    assert len(items) == 13 and items[0]["action"]["type"] == "datetimepicker"


def test_at_most_five_messages_and_utf16_limit():
    long = "あ" * 4000 + "\n" + "😀" * 3000
    messages = to_messages([Reply(long), Reply("b"), Reply("c"), Reply("d"), Reply("e"), Reply("f")])
    assert len(messages) == MAX_MESSAGES
    assert all(utf16_len(m["text"]) <= 5000 for m in messages)
    pieces = split_text("😀" * 3000)
    assert all(utf16_len(p) <= 5000 for p in pieces) and "".join(pieces) == "😀" * 3000


def test_postback_data_is_versioned_and_bounded():
    assert parse_postback(postback_data(Command("menu"))) == Command("menu")
    assert parse_postback("v0|a:menu") is None
    assert parse_postback("garbage") is None and parse_postback("") is None and parse_postback(None) is None
    assert parse_postback("v1|a:" + "x" * 1000) is None
    longest = RemindAt(datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))
    assert len(postback_data(longest)) <= 300 and parse_postback(postback_data(longest)) == longest


# ---------------------------------------------------------------------- Flex cards

import json  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

import pytest  # noqa: E402
from linebot.v3.messaging import FlexMessage, PushMessageRequest  # noqa: E402

from bot.adapters.line_render import MAX_ALT_TEXT, MAX_BUBBLE_BYTES, flex_message  # noqa: E402
from bot.core.diagnosis.flow import load_flow  # noqa: E402
from bot.core.diagnosis.result_view import fill_windows  # noqa: E402
from bot.core.dialogue.actions import GoCause  # noqa: E402
from bot.core.dialogue.conversation import ConversationState  # noqa: E402
from bot.core.dialogue.messages import CardContact, Incoming, ReminderCard, ResultCard, UserRef  # noqa: E402
from bot.core.reminders.kinds import KINDS, fire_message  # noqa: E402
from bot.core.reminders.model import ReminderView  # noqa: E402
from bot.core.situation.facts import Situation  # noqa: E402
from tests.fake_line import flat_text, flex_buttons  # noqa: E402

FLOW = load_flow()
TOKYO = ZoneInfo("Asia/Tokyo")
THURSDAY = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo, outside maintenance


def _result(conversation, node_id: str) -> list[Reply]:
    """The replies that show one final node: a cause directly, the last step by stepping up to it."""
    return _result_and_state(conversation, node_id)[0]


def _result_and_details(conversation, node_id: str) -> tuple[list[Reply], list[Reply]]:
    """A result's replies, and the replies to 「くわしく」 right after it."""
    replies, state = _result_and_state(conversation, node_id)
    out = conversation.handle(state, Situation(), Incoming(UserRef("line", "U1"), choice=Command("details")), THURSDAY)
    return replies, out.replies


def _result_and_state(conversation, node_id: str) -> tuple[list[Reply], ConversationState]:
    user = UserRef("line", "U1")
    title = FLOW.nodes[node_id].title
    for cause in [node_id] if FLOW.nodes[node_id].is_result else FLOW.causes:
        start = ConversationState(welcomed=True)
        out = conversation.handle(start, Situation(), Incoming(user, choice=GoCause(cause)), THURSDAY)
        for _ in range(10):
            if any(r.card is not None and r.card.title == title for r in out.replies):
                return out.replies, out.state
            out = conversation.handle(out.state, Situation(), Incoming(user, choice=Command("not_solved")), THURSDAY)
    raise AssertionError(f"{node_id} not reached")


def _accepted(messages: list[dict]) -> None:
    """The SDK's own models take every message back unchanged (reply and push)."""
    for request in (
        ReplyMessageRequest.from_dict({"replyToken": "t", "messages": messages}),
        PushMessageRequest.from_dict({"to": "U1", "messages": messages}),
    ):
        assert request.to_dict()["messages"] == messages
    for message in messages:
        if message["type"] == "flex":
            assert FlexMessage.from_dict(message).to_dict() == message


@pytest.mark.parametrize("node_id", [n.id for n in FLOW.nodes.values() if n.is_final])
def test_every_result_is_one_flex_bubble_within_line_limits(conversation, node_id):
    replies, more = _result_and_details(conversation, node_id)
    node = FLOW.nodes[node_id]
    cards = []
    # The result is one card (short: what happened, what to do now), its details one more card.
    for answer in (replies, more):
        messages = to_messages(answer)
        _accepted(messages)
        flex = [m for m in messages if m["type"] == "flex"]
        assert len(flex) == 1, "a result is one card, not its text bubbles again"
        [card] = flex
        assert len(json.dumps(card["contents"], ensure_ascii=False).encode()) <= MAX_BUBBLE_BYTES
        assert 0 < len(card["altText"]) <= MAX_ALT_TEXT
        assert node.title in card["altText"] or card["altText"] == texts.PREVIEW_RESULT
        # The follow-ups are buttons on the card and quick replies too.
        assert messages[-1]["quickReply"]["items"]
        assert all(len(b["label"]) <= 20 for b in flex_buttons(card))
        cards.append(card)
    first, details = cards
    postbacks = [b for b in flex_buttons(first) if b["type"] == "postback"]
    assert postbacks[0]["label"] == texts.LABEL_DETAILS  # 「くわしく」 leads the card's buttons
    shown = flat_text(first) + flat_text(details)
    assert node.title in flat_text(first) and all(
        step.text in flat_text(first) for step in next(r.card for r in replies if r.card).steps
    )
    assert all(fill_windows(FLOW, step) in shown for step in node.steps)
    buttons = flex_buttons(first) + flex_buttons(details)
    # A call button (tel:) for every number the result shows.
    for cid in {c for c in (*node.contacts, *node.step_calls) if c}:
        if FLOW.contacts[cid].once and FLOW.contacts[cid].phone not in shown:
            continue  # offered once: not on this visit
        dial = "".join(ch for ch in FLOW.contacts[cid].phone.split("（")[0] if ch.isdigit())
        assert {
            "type": "uri",
            "label": f"{FLOW.contacts[cid].name}に電話"[:20],
            "uri": f"tel:{dial}",
        } in buttons or any(b.get("uri") == f"tel:{dial}" for b in buttons)
    if node.bring_ids:
        assert FLOW.id_title in shown and all(item in shown for item in FLOW.id_items)


def test_a_lost_card_puts_the_call_on_top_and_in_the_alt_text(conversation):
    [card] = [m for m in to_messages(_result(conversation, "lost_card")) if m["type"] == "flex"]
    body = card["contents"]["body"]["contents"]
    first_button = next(c for c in body if c["type"] == "button")
    assert body.index(first_button) == 0  # before the summary and the steps
    assert first_button["style"] == "primary" and first_button["action"]["uri"] == "tel:0120240365"
    # A lock-screen preview: the title, then the number and when it answers (never the lender's name).
    title, number = card["altText"].splitlines()[:2]
    assert "紛失" in title and number.startswith("0120-24-0365") and "24時間" in number
    assert FLOW.lender["name"] not in card["altText"]
    # The ID list has its own section, item by item, in the details.
    [details] = [m for m in to_messages(_result_and_details(conversation, "lost_card")[1]) if m["type"] == "flex"]
    assert f"・{FLOW.id_items[0]}" in flat_text(details)


def test_console_text_is_unchanged_by_the_card(conversation):
    replies, more = _result_and_details(conversation, "lost_card")
    assert replies[0].card is not None and replies[0].important
    assert all(r.in_card for r in replies[1:]) and replies[-1].choices
    assert more[0].card is not None and all(r.in_card for r in more[1:]) and more[-1].choices
    assert replies[0].text.startswith("【カードの紛失・盗難】")


def test_a_card_too_large_for_line_falls_back_to_text():
    card = ResultCard("t", "s" * 40000)
    message = flex_message(card, (), "fallback text")
    assert message == {"type": "text", "text": "fallback text"}
    assert CardContact("x", "番号なし").dial == "" and CardContact("x", "03-5739-3861（平日）").dial == "0357393861"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_reminders_are_flex_bubbles_whose_buttons_stay(kind):
    view = ReminderView(
        id=7,
        kind=kind,
        tz=TOKYO,
        what="プロミスコールに電話",
        due_day=25,
        at=THURSDAY.astimezone(TOKYO),
        reason="lost_card",
    )
    reply = fire_message(view, FLOW, THURSDAY, THURSDAY + timedelta(hours=2))
    assert isinstance(reply.card, ReminderCard) and reply.card.lead  # two hours late: said so
    [message] = to_messages([reply])
    _accepted([message])
    # The notification preview says only that there is something; the card says the rest.
    assert message["type"] == "flex" and message["altText"] == texts.PREVIEW_REMINDER
    buttons = flex_buttons(message)
    assert [b["label"] for b in buttons] == [c.label for c in reply.choices]
    assert all(
        b["type"] == "postback" and parse_postback(b["data"]) == c.action
        for b, c in zip(buttons, reply.choices, strict=True)
    )
    for line in reply.text.splitlines():
        assert line.strip("【】") in flat_text(message)  # the card shows the title without its brackets


def test_the_datetime_picker_opens_tomorrow_and_offers_no_past_time():
    now = datetime(2026, 12, 3, 22, 17, 40, tzinfo=TOKYO)
    [message] = to_messages([Reply("いつにしますか？", ask="datetime")], now=now)
    _accepted([message])
    picker = message["quickReply"]["items"][0]["action"]
    assert picker["type"] == "datetimepicker" and picker["mode"] == "datetime"
    assert (picker["initial"], picker["min"]) == ("2026-12-04T10:00", "2026-12-03T22:17")


def test_messages_json_is_the_messages_json_with_each_bubble_encoded_once():
    card = ResultCard("タイトル", 'まとめ "引用" \\ 😀', lead="先に", preview="結果")
    replies = [Reply("本文", card=card), Reply("つづき", choices=(Choice("はい", Command("yes")),))]
    messages = to_messages(replies)
    assert [m["type"] for m in messages] == ["flex", "text"]
    assert json.loads(messages_json(messages)) == json.loads(json.dumps(messages, ensure_ascii=False))
    assert messages_json([{"type": "text", "text": "x"}]) == json.dumps([{"type": "text", "text": "x"}])
