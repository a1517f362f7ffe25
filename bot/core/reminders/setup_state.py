"""Typed states of a set-up in progress: what the bot is waiting for, and the reminder taking shape.

The conversation keeps one of these (or none) between turns; storage keeps its :func:`dump`, and
:func:`load` reads it back, tolerating what an older version stored (unknown -> no set-up).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Spec:
    """A reminder being set up. ``at`` is UTC ISO; ``rule`` is a repeat rule as JSON."""

    kind: str
    due_day: int | None = None
    days_before: int = 3
    time: str = ""  # "HH:MM", repayment reminders ("" until known: the user's usual time or 9:00)
    at: str | None = None
    what: str = ""
    reason: str = ""
    rule: str | None = None
    replace: int | None = None  # the reminder this set-up changes
    # Repayment set-up: the automatic-debit question was asked (it is asked once), and the lender's
    # own reminder e-mail was mentioned (said once, not at every confirmation).
    debit_asked: bool = False
    mail_noted: bool = False
    # 「今月分はもう払った」 「今週は休む」: saved with its first time skipped (the next one planned).
    skip_first: bool = False

    def but(self, **changes: Any) -> Spec:
        """A copy with some fields changed."""
        return replace(self, **changes)

    @classmethod
    def from_dict(cls, data: Any) -> Spec | None:
        """Rebuild from :func:`asdict`; None when it is not one."""
        from bot.core.reminders.kinds.registry import is_kind  # the registry reads the kinds, which use Spec

        if not isinstance(data, dict) or not is_kind(data.get("kind")):
            return None
        known = {f.name for f in fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in known})
        except TypeError:
            return None


@dataclass(frozen=True, slots=True)
class AskRepayDay:
    """Waiting for the repayment day."""

    spec: Spec


@dataclass(frozen=True, slots=True)
class AskDebit:
    """The repayment day is not known: waiting for whether it is an automatic debit (口座振替) from a
    bank whose debit day is fixed (then the day is known)."""

    spec: Spec


@dataclass(frozen=True, slots=True)
class AskDaysBefore:
    """Waiting for how many days before."""

    spec: Spec


@dataclass(frozen=True, slots=True)
class AskRepayTime:
    """Waiting for the time of day of repayment reminders."""

    spec: Spec


@dataclass(frozen=True, slots=True)
class AskWhen:
    """Waiting for the date and time of a visit or another reminder.

    ``options``: a moment the question proposed (UTC ISO), which 「はい」 accepts. ``context``: the
    part of the phrase asked about that still holds (「水曜の仕事終わり」 while its hour is asked).
    """

    spec: Spec
    options: tuple[str, ...] = ()
    context: str = ""


@dataclass(frozen=True, slots=True)
class AskTask:
    """Waiting for a reminder said whole: what and when. When a reminder is being changed, its task
    and id are kept: a new time alone (「毎週土曜の9時」) is enough."""

    what: str = ""
    replace: int | None = None


@dataclass(frozen=True, slots=True)
class AskWhat:
    """A time (or a repeat rule) is known; waiting for what to remind about."""

    at: str | None = None
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class Confirm:
    """Everything is known; waiting for the user to approve what the bot repeated back. ``queued``:
    more drafts asked for in the same message, approved with the same yes."""

    spec: Spec
    queued: tuple[Spec, ...] = ()


@dataclass(frozen=True, slots=True)
class ConfirmForget:
    """Waiting for the user to confirm deleting everything."""


@dataclass(frozen=True, slots=True)
class ConfirmCancel:
    """A reminder named in a sentence to be cancelled: waiting for a yes (「はい」 or its button)."""

    reminder_id: int


@dataclass(frozen=True, slots=True)
class ConfirmCancelAll:
    """「リマインダー全部消して」: waiting for a yes before every reminder (and nothing else) is cancelled."""


Pending = (
    AskRepayDay
    | AskDebit
    | AskDaysBefore
    | AskRepayTime
    | AskWhen
    | AskTask
    | AskWhat
    | Confirm
    | ConfirmForget
    | ConfirmCancel
    | ConfirmCancelAll
)
_TYPES: dict[str, type] = {
    t.__name__: t
    for t in (
        AskRepayDay,
        AskDebit,
        AskDaysBefore,
        AskRepayTime,
        AskWhen,
        AskTask,
        AskWhat,
        Confirm,
        ConfirmForget,
        ConfirmCancel,
        ConfirmCancelAll,
    )
}
# Set-ups that build a reminder (forgetting is not one).
REMINDER_SETUPS = (AskRepayDay, AskDebit, AskDaysBefore, AskRepayTime, AskWhen, AskTask, AskWhat, Confirm)


def dump(pending: Pending | None) -> dict[str, Any]:
    """The stored form (an empty dict for no set-up)."""
    if pending is None:
        return {}
    return {"type": type(pending).__name__, **asdict(pending)}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _ask_when(data: dict[str, Any]) -> Pending | None:
    spec = Spec.from_dict(data.get("spec"))
    options = tuple(o for o in data.get("options") or () if isinstance(o, str))
    return AskWhen(spec, options, _text(data.get("context")) or "") if spec is not None else None


def _ask_task(data: dict[str, Any]) -> Pending | None:
    rid = data.get("replace")
    return AskTask(_text(data.get("what")) or "", rid if isinstance(rid, int) else None)


def _confirm_cancel(data: dict[str, Any]) -> Pending | None:
    rid = data.get("reminder_id")
    return ConfirmCancel(rid) if isinstance(rid, int) else None


def _ask_what(data: dict[str, Any]) -> Pending | None:
    at, rule = _text(data.get("at")), _text(data.get("rule"))
    return AskWhat(at, rule) if at is not None or rule is not None else None


def _confirm(data: dict[str, Any]) -> Pending | None:
    spec = Spec.from_dict(data.get("spec"))
    queued = tuple(q for d in data.get("queued") or () if (q := Spec.from_dict(d)) is not None)
    return Confirm(spec, queued) if spec is not None else None


# The states stored with more than a draft (the others hold a draft, or nothing).
_READERS: dict[type, Callable[[dict[str, Any]], Pending | None]] = {
    Confirm: _confirm,
    AskWhen: _ask_when,
    AskTask: _ask_task,
    ConfirmCancel: _confirm_cancel,
    AskWhat: _ask_what,
}


def load(data: Any) -> Pending | None:
    """Read what :func:`dump` stored; anything else (an older version's shape) is no set-up."""
    if not isinstance(data, dict) or data.get("type") not in _TYPES:
        return None
    cls = _TYPES[data["type"]]
    reader = _READERS.get(cls)
    if reader is not None:
        return reader(data)
    if "spec" in {f.name for f in fields(cls)}:
        spec = Spec.from_dict(data.get("spec"))
        return cls(spec) if spec is not None else None
    return cls()
