"""How a diagnosis result is shown: its chat bubbles, its card and its lock-screen preview.

Functions of the flow, the node and what the turn needs (the outcome, for the contacts shown once);
the conversation decides *which* result to show, this module decides *how* it reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.core.diagnosis.flow import WINDOWS, Flow, Node
from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import CardContact, CardStep, Choice, Reply, ResultCard
from bot.core.dialogue.state import Outcome

# A chat bubble of a result holds at most this many lines (read on a phone without scrolling).
BUBBLE_LINES = 8
# What a notification preview must not show: money words, amounts and dates (the lender's name is
# taken from the flow).
PRIVATE_PREVIEW = re.compile(r"返済|延滞|借入|借り入れ|利息|残高|円|\d{1,2}月\d{1,2}日|\d{1,2}/\d{1,2}")
# What a person may name that only some steps are about: the step that names it is shown first
# (「パスワード忘れた」 is the web password, not the card's PIN the result may start with).
NAMED = (
    (re.compile(r"パスワード|ぱすわーど|パスワ|password|ﾊﾟｽﾜｰﾄﾞ", re.IGNORECASE), "パスワード"),
    (re.compile(r"暗証|あんしょう"), "暗証番号"),
    (re.compile(r"ハイフン|はいふん"), "ハイフン"),
    (re.compile(r"スペース|すぺーす|空白|くうはく"), "スペース"),
    (re.compile(r"全角|ぜんかく|半角|はんかく"), "半角"),
)


def lead_step(node: Node, said: str) -> int:
    """The step to show first for what the person said: the first step that names the one thing
    they named when the first step does not; 0 otherwise."""
    named = [word for pattern, word in NAMED if pattern.search(said)]
    if len(named) != 1 or not node.steps or named[0] in node.steps[0]:
        return 0
    return next((i for i, step in enumerate(node.steps) if named[0] in step), 0)


# 「パスワード忘れた」 where the lender's result speaks only of the card's PIN: not guessed, sent to
# the lender's own page or number.
PASSWORD_UNSOURCED = (
    "Webのパスワードの再設定の方法は、ここでは確かなことがわかりません。{name}の公式サイトか、"
    "カードの裏面にある番号でご確認ください。カードの暗証番号のことなら、下の手続きです。"
)


def unnamed_password(flow: Flow, node: Node, said: str) -> str:
    """The line for a password named when no step of the result speaks of one; "" otherwise."""
    named = [word for pattern, word in NAMED if pattern.search(said)]
    if named != ["パスワード"] or not node.steps or any("パスワード" in step for step in node.steps):
        return ""
    return PASSWORD_UNSOURCED.format(name=flow.lender["name"])


def with_lead(node: Node, index: int) -> Node:
    """The node with step ``index`` moved first (the others keep their order)."""
    if not 0 < index < len(node.steps):
        return node
    order = [index, *(i for i in range(len(node.steps)) if i != index)]
    return replace(node, steps=tuple(node.steps[i] for i in order), step_calls=tuple(node.step_calls[i] for i in order))


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


# 「マイナンバーカードでいける？」: the document asked about, found in the list or not.
_DOCS = (
    (re.compile(r"免許|めんきょ"), "運転免許証"),
    (re.compile(r"マイナンバー|まいなんばー|マイナ|まいな"), "マイナンバーカード"),
    (re.compile(r"パスポート|ぱすぽーと|旅券"), "パスポート"),
    (re.compile(r"在留|ざいりゅう"), "在留カード"),
    (re.compile(r"保険証|ほけんしょう"), "保険証"),
    (re.compile(r"学生証|がくせいしょう"), "学生証"),
    (re.compile(r"年金手帳|ねんきんてちょう"), "年金手帳"),
)
ID_LISTED = "「{doc}」は、下の一覧に入っています。"
ID_NOT_LISTED = "「{doc}」は、下の一覧には入っていません。使えるかどうかは、公式サイトでご確認ください。"


def id_asked(flow: Flow, said: str) -> str:
    """The line about the one document a message asks about (「免許証しかないけど大丈夫？」); "" else."""
    named = [doc for pattern, doc in _DOCS if pattern.search(said)]
    if len(named) != 1:
        return ""
    listed = any(named[0][:4] in item for item in flow.id_items)
    return (ID_LISTED if listed else ID_NOT_LISTED).format(doc=named[0])


def machines_text(flow: Flow) -> str:
    return f"{flow.machine_name}の営業時間：{flow.machine_hours}\n{flow.machine_note}".rstrip()


# A result's first bubble: what probably happened and what to do now, read at a glance on a phone.
FIRST_LINES = 5
FIRST_CHARS = 150


def headline(flow: Flow, node: Node) -> str:
    """What probably happened, in one line: the node's headline, else its summary's first line."""
    return fill_windows(flow, node.headline or node.summary.split("\n")[0])


def _step_lines(flow: Flow, node: Node, index: int, hours: bool = True) -> list[str]:
    """Step ``index`` (from 0) as lines: the step, and the number to call right under a call (with
    the hours that matter unless ``hours`` is False)."""
    lines = [f"{index + 1}. {fill_windows(flow, node.steps[index])}"]
    call = node.step_calls[index]
    if call:
        contact = flow.contacts[call]
        lines.append(f"　{contact.name}：{contact.phone}")
        if hours:
            lines += [f"　{h}" for h in contact.hours_for(node.contact_hours.get(call))]
    return lines


def _fits(lines: list[str]) -> bool:
    return len([x for x in lines if x.strip()]) <= FIRST_LINES and len("\n".join(lines)) <= FIRST_CHARS


def _first_lines(flow: Flow, node: Node) -> tuple[list[str], bool]:
    """The title, what probably happened and the first step, made to fit: the line of what happened,
    then the first step's hours, give way first (「くわしく」 says them). True: the hours gave way."""
    title, said = f"【{node.title}】", headline(flow, node)
    if not node.steps:
        return [title, said], False
    # The hours tell when to call: the line of what happened gives way before them.
    tries = (([title, said], True), ([title], True), ([title, said], False), ([title], False))
    for head, hours in tries:
        lines = [*head, *_step_lines(flow, node, 0, hours)]
        if _fits(lines):
            return lines, not hours
    return [title, *_step_lines(flow, node, 0, False)], True


def first_bubble(flow: Flow, node: Node) -> tuple[list[str], int]:
    """The first bubble's lines and how many steps it holds: the title, what probably happened, and
    the steps in order while they fit (FIRST_LINES lines, FIRST_CHARS characters); the first always."""
    lines, _hours_left = _first_lines(flow, node)
    shown = 1 if node.steps else 0
    for i in range(1, len(node.steps)):
        candidate = [*lines, *_step_lines(flow, node, i)]
        if not _fits(candidate):
            break
        lines, shown = candidate, shown + 1
    return lines, shown


def _why(flow: Flow, node: Node) -> list[str]:
    """The summary's lines the first bubble did not say (the why)."""
    said = headline(flow, node)
    return [line for line in fill_windows(flow, node.summary).split("\n") if line and line != said]


def render_final(
    flow: Flow,
    node: Node,
    out: Outcome,
    choices: tuple[Choice, ...],
    also_titles: Sequence[str] = (),
    lead: str = "",
) -> list[Reply]:
    """A result, short first: one bubble with what probably happened and what to do now (the number
    to call under its step); the hours, what to bring, the notes and the why wait behind
    「くわしく」 (:func:`render_details`). ``choices`` are the result's own; 「くわしく」 leads them.

    The disclaimer is said at the first contact; only a conversation that has not heard it yet gets
    it here (once). A lead (maintenance, still stuck) is a bubble of its own before the result.
    """
    out.state.lead_step = lead_step(node, out.said)
    lead = "\n".join(x for x in (lead, unnamed_password(flow, node, out.said)) if x)
    node = with_lead(node, out.state.lead_step)
    lines, shown = first_bubble(flow, node)
    steps = _first_card_steps(flow, node, shown)
    gentle, contacts = _gentle_contacts(flow, node, out)
    closing = _closing(flow, out, also_titles)
    first_choices = (Choice(texts.LABEL_DETAILS, Command("details")), *without_ids(choices))
    card = ResultCard(
        title=node.title,
        summary=headline(flow, node),
        steps=tuple(steps),
        contacts=tuple(contacts),
        closing=tuple(closing),
        urgent=node.urgent,
        preview=preview(flow, node, steps),
    )
    replies = [Reply(lead)] if lead else []
    second = [*gentle, *([""] if gentle and closing else []), *closing]
    # The first bubble is what the user is waiting for: worth a push if the reply window passed.
    replies.append(Reply("\n".join(lines), () if second else first_choices, important=True, card=card))
    if second:
        replies.append(Reply("\n".join(second), first_choices, in_card=True))
    return replies


def _first_card_steps(flow: Flow, node: Node, shown: int) -> list[CardStep]:
    """The card's steps of the first bubble, each with the number to call under it."""
    steps: list[CardStep] = []
    for i in range(shown):
        call = node.step_calls[i]
        # The first thing to do on an urgent result (a lost card) is this call.
        contact = card_contact(flow, call, node.contact_hours, urgent=node.urgent and i == 0) if call else None
        steps.append(CardStep(fill_windows(flow, node.steps[i]), contact))
    return steps


def _gentle_contacts(flow: Flow, node: Node, out: Outcome) -> tuple[list[str], list[CardContact]]:
    """A contact offered gently, once (the counselling centre), is said with the result the first time."""
    gentle: list[str] = []
    contacts: list[CardContact] = []
    for cid in node.contacts:
        if cid not in node.step_calls and flow.contacts[cid].once:
            block = contact_block(flow, cid, node.contact_hours, out, why=node.contact_intros.get(cid, ""))
            if block:
                gentle += block
                contacts.append(card_contact(flow, cid, node.contact_hours))
    return gentle, contacts


def _closing(flow: Flow, out: Outcome, also_titles: Sequence[str]) -> list[str]:
    """The result's last words: the other likely causes, and the disclaimer once per conversation."""
    closing: list[str] = []
    if also_titles:
        closing.append(texts.ALSO_CAUSES.format(titles="」「".join(also_titles)))
    if not out.state.disclaimed and flow.lender.get("disclaimer"):
        closing.append(flow.lender["disclaimer"])
        out.state.disclaimed = True
    return closing


def without_ids(choices: Sequence[Choice]) -> tuple[Choice, ...]:
    """A result's first choices: the ID list is in the details, not a button of its own there."""
    return tuple(c for c in choices if c.action != Command("show_ids"))


def render_details(flow: Flow, node: Node, out: Outcome, choices: tuple[Choice, ...]) -> list[Reply]:
    """「くわしく」 after a result: the why, the other steps, whom else to call (only the hours that
    matter), what to bring, the machines' hours and the notes, in bubbles of at most BUBBLE_LINES
    lines; the result's choices on the last."""
    node = with_lead(node, out.state.lead_step)
    _lines, shown = first_bubble(flow, node)
    blocks, why = _unsaid_blocks(flow, node, out, shown)
    contact_blocks, contacts = _other_contacts(flow, node, out)
    extra, notes = _extra_blocks(flow, node)
    blocks += [*contact_blocks, *extra]
    if not blocks:
        blocks.append([texts.NO_MORE_DETAILS])
    card = ResultCard(
        title=node.title,
        summary="\n".join(why),
        steps=tuple(
            CardStep(fill_windows(flow, node.steps[i]), card_contact(flow, c, node.contact_hours) if c else None)
            for i in range(shown, len(node.steps))
            for c in (node.step_calls[i],)
        ),
        contacts=tuple(contacts),
        bring_title=flow.id_title if node.bring_ids else "",
        bring=flow.id_items if node.bring_ids else (),
        notes=tuple(notes),
        urgent=node.urgent,
        preview=texts.PREVIEW_RESULT,
        first_step=shown + 1,
        details=True,
    )
    # One card on the doors that draw cards (the whole ID list, a call button under each number).
    replies = [Reply("\n".join(lines), in_card=True) for lines in _bubbles(blocks)]
    replies[-1] = replace(replies[-1], choices=choices)
    replies[0] = replace(replies[0], card=card, in_card=False)
    return replies


def _unsaid_blocks(flow: Flow, node: Node, out: Outcome, shown: int) -> tuple[list[list[str]], list[str]]:
    """What the first bubble left out, as blocks: the first step's hours, the why, the other steps;
    and the why's lines (the card's summary)."""
    first_lines, hours_left = _first_lines(flow, node)
    blocks: list[list[str]] = []
    if node.steps and node.step_calls[0] and hours_left:
        # The first step's number was shown without its hours: they come first here.
        blocks.append(contact_block(flow, node.step_calls[0], node.contact_hours, out, intro=False))
    why = _why(flow, node)
    if headline(flow, node) not in first_lines:
        why = [headline(flow, node), *why]  # the first bubble had no room for it
    if why:
        blocks.append(why)
    rest = [line for i in range(shown, len(node.steps)) for line in _step_lines(flow, node, i)]
    if rest:
        blocks.append(rest)
    return blocks, why


def _other_contacts(flow: Flow, node: Node, out: Outcome) -> tuple[list[list[str]], list[CardContact]]:
    """Whom else to call, as blocks and as the card's contacts."""
    said = {node.step_calls[i] for i in range(len(node.steps))}
    blocks: list[list[str]] = []
    contacts: list[CardContact] = []
    for cid in node.contacts:
        if cid not in said:  # a number already under its step is not repeated
            block = contact_block(flow, cid, node.contact_hours, out, why=node.contact_intros.get(cid, ""))
            if block:
                blocks.append(block)
                contacts.append(card_contact(flow, cid, node.contact_hours))
    return blocks, contacts


def _extra_blocks(flow: Flow, node: Node) -> tuple[list[list[str]], list[str]]:
    """What to bring, the machines' hours and the note, as blocks; the last two also as the card's notes."""
    blocks: list[list[str]] = []
    notes: list[str] = []
    if node.bring_ids:
        blocks.append([texts.BRING.format(ids=flow.id_short or flow.id_title)])
    if node.show_machines:
        blocks.append(machines_text(flow).split("\n"))
        notes.append(machines_text(flow))
    if node.note:
        blocks.append([fill_windows(flow, node.note)])
        notes.append(fill_windows(flow, node.note))
    return blocks, notes


def _bubbles(blocks: list[list[str]]) -> list[list[str]]:
    """Blocks packed into bubbles of at most BUBBLE_LINES lines (a blank line between blocks)."""
    bubbles: list[list[str]] = []
    current: list[str] = []
    for block in blocks:
        if current and len(current) + 1 + len(block) > BUBBLE_LINES:
            bubbles.append(current)
            current = []
        current = [*current, "", *block] if current else list(block)
    bubbles.append(current)
    return bubbles


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
