"""A message of two parts: an aside, then the answer (「こわ…押してない。で、返済日は14日ね」), or two
sentences of which the whole reads as nothing (「じゃあそれで。あ、そういえば延滞してたら意味ある？」).

The whole is read first; only when it did not answer the question the person is in (or read as
nothing) are the parts read one after the other: the aside answered, and the question hearing its
answer. An aside that the question itself would take (「わかった」 at a confirmation) is no aside:
it is left out, not taken as a yes. The aside's own way back to the question is left out too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from bot.core.dialogue import texts
from bot.core.dialogue.messages import Effect, Reply
from bot.core.dialogue.state import ConversationState, Outcome
from bot.core.situation.facts import Situation
from bot.core.understanding.textnorm import normalize

# 「…。で、」 「…、それで」 「…。じゃあ」: what comes after is what the person came back to say.
_PIVOT = re.compile(
    r"(?:(?<=[。…!！?？\s、,])|(?<=\.\.\.))(?:(?:で|んで|ほんで|そんで|じゃ)[、,]|(?:それで|じゃあ)[、,]?)\s*"
)
_SENTENCE = re.compile(r"(?<=[。!！?？\n])|(?<=…)(?!…)|(?<=[ぁ-ゖ一-龥ァ-ヶ][wｗ笑])\s+")
# Answers that only hear the words and go back: 「そうなんですね。」 「では、お知らせの設定に戻ります。」.
_HEARD_ONLY = (
    texts.REMARK_HEARD,
    texts.REMARK_HEARD_IDLE,
    texts.KEEP_GOING,
    texts.BACK_TO_QUESTION,
    texts.NOT_UNDERSTOOD,
)
# An earlier part's answer that says there was nothing to act on (「じゃあ止める。あと明日9時にリマインド」:
# no reminder was meant by 「止める」): left out when a later part reads.
_NOTHING_THERE = (texts.REMINDERS_EMPTY,)

Route = Callable[[Outcome, str, Situation, datetime], object]
Judge = Callable[[object], bool]


@dataclass(frozen=True, slots=True)
class Stages:
    """What the router says of the stage that answered: it read nothing; it was the question's own."""

    unread: Judge
    asked: Judge


@dataclass(slots=True)
class _Mark:
    """The outcome as it was, to go back to."""

    state: ConversationState
    replies: list[Reply]
    effects: list[Effect]

    @classmethod
    def of(cls, out: Outcome) -> _Mark:
        return cls(ConversationState.from_dict(out.state.to_dict()), list(out.replies), list(out.effects))

    def restore(self, out: Outcome) -> None:
        out.state, out.replies[:], out.effects[:] = self.state, self.replies, self.effects


def answer_in_parts(
    out: Outcome, text: str, situation: Situation, now: datetime, route: Route, in_question: bool, stages: Stages
) -> None:
    """Send ``text`` down ``route``; an aside before a pivot, or sentences when the whole reads as
    nothing, go one after the other instead."""
    before = _Mark.of(out)
    start = len(out.replies)
    stage = route(out, text, situation, now)
    if stages.asked(stage) and not _only_back(out.replies[start:]):
        return  # the question heard its answer in the whole message
    pivot = _PIVOT.search(text) if in_question else None
    if pivot is not None and text[: pivot.start()].strip() and len(normalize(text[pivot.end() :])) >= 3:
        whole = _Mark.of(out)
        before.restore(out)
        if not _aside_then_answer(out, text[: pivot.start()], text[pivot.end() :], situation, now, route, stages):
            whole.restore(out)
        return
    if not (stages.unread(stage) or _said_nothing(out.replies[start:])):
        return
    # Sentences, and the words after a pivot (「え、ちょっと待って、じゃあ一覧見せて」), each alone.
    parts = [q.strip() for p in _SENTENCE.split(text) for q in _PIVOT.split(p) if len(normalize(q)) >= 2]
    if len(parts) < 2:
        return
    whole = _Mark.of(out)
    before.restore(out)
    if not _in_order(out, parts, situation, now, route, stages.unread):
        whole.restore(out)  # no sentence read better alone: the whole's answer stands


def _aside_then_answer(
    out: Outcome, aside: str, answer: str, situation: Situation, now: datetime, route: Route, stages: Stages
) -> bool:
    """The aside answered (unless the question would take it: then it is left out), then the answer;
    False when the question does not take the answer either."""
    mark, start = _Mark.of(out), len(out.replies)
    if stages.asked(route(out, aside.strip(" 、,"), situation, now)):
        mark.restore(out)  # 「わかった。で、…」: an acknowledgement, not a yes to the question
    else:
        _trim(out, start)
    return stages.asked(route(out, answer.strip(" 、,"), situation, now))


def _only_back(replies: list[Reply]) -> bool:
    """True when the answer said nothing of its own: the words heard, then the question again."""
    return bool(replies) and any(replies[0].text.startswith(h) for h in _HEARD_ONLY)


def _said_nothing(said: list[Reply]) -> bool:
    """Only heard, or nothing there to act on: another reading of the parts may do better."""
    return _only_back(said) or bool(said and said[0].text.startswith(_NOTHING_THERE))


def _trim(out: Outcome, start: int, end: int | None = None) -> None:
    """An earlier part keeps its answer (and anything urgent), not its way back or its buttons; an
    answer that only heard it goes."""
    end = len(out.replies) if end is None else end
    said = out.replies[start:end]
    if _said_nothing(said):  # said by the part after it
        out.replies[start:end] = []
        return
    out.replies[start:end] = [replace(r, choices=()) for j, r in enumerate(said) if j == 0 or r.important]


def _in_order(out: Outcome, parts: list[str], situation: Situation, now: datetime, route: Route, unread: Judge) -> bool:
    """Each part answered in turn (the last answer that read ends the turn; a later part that read as
    nothing says nothing); True when a part read."""
    read, kept = False, None  # kept: where the answer of the last part that read begins
    for part in parts:
        start = len(out.replies)
        stage = route(out, part.strip(" 、,"), situation, now)
        this = not (unread(stage) or _only_back(out.replies[start:]))
        if kept is not None and not this:
            del out.replies[start:]  # 「…。プラごみの日」 after a part that read: nothing to add
            continue
        if kept is not None:
            before = len(out.replies)
            _trim(out, kept, start)
            start -= before - len(out.replies)  # the earlier answer got shorter
        kept, read = start, read or this
    return read
