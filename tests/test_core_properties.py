"""Nothing escapes the core: arbitrary text, button payloads and picker values always get an answer;
a message that does break a turn gets a polite answer, one log line, and does not touch the others."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.dialogue import texts
from bot.core.dialogue.actions import decode
from bot.core.dialogue.conversation import Conversation, ConversationState
from bot.core.dialogue.messages import Incoming, UserRef
from bot.core.situation.facts import Situation
from bot.service import ChatService

USER = UserRef("test", "prop")
NOW = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)
WIRE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["a:", "p:", "c:", "rd:", "rb:", "rt:", "rc:", "r:"]).flatmap(
        lambda k: st.text(alphabet="0123456789:-T+abcz²٣", max_size=30).map(lambda rest: k + rest)
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.one_of(st.none(), st.text(max_size=200)),
    wire=st.one_of(st.none(), WIRE),
    picked=st.one_of(st.none(), st.text(max_size=30), st.datetimes().map(lambda d: d.isoformat()[:16])),
    node=st.one_of(st.none(), st.sampled_from(["start", "q_attempts", "q_lock_shown", "locked", "nope"])),
    hours=st.integers(min_value=0, max_value=24 * 400),
)
def test_the_core_answers_anything(conversation, text, wire, picked, node, hours):
    action = decode(wire) if wire is not None else None
    incoming = Incoming(
        USER,
        text=text,
        choice=action,
        stale=wire is not None and action is None,
        params={"datetime": picked} if picked is not None else {},
    )
    state = ConversationState(welcomed=True, node=node)
    out = conversation.handle(state, Situation(), incoming, NOW + timedelta(hours=hours))
    assert out.replies and all(r.text for r in out.replies)
    ConversationState.from_dict(out.state.to_dict())  # what is stored reads back


class _Breaks(Conversation):
    """A conversation with a bug that one message meets."""

    def handle(self, state, situation, incoming, now, *args, **kwargs):
        if incoming.text == "💣":
            raise ValueError("a bug")
        return super().handle(state, situation, incoming, now, *args, **kwargs)


def test_a_poisonous_message_gets_a_polite_answer_and_the_others_go_on(store, flow, clock, caplog):
    from zoneinfo import ZoneInfo

    service = ChatService(store, _Breaks(flow, ZoneInfo("Asia/Tokyo")), clock=clock)
    with caplog.at_level(logging.INFO):
        replies = service.handle(Incoming(USER, text="💣", event_id="bad-1"), once="bad-1")
    assert replies is not None and replies[0].text == texts.TURN_FAILED and replies[0].choices
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "bad-1" in errors[0].getMessage() and "💣" not in caplog.text
    assert errors[0].exc_info is None
    # Applied once: a redelivery is a duplicate, not a second failure.
    assert service.handle(Incoming(USER, text="💣", event_id="bad-1"), once="bad-1") is None
    replies = service.handle(Incoming(USER, text="ヘルプ", event_id="good-1"), once="good-1")
    assert replies and "このボットでできること" in "\n".join(r.text for r in replies)
