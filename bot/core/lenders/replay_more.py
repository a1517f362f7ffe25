"""The answer to 「どちらの会社ですか？」 that says more than the company (「〇〇、日にちは毎月8日」):
once the message that waited is replayed, what the answer adds is read too, as the answer to the
question the replay asked (the day, the time), so nothing the person said is lost."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.core.diagnosis.flow import Flow
from bot.core.dialogue import texts
from bot.core.dialogue.messages import Incoming
from bot.core.dialogue.state import Outcome

# What is left of an answer once the company's name is taken out: punctuation, particles, fillers.
_NOTHING_MORE = re.compile(r"[\s、,。.…!！?？・]|です|でした|だよ|だった|の|は|で|が|を|えっと|えーと|たしか|確か|かな")


def said_more(flow: Flow, text: str) -> str:
    """What ``text`` says beside ``flow``'s lender named (a value, a few words); "" when nothing."""
    rest = text
    for name in sorted({flow.lender.get("name", ""), *flow.aliases, *flow.short_aliases}, key=len, reverse=True):
        if name:
            rest = rest.replace(name, "")
    rest = rest.strip(" 、,。.…!！")
    return rest if len(_NOTHING_MORE.sub("", rest)) >= 2 else ""


def answered_too(flow: Flow, out: Outcome, incoming: Incoming, run: Callable[..., Outcome]) -> Outcome:
    """``out`` (the replayed message's turn) followed by the answer read at the question it asked;
    ``out`` alone when the answer adds nothing, no question waits, or the addition is not understood."""
    rest = said_more(flow, incoming.text or "")
    if out.state.pending is None or not rest:
        return out
    more: Outcome = run(flow.lender_id, replace(out.state), replace(incoming, text=rest))
    said = {r.text.split("\n")[0] for r in more.replies}
    if said & {texts.NOT_UNDERSTOOD, texts.NOT_UNDERSTOOD_MENU}:
        return out
    more.effects[:0] = out.effects
    return more
