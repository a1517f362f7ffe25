"""One core turn: median time of Conversation.handle over a realistic mix of messages."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.diagnosis.flow import load_flow
from bot.core.dialogue.conversation import Conversation, ConversationState
from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.situation.facts import Situation

MESSAGES = ["ログインできない", "2", "カードを落とした", "状況", "メンテ中？", "暗証番号は1234", "あいうえお", "戻る"]


def run(rounds: int = 3000) -> dict[str, float]:
    """Return the median and p99 of one turn in microseconds."""
    conversation = Conversation(load_flow(), ZoneInfo("Asia/Tokyo"))
    user = UserRef("bench", "u")
    now = datetime(2026, 12, 3, tzinfo=UTC)
    state = ConversationState(welcomed=True)
    samples = []
    for i in range(rounds):
        incoming = Incoming(user, text=MESSAGES[i % len(MESSAGES)])
        start = time.perf_counter()
        out = conversation.handle(state, Situation(), incoming, now)
        samples.append(time.perf_counter() - start)
        state = out.state
    samples.sort()
    return {"median_us": statistics.median(samples) * 1e6, "p99_us": samples[int(len(samples) * 0.99)] * 1e6}
