"""Worn-out words said beside a request (「もう全部どうでもよくなった。リマインドも全部消して」): the
request is answered as asked, and the words are heard too, with one line that listens at any hour.

Words of crisis are the safety net's (they come before anything); these are the quieter ones that the
fallback hears when nothing else is said, and that a request would otherwise pass over in silence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.dialogue.messages import Reply
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.words import _DESPAIR

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation

BESIDE = "それと、おつらい気持ちが伝わってきました。ひとりで抱えなくて大丈夫です。話を聞いてくれる人がいます。"


def hear_despair_beside(conv: Conversation, out: Outcome, start: int) -> None:
    """When the turn's answer passed over worn-out words, add them heard, and one line that listens."""
    found = _DESPAIR.search(out.said)
    crisis = conv.flow.crisis
    if found is None or not crisis or out.state.cared:
        return
    phones = [conv.flow.contacts[c].phone for c in (*crisis["contacts"], *crisis.get("money", ()))]
    said = [r.text for r in out.replies[start:]]
    if any(r.important for r in out.replies[start:]) or any(p in t for p in phones for t in said):
        return  # already heard (the fallback's care, a crisis, a danger answer, the counselling lines)
    lines = [BESIDE, *conv.safety._phone_lines(crisis["contacts"][:1])]
    out.replies.append(Reply("\n".join(lines)))
