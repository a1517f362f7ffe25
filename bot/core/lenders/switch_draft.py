"""A reminder draft waiting for its yes when another lender is named (「A10日とB20日の返済リマインド」
then 「Bの分も」): the draft belongs to the lender it was made for, so it is saved
there first (as a draft shown in full is when the person moves on), and the new lender starts clean."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from bot.core.dialogue.actions import Command, SetupControl
from bot.core.dialogue.messages import Incoming, SaveReminder
from bot.core.dialogue.state import ConversationState, Outcome
from bot.core.reminders.setup_state import Confirm

# 「ごめん間違い、〇〇じゃなくて△△」: the lender was wrong, not a second one: the draft is B's.
_CORRECTED = re.compile(r"じゃなくて|じゃなく|ではなくて|ではなく|やなくて|間違|まちが|違った|ちがった|訂正")


def saved_before_switch(
    state: ConversationState,
    before: str | None,
    switched: bool,
    incoming: Incoming,
    run: Callable[..., Outcome],
    label: Callable[[Outcome, str | None], None],
    waited: Outcome | None,
    heard: Incoming,
) -> tuple[Outcome | None, ConversationState, Incoming]:
    """On a switch from ``before``, its draft saved under it (labelled with it by ``label``) and put
    with what waited; and the state the new lender starts from, with what it hears. A lender corrected
    (「AじゃなくてB」) keeps the draft, asked again for the new lender (saved under it at the yes)."""
    if not switched or before is None or not isinstance(state.pending, Confirm):
        return waited, state, heard
    if incoming.text and _CORRECTED.search(incoming.text):
        return waited, state, replace(incoming, text=None, choice=Command("resume"))
    yes = replace(incoming, text=None, choice=SetupControl("yes"))
    saved = run(before, replace(state, lender=before), yes)
    label(saved, before)
    return _after(waited, saved), replace(state, pending=None, offered=[]), heard


def _after(waited: Outcome | None, out: Outcome) -> Outcome:
    """This turn's outcome after the one that waited for the lender: what that one did (a reminder
    its yes saved) happens first, and is said first (without its buttons: this turn's come last)."""
    if waited is None or not waited.effects:
        return out
    out.effects[:0] = waited.effects
    if any(isinstance(e, SaveReminder) for e in waited.effects):
        out.replies[:0] = [replace(r, choices=()) for r in waited.replies]
    return out
