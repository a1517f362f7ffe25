"""Platform-free message types shared by the core and every door."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.dialogue.actions import Action, encode


@dataclass(frozen=True, slots=True)
class UserRef:
    """Who is talking: the platform name plus that platform's user id."""

    platform: str
    user_id: str

    @property
    def key(self) -> str:
        """A single string that identifies the user across the whole bot."""
        return f"{self.platform}:{self.user_id}"


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message from a user: typed text, or the action of a choice they tapped, never both needed.

    ``stale``: the door received a button payload it could not decode (an old or garbled one).
    """

    user: UserRef
    text: str | None = None
    choice: Action | None = None
    event_id: str = ""
    stale: bool = False
    # Extra structured data from a door (e.g. LINE's datetime picker result); never free text.
    params: dict[str, str] = field(default_factory=dict)
    # The text as a door already found no secret in it (``redact`` is not run on it a second time).
    screened: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """A button / quick reply / numbered option: what the user sees and the action that comes back."""

    label: str
    action: Action

    @property
    def value(self) -> str:
        """The action's wire form (what a door puts in a postback or a ``custom_id``)."""
        return encode(self.action)


_DIAL = re.compile(r"[0-9][0-9-]{5,}")


@dataclass(frozen=True, slots=True)
class CardContact:
    """A number to call, as a result shows it: name, number as written, and the hours that matter."""

    name: str
    phone: str  # as written in the flow ("0120-12-3456（通話無料）")
    hours: tuple[str, ...] = ()
    intro: str = ""
    # The call is the first thing to do (a lost card): doors put its button on top.
    urgent: bool = False

    @property
    def dial(self) -> str:
        """The first number in ``phone`` as digits only (for a ``tel:`` link), or "" when none."""
        found = _DIAL.search(self.phone)
        return found.group(0).replace("-", "") if found else ""


@dataclass(frozen=True, slots=True)
class CardStep:
    """One numbered step of a result, with the number to call right under it when it is a call."""

    text: str
    contact: CardContact | None = None


@dataclass(frozen=True, slots=True)
class ResultCard:
    """A diagnosis result in its parts, for doors that show more than text (LINE Flex, Discord embeds).

    The text bubbles of the same result say exactly the same things; a door renders either.
    """

    title: str
    summary: str
    steps: tuple[CardStep, ...] = ()
    contacts: tuple[CardContact, ...] = ()  # numbers not already under a step
    bring_title: str = ""  # what to bring: the ID list's title and items (empty: nothing to bring)
    bring: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # the machines' hours, the result's note
    closing: tuple[str, ...] = ()  # what the bot can do next, the disclaimer
    lead: str = ""  # a line said before the result (maintenance, still stuck)
    urgent: bool = False
    # What a lock screen may show of it (a notification preview): never the lender, money or dates.
    preview: str = ""
    first_step: int = 1  # the number of the first step shown (the details go on from the first bubble)
    details: bool = False  # the rest of a result, asked for with 「くわしく」 (its header says so)


@dataclass(frozen=True, slots=True)
class ReminderCard:
    """A reminder message in its parts: a title, the lines under it, and whether it comes late."""

    title: str
    lines: tuple[str, ...] = ()
    lead: str = ""
    # What a lock screen may show: by default only that there is something (see texts.PREVIEW_REMINDER).
    preview: str = ""


@dataclass(frozen=True, slots=True)
class Reply:
    """One chat bubble: text plus optional choices."""

    text: str
    choices: tuple[Choice, ...] = ()
    # A hint for doors that can show a native picker (LINE's datetime picker): "datetime" or "".
    ask: str = ""
    # The bubble carries what the user is waiting for (a diagnosis result): worth a push when a
    # door could not answer in time.
    important: bool = False
    # The same content in its parts (the first bubble of a result, a reminder); doors that render
    # cards use it, the others the text.
    card: ResultCard | ReminderCard | None = None
    # This bubble's words are already in the card of an earlier bubble of the same answer: a door
    # that rendered that card skips the text (the choices still count).
    in_card: bool = False


@dataclass(frozen=True, slots=True)
class RecordFacts:
    """Effect: store these self-reported situation fields (already validated by the core), in the
    row of ``lender`` (None: the person's own row, with what was told before any lender was named)."""

    facts: dict[str, Any]
    lender: str | None = None


@dataclass(frozen=True, slots=True)
class ForgetUser:
    """Effect: remove everything stored about the user."""


@dataclass(frozen=True, slots=True)
class SaveReminder:
    """Effect: create a reminder, or change ``replace_id`` (kind: repay | visit | free).

    ``fields`` are storage-ready: repay -> due_day, days_before, time_of_day ("HH:MM");
    visit -> at (UTC ISO), reason; free -> at, what.
    """

    kind: str
    fields: dict[str, Any]
    replace_id: int | None = None
    skip_first: bool = False  # its first time is not sent (「今月分はもう払った」 「今週は休む」)


@dataclass(frozen=True, slots=True)
class CancelReminder:
    """Effect: stop a reminder and every send not yet made."""

    reminder_id: int


@dataclass(frozen=True, slots=True)
class SnoozeReminder:
    """Effect: send a reminder again at ``until`` (aware)."""

    reminder_id: int
    until: datetime


@dataclass(frozen=True, slots=True)
class CompleteReminder:
    """Effect: the user did it (repay: this month's remaining sends are skipped)."""

    reminder_id: int


@dataclass(frozen=True, slots=True)
class SkipReminder:
    """Effect: the coming time of a repeating reminder is not sent (the one just sent: over);
    ``undo``: the times skipped come back (its sends planned again from now)."""

    reminder_id: int
    undo: bool = False


Effect = RecordFacts | ForgetUser | SaveReminder | CancelReminder | SnoozeReminder | CompleteReminder | SkipReminder
