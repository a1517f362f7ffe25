"""Copy for adults: everyday kanji, a welcome with examples for someone lost, a yes/no 「もしかして」 over
one meaning, a reminder list that names each item once, and a phone-number answer that starts with
the number's place rather than 「ここまでで解決しないときは」."""

from __future__ import annotations

import ast
import re
import tomllib
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.diagnosis.flow import load_flow
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.conversation import Conversation
from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.dialogue.state import ConversationState
from bot.core.reminders.model import ReminderView
from bot.core.situation.facts import Situation

ROOT = Path(__file__).parent.parent
FLOW = load_flow()
TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
USER = UserRef("test", "adult")
# Everyday words a children's book spells in kana; an adult reads them in kanji.
CHILDISH = ("ちがいます", "ちがう", "むずかし", "しかた", "かくにん", "いっしょに", "いますぐ", "おたずね", "くり返し")


def _user_facing_strings() -> list[str]:
    strings = [v for k, v in vars(texts).items() if k.isupper() and isinstance(v, str)]
    flow = tomllib.loads((ROOT / "bot" / "flows" / "promise.toml").read_text())

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                if k not in ("sources", "aliases", "means", "call_words", "own_bank_words"):
                    yield from walk(v, k)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v, key)
        elif isinstance(value, str):
            yield value

    return strings + list(walk(flow))


@pytest.mark.parametrize("word", CHILDISH)
def test_everyday_words_are_written_in_kanji(word):
    offending = [s for s in _user_facing_strings() if word in s]
    assert offending == []


def test_the_reminder_kinds_speak_in_kanji_too():
    files = sorted((ROOT / "bot" / "core" / "reminders" / "kinds").glob("*.py"))
    tree = ast.Module(body=[ast.parse(p.read_text()) for p in files], type_ignores=[])  # type: ignore[list-item]
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    # What users read: string constants that are neither docstrings nor word patterns (「a|b」).
    literals = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docstrings and "|" not in n.value
    ]
    assert not [s for s in literals for w in CHILDISH if w in s]


def _say(conversation, state, text):
    return conversation.handle(state, Situation(), Incoming(USER, text=text), NOW)


@pytest.mark.parametrize(
    "text",
    ["すみません、初めてでよくわからないのですが…", "初めてでよくわからない", "何ができるの？", "なにができますか"],
)
def test_a_lost_user_gets_a_welcome_with_three_examples_not_an_apology(text):
    conversation = Conversation(FLOW, TOKYO)
    out = _say(conversation, ConversationState(welcomed=True, disclaimed=True), text)
    [reply] = out.replies
    assert "すみません" not in reply.text and "読み取れません" not in reply.text
    examples = re.findall(r"^「[^」]+」$", reply.text, re.M)
    assert len(examples) == 3, reply.text
    assert [c.action for c in reply.choices][:1] == [Command("diagnose")]


def test_a_request_with_a_subject_is_answered_not_welcomed():
    conversation = Conversation(FLOW, TOKYO)
    out = _say(conversation, ConversationState(welcomed=True, disclaimed=True), "初めて暗証番号を忘れた")
    assert any(r.card is not None for r in out.replies)


def test_maybe_with_one_meaning_asks_yes_or_no_about_it():
    conversation = Conversation(FLOW, TOKYO)
    state = ConversationState(welcomed=True, disclaimed=True)
    out = _say(conversation, state, "書類")
    [reply] = out.replies
    assert reply.text == texts.MAYBE_ONE.format(label="本人確認書類を見る")
    assert [c.label for c in reply.choices] == [texts.LABEL_MAYBE_YES, texts.LABEL_MAYBE_NO]
    yes = _say(conversation, out.state, "はい")
    assert FLOW.id_items[0] in yes.replies[0].text
    no = _say(conversation, out.state, "いいえ、違います")
    assert no.replies[0].text == texts.NONE_OF_THESE
    several = _say(conversation, state, "使えないかも")
    assert several.replies[0].text == texts.MAYBE and len(several.replies[0].choices) >= 3


def test_the_reminder_list_names_each_item_once():
    conversation = Conversation(FLOW, TOKYO)
    reminders = (
        ReminderView(id=1, kind="repay", tz=TOKYO, due_day=25, days_before=3, time_of_day=time(9, 0)),
        ReminderView(id=2, kind="free", tz=TOKYO, what="書類を探す", at=datetime(2026, 12, 5, 1, 0, tzinfo=UTC)),
    )
    out = conversation.handle(
        ConversationState(welcomed=True, disclaimed=True),
        Situation(),
        Incoming(USER, choice=Command("reminders")),
        NOW,
        reminders=reminders,
    )
    [reply] = out.replies
    assert not re.search(r"^\d+\. ", reply.text, re.M), reply.text  # the door numbers the choices
    assert reply.text.count("\n・") == 2 and len(reply.choices) == 3


@pytest.mark.parametrize("text", ["電話番号教えて", "プロミスコールの番号は？", "人と話したい"])
def test_the_phone_number_answer_does_not_open_with_still_stuck(text):
    conversation = Conversation(FLOW, TOKYO)
    out = _say(conversation, ConversationState(welcomed=True, disclaimed=True), text)
    said = "\n".join(r.text for r in out.replies)
    assert "0120-24-0365" in said
    assert not said.startswith("ここまでで解決しない") and "ここまでで解決しないときは" not in said


def test_still_stuck_at_the_last_cause_is_heard_before_the_call():
    from bot.core.dialogue.actions import GoCause

    conversation = Conversation(FLOW, TOKYO)
    state = ConversationState(welcomed=True, disclaimed=True)
    out = conversation.handle(state, Situation(), Incoming(USER, choice=GoCause("suspended")), NOW)
    out = conversation.handle(out.state, Situation(), Incoming(USER, choice=Command("not_solved")), NOW)
    assert out.state.node == FLOW.last_step
    assert out.replies[0].text == texts.STEP_UP_CALL and out.replies[1].text.startswith("【")


def test_the_example_for_next_week_is_not_tomorrow():
    conversation = Conversation(FLOW, TOKYO)
    state = ConversationState(welcomed=True, disclaimed=True)
    out = _say(conversation, state, "リマインダーを追加")
    out = _say(conversation, out.state, "来週")
    text = out.replies[-1].text
    assert "来週の月曜" in text
    tomorrow = (NOW.astimezone(TOKYO)).date().toordinal() + 1
    from datetime import date

    day = date.fromordinal(tomorrow)
    assert f"{day.month}月{day.day}日" not in text
