"""A login notice the person did not cause: understood in people's own words, answered like a lost card
(the call first), and added to the flow as data only (a result node plus its utterances)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.diagnosis.flow import DEFAULT_FLOW
from bot.core.dialogue.actions import GoCause
from bot.core.dialogue.conversation import ConversationState
from bot.core.dialogue.messages import Incoming, RecordFacts, UserRef
from bot.core.situation.facts import Situation
from bot.core.understanding import load_examples
from bot.core.understanding.corpus import utterances_path

NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # Thursday 10:00 in Tokyo
USER = UserRef("test", "notice")
CAUSE = "login_notice"

# The three messages, then phrasings that are not in the corpus (kana, dialect, SMS / e-mail).
MESSAGES = [
    "知らない端末からログインしましたってSMSが来た",
    "身に覚えのないログイン通知が来た",
    "ログインしてないのにログインのお知らせメール",
    "身に覚えがないログインの通知SMSが来たんやけど",
    "自分はログインしてないのに「ログインがありました」ってメールが届いた",
    "しらないスマホからろぐいんされたってメールきた",
    "ログインした覚えないのに通知きた",
    "新しい端末からのログインのお知らせがきたけど心当たりがない",
]


def turn(conversation, text):
    return conversation.handle(ConversationState(welcomed=True), Situation(), Incoming(USER, text=text), NOW)


@pytest.mark.parametrize("text", MESSAGES)
def test_an_unrecognised_login_notice_gets_the_call_first(conversation, text):
    out = turn(conversation, text)
    assert out.state.node == CAUSE, [r.text[:40] for r in out.replies]
    more = conversation.handle(out.state, Situation(), Incoming(USER, text="くわしく"), NOW)
    body = "\n".join(r.text for r in (*out.replies, *more.replies))
    # The call, with its number, comes before anything else to do (the rest after 「くわしく」).
    assert body.index("プロミスコール") < body.index("0120-24-0365") < body.index("パスワード")
    recorded = {k: v for e in out.effects if isinstance(e, RecordFacts) for k, v in e.facts.items()}
    assert recorded.get("cause") == CAUSE


def test_the_answer_is_urgent_and_says_softly_where_the_fact_comes_from(flow):
    node = flow.result_for(CAUSE)
    assert node is not None and node.urgent
    assert node.step_calls[0] == "promise_call"
    assert "公式の案内ではなく" in node.note and "ようです" in node.note
    assert flow.sources_of(f"nodes.{node.id}.summary")


def test_with_another_cause_the_notice_comes_first_and_the_other_is_offered(conversation, flow):
    out = turn(conversation, "暗証番号を忘れたし、知らないログイン通知も来た")
    assert out.state.node == CAUSE
    assert GoCause("forgot_pin") in [c.action for c in out.replies[-1].choices]


def test_the_cause_has_its_own_varied_utterances_and_a_held_out_share(flow):
    lines = [e for e in load_examples(DEFAULT_FLOW, flow.causes) if CAUSE in e.labels]
    assert len(lines) >= 40
    assert 5 <= sum(e.held_out for e in lines) < len(lines)
    text = "\n".join(e.text for e in lines)
    for shape in ("SMS", "メール", "ショートメール", "ろぐいん", "へん", "とらん"):  # SMS, e-mail, kana, dialect
        assert shape in text, shape


def test_adding_the_cause_was_data_only(flow):
    """The cause lives in the flow file and the utterance file beside it: no Python names it."""
    from tests.conftest import ROOT

    assert CAUSE in flow.causes
    assert CAUSE in utterances_path(DEFAULT_FLOW).read_text(encoding="utf-8")
    code = [p for p in (ROOT / "bot").rglob("*.py") if CAUSE in p.read_text(encoding="utf-8")]
    assert code == []
