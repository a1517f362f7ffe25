"""Things told as already fine or done: a lost card already taken care of (「カード止めてもらった」
「再発行してもらった」) is never answered with the urgent steps as if it had just happened; a PIN said
to be known (「暗証番号はわかる」) is never answered as a forgotten one."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core.diagnosis.answers import KNOWN_SECRET, known_secret
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.turn import Turn

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation

_CARD = re.compile(r"かーど|カード|なくし|無くし|失くし|落と|おと|盗ま|ぬすま|紛失|ふんしつ")
_STOPPED = re.compile(
    r"(?:止め|とめ|停止し|すとっぷし)て?もら(?:った|いました|えた)(?!ら)|(?:止め|とめ)(?:ました|た)(?![いくら])|利用停止(?:に)?してもらっ"
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
_NOT_ARRIVED = re.compile(r"(?:届|とど)(?:いてな|いていな|かな|きませ)|まだ(?:来て|きて|来な|こな)")
CARD_NOT_YET = (
    "カードがまだ届いていないのですね。届く時期や、届くまでのログインの仕方は、{name}に確かめるのが確実です。"
)
_ASKED = re.compile(r"[?？]|(?:たら|れば|なら)[^。]*(?:なる|なります|できる|使える|かな|の)")
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
        if turn.pending is not None or not _CARD.search(key) or _ASKED.search(turn.text):
            return False  # 「カード止めたらアプリも使えなくなる？」: a question, not news
        if _STILL.search(key) and not _NOT_ARRIVED.search(key):
            if not _NEW_CARD.search(key):
                return False
            turn.out.replies.append(Reply(NEW_CARD_STUCK))
            self.conv.dispatch(turn.out, Command("diagnose"), turn.situation, turn.now)
            return True
        if _NOT_ARRIVED.search(key):
            said = self.conv._fill(CARD_NOT_YET)  # 「カードはまだ届いてない」: not lost, not yet come
        elif _REISSUED.search(key):
            said = LOSS_REISSUED
        elif _STOPPED.search(key):
            said = self.conv._fill(LOSS_STOPPED)
        else:
            return False
        turn.out.replies.append(Reply(said, self.conv.menu_choices()))
        return True

    def known(self, turn: Turn) -> bool:
        """「暗証番号はわかる」 「パスワードは合ってる」 in a question: not forgotten; heard, and the
        question goes on (never the forgotten-PIN answer)."""
        thing = known_secret(turn.key)
        if not thing or not self.conv.fallback._in_question(turn.out):
            return False
        self.conv.fallback._repeat_question(turn.out, turn.now, KNOWN_SECRET.format(thing=thing))
        return True
