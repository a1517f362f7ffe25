"""Questions about the bot itself, asked in the middle of anything: one entry each (the words that
ask it, and the answer). The answer is given and the question the person is in comes back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.turn import Turn

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


@dataclass(frozen=True, slots=True)
class Question:
    """One question about the bot: the words that ask it, and what the bot answers."""

    asks: re.Pattern[str]
    answer: str


QUESTIONS = (
    Question(
        re.compile(
            r"(?:通知|つうち|お知らせ|おしらせ|リマインダー|りまいんだー).*(?:どこ|line|ライン|らいん|discord|スマホ|すまほ|届く|とどく|来る|くる)"
        ),
        "お知らせは、いまお話ししているこのトーク（チャット）に届きます。スマホの通知を許可しておくと、気づきやすくなります。",
    ),
    Question(
        re.compile(
            r"スヌーズ|すぬーず|(?:あとで|後で|もう一回|もう一度|もういっかい).*(?:できる|できます|教えてくれる)"
        ),
        "届いたお知らせの「1時間後にもう一度」「明日の同じ時刻に」のボタンで、あとでもう一度お知らせできます。"
        "「30分後にもう一回」と送っていただいても大丈夫です。",
    ),
    Question(
        re.compile(
            r"(?:何時|なんじ|いつ).*(?:通知|つうち|お知らせ|おしらせ).*(?:来る|くる|届く)|ちょうど[?？]|ぴったり[?？]"
        ),
        "お知らせは、設定した時刻ちょうどにお送りします（混み合うと、数分遅れることがあります）。",
    ),
    Question(
        re.compile(r"何日前|なんにちまえ"),
        "返済日のお知らせは、返済日の1〜7日前から選べます。選んだ日と、返済日の当日にお知らせします。",
    ),
    Question(
        re.compile(r"(?:なんで|なぜ|どうして).*(?:覚えて|おぼえて|記録し|保存し).*(?:くれない|ない)"),
        "暗証番号やパスワード、カード番号は、あなたを守るため、このボットでは記録しないことにしています。",
    ),
    Question(
        re.compile(r"(?:情報|記録|データ|でーた|じょうほう|きろく).*(?:どこに|どこで).*(?:保存|保管|記録|置|ある)"),
        "記録は、このボットを動かしているサーバーのデータベースに保存しています。暗証番号やカード番号は保存しません。"
        "「記録を見る」で中身を確認でき、「記録を消す」で削除できます。",
    ),
    Question(
        re.compile(r"無料|むりょう|タダ|ただで|料金|りょうきん|お金(?:が|は)?かか|有料|ゆうりょう"),
        "このボットの利用に料金はかかりません（通信料は、ふだんのご利用と同じです）。",
    ),
    Question(
        re.compile(r"(?:電話|でんわ)(?:を)?(?:して|かけて)(?:くれる|くれます|もらえる)"),
        "このボットから電話をかけることはありません。設定した時刻に、このトークにお知らせを送ります。",
    ),
    Question(
        re.compile(
            r"(?:情報|記録|データ|でーた|じょうほう|きろく).*(?:何に使う|なにに使う|なんに使う|何に使われ|どう使う)"
        ),
        "記録した内容は、原因探しとお知らせのためだけに使います。「記録を見る」でいつでも確認でき、「記録を消す」で削除できます。",
    ),
)


def _asking(text: str) -> bool:
    return bool(re.search(r"[?？]|(?:ますか|ですか|かな|の|る)[。…\s]*$", text))


class Faq:
    """A router stage: a question about the bot, answered wherever the person is."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def answer(self, turn: Turn) -> bool:
        if not _asking(turn.text):
            return False
        found = next((q for q in QUESTIONS if q.asks.search(turn.key)), None)
        if found is None:
            return False
        out = turn.out
        if self.conv.fallback._in_question(out):
            out.replies.append(Reply(found.answer))
            lead = texts.KEEP_GOING if out.state.pending is not None else texts.BACK_TO_QUESTION
            self.conv.fallback._repeat_question(out, turn.now, lead)
        else:
            out.replies.append(Reply(found.answer, self.conv.menu_choices()))
        return True
