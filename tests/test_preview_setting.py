"""Opt-in detailed previews: discreet by default; 「通知に内容を表示」 shows a reminder's title and first
line on the lock screen (LINE altText, a Discord DM's first line), 「通知の内容を隠す」 turns it off again.
The choice is a situation fact: shown in 状況, corrected there, exported and deleted with the rest."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.console import ConsoleChat
from bot.adapters.discord_view import render_message
from bot.adapters.line_render import to_messages
from bot.core.diagnosis.flow import load_flow
from bot.core.dialogue import texts
from bot.core.dialogue.conversation import Conversation
from bot.core.dialogue.messages import Incoming, RecordFacts, SaveReminder, UserRef
from bot.core.dialogue.state import ConversationState
from bot.core.reminders.kinds import KINDS, fire_message
from bot.core.reminders.model import ReminderView
from bot.core.situation.facts import Situation
from bot.core.situation.previews import FACT
from bot.delivery.dispatcher import Dispatcher
from bot.delivery.planner import Planner
from bot.delivery.senders import SENT
from tests.test_previews import PRIVATE

FLOW = load_flow()
TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
USER = UserRef("test", "u1")


def _said(text: str):
    conversation = Conversation(FLOW, TOKYO)
    return conversation.handle(ConversationState(welcomed=True), Situation(), Incoming(USER, text=text), NOW)


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("通知に内容を表示", True),
        ("通知の内容を表示して", True),
        ("通知の内容を隠す", False),
        ("プレビューを隠す", False),
    ],
)
def test_the_phrases_switch_the_setting(text, on):
    out = _said(text)
    assert [e.facts for e in out.effects if isinstance(e, RecordFacts)] == [{FACT: on}]
    assert out.replies[0].text == (texts.PREVIEWS_ON if on else texts.PREVIEWS_OFF)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("detailed", [False, True])
def test_a_reminder_push_shows_its_content_only_when_asked(kind, detailed):
    view = ReminderView(id=3, kind=kind, tz=TOKYO, what="プロミスコールに電話して返済の相談", due_day=25, at=NOW)
    reply = fire_message(view, FLOW, NOW, NOW, detailed=detailed)
    [message] = to_messages([reply])
    dm = render_message(reply, owner=1)
    assert reply.card is not None
    if detailed:
        assert message["altText"].startswith(reply.card.title) and message["altText"] != texts.PREVIEW_REMINDER
        assert reply.card.lines[0][:10] in message["altText"]
        assert dm["content"] == f"🔔 {message['altText']}"
    else:
        assert message["altText"] == texts.PREVIEW_REMINDER and not PRIVATE.search(message["altText"])
        assert dm["content"] == f"🔔 {texts.PREVIEW_REMINDER}"


def test_the_repayment_preview_names_the_day_when_asked():
    view = ReminderView(id=3, kind="repay", tz=TOKYO, due_day=25)
    due = datetime(2026, 12, 22, 0, 0, tzinfo=UTC)
    detailed = fire_message(view, FLOW, due, due, datetime(2026, 12, 25).date(), "before", detailed=True)
    assert "返済" in detailed.card.preview and "12月25日" in detailed.card.preview
    plain = fire_message(view, FLOW, due, due, datetime(2026, 12, 25).date(), "before")
    assert plain.card.preview == texts.PREVIEW_REMINDER


class _Sender:
    def __init__(self):
        self.calls = []

    async def send(self, platform_user_id, reply, key):
        self.calls.append(reply)
        return SENT


def test_the_dispatcher_follows_the_users_choice_both_ways(contract_store, clock):
    store = contract_store
    uid = store.ensure_user("test", "u1", NOW)
    with store.transaction():
        for minutes in (60, 120):
            at = (NOW + timedelta(minutes=minutes)).isoformat()
            fields = {"tz": "Asia/Tokyo", "at": at, "what": "書類を探す"}
            Planner(store.reminders).save(uid, "test", "u1", SaveReminder("free", fields), NOW)
    sender = _Sender()
    dispatcher = Dispatcher(store, FLOW, {"test": sender}, clock)
    with store.transaction():
        store.record_facts(uid, {FACT: True}, NOW)
    clock.now = NOW + timedelta(minutes=60)
    asyncio.run(dispatcher.run_due())
    with store.transaction():
        store.record_facts(uid, {FACT: False}, NOW)
    clock.now = NOW + timedelta(minutes=120)
    asyncio.run(dispatcher.run_due())
    first, second = (reply.card.preview for reply in sender.calls)
    assert "書類を探す" in first
    assert second == texts.PREVIEW_REMINDER


def test_the_setting_is_shown_in_the_status_corrected_exported_and_forgotten(service):
    chat = ConsoleChat(service, "previewer")
    assert texts.PREVIEWS_ON.split("\n")[0] in chat.say("通知に内容を表示")
    status = chat.say("状況")
    assert "通知に表示する内容：お知らせの件名と1行目" in status and "通知の表示を変える" in status
    chat.say("通知の表示を変える")
    assert "「通知に表示する内容」を「内容を隠す」に修正しました" in chat.say("内容を隠す")
    uid = service.store.find_user("console", "previewer")
    assert service.store.load_situation(uid)[FACT] is False
    chat.say("データ確認")
    assert "通知に表示する内容" in chat.say("すべて見る")
    chat.say("記録を消す")
    chat.say("はい")
    assert not service.store.load_situation(uid)
