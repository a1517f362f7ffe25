"""What every part of the reminder dialog shares: the flow, the timezone and the conversation that
owns the dialog (its :class:`Host`), bundled as one :class:`Ctx` passed to each handler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.core.diagnosis.flow import Flow
from bot.core.dialogue.messages import Choice
from bot.core.dialogue.state import Outcome
from bot.core.reminders.model import ReminderView

# A short answer read by the classifier counts from this confidence on (the question gives context).
ANSWER_MIN = 0.3
# Where a task is asked for, a yes or no must be read with more confidence (a task is free text).
SHORT_ANSWER_MIN = 0.6
MAX_LISTED = 8


class Host(Protocol):
    """What the dialog needs from the conversation that owns it."""

    def menu_choices(self) -> tuple[Choice, ...]:
        """The main menu's choices."""
        ...

    def stale(self, out: Outcome) -> None:
        """Answer a button that no longer applies."""
        ...


@dataclass(frozen=True, slots=True)
class Ctx:
    """One flow, one default timezone, and the host conversation."""

    flow: Flow
    tz: ZoneInfo
    host: Host

    def local(self, moment: datetime) -> datetime:
        """``moment`` in the default timezone."""
        return moment.astimezone(self.tz)

    @staticmethod
    def owned(out: Outcome, reminder_id: int) -> ReminderView | None:
        """The user's own reminder; anyone else's looks exactly like a missing one."""
        return next((r for r in out.reminders if r.id == reminder_id), None)

    @staticmethod
    def newest(out: Outcome) -> ReminderView | None:
        """The reminder saved last."""
        return max(out.reminders, key=lambda r: r.id) if out.reminders else None
