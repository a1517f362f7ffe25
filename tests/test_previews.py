"""What a lock screen shows: a notification preview names neither the lender nor money, amounts or
dates, for every reminder kind (LINE's altText, a Discord DM's content) and every result card."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.discord_view import render_message
from bot.adapters.line_render import to_messages
from bot.core.diagnosis.flow import load_flow
from bot.core.dialogue import texts
from bot.core.dialogue.actions import GoCause
from bot.core.dialogue.conversation import Conversation
from bot.core.dialogue.messages import Choice, Incoming, UserRef
from bot.core.dialogue.state import ConversationState
from bot.core.reminders.kinds import KINDS, fire_message
from bot.core.reminders.model import ReminderView
from bot.core.situation.facts import Situation

FLOW = load_flow()
TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
PRIVATE = re.compile(
    "|".join(
        [re.escape(FLOW.lender["name"]), re.escape(FLOW.lender.get("company", "") or FLOW.lender["name"])]
        + ["返済", "延滞", "借入", "借り入れ", r"\d+円", r"\d{1,2}月\d{1,2}日", r"\d{1,2}/\d{1,2}", r"\d{1,2}:\d{2}"]
    )
)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("late", [False, True])
def test_a_reminder_push_previews_nothing_private(kind, late):
    view = ReminderView(
        id=3, kind=kind, tz=TOKYO, what="プロミスコールに電話して返済の相談", due_day=25, at=NOW.astimezone(TOKYO)
    )
    reply = fire_message(view, FLOW, NOW, NOW + timedelta(hours=2 if late else 0))
    [message] = to_messages([reply])
    assert message["altText"] == texts.PREVIEW_REMINDER
    assert not PRIVATE.search(message["altText"])
    dm = render_message(reply, owner=1)
    assert dm["content"].endswith(texts.PREVIEW_REMINDER) and not PRIVATE.search(dm["content"])
    # Once opened, the card says everything.
    assert reply.card is not None and reply.card.lines[0] in dm["embed"].description
    assert dm["embed"].title == reply.card.title


@pytest.mark.parametrize("cause", FLOW.causes)
def test_every_result_card_previews_nothing_private(cause):
    conversation = Conversation(FLOW, TOKYO)
    out = conversation.handle(
        ConversationState(welcomed=True), Situation(), Incoming(UserRef("line", "U"), choice=GoCause(cause)), NOW
    )
    cards = [m for m in to_messages(out.replies) if m["type"] == "flex"]
    assert cards
    for card in cards:
        assert not PRIVATE.search(card["altText"]), card["altText"]


@pytest.mark.parametrize("node_id", [n.id for n in FLOW.nodes.values() if n.is_final])
def test_every_final_card_and_its_details_preview_nothing_private(node_id):
    from bot.core.diagnosis.result_view import render_details, render_final
    from bot.core.dialogue.actions import Command
    from bot.core.dialogue.state import Outcome

    node = FLOW.nodes[node_id]
    out = Outcome(state=ConversationState(welcomed=True), replies=[])
    for replies in (
        render_final(FLOW, node, out, ()),
        render_details(FLOW, node, out, (Choice("x", Command("menu")),)),
    ):
        cards = [m for m in to_messages(replies) if m["type"] == "flex"]
        assert cards
        for card in cards:
            assert not PRIVATE.search(card["altText"]), card["altText"]
