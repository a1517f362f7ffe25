"""A router stage: facts about oneself told in a sentence are kept and read back.

「〇〇で借りてて、返済日は10日。今は遅れてないよ」 tells the bot the person's situation; it is not a
request for a reminder nor a login problem. The facts go to the record (as a tap on the status screen
would), the person sees what was kept, and a reminder for the repayment day is offered, not made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Choice, RecordFacts, Reply
from bot.core.dialogue.turn import Turn
from bot.core.dialogue.words import _LOGIN_TOPIC
from bot.core.reminders.kinds.registry import kind_of
from bot.core.situation.facts import FIELD_LABELS, format_value
from bot.core.situation.statements import only_states, stated_facts

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


class StatedFacts:
    """A router stage: facts about oneself, told in a sentence, kept and read back."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def told(self, turn: Turn) -> bool:
        """Keep the facts a telling sentence states; answer it when nothing else is asked."""
        if turn.pending is not None or not only_states(turn.text, turn.key):
            return False
        facts = stated_facts(turn.key)
        repay = next((r for r in turn.out.reminders if kind_of(r.kind).records_due_day), None)
        if repay is not None and facts.get("due_day") not in (None, repay.due_day):
            return False  # another day than the reminder's: a change of that reminder (its own stage)
        if set(facts) <= {"due_day"}:
            # 「返済日は25日」 alone is how people start the repayment reminder: its draft is read back
            # (and the day recorded when it is saved), as it always was.
            return False
        turn.out.effects.append(RecordFacts(facts))
        if _LOGIN_TOPIC.search(turn.key):
            return False  # kept; the login problem in the same words is what the later stages answer
        self._read_back(turn, facts, offer=repay is None and "due_day" in facts)
        return True

    def _read_back(self, turn: Turn, facts: dict[str, object], offer: bool) -> None:
        conv, out = self.conv, turn.out
        lines = [
            f"・{FIELD_LABELS[name]}：{format_value(name, value, conv.flow.cause_titles(), conv.tz)}"
            for name, value in facts.items()
        ]
        body = "\n".join([texts.FACTS_KEPT, *lines])
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
