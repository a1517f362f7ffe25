"""The last resort: keep the question the person is in and ask it again."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.actions import (
    Command,
    decode,
    encode,
)
from bot.core.dialogue.messages import (
    Choice,
    Reply,
)
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.words import _ANGER, _DESPAIR, _FEAR, _WHAT_NOW, SUBJECT_WORDS
from bot.core.reminders.setup_state import ConfirmForget
from bot.core.situation.facts import Situation

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


# A short remark (a few words, no question) that says nothing about the bot's subject.
_CHAT = re.compile(r"[^?？]{2,24}")
# Words of a sentence (a kanji), so that 「あいうえお」 or stray letters are not taken for a remark.
_WORDS = re.compile(r"[一-龥]|[A-Za-z]{3,}")
_SUBJECT = re.compile(
    SUBJECT_WORDS + r"|入れ|はいれ|りまいんだ|お知らせ|記録|設定"
    # A short answer is an answer to the question, not a remark.
    r"|はい|いいえ|うん|ううん|だめ|ダメ|違|ちが|わから|わかん|できな|でき"
    # A number, or a request (「月末くらいに教えて、更新のやつ」): never a remark.
    r"|教えて|おしえて|知らせて|しらせて|ください|ほしい|欲しい|頼む|たのむ|お願い|おねがい|覚えて|入れて|登録|リマインド|りまいんど"
)
# A date or a time: an answer while a reminder is set up; elsewhere (「明日帰ってくる」) part of a remark.
_WHEN_WORDS = re.compile(r"\d|日|時|月|曜|朝|夜|昼|明日|あした|今日|きょう")


def is_remark(said: str, setting_up: bool) -> bool:
    """True for a short remark about something else (「妻は今寝てる」 「お腹すいた〜」): heard in a word,
    then the question again; never a guess at what it might mean."""
    if not (_CHAT.fullmatch(said) and _WORDS.search(said)) or _SUBJECT.search(said) or _PLAIN_YES.fullmatch(said):
        return False
    return not (setting_up and _WHEN_WORDS.search(said))


# 「はい」 「そうそう」 where the choices are not a yes or a no: agreement heard, the choices again.
_PLAIN_YES = re.compile(
    r"(?:はい|うん|ええ|そう|そうそう|そうです|おk|ok|おっけー|りょ|了解|お願い(?:します)?|おねがい(?:します)?|よろしく)[。!！w]*"
)
ACK_CHOOSE = "はい。下の中から、いちばん近いものを選んでください。"
_PLAIN_NO = re.compile(r"(?:いいえ|いえ|いや|ううん|違う|ちがう|ちゃう|ちがいます|違います|no|のー)[。!！]*")
NO_CHOOSE = "わかりました。では、下の中から、いちばん近いものを選んでください。"
ACK_PICK = "はい。どれにするか、下から番号か名前で選んでください。"


_RESUME = re.compile(r"続き|つづき|戻りたい|もどりたい|戻って|もどって|再開|さいかい|さっきの(?:話|はなし|件|けん)")


REMARK_AT_RESULT = (
    "そうなんですね。上のご案内のとおり進めてみてください。わからないところがあれば、そのまま聞いてください。"
)


class Fallback:
    """The last resort: keep the question the person is in and ask it again."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def _not_understood(self, out: Outcome, now: datetime) -> None:
        """The last resort: say so, then ask again the question the user is in (not the menu's examples)."""
        node = self.conv.flow.nodes.get(out.state.node or "")
        # Words not read do not end the talk about a warning (「〇〇。ちゃんとした会社のはず」 after
        # a threat): 「夜はこわくて眠れない」 next is still about it.
        out.state.warned = out.state.warned or out.warned_before
        out.state.money_warned = out.state.money_warned or out.money_warned_before
        if self._met(out, now):
            return
        if out.state.pending is not None or (
            node is not None and any(v.startswith("p:") for _l, v in out.state.offered)
        ):
            self._repeat_question(out, now, texts.NOT_UNDERSTOOD)
        elif self._asked_a_choice(out):
            # 「はい」 to 「どれを消しますか？」: the choices last shown again, not an earlier question.
            self._reprompt(out, texts.NOT_UNDERSTOOD)
        elif self._in_question(out):
            self._repeat_question(out, now, texts.NOT_UNDERSTOOD)
        else:
            self._menu_with_a_person(out, texts.NOT_UNDERSTOOD_MENU)

    def _met(self, out: Outcome, now: datetime) -> bool:
        """What is answered even unread: care again, a feeling, 「どうすれば？」 at a result, a remark
        about something else. False when none of these."""
        node = self.conv.flow.nodes.get(out.state.node or "")
        said = out.said
        if out.cared_before:
            self.conv.safety._care_again(out)
        elif _FEAR.search(said) or _ANGER.search(said):
            self._heard(out, now, angry=bool(_ANGER.search(said)))
        elif node is not None and node.is_final and out.state.pending is None and _WHAT_NOW.search(said):
            out.replies.extend(self.conv.render._render_final(node, out))
        elif self._yes_or_no_to_a_choice(out, said, now):
            pass
        elif _RESUME.search(said) and self._in_question(out):
            # 「じゃあリマインダーの続き」: back to the question, gladly (nothing misunderstood).
            self._repeat_question(
                out, now, texts.KEEP_GOING if out.state.pending is not None else texts.BACK_TO_QUESTION
            )
        elif is_remark(said, out.state.pending is not None):
            # 「お腹すいた〜」: a remark about something else, acknowledged, and the question again.
            self._acknowledged(out, now)
        else:
            return False
        return True

    def _yes_or_no_to_a_choice(self, out: Outcome, said: str, now: datetime) -> bool:
        """「はい」 or 「いいえ」 where choices are asked, not a yes or a no: heard, and which one, again."""
        if _PLAIN_YES.fullmatch(said) and self._in_question(out):
            self._repeat_question(out, now, ACK_CHOOSE)  # 「はい」 to 「どれに近いですか？」
        elif _PLAIN_NO.fullmatch(said) and self._in_question(out):
            self._repeat_question(out, now, NO_CHOOSE)  # 「いいえ」 to a question with no yes or no
        elif _PLAIN_YES.fullmatch(said) and out.state.pending is None and self._asked_a_choice(out):
            self._reprompt(out, ACK_PICK)  # 「はい」 to 「どれを消しますか？」
        else:
            return False
        return True

    def remark_at_result(self, out: Outcome) -> bool:
        """「カードの4桁のやつです」 at a result (not an urgent one): heard, with the result's buttons,
        not the whole result again."""
        node = self.conv.flow.nodes.get(out.state.node or "")
        if node is None or not node.is_final or out.state.pending is not None or node.urgent:
            return False
        out.replies.append(Reply(REMARK_AT_RESULT, self.conv.diagnosis._result_choices(node)))
        return True

    def _acknowledged(self, out: Outcome, now: datetime) -> None:
        """A remark about something else: a short word back; then the question, or the menu."""
        back = _RESUME.search(out.said)  # 「で、さっきの続きなんだけど」: back to it, not 「そうなんですね」
        if not back and self.remark_at_result(out):
            pass
        elif self._in_question(out):
            self._repeat_question(out, now, texts.BACK_TO_QUESTION if back else texts.REMARK_HEARD)
        else:
            out.replies.append(Reply(texts.REMARK_HEARD_IDLE, self.conv.menu_choices()))

    def _heard(self, out: Outcome, now: datetime, angry: bool) -> None:
        """One line that hears a strong feeling; then the question the person is in, or the menu."""
        if _DESPAIR.search(out.said) and self.conv.flow.crisis:
            # 「もう限界」: free people to talk to, now (the money's counselling first, then any hour).
            crisis = self.conv.flow.crisis
            ids = [*crisis.get("money", ()), *crisis["contacts"][:1]]
            lines = [texts.HEARD_DESPAIR, "", *self.conv.safety._phone_lines(ids)]
            out.replies.append(Reply("\n".join(lines), important=True))
        else:
            out.replies.append(Reply(texts.HEARD_ANGER if angry else texts.HEARD_FEAR))
        if self._in_question(out):
            # The line just said leads back already (「一つずつ、一緒に確認していきましょう」).
            self._repeat_question(out, now, "")
        else:
            self._menu_with_a_person(out, texts.MENU)

    def _menu_with_a_person(self, out: Outcome, lead: str) -> None:
        # A person is always one tap away, for whoever is upset or whom the bot cannot follow.
        call = Choice(self.conv._intent_label("call"), Command("call"))
        out.replies.append(Reply(lead, (*self.conv.menu_choices(), call)))

    def _asked_a_choice(self, out: Outcome) -> bool:
        """True when the choices last shown are a question of their own (not the main menu)."""
        menu = {c.value for c in self.conv.menu_choices()} | {encode(Command("menu")), encode(Command("call"))}
        return any(value not in menu for _label, value in out.state.offered)

    def _in_question(self, out: Outcome) -> bool:
        node = self.conv.flow.nodes.get(out.state.node or "")
        return out.state.pending is not None or node is not None

    def _repeat_question(self, out: Outcome, now: datetime, lead: str) -> None:
        """Repeat the pending question with its choices (a resumed conversation, a misunderstanding);
        ``lead`` (may be empty) goes before it."""
        if lead:
            out.replies.append(Reply(lead))
        if self.conv.dialog.repeat_question(out, now):
            return
        if isinstance(out.state.pending, ConfirmForget):
            self.conv.records._forget(out, Situation(), now)
            return
        node = self.conv.flow.nodes.get(out.state.node or "")
        if node is not None and node.is_final:
            out.replies.extend(self.conv.render._render_final(node, out))  # short: the result again, 「くわしく」 first
        elif node is not None:
            out.replies.extend(self.conv.diagnosis._render_question(node))
        else:
            if lead:
                out.replies.pop()
            self.conv._menu(out)

    def _reprompt(self, out: Outcome, message: str) -> None:
        choices = tuple(self._offered_choices(out)) or self.conv.menu_choices()
        out.replies.append(Reply(message, choices))

    def _offered_choices(self, out: Outcome) -> list[Choice]:
        return [Choice(label, action) for label, value in out.state.offered if (action := decode(value)) is not None]
