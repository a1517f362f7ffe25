"""A diagnosis result as this conversation shows it: :mod:`bot.core.diagnosis.result_view` draws it
(short first, details on request), with the conversation's choices and labels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.core.diagnosis import result_view
from bot.core.diagnosis.flow import Node
from bot.core.dialogue.messages import Reply
from bot.core.dialogue.state import Outcome

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


class ResultRender:
    """Results, contacts and the ID list, drawn for this conversation's flow."""

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
        return result_view.contact_block(self.conv.flow, cid, hours, out, indent, intro, why)

    def _render_final(self, node: Node, out: Outcome, also: Sequence[str] = (), lead: str = "") -> list[Reply]:
        """A result, as :mod:`bot.core.diagnosis.result_view` shows it, with this conversation's choices."""
        titles = [self.conv._intent_label(c) for c in also]
        choices = self.conv.diagnosis._result_choices(node, also)
        return result_view.render_final(self.conv.flow, node, out, choices, titles, lead)

    def _details(self, out: Outcome) -> list[Reply]:
        """「くわしく」: the rest of the result the user is at ([] when they are at none)."""
        node = self.conv.flow.nodes.get(out.state.node or "")
        if node is None or not node.is_final:
            return []
        return result_view.render_details(self.conv.flow, node, out, self.conv.diagnosis._result_choices(node))

    def _ids_text(self) -> str:
        return result_view.ids_text(self.conv.flow)

    def _machines_text(self) -> str:
        return result_view.machines_text(self.conv.flow)
