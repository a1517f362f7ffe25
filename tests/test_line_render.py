"""LINE rendering: limits respected and every dict accepted by the SDK's own models."""

from __future__ import annotations

from linebot.v3.messaging import ReplyMessageRequest

from bot.adapters.line_render import (
    MAX_MESSAGES,
    parse_postback,
    postback_data,
    split_text,
    to_messages,
    utf16_len,
)
from bot.core.actions import Command, Pick, RemindAt
from bot.core.messages import Choice, Reply


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
    from datetime import UTC, datetime

    longest = RemindAt(datetime(2026, 12, 31, 23, 59, 59, 999999, tzinfo=UTC))
    assert len(postback_data(longest)) <= 300 and parse_postback(postback_data(longest)) == longest
