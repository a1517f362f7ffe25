"""The lost card in a diagnosis: which causes and results record it (flow data), and 「カードが見つかった」."""

from __future__ import annotations

import re
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.core.dialogue import texts
from bot.core.dialogue.messages import RecordFacts, Reply
from bot.core.dialogue.state import Outcome
from bot.core.situation.facts import Situation

if TYPE_CHECKING:
    from bot.core.diagnosis.steps import DiagnosisSteps


# Found, said of a card never recorded as lost (「カードは見つかった」 「あった！」).
_FOUND = re.compile(r"見つか|みつか|出てき|でてき|あった|ありました")
CARD_FOUND_UNTOLD = (
    "カードが見つかってよかったです。止めてもらっていたときは、使えるように戻す手続きを会社にご確認ください。"
)


class LostCard:
    """The lost card in the flow's terms, and the card found again."""

    def __init__(self, host: DiagnosisSteps) -> None:
        self.host = host

    def cause(self) -> str | None:
        """The cause whose result is the urgent lost-card answer (flow data)."""
        flow = self.host.conv.flow
        return next(
            (c for c in flow.causes if (n := flow.result_for(c)) is not None and n.facts.get("card_lost")),
            None,
        )

    def causes(self) -> set[str]:
        """The causes whose result records a lost card (flow data)."""
        flow = self.host.conv.flow
        return {n.id for n in flow.results if n.facts.get("card_lost")} | {
            c for c in flow.causes if (n := flow.result_for(c)) is not None and n.facts.get("card_lost")
        }

    def found(self, out: Outcome, situation: Situation, now: datetime) -> None:
        """「カードが見つかった」: how to turn the card back on, and the lost card no longer recorded."""
        if not situation.card_lost:
            self._at_hand(out, now)
            return
        answers = self.host.conv.flow.answers
        # The card may have been stopped after the lost-card advice: it must be turned back on.
        lines = [answers.get("card_found", ""), answers.get("card_found_stopped", ""), self._whom_to_call()]
        # The lost card is no longer the likely cause: the status must not show it beside 「なし」.
        found: dict[str, Any] = {"card_lost": False, "card_lost_at": None}
        if situation.cause in self.causes():
            found["cause"] = None
        out.effects.append(RecordFacts(found))
        if out.state.node in self.causes() or out.state.node == self.cause():
            out.state.node = None  # the lost-card answer is behind them: not asked back to it later
        out.replies.append(Reply("\n".join(x for x in lines if x), self.host.conv.menu_choices()))

    def _at_hand(self, out: Outcome, now: datetime) -> None:
        """「カードは手元にあります」 from someone who never said it was lost: nothing was found, and
        nothing is recorded; the question in front of them (or the diagnosis) goes on."""
        fallback = self.host.conv.fallback
        found = bool(_FOUND.search(out.said))  # 「カードは見つかった」: glad, and nothing more to ask
        heard = CARD_FOUND_UNTOLD if found else texts.CARD_AT_HAND
        if fallback._in_question(out):
            fallback._repeat_question(out, now, heard)
        elif found:
            out.replies.append(Reply(heard, self.host.conv.menu_choices()))
        else:
            out.replies.append(Reply(heard))
            self.host._start_diagnosis(out, now)

    def _whom_to_call(self) -> str:
        """Whom to call is whom the result that records a lost card says to call (flow data); "" if none."""
        flow = self.host.conv.flow
        lost = next((n for n in flow.results if n.facts.get("card_lost") and n.contacts), None)
        contact = flow.contacts[lost.contacts[0]] if lost is not None else None
        return f"{contact.name}：{contact.phone}\n{contact.hours}" if contact is not None else ""
