"""What comes after an answer of the safety net or a result: the next message is read as about it.

After words of crisis, what is not a clear request is met with care again (never a menu of
deletions); after a fraud warning, 「本物？」 and 「押しちゃった」 get what to do; a question about a
result that the bot has no sourced answer for is said so honestly, with whom to ask, and the result's
choices stay.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.fraud_reads import _fraud_lead
from bot.core.dialogue.messages import Choice, Reply
from bot.core.dialogue.turn import Turn
from bot.core.dialogue.words import _ANGER, _FEAR, _WHAT_NOW, ACT, SUBJECT_WORDS, _acts
from bot.core.safety.danger import (
    CALLED,
    DANGER_AGAIN,
    POLICE_WITH_DEBT,
    POLICE_WORRY,
    about_debt,
    at_home,
    called_already,
    fears_the_police,
    will_call,
)
from bot.core.safety.fraud import is_loan_shark
from bot.core.safety.net import in_danger_now
from bot.core.situation.statements import stated_facts
from bot.core.understanding import ANSWERS

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation

# Wanting someone to listen: the bot cannot, people on the help line can.
_TALK_WISH = re.compile(
    r"話(?:を)?聞いて|はなし(?:を)?きいて|聞いてほし|きいてほし|聞いてくれ|きいてくれ|話し相手|はなしあいて"
    r"|誰かと話|だれかと話|だれかとはな|誰かに話|だれかにはな|寂しい|さみしい|さびしい|孤独|こどく|ひとりぼっち"
)
# 「別に死ぬとかじゃないけど」: death named to say it is not that; still heard with care, never guessed at.
_DEATH_DENIED = re.compile(
    r"(?:死|しぬ|しに|消え|きえ)(?:ぬ|にたい|に|たい|る)?(?:とか|わけ|って(?:わけ)?)?(?:じゃ|では|ちゃう)(?:ない|なく|ありません|ねえ|ないよ)|死にはしない|死なない|しなない"
)
_NO_PHONE = re.compile(
    r"(?:電話|でんわ|かける)(?:とか|は|が|も)?(?:無理|むり|できない|できん|でけへん|苦手|にがて|怖|こわ|したくない)"
    # 「チャットとかある？」 「LINEで相談できる？」: words, not a voice
    r"|(?:チャット|ちゃっと|line|ライン|らいん|sns|メール|めーる|文字|もじ)(?:とか|で|の)?[^。]{0,6}(?:ある|あり|でき|相談|そうだん|話せ|はなせ)"
)
# Chat and LINE counselling, listed by the health ministry's 「まもろうよ こころ」 page
# (mhlw.go.jp/mamorouyokokoro/, as cited by local government pages, read 2026-12-05).
CARE_NO_PHONE = (
    "電話がむずかしいときは、無理にかけなくて大丈夫です。チャットやLINEで、文字で相談できる窓口もあります。"
    "厚生労働省の「まもろうよ こころ」（https://www.mhlw.go.jp/mamorouyokokoro/）から選べます。"
    "ここで話してくださっても大丈夫です。命の危険があるときは、119番に電話してください（近くの人にかけてもらうこともできます）。"
)
_POLICE = re.compile(r"警察|けいさつ|110|通報|つうほう")
# Readings that after words of crisis are no request at all (「話聞いてほしい」 read as forget).
_NO_REQUEST = frozenset({"forget", "bye", "quit", "about_bot", "thanks", "none", "solved", "not_solved"})
_IS_IT_REAL = re.compile(
    r"借りて(?:は|も)?(?:いる|る|います|ます)|かりて(?:は|も)?(?:いる|る)|それっぽい|本物っぽ|公式っぽ|送信元|そうしんもと|アドレス|あどれす|本物|ほんもの|本当|ほんとう|ほんと|偽物|にせもの|詐欺|さぎ|公式|こうしき|信じ|大丈夫|だいじょうぶ|怪しい|あやしい"
)
# A question: a question mark, or the endings and words of one.
_QUESTION = re.compile(
    r"[?？]|(?:ますか|ですか|でしょうか|のか|かな|かね|っけ|の)[。…\s]*$|いつ|どのくらい|どれくらい|どれぐらい|何日|何時間"
    r"|なんで|なぜ|どうして|ほうがいい|方がいい|ほうがええ|ほうが良い|できる[？?]?$|なる[？?]?$|かかる|大丈夫(?!だった|でした|そう|です[。!！]*$|だ[。!！]*$)"
)
# Readings that do not make a question about a result into something else.
_NOT_ELSEWHERE = frozenset({"bye", "about_bot", "thanks", "none", "quit", "solved", "forget"}) | ANSWERS


# Facts about oneself the bot does not keep (only what the diagnosis and the reminders need).
_UNKEPT = (
    (re.compile(r"名前|なまえ|氏名|しめい|苗字|みょうじ"), "お名前"),
    (
        re.compile(r"住所|じゅうしょ|電話番号|でんわばんごう|メアド|メールアドレス|生年月日|誕生日|たんじょうび"),
        "ご住所や連絡先",
    ),
    (
        re.compile(
            r"スマホ|すまほ|携帯|けいたい|iphone|android|アンドロイド|あんどろいど|機種|きしゅ|パソコン|ぱそこん"
        ),
        "お使いの機種",
    ),
    (
        re.compile(
            r"給料|きゅうりょう|年収|ねんしゅう|月収|げっしゅう|収入|しゅうにゅう|手取り|てどり|\d+万|万円|借金|しゃっきん|残高|ざんだか"
        ),
        "収入や金額",
    ),
    (
        re.compile(
            r"年齢|ねんれい|\d+歳|\d+さい|仕事|しごと|職業|しょくぎょう|会社員|パート|ぱーと|アルバイト|無職|むしょく"
        ),
        "年齢やお仕事",
    ),
)
# 「名前は田中です」 「スマホはiPhone」: telling, not asking (no question, no request verb).
_TELLING = re.compile(r"^(?:私|わたし|僕|ぼく|俺|おれ|うち)?(?:の)?[^?？。]{0,12}?(?:は|が|って)[^?？]{1,24}$")
_ASKS_SOMETHING = re.compile(r"[?？]|して|ください|たい|ほしい|消|けし|削除|教え|おしえ|見せ|みせ|ない$|できない")


_WHERE_TO_CALL = re.compile(
    r"どこに(?:電話|でんわ|連絡|れんらく)|(?:電話|でんわ)番号|連絡先|れんらくさき|何番|なんばん|だれに|誰に"
)
_WHEN_OPEN = re.compile(
    r"土日|どにち|祝日|しゅくじつ|何時|なんじ|いつまで|営業|時間|じかん|夜|よる|朝|あさ|休み|やすみ|年末|正月"
)
_ACK = re.compile(
    r"(?:はい|うん|わかった|わかりました|分かった|分かりました|了解|りょうかい|了解です|承知しました|おけ|ok|オッケー|おっけー|なるほど"
    r"|りょ|りょー|さんきゅー|サンキュー|さんくす|thx|thanks|ありがと|ありがとう)"
    r"[、,。!！\s]*(?:ありがとう(?:ございます|ございました)?|どうも|助かった|助かりました|です)?[。!！]*"
    # 「わかった かけてみる」 「じゃあまとめて電話する」 「めんどくさ…でもやるか」: the step, to be done
    r"|(?:(?:はい|うん|わかった|わかりました|了解|りょうかい|じゃあ|じゃ|よし|でも)[、,。…\s]*)?(?:まとめて|今から|いまから|あとで|明日|明日の朝|あしたのあさ|朝|あさ|月曜|月曜日)?"
    r"(?:電話|でんわ|かけて|行って|いって|やって|試して|ためして)?(?:みる|みます|する|します|くる|きます|るか|るわ|ます)[。!！]*"
    r"|.{0,8}(?:でも|まあ)(?:やるか|やるわ|やります|行くか|いくか|かけるか)[。!！]*"
)
_THANKED = re.compile(r"ありがと|助か|どうも")
# 「もう大丈夫」 「大丈夫です」 (no question mark): nothing more needed here.
_FINE_NOW = re.compile(r"(?:もう)?(?:大丈夫|だいじょうぶ)(?:です|でした|そう|かな)?[。!！]*")
# A step of a result done, told in the past (「電話した」 「止めてもらった」 「警察に届けた」).
_STEP_DONE = re.compile(
    r"(?:電話|でんわ|連絡|れんらく)(?:を|は|も)?し(?:た|ました|てきた|ておいた|といた)"
    r"|(?:止め|とめ|停止し)て?もら(?:った|いました|えた)|(?:届け|とどけ)(?:た|ました|出た|でた|てきた)"
    r"|(?:再設定|さいせってい|変更|へんこう|再発行|さいはっこう)(?:を|は|も)?(?:もう)?(?:し|やっ)(?:た(?!い|く|か)|ました|てきた)"
)
# ...unless it did not work (「電話したけどつながらない」): that is the later stages'.
_NOT_DONE = re.compile(r"けど|けれど|でも|のに|ない|ません|だめ|ダメ|無理|むり|[?？]|まだ")
# Said when a step was done (this module's own line: the shared copy file is full).
TRIED_ALREADY = "いろいろ試してくださったのですね。それでもログインできないときは、原因を一緒に確かめましょう。"
STEP_DONE = "対応してくださったのですね。ありがとうございます。ほかに残っていることがあれば、下から選んでください。"
_CONSULT = re.compile(r"相談|そうだん|窓口|まどぐち|話を聞|はなしをき|聞いてくれる|きいてくれる")
# 「解除方法」 「やり方は？」 「手順」: how to do what the result says.
_HOW_TO = re.compile(
    r".{0,8}(?:方法|ほうほう|やり方|やりかた|手順|てじゅん|仕方|しかた)(?:は|を教えて|おしえて)?[?？]*"
)
# 「自分じゃない」 「私じゃないです」: who did it (after a notice), a yes to the result on the screen.
_SELF_DENIED = re.compile(r"(?:自分|じぶん|私|わたし|僕|ぼく|俺|おれ)(?:じゃ|では)(?:ない|ないです|ありません)[。!！]*")
_SELF = re.compile(r"自分|じぶん|私|わたし|僕|ぼく|俺|おれ|本人|ほんにん")


# A question after a fraud warning that is about something else (「で、リマインダーは？」).
_OTHER_TOPIC = re.compile(r"りまいんだ|おしらせ|設定|せってい|予定|よてい|続き|つづき")


def _a_request(turn: Turn) -> bool:
    """A clear request (the diagnosis, a reminder), or a set-up's answer (「で、前日の朝8時で」), after
    words of crisis: answered as asked (the care goes on, for what follows)."""
    if _acts(turn.top) and turn.top.intent not in _NO_REQUEST:
        return True
    if turn.pending is not None and _SETUP_VALUE.search(turn.key):
        turn.out.state.cared = True
        return True
    return False


_REMIND_ASKED = re.compile(r"りまいんど|りまいんだ|お知らせ|おしらせ|通知|つうち|教えて|おしえて|知らせて|しらせて")
# An answer to a set-up's question said after words of crisis (「で、前日の朝8時で」): a value.
# A bare 「…うん」 right after the words of care answers them, not the set-up's question.
_SETUP_VALUE = re.compile(r"\d|時|日前|前日|当日|毎月|お願い|おねがい|設定|せってい|それで")


class Aftercare:
    """Stages of the router that read the next message as about what was just answered."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def after_care(self, turn: Turn) -> bool:
        """After words of crisis, or a wish to be listened to: care, and people who listen."""
        if not self.conv.flow.crisis:
            return False
        wish = bool(_TALK_WISH.search(turn.key) or _DEATH_DENIED.search(turn.key))
        if not (wish or turn.out.cared_before):
            return False
        if turn.out.cared_before and _NO_PHONE.search(turn.key):
            # 「電話とか無理」 after words of crisis: no number pressed; someone near, and 119 at need.
            turn.out.state.cared = True
            turn.out.replies.append(Reply(CARE_NO_PHONE, (Choice(texts.LABEL_MENU, Command("menu")),), important=True))
            return True
        if turn.out.cared_before and _CONSULT.search(turn.key):
            # 「相談できるとこある？」 after words of crisis: the people to talk to, not a company's line.
            self.conv.safety._counselling(turn.out)
            return True
        calling = turn.out.cared_before and will_call(turn.key)  # 「電話してみる」: a help line
        # 「明日あの会社に電話するのだけリマインドして」: a reminder asked, not a call said.
        calling = calling and not _REMIND_ASKED.search(turn.key)
        if not (wish or calling) and _a_request(turn):
            return False
        self.conv.safety._care_again(turn.out)
        return True

    def after_danger(self, turn: Turn) -> bool:
        """After the police number (violence, someone at the door): a reason not to call, or any words
        that are no clear request, get the police number again and where to talk about it."""
        if not turn.out.endangered_before:
            return False
        worry = fears_the_police(turn.key) or (bool(_POLICE.search(turn.key)) and about_debt(turn.text))
        called = called_already(turn.text)
        if not (worry or called or in_danger_now(turn.text)) and _acts(turn.top) and turn.top.intent not in _NO_REQUEST:
            return False  # a clear request (the diagnosis, a reminder) is answered as asked
        lead = (
            CALLED
            if called
            else (POLICE_WITH_DEBT if about_debt(turn.text) else POLICE_WORRY)
            if worry
            else DANGER_AGAIN
        )
        self.conv.safety._danger(turn.out, turn.text, lead=lead, lines=at_home(turn.text))
        return True

    def after_fraud(self, turn: Turn) -> bool:
        """After a fraud warning: clicked or typed something in, or is it real?"""
        # 「警察に言うのこわい」: its own answer (a call to talk it over first); 「相手は個人。友達の紹介で
        # 借りた」 after a threat: the illegal lender's answer.
        shark = turn.out.money_warned_before and is_loan_shark(turn.text)
        if not turn.out.warned_before or fears_the_police(turn.text) or shark:
            return False
        lead = _fraud_lead(turn.key)
        if lead:  # 「リンク押しちゃった」 「怖い」 「知り合いの知り合いなんだけど」: still about the fraud
            self.conv.safety._phishing(turn.out, lead=lead)
            return True
        # Any question after the warning is about it, unless it clearly asks for something else
        # (「で、リマインダーは？」 goes back to the set-up).
        other = _acts(turn.top) or self.conv.dialog.in_progress(turn.out) or _OTHER_TOPIC.search(turn.key)
        if _IS_IT_REAL.search(turn.key) or (_QUESTION.search(turn.text) and not other):
            self.conv.safety._phishing(turn.out, lead=texts.FRAUD_REAL)
            return True
        return False

    def acknowledged_at_result(self, turn: Turn) -> bool:
        """「わかりました」 「はい」 「ありがとう」 at a result: nothing more to do here; what else, not the
        result again (and never 「読み取れませんでした」)."""
        node = self.conv.flow.nodes.get(turn.out.state.node or "")
        if node is None or not node.is_final or turn.pending is not None:
            return False
        top = turn.top
        fine = bool(_FINE_NOW.fullmatch(turn.key)) and not re.search(r"[?？]", turn.text)
        if not (fine or _ACK.fullmatch(turn.key) or (top.intent in ("yes", "thanks") and top.score >= ACT)):
            return False
        thanked = top.intent == "thanks" or bool(_THANKED.search(turn.key))
        turn.out.replies.append(Reply(texts.THANKS if thanked else texts.ACKNOWLEDGED, self.conv.menu_choices()))
        return True

    def step_done_at_result(self, turn: Turn) -> bool:
        """「電話した、止めてもらった」 「警察に届けた」 at a result: a step done, heard; the result's
        choices for what is left (not the same steps again as if nothing had happened)."""
        node = self.conv.flow.nodes.get(turn.out.state.node or "")
        if turn.pending is not None or (node is not None and not node.is_final):
            return False
        if not _STEP_DONE.search(turn.key) or _NOT_DONE.search(turn.key):
            return False
        if node is None:
            # 「再設定はもうやった、電話もした」 before any diagnosis: heard, then the causes to look at.
            turn.out.replies.append(Reply(TRIED_ALREADY))
            self.conv.dispatch(turn.out, Command("diagnose"), turn.situation, turn.now)
            return True
        turn.out.replies.append(Reply(STEP_DONE, self.conv.diagnosis._result_choices(node)))
        return True

    def denied_at_result(self, turn: Turn) -> bool:
        """「いや、メンテじゃなかった」 「いいえ」 at a result: not this cause; the next likely one."""
        node = self.conv.flow.nodes.get(turn.out.state.node or "")
        if node is None or not node.is_final or turn.pending is not None:
            return False
        if turn.top.intent != "no" or turn.top.score < ACT or _SELF.search(turn.key) or stated_facts(turn.key):
            return False  # 「自分じゃないです」 is about who logged in; 「延滞はしてないはず」 is a fact told
        self.conv.dispatch(turn.out, Command("not_solved"), turn.situation, turn.now)
        return True

    def unkept_fact(self, turn: Turn) -> bool:
        """A fact about oneself that the bot does not keep: thanked, and said it is not kept."""
        if turn.pending is not None or not _TELLING.search(turn.key) or _ASKS_SOMETHING.search(turn.key):
            return False
        if _FEAR.search(turn.key) or _ANGER.search(turn.key):
            return False  # 「借金で首が回らない、もうだめだ」: a feeling, not a fact to file
        what = next((label for pattern, label in _UNKEPT if pattern.search(turn.key)), None)
        if what is None or (_acts(turn.top) and turn.top.intent not in _NO_REQUEST):
            return False
        turn.out.replies.append(Reply(texts.UNKEPT_FACT.format(what=what)))
        self.conv.fallback._repeat_question(turn.out, turn.now, texts.KEEP_GOING)
        return True

    def question_at_result(self, turn: Turn) -> bool:
        """A question about the result on the screen that no rule answers: said honestly, whom to ask."""
        out, flow = turn.out, self.conv.flow
        node = flow.nodes.get(out.state.node or "")
        if node is None or not node.is_final or turn.pending is not None:
            return False
        if _steps_asked(turn.key):
            out.replies.extend(self.conv.render._render_final(node, out))
            return True
        if not _QUESTION.search(turn.text) or not _about_the_result(turn, node.result):
            return False
        last = flow.nodes.get(flow.last_step or "")
        holder = node if node.contacts else last
        if holder is None or not holder.contacts:
            return False
        cid = holder.contacts[0]
        lines = [_lead_for(turn.key).format(name=flow.contacts[cid].name)]
        lines += self.conv.render._contact_block(cid, holder.contact_hours, out, intro=False)
        out.replies.append(Reply("\n".join(lines), self.conv.diagnosis._result_choices(node)))
        return True


_ON_SUBJECT = re.compile(SUBJECT_WORDS)


def _about_the_result(turn: Turn, result: str | None) -> bool:
    """A question read as this result, or unsure, and about the subject: the result's contact knows."""
    top = turn.top
    if top.score >= ACT and top.intent != result and top.intent not in _NOT_ELSEWHERE:
        return False  # a new cause, the number to call, a reminder: that is what is asked
    # 「今日寒くない？」: not about the result (the honest off-topic answer follows)
    return not (top.intent == "none" and not _ON_SUBJECT.search(turn.key))


def _steps_asked(key: str) -> bool:
    """「どうすればいい？」 「解除方法」 「自分じゃない」 (after a notice): the steps again, in short."""
    return bool(_WHAT_NOW.search(key) or _HOW_TO.fullmatch(key) or _SELF_DENIED.fullmatch(key))


def _lead_for(key: str) -> str:
    """「どこに電話すれば？」 「土日もやってる？」: the number and its hours are known, so they are the
    answer; anything else about the result is said honestly, with whom to ask."""
    if _WHERE_TO_CALL.search(key):
        return texts.RESULT_WHERE
    return texts.RESULT_HOURS if _WHEN_OPEN.search(key) else texts.RESULT_QUESTION
