"""What the words of a message say about a lost card, read over the understanding's reading."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core.dialogue.turn import Turn
from bot.core.dialogue.words import _STOP_WORDS
from bot.core.safety.card_hand import card_at_hand
from bot.core.safety.net import is_urgent_loss
from bot.core.understanding import Reading, Scored

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation

# The card already stopped (「電話した、止めてもらった」): a step done, not a request to stop it.
_STOPPED_ALREADY = re.compile(
    r"(?:止め|とめ|停止し)(?:て)?(?:もらった|もらいました|た|ました|てある|てもらえた)|止まった|とまった|止まりました"
)


def card_words(conv: Conversation, turn: Turn, reading: Reading) -> Reading:
    """What the words say about a lost card, over the reading (never answers by itself)."""
    lost = conv.diagnosis._lost_cause()
    if lost is None or reading.top.intent == "status":
        return reading  # 「カード失くしたことって覚えてる？」: the record asked for, not the card
    lost_node = conv.flow.result_for(lost)
    after_loss = (
        lost_node is not None
        and turn.out.state.node == lost_node.id
        and bool(_STOP_WORDS.search(turn.key))
        and not _STOPPED_ALREADY.search(turn.key)  # 「止めてもらった」: done, told
    )
    if reading.top.intent != lost and (is_urgent_loss(turn.text) or after_loss):
        # 「カード番号…なんだけど止めたい」: stopping the card is the 24-hour line, now.
        reading = replace(reading, ranked=(Scored(lost, 1.0), *reading.ranked))
    at_hand = card_at_hand(turn.text)
    if at_hand is not None and (reading.top.intent == lost or (at_hand == "have" and turn.situation.card_lost)):
        # 「カードは持ってます」 「カードレスだから持ってない」: said of a card that is not lost.
        said = Scored("card_found" if at_hand == "have" else "none", 0.6)
        reading = replace(reading, ranked=(said, *reading.ranked[1:]))
    return reading
