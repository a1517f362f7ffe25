"""A reminder draft waiting for its yes when another lender is named (「A10日とB20日の返済リマインド」
then 「Bの分も」): the draft belongs to the lender it was made for, so it is saved
there first (as a draft shown in full is when the person moves on), and the new lender starts clean."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.core.dialogue.actions import SetupControl
from bot.core.dialogue.messages import Incoming
from bot.core.dialogue.state import ConversationState, Outcome
from bot.core.reminders.setup_state import Confirm


def saved_before_switch(
    state: ConversationState, before: str | None, incoming: Incoming, run: Callable[..., Outcome]
) -> tuple[Outcome | None, ConversationState]:
    """The draft of ``before`` saved under it (its outcome), and the state the new lender starts from."""
    if before is None or not isinstance(state.pending, Confirm):
        return None, state
    yes = replace(incoming, text=None, choice=SetupControl("yes"))
    saved = run(before, replace(state, lender=before), yes)
    return saved, replace(state, pending=None, offered=[])
