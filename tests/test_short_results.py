"""Short first, details on request: a result's first bubble fits a phone screen and holds the action;
the rest waits behind 「くわしく」; the disclaimer is said once in a conversation, not under every result."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.core.diagnosis.flow import Node, load_flow
from bot.core.diagnosis.result_view import FIRST_CHARS, FIRST_LINES, fill_windows, render_final
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command, GoCause
from bot.core.dialogue.conversation import Conversation
from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.dialogue.state import ConversationState, Outcome
from bot.core.situation.facts import Situation

FLOWS = sorted((Path(__file__).parent.parent / "bot" / "flows").glob("*.toml"))
TOKYO = ZoneInfo("Asia/Tokyo")
THURSDAY = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 10:00 in Tokyo, outside maintenance
USER = UserRef("test", "short")


def _finals() -> list[tuple[Path, Node]]:
    return [(path, node) for path in FLOWS for node in load_flow(path).nodes.values() if node.is_final]


def _action(path: Path, node: Node) -> list[str]:
    """What the first bubble must hold: the first step, or the number to call."""
    flow = load_flow(path)
    wanted = [fill_windows(flow, node.steps[0])] if node.steps else []
    if node.step_calls and node.step_calls[0]:
        wanted.append(flow.contacts[node.step_calls[0]].phone)
    return wanted


@pytest.mark.parametrize("disclaimed", [True, False])
@pytest.mark.parametrize(("path", "node"), _finals(), ids=lambda x: getattr(x, "id", getattr(x, "stem", "")))
def test_every_result_opens_with_one_short_bubble_that_holds_the_action(path, node, disclaimed):
    flow = load_flow(path)
    out = Outcome(state=ConversationState(welcomed=True, disclaimed=disclaimed), replies=[])
    [first, *_rest] = render_final(flow, node, out, ())
    lines = [line for line in first.text.splitlines() if line.strip()]
    assert len(lines) <= FIRST_LINES <= 5, first.text
    assert len(first.text) <= FIRST_CHARS <= 150, (len(first.text), first.text)
    assert node.title in first.text
    assert all(part in first.text for part in _action(path, node)), first.text
    assert flow.lender.get("disclaimer", "-") not in first.text  # never in the first bubble


@pytest.mark.parametrize("cause", load_flow().causes)
def test_a_result_in_the_conversation_offers_details_first_and_they_say_the_rest(cause):
    flow = load_flow()
    conversation = Conversation(flow, TOKYO)
    state = ConversationState(welcomed=True, disclaimed=True)
    out = conversation.handle(state, Situation(), Incoming(USER, choice=GoCause(cause)), THURSDAY)
    result = next(r for r in out.replies if r.card is not None)
    assert len(result.text) <= 150 and len([x for x in result.text.splitlines() if x.strip()]) <= 5
    choices = next(r.choices for r in out.replies if r.choices)
    assert choices[0].label == texts.LABEL_DETAILS and len(choices) <= 5
    more = conversation.handle(out.state, Situation(), Incoming(USER, text="くわしく"), THURSDAY)
    said = "\n".join(r.text for r in (*out.replies, *more.replies))
    node = flow.nodes[cause]
    for step in node.steps:
        assert fill_windows(flow, step) in said
    if node.note:
        assert fill_windows(flow, node.note) in said
    if node.bring_ids:
        assert flow.id_short in said
    assert more.replies[-1].choices and texts.LABEL_DETAILS not in [c.label for c in more.replies[-1].choices]
    assert more.state.node == cause  # still at the result: 「まだ解決しない」 goes on from here


def test_three_results_in_one_conversation_say_the_disclaimer_once():
    flow = load_flow()
    conversation = Conversation(flow, TOKYO)
    disclaimer_words = "公式サービスではありません"
    said: list[str] = []
    state = ConversationState()
    for message in ["暗証番号を忘れた", "カードをなくした", "くわしく", "ロックされた", "メンテナンス中かも"]:
        out = conversation.handle(state, Situation(), Incoming(USER, text=message), THURSDAY)
        state = out.state
        said += [r.text for r in out.replies]
        said += ["\n".join(r.card.closing) for r in out.replies if r.card is not None and hasattr(r.card, "closing")]
    results = [t for t in said if t.startswith("【")]
    assert len(results) >= 4, results  # four results (and one 「くわしく」)
    assert "\n".join(said).count(disclaimer_words) == 1  # in the welcome only
    # ヘルプ says it again, on request.
    out = conversation.handle(state, Situation(), Incoming(USER, choice=Command("help")), THURSDAY)
    assert disclaimer_words in out.replies[0].text


def test_a_conversation_that_missed_the_welcome_hears_the_disclaimer_with_its_first_result_only():
    flow = load_flow()
    conversation = Conversation(flow, TOKYO)
    state = ConversationState(welcomed=True)  # welcomed before the flag existed, say
    seen = 0
    for cause in ("forgot_pin", "lost_card", "locked"):
        out = conversation.handle(state, Situation(), Incoming(USER, choice=GoCause(cause)), THURSDAY)
        state = out.state
        seen += sum(flow.lender["disclaimer"] in r.text for r in out.replies)
    assert seen == 1
    # A state saved by an earlier version (no flag) was welcomed, and the welcome said it.
    assert ConversationState.from_dict({"welcomed": True}).disclaimed
    assert not ConversationState.from_dict({}).disclaimed


def test_a_conversation_resumed_at_a_result_shows_its_short_first_bubble_again():
    flow = load_flow()
    conversation = Conversation(flow, TOKYO)
    state = ConversationState(welcomed=True, disclaimed=True)
    out = conversation.handle(state, Situation(), Incoming(USER, choice=GoCause("locked")), THURSDAY)
    again = conversation.handle(out.state, Situation(), Incoming(USER, choice=Command("resume")), THURSDAY)
    assert again.replies[0].text == texts.RESUME
    assert again.replies[1].text == out.replies[0].text and again.replies[1].text.startswith("【")
    assert again.replies[-1].choices[0].label == texts.LABEL_DETAILS
    assert flow.lender["disclaimer"] not in "\n".join(r.text for r in again.replies)
