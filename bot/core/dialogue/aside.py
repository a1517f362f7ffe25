"""A message of two parts: an aside, then the answer (「こわ…押してない。で、返済日は14日ね」), or two
sentences of which the whole reads as nothing (「じゃあそれで。あ、そういえば延滞してたら意味ある？」).

Each part goes down the route in its order, so the question the person is in hears its answer and
the aside is answered too; the aside's own way back to the question is left out (the second part
asks it, or answers it). A message that reads well whole is never split.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from bot.core.dialogue import texts
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.state import ConversationState, Outcome
from bot.core.situation.facts import Situation
from bot.core.understanding.textnorm import normalize

# 「…。で、」 「…、それで」 「…。じゃあ」: what comes after is what the person came back to say.
_PIVOT = re.compile(
    r"(?:(?<=[。…!！?？\s、,])|(?<=\.\.\.))(?:(?:で|んで|ほんで|そんで|じゃ)[、,]|(?:それで|じゃあ)[、,]?)\s*"
)
_SENTENCE = re.compile(r"(?<=[。!！?？\n])|(?<=…)(?!…)")

Route = Callable[[Outcome, str, Situation, datetime], object]


def answer_in_parts(
    out: Outcome,
    text: str,
    situation: Situation,
    now: datetime,
    route: Route,
    in_question: bool,
    unread: Callable[[object], bool],
) -> None:
    """Send ``text`` down ``route``; an aside before a pivot, or sentences when the whole reads as
    nothing (``unread`` of the stage that answered), go one after the other instead."""
    pivot = _PIVOT.search(text) if in_question else None
    if pivot is not None and text[: pivot.start()].strip() and len(normalize(text[pivot.end() :])) >= 3:
        _in_order(out, [text[: pivot.start()], text[pivot.end() :]], situation, now, route)
        return
    # Sentences, and the words after a pivot (「え、ちょっと待って、じゃあ一覧見せて」), each alone.
    parts = [q.strip() for p in _SENTENCE.split(text) for q in _PIVOT.split(p) if len(normalize(q)) >= 2]
    start, effects, before = len(out.replies), len(out.effects), ConversationState.from_dict(out.state.to_dict())
    stage = route(out, text, situation, now)
    if len(parts) < 2 or not (unread(stage) or _only_back(out.replies[start:])):
        return
    whole = (out.state, out.replies[start:], out.effects[effects:])
    out.state = before  # the whole read as nothing: each sentence is read alone instead
    del out.replies[start:], out.effects[effects:]
    if not _in_order(out, parts, situation, now, route, unread):
        out.state, out.replies[start:], out.effects[effects:] = whole  # no sentence read better alone


# Answers that only hear the words and go back: 「そうなんですね。」 「では、お知らせの設定に戻ります。」.
_HEARD_ONLY = (
    texts.REMARK_HEARD,
    texts.REMARK_HEARD_IDLE,
    texts.KEEP_GOING,
    texts.BACK_TO_QUESTION,
    texts.NOT_UNDERSTOOD,
)


def _only_back(replies: list[Reply]) -> bool:
    """True when the answer said nothing of its own: the words heard, then the question again."""
    return bool(replies) and any(replies[0].text.startswith(h) for h in _HEARD_ONLY)


def _in_order(
    out: Outcome,
    parts: list[str],
    situation: Situation,
    now: datetime,
    route: Route,
    unread: Callable[[object], bool] = lambda stage: False,
) -> bool:
    """Each part answered in turn; an earlier part keeps its answer (and anything urgent), not its way
    back to the question or the menu (the last part's answer ends the turn). True when a part read."""
    read = False
    for i, part in enumerate(parts):
        start = len(out.replies)
        stage = route(out, part.strip(" 、,"), situation, now)
        read = read or not (unread(stage) or _only_back(out.replies[start:]))
        if i == len(parts) - 1:
            break
        said = out.replies[start:]
        kept = [r for j, r in enumerate(said) if j == 0 or r.important]
        out.replies[start:] = [replace(r, choices=()) for r in kept]
    return read
