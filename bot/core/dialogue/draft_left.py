"""A draft left for something else: was the reminder waiting for its yes replaced this turn, unsaved, and
did the person move on from it (then it is kept, as shown in full) or reword it (the same draft)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.core.dialogue import texts
from bot.core.dialogue.actions import Command
from bot.core.dialogue.messages import Reply, SaveReminder
from bot.core.dialogue.state import Outcome
from bot.core.dialogue.turn import Turn
from bot.core.reminders.refs import named_reminder
from bot.core.reminders.setup_state import AskTask, AskWhat, Confirm, Spec
from bot.core.safety.net import deletion_scope

if TYPE_CHECKING:
    from bot.core.dialogue.conversation import Conversation


def moved_on(waiting: object, out: Outcome) -> bool:
    """True when the person left a complete draft for something else: no set-up now, or a set-up of
    another moment (「電話じゃなくてメール」 changes the draft itself: same kind and moment)."""
    after = out.state.pending
    spec = getattr(after, "spec", None)
    if after is None or not isinstance(waiting, Confirm):
        return after is None
    if not isinstance(spec, Spec):
        return False
    old = waiting.spec
    return (spec.kind, spec.at, spec.rule, spec.due_day) != (old.kind, old.at, old.rule, old.due_day)


def replaced_unsaved(waiting: object, out: Outcome) -> bool:
    """True when a reminder waiting for its yes was replaced by a new one this turn, unsaved."""
    after = out.state.pending
    if not isinstance(waiting, Confirm) or any(isinstance(e, SaveReminder) for e in out.effects):
        return False
    said = {r.text for r in out.replies}
    if said & {texts.SETUP_DROPPED, texts.SETUP_KEPT} or waiting.spec.replace is not None:
        return False
    spec = getattr(after, "spec", None)
    if isinstance(spec, Spec):
        # The same moment with another text (「電話じゃなくてメール」 「内容を「…」に変えて」) is the draft reworded.
        moment = (spec.kind, spec.at, spec.rule, spec.due_day)
        reworded = moment == (waiting.spec.kind, waiting.spec.at, waiting.spec.rule, waiting.spec.due_day)
        kept = spec in waiting.queued or waiting.spec in getattr(after, "queued", ())  # several, some kept
        return spec.what != waiting.spec.what and not reworded and spec.replace is None and not kept
    if after is None:
        # Left for something else (the list, a question): unless the person said no, say it was not kept.
        said = {r.text for r in out.replies}
        return not said & {texts.CANCELLED_SETUP, texts.NOT_CANCELLED, texts.FORGOTTEN} and not out.state.cared
    return isinstance(after, AskTask | AskWhat)


def said_to_drop(out: Outcome) -> bool:
    """「止めて」 「それ消して、もう止めた笑」: words of stopping, which never save a draft on the way."""
    return deletion_scope(out.said) is not None


def left_draft(conv: Conversation, out: Outcome, waiting: object, start: int) -> None:
    """「明日の10時に…」 then another reminder before the yes: the first, shown in full, is kept (an
    unfinished one is not), and that is said first."""
    if not replaced_unsaved(waiting, out):
        return
    kept = moved_on(waiting, out) and not said_to_drop(out) and conv.dialog.keep_draft(out, waiting)
    out.replies.insert(start, Reply(texts.SETUP_KEPT if kept else texts.SETUP_DROPPED))


def beside_the_draft(conv: Conversation, turn: Turn, action: Command) -> None:
    """A screen looked at while a draft waits for its yes (「一覧」): shown, then the draft again, said
    to be unsaved (never saved on the way, never said both saved and absent)."""
    out, waiting = turn.out, turn.out.state.pending
    start = len(out.replies)
    conv.dispatch(out, action, turn.situation, turn.now)
    # A record with nothing in it says so in one line (the draft below is what the person has so far).
    shown = [
        Reply(texts.NOTHING_KEPT_YET) if texts.STATUS_EMPTY in r.text else r
        for r in out.replies[start:]
        if r.text != texts.SETUP_WAITING
    ]
    out.replies[start:] = [replace(r, choices=()) for r in shown]
    out.state.pending = waiting
    lead = texts.DRAFT_NOT_SAVED if isinstance(waiting, Confirm) else texts.KEEP_GOING
    conv.fallback._repeat_question(out, turn.now, lead)


def saved_one_called_off(conv: Conversation, turn: Turn, waiting: Confirm) -> bool:
    """「歯医者キャンセルになったから消しといて」 while another draft waits for its yes: that draft, shown in
    full, is kept (moved on from), and the saved reminder named is called off (asked first, as always)."""
    ref = named_reminder(turn.text, turn.out.reminders)
    what = waiting.spec.what
    if ref is None or ref.verb != "cancel" or not ref.matches or ref.recent or (what and what in turn.text):
        return False
    turn.out.state.pending = None
    if conv.dialog.keep_draft(turn.out, waiting):
        turn.out.replies.append(Reply(texts.SETUP_KEPT))
    conv.dialog.by_name(turn.out, turn.text, turn.now)
    return True
