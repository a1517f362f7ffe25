"""The talk right after a secret was hidden: 「消しといて」 「え、まずかった？」 「変えたほうがいい？」
「どこで確認すれば？」 「じゃあどうすれば？」 are about what was sent (nothing was kept)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.turn import Turn

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation

# Right after a secret was hidden: a deletion, or a worry, about what was sent.
_ABOUT_THE_SECRET = re.compile(
    r"消して|けして|消しと|けしと|消せ|けせ|削除|さくじょ|だめ|ダメ|まずい|まずかっ|まずった|やば|大丈夫|だいじょうぶ|残って|のこって|保存|ほぞん|見られ|みられ"
)
_CHANGE_IT = re.compile(r"(?:変え|かえ|変更|へんこう)(?:た|る|て)?(?:ほう|方)?(?:が)?(?:いい|よい|べき)")
SECRET_CHANGE = (
    "はい。ここに送ったものは保存していませんが、念のため変えておくと安心です。変え方は、{name}の公式サイトやアプリの"
    "案内で確かめてください。新しいものは、人に推測されにくいものにしてください。"
)
_HOW_NOW = re.compile(r"どうすれば|どうしたら|どうしよう|どうする|どうすん|どない(?:し|す)")
# 「え、まずかった？」 「大丈夫？」 「怖いんだけど」: worry about what was sent, not a request to delete.
_ERASE = re.compile(r"消し|けし|消せ|けせ|削除|さくじょ")
_WORRIED = re.compile(r"まず|やば|だめ|ダメ|大丈夫|だいじょうぶ|怖|こわ|心配|しんぱい")
SECRET_OK = (
    "大丈夫です。送っていただいた番号は伏せてあり、保存もしていません。気になるときは、トーク画面で送信を取り消し、"
    "念のため{name}の公式の方法で暗証番号やパスワードを変えておくと安心です。"
)
GO_ON_WITHOUT_IT = "番号は送らなくても大丈夫です。このまま、いまの状況から原因を探しましょう。"
_MORE_THAN_IT = re.compile(r"記録|きろく|データ|でーた|全部|ぜんぶ|すべて|全て|りまいんだ|お知らせ|おしらせ")
SECRET_GONE = (
    "送っていただいた番号は保存していないので、こちらで消すものはありません。"
    "気になるときは、トーク画面から送信を取り消すこともできます。これからは、番号は送らずにご相談ください。"
)


# 「（番号）で合ってるかな」 then 「どこで確認すればいい？」: where the number itself is shown.
_WHERE_CHECK = re.compile(
    r"(?:どこ|どう)(?:で|に|やって)?(?:確認|かくにん|確かめ|たしかめ|見れ|みれ|調べ|しらべ|わかる|分かる)"
)
WHERE_TO_CHECK = (
    "番号は、お手元のカードの表や、公式アプリ・会員ページで確かめてください。"
    "合っているかどうかを、ここや人に送って確かめる必要はありません。"
)


class SecretTalk:
    """What follows a hidden secret, answered as part of that talk."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def after(self, turn: Turn) -> bool:
        """After a secret was hidden: 「消しといて」 「え、ダメなの？」 「残ってない？」 are about it (nothing
        was kept, so nothing is deleted); the question the person was in comes back."""
        if not turn.out.hid_before:
            return False
        turn.out.state.hid = True  # still that talk: 「じゃあどうすれば？」 next is about it too
        if _CHANGE_IT.search(turn.key):
            said = self.conv._fill(SECRET_CHANGE)  # 「変えたほうがいい？」: yes, the official way
        elif _WHERE_CHECK.search(turn.key):
            said = WHERE_TO_CHECK  # 「どこで確認すればいい？」: on the card itself, or the official app
        elif _HOW_NOW.search(turn.key) and not re.search(r"ログイン|ろぐいん|入れ|はいれ|入る|はいる", turn.key):
            return self._go_on_without_it(turn)  # 「じゃあどうすれば？」 (how to get in: its own answer)
        elif _ABOUT_THE_SECRET.search(turn.key) and not _MORE_THAN_IT.search(turn.key):
            # 「え、まずかった？」: reassured; 「消しといて」: nothing was kept (「記録も全部消して」 is more
            # than the message: read as asked)
            worried = _WORRIED.search(turn.key) and not _ERASE.search(turn.key)
            said = self.conv._fill(SECRET_OK) if worried else SECRET_GONE
        else:
            turn.out.state.hid = False
            return False
        if self.conv.fallback._in_question(turn.out):
            turn.out.replies.append(Reply(said))
            lead = texts.KEEP_GOING if turn.pending is not None else texts.BACK_TO_QUESTION
            self.conv.fallback._repeat_question(turn.out, turn.now, lead)
        else:
            turn.out.replies.append(Reply(said, self.conv.menu_choices()))
        return True

    def _go_on_without_it(self, turn: Turn) -> bool:
        """「じゃあどうすればいいの」 after a hidden secret: the question the person is in, or the diagnosis."""
        if self.conv.fallback._in_question(turn.out):
            self.conv.fallback._repeat_question(turn.out, turn.now, GO_ON_WITHOUT_IT)
        else:
            turn.out.replies.append(Reply(GO_ON_WITHOUT_IT))
            self.conv.dispatch(turn.out, Command("diagnose"), turn.situation, turn.now)
        return True
