"""How a diagnosis result is shown: its chat bubbles, its card and its lock-screen preview.

Functions of the flow, the node and what the turn needs (the outcome, for the contacts shown once);
the conversation decides *which* result to show, this module decides *how* it reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.core import texts
from bot.core.flow import WINDOWS, Flow, Node
from bot.core.messages import CardContact, CardStep, Choice, Reply, ResultCard
from bot.core.state import Outcome

# A chat bubble of a result holds at most this many lines (read on a phone without scrolling).
BUBBLE_LINES = 8
# What a notification preview must not show: money words, amounts and dates (the lender's name is
# taken from the flow).
PRIVATE_PREVIEW = re.compile(r"返済|延滞|借入|借り入れ|利息|残高|円|\d{1,2}月\d{1,2}日|\d{1,2}/\d{1,2}")


def contact_block(
    flow: Flow,
    cid: str,
    hours: dict[str, tuple[str, ...]],
    out: Outcome,
    indent: str = "",
    intro: bool = True,
    why: str = "",
) -> list[str]:
    """A contact as lines: its number and only the hours that matter here; [] for a once-only one shown before."""
    contact = flow.contacts[cid]
    if contact.once:
        if cid in out.state.shown_once:
            return []  # offered gently, once: not again on every visit
        out.state.shown_once.append(cid)
    lead = why or contact.intro
    lines = [lead] if intro and lead else []
    lines.append(f"{contact.name}：{contact.phone}")
    lines += contact.hours_for(hours.get(cid))
    return [f"{indent}{line}" for line in lines]


def fill_windows(flow: Flow, text: str) -> str:
    """``{windows}`` in a flow text, filled with the maintenance windows' labels."""
    maintenance = flow.maintenance
    return text.replace(WINDOWS, maintenance.labels()) if maintenance is not None else text


def card_contact(flow: Flow, cid: str, hours: dict[str, tuple[str, ...]], urgent: bool = False) -> CardContact:
    contact = flow.contacts[cid]
    return CardContact(contact.name, contact.phone, tuple(contact.hours_for(hours.get(cid))), contact.intro, urgent)


def ids_text(flow: Flow) -> str:
    items = "\n".join(f"・{item}" for item in flow.id_items)
    return f"{flow.id_title}\n{items}\n{flow.id_note}".rstrip()


def machines_text(flow: Flow) -> str:
    return f"{flow.machine_name}の営業時間：{flow.machine_hours}\n{flow.machine_note}".rstrip()


def render_final(
    flow: Flow,
    node: Node,
    out: Outcome,
    choices: tuple[Choice, ...],
    also_titles: Sequence[str] = (),
    lead: str = "",
) -> list[Reply]:
    """A result (or the last step) in two or three short bubbles, the urgent action in the first.

    First bubble: what probably happened and what to do now, each step's number right under it.
    Then whom to call (only the hours that matter) and what to bring, packed into bubbles of at
    most BUBBLE_LINES lines; the closing words carry the choices. The same parts also go into a
    :class:`ResultCard` on the first bubble, for doors that render cards.
    """
    main = [lead] if lead else []
    main += [f"【{node.title}】", fill_windows(flow, node.summary)]
    steps: list[CardStep] = []
    for i, (step, call) in enumerate(zip(node.steps, node.step_calls, strict=True), 1):
        main.append(f"{i}. {fill_windows(flow, step)}")
        contact = None
        if call:
            main += contact_block(flow, call, node.contact_hours, out, indent="　", intro=False)
            # The first thing to do on an urgent result (a lost card) is this call.
            contact = card_contact(flow, call, node.contact_hours, urgent=node.urgent and i == 1)
        steps.append(CardStep(fill_windows(flow, step), contact))
    blocks: list[list[str]] = []
    contacts: list[CardContact] = []
    for cid in node.contacts:
        if cid not in node.step_calls:  # a number already under its step is not repeated
            block = contact_block(flow, cid, node.contact_hours, out, why=node.contact_intros.get(cid, ""))
            if block:
                blocks.append(block)
                contacts.append(card_contact(flow, cid, node.contact_hours))
    if node.bring_ids:
        blocks.append([texts.BRING.format(ids=flow.id_short or flow.id_title)])
    notes: list[str] = []
    if node.show_machines:
        blocks.append(machines_text(flow).split("\n"))
        notes.append(machines_text(flow))
    if node.note:
        blocks.append([fill_windows(flow, node.note)])
        notes.append(fill_windows(flow, node.note))
    closing = texts.AFTER_RESULT if node.id != flow.last_step else texts.AFTER_LAST_STEP
    if also_titles:
        closing = texts.ALSO_CAUSES.format(titles="」「".join(also_titles))
    closing_lines = [x for x in (closing, flow.lender.get("disclaimer", "")) if x]
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
        summary=fill_windows(flow, node.summary),
        steps=tuple(steps),
        contacts=tuple(contacts),
        bring_title=flow.id_title if node.bring_ids else "",
        bring=flow.id_items if node.bring_ids else (),
        notes=tuple(notes),
        closing=tuple(closing_lines),
        lead=lead,
        urgent=node.urgent,
        preview=preview(flow, node, steps),
    )
    replies = [Reply("\n".join(lines), in_card=True) for lines in bubbles[:-1]]
    replies.append(Reply("\n".join(bubbles[-1]), choices, in_card=True))
    # The first bubble is what the user is waiting for: worth a push if the reply window passed.
    replies[0] = replace(replies[0], important=True, card=card, in_card=False)
    return replies


def preview(flow: Flow, node: Node, steps: Sequence[CardStep]) -> str:
    """A result's lock-screen preview: its title and, when urgent, the number to call now; the
    neutral line when either would name the lender, money or a date."""
    parts = [f"【{node.title}】"]
    call = next((s.contact for s in steps if s.contact is not None), None)
    if node.urgent and call is not None:
        parts.append(call.phone + (f"（{'・'.join(call.hours)}）" if call.hours else ""))
    text = "\n".join(parts)
    private = [flow.lender.get("name", ""), flow.lender.get("company", "")]
    if any(w and w in text for w in private) or PRIVATE_PREVIEW.search(text):
        return texts.PREVIEW_RESULT
    return text
