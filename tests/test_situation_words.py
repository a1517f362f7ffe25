"""The situation follows what people say of the past: a late payment reported, or settled, is kept;
a settled one gets no call to make; a failed automatic debit is a late payment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.dialogue.messages import Incoming, RecordFacts, UserRef
from bot.core.dialogue.state import ConversationState
from bot.core.situation.facts import Situation

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)


def _say(conversation, text: str):
    return conversation.handle(
        ConversationState(welcomed=True), Situation(), Incoming(UserRef("console", "u"), text=text), NOW
    )


def _recorded(out) -> dict:
    facts: dict = {}
    for effect in out.effects:
        if isinstance(effect, RecordFacts):
            facts.update(effect.facts)
    return facts


@pytest.mark.parametrize("text", ["延滞分はもう払いました", "延滞はもう解消しました", "遅れてた分、昨日入金しました"])
def test_a_settled_late_payment_is_recorded_without_a_call(conversation, text):
    out = _say(conversation, text)
    said = "\n".join(r.text for r in out.replies)
    assert _recorded(out).get("overdue") is False
    assert "できるだけ早く" not in said and "利用停止" not in said


@pytest.mark.parametrize(
    "text", ["返済日を過ぎちゃってる", "残高不足で引き落とされなかった", "口座振替、残高足りなくて落ちなかった"]
)
def test_a_late_payment_is_recorded_and_the_call_comes_first(conversation, text):
    out = _say(conversation, text)
    assert _recorded(out).get("overdue") is True
    assert "0120-24-0365" in out.replies[0].text
