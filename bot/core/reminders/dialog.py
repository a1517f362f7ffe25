"""Setting up, listing, changing and acting on reminders inside the conversation.

The dialog is a component the conversation owns (it does not inherit from it): the conversation
hands it the turn's :class:`~bot.core.dialogue.state.Outcome` and a :class:`Host` for the two things
it needs back (the menu's choices, the answer to a stale button). This class only keeps the
interface the conversation calls and delegates; the work is in the modules named for what they do:

- :mod:`.setup_state` the states a set-up waits on; :mod:`.setup_handlers` their handlers
  (state type -> handler of a typed answer, and -> asking again); :mod:`.setup_answers` reading
  short answers and corrections; :mod:`.confirm_answers` the confirmation's answers;
- :mod:`.asking` the questions and the list; :mod:`.when_menu` the "when?" questions and menus;
- :mod:`.detect` a reminder request read from a sentence; :mod:`.find` the reminder a message
  names (by name, position, or the one just saved); :mod:`.control` the set-up's buttons and the
  operations on saved reminders (a table of verbs), cancelling one or all, snoozing in words;
- :mod:`.kinds` one strategy per kind (repayment, visit, plain, repeating), found by name.

Nothing is saved before the user's approval of the exact date and time repeated back.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.dates.jptime import When, WhenAsk
from bot.core.diagnosis.flow import Flow
from bot.core.dialogue.actions import DaysBefore, RemindAt, ReminderOp, RepayDay, SetupControl
from bot.core.dialogue.state import Outcome
from bot.core.reminders import asking, control, find, setup_handlers
from bot.core.reminders import detect as reading
from bot.core.reminders.host import Ctx, Host
from bot.core.reminders.kinds.base import Answer
from bot.core.reminders.kinds.registry import all_kinds, asked_for, due_day_kind, for_command, kind_of
from bot.core.reminders.setup_state import REMINDER_SETUPS, AskDaysBefore, AskTask, AskWhat, AskWhen, Confirm
from bot.core.reminders.when_menu import when_question
from bot.core.situation.facts import Situation
from bot.core.understanding import Reading
from bot.core.understanding.textnorm import normalize

__all__ = ["Host", "ReminderDialog"]


class ReminderDialog:
    """Reminder set-ups and operations for one flow and one default timezone."""

    def __init__(self, flow: Flow, tz: ZoneInfo, host: Host) -> None:
        self.flow = flow
        self.tz = tz
        self.host = host
        self.ctx = Ctx(flow, tz, host)

    # ------------------------------------------------------------------ entry points

    def action(self, out: Outcome, name: str, situation: Situation, now: datetime) -> bool:
        """Run a reminder command ("remind_repay", "remind_visit", "reminders"...); False if not one."""
        asked = asked_for(out.said) if name in ("reminders", "cancel_reminder") else None
        kind = asked or for_command(name)
        if kind is not None:
            # 「来店のお知らせ」 read as the list or a cancel: it asks for a visit reminder, so its set-up starts.
            kind.start(self.ctx, out, kind.commands[0] if asked else name, situation, now)
        elif name == "reminders":
            asking.list_reminders(self.ctx, out, now)
        elif name == "cancel_reminder":
            control.stop_requested(self.ctx, out, now)
        else:
            return False
        return True

    def keep_draft(self, out: Outcome, waiting: object) -> bool:
        """Save a complete draft (``Confirm``) the person moved on from; False when ``waiting`` is none."""
        if not isinstance(waiting, Confirm):
            return False
        control.keep_draft(self.ctx, out, waiting)
        return True

    def in_progress(self, out: Outcome) -> bool:
        """True while a reminder set-up waits for a value or an approval."""
        return isinstance(out.state.pending, REMINDER_SETUPS)

    def takes_task(self, out: Outcome) -> bool:
        """True while the question is what to be reminded of (any words, 「通知を消す」 too, are the answer)."""
        return isinstance(out.state.pending, AskTask | AskWhat)

    def wants_value(self, out: Outcome) -> bool:
        """True while the question asks for a value a bare number can be (a day, a count, a time)."""
        return any(isinstance(out.state.pending, k.value_states) for k in all_kinds() if k.value_states)

    def on_repay_day(self, out: Outcome, action: RepayDay, situation: Situation, now: datetime) -> None:
        """The repayment day was picked."""
        due_day_kind().on_repay_day(self.ctx, out, action.day, situation, now)

    def on_days_before(self, out: Outcome, action: DaysBefore, situation: Situation, now: datetime) -> None:
        """How many days before: only while a reminder that takes a lead is being set up."""
        pending = out.state.pending
        spec = pending.spec if isinstance(pending, AskDaysBefore | Confirm) else None
        if spec is None or not kind_of(spec.kind).on_days_before(self.ctx, out, spec, action.days, now):
            self.host.stale(out)

    def on_remind_at(self, out: Outcome, action: RemindAt, situation: Situation, now: datetime) -> None:
        """A proposed date was picked: only while asking when a reminder for one moment should arrive."""
        pending = out.state.pending
        if not isinstance(pending, AskWhen) or not kind_of(pending.spec.kind).takes_moment:
            self.host.stale(out)
        else:
            asking.when_given(self.ctx, out, pending.spec, When("once", at=action.at.astimezone(self.tz)), now)

    def on_setup_control(self, out: Outcome, action: SetupControl, situation: Situation, now: datetime) -> None:
        """Yes / no / change something at a reminder set-up."""
        if not any(k.pending_control(self.ctx, out, action.verb, situation, now) for k in all_kinds()):
            control.setup_control(self.ctx, out, action.verb, now)

    def on_reminder_op(self, out: Outcome, action: ReminderOp, situation: Situation, now: datetime) -> None:
        """Open, stop, skip, cancel, snooze, complete or change one of the user's reminders."""
        control.act(self.ctx, out, action.verb, action.reminder_id, now)

    def quit(self, out: Outcome, now: datetime) -> None:
        """Leave the set-up in progress (「やめる」 at any step)."""
        control.setup_control(self.ctx, out, "no", now)

    def text(
        self, out: Outcome, text: str, reading: Reading, situation: Situation, now: datetime, elsewhere: bool
    ) -> bool:
        """Typed text while the dialog waits for a value; False when the text is not an answer to it.

        ``elsewhere``: the text confidently means something else (a command, a cause); then a value
        that cannot be read is not asked for again: the caller handles the other meaning.
        """
        answer = Answer(out, text, normalize(text), reading, situation, now, elsewhere)
        return setup_handlers.on_text(self.ctx, answer)

    def by_name(self, out: Outcome, text: str, now: datetime) -> bool:
        """「ジムのやつやめたい」 「電話のリマインダーを11時に変えて」: a reminder named with what to do
        (「あとでもう一回」 right after one came: it again later)."""
        return find.by_name(self.ctx, out, text, now)

    def change_newest(self, out: Outcome, text: str, now: datetime) -> bool:
        """A correction right after a reminder was saved (「やっぱり11時で」): the one just saved changes."""
        return find.change_newest(self.ctx, out, text, now)

    def repeat_question(self, out: Outcome, now: datetime) -> bool:
        """Ask again the set-up question the user is in (after a resume or a misunderstanding)."""
        return setup_handlers.repeat_question(self.ctx, out, now)

    def cancel_at(self, out: Outcome, number: int, now: datetime) -> None:
        """「1番目のを消して」: the reminder at that place in the list last shown (named before it goes)."""
        find.cancel_at(self.ctx, out, number, now)

    def confirm_cancel_all(self, out: Outcome, now: datetime) -> None:
        """「リマインダー全部消して」: every reminder, named, asked once (the rest of the record stays)."""
        control.confirm_cancel_all(self.ctx, out, now)

    def cancel_all(self, out: Outcome, now: datetime) -> None:
        """Every reminder of the user cancelled (after the yes); nothing else of them is touched."""
        control.cancel_all(self.ctx, out, now)

    def picked(self, out: Outcome, at: datetime | None, situation: Situation, now: datetime) -> None:
        """LINE's date picker: a moment for the "when" question, or a stale picker."""
        if at is not None and isinstance(out.state.pending, AskWhen):
            self.on_remind_at(out, RemindAt(at), situation, now)
        else:
            self.host.stale(out)

    def ask_task(self, out: Outcome) -> None:
        """Ask for a reminder's date and task together."""
        asking.ask_task(self.ctx, out)

    def ask_what(self, out: Outcome, at: datetime, now: datetime) -> None:
        """A time without a task: ask what to remind about (the time is kept)."""
        asking.ask_what(self.ctx, out, at, now)

    def ask_about(self, out: Outcome, ask: WhenAsk, now: datetime) -> None:
        """A time alone that needs a question first (「2時」): ask it; the task is asked after."""
        when_question(self.ctx, out, reading.plain_spec(), ask, now)

    def detect(
        self, out: Outcome, text: str, situation: Situation, now: datetime, stage: str, explicit: bool = False
    ) -> bool:
        """Reminders asked for in free text: "返済日は25日" (stage "repay"), "明日10時に電話" ("free").

        ``stage`` names the kind whose reading of a sentence runs. ``explicit``: the user asked for a
        reminder, so a time alone is kept and the task asked for.
        """
        return reading.detect(self.ctx, out, text, situation, now, stage, explicit)
