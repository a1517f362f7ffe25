"""A lost card already taken care of (「カード止めてもらった」 「再発行してもらった」): heard as done,
never answered with the urgent steps as if it had just happened."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.turn import Turn

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation

_CARD = re.compile(r"かーど|カード|なくし|無くし|失くし|落と|おと|盗ま|ぬすま|紛失|ふんしつ")
_STOPPED = re.compile(
    r"(?:止め|とめ|停止し|すとっぷし)て?もら(?:った|いました|えた)|(?:止め|とめ)(?:ました|た)(?![いく])|利用停止(?:に)?してもらっ"
)
_REISSUED = re.compile(
    r"再発行(?:して)?もら(?:った|いました)|さいはっこう(?:して)?もらっ|再発行(?:が|は|も)?(?:済|すみ|すん|終わ|おわ)"
    r"|再発行し(?:た|ました)(?![いく])|新しい(?:かーど|カード)(?:が|を|は)?(?:届い|とどい|もらっ|受け取っ|うけとっ|になっ|ある|持って|もって)"
    r"|今は新しい(?:かーど|カード)"
)
# Still stuck (「新しいカード届いたけどログインできない」): that is a login problem, not news of the loss.
_STILL = re.compile(
    r"できない|できません|入れない|はいれない|えらー|エラー|ろっく|ロック|使えない|つかえない|ダメ|だめ|[?？]"
)

_NEW_CARD = re.compile(
    r"新しい(?:かーど|カード)|再発行(?:した|された|してもらった)?(?:かーど|カード)|再発行(?:して|し)もらっ"
)
NEW_CARD_STUCK = "新しいカードでログインできないのですね。"
LOSS_STOPPED = (
    "カードを止めてもらったのですね。まずはひと安心です。まだでしたら、警察にも届け出てください。"
    "新しいカードの受け取り方（再発行）は、{name}の案内に沿って進めてください。"
)
LOSS_REISSUED = (
    "再発行まで済んでいるのですね。おつかれさまでした。新しいカードでログインできないなど、"
    "困っていることがあれば教えてください。"
)


class LossTold:
    """A router stage: a loss told as already handled."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def handled(self, turn: Turn) -> bool:
        """「先月カードなくして再発行してもらった」: done, heard; what else, not the urgent steps;
        「新しいカード届いたけどログインできない」: the login problem, looked for from the start."""
        key = turn.key
        if turn.pending is not None or not _CARD.search(key):
            return False
        if _STILL.search(key):
            if not _NEW_CARD.search(key):
                return False
            turn.out.replies.append(Reply(NEW_CARD_STUCK))
            self.conv.dispatch(turn.out, Command("diagnose"), turn.situation, turn.now)
            return True
        if _REISSUED.search(key):
            said = LOSS_REISSUED
        elif _STOPPED.search(key):
            said = self.conv._fill(LOSS_STOPPED)
        else:
            return False
        turn.out.replies.append(Reply(said, self.conv.menu_choices()))
        return True
