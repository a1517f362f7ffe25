"""Core replies as Discord messages: the text plus a view of buttons that carry the core's choice values.

Every button is a :class:`ChoiceButton`, a ``DynamicItem`` whose ``custom_id`` is
``c|<owner user id>|<choice value>``. The client registers the class once (``setup_hook``), so a
click is understood from the ``custom_id`` alone: after a restart, on a DM sent days ago, and on an
ephemeral answer alike. The owner in the id lets the door refuse a click by anybody else.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command, encode
from bot.core.dialogue.messages import ReminderCard, Reply, ResultCard

log = logging.getLogger(__name__)

PREFIX = "c"
MAX_CONTENT = 2000  # Discord's limit for message content
MAX_BUTTONS = 25  # 5 rows of 5
MAX_LABEL = 80
MAX_CUSTOM_ID = 100
# Embed limits: a field's value, the footer, the description, and all text of one embed together.
MAX_FIELD = 1024
MAX_FOOTER = 2048
MAX_DESCRIPTION = 4096
URGENT = discord.Colour(0xC62828)
CALM = discord.Colour(0x2E6DA4)
_NAV_VALUES = {encode(Command(name)) for name in ("back", "restart", "menu")}


def custom_id(owner: int, value: str) -> str:
    """The ``custom_id`` of the button offering ``value`` to the user ``owner``."""
    return f"{PREFIX}|{owner}|{value}"


class ChoiceButton(discord.ui.DynamicItem[discord.ui.Button], template=r"c\|(?P<owner>[0-9]{1,20})\|(?P<value>.+)"):
    """A button that sends one core choice value; understood from its ``custom_id`` alone."""

    def __init__(self, owner: int, value: str, label: str = "", style: discord.ButtonStyle | None = None) -> None:
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(
            label=(label or value)[:MAX_LABEL],
            style=style or discord.ButtonStyle.secondary,
            custom_id=custom_id(owner, value),
        )
        super().__init__(button)
        self.owner = owner
        self.value = value

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ChoiceButton:
        """Rebuild the button from a click (the label comes from the clicked message)."""
        # discord.py passes the clicked component, always a Button for this template.
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(int(match["owner"]), match["value"], label or "")

    async def callback(self, interaction: discord.Interaction) -> None:
        """Hand the click to the door that owns the client."""
        door: Any = getattr(interaction.client, "door", None)
        if door is not None:
            await door.on_click(interaction, self.owner, self.value)


def render(reply: Reply, owner: int) -> tuple[str, discord.ui.View | None]:
    """One core reply as message content and a view of buttons (None when it has no choices)."""
    content = reply.text[:MAX_CONTENT] or "\u200b"
    if not reply.choices:
        return content, None
    view = discord.ui.View(timeout=None)
    seen: set[str] = set()
    for choice in reply.choices:
        cid = custom_id(owner, choice.value)
        if len(cid) > MAX_CUSTOM_ID or cid in seen or len(seen) >= MAX_BUTTONS:
            log.warning("choice value dropped for user %s: too long, repeated or too many", owner)
            continue
        seen.add(cid)
        style = discord.ButtonStyle.secondary if choice.value in _NAV_VALUES else discord.ButtonStyle.primary
        view.add_item(ChoiceButton(owner, choice.value, choice.label, style))
    return content, view if seen else None


def group_cards(replies: list[Reply]) -> list[Reply]:
    """A result's card and the bubbles it covers become one reply (the card, the last choices)."""
    out: list[Reply] = []
    for reply in replies:
        if reply.in_card and out and isinstance(out[-1].card, ResultCard):
            last = out[-1]
            out[-1] = Reply(
                f"{last.text}\n\n{reply.text}", reply.choices or last.choices, last.ask, last.important, last.card
            )
        else:
            out.append(reply)
    return out


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def result_embed(card: ResultCard) -> discord.Embed:
    """A result as an embed: the title, the summary, the steps (a number to call under its step), the
    contacts, what to bring; the urgent colour for a lost card. Discord cannot dial, so numbers are text."""
    description = "\n".join(x for x in (card.lead, card.summary) if x)
    embed = discord.Embed(
        title=_cut(f"{card.title}（{texts.LABEL_DETAILS}）" if card.details else card.title, 256),
        description=_cut(description, MAX_DESCRIPTION) or None,
        colour=URGENT if card.urgent else CALM,
    )
    for name, value in _fields(card):
        embed.add_field(name=_cut(name, 256), value=_cut(value, MAX_FIELD), inline=False)
    if card.closing:
        embed.set_footer(text=_cut("\n".join(card.closing), MAX_FOOTER))
    return embed


def _fields(card: ResultCard) -> list[tuple[str, str]]:
    """The embed's fields in order: what to do, whom to call, what to bring, the notes."""
    fields: list[tuple[str, str]] = []
    steps = _step_lines(card)
    if steps:
        fields.append(("やること", "\n".join(steps)))
    for contact in card.contacts:
        fields.append(
            (
                contact.name,
                "\n".join([x for x in (contact.intro, f"📞 **{contact.phone}**") if x] + list(contact.hours)),
            )
        )
    if card.bring:
        fields.append((card.bring_title, "\n".join(f"・{i}" for i in card.bring)))
    fields += [("補足", note) for note in card.notes]
    return fields


def _step_lines(card: ResultCard) -> list[str]:
    lines: list[str] = []
    for i, step in enumerate(card.steps, card.first_step):
        lines.append(f"{i}. {step.text}")
        if step.contact is not None:
            lines.append(f"　📞 **{step.contact.name}：{step.contact.phone}**")
            lines += [f"　{h}" for h in step.contact.hours]
    return lines


def reminder_embed(card: ReminderCard) -> discord.Embed:
    """A reminder as an embed: its title and lines (a late one says so first)."""
    description = "\n".join(x for x in (card.lead, *card.lines) if x)
    return discord.Embed(title=_cut(card.title, 256), description=_cut(description, MAX_DESCRIPTION), colour=CALM)


def render_message(reply: Reply, owner: int) -> dict[str, Any]:
    """Keyword arguments for sending one reply: content, and a view and an embed when it has them."""
    content, view = render(reply, owner)
    kwargs: dict[str, Any] = {"content": content}
    if isinstance(reply.card, ResultCard):
        kwargs = {"content": None, "embed": result_embed(reply.card)}
    elif isinstance(reply.card, ReminderCard):
        # A DM's notification shows its content: only that there is something; the embed says the rest.
        kwargs = {"content": f"🔔 {reply.card.preview or texts.PREVIEW_REMINDER}", "embed": reminder_embed(reply.card)}
    if view is not None:
        kwargs["view"] = view
    return kwargs
