"""The talk after a warning about a fraud or an illegal lender goes on: 「でも急いでるんだよね」,
「振り込んじゃだめ？」, 「どこに相談すればいい？」, 「もう一枚送っちゃった…」 are about that warning.

Each is answered in its own words (never the menu, never 「お答えできません」), with the free places to
talk to; a clear request for something else (a reminder, the diagnosis) is left to the later stages.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.fraud_reads import _SCARE
from bot.core.dialogue.messages import Choice, Reply
from bot.core.dialogue.turn import Turn
from bot.core.dialogue.words import _FEAR, _acts
from bot.core.safety.danger import fears_the_police

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation

# Pressed by need: 「でも急いでる」 「お金いるんだよね」 「払わないと間に合わない」 「振り込んじゃだめ？」.
_PRESSED = re.compile(
    r"急いで|いそいで|急ぎ|いそぎ|急ぐ|至急|しきゅう|今すぐ|いますぐ"
    r"|(?:お金|おかね|金|かね)(?:が)?(?:いる|要る|必要|ひつよう|ない|無い|足りな|たりな)"
    r"|間に合わ|まにあわ|払わないと|はらわないと|返さないと|かえさないと|借りるしか|かりるしか|ほかにない|他にない"
    r"|(?:振り込|ふりこ|振込|払|はら|借り|かり)(?:ん|ま)?(?:じゃ|ちゃ|では|ては)(?:だめ|ダメ|駄目|いけない|まずい)"
    r"|(?:振り込|ふりこ|払っ|はらっ|借り|かり)(?:ん|て)?でも(?:いい|大丈夫|だいじょうぶ|平気|へいき)"
    r"|(?:1回|一回|いっかい|今回|こんかい)だけ(?:なら)?"
)
# Where to go: 「どこに相談すればいい？」 「誰に言えば」 「相談先は？」 「警察？」.
_WHERE = re.compile(
    r"(?:どこ|どちら|誰|だれ)(?:に|へ)(?:相談|そうだん|言え|いえ|電話|でんわ|連絡|れんらく|行け|いけ|聞け|きけ)"
    r"|相談先|そうだんさき|相談(?:でき|すれ|したら|したい)|そうだん(?:でき|すれ|したら|したい)|窓口|まどぐち|通報|つうほう"
)
# Already done: 「送っちゃった」 「払ってしまった」 「写真もう送った」 (not 「送っちゃだめ？」, a question).
_DONE = re.compile(
    r"(?:送|おく|払|はら|振り込|ふりこ|振込|教え|おしえ|渡し|わたし)(?:っ|ん|し)?(?:ちゃった|じゃった|てしまった|てしもた|ちゃいました|てしまいました)"
    r"|(?:もう|既に|すでに)[^。]{0,10}(?:送|おく|払|はら|振り込|ふりこ)(?:っ|ん)?(?:た|だ)(?![ぁ-ゖ]*(?:ら|か))"
)
# 「振り込んじゃだめ？」: asked whether it may be done; the answer starts with no.
_MAY_I = re.compile(
    r"(?:じゃ|ちゃ|では|ては)(?:だめ|ダメ|駄目|いけない|まずい)|でも(?:いい|大丈夫|だいじょうぶ|平気|へいき)"
)
_ID_PAPERS = re.compile(
    r"枚|免許|めんきょ|身分証|みぶんしょう|保険証|ほけんしょう|まいなんばー|マイナ|まいな|写真|しゃしん|住所|じゅうしょ"
)

# Still tempted: 「ばれなきゃ大丈夫でしょ？」 「1個5万くれるらしい」 「みんなやってるし」.
_TEMPTED = re.compile(
    r"ばれ|バレ|大丈夫|だいじょうぶ|平気|へいき|くれる|もらえる|儲か|もうか|稼げ|かせげ|らしい|みんな|皆"
    r"|本当に(?:だめ|ダメ)|ほんとに(?:だめ|ダメ)|ちょっとだけ|少しだけ|すこしだけ|[?？]"
)
_ID_ASKED = re.compile(r"送れ|おくれ|送って|おくって|出せ|だせ|求め|もとめ|言われ|いわれ|欲しい|ほしい|必要")
DONT = "振り込んだり借りたりしないでください。"
ID_ASKED = (
    "身分証の写真は、送らないでください。勝手に借り入れや契約に使われることがあります。"
    "相手とのやりとりはやめて、画面は消さずに残し、警察相談専用電話（#9110）か消費者ホットライン（188）に相談してください。"
)
PRESSED = (
    "急いでいるときほど、狙われやすいです。先にお金を払う話や、登録のない相手から借りる話には、応じないでください。"
    "お金が戻らず、もっと苦しくなるおそれがあります。返済や暮らしのお金に困っているときは、下の窓口で無料で相談できます。"
)
WHERE = (
    "相談できるところです。詐欺や闇金かもしれないときは、警察相談専用電話（#9110）と消費者ホットライン（188）へ。"
    "脅されて危ないときは110番です。お金のやりくりは、下の窓口で無料で相談できます。"
)
DONE = (
    "知らせてくださって、ありがとうございます。送ってしまったものは取り消せませんが、今からできることがあります。"
    "これ以上は相手とやりとりせず、お金や書類も送らないでください。相手の名前・連絡先・やりとりの画面は消さずに残して、"
    "警察相談専用電話（#9110）か消費者ホットライン（188）に相談してください。"
)
DONE_ID = (
    "身分証の写真は、勝手に借り入れや契約に使われることがあります。身に覚えのない郵便や電話がないか気をつけて、"
    "心配なことがあれば、そのことも警察に伝えてください。"
)
FEAR = (
    "怖いですよね。ひとりで抱えなくて大丈夫です。相手には返事をせず、お金も送らないでください。"
    "脅されたり、しつこく連絡が来たりするときは、警察相談専用電話（#9110）へ。身の危険を感じたら110番です。"
)
TEMPTED = (
    "それでも、応じないでください。あとでお金を失ったり、罪に問われたりするおそれがあるのは、あなたのほうです。"
    "迷うときは、決める前に下の窓口に相談してください。"
)
# 「〇〇って名乗ってた」 「弁護士事務所って言ってた」 「本物か確かめる方法ある？」 of the caller.
_CLAIMED = re.compile(
    r"名乗|なのっ|なのり|って言って|っていって|と言って|といって|本物|ほんもの|(?:本当|ほんとう|ほんと)に[^。]{0,10}(?:か|かどうか)[^。]{0,4}(?:わから|分から|わかん|確かめ|たしかめ)"
)
CLAIMED = (
    "名前を名乗っていても、本物とは限りません。その電話やメッセージには答えず、いったん切ってください。"
    "本物か確かめるときは、届いた連絡の番号ではなく、カードや公式サイトにある番号に、ご自分からかけてください。"
    "脅されたり、お金を急がされたりしたときは、警察相談専用電話（#9110）か消費者ホットライン（188）へ。"
)
# 「カード止めるにはどこに電話すれば」 after a fraud warning: the card is stopped by the lender.
_STOP_CARD = re.compile(r"(?:かーど|カード)[^。]{0,6}(?:止め|とめ|停止|ていし)")
STOP_THE_CARD = "すぐにカードを止めてもらってください。下の{name}の番号に、ご自分から電話してください。"
# 「警察に言ったら家族にバレますか」 after a threat: the fear heard; how it goes is the police's to say.
POLICE_AND_FAMILY = (
    "ご家族に知られたくない、ということも、相談するときにそのまま伝えて大丈夫です。進め方は、まず"
    "警察相談専用電話（#9110）で相談できます。身の危険を感じたら、すぐ110番に電話してください。"
)
# 法テラス's number: questions.toml (houterasu.or.jp, read 2026-12-04).
HOUTERASU = "法テラス・サポートダイヤル：0570-078374"


def _lead(key: str) -> str:
    """What the words ask of the warning: something sent, pressed by need, papers asked, where to go."""
    if _DONE.search(key):
        return DONE + ("\n" + DONE_ID if _ID_PAPERS.search(key) else "")
    if _PRESSED.search(key):
        return (DONT + PRESSED) if _MAY_I.search(key) else PRESSED
    if _ID_PAPERS.search(key) and _ID_ASKED.search(key):
        return ID_ASKED
    if _CLAIMED.search(key):
        return CLAIMED
    return WHERE if _WHERE.search(key) else ""


def _feeling(key: str) -> str:
    """After a warning about money: fear (「怖い」), or still tempted (「ばれなきゃ大丈夫でしょ？」)."""
    if _FEAR.search(key):
        return FEAR
    return TEMPTED if _TEMPTED.search(key) else ""


class FraudTalk:
    """What follows a fraud or illegal-lender warning, answered as part of that talk."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def after(self, turn: Turn) -> bool:
        """「でも急いでる」 「どこに相談すれば」 「もう送っちゃった」 right after the warning."""
        if not turn.out.warned_before or _SCARE.search(turn.key):
            return False  # 「払わないと裁判って」: the message's scare has its own answer
        if _STOP_CARD.search(turn.key):
            # 「カード止めるにはどこに電話すれば」: the lender's line that stops the card, first
            self.conv.safety._phishing(turn.out, lead=self.conv._fill(STOP_THE_CARD))
            return True
        if turn.out.money_warned_before and fears_the_police(turn.text):
            self._answer(turn, POLICE_AND_FAMILY)  # 「警察に言ったら家族にバレますか」 after a threat
            return True
        lead = _lead(turn.key) or (_feeling(turn.key) if turn.out.money_warned_before and not _acts(turn.top) else "")
        if not lead:
            return False
        self._answer(turn, lead)
        return True

    def _answer(self, turn: Turn, lead: str) -> None:
        turn.out.state.warned = turn.out.state.money_warned = True  # the talk about it may go on
        money = self.conv.safety._phone_lines(self.conv.flow.crisis.get("money", ()))
        lines = [lead, "", *money, HOUTERASU]
        menu = (Choice(texts.LABEL_MENU, Command("menu")),)
        turn.out.replies.append(Reply("\n".join(lines), menu, important=True))
