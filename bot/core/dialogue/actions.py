"""The typed action vocabulary: what a button, a quick reply or a slash command asks the core to do.

Every choice the core offers carries one of these actions; every door turns it into its own payload
(LINE postback data, a Discord ``custom_id``, a console number) with :func:`encode` and back with
:func:`decode`. Nothing else parses these strings. The wire format is short (LINE allows 300
characters of postback data, Discord 100 for a whole ``custom_id``) and stable, so buttons already
shown keep working after a release:

===============  ======================  =================================================
action           wire                    meaning
===============  ======================  =================================================
Command          ``a:<name>``            a global command (menu, help, forget, ...)
Pick             ``p:<node>:<choice>``   a choice of a flow question, by its stable id
GoCause          ``c:<cause>``           straight to a cause's result (clarification, multi-cause)
RepayDay         ``rd:<day>``            the repayment day (1-31; 31 = month end)
DaysBefore       ``rb:<days>``           remind this many days before (1-7)
RemindAt         ``rt:<iso datetime>``   a proposed date and time for a one-off reminder
SetupControl     ``rc:<verb>``           yes / no / days / time / when / debit at a reminder set-up
ReminderOp       ``r:<verb>:<id>``       open / cancel / stop / skip / s1h / s1d / done / change
FactEdit         ``f:<verb>:<field>:<v>``  ask / set / del one recorded fact of the situation
PickLender       ``l:<lender>``          the answer to 「どちらの会社ですか？」 (a flow's lender id)
===============  ======================  =================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

# Command names are declared where they are handled (bot.core.dialogue.commands); here only their
# shape is checked, and a name no skill declares is answered as a button that no longer applies.
# unknown_day: the repayment day is not known; debit / no_debit: the answer to the automatic-debit question.
SETUP_VERBS = frozenset({"yes", "no", "days", "time", "when", "unknown_day", "debit", "no_debit"})
REMINDER_VERBS = frozenset({"open", "drop", "cancel", "s1h", "s1d", "done", "change", "stop", "skip"})
FACT_VERBS = frozenset({"ask", "set", "del"})
_ID = re.compile(r"[a-z][a-z0-9_]{0,39}")
# Plain ASCII digits only: int() also accepts "²", "٣" or 5,000 digits, none of which is a real value.
_SMALL_INT = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True, slots=True)
class Command:
    """A global command, the same from a button, a slash command or typed words."""

    name: str


@dataclass(frozen=True, slots=True)
class Pick:
    """A choice of a flow question, named by the node and the choice's stable id (not its position)."""

    node: str
    choice: str


@dataclass(frozen=True, slots=True)
class GoCause:
    """Go straight to the result of one cause of the flow."""

    cause: str


@dataclass(frozen=True, slots=True)
class RepayDay:
    """The day of the month repayments are due (31 stands for the month's last day)."""

    day: int


@dataclass(frozen=True, slots=True)
class DaysBefore:
    """How many days before the due date the first reminder comes."""

    days: int


@dataclass(frozen=True, slots=True)
class RemindAt:
    """A proposed date and time (aware) for a one-off reminder."""

    at: datetime


@dataclass(frozen=True, slots=True)
class SetupControl:
    """A control of the reminder set-up: yes, no, change days / time / when."""

    verb: str


@dataclass(frozen=True, slots=True)
class ReminderOp:
    """An operation on one of the user's reminders."""

    verb: str
    reminder_id: int


@dataclass(frozen=True, slots=True)
class FactEdit:
    """Correct one recorded fact: ask how (``ask``), record ``value`` (``set``) or delete it (``del``).

    ``field`` is empty for 「which one to delete?」; ``value`` is the fact's text form ("1", "25", "09:00").
    """

    verb: str
    field: str = ""
    value: str = ""


@dataclass(frozen=True, slots=True)
class PickLender:
    """The lender the user's question is about (a flow's ``[lender] id``)."""

    lender: str


Action = Command | Pick | GoCause | RepayDay | DaysBefore | RemindAt | SetupControl | ReminderOp | FactEdit | PickLender


def encode(action: Action) -> str:
    """The compact wire form of an action (see the module docstring)."""
    match action:
        case Command(name):
            return f"a:{name}"
        case Pick(node, choice):
            return f"p:{node}:{choice}"
        case GoCause(cause):
            return f"c:{cause}"
        case RepayDay(day):
            return f"rd:{day}"
        case DaysBefore(days):
            return f"rb:{days}"
        case RemindAt(at):
            return f"rt:{at.isoformat()}"
        case SetupControl(verb):
            return f"rc:{verb}"
        case ReminderOp(verb, reminder_id):
            return f"r:{verb}:{reminder_id}"
        case FactEdit(verb, name, value):
            return f"f:{verb}:{name}:{value}"
        case PickLender(lender):
            return f"l:{lender}"
    raise TypeError(f"not an action: {action!r}")


def _int(text: str) -> int | None:
    return int(text) if _SMALL_INT.fullmatch(text) else None


def decode(data: str | None) -> Action | None:
    """The action a wire string names, or None when it is garbled, unknown or out of range.

    Only the shape is checked here; whether the action still makes sense (a flow node that exists,
    a reminder the user owns, a set-up in progress) is the conversation's business.
    """
    if not data or len(data) > 300:
        return None
    kind, _, rest = data.partition(":")
    reader = _READERS.get(kind)
    return reader(rest) if reader is not None else None


def _command(rest: str) -> Action | None:
    return Command(rest) if _ID.fullmatch(rest) else None


def _pick(rest: str) -> Action | None:
    node, _, choice = rest.partition(":")
    return Pick(node, choice) if _ID.fullmatch(node) and _ID.fullmatch(choice) else None


def _cause(rest: str) -> Action | None:
    return GoCause(rest) if _ID.fullmatch(rest) else None


def _lender(rest: str) -> Action | None:
    return PickLender(rest) if _ID.fullmatch(rest) else None


def _repay_day(rest: str) -> Action | None:
    day = _int(rest)
    return RepayDay(day) if day is not None and 1 <= day <= 31 else None


def _days_before(rest: str) -> Action | None:
    days = _int(rest)
    return DaysBefore(days) if days is not None and 1 <= days <= 7 else None


def _remind_at(rest: str) -> Action | None:
    try:
        at = datetime.fromisoformat(rest)
    except ValueError:
        return None
    return RemindAt(at) if at.tzinfo is not None and 2000 <= at.year <= 2999 else None


def _setup_control(rest: str) -> Action | None:
    return SetupControl(rest) if rest in SETUP_VERBS else None


def _reminder_op(rest: str) -> Action | None:
    verb, _, rid = rest.partition(":")
    number = _int(rid)
    return ReminderOp(verb, number) if verb in REMINDER_VERBS and number is not None else None


def _fact_edit(rest: str) -> Action | None:
    verb, _, rest = rest.partition(":")
    name, _, value = rest.partition(":")
    if verb not in FACT_VERBS or (name and not _ID.fullmatch(name)) or len(value) > 40:
        return None
    return FactEdit(verb, name, value)


# One reader per wire prefix (the prefixes ``encode`` writes).
_READERS: dict[str, Callable[[str], Action | None]] = {
    "a": _command,
    "p": _pick,
    "c": _cause,
    "l": _lender,
    "rd": _repay_day,
    "rb": _days_before,
    "rt": _remind_at,
    "rc": _setup_control,
    "r": _reminder_op,
    "f": _fact_edit,
}
