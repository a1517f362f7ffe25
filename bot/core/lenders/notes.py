"""What the desk says about lenders around a turn's answer: whose facts follow (「〇〇ですね」, a
switch, the lender first named), the other lenders named at once, a lender not served, and with the
status the lender talked about and each lender's repayment day."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.diagnosis.flow import Flow
from bot.core.diagnosis.result_view import contact_block
from bot.core.dialogue import texts as core_texts
from bot.core.dialogue.messages import Reply, ResultCard
from bot.core.dialogue.state import ConversationState, Outcome
from bot.core.lenders import texts
from bot.core.lenders.registry import Lenders
from bot.core.reminders.kinds.registry import kind_of

MONTH_END = 31
# The status answer's first words (the core's copy): the lender lines go just before it.
STATUS_OPENINGS = (core_texts.STATUS_HEAD, core_texts.STATUS_EMPTY)


class LenderNotes:
    """The desk's lines about lenders (lender-neutral copy; names and numbers from the flows)."""

    def __init__(self, lenders: Lenders) -> None:
        self.lenders = lenders

    def flow_of(self, lender: str | None) -> Flow:
        """A lender's flow; the first served lender's for an unknown or unserved one."""
        return self.lenders.get(lender) or self.lenders.primary

    def say_lender(
        self, out: Outcome, state: ConversationState, lender: str | None, switched: bool, only_named: bool = False
    ) -> None:
        """The switch said, or the lender first named (whose facts follow); a message that said only
        which lender gets a short 「〇〇ですね」 before its question (the numbers come with the answer)."""
        if only_named and (switched or state.lender is None) and lender is not None:
            flow = self.flow_of(lender)
            heard = texts.LENDER_HEARD_OTHER if flow.generic else texts.LENDER_HEARD.format(name=flow.lender["name"])
            out.replies.insert(0, Reply(heard))
        elif switched:
            out.replies.insert(0, Reply(self.noted(texts.LENDER_SWITCHED, lender, out)))
        elif lender is not None and state.lender is None and self.lenders.asks:
            # First named: said once, so the person sees whose facts follow (after a first greeting);
            # another company than ours: that the advice is the general one.
            at = 0 if state.welcomed else min(1, len(out.replies))
            generic = self.flow_of(lender).generic
            said = texts.LENDER_HEARD_OTHER if generic else self.noted(texts.LENDER_NOTED, lender, out)
            out.replies.insert(at, Reply(said))

    def noted(self, template: str, lender: str | None, out: Outcome) -> str:
        """Whose facts follow, and that lender's line for what the bot cannot settle (from its flow);
        not that line when a result follows (it gives the number itself: one phone line per answer)."""
        flow = self.flow_of(lender)
        lines = [template.format(name=flow.lender["name"])]
        if any(isinstance(r.card, ResultCard) for r in out.replies):
            return lines[0]
        last = flow.nodes.get(flow.last_step or "")
        contact = flow.contacts.get(last.contacts[0]) if last is not None and last.contacts else None
        if contact is not None:
            lines.append(texts.LENDER_CALL.format(contact=contact.name, phone=contact.phone))
        return "\n".join(lines)

    def say_others(self, out: Outcome, named: Sequence[str], lender: str | None) -> None:
        """Several lenders named at once: the first is answered; the others are a message away."""
        others = [n for n in named if n != lender and self.lenders.serves(n)]
        if not others:
            return
        names = "・".join(self.flow_of(n).lender["name"] for n in others)
        node = self.flow_of(lender).nodes.get(out.state.node or "")
        if node is not None and node.facts.get("card_lost"):
            # 「AとBのカード両方入ってた」: every card stopped now, not one company at a time.
            lines = [texts.LOST_ALSO.format(names=names)]
            for other in others:
                flow = self.flow_of(other)
                lost = next((n for n in flow.results if n.facts.get("card_lost") and n.contacts), None)
                if lost is not None:
                    lines += contact_block(flow, lost.contacts[0], lost.contact_hours, out, intro=False)
            out.replies.insert(min(1, len(out.replies)), Reply("\n".join(lines)))
            return
        out.replies.insert(min(1, len(out.replies)), Reply(texts.LENDER_ALSO.format(names=names)))

    def not_served(self, out: Outcome, lender: str | None) -> Outcome:
        out.state.lender = lender  # the user's own lender stays as it was
        served = "・".join(f.lender["name"] for f in self.lenders.named) or self.lenders.primary.lender["name"]
        out.replies.insert(0, Reply(texts.LENDER_NOT_SERVED.format(served=served)))
        return out

    def by_lender(self, out: Outcome, lender: str | None) -> None:
        """With the status: the lender the conversation is about, and each lender's repayment day."""
        at = next((i for i, r in enumerate(out.replies) if r.text.startswith(STATUS_OPENINGS)), None)
        if at is None or len(self.lenders.named) < 2:
            return
        lines = []
        if lender is not None:
            lines.append(texts.STATUS_LENDER.format(name=self.flow_of(lender).lender["name"]))
        rows = out.load_record().get("reminders", ()) if out.load_record is not None else ()
        days = [
            texts.STATUS_REPAY_LINE.format(name=self._name(r.get("lender")), day=_day(r.get("due_day")))
            for r in rows
            if kind_of(str(r.get("kind"))).one_per_user and r.get("status") in ("active", "sent") and r.get("due_day")
        ]
        if days:
            lines += [texts.STATUS_REPAY_HEAD, *days]
        if lines:
            out.replies.insert(at, Reply("\n".join(lines)))

    def _name(self, lender: Any) -> str:
        flow = self.lenders.get(lender) if isinstance(lender, str) else None
        return flow.lender["name"] if flow is not None else texts.LENDER_UNSET


def _day(value: Any) -> str:
    day = int(value)
    return texts.MONTH_END if day >= MONTH_END else texts.DAY.format(day=day)
