"""What the kinds set for one moment share (a visit, a plain reminder): the "when?" menu, a new
moment given at the confirmation or in a change request, and 「ちがう」 meaning "another time"."""

from __future__ import annotations

from datetime import datetime

from bot.core.dates.jptime import When, utc_stamp
from bot.core.dialogue.state import Outcome
from bot.core.reminders.asking import when_given
from bot.core.reminders.confirm_answers import correct_moment
from bot.core.reminders.control import setup_control
from bot.core.reminders.find import said_time
from bot.core.reminders.host import Ctx
from bot.core.reminders.kinds.base import Kind
from bot.core.reminders.model import ReminderView
from bot.core.reminders.setup_answers import Correction
from bot.core.reminders.setup_state import Spec
from bot.core.reminders.when_menu import ask_when


class Timed(Kind):
    """A reminder for one moment (no ``KIND`` here: the kinds built on it register themselves)."""

    takes_moment = True

    def on_control(self, ctx: Ctx, out: Outcome, verb: str, spec: Spec, now: datetime) -> bool:
        if verb != "when":
            return False
        ask_when(ctx, out, self.ask_when_text, spec, now)
        return True

    def on_wrong(self, ctx: Ctx, out: Outcome, now: datetime) -> bool:
        setup_control(ctx, out, "when", now)
        return True

    def correct(self, ctx: Ctx, out: Outcome, spec: Spec, fixed: Correction, now: datetime) -> bool:
        return correct_moment(ctx, out, spec, fixed, now)

    def _changing(self, view: ReminderView) -> Spec:
        return Spec(self.name, what=view.what, reason=view.reason, replace=view.id)

    def change(self, ctx: Ctx, out: Outcome, view: ReminderView, now: datetime) -> None:
        ask_when(ctx, out, self.ask_when_text, self._changing(view), now)

    def change_in_words(self, ctx: Ctx, out: Outcome, view: ReminderView, text: str, now: datetime) -> None:
        said = said_time(ctx, text, now)
        parsed = said.parsed
        if parsed is None:
            self.change(ctx, out, view, now)
        elif said.clock is not None and said.only_clock and view.at is not None:
            # 「11時に変えて」: the same day at the new time.
            at = datetime.combine(view.at.date(), said.clock, view.at.tzinfo)
            when_given(ctx, out, self._changing(view), When("once", at=at), now)
        elif isinstance(parsed, When) and parsed.at is not None and parsed.clock is None and view.at is not None:
            # 「明後日に変えて」: the new day at the same time.
            at = datetime.combine(parsed.at.date(), view.at.timetz())
            when_given(ctx, out, self._changing(view), When("once", at=at), now)
        else:
            when_given(ctx, out, self._changing(view), parsed, now)

    def renamed(self, view: ReminderView, what: str) -> Spec | None:
        return self._changing(view).but(at=utc_stamp(view.at), what=what) if view.at is not None else None

    def change_newest(self, ctx: Ctx, out: Outcome, view: ReminderView, fixed: Correction, now: datetime) -> bool:
        if view.at is None:
            return False
        spec = self._changing(view).but(at=utc_stamp(view.at))
        return correct_moment(ctx, out, spec, fixed, now)
