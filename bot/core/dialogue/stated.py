"""A router stage: facts about oneself told in a sentence are kept and read back.

「〇〇で借りてて、返済日は10日。今は遅れてないよ」 tells the bot the person's situation; it is not a
request for a reminder nor a login problem. The facts go to the record (as a tap on the status screen
would), the person sees what was kept, and a reminder for the repayment day is offered, not made.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Choice, RecordFacts, Reply
from bot.core.dialogue.turn import Turn
from bot.core.dialogue.words import _LOGIN_TOPIC, _PAID
from bot.core.reminders.kinds.registry import kind_of
from bot.core.situation.facts import FIELD_LABELS, format_value
from bot.core.situation.statements import corrects, keeps, only_states, stated_facts, without_card_words

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


class StatedFacts:
    """A router stage: facts about oneself, told in a sentence, kept and read back."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def asked_to_keep(self, turn: Turn) -> bool:
        """「覚えといてな」 「〇〇ってことだけ覚えて」 with nothing new told: what is kept, read back (the
        lender is kept by its name); a question being asked stays open."""
        if not _keeps_what_was_said(turn) or stated_facts(turn.key):
            return False
        self.conv.dispatch(turn.out, Command("status"), turn.situation, turn.now)
        return True

    def told(self, turn: Turn) -> bool:
        """Keep the facts a telling sentence states; answer it when nothing else is asked."""
        if turn.pending is not None or not only_states(turn.text, turn.key):
            return False
        facts = self._facts(turn)
        repay = next((r for r in turn.out.reminders if kind_of(r.kind).records_due_day), None)
        if not facts or (repay is not None and facts.get("due_day") not in (None, repay.due_day)):
            return False  # nothing told, or another day than the reminder's: a change of that reminder
        turn.out.effects.append(RecordFacts(facts))
        if _LOGIN_TOPIC.search(without_card_words(turn.key)):
            return False  # kept; the login problem in the same words is what the later stages answer
        self._read_back(turn, facts, _lead(turn, facts), offer=repay is None and "due_day" in facts)
        return True

    @staticmethod
    def _facts(turn: Turn) -> dict[str, object]:
        """The facts the sentence tells ({} when it is better read by another stage)."""
        facts = stated_facts(turn.key) or _day_swapped(turn)
        if turn.situation.overdue and _PAID.search(turn.key):
            facts["overdue"] = False  # 「今払ってきた！」 after a late repayment was told
        told_day = keeps(turn.key) or _day_corrected(turn)
        if set(facts) == {"due_day"} and not told_day:
            # 「返済日は25日」 alone is how people start the repayment reminder: its draft is read back.
            # The day is the person's all the same (also when the words go on about a lost card).
            repay = next((r for r in turn.out.reminders if kind_of(r.kind).records_due_day), None)
            if repay is None and facts["due_day"] != turn.situation.due_day:
                turn.out.effects.append(RecordFacts(facts))
            return {}
        if set(facts) == {"card_lost"}:
            # 「カードは手元にあります」 alone says why logging in fails is elsewhere (the diagnosis
            # answers); the fact is kept all the same.
            if turn.situation.card_lost is not facts["card_lost"]:
                turn.out.effects.append(RecordFacts(facts))
            return {}
        return facts

    def _read_back(self, turn: Turn, facts: dict[str, object], lead: str, offer: bool) -> None:
        conv, out = self.conv, turn.out
        lines = [
            f"・{FIELD_LABELS[name]}：{format_value(name, value, conv.flow.cause_titles(), conv.tz)}"
            for name, value in facts.items()
        ]
        body = lead if lead == texts.LATE_PAID else "\n".join([lead, *lines])
        if conv.fallback._in_question(out):
            out.replies.append(Reply(body))
            conv.fallback._repeat_question(out, turn.now, texts.BACK_TO_QUESTION)
            return
        if offer:
            choices = (
                Choice(texts.LABEL_REPAY_REMINDER, Command("remind_repay")),
                Choice(texts.LABEL_STATUS, Command("status")),
                Choice(texts.LABEL_MENU, Command("menu")),
            )
            out.replies.append(Reply(f"{body}\n\n{texts.FACTS_KEPT_OFFER}", choices))
            return
        out.replies.append(Reply(body, (Choice(texts.LABEL_STATUS, Command("status")), *conv.menu_choices()[:2])))


# 「15日じゃなくて18日だった」: the day kept, said to be another.
_DAY_SWAPPED = re.compile(r"(\d{1,2})日?(?:じゃなくて|じゃなく|ではなくて|ではなく|でなくて|やなくて)(\d{1,2})日")
# 「返済日は18日だった」 「間違えた、18日」 after a day was kept: the record corrected, not a reminder.
_WAS_WRONG = re.compile(r"日(?:だった|でした|やった)|間違|まちが|訂正|ていせい|勘違|かんちが")


def _day_swapped(turn: Turn) -> dict[str, object]:
    """「15日じゃなくて18日だった」 of the day kept: that day, corrected ({} when it is not that)."""
    swapped = _DAY_SWAPPED.search(turn.key)
    if swapped is None or int(swapped.group(1)) != turn.situation.due_day or not 1 <= int(swapped.group(2)) <= 31:
        return {}
    return {"due_day": int(swapped.group(2))}


def _day_corrected(turn: Turn) -> bool:
    """A day already kept, said to be wrong (「返済日は18日だった」 「27じゃなくて26だった」)."""
    if turn.situation.due_day is None:
        return False
    return corrects(turn.key) or bool(_DAY_SWAPPED.search(turn.key) or _WAS_WRONG.search(turn.key))


# What 「覚えて」 may be said of when nothing else is told: what was just said, or the company.
_THAT_SAID = re.compile(r"ってこと|って事|それ|これ|今の|いまの|全部|ぜんぶ|今言った|いまいった|さっきの|会社")
_KEEP_ONLY = re.compile(
    r"^(?:じゃあ|じゃ|うん|はい|わかった|了解|りょうかい|ちゃんと|ひとまず)*(?:覚えて|おぼえて|覚えと|おぼえと|記録して|きろくして|メモして|めもして)"
    r"(?:いて|おいて|く|け)?(?:ね|な|よ|ください|くれ|ちょうだい|おねがい|お願い)*$"
)


def _keeps_what_was_said(turn: Turn) -> bool:
    """「覚えといて」 alone, or of what was just said: not a reminder's task nor a new fact."""
    key = turn.key
    if not keeps(key) or _DIGIT.search(key) or turn.top.intent.startswith("remind"):
        return False
    return bool(_KEEP_ONLY.match(key) or _THAT_SAID.search(key))


_DIGIT = re.compile(r"\d")


def _lead(turn: Turn, facts: dict[str, object]) -> str:
    """The first words: a repayment settled, a correction, or facts kept."""
    if facts == {"overdue": False} and turn.situation.overdue and _PAID.search(turn.key):
        return texts.LATE_PAID  # 「今払ってきた！」: said as settled, no scolding
    # 「27じゃなくて26だった」 「延滞じゃなかった」: a record told before, corrected
    fixed = corrects(turn.key) or any(getattr(turn.situation, k) not in (None, v) for k, v in facts.items())
    return texts.FACTS_FIXED if fixed else texts.FACTS_KEPT
