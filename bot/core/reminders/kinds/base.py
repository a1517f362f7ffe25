"""What a reminder kind is: one strategy owning everything that differs between kinds.

A kind says what its set-up repeats back and stores, how it is listed, exported and sent, which
sends to plan next, and how its own questions and changes go. Generic code (the set-up, the list,
the planner, the export) asks the kind and never tests a kind's name. Every hook has a default that
suits a plain reminder; a kind overrides what differs. Hooks that answer a turn return True when
they did, and the caller does the generic thing otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.core.dates.jptime import format_datetime, format_time
from bot.core.diagnosis.flow import Flow
from bot.core.dialogue import texts
from bot.core.dialogue.actions import SetupControl
from bot.core.dialogue.messages import Choice, Effect
from bot.core.reminders.model import ReminderView
from bot.core.reminders.setup_state import Spec

if TYPE_CHECKING:
    from bot.core.dialogue.state import Outcome
    from bot.core.reminders.host import Ctx
    from bot.core.reminders.setup_answers import Correction
    from bot.core.situation.facts import Situation
    from bot.core.understanding import Reading


@dataclass(frozen=True, slots=True)
class PlannedSend:
    """One send to plan: its slot, when, and (repayments) the real due date it speaks of."""

    slot: str
    due_at: datetime
    real_due: date | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """A typed answer to the question a set-up waits on, with what the turn knows."""

    out: Outcome
    text: str
    key: str  # normalised
    reading: Reading
    situation: Situation
    now: datetime
    elsewhere: bool  # the text confidently means something else


# A question's handler: True when the text answered it (False: the caller reads it otherwise).
TextHandler = Callable[["Ctx", Any, Answer], bool]
# Asks a question again from its state.
Asker = Callable[["Ctx", "Outcome", Any, datetime], None]


class Kind:
    """The behaviour every kind shares; each kind overrides what differs."""

    name = ""
    order = 100  # where the kind comes in lists of kinds (the empty list's offers)
    label = "お知らせ"  # the export's name for it
    repeats = False  # 「止める」 asks "this one or all", and every send plans the next one
    counted = False  # its rule may end after a number of sends (「3回」): the planner counts them
    # Words that only restate what the draft already is (「毎月ね」 to a monthly repayment): a yes.
    restated: tuple[str, ...] = ()
    useful_for = timedelta(hours=12)  # how long after its time a failing send is still worth retrying
    done_label = "完了した"
    done_text = texts.FREE_DONE
    skipped_text = texts.SKIPPED_ONE
    ask_when_text = texts.ASK_FREE_WHEN
    commands: tuple[str, ...] = ()  # the menu commands that start its set-up
    command_labels: dict[str, str] = {}  # the button label of each (a command without one has none)
    offer: tuple[str, str] | None = None  # (label, command) the empty list offers
    name_words: tuple[str, ...] = ()  # words naming it in a sentence (「返済の止めて」)
    slot_labels: dict[str, str] = {}  # its sends' slots, as the export names them
    takes_moment = False  # a moment picked from a "when?" menu sets it
    default_for_tasks = False  # a task said with a time is this kind unless another claims it
    by_rule = False  # a repeat rule (毎週金曜) makes this kind
    one_per_user = False  # a new one replaces the user's current one
    about_lender = False  # set up in a lender's conversation, it is about that lender (its flow fires it)
    records_due_day = False  # it holds the user's repayment day (the situation's due_day)
    completes = "once"  # what 「完了」 ends: "once" (all of it), "cycle" (this due date), "occurrence"
    snooze_keeps_due = False  # a snoozed send still speaks of the due date of the send it postpones
    value_states: tuple[type, ...] = ()  # its questions that a bare number answers (a day, a count)

    # ------------------------------------------------------------------ set-up

    def start(self, ctx: Ctx, out: Outcome, command: str, situation: Situation, now: datetime) -> None:
        """Start the set-up from one of its ``commands``."""
        raise NotImplementedError

    def detect(self, ctx: Ctx, out: Outcome, text: str, situation: Situation, now: datetime, explicit: bool) -> bool:
        """A reminder of this kind asked for in a sentence; True when answered."""
        return False

    def asked_for(self, said: str) -> bool:
        """True when a request in words (normalised) asks for a reminder of this kind (「来店のお知らせ」)."""
        return False

    def claims_task(self, what: str) -> bool:
        """True when a task said in words is this kind's (「自動契約機に行く」)."""
        return False

    def task_spec(self, what: str, situation: Situation) -> Spec:
        """The draft of a reminder of this kind for a task said in words."""
        return Spec(self.name, what=what[:100])

    def needs_what(self, spec: Spec) -> bool:
        """True when the draft still lacks what to remind about."""
        return False

    def text_handlers(self) -> dict[type, TextHandler]:
        """Its own questions (state type -> handler of a typed answer)."""
        return {}

    def askers(self) -> dict[type, Asker]:
        """Its own questions (state type -> ask it again)."""
        return {}

    def pending_control(self, ctx: Ctx, out: Outcome, verb: str, situation: Situation, now: datetime) -> bool:
        """A set-up button of one of its own questions (before the confirmation)."""
        return False

    def on_repay_day(self, ctx: Ctx, out: Outcome, day: int, situation: Situation, now: datetime) -> None:
        """A repayment day picked (only the kind that ``records_due_day`` takes one)."""
        raise NotImplementedError

    def on_days_before(self, ctx: Ctx, out: Outcome, spec: Spec, days: int, now: datetime) -> bool:
        """「N日前」 picked at its set-up; False when it takes no lead."""
        return False

    # ------------------------------------------------------------------ confirmation

    def confirm_lines(self, spec: Spec, now: datetime, tz: ZoneInfo, flow: Flow) -> list[str]:
        """What the set-up repeats back before saving."""
        raise NotImplementedError

    def confirm_extra(self, ctx: Ctx, spec: Spec) -> tuple[list[str], Spec]:
        """Lines said once after the summary, and the draft noting they were said."""
        return [], spec

    def confirm_controls(self, spec: Spec) -> list[Choice]:
        """The confirmation's buttons between 「はい」 and 「やめる」."""
        return [Choice("日時を変える", SetupControl("when"))]

    def on_control(self, ctx: Ctx, out: Outcome, verb: str, spec: Spec, now: datetime) -> bool:
        """A change button at the confirmation (「日時を変える」); False when it is not one of its own."""
        return False

    def at_confirm(self, ctx: Ctx, out: Outcome, spec: Spec, text: str, now: datetime) -> bool:
        """Its own reading of text typed at the confirmation, before the shared corrections."""
        return False

    def reword(self, ctx: Ctx, out: Outcome, spec: Spec, text: str, now: datetime) -> bool:
        """「電話じゃなくてメール」 at the confirmation: its task reworded; False when it has none to reword."""
        return False

    def correct(self, ctx: Ctx, out: Outcome, spec: Spec, fixed: Correction, now: datetime) -> bool:
        """A new value given at the confirmation; False when it changes nothing of this kind."""
        return False

    def on_wrong(self, ctx: Ctx, out: Outcome, now: datetime) -> bool:
        """「ちがう」 at the confirmation; False: ask what to change."""
        return False

    def fields(self, spec: Spec, tz: str) -> dict[str, Any]:
        """The stored columns of a saved reminder."""
        raise NotImplementedError

    def saved_effects(self, spec: Spec) -> list[Effect]:
        """What else saving records (the repayment day in the situation)."""
        return []

    # ------------------------------------------------------------------ a saved one

    def done(self, view: ReminderView, now: datetime) -> tuple[str, list[Effect]]:
        """What 「完了」 says and records."""
        return self.done_text, []

    def change(self, ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
        """「日時を変える」 on a saved one: the question of its new value."""
        raise NotImplementedError

    def change_days(self, ctx: Ctx, out: Outcome, view: ReminderView, text: str, now: datetime) -> bool:
        """「金曜じゃなくて土曜にして」: new days for a reminder that repeats; False when not one."""
        return False

    def change_in_words(self, ctx: Ctx, out: Outcome, view: ReminderView, text: str, now: datetime) -> None:
        """「…を11時に変えて」: the change said with its new value (else the question of it)."""
        self.change(ctx, out, view, now)

    def change_newest(self, ctx: Ctx, out: Outcome, view: ReminderView, fixed: Correction, now: datetime) -> bool:
        """A correction right after it was saved; False when it changes nothing of it."""
        return False

    def renamed(self, view: ReminderView, what: str) -> Spec | None:
        """「サプリに名前変えて」: the draft of it with a new text, at the same times; None when it has no
        text of its own to change."""
        return None

    # ------------------------------------------------------------------ the list and the sends

    def describe(self, view: ReminderView, now: datetime) -> str:
        """One line for the list."""
        local_now = now.astimezone(view.tz)
        when = format_datetime(view.at, local_now.date()) if view.at else "—"
        done = "（お知らせ済み）" if view.status == "sent" else ""
        if view.next_at is not None and view.at is not None:
            when = f"{when} → 次回 {format_datetime(view.next_at, local_now.date())}"  # snoozed
            done = ""
        return f"{self.subject(view)} {when}{done}"

    def subject(self, view: ReminderView) -> str:
        """What the reminder is about, in a few words."""
        return view.what

    def short_label(self, view: ReminderView) -> str:
        """A choice label (≤ 20 characters): what, and when."""
        if view.at is None:
            return clip(view.what, 8)
        return f"{clip(view.what, 7)} {view.at.month}/{view.at.day} {format_time(view.at.time())}"

    def fire_lines(
        self, view: ReminderView, flow: Flow, due_at: datetime, now: datetime, real_due: date | None, slot: str
    ) -> list[str]:
        """The body of the message sent when it falls due: what, and for when."""
        return ["【お知らせ】", f"{view.what}（{format_datetime(due_at.astimezone(view.tz))}）"]

    def next_sends(self, view: ReminderView, after: datetime, fired: int) -> list[PlannedSend]:
        """The sends to plan after ``after`` (a once kind: its one send, if still ahead or not yet sent)."""
        if view.at is None or (view.at <= after and view.status == "sent"):
            return []
        return [PlannedSend("once", view.at)]


def clip(text: str, size: int) -> str:
    """At most ``size`` characters; a cut shows as 「…」 so no word looks complete when it is not."""
    return text if len(text) <= size else text[: size - 1] + "…"
