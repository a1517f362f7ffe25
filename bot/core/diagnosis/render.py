"""A diagnosis result as bubbles and as a card: short first, numbers with the hours that matter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core.diagnosis.flow import WINDOWS, Node
from bot.core.dialogue import texts
from bot.core.dialogue.messages import (
    CardContact,
    CardStep,
    Reply,
    ResultCard,
)
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.words import _PRIVATE_PREVIEW, BUBBLE_LINES

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


class ResultRender:
    """A diagnosis result as bubbles and as a card: short first, numbers with the hours that matter."""

    def __init__(self, conv: Conversation) -> None:
        self.conv = conv

    def _contact_block(
        self,
        cid: str,
        hours: dict[str, tuple[str, ...]],
        out: Outcome,
        indent: str = "",
        intro: bool = True,
        why: str = "",
    ) -> list[str]:
        """A contact as lines: its number and only the hours that matter here; [] for a once-only one shown before."""
        contact = self.conv.flow.contacts[cid]
        if contact.once:
            if cid in out.state.shown_once:
                return []  # offered gently, once: not again on every visit
            out.state.shown_once.append(cid)
        lead = why or contact.intro
        lines = [lead] if intro and lead else []
        lines.append(f"{contact.name}：{contact.phone}")
        lines += contact.hours_for(hours.get(cid))
        return [f"{indent}{line}" for line in lines]

    def _fill_windows(self, text: str) -> str:
        maintenance = self.conv.flow.maintenance
        return text.replace(WINDOWS, maintenance.labels()) if maintenance is not None else text

    def _card_contact(self, cid: str, hours: dict[str, tuple[str, ...]], urgent: bool = False) -> CardContact:
        contact = self.conv.flow.contacts[cid]
        return CardContact(contact.name, contact.phone, tuple(contact.hours_for(hours.get(cid))), contact.intro, urgent)

    def _render_final(self, node: Node, out: Outcome, also: Sequence[str] = (), lead: str = "") -> list[Reply]:
        """A result (or the last step) in two or three short bubbles, the urgent action in the first.

        First bubble: what probably happened and what to do now, each step's number right under it.
        Then whom to call (only the hours that matter) and what to bring, packed into bubbles of at
        most BUBBLE_LINES lines; the closing words carry the choices. The same parts also go into a
        :class:`ResultCard` on the first bubble, for doors that render cards.
        """
        main = [lead] if lead else []
        main += [f"【{node.title}】", self._fill_windows(node.summary)]
        steps: list[CardStep] = []
        for i, (step, call) in enumerate(zip(node.steps, node.step_calls, strict=True), 1):
            main.append(f"{i}. {self._fill_windows(step)}")
            contact = None
            if call:
                main += self._contact_block(call, node.contact_hours, out, indent="　", intro=False)
                # The first thing to do on an urgent result (a lost card) is this call.
                contact = self._card_contact(call, node.contact_hours, urgent=node.urgent and i == 1)
            steps.append(CardStep(self._fill_windows(step), contact))
        blocks: list[list[str]] = []
        contacts: list[CardContact] = []
        for cid in node.contacts:
            if cid not in node.step_calls:  # a number already under its step is not repeated
                block = self._contact_block(cid, node.contact_hours, out, why=node.contact_intros.get(cid, ""))
                if block:
                    blocks.append(block)
                    contacts.append(self._card_contact(cid, node.contact_hours))
        if node.bring_ids:
            blocks.append([texts.BRING.format(ids=self.conv.flow.id_short or self.conv.flow.id_title)])
        notes: list[str] = []
        if node.show_machines:
            blocks.append(self._machines_text().split("\n"))
            notes.append(self._machines_text())
        if node.note:
            blocks.append([self._fill_windows(node.note)])
            notes.append(self._fill_windows(node.note))
        closing = texts.AFTER_RESULT if node.id != self.conv.flow.last_step else texts.AFTER_LAST_STEP
        if also:
            closing = texts.ALSO_CAUSES.format(titles="」「".join(self.conv._intent_label(c) for c in also))
        closing_lines = [x for x in (closing, self.conv.flow.lender.get("disclaimer", "")) if x]
        blocks.append(closing_lines)
        bubbles = [main]
        current: list[str] = []
        for block in blocks:
            if current and len(current) + 1 + len(block) > BUBBLE_LINES:
                bubbles.append(current)
                current = []
            current = [*current, "", *block] if current else list(block)
        bubbles.append(current)
        card = ResultCard(
            title=node.title,
            summary=self._fill_windows(node.summary),
            steps=tuple(steps),
            contacts=tuple(contacts),
            bring_title=self.conv.flow.id_title if node.bring_ids else "",
            bring=self.conv.flow.id_items if node.bring_ids else (),
            notes=tuple(notes),
            closing=tuple(closing_lines),
            lead=lead,
            urgent=node.urgent,
            preview=self._preview(node, steps),
        )
        replies = [Reply("\n".join(lines), in_card=True) for lines in bubbles[:-1]]
        replies.append(Reply("\n".join(bubbles[-1]), self.conv.diagnosis._result_choices(node, also), in_card=True))
        # The first bubble is what the user is waiting for: worth a push if the reply window passed.
        replies[0] = replace(replies[0], important=True, card=card, in_card=False)
        return replies

    def _preview(self, node: Node, steps: Sequence[CardStep]) -> str:
        """A result's lock-screen preview: its title and, when urgent, the number to call now; the
        neutral line when either would name the lender, money or a date."""
        parts = [f"【{node.title}】"]
        call = next((s.contact for s in steps if s.contact is not None), None)
        if node.urgent and call is not None:
            parts.append(call.phone + (f"（{'・'.join(call.hours)}）" if call.hours else ""))
        preview = "\n".join(parts)
        private = [self.conv.flow.lender.get("name", ""), self.conv.flow.lender.get("company", "")]
        if any(w and w in preview for w in private) or _PRIVATE_PREVIEW.search(preview):
            return texts.PREVIEW_RESULT
        return preview

    def _ids_text(self) -> str:
        items = "\n".join(f"・{item}" for item in self.conv.flow.id_items)
        return f"{self.conv.flow.id_title}\n{items}\n{self.conv.flow.id_note}".rstrip()

    def _machines_text(self) -> str:
        m = self.conv.flow
        return f"{m.machine_name}の営業時間：{m.machine_hours}\n{m.machine_note}".rstrip()
