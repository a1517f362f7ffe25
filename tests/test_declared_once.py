"""A command is one declaration where it is handled: its button, its exact words and its label all
come from that declaration, and a flow file's follow-ups name declared commands only."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.core.diagnosis.flow import load_flow
from bot.core.dialogue.actions import Command, encode
from bot.core.dialogue.commands import collect, command
from bot.core.dialogue.conversation import Conversation, ConversationState
from bot.core.dialogue.messages import Incoming, Reply
from bot.core.situation.facts import Situation
from bot.core.understanding import build

TZ = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=TZ)
FLOW = load_flow()


class Weather:
    """A skill a newcomer might add: one declaration, no other change."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    @command("weather", label="天気を見る", words=("てんき",))
    def weather(self, out, situation, now) -> None:
        out.replies.append(Reply("晴れです。", self.conv.menu_choices()))


@pytest.fixture(scope="module")
def conv() -> Conversation:
    return Conversation(FLOW, TZ, build(FLOW.path, FLOW.causes), skills=(Weather,))


def _say(conv: Conversation, incoming: Incoming) -> list[str]:
    state = ConversationState(welcomed=True)
    return [r.text for r in conv.handle(state, Situation(), incoming, NOW).replies]


def test_a_new_command_runs_from_its_button_label_and_words(conv):
    assert _say(conv, Incoming("u", choice=Command("weather"))) == ["晴れです。"]
    assert _say(conv, Incoming("u", text="天気を見る")) == ["晴れです。"]
    assert _say(conv, Incoming("u", text="てんき")) == ["晴れです。"]
    assert conv._intent_label("weather") == "天気を見る"


def test_a_command_nobody_declares_is_an_old_button(conv):
    texts = _say(conv, Incoming("u", choice=Command("no_such_thing")))
    assert texts and "晴れ" not in texts[0]
    plain = Conversation(FLOW, TZ, conv.understanding)
    assert "weather" not in plain.commands
    assert "晴れです。" not in _say(plain, Incoming("u", choice=Command("weather")))


def test_a_name_declared_twice_is_refused():
    class Twice:
        @command("menu")
        def again(self, out, situation, now) -> None: ...

    with pytest.raises(ValueError, match="declared twice"):
        collect(Conversation(FLOW, TZ, build(FLOW.path, FLOW.causes)).basics, Twice())


def test_every_follow_up_a_flow_offers_is_a_declared_follow_up(conv):
    declared = {name for name, r in conv.commands.items() if r.spec.followup}
    offered = {c.action for n in FLOW.nodes.values() for c in n.choices if getattr(c, "action", None)}
    assert offered and offered <= declared


def test_buttons_carry_the_declared_name_on_the_wire(conv):
    assert encode(Command("weather")) == "a:weather"


def test_every_label_of_the_general_corpus_is_a_declared_command_or_a_known_reading(conv):
    from bot.core.understanding import ANSWERS, GENERAL_INTENTS, general_intents

    # Readings that are not commands of their own: short answers, 「なし」, and those the router
    # reads itself (a login problem starts the diagnosis through its command's intents).
    readings = set(ANSWERS) | {"none"} | {i for r in conv.commands.values() for i in r.spec.intents}
    undeclared = [i for i in general_intents() if i not in conv.commands and i not in readings]
    assert undeclared == []
    assert general_intents()[: len(GENERAL_INTENTS)] == GENERAL_INTENTS
